"""Text tools every layout shares, so that each rule (numbering, page ranges, names) lives once.

Layouts work on :class:`Line` objects rather than bare strings because every record must point
back to its source: a line knows its 1-based number and its character offsets in the file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from graph.inputs.text import SourceText
from graph.records import Person, RawReference

NBSP = "\u00a0"
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
DOI_RE = re.compile(r"\b10\.\d{4,9}/\S+")
# "1. Text", "  29. Text": the list number and the rest of the line.
NUMBERED_RE = re.compile(r"^\s*(\d{1,4})\.\s+(.*)$")
_PAGES_RE = re.compile(r"^([A-Za-z]*)(\d+)\s*[-\u2010-\u2015]\s*([A-Za-z]*)(\d+)$")
_NAME_SEPARATOR_RE = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")
_NAME_MARKS = re.compile(r"[\d*\u2020\u2021\u00a7\u00b6#\u00b9\u00b2\u00b3\u2070-\u2079]+|"
                         r",?\s*\b(?:MD|PhD|MSc|MPH|MBBS|BSc|FRCP|DM|MS|RN)\b\.?")
_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")
_NAME_WORD = re.compile(r"^(?:[A-Z\u00c0-\u00de][\w'\u2019\u00e0-\u00ff.-]*|[A-Z]\.(?:-?[A-Z]\.)*|"
                        r"van|von|de|der|den|da|del|della|di|du|le|la|dos|das|y|bin|al|el)$")
_INITIALS = re.compile(r"^[A-Z\u00c0-\u00de]{1,3}$")


@dataclass(frozen=True)
class Line:
    """One line of a file, without its line break, and where it stands."""

    number: int  # 1-based
    start: int  # offset of its first character
    end: int  # offset just after its last character (the line break excluded)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets (a trailing ``\\r`` is not part of a line).

    >>> [(ln.number, ln.start, ln.text) for ln in split_lines("ab\\r\\n\\nc")]
    [(1, 0, 'ab'), (2, 4, ''), (3, 5, 'c')]
    """
    lines: list[Line] = []
    start = 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        body = chunk[:-1] if chunk.endswith("\r") else chunk
        lines.append(Line(number, start, start + len(body), body))
        start += len(chunk) + 1
    return lines


def squash(text: str) -> str:
    """Collapse every run of white space (line breaks, no-break spaces) into one plain space.

    >>> squash("  Yongpeng\\u00a0Ge \\n et al ")
    'Yongpeng Ge et al'
    """
    return " ".join(text.split())


def paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of non-blank lines; blank lines separate paragraphs."""
    result: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.blank:
            if current:
                result.append(current)
            current = []
        else:
            current.append(line)
    if current:
        result.append(current)
    return result


def block_text(lines: Sequence[Line]) -> str:
    """The text of a paragraph as printed: its lines, trimmed, kept on their own lines."""
    return "\n".join(line.stripped for line in lines)


def blocks_text(blocks: Sequence[str]) -> str | None:
    """Paragraph texts separated by a blank line, or None when there are none."""
    kept = [block for block in blocks if block.strip()]
    return "\n\n".join(kept) if kept else None


def first_index(lines: Sequence[Line], test: Callable[[Line], bool], start: int = 0) -> int | None:
    """Index of the first line from ``start`` on that passes ``test``, or None."""
    return next((i for i in range(start, len(lines)) if test(lines[i])), None)


def next_text_index(lines: Sequence[Line], start: int) -> int | None:
    """Index of the first non-blank line from ``start`` on."""
    return first_index(lines, lambda line: not line.blank, start)


def expand_pages(pages: str) -> tuple[str | None, str | None]:
    """First and last page, the last written out in full (journals abbreviate it).

    >>> expand_pages("70-2")
    ('70', '72')
    >>> expand_pages("2097\\u20132103")
    ('2097', '2103')
    >>> expand_pages("e98824")
    ('e98824', None)
    >>> expand_pages("S12-5")
    ('S12', 'S15')
    """
    pages = pages.strip().rstrip(".")
    if not pages:
        return None, None
    match = _PAGES_RE.match(pages)
    if not match:
        return pages, None
    prefix, first, end_prefix, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return prefix + first, (end_prefix or prefix) + last


def clean_doi(text: str) -> str | None:
    """A DOI lower-cased, without ``doi:``, resolver prefix or trailing punctuation.

    >>> clean_doi("doi: 10.1002/RCR2.52.")
    '10.1002/rcr2.52'
    """
    match = DOI_RE.search(text)
    return match.group(0).rstrip(".,;)]").lower() if match else None


def split_names(text: str) -> list[str]:
    """The names of a printed list "A, B, and C" in order (no-break spaces made plain).

    >>> split_names("Ahn, Song, Kim, and Kim")
    ['Ahn', 'Song', 'Kim', 'Kim']
    """
    return [name for name in _NAME_SEPARATOR_RE.split(squash(text)) if name]


def person_from_full_name(name: str) -> Person:
    """A "Given Names Family" name: the last word is the family name.

    >>> person_from_full_name("Michael S.\\u00a0Putman")
    Person(family='Putman', given='Michael S.')
    """
    words = squash(name).split(" ")
    return Person(words[-1], " ".join(words[:-1]))


def _person(name: str) -> Person | None:
    """One printed name, or None when it does not read as one."""
    words = squash(name).strip(" .,").split(" ")
    if not words or not 1 <= len(words) <= 5 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if len(words) >= 2 and _INITIALS.match(words[-1]):  # "Ge Y", "Labirua-Iturburu A"
        return Person(" ".join(words[:-1]), words[-1])
    if len(words) == 1:
        return None
    at = len(words) - 1  # "Anneke J van der Kooi": the particles belong to the family name
    while at > 1 and words[at - 1].islower():
        at -= 1
    return Person(" ".join(words[at:]), " ".join(words[:at]))


def byline(text: str, family_first: bool = False) -> tuple[Person, ...]:
    """The people of a printed author line, or nothing when it does not read as one.

    Takes "Given Family, Given Family and Given Family", "Family AB, Family CD", "Family, Given;
    Family, Given", one name a line or a bullet, a line wrapped after its commas, affiliation
    marks (digits, asterisks, daggers) and degrees, a leading "By" and a closing "et al".
    ``family_first`` reads a lone "Family, Given" (a labelled "Author:" line) as one person.

    >>> [p.display for p in byline("Jane Q Doe1, Richard Roe2* and Anneke J van der Kooi")]
    ['Doe Jane Q', 'Roe Richard', 'van der Kooi Anneke J']
    >>> byline("Rituximab in refractory myositis, a cohort")
    ()
    """
    text = re.sub(r"(?m)^\s*[\u2022\u00b7*-]\s+", "", text)  # one name a bullet
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # a byline wrapped over lines ends lines with a comma; otherwise it is one name a line
    wrapped = any(line.endswith((",", ";")) for line in lines[:-1])
    text = re.sub(r"^[Bb]y\s+", "", (" " if wrapped else ", ").join(lines))
    text = re.sub(r",?\s*\bet al\b\.?", "", _NAME_MARKS.sub("", text))
    if ";" in text or (family_first and text.count(",") == 1):  # "Family, Given; Family, Given"
        names = [" ".join(reversed(n.split(",", 1))) if "," in n else n
                 for n in squash(text).split(";")]
    else:
        names = _NAME_SEPARATOR.split(squash(text))
    people = [_person(n) for n in names if n.strip(" .")]
    if not people or any(p is None for p in people):
        return ()
    return tuple(p for p in people if p is not None)


def year_of(text: str) -> int | None:
    """The last plausible publication year in ``text`` (copyright and date lines end with it)."""
    years = YEAR_RE.findall(text)
    return int(years[-1]) if years else None


@dataclass
class Entry:
    """One list item being collected: its file lines and its text pieces (numbering removed)."""

    number: str | None
    lines: list[Line] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)

    def add(self, line: Line, piece: str) -> None:
        self.lines.append(line)
        self.pieces.append(piece)

    def extend(self, other: Entry) -> None:
        self.lines.extend(other.lines)
        self.pieces.extend(other.pieces)

    @property
    def text(self) -> str:
        return squash(" ".join(self.pieces))


ItemStart = Callable[[str], tuple[str | None, str] | None]


def numbered_item(text: str) -> tuple[str | None, str] | None:
    """Number and text of a "1. Text" list line, or None for any other line."""
    match = NUMBERED_RE.match(text)
    return (match.group(1), match.group(2)) if match else None


def scan_list(
    lines: Sequence[Line],
    start: int,
    item_start: ItemStart,
    *,
    is_noise: Callable[[str], bool] = lambda text: False,
    ends: Callable[[str], bool] = lambda text: False,
    blank_ends: bool = True,
) -> tuple[list[Entry], int]:
    """Collect list items from ``lines[start:]``; returns the items and the index where it stopped.

    A line accepted by ``item_start`` opens an item; other lines continue the open item. With
    ``blank_ends`` a non-item line after a blank line closes the list (page text follows);
    ``ends`` closes it at once; ``is_noise`` lines (link labels) belong to no item.
    """
    entries: list[Entry] = []
    after_blank = False
    for index in range(start, len(lines)):
        line = lines[index]
        if line.blank:
            after_blank = True
            continue
        if ends(line.text):
            return entries, index
        if is_noise(line.text):
            continue
        item = item_start(line.text)
        if item is not None:
            entries.append(Entry(item[0]))
            entries[-1].add(line, item[1])
        elif entries and not (blank_ends and after_blank):
            entries[-1].add(line, line.stripped)
        else:
            return entries, index
        after_blank = False
    return entries, len(lines)


def _counts_up(numbers: Sequence[str | None]) -> bool:
    """Whether every item has a printed number and the numbers count up by one."""
    values = [int(n) for n in numbers if n is not None and n.isdigit()]
    return len(values) == len(numbers) and all(b == a + 1 for a, b in pairwise(values))


def to_references(source: SourceText, entries: Sequence[Entry]) -> tuple[RawReference, ...]:
    """RawReferences of collected items, labelled by printed number or else by position.

    Printed numbers are kept only when every item has one and they count up by one; lists whose
    printing is broken (PubMed's "1." for every item, bullets turning into numbers) are
    labelled "1", "2", ... by position instead.
    """
    printed = _counts_up([entry.number for entry in entries])
    return tuple(
        RawReference(
            text=sys.intern(entry.text),  # one copy of a string many documents print
            line=source.line_of(entry.lines[0].start),
            label=entry.number if printed else str(position),
            span=(entry.lines[0].start, entry.lines[-1].end),
        )
        for position, entry in enumerate(entries, start=1)
    )
