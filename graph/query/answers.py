"""Answers to findings questions: curated evidence by default, and how many candidates it left out.

A named query is a *findings question* when it has the parameter ``include`` (``choice
curated|candidates``) and the column ``curation``, which says for each row "curated" (from a
curation record, checked against its document) or "machine-extracted, unreviewed" (a candidate the
text miner read, which no person has checked). Asked for curated evidence (the default), the
answer never drops candidates silently: the question is run with the candidates and their rows
are counted, then set apart, so the answer says how many it left out. A row is never a mixture:
each findings query groups by ``curation``, so the curated rows are the curated-only answer
(tests/test_candidates.py compares them with the query run with ``include=curated``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.query.catalog import NamedQuery, WorkLookup, choice, prepare
from graph.query.endpoints import Results, Target
from graph.vocabulary.concepts import Vocabulary

INCLUDE = "include"  # the parameter
CANDIDATES = "candidates"  # its value that takes the candidates in
CURATION = "curation"  # the column
CURATED = "curated"
MACHINE_EXTRACTED = "machine-extracted, unreviewed"


@dataclass(frozen=True)
class Answer:
    """The rows of a named query, and what a findings question left out of them.

    ``left_out`` counts the candidate findings set apart (distinct values of the ``finding``
    column), or, for an answer without that column (one row per drug, say), their rows.
    """

    results: Results
    left_out: int = 0
    # what left_out counts: "findings", "rows" (an aggregated answer), or "" when the question is
    # no findings question (nothing to leave out)
    counted: str = "findings"

    def note(self) -> str | None:
        """One line saying what was left out, or None when nothing was."""
        if not self.left_out:
            return None
        plural = "s" if self.left_out != 1 else ""
        what = (f"row{plural} drawn from {MACHINE_EXTRACTED} candidate findings"
                if self.counted == "rows" else f"{MACHINE_EXTRACTED} candidate finding{plural}")
        return (f"curated evidence only: {self.left_out} {what} left out "
                f"(--include candidates lists them)")

    def to_json(self) -> dict[str, object]:
        """SPARQL results JSON, with the count left out as a member of its own when a findings
        question was asked (readers of the standard members are not disturbed by it)."""
        document: dict[str, object] = self.results.to_json()
        if self.counted:
            document["left_out"] = {"candidates": self.left_out, "counted": self.counted}
        return document


def is_findings_question(query: NamedQuery) -> bool:
    """Whether ``query`` answers with findings that may be candidates (see the module)."""
    return (any(p.name == INCLUDE for p in query.parameters) and CURATION in query.columns)


def ask(
    target: Target, query: NamedQuery, values: Mapping[str, str], vocabulary: Vocabulary | None,
    lookup: WorkLookup, timeout: float | None = None,
) -> Answer:
    """The answer to ``query`` with ``values``; a findings question asked for curated evidence
    (``include`` absent or ``curated``) is run with the candidates, which are then counted and
    set apart."""
    if not is_findings_question(query):
        text = prepare(query, values, vocabulary, lookup)
        return Answer(target.select(text, str(query.path), timeout), counted="")
    param = next(p for p in query.parameters if p.name == INCLUDE)
    include = choice(param, values.get(INCLUDE, param.default or CURATED))
    text = prepare(query, {**values, INCLUDE: CANDIDATES}, vocabulary, lookup)
    results = target.select(text, str(query.path), timeout)
    if include == CANDIDATES:
        return Answer(results)
    kept = [row for row in results.rows if row.get(CURATION, {}).get("value") == CURATED]
    apart = [row for row in results.rows if row.get(CURATION, {}).get("value") != CURATED]
    if "finding" in results.variables:
        left_out, counted = len({row["finding"]["value"] for row in apart}), "findings"
    else:
        left_out, counted = len(apart), "rows"
    return Answer(Results(results.variables, kept, results.boolean), left_out, counted)
