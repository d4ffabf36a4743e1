"""Sentence boundaries of a document's prose, by offsets (table rows are sentences of their own).

A paragraph is cut after ``.``, ``!`` or ``?`` (and any closing quote or bracket) where the next
word opens with a capital letter or a digit, except after an abbreviation (:data:`_ABBREVIATIONS`,
"et al.", "e.g.", "Fig.") or a single initial ("N. Sharma"). A sentence never crosses a blank
line, a table row or a heading (markdown, or a section's name alone on its line: "Results"),
and none is longer than :data:`MAX_SENTENCE` characters.
Measured against spaCy's sentencizer and pysbd in ``docs/nlp-components.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from graph.mining.sections import is_heading_line

_ABBREVIATIONS = frozenset((
    "al", "vs", "e.g", "i.e", "eg", "ie", "dr", "drs", "mr", "mrs", "ms", "prof", "fig", "figs",
    "no", "nos", "vol", "pp", "ed", "eds", "approx", "ca", "cf", "st", "jr", "sr", "resp", "ref",
    "refs", "inc", "ltd", "co", "corp", "dept", "univ", "suppl",
))
# a full stop before a capital or digit, or before a markup tag (XML or HTML text mined as it is
# filed: "... high-resolution CT.</AbstractText>" ends its sentence)
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]*]*"
                       r"(?=\s+[\"'\u201c\u2018(\[*$]*[A-Z\d]|\s*</?[A-Za-z])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_WORD_CHARS = 100  # the word before a full stop is read from at most this many characters back
# No prose sentence is this long: a longer span (text without full stops, a flattened table, a
# hostile record) is cut at clause marks or spaces, so that the work per sentence, and mining as a
# whole, stays linear in the length of the text.
MAX_SENTENCE = 2000
_CLAUSE_END = re.compile(r"[;,]\s|\s")


def _is_row(line: str) -> bool:
    return "\t" in line.strip("\r\n") or line.lstrip().startswith("|")


def paragraph_blocks(text: str) -> list[tuple[int, int, bool]]:
    """Paragraphs, table rows and headings as (start, end, is_row); blank lines end paragraphs."""
    blocks: list[tuple[int, int, bool]] = []
    start: int | None = None
    end = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        content = line.rstrip("\r\n")
        single = (_is_row(line) or content.lstrip().startswith("#")
                  or is_heading_line(content))
        if not content.strip() or single:
            if start is not None:
                blocks.append((start, end, False))
                start = None
            if content.strip():
                blocks.append((line_start, line_start + len(content), _is_row(line)))
            continue
        if start is None:
            start = line_start
        end = line_start + len(content)
    if start is not None:
        blocks.append((start, end, False))
    return blocks


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, at = [], start
    for match in _BOUNDARY.finditer(text, start, end):
        word = _WORD_BEFORE.search(text, max(at, match.start() - _WORD_CHARS), match.start())
        token = word.group(1).lower().lstrip("([{*\"'\u201c") if word else ""
        if token.rstrip(".") in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        spans.append(trim(text, _past_markup(text, at, match.end()), match.end()))
        at = match.end()
    spans.append(trim(text, _past_markup(text, at, end), end))
    return [s for s in spans if s[1] > s[0]]


_MARKUP = re.compile(r"(?:\s*</?[A-Za-z][^<>]{0,300}>)+\s*")


def _past_markup(text: str, start: int, end: int) -> int:
    """Where a sentence's words begin: past the tags that open it (``</p><p>``) when the text is
    mined as filed (XML), so its quote holds no markup before its first word."""
    m = _MARKUP.match(text, start, end)
    return m.end() if m else start


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start:end`` as pieces of at most :data:`MAX_SENTENCE` characters, cut after a clause
    mark where there is one in the second half of a piece, else after a space, else anywhere.

    >>> [len(p) for p in (lambda t: [t[a:b] for a, b in _bounded(t, 0, len(t))])("ab " * 1500)]
    [1997, 1997, 503]
    """
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cuts = [m.end() for m in _CLAUSE_END.finditer(text, start + MAX_SENTENCE // 2, limit)]
        clause = [c for c in cuts if text[c - 2] in ";,"]
        cut = (clause or cuts or [limit])[-1]
        pieces.append(trim(text, start, cut))
        start = cut
    pieces.append(trim(text, start, end))
    return [p for p in pieces if p[1] > p[0]]


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose or one table row, by offsets into the text."""

    start: int
    end: int
    row: bool = False


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order; every table row (tab- or pipe-separated) is one.

    Sentences never cross a blank line, a table row or a heading.

    >>> t = "Dr. N. Sharma et al. found it. It was 12.5 mg.\\nIt rose.\\n\\nNext\\t1\\t2"
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Dr. N. Sharma et al. found it.', 'It was 12.5 mg.', 'It rose.', 'Next\\t1\\t2']
    >>> t = "Results\\nNine of 12 improved."
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Results', 'Nine of 12 improved.']
    """
    return split_blocks(text, _split_paragraph)


ParagraphSplitter = Callable[[str, int, int], list[tuple[int, int]]]


def split_blocks(text: str, split_paragraph: ParagraphSplitter) -> list[Sentence]:
    """The sentences of ``text``, each paragraph ``text[start:end]`` cut by ``split_paragraph``
    (into spans of ``text``); rows, headings, blank lines and the length bound stay as above, so
    another splitter can be compared paragraph for paragraph."""
    found: list[Sentence] = []
    for start, end, row in paragraph_blocks(text):
        if row:
            found.extend(Sentence(s, e, True) for s, e in _bounded(text, *trim(text, start, end)))
            continue
        found.extend(Sentence(a, b) for s, e in split_paragraph(text, start, end)
                     for a, b in _bounded(text, *trim(text, s, e)))
    return found


def sentence_index(
    spans: list[Sentence], offset: int, starts: list[int] | None = None
) -> int | None:
    """The index of the sentence holding ``offset``, or None (``starts``: their start offsets)."""
    starts = [s.start for s in spans] if starts is None else starts
    index = bisect_left(starts, offset + 1) - 1
    if index >= 0 and spans[index].start <= offset < spans[index].end:
        return index
    return None
