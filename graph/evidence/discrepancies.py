"""Find where a secondary report disagrees with the article it reports on.

A news summary restates a study's findings; where it prints another number (a p-value) or names
another journal, the graph must say so rather than hold two silent versions. Each finding of the
secondary report is matched to the primary article's finding about the same thing (same kind,
outcome or characteristic, dose, drugs and timepoint); among several candidates the one sharing
the most numbers wins, and a tie or no shared number means no match. Matched findings are then
compared number by number.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.citations.works import journals_compatible
from graph.evidence.findings import Curation, Finding, Statement


@dataclass(frozen=True)
class FindingDiscrepancy:
    """A field on which a secondary report's finding and its primary finding disagree."""

    field: str
    secondary: Finding
    primary: Finding
    secondary_value: str
    primary_value: str


@dataclass(frozen=True)
class VenueDiscrepancy:
    """A secondary report names another journal than the one the article appeared in."""

    statement: Statement
    stated: str
    actual: str


def _signature(f: Finding) -> tuple[object, ...]:
    timepoint = f.timepoint.key if f.timepoint else None
    return (f.kind, f.outcome, f.characteristic, f.dose_of, f.drugs, timepoint)


def _values(f: Finding) -> dict[str, str]:
    """Comparable values of a finding, as strings (p-values with their relation)."""
    values = {name: f"{value:g}" for name, value in f.result.numbers().items()
              if name != "p_value"}
    if f.result.p_value is not None:
        values["p_value"] = f"{f.result.p_value.relation}{f.result.p_value.value:g}"
    for index, group in enumerate(f.groups, start=1):
        for name in ("count", "percent", "mean", "sd"):
            value = getattr(group, name)
            if value is not None:
                values[f"group {index} {name}"] = f"{value:g}"
    return values


def match(secondary: Finding, candidates: list[Finding]) -> Finding | None:
    """The primary finding ``secondary`` restates, or None if no single one is best."""
    same = [c for c in candidates if _signature(c) == _signature(secondary)]
    mine = _values(secondary)

    def shared(c: Finding) -> int:
        theirs = _values(c)
        return sum(1 for k, v in mine.items() if theirs.get(k) == v)

    scored = sorted(((shared(c), c.key, c) for c in same), key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][2]


def compare_findings(secondary: Curation, primary: Curation) -> tuple[
    list[FindingDiscrepancy], list[Finding]
]:
    """Disagreements between matched findings, and the secondary findings with no counterpart."""
    found, unmatched = [], []
    for finding in secondary.findings:
        counterpart = match(finding, list(primary.findings))
        if counterpart is None:
            unmatched.append(finding)
            continue
        theirs = _values(counterpart)
        for name, value in sorted(_values(finding).items()):
            if name in theirs and theirs[name] != value:
                found.append(FindingDiscrepancy(name, finding, counterpart, value, theirs[name]))
    return found, unmatched


def compare_venue(secondary: Curation, journal: str | None) -> list[VenueDiscrepancy]:
    """Venue statements of a secondary report that do not name the article's journal."""
    return [
        VenueDiscrepancy(s, s.value, journal)
        for s in secondary.statements
        if s.kind == "venue" and s.value and journal and not journals_compatible(s.value, journal)
    ]
