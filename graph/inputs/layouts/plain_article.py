"""Any article as plain text: the fallback layout, tried after every page-specific one.

Written for the pages people hold that no specific layout knows (other publishers' article
pages, a research letter, a repository record, text taken from a PDF or HTML page). It looks for
what journals print everywhere rather than for one site's furniture:

* the title: a ``Title:`` line, or the first paragraph of the head that is no furniture, article
  type, locator, date or identifier line;
* the authors: an ``Authors:``/``By`` line or the paragraph under the title when it reads as a
  list of names ("Given Family, Given Family and Given Family" or "Family AB, Family CD");
* journal, year, volume, issue and pages from a locator line in any of the common shapes
  ("Journal. 2014;53(7):1234-40", "Journal, April 2013, 40 (4) 484-492", "Journal 2021, 10,
  1234", "Volume 53, Issue 7, Pages 1234-1240", labelled "Journal:"/"Volume:" lines) or, failing
  those, from the article's own citation ("Cite this article: ...") read as a reference string;
* DOI (also as a ``https://doi.org/`` link), PMID and PMCID wherever the head prints them;
* the abstract under an "Abstract"/"Summary" heading (structured abstracts kept whole), the
  sections after it as the body, and the reference list under "References" (or "Bibliography",
  "Literature cited", ...), numbered ("1.", "[1]", "1)"), author-date or unnumbered (one entry a
  paragraph, or one a line).

It recognises any text with a title and one sign of an article (a year, an identifier, an
abstract, section or reference heading); what it cannot find stays empty and is reported
(:meth:`graph.records.Document.unread`), so a document goes in with what could be read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.citations.references import parse_reference
from graph.errors import InputError
from graph.inputs.layouts._text import (
    Entry,
    Line,
    block_text,
    blocks_text,
    byline,
    clean_doi,
    expand_pages,
    paragraphs,
    scan_list,
    split_lines,
    squash,
    to_references,
)
from graph.inputs.readers import Layout
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "plain-article"

YEAR_RE = re.compile(r"\b(?:19\d\d|20[0-3]\d)\b")  # a page number such as 2097 is no year

_PAGES = r"(?P<pages>[A-Za-z]?\d+(?:\s*[-\u2010-\u2015]\s*[A-Za-z]?\d+)?)"
_JOURNAL = r"(?P<journal>[A-Z][^;:\d]*?)"
# "Rheumatology (Oxford). 2014 Jul;53(7):1234-40" / "Arthritis Rheumatol 2019; 71(4): 640-649"
_LOCATORS = (
    re.compile(_JOURNAL + r"[.,]?\s+(?P<year>(?:19|20)\d\d)(?:\s+[A-Z][a-z]{2,8}\.?"
               r"(?:\s+\d{1,2})?)?\s*;\s*(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]+)\))?"
               r"\s*:\s*" + _PAGES),
    # "The Journal of Rheumatology, April 2013, 40 (4) 484-492"
    re.compile(_JOURNAL + r",\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\.?\s+(?:\d{1,2},?\s+)?)?"
               r"(?P<year>(?:19|20)\d\d),\s*(?:[Vv]ol\.?\s*)?(?P<volume>\d+[A-Za-z]?)\s*"
               r"(?:\((?P<issue>[^)]+)\))?\s*[,:]?\s*(?:pp?\.\s*)?" + _PAGES + r"\.?$"),
    # "J Clin Med 2021, 10(4), 1234" / "Clin Rheumatol. 2020, 39, 1081-1089"
    re.compile(_JOURNAL + r"[.,]?\s+(?P<year>(?:19|20)\d\d),\s*(?P<volume>\d+[A-Za-z]?)\s*"
               r"(?:\((?P<issue>[^)]+)\))?,\s*(?:pp?\.\s*)?" + _PAGES + r"\.?$"),
)
_VOLUME_RE = re.compile(r"\bVol(?:ume)?\.?:?\s*(\d+[A-Za-z]?)\b", re.IGNORECASE)
_ISSUE_RE = re.compile(r"\b(?:Issue|No|Number)\.?:?\s*(\d+[A-Za-z-]*)\b", re.IGNORECASE)
_PAGES_RE = re.compile(r"\b(?:pp\.?|p\.|Pages?:?)\s*" + _PAGES, re.IGNORECASE)
_DOI_RE = re.compile(r"(?:\bdoi:?\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\"<>]+)",
                     re.IGNORECASE)
_PMID_RE = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_PMCID_RE = re.compile(r"\b(PMC\d{4,9})\b")
_LABEL_RE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{1,20}):\s*(?P<value>.+)$")
# Labels of the fields a head prints as "Label: value" ("Adult Polymyositis: A Trial" is no label)
_FIELD_LABELS = frozenset({
    "journal", "source", "published in", "year", "date", "published", "volume", "issue", "pages",
    "doi", "pmid", "pmcid", "author", "authors", "by", "keywords", "citation", "type", "received",
    "accepted", "publisher", "issn", "copyright", "correspondence", "article type", "cite as",
    "how to cite", "to cite", "affiliation", "affiliations", "language", "funding", "epub",
})
_CITE_LABEL_RE = re.compile(r"^(?:cite this article|cite as|citation|how to cite(?: this "
                            r"article)?|to cite|source)\s*:?\s*", re.IGNORECASE)
_HEADING_NUMBER_RE = re.compile(r"^(?:#{1,6}\s*|\d{1,2}(?:\.\d{1,2})*\.?\s+)")
_MENU_RE = re.compile(r"^[^|]{1,40}(?:\s\|\s[^|]{1,40})+$")
_REFERENCE_HEADINGS = frozenset({"references", "bibliography", "literature cited",
                                 "reference list", "works cited", "cited literature"})
_ABSTRACT_HEADINGS = frozenset({"abstract", "summary"})
_INLINE_ABSTRACT_RE = re.compile(r"^(?:abstract|summary)\s*[:.]\s+\S", re.IGNORECASE)
# Labels inside a structured abstract: a heading of these does not end the abstract.
_ABSTRACT_PARTS = frozenset({
    "background", "objective", "objectives", "aim", "aims", "purpose", "introduction and aims",
    "methods", "method", "patients and methods", "design", "setting", "participants",
    "results", "findings", "conclusion", "conclusions", "interpretation", "measurements",
    "main outcome measures", "background and objectives", "materials and methods",
})
_END_OF_REFERENCES = re.compile(
    r"^(?:figures?|tables?|acknowledg\w*|footnotes|supplementary\b.*|author information|"
    r"similar articles|cited by|related articles|copyright\b.*|about this article|"
    r"funding|conflicts? of interest|competing interests|publisher'?s note)\s*:?$",
    re.IGNORECASE,
)
_ARTICLE_TYPES = frozenset({
    "article", "research article", "original article", "original research", "research letter",
    "letter", "letter to the editor", "brief report", "concise report", "case report",
    "case series", "review", "review article", "systematic review", "editorial",
    "correspondence", "clinical trial", "original investigation", "research", "short report",
    "observational study", "open access", "full text", "news", "report",
})
_FURNITURE = re.compile(
    r"^(?:skip to (?:main )?(?:page )?content|menu|search|sign in|log in|share|download pdf|"
    r"view pdf|open access|advertisement|home|full text links?|article navigation)\b",
    re.IGNORECASE,
)
_TAGGED_RE = re.compile(r"^[A-Z][A-Z0-9]{1,3}\s{0,3}-(?:\s|$)")
_BIBTEX_RE = re.compile(r"^\s*@\w+\s*\{")
_ENTRY_NUMBER = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+(.*)$")


def _heading(line: Line) -> str:
    """A line's text as a heading: numbering, markdown marks and a final colon dropped."""
    return _HEADING_NUMBER_RE.sub("", line.stripped).rstrip(":").strip().lower()


def _is_heading_text(text: str) -> bool:
    """A short line with no final stop that reads as a section heading ("2. Methods")."""
    text = text.strip()
    words = text.split()
    return (0 < len(words) <= 8 and not text.endswith((".", ",", ";"))
            and text[:1].isupper() | text[:1].isdigit() | text.startswith("#")
            and not _LABEL_RE.match(text))


def _index_of(lines: Sequence[Line], names: frozenset[str], start: int = 0) -> int | None:
    """Index of the first line from ``start`` that is one of the headings ``names``."""
    return next((i for i in range(start, len(lines)) if _heading(lines[i]) in names), None)


def _references_at(lines: Sequence[Line]) -> int | None:
    """The last reference heading: a page may name "References" in its menu before the list."""
    found = [i for i, line in enumerate(lines) if _heading(line) in _REFERENCE_HEADINGS]
    return found[-1] if found else None


def _record_like(lines: Sequence[Line]) -> bool:
    """A record file (tagged "TY  - " or "PMID- " lines, BibTeX "@", XML), broken or not.

    A record file no format could read is refused as one, never read as an article's prose.
    """
    first = next((line.stripped for line in lines
                  if not line.blank and not line.stripped.startswith("%")), "")
    return (bool(_TAGGED_RE.match(first)) or first.startswith("<")
            or any(_BIBTEX_RE.match(line.text) for line in lines))


def recognises(text: str) -> bool:
    """A title and one sign of an article: a year, an identifier or an article heading."""
    lines = split_lines(text)
    if _record_like(lines):
        return False
    if _title_at(paragraphs(lines)) is None:
        return False
    headings = _REFERENCE_HEADINGS | _ABSTRACT_HEADINGS | {"introduction", "methods", "results"}
    return bool(YEAR_RE.search(text) or _DOI_RE.search(text) or _PMID_RE.search(text)
                or any(_heading(line) in headings for line in lines))


# --- the head: title, authors, locator, identifiers ---------------------------------------------


def _is_furniture(text: str) -> bool:
    text = squash(text)
    low = text.lower()
    return (bool(_FURNITURE.match(text)) or bool(_MENU_RE.match(text))
            or low.startswith(("copyright", "\u00a9", "http://", "https://", "www."))
            or low in _ARTICLE_TYPES)


def _locator(text: str) -> re.Match[str] | None:
    return next((m for pattern in _LOCATORS if (m := pattern.search(text))), None)


def _is_field_line(text: str) -> bool:
    """A line of the head that holds fields, not a title: locator, identifiers, labels, dates."""
    text = squash(text)
    if _locator(text) or _DOI_RE.search(text) or _PMID_RE.search(text) or (
            _VOLUME_RE.search(text) and _PAGES_RE.search(text)):
        return True
    label = _LABEL_RE.match(text)
    if label and label["label"].strip().lower() in _FIELD_LABELS:
        return True
    words = text.split()
    return sum(1 for w in words if YEAR_RE.fullmatch(w.strip(".,;()")) or w.strip(".,").isdigit()
               ) * 2 >= len(words)


def _title_at(blocks: Sequence[Sequence[Line]]) -> int | None:
    """Index of the block holding the title (a ``Title:`` line, else the first plausible one)."""
    for i, block in enumerate(blocks):
        label = _LABEL_RE.match(block[0].stripped)
        if label and label["label"].lower() == "title":
            return i
    for i, block in enumerate(blocks[:12]):
        text = squash(block_text(block)).lstrip("#").strip()
        words = text.split()
        if (_is_furniture(text) or any(_is_field_line(line.stripped) for line in block)
                or not 3 <= len(words) <= 60
                or _heading(block[0]) in _ABSTRACT_HEADINGS | _REFERENCE_HEADINGS):
            continue
        if text.endswith(".") and len(words) > 40:
            return None  # prose before any title: no title printed
        return i
    return None


def _title(block: Sequence[Line]) -> str:
    text = squash(block_text(block)).lstrip("#").strip()
    label = _LABEL_RE.match(block[0].stripped)
    if label and label["label"].lower() == "title":
        text = label["value"]
    return text.rstrip(".")


def _authors(text: str) -> tuple[Person, ...]:
    """The names of an author line ("Authors:", "By" or bare), or nothing when it is not one."""
    label = _LABEL_RE.match(text)
    labelled = bool(label and label["label"].lower() in ("authors", "author", "by"))
    return byline(label["value"] if labelled and label else text, family_first=labelled)


def _labelled_fields(lines: Sequence[Line]) -> dict[str, str]:
    """Fields from "Label: value" lines (Journal, Year, Volume, Issue, Pages, Published)."""
    found: dict[str, str] = {}
    for line in lines:
        m = _LABEL_RE.match(line.stripped)
        if m:
            found.setdefault(m["label"].strip().lower(), m["value"].strip())
    return found


def _identifiers(text: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    if (doi := _DOI_RE.search(text)) and (cleaned := clean_doi(doi.group(1))):
        ids["doi"] = cleaned
    if pmid := _PMID_RE.search(text):
        ids["pmid"] = pmid.group(1)
    if pmcid := _PMCID_RE.search(text):
        ids["pmcid"] = pmcid.group(1)
    return ids


def _own_citation(blocks: Sequence[Sequence[Line]], title: str | None) -> Bibliographic | None:
    """The article's own citation in the head, read as a reference string, if it has one."""
    wanted = squash(title or "").casefold()
    for block in blocks:
        text = squash(block_text(block))
        labelled = bool(_CITE_LABEL_RE.match(text))
        text = _CITE_LABEL_RE.sub("", text)
        if not (labelled or (wanted and wanted in text.casefold())) or len(text.split()) < 6:
            continue
        try:
            fields = parse_reference(RawReference(text, block[0].number)).fields
        except InputError:
            continue
        if fields.journal or fields.volume:
            return fields
    return None


def _journal_of(text: str) -> str:
    """The journal of a locator, without the authors and title a citation prints before it.

    >>> _journal_of("Noss EH, Weinblatt ME. Rituximab as therapy for myositis. J Rheumatol")
    'J Rheumatol'
    >>> _journal_of("J. Clin. Med"), _journal_of("Rheumatology (Oxford)")
    ('J. Clin. Med', 'Rheumatology (Oxford)')
    """
    segments = squash(text).strip(" .,").split(". ")
    kept = [segments[-1]]
    for segment in reversed(segments[:-1]):
        if len(segment.split()) > 3:
            break
        kept.insert(0, segment)
    return ". ".join(kept)


def _scattered_fields(lines: Sequence[Line], labelled: dict[str, str]) -> dict[str, str | None]:
    """Journal, year, volume, issue and pages printed apart: "Volume 53, Issue 7, Pages ...".

    The journal is a "Journal:" label, else what precedes "Volume" on its line, else the line
    above it; the year a "Year:"/"Published:" label, else the year on the volume's line.
    """
    joined = squash(" ".join(line.stripped for line in lines))
    volume, issue, pages = (_VOLUME_RE.search(joined), _ISSUE_RE.search(joined),
                            _PAGES_RE.search(joined))
    journal = labelled.get("journal") or labelled.get("published in") or labelled.get("source")
    at = next((i for i, ln in enumerate(lines) if _VOLUME_RE.search(ln.stripped)), None)
    where = lines[at].stripped if at is not None else ""
    if journal is None and at is not None:
        journal = where[: _VOLUME_RE.search(where).start()].strip(" ,.;")  # type: ignore[union-attr]
        above = lines[at - 1].stripped if at > 0 and lines[at - 1].number == lines[at].number - 1 \
            else ""
        journal = journal or (above if above and not _is_furniture(above) else None)
    dated = labelled.get("year") or labelled.get("published") or labelled.get("date") or where
    year = YEAR_RE.search(dated)
    return {"journal": journal, "year": year.group(0) if year else None,
            "volume": labelled.get("volume") or (volume.group(1) if volume else None),
            "issue": labelled.get("issue") or (issue.group(1) if issue else None),
            "pages": labelled.get("pages") or (pages.group("pages") if pages else None)}


def _head_fields(head: Sequence[Sequence[Line]], title_at: int | None) -> Bibliographic:
    """The article's fields from its head (everything above the abstract)."""
    lines = [line for block in head for line in block]
    text = "\n".join(line.stripped for line in lines)
    title = _title(head[title_at]) if title_at is not None else None
    authors: tuple[Person, ...] = ()
    labelled = _labelled_fields(lines)
    for label in ("authors", "author", "by"):
        if label in labelled:
            authors = _authors(f"{label}: {labelled[label]}")
    if not authors and title_at is not None:
        for block in head[title_at + 1: title_at + 3]:
            authors = _authors(block_text(block))
            if authors:
                break
    values: dict[str, str | None] = {}
    for line in lines:
        m = _locator(squash(line.stripped))
        if m:
            values = m.groupdict()
            break
    if not values:
        values = _scattered_fields(lines, labelled)
    first, last = expand_pages(values["pages"] or "")
    ids = _identifiers(text)
    own = _own_citation(head, title) or Bibliographic()
    journal = _journal_of(values["journal"]) if values.get("journal") else None
    return Bibliographic(
        title=title or own.title,
        authors=authors or own.authors,
        et_al=own.et_al if not authors else False,
        journal=journal or own.journal,
        year=int(values["year"]) if values.get("year") else own.year,
        volume=values.get("volume") or own.volume,
        issue=values.get("issue") or own.issue,
        page_start=first or own.page_start,
        page_end=last or own.page_end,
        doi=ids.get("doi") or own.doi,
        pmid=ids.get("pmid") or own.pmid,
        pmcid=ids.get("pmcid") or own.pmcid,
    )


# --- the abstract, the sections, the reference list --------------------------------------------


def _abstract_and_body(
    blocks: Sequence[Sequence[Line]], has_abstract: bool,
) -> tuple[list[Sequence[Line]], list[Sequence[Line]]]:
    """Abstract paragraphs (a structured abstract whole) and the sections after them."""
    abstract: list[Sequence[Line]] = []
    body: list[Sequence[Line]] = []
    ended = not has_abstract
    concluded = False
    for block in blocks:
        text = block_text(block)
        if _is_furniture(text):
            continue
        first = block[0]
        heading = _heading(first)
        is_heading = len(block) == 1 and _is_heading_text(first.stripped)
        if not ended:
            closes = is_heading and heading not in _ABSTRACT_PARTS
            if heading.startswith("keywords") or closes or (concluded and not is_heading):
                ended = True
            else:
                concluded = concluded or heading.startswith("conclusion")
                if not heading.startswith("keywords"):
                    abstract.append(block)
                continue
        if not heading.startswith("keywords"):
            body.append(block)
    return abstract, body


def _entry_start(text: str) -> tuple[str | None, str] | None:
    m = _ENTRY_NUMBER.match(text)
    return ((m.group(1) or m.group(2)), m.group(3)) if m else None


def _reference_entries(lines: Sequence[Line], start: int) -> list[Entry]:
    """The entries of the list from ``lines[start:]``: numbered, else paragraphs, else lines."""
    end = next((i for i in range(start, len(lines))
                if _END_OF_REFERENCES.match(_heading(lines[i]))), len(lines))
    part = lines[start:end]
    first = next((line for line in part if not line.blank), None)
    if first is None:
        return []
    if _entry_start(first.text):
        entries, _ = scan_list(part, 0, _entry_start, blank_ends=False)
        return entries
    blocks = paragraphs(part)
    if any(len(block) > 1 for block in blocks) and len(blocks) > 1:
        groups = blocks  # entries parted by blank lines, wrapped over lines
    else:
        groups = [[line] for block in blocks for line in block]
    entries = []
    for group in groups:
        entry = Entry(None)
        for line in group:
            entry.add(line, line.stripped)
        entries.append(entry)
    return entries


def _spans(groups: Sequence[Sequence[Sequence[Line]]]) -> tuple[tuple[int, int], ...]:
    return tuple((group[0][0].start, group[-1][-1].end) for group in groups if group)


def read(source: SourceText) -> Document:
    """Read an article in any plain-text layout, with whatever fields it prints."""
    lines = split_lines(source.text)
    refs_at = _references_at(lines)
    content = lines[:refs_at] if refs_at is not None else lines
    abstract_at = next((i for i, line in enumerate(content) if _heading(line) in _ABSTRACT_HEADINGS
                        or _INLINE_ABSTRACT_RE.match(line.stripped)), None)
    blocks = paragraphs(content)
    title_at = _title_at(blocks)
    if abstract_at is not None:
        head = paragraphs(content[:abstract_at])
        inline = bool(_INLINE_ABSTRACT_RE.match(content[abstract_at].stripped))
        rest = paragraphs(content[abstract_at + (0 if inline else 1):])
    else:
        after = (title_at or 0) + 1
        while after < len(blocks) and (_is_field_line(block_text(blocks[after]))
                                       or _authors(block_text(blocks[after]))
                                       or len(block_text(blocks[after]).split()) < 8):
            after += 1
        head, rest = blocks[:after], blocks[after:]
    title_in_head = title_at if title_at is not None and title_at < len(head) else None
    meta = _head_fields(head, title_in_head)
    if not meta.title and not (meta.doi or meta.pmid or meta.pmcid):
        raise source.error("no title and no DOI, PMID or PMCID found: not read as an article")
    abstract, body = _abstract_and_body(rest, abstract_at is not None)
    references = (to_references(source, _reference_entries(lines, refs_at + 1))
                  if refs_at is not None else ())
    kind = next((squash(block_text(b)) for b in head
                 if squash(block_text(b)).lower() in _ARTICLE_TYPES - {"open access", "full text"}),
                None)
    title_block = [head[title_in_head]] if title_in_head is not None else []
    return Document(
        path=source.path,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=meta,
        publication_type=kind,
        abstract=blocks_text([_INLINE_ABSTRACT_RE.sub(lambda m: m.group(0)[-1], block_text(b))
                              for b in abstract]),
        body=blocks_text([block_text(b) for b in body]),
        references=references,
        spans=_spans([title_block, abstract, body]),
    )


LAYOUT = Layout(
    name=NAME,
    description="Any article as plain text (the fallback: fields wherever they are printed)",
    recognises=recognises,
    read=read,
    order=1000,
    fallback=True,
)
