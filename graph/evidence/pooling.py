"""Random-effects pooled estimates of one drug-outcome pair across independent studies.

Where two or more studies report the share of patients who responded to a drug on one outcome
(responders of a total), the shares are pooled on the logit scale by DerSimonian and Laird's
random-effects model, as statsmodels' ``combine_effects`` computes it (its results agree with R's
metafor), and the estimate and its 95% confidence interval are turned back into a proportion.
A study with 0 or all responders gets half a patient added to both cells (metafor's default
for the logit of a proportion), since a logit of 0 or 1 is infinite.

Where two or more studies report a mean before and after the drug in one group of patients, the
mean changes (after minus before) are pooled the same way, as a mean difference in the unit
printed. The variance of a mean change needs the SD of the changes, which before-after reports
rarely print: it is imputed from the SDs before and after and a within-patient correlation r
(Cochrane Handbook 6.5.2.8, 5.1: 16.1.3.2; default r = 0.5, with the pooled result at other r
as a sensitivity analysis, as the Handbook asks). A mean change printed with its CI gives its
variance directly (Handbook 6.5.2.2, with the t distribution for small groups). A result without
an SD or CI, or without the number of patients, cannot be weighted and is left out, named.
Medians are never pooled as means (the curation format has no field for them).

Only independent evidence is pooled:

* one result per study: a secondary report (a news summary) restates its article, whose own
  finding is used;
* a systematic review counts the patients of the studies it includes, so a study that a pooled
  review cites is left out (and named) rather than counted twice;
* one outcome concept and one measure: proportions are never pooled with mean changes, nor one
  outcome with another.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import Generic, Protocol, TypeVar

from graph.evidence.numbers import Timepoint

LEVEL = 0.95
CORRELATION = 0.5  # the within-patient correlation imputed for a before-after mean change
SENSITIVITY = (0.2, 0.8)  # the correlations the sensitivity analysis pools at as well


@dataclass(frozen=True)
class StudyResult:
    """One study's result for a drug-outcome pair: responders of a total."""

    study: str  # the study's IRI
    label: str  # how to name it to a reader
    finding: str  # the finding's IRI
    responders: int
    total: int
    primary: bool = True  # stated by the study's own document, not a secondary report


@dataclass(frozen=True)
class MeanChange:
    """One study's mean change (after minus before) in one group of ``total`` patients, with
    the SDs before and after, or the change's own CI, whichever the study printed."""

    study: str
    label: str
    finding: str
    total: int | None  # the number of patients; None where the study does not say
    before: float | None = None
    after: float | None = None
    sd_before: float | None = None
    sd_after: float | None = None
    change_value: float | None = None  # a change printed as such (with its CI)
    ci_lower: float | None = None
    ci_upper: float | None = None
    ci_level: float = LEVEL
    primary: bool = True

    @property
    def change(self) -> float:
        if self.change_value is not None:
            return self.change_value
        assert self.before is not None and self.after is not None
        return self.after - self.before

    def unweighable(self) -> str | None:
        """Why the change cannot be weighted (no variance can be had), or None."""
        if not self.total or self.total < 2:
            return "the number of patients is not stated"
        if self.ci_lower is not None and self.ci_upper is not None:
            return None
        if self.sd_before is None or self.sd_after is None:
            return "no SD before and after, nor a CI of the change, is stated"
        return None

    def variance(self, correlation: float = CORRELATION) -> float:
        """The variance of the mean change: from its CI where printed, else from the SD of
        the changes imputed at ``correlation``."""
        assert self.total is not None
        if self.ci_lower is not None and self.ci_upper is not None:
            return ci_variance(self.ci_lower, self.ci_upper, self.total, self.ci_level)
        assert self.sd_before is not None and self.sd_after is not None
        return change_sd(self.sd_before, self.sd_after, correlation) ** 2 / self.total


# Spellings of one unit, and units that convert exactly (by a defined factor) into another; any
# other unit is compared as printed, so % predicted and litres are never pooled together.
_UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("mg", "milligram", "milligrams"), ("mg", 1.0)),
    **dict.fromkeys(("g", "gram", "grams"), ("mg", 1000.0)),
    **dict.fromkeys(("µg", "μg", "mcg", "ug"), ("mg", 0.001)),
    **dict.fromkeys(("mg/day", "mg/d", "mg per day", "mg daily"), ("mg/day", 1.0)),
    **dict.fromkeys(("g/day", "g/d"), ("mg/day", 1000.0)),
    **dict.fromkeys(("l", "litre", "litres", "liter", "liters"), ("L", 1.0)),
    **dict.fromkeys(("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
                    ("L", 0.001)),
}


def unit_scale(unit: str | None) -> tuple[str, float]:
    """The unit a value is pooled in and the exact factor into it.

    >>> unit_scale("mg/d"), unit_scale("g"), unit_scale("mL")
    (('mg/day', 1.0), ('mg', 1000.0), ('L', 0.001))
    >>> unit_scale("% predicted"), unit_scale(None)
    (('% predicted', 1.0), ('', 1.0))
    """
    printed = " ".join((unit or "").split())
    return _UNITS.get(printed.casefold(), (printed, 1.0))


def scaled(r: MeanChange, factor: float) -> MeanChange:
    """The same change with every value multiplied by ``factor`` (a unit conversion)."""
    if factor == 1.0:
        return r

    def times(v: float | None) -> float | None:
        return None if v is None else v * factor

    return replace(r, before=times(r.before), after=times(r.after),
                   sd_before=times(r.sd_before), sd_after=times(r.sd_after),
                   change_value=times(r.change_value), ci_lower=times(r.ci_lower),
                   ci_upper=times(r.ci_upper))


class _Result(Protocol):
    @property
    def study(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def finding(self) -> str: ...
    @property
    def total(self) -> int | None: ...
    @property
    def primary(self) -> bool: ...


R = TypeVar("R", bound=_Result)


@dataclass(frozen=True)
class Pooled(Generic[R]):
    """A pooled estimate (a proportion, a mean change), its confidence limits, heterogeneity,
    what went in and what was left out (with why)."""

    estimate: float
    ci_lower: float
    ci_upper: float
    i_squared: float  # 0..1
    tau_squared: float
    q: float
    studies: tuple[R, ...]
    left_out: tuple[tuple[R, str], ...] = field(default=())
    correlation: float | None = None  # for mean changes: the within-patient correlation imputed


def change_sd(sd_before: float, sd_after: float, correlation: float) -> float:
    """The SD of within-patient changes from the SDs before and after and their correlation r
    (Cochrane Handbook 6.5.2.8): sqrt(SD_b² + SD_a² - 2 r SD_b SD_a).

    The Handbook's paired example (5.1: 16.4.6.4), SDs 2.38 and 2.21, r = 0.68, 10 patients,
    gives the standard error 0.583:

    >>> round(change_sd(2.38, 2.21, 0.68) / 10 ** 0.5, 3)
    0.583
    """
    if not -1 <= correlation <= 1:
        raise ValueError(f"a correlation of {correlation} is not between -1 and 1")
    return math.sqrt(max(0.0, sd_before ** 2 + sd_after ** 2
                         - 2 * correlation * sd_before * sd_after))


def ci_variance(lower: float, upper: float, total: int, level: float = LEVEL) -> float:
    """The variance of a mean from its CI in a group of ``total`` (Cochrane Handbook 6.5.2.2):
    SE = (upper - lower) / (2 t), t the (1 + level)/2 quantile with total - 1 degrees of
    freedom (the Handbook's 3.92 = 2 x 1.96 is its large-sample value)."""
    from scipy.stats import t  # slow import, used rarely

    se = (upper - lower) / (2 * float(t.ppf((1 + level) / 2, total - 1)))
    return se * se


@dataclass(frozen=True)
class Effect:
    """A logit proportion and its variance, as pooled."""

    value: float
    variance: float


@dataclass(frozen=True)
class Alike:
    """What mean changes pooled together share besides drug and outcome: the outcome's curated
    definition, whose dose it is (for a dose outcome), the unit and the timepoint."""

    definition: tuple[str, ...] = ()
    dose_of: str = ""
    unit: str = ""
    timepoint: str = ""  # the timepoint's key: "3-6m" for "3 to 6 months"
    timepoint_text: str = field(default="", compare=False)  # as a study wrote it


def alike(definition: tuple[str, ...], dose_of: str | None, unit: str | None,
          timepoint: Timepoint | None) -> tuple[Alike, float]:
    """What a mean change must share with another to be pooled with it, and the factor that
    converts its values into the unit shared."""
    shared, factor = unit_scale(unit)
    return Alike(definition, dose_of or "", shared, timepoint.key if timepoint else "",
                 timepoint.text if timepoint else ""), factor


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def logit_proportion(responders: int, total: int) -> Effect:
    """The logit of responders/total and its variance, with 0.5 added to both cells at 0 or all.

    >>> e = logit_proportion(17, 18)
    >>> round(e.value, 4), round(e.variance, 4)
    (2.8332, 1.0588)
    """
    if not 0 <= responders <= total or total == 0:
        raise ValueError(f"{responders} responders of {total} is not a proportion")
    a, b = float(responders), float(total - responders)
    if a == 0 or b == 0:
        a, b = a + 0.5, b + 0.5
    return Effect(math.log(a / b), 1 / a + 1 / b)


Combined = tuple[float, float, float, float, float, float]  # estimate, CI, I², tau², Q


@dataclass
class Remembered:
    """Pooled estimates by their inputs: those an earlier build made (``known``) and those this
    one used. A build that pools the same studies again does not import statsmodels and scipy
    (seconds) to compute the same numbers."""

    known: dict[tuple[tuple[float, ...], tuple[float, ...]], Combined] = field(
        default_factory=dict)
    used: dict[tuple[tuple[float, ...], tuple[float, ...]], Combined] = field(
        default_factory=dict)

    def combine(self, effects: list[float], variances: list[float]) -> Combined:
        """:func:`combine`, or what it gave for the same inputs before."""
        key = (tuple(effects), tuple(variances))
        found = self.known.get(key)
        self.used[key] = combine(effects, variances) if found is None else found
        return self.used[key]


def combine(effects: list[float], variances: list[float]) -> Combined:
    """DerSimonian-Laird random-effects pooling by statsmodels: estimate, CI, I², tau², Q."""
    import numpy as np
    from statsmodels.stats.meta_analysis import combine_effects  # slow import, used rarely

    with np.errstate(invalid="ignore"):  # the square root of a negative tau² (handled below)
        result = combine_effects(np.asarray(effects, dtype=float),
                                 np.asarray(variances, dtype=float), method_re="dl",
                                 alpha=1 - LEVEL)
        fixed, random = result.conf_int(alpha=1 - LEVEL, use_t=False)[:2]
    if result.tau2 <= 0:
        # DerSimonian and Laird truncate tau² at 0, where the model is the fixed-effect one;
        # statsmodels 0.15 returns the negative moment estimate (and NaN limits) instead
        return (float(result.mean_effect_fe), float(fixed[0]), float(fixed[1]), 0.0, 0.0,
                float(result.q))
    return (float(result.mean_effect_re), float(random[0]), float(random[1]),
            max(0.0, float(result.i2)), float(result.tau2), float(result.q))


def independent(results: Iterable[R], includes: dict[str, set[str]]
                ) -> tuple[list[R], list[tuple[R, str]]]:
    """One result per study (its own document's, its largest population's), without the
    studies a pooled review already counts.

    ``includes`` maps a review's study IRI to the studies it cites.
    """
    chosen: dict[str, R] = {}
    left_out: list[tuple[R, str]] = []
    for r in sorted(results, key=lambda r: (r.study, not r.primary, -(r.total or 0), r.finding)):
        if r.study in chosen:
            left_out.append((r, f"restates {chosen[r.study].label}"))
        else:
            chosen[r.study] = r
    for review in sorted(set(includes) & set(chosen)):
        for study in sorted(includes[review] & set(chosen)):
            if study != review:
                left_out.append((chosen.pop(study),
                                 f"its patients are counted in the review {chosen[review].label}"))
    return sorted(chosen.values(), key=lambda r: (r.label, r.study)), left_out


def pool(results: Iterable[StudyResult], includes: dict[str, set[str]] | None = None,
         remembered: Remembered | None = None) -> Pooled[StudyResult] | None:
    """The pooled proportion of independent results, or None with fewer than two studies."""
    kept, left_out = independent(results, includes or {})
    if len(kept) < 2:
        return None
    effects = [logit_proportion(r.responders, r.total) for r in kept]
    value, low, high, i2, tau2, q = (remembered or Remembered()).combine(
        [e.value for e in effects],
                                            [e.variance for e in effects])
    return Pooled(expit(value), expit(low), expit(high), i2, tau2, q, tuple(kept),
                  tuple(left_out))


def pool_changes(results: Iterable[MeanChange], includes: dict[str, set[str]] | None = None,
                 correlation: float = CORRELATION, remembered: Remembered | None = None
                 ) -> Pooled[MeanChange] | None:
    """The pooled mean change of independent results that can be weighted, or None with fewer
    than two; the others are left out with the reason."""
    weighable, left_out = [], []
    for r in results:
        why = r.unweighable()
        if why is None and r.variance(correlation) <= 0:
            why = f"its changes have no spread at r = {correlation:g}"
        if why is None:
            weighable.append(r)
        else:
            left_out.append((r, why))
    kept, restated = independent(weighable, includes or {})
    if len(kept) < 2:
        return None
    value, low, high, i2, tau2, q = (remembered or Remembered()).combine(
        [r.change for r in kept],
                                            [r.variance(correlation) for r in kept])
    return Pooled(value, low, high, i2, tau2, q, tuple(kept),
                  tuple(restated + sorted(left_out, key=lambda x: x[0].finding)), correlation)


def change_interval(r: MeanChange, correlation: float = CORRELATION
                    ) -> tuple[float, float, float]:
    """A study's mean change and its 95% CI (normal), as the forest plot draws it."""
    se = math.sqrt(r.variance(correlation))
    z = NormalDist().inv_cdf((1 + LEVEL) / 2)
    return r.change, r.change - z * se, r.change + z * se


def study_interval(r: StudyResult) -> tuple[float, float, float]:
    """A study's proportion and its exact (Clopper-Pearson) 95% CI, as forest plots of
    proportions show each study: it holds the proportion even at 0 or all responders."""
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(r.responders, r.total, alpha=1 - LEVEL, method="beta")
    return r.responders / r.total, float(low), float(high)
