"""Records of curated evidence: populations, findings, study statements, and the quotes behind them.

They are built by :mod:`graph.evidence.curation` from the YAML files in ``corpus/curation/`` after
every check has passed, so code that receives them may trust that each quote was found in its
document and each number appears in a quote.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from graph.evidence.numbers import PValue, Timepoint
from graph.records import unpickled_by_slots


def field_values(record: Any) -> dict[str, Any]:
    """A record's fields by name (what ``vars`` gave before the records had slots: a record
    kept per finding holds no dictionary of its own)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Quote:
    """Verbatim text of a document, with its character offsets and the 1-based line it starts on."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str
    line: int


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Population:
    """A group of patients a study describes; ``parent`` is the population it is a subset of."""

    key: str
    description: str
    n: int | None
    quotes: tuple[Quote, ...]
    parent: str | None = None
    diseases: tuple[str, ...] = ()
    antibodies: tuple[str, ...] = ()
    negative_for: tuple[str, ...] = ()  # antibodies the population tested negative for
    characteristics: tuple[str, ...] = ()  # what every patient of it has, among its parent's
    refractory: bool | None = None
    treatment_naive: bool | None = None


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Intervention:
    """A drug as given in a finding: dose, route and schedule as printed, and its role.

    A curated drug always has a role (studied when the record writes none); a machine-extracted
    one has none, since a sentence rarely says which drug was studied and which was background.
    """

    drug: str
    dose: str | None = None
    route: str | None = None
    schedule: str | None = None
    role: str | None = None


# A median's spread as printed: its interquartile range (lower and upper quartile) and its range.
SPREAD = ("median", "iqr_lower", "iqr_upper", "min", "max")
# The numbers of one timepoint of a before/after result (a record's ``before:`` or ``after:``).
SUMMARY = ("mean", "sd", *SPREAD, "n")
# Every number of a result by field name, in the order a record and the graph write them.
RESULT_NUMBERS = (
    "responders", "total", "percent", "percent_ci_lower", "percent_ci_upper", "percent_ci_level",
    "count", "mean", "sd", *SPREAD, *(f"{side}_{name}" for side in ("before", "after")
                                      for name in SUMMARY), "percent_change")


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Group:
    """One arm of a comparison: a population and its value."""

    population: str
    count: int | None = None
    percent: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    iqr_lower: float | None = None
    iqr_upper: float | None = None
    min: float | None = None
    max: float | None = None


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Effect:
    """A ratio or difference with its confidence interval."""

    measure: str
    value: float
    ci_lower: float | None = None
    ci_upper: float | None = None
    ci_level: float | None = None


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Result:
    """The numbers of a finding, whichever the text gives."""

    responders: int | None = None
    total: int | None = None
    percent: float | None = None
    count: int | None = None
    mean: float | None = None
    sd: float | None = None
    before_mean: float | None = None
    before_sd: float | None = None
    after_mean: float | None = None
    after_sd: float | None = None
    unit: str | None = None
    # the percent's confidence interval ("93% (95% CI 82-99)"), the level in percent
    percent_ci_lower: float | None = None
    percent_ci_upper: float | None = None
    percent_ci_level: float | None = None
    # a median with its interquartile range and range, of the result and of each timepoint
    median: float | None = None
    iqr_lower: float | None = None
    iqr_upper: float | None = None
    min: float | None = None
    max: float | None = None
    before_median: float | None = None
    before_iqr_lower: float | None = None
    before_iqr_upper: float | None = None
    before_min: float | None = None
    before_max: float | None = None
    before_n: int | None = None
    after_median: float | None = None
    after_iqr_lower: float | None = None
    after_iqr_upper: float | None = None
    after_min: float | None = None
    after_max: float | None = None
    after_n: int | None = None
    percent_change: float | None = None
    effect: Effect | None = None
    p_value: PValue | None = None
    p_text: str | None = None

    def numbers(self) -> dict[str, float]:
        """Every number of the result by field name (each must be stated in a quote)."""
        values = {name: getattr(self, name) for name in RESULT_NUMBERS}
        if self.effect is not None:
            values.update(effect=self.effect.value, ci_lower=self.effect.ci_lower,
                          ci_upper=self.effect.ci_upper, ci_level=self.effect.ci_level)
        if self.p_value is not None:
            values["p_value"] = self.p_value.value
        return {k: float(v) for k, v in values.items() if v is not None}


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Finding:
    """One fact of a document: what, in whom, how much, when, which way, and its quotes."""

    key: str
    kind: str
    quotes: tuple[Quote, ...]
    population: str
    direction: str
    interventions: tuple[Intervention, ...] = ()
    comparator_drug: str | None = None
    comparator_description: str | None = None
    outcome: str | None = None
    dose_of: str | None = None
    characteristic: str | None = None
    groups: tuple[Group, ...] = ()
    result: Result = Result()
    timepoint: Timepoint | None = None
    note: str | None = None
    line: int = 0
    agent: str = "manual_agent"  # Biolink agent_type: curated, or text_mining_agent

    @property
    def drugs(self) -> frozenset[str]:
        return frozenset(i.drug for i in self.interventions)


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion of a definition, named alike in every document that states it."""

    key: str
    quotes: tuple[Quote, ...]


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Statement:
    """A fact about the study itself: an antibody it did not test for, the journal it names, the
    definition of a term by its criteria."""

    key: str
    kind: str
    quotes: tuple[Quote, ...]
    entity: str | None = None
    value: str | None = None
    line: int = 0
    criteria: tuple[Criterion, ...] = ()


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Curation:
    """The checked curation record of one document."""

    path: str  # the YAML file, relative to the corpus folder
    document: str  # the document it curates, relative to the corpus folder
    design: str | None
    populations: dict[str, Population]
    findings: tuple[Finding, ...]
    statements: tuple[Statement, ...]
    control_group: bool | None = None  # None: the record does not say
    candidates_reviewed: bool = False  # a person reviewed the candidates: those not kept are out
