"""A draft curation record written from a document's machine-extracted candidates.

``ma-ild curate DOCUMENT`` writes it for a person to confirm, correct or delete, finding by
finding, in the format of every curation record (``corpus/CURATION.md``). Each candidate becomes a
finding with its drug, role, outcome, population, numbers, timepoint, direction and quote (with
the occurrence when the sentence is printed more than once), each guess marked by a YAML comment.
The draft is checked as the build checks every record: a candidate the check would refuse (its
outcome unnamed, a number not in its quote) is written commented out, with the reason, so the
draft loads as it is and nothing the extractor found is hidden. The record says
``candidates_reviewed: true``: once it is in the corpus, the document's candidates are the
findings the person kept, and a deleted one stays out of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml

from graph.errors import CurationError
from graph.evidence.curation import check_record
from graph.evidence.design import infer_design
from graph.evidence.findings import (
    RESULT_NUMBERS,
    SUMMARY,
    Group,
    Quote,
    Result,
    field_values,
)
from graph.evidence.quotes import occurrences
from graph.mining.candidates import Candidate
from graph.mining.corpus import mine
from graph.records import Document
from graph.vocabulary.concepts import Vocabulary

UNSIZED = "patients"  # the population of a candidate that names no number of patients
_MEDIANS = re.compile(r"\bmedians?\b", re.IGNORECASE)


def scalar(value: object) -> str:
    """``value`` as a YAML flow scalar: strings double-quoted (every character escaped the YAML
    way, so a quote with tabs or unusual spaces reads back verbatim), numbers as written.

    >>> print(scalar("a\\tb: \\"c\\""), scalar(93.3), scalar(9.0), scalar(True))
    "a\\tb: \\"c\\"" 93.3 9 true
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 9, as printed, not 9.0
    if isinstance(value, int | float):
        return repr(value)
    dumped = yaml.safe_dump(str(value), default_style='"', allow_unicode=True, width=1 << 30)
    return dumped.removesuffix("\n").removesuffix("\n...")


def flow(mapping: Mapping[str, Any]) -> str:
    """A flow mapping: ``{responders: 17, total: 18}``.

    >>> flow({"drug": "rituximab", "before": {"mean": 35.1}})
    '{drug: "rituximab", before: {mean: 35.1}}'
    """
    parts = [f"{k}: {flow(v) if isinstance(v, Mapping) else scalar(v)}"
             for k, v in mapping.items()]
    return "{" + ", ".join(parts) + "}"


def quote_spec(text: str, quote: Quote, within: tuple[tuple[int, int], ...]) -> str:
    """A quote as a record writes it: the text, with its occurrence when it is printed again."""
    starts = occurrences(text, quote.exact, within or ((0, len(text)),))
    if len(starts) <= 1 or quote.start not in starts:
        return scalar(quote.exact)
    return flow({"text": quote.exact, "occurrence": starts.index(quote.start) + 1})


def result_fields(result: Result) -> dict[str, Any]:
    """The numbers of ``result`` as a record's ``result`` mapping: the ``before_*`` and
    ``after_*`` numbers as its ``before:`` and ``after:`` summaries."""
    fields: dict[str, Any] = {}
    for name in RESULT_NUMBERS:
        value = getattr(result, name)
        side, _, field = name.partition("_")
        if value is None or name == "percent_change":
            continue
        if side in ("before", "after") and field in SUMMARY:
            fields.setdefault(side, {})[field] = value
        else:
            fields[name] = value
    if result.unit:
        fields["unit"] = result.unit
    if result.percent_change is not None:
        fields["percent_change"] = result.percent_change
    if result.effect is not None:
        e = result.effect
        fields["effect"] = {k: v for k, v in (("measure", e.measure), ("value", e.value),
                                              ("ci_lower", e.ci_lower), ("ci_upper", e.ci_upper),
                                              ("ci_level", e.ci_level)) if v is not None}
    if result.p_value is not None:
        fields["p_value"] = f"{'' if result.p_value.relation == '=' else result.p_value.relation}" \
                            f"{result.p_value.value:g}"
    return fields


@dataclass(frozen=True)
class DraftPopulation:
    """A population of the draft: the patients a candidate's size names, and where it says so."""

    key: str
    n: int | None
    quote: str | None  # the YAML of its quote, when the document states its n

    def lines(self) -> list[str]:
        described = (f"the {self.n} patients the text counts" if self.n else
                     "the patients the findings are about")
        lines = [f"  {self.key}:",
                 f"    description: {scalar(described)}  # CHECK: say who they are "
                 "(disease, antibodies, refractory)"]
        if self.n and self.quote:
            lines += [f"    n: {self.n}", f"    quote: {self.quote}"]
        return lines


def _population(text: str, candidate: Candidate, within: tuple[tuple[int, int], ...]
                ) -> DraftPopulation | None:
    """The population a candidate's stated size names, quoted where the text last says it before
    the end of the candidate's quote."""
    if not candidate.population_size or not candidate.population_text:
        return None
    piece = candidate.population_text
    every = occurrences(text, piece, within or ((0, len(text)),))
    before = [n for n, start in enumerate(every, start=1) if start < candidate.quote.end]
    if not before:
        return None
    spec = scalar(piece) if len(every) == 1 else flow({"text": piece, "occurrence": before[-1]})
    size = candidate.population_size
    return DraftPopulation(f"patients-n{size}", size, spec)


def _guess_direction(candidate: Candidate) -> tuple[str, str]:
    if candidate.direction:
        return candidate.direction, "GUESS from the words of the quote"
    return "not-applicable", "CHECK: the extractor read no direction"


def _finding_lines(key: str, candidate: Candidate, quote: str, population: str) -> list[str]:
    """The YAML lines of one candidate as a finding (of a list under ``findings:``)."""
    kind = "outcome" if candidate.outcome else "characteristic"
    direction, why = _guess_direction(candidate)
    lines = [f"  - id: {key}", f"    kind: {kind}", f"    quote: {quote}",
             f"    population: {population}"]
    if candidate.drugs:
        named = (f"inferred from {candidate.drugs_inferred}, its sentence names none"
                 if candidate.drugs_inferred else "the drugs its sentence names")
        lines.append(f"    interventions:  # GUESS: {named}; roles: studied, add-on, background, "
                     "prior-failed, comparator")
        lines += [f"      - {flow({'drug': d, 'role': 'studied'})}" for d in candidate.drugs]
    if candidate.outcome:
        lines.append(f"    outcome: {candidate.outcome}" + (
            f"  # GUESS: inferred from {candidate.outcome_inferred}, its sentence names none"
            if candidate.outcome_inferred else ""))
    result = candidate.result
    if candidate.percent_ci is not None and result.effect is None:  # the percent's, as quoted
        lower, upper, level = candidate.percent_ci
        result = replace(result, percent_ci_lower=lower, percent_ci_upper=upper,
                         percent_ci_level=level)
    fields = result_fields(result)
    if fields:
        means = any("mean" in fields.get(side, {}) for side in ("before", "after"))
        medians = means and _MEDIANS.search(candidate.quote.exact) is not None
        lines.append(f"    result: {flow(fields)}" + (
            "  # CHECK: the quote prints medians: write them as median, with iqr_lower/iqr_upper "
            "and min/max as printed" if medians else ""))
    if candidate.timepoint is not None:
        lines.append(f"    timepoint: {scalar(candidate.timepoint.text)}")
    lines.append(f"    direction: {direction}  # {why}")
    return lines


def _record(document: str, populations: list[DraftPopulation], findings: list[str]) -> str:
    """A minimal record holding ``populations`` and the finding lines, for the check."""
    head = [f"document: {scalar(document)}", "populations:"]
    for population in populations:
        head += population.lines()
    return "\n".join([*head, "findings:", *findings, ""])


def _problem(text: str, document: Document, vocabulary: Vocabulary) -> str | None:
    """Why the check refuses the record ``text``, or None when it takes it."""
    try:
        check_record(text, "draft", {document.path: document}, vocabulary)
    except CurationError as exc:
        return re.sub(r"^draft(?::\d+)?:\s*", "", str(exc))
    return None


def _commented(lines: list[str], reason: str) -> list[str]:
    return [f"  # REFUSED by the check as drafted: {' '.join(reason.split())}",
            "  # Correct it and remove the '# ' that starts each line, or delete it:",
            *(f"  # {line.strip() if n == 0 else line[2:]}" for n, line in enumerate(lines))]


def _group(group: Group) -> str:
    """One group of a compared candidate, for its comment: ``men: {count: 6}``."""
    values = {k: v for k, v in field_values(group).items() if k != "population" and v is not None}
    return f"{group.population}: {flow(values)}"


def _findings(document: Document, candidates: tuple[Candidate, ...], vocabulary: Vocabulary
              ) -> Iterator[tuple[DraftPopulation | None, list[str], bool]]:
    """Each candidate as (its population, its lines, whether the check takes it)."""
    text, within = document.text, document.spans if document.record is not None else ()
    unsized = DraftPopulation(UNSIZED, None, None)
    for index, candidate in enumerate(candidates, start=1):
        key = f"{candidate.outcome or 'finding'}-{index}"  # never a candidate's own IRI
        quote = quote_spec(text, candidate.quote, within)
        header = f"  # candidate {index}: line {candidate.quote.line}, read as {candidate.pattern}"
        if candidate.groups:  # a comparison: a person names what it compares (kind comparison)
            header += "; groups " + "; ".join(_group(g) for g in candidate.groups)
        sized = _population(text, candidate, within)
        for population in ([sized] if sized else []) + [unsized]:
            lines = _finding_lines(key, candidate, quote, population.key)
            reason = _problem(_record(document.path, [population], lines), document, vocabulary)
            if reason is None:
                yield population, [header, *lines], True
                break
        else:
            if not candidate.outcome:
                reason = ("the extractor named no outcome: name what it measures (kind: outcome "
                          "with outcome: ID, or kind: characteristic with characteristic: ID, an "
                          f"id of ontology/vocabulary); {reason}")
            yield None, [header, *_commented(lines, reason or "")], False


def draft_curation(document: Document, vocabulary: Vocabulary) -> tuple[str, int, int]:
    """The draft record of ``document`` (YAML text), how many candidates it keeps as findings and
    how many it writes commented out for a person to correct."""
    candidates = mine(document, vocabulary, None).candidates
    drafted = list(_findings(document, candidates, vocabulary))
    populations: dict[str, DraftPopulation] = {}
    for population, _lines, _kept in drafted:
        if population is not None:
            populations.setdefault(population.key, population)
    kept = sum(1 for _p, _l, ok in drafted if ok)
    design = infer_design(document)
    head = [
        f"# DRAFT curation of {document.path},",
        f"# written by `ma-ild curate` from the {len(candidates)} candidate findings the text "
        "miner read in it.",
        "# NO PERSON HAS CHECKED IT YET. For each finding: confirm it, correct it (drug, role,",
        "# outcome, population, numbers, timepoint, direction) or delete it. Lines marked GUESS",
        "# or CHECK are the extractor's reading; REFUSED findings failed the build's checks as",
        "# drafted. The build checks this record like every curation record (corpus/CURATION.md):",
        "# quotes verbatim, numbers stated in them, entities in the vocabulary. Check it alone",
        "# with `python -m graph.evidence.curation THIS-FILE`; delete these comments when done.",
        f"document: {scalar(document.path)}",
    ]
    if design:
        head.append(f"design: {design}  # GUESS from the title and abstract: confirm or correct")
    else:
        head.append("# design: ID  # the text names no design the rules know: write its design id")
    head += ["candidates_reviewed: true  # a candidate deleted here stays out of the graph",
             "populations:" if populations else "populations: {}"]
    for population in populations.values():
        head += population.lines()
    body = [line for _p, lines, _ok in drafted for line in lines]
    text = "\n".join([*head, "findings:" if body and kept else "findings: []", *body, ""])
    check_record(text, f"the draft of {document.path}", {document.path: document}, vocabulary)
    return text, kept, len(candidates) - kept
