"""Citation contexts: each sentence of a document's body that cites an entry of its reference list.

A document's in-text citations are found from the markers it prints, whatever the layout: numbers
in superscript (``<sup>25,26</sup>`` in text converted from HTML or markdown, Unicode ``¹⁷``),
in brackets (``[11-14]``, en dash or hyphen), in parentheses (``(3)``) or in JATS
``<xref ref-type="bibr">`` elements, with lists and ranges expanded, and author-date forms
("(Ge et al. 2015)", "Ge et al. (2015)", "Bohan and Peter 1975") matched to entries by first
author and year. A document uses one numeric style: the one that resolves most entries is taken,
so an enumeration such as "(1) any worsening ... (2) ..." in a superscript-cited article is not
read as citations.

The body is the text between the abstract and the reference list; in marked-up text (JATS XML)
only the ``<p>`` elements in it are prose. Each sentence stands in the section of the last heading
before it (introduction, methods, results, discussion, conclusion; text before the first heading
is the introduction). Offsets point into the document's text, like every quote of the graph.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from graph.citations.references import parse_reference
from graph.errors import ReferenceParseError
from graph.evidence.findings import Quote
from graph.mining.language import sentences
from graph.records import Document, RawReference, unpickled_by_slots

CONTEXT = 32  # characters of prefix and suffix kept with a quote (as for curated quotes)
MAX_RANGE = 50  # "11-14" is a range of entries; "1998-2014" (years: four digits) is none

_NUMBERS = r"\d{1,4}(?:\s*[,;\u2010-\u2014-]\s*\d{1,4})*"
_SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS + "\u207b", "0123456789-")
NUMERIC_KINDS: dict[str, re.Pattern[str]] = {
    "superscript": re.compile(
        rf"<sup>\s*({_NUMBERS})\s*</sup>"
        rf"|(?<=[^\s\d{_SUPERSCRIPT_DIGITS}])([{_SUPERSCRIPT_DIGITS}]+"
        rf"(?:[,\u207b\u2013-][{_SUPERSCRIPT_DIGITS}]+)*)"),
    "xref": re.compile(rf"<xref\b[^>]*ref-type=\"bibr\"[^>]*>\s*({_NUMBERS})\s*</xref>"),
    "bracket": re.compile(rf"\[\s*({_NUMBERS})\s*\]"),
    "parenthesis": re.compile(rf"\(\s*({_NUMBERS})\s*\)"),
}
_NAME = r"[A-Z\u00c0-\u00de][\w'\u2019-]+(?:[ -][A-Z\u00c0-\u00de][\w'\u2019-]+)?"
AUTHOR_DATE = re.compile(
    rf"(?P<name>{_NAME})(?P<etal>,?\s+et\s+al\.?)?(?:\s+(?:and|&)\s+{_NAME})?,?\s*"
    r"(?:\(\s*(?P<y1>(?:1[89]|20)\d\d)(?P<s1>[a-z])?\s*\)|(?P<y2>(?:1[89]|20)\d\d)(?P<s2>[a-z])?\b)"
)
SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in (
        ("introduction", r"introduction|background"),
        ("methods", r"(?:(?:materials?|patients|subjects|participants)(?: and |, ))?"
                    r"(?:methods?|materials?)|methodology|study design|experimental"),
        ("results", r"results?(?: and discussion)?|findings"),
        ("discussion", r"discussion"),
        ("conclusion", r"conclusions?|concluding remarks|summary"),
        ("other", r"acknowledge?ments?|funding|disclosures?|conflicts? of interest"
                  r"|competing interests|abbreviations"),
    ))
_HEADING_MARKS = re.compile(r"^[#\s*_]*(?:\d+(?:\.\d+)*\.?\s+)?|[\s*_:.]*$")
_XML_HEADING = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_XML_PROSE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
_ENDS_SENTENCE = re.compile(r"[.?!:]\s*(?:<sup>[^<]*</sup>|\[[^\]]*\])?\s*$")


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Context:
    """One sentence citing one reference entry (``reference``: its index in the list)."""

    reference: int
    sentence: Quote  # the sentence, its offsets in the document's text and its line
    section: str | None  # a name of SECTIONS, or None where no heading says
    heading: str | None  # the heading as printed
    markers: tuple[str, ...]  # the markers as printed ("<sup>25,26</sup>")

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def exact(self) -> str:
        return self.sentence.exact


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Contexts:
    """A document's citation contexts, and what did not fit: markers and entries left over."""

    found: tuple[Context, ...] = ()
    unresolved: tuple[tuple[int, str], ...] = ()  # (line, marker) pointing to no entry
    uncited: tuple[int, ...] = ()  # indexes of entries no sentence cites
    body: bool = True  # False: the document has no body text, so nothing was looked for

    def of(self, reference: int) -> tuple[Context, ...]:
        return tuple(c for c in self.found if c.reference == reference)


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _line_of(starts: list[int], offset: int) -> int:
    """The 1-based line holding ``offset``, by bisection (a long text has many contexts)."""
    return bisect_right(starts, offset)


def expand(numbers: str) -> list[int] | None:
    """The numbers a marker lists, ranges expanded; None for what is no list of citations.

    >>> expand("9,18\u201320"), expand("25, 26"), expand("1998-2014")
    ([9, 18, 19, 20], [25, 26], None)
    """
    found: list[int] = []
    for part in re.split(r"\s*[,;]\s*", numbers.translate(_SUPERSCRIPT).strip()):
        ends = [int(n) for n in re.split(r"\s*[\u2010-\u2014-]\s*", part) if n]
        if len(ends) == 1:
            found.append(ends[0])
        elif len(ends) == 2 and 0 < ends[1] - ends[0] <= MAX_RANGE and ends[0] < 1000:
            found.extend(range(ends[0], ends[1] + 1))
        else:
            return None
    return found


def section_of(heading: str) -> str | None:
    """The kind of section a heading opens, or None when it names none.

    >>> section_of("## MATERIALS AND METHODS"), section_of("2. Patients and methods"), \
section_of("Key Indexing Terms:")
    ('methods', 'methods', None)
    """
    name = _HEADING_MARKS.sub("", heading).strip().lower()
    if not name or len(name.split()) > 6:
        return None
    return next((kind for kind, pattern in SECTIONS if pattern.fullmatch(name)), None)


def _body(document: Document) -> tuple[int, int] | None:
    """From the end of the abstract (else the start) to the first reference entry.

    A reader that took everything up to the references for the abstract leaves the body inside
    it: a section heading on a line of its own there (not "Methods:" leading a paragraph of a
    structured abstract) starts the body instead.
    """
    text = document.text
    starts = [r.span[0] for r in document.references if r.span]
    if not starts:
        lines = _line_starts(text)
        starts = [lines[min(r.line, len(lines)) - 1] for r in document.references]
    end = min(starts, default=0)
    start = 0
    abstract = document.abstract or ""
    if abstract:
        head = text.find(abstract[:40], 0, end)
        tail = text.find(abstract[-40:], max(head, 0), end)
        start = tail + len(abstract[-40:]) if tail >= 0 else 0
        if 0 <= head < start:
            inside = [at for at, section, _ in _headings(text, head + 1, start, False)
                      if section != "other"]
            start = inside[0] if inside else start
    return (start, end) if end > start else None


def _headings(text: str, start: int, end: int, marked_up: bool) -> list[tuple[int, str, str]]:
    """(offset, section, heading as printed) of each heading of the body that names a section."""
    found = []
    if marked_up:
        for m in _XML_HEADING.finditer(text, start, end):
            section = section_of(re.sub(r"<[^>]+>", "", m.group(1)))
            if section:
                found.append((m.start(), section, m.group(1).strip()))
        return found
    offset = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped and (stripped.startswith("#") or not stripped.endswith(".")):
            section = section_of(stripped)
            if section:
                found.append((offset, section, _HEADING_MARKS.sub("", stripped)))
        offset += len(line) + 1
    return found


def _prose(text: str, start: int, end: int, marked_up: bool) -> list[tuple[int, int]]:
    if marked_up:
        return [m.span(1) for m in _XML_PROSE.finditer(text, start, end)]
    return [(start, end)]


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of ``text[start:end]``; a sentence a page break cut in two is joined again."""
    spans = [(start + s.start, start + s.end) for s in sentences(text[start:end]) if not s.row]
    pending: tuple[int, int] | None = None
    for span in spans:
        if pending is not None:
            gap = text[pending[1]:span[0]]
            if (not gap.strip() and not _ENDS_SENTENCE.search(text[pending[0]:pending[1]])
                    and text[span[0]].islower()):
                pending = (pending[0], span[1])
                continue
            yield pending
        pending = span
    if pending is not None:
        yield pending


def _labels(references: tuple[RawReference, ...]) -> dict[int, int]:
    """Entry number -> index: the printed label where there is one, else the place in the list."""
    labels: dict[int, int] = {}
    for index, ref in enumerate(references):
        label = (ref.label or "").strip().rstrip(".")
        labels.setdefault(int(label) if label.isdigit() else index + 1, index)
    return labels


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
                   ).casefold()


def _first_author(ref: RawReference) -> tuple[str, int] | None:
    """The first author's family name (folded) and the year of an entry, as parsed."""
    try:
        fields = parse_reference(ref).fields
    except ReferenceParseError:
        return None
    if not fields.authors or not fields.year:
        return None
    return _fold(fields.authors[0].family), fields.year


def _author_date(references: tuple[RawReference, ...]) -> dict[tuple[str, int], list[int]]:
    keys: dict[tuple[str, int], list[int]] = {}
    for index, ref in enumerate(references):
        key = _first_author(ref)
        if key:
            keys.setdefault(key, []).append(index)
    return keys


def _numeric(kind: re.Pattern[str], sentence: str, labels: dict[int, int]
             ) -> Iterator[tuple[str, list[int], list[int]]]:
    """(marker, indexes of entries it cites, numbers pointing to no entry) of each marker."""
    for m in kind.finditer(sentence):
        numbers = expand(next(g for g in m.groups() if g))
        if numbers is None:
            continue
        yield (m.group(0), [labels[n] for n in numbers if n in labels],
               [n for n in numbers if n not in labels])


def _dated(sentence: str, keys: dict[tuple[str, int], list[int]]
           ) -> Iterator[tuple[str, list[int], bool]]:
    """(marker, entries, whether it looks like a citation) of each author-date form."""
    for m in AUTHOR_DATE.finditer(sentence):
        year = int(m["y1"] or m["y2"])
        entries = keys.get((_fold(m["name"]), year), [])
        suffix = m["s1"] or m["s2"]
        if suffix and len(entries) > 1:
            place = ord(suffix) - ord("a")
            entries = entries[place:place + 1]
        yield m.group(0), entries, bool(m["etal"])


def _choose_kind(text: str, spans: list[tuple[int, int]], labels: dict[int, int]
                 ) -> re.Pattern[str] | None:
    """The numeric marker style the document uses: the one that resolves most entries."""
    best, best_count = None, 0
    for kind in NUMERIC_KINDS.values():
        cited = {i for a, b in spans for _, found, _ in _numeric(kind, text[a:b], labels)
                 for i in found}
        if len(cited) > best_count:
            best, best_count = kind, len(cited)
    return best


def find_contexts(document: Document) -> Contexts:
    """Every (sentence, entry) citation of a document with a body and a reference list."""
    references = document.references
    body = _body(document) if references and document.record is None else None
    if body is None:
        return Contexts(body=False)
    text = document.text
    marked_up = bool(_XML_PROSE.search(text, *body))
    headings = _headings(text, *body, marked_up)
    default = "introduction" if headings else None
    spans = [s for region in _prose(text, *body, marked_up) for s in _sentences(text, *region)]
    labels, keys = _labels(references), _author_date(references)
    lines = _line_starts(text)
    kind = _choose_kind(text, spans, labels)
    found: list[Context] = []
    unresolved: list[tuple[int, str]] = []
    for start, end in spans:
        sentence = text[start:end]
        cites: dict[int, list[str]] = {}
        markers = list(_numeric(kind, sentence, labels)) if kind else []
        for marker, entries, missing in markers:
            for index in entries:
                cites.setdefault(index, []).append(marker)
            if missing:
                unresolved.append((_line_of(lines, start), marker))
        for marker, entries, citation_like in _dated(sentence, keys):
            for index in entries:
                cites.setdefault(index, []).append(marker)
            if not entries and citation_like:
                unresolved.append((_line_of(lines, start), marker))
        if not cites:
            continue
        before = [h for h in headings if h[0] <= start]
        section, heading = (before[-1][1], before[-1][2]) if before else (default, None)
        for index, printed in sorted(cites.items()):
            found.append(Context(
                index, Quote(sentence, start, end, text[max(0, start - CONTEXT):start],
                             text[end:end + CONTEXT], _line_of(lines, start)),
                section, heading, tuple(dict.fromkeys(printed))))
    if not found and not headings:
        return Contexts(body=False)  # nothing between abstract and references reads as a body
    cited = {c.reference for c in found}
    return Contexts(tuple(found), tuple(unresolved),
                    tuple(i for i in range(len(references)) if i not in cited))
