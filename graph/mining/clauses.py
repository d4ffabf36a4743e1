"""The clauses of a sentence, so a number is read with the words of its own clause.

A results sentence often holds two findings: "FVC rose from 62% to 71% (p = 0.01), whereas DLCO
did not change (p = 0.4)"; "the forced vital capacity rose by 4.9% ..., and the diffusing capacity
by 6.3% ...". The candidate extractor binds each number to the drug, outcome and population named
in its clause first, then in its sentence (:mod:`graph.mining.candidates`). A sentence is cut,
outside brackets, by general grammar only:

* after a semicolon;
* before a contrasting conjunction: "whereas", "while", "but", "although", "though", "however";
* before "and" that opens a coordinated clause with its own subject: the words before it
  hold a number, and the words after it begin with a word (not a number, an amount or a time)
  and reach a number before any comma or bracket ("..., and the diffusing capacity by 6.3%",
  "... and in 40% of those on AZA"); "FVC and DLCO improved in 25/28 and 13/16" is no such cut
  (no number before "and DLCO", a number right after the second "and").

A bracket that names a subgroup ("(75% in anti-MDA5-positive patients)", "(among those given
rituximab, 8 of 10)") is a clause of its own inside the clause that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

# a number a result may hold: not a year ("between January 2008 and ...") nor a table's or a
# figure's number
_NOT_A_RESULT = r"(?<!Table\s)(?<!Figure\s)(?<!Fig\.\s)(?!(?:19|20)\d\d\b)"
_NUMBER = re.compile(rf"(?<![\w.\-/]){_NOT_A_RESULT}\d")
_CONTRAST = re.compile(r"(?:,\s*|\s+)(?=(?:whereas|while|but|although|though|however)\b)",
                       re.IGNORECASE)
# a subject, or a group ("and in 40% of those on AZA"); not an amount or a time ("and by 81% at
# 12 months", "and to 5 mg", "and at 1 year 60%": the same clause, its verb left out)
_AND = re.compile(r"(?:,\s*|\s+)(?=and\s+(?!(?:by|to|from|at|after|within|over|during|then)\b)"
                  r"(?P<subject>[A-Za-z](?:(?!\band\b)[^\d,;()\[\]$])*?)"
                  rf"(?<![\w.\-/]){_NOT_A_RESULT}\d)", re.IGNORECASE)
_SUBGROUP = re.compile(r"\b(?:in|among|for|with)\s+(?:the\s+|those\s+|all\s+)?(?![\d(])[A-Za-z]",
                       re.IGNORECASE)
_OPEN, _CLOSE = "([", ")]"


@dataclass(frozen=True)
class Clauses:
    """The clauses of one sentence: ``top`` cut from each other, ``subgroups`` in brackets;
    ``brackets`` holds the inside of every bracket of the sentence, nested ones too."""

    top: tuple[tuple[int, int], ...]
    subgroups: tuple[tuple[int, int], ...] = ()
    brackets: tuple[tuple[int, int], ...] = ()

    def of(self, offset: int) -> tuple[int, int]:
        """The innermost clause holding ``offset`` (the last one for the sentence's end)."""
        for start, end in self.subgroups:
            if start <= offset < end:
                return start, end
        for start, end in self.top:
            if start <= offset < end:
                return start, end
        return self.top[-1]

    def holds(self, clause: tuple[int, int], offset: int) -> bool:
        """Whether ``offset`` is in ``clause`` itself, not in a subgroup bracket within it."""
        return clause[0] <= offset < clause[1] and all(
            not a <= offset < b for a, b in self.subgroups if (a, b) != clause)

    def bracket_of(self, offset: int) -> tuple[int, int] | None:
        """The inside of the innermost bracket holding ``offset``, if any."""
        inside = [(a, b) for a, b in self.brackets if a <= offset < b]
        return max(inside, default=None)


def _depths(text: str, start: int, end: int) -> tuple[list[int], list[tuple[int, int, int]]]:
    """The bracket depth before each character of ``text[start:end]``, and every bracket's
    inside (without the brackets) with its depth, 1 for an outer one."""
    depths: list[int] = []
    brackets: list[tuple[int, int, int]] = []
    opened: list[int] = []
    for at in range(start, end):
        depths.append(len(opened))
        char = text[at]
        if char in _OPEN:
            opened.append(at + 1)
        elif char in _CLOSE and opened:
            brackets.append((opened.pop(), at, len(opened) + 1))
    return depths, brackets


def clauses(text: str, start: int, end: int) -> Clauses:
    """The clauses of the sentence ``text[start:end]``, by offsets into ``text``.

    >>> t = "FVC rose from 62% to 71% (p = 0.01; n = 9), whereas DLCO did not change (p = 0.4)."
    >>> [t[a:b] for a, b in clauses(t, 0, len(t)).top]
    ['FVC rose from 62% to 71% (p = 0.01; n = 9)', ', whereas DLCO did not change (p = 0.4).']
    >>> t = "FVC and DLCO rose by 4.9% and 6.1%, and the diffusing capacity by 6.3% at 1 year."
    >>> [t[a:b] for a, b in clauses(t, 0, len(t)).top]
    ['FVC and DLCO rose by 4.9% and 6.1%', ', and the diffusing capacity by 6.3% at 1 year.']
    >>> t = "Overall 60% responded (75% in anti-MDA5 patients)."
    >>> c = clauses(t, 0, len(t)); t[slice(*c.of(t.index("75")))]
    '75% in anti-MDA5 patients'
    """
    depths, brackets = _depths(text, start, end)

    def outside(at: int) -> bool:
        return start <= at < end and depths[at - start] == 0

    cuts = {at + 1 for at in range(start, end) if text[at] == ";" and outside(at)}
    cuts |= {m.start() for m in _CONTRAST.finditer(text, start, end)
             if outside(m.start()) and m.start() > start}
    last = start
    for m in _AND.finditer(text, start, end):
        if not outside(m.start()):
            continue
        begun = max([last, *(c for c in cuts if c <= m.start())])
        if _NUMBER.search(text, begun, m.start()) and not any(
                depths[at - start] for at in range(m.start(), m.end("subject"))):
            cuts.add(m.start())
            last = m.start()
    bounds = sorted({start, end} | {c for c in cuts if start < c < end})
    top = tuple(pairwise(bounds))
    subgroups = tuple((a, b) for a, b, depth in brackets if depth == 1
                      and _SUBGROUP.search(text, a, b) and _NUMBER.search(text, a, b))
    return Clauses(top, subgroups, tuple(sorted((a, b) for a, b, _depth in brackets)))
