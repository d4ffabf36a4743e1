"""Journal article web page whose reference list is in an author-date (Harvard) style.

Recognised by its reference list, not by its site: a line "References" (or "Bibliography",
"Reference list", "Works cited") whose first entry opens with "Family, I." names and a
parenthesised year ("Bohan, A. and Peter, J.B. (1975a) 'Polymyositis ...', Journal, 292, pp.
344-347."), entries parted by blank lines.

The page head, above "Abstract", holds in this order: site furniture (a "Skip to main content"
link, menus written "Home | Archive | ..."), the article type ("Research Article"), the title,
the byline ("Given Family, Given Family and Given Family"), the locator line ("Journal, Month
Year, Vol (Issue) first-last"), labelled identifiers ("DOI: https://doi.org/...", "PMID: ...")
and often the article's own citation in the page's reference style ("Cite this article"). The
article's fields come from the locator and labelled lines, or, where a page lacks them, from its
own citation; the title as the page prints it. The abstract is the prose under "Abstract" up to the
next menu or heading; menus, "Share | Tweet", "Related Articles" and the copyright line are
furniture and go into no field. Mining looks only at the title, abstract and body. A page that
prints its article's PMID is the record ``pmid-N`` of its file (path ``page.txt#pmid-N``), as in
the record formats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.citations.references import parse_reference
from graph.errors import InputError
from graph.inputs.layouts._text import (
    Line,
    block_text,
    blocks_text,
    clean_doi,
    expand_pages,
    first_index,
    paragraphs,
    person_from_full_name,
    scan_list,
    split_lines,
    split_names,
    squash,
    to_references,
)
from graph.inputs.readers import Layout
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, RawReference

NAME = "author-date-page"

_REFERENCE_HEADINGS = frozenset({"references", "bibliography", "reference list", "works cited"})
# "Wilkes, M.R., Sereika, S.M. ... (2005)" / "Oddis, C.V. et al. (1999)": names, then the year.
_ENTRY_START_RE = re.compile(
    r"^[^\W\d_][^,():]*,\s*(?:[A-Z\u00c0-\u00de][a-z]?\.\s*-?\s*)+"
    r"(?:(?:,|\s+and|\s*&|\s+et\s+al\.?)\s*[^()]*)?\((?:1[5-9]|20)\d\d[a-z]?\)"
)
# "The Journal of Rheumatology, April 2013, 40 (4) 484-492"
_LOCATOR_RE = re.compile(
    r"^(?P<journal>[^,\d][^,]*?),\s*(?:\d{1,2}\s+)?(?:[A-Za-z]+\.?\s+(?:\d{1,2},?\s+)?)?"
    r"(?P<year>(?:1[89]|20)\d\d)"
    r",\s*(?:[Vv]ol\.?\s*)?(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]+)\))?\s*[,:]?\s*"
    r"(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[-\u2010-\u2015]\s*[A-Za-z]?\d+)?)\.?$"
)
_LABELLED_RE = re.compile(r"^(?P<label>DOI|PMID|PMCID)\s*:\s*(?P<value>\S+)\s*$", re.IGNORECASE)
_LABEL_RE = re.compile(r"^[A-Z][\w ]{0,30}:\s+")  # "How to cite: ", "Citation: "
_MENU_RE = re.compile(r"^[^|]{1,40}(?:\s\|\s[^|]{1,40})+$")  # "Share | Tweet | Email"
_FURNITURE = frozenset(
    {"skip to main content", "skip to content", "skip to main page content", "related articles",
     "cite this article", "abstract", "advertisement", "share"}
)


def _is_entry_start(text: str) -> bool:
    return bool(_ENTRY_START_RE.match(text.strip()))


def _is_furniture(text: str) -> bool:
    """Site furniture: menus ("Home | Archive"), skip links, a copyright line."""
    text = squash(text)
    return (text.lower() in _FURNITURE or bool(_MENU_RE.match(text))
            or text.lower().startswith(("copyright", "\u00a9")))


def _references_heading(lines: Sequence[Line]) -> int | None:
    """Index of the reference-list heading whose first entry is author-date, or None."""
    for index, line in enumerate(lines):
        if line.stripped.lower() not in _REFERENCE_HEADINGS:
            continue
        entry = first_index(lines, lambda ln: not ln.blank, index + 1)
        if entry is not None and _is_entry_start(lines[entry].text):
            return index
    return None


def recognises(text: str) -> bool:
    """A "References" line whose first entry is "Family, I. ... (Year)"."""
    return _references_heading(split_lines(text)) is not None


def _own_citation(blocks: Sequence[Sequence[Line]]) -> Bibliographic | None:
    """The article's own citation in the head, in the page's author-date style, if it gives one."""
    for block in blocks:
        text = squash(" ".join(line.text for line in block))
        text = _LABEL_RE.sub("", text) if _is_entry_start(_LABEL_RE.sub("", text)) else text
        if not _is_entry_start(text):
            continue
        try:
            parsed = parse_reference(RawReference(text, block[0].number))
        except InputError:
            continue
        if parsed.style == "harvard":
            return parsed.fields
    return None


def _holds_fields(block: Sequence[Line]) -> bool:
    """A head paragraph of article fields: locator, "DOI:" line, the article's own citation."""
    return any(_LOCATOR_RE.match(line.stripped) or _LABELLED_RE.match(line.stripped)
               or _is_entry_start(_LABEL_RE.sub("", line.stripped)) for line in block)


def _labelled(blocks: Sequence[Sequence[Line]]) -> dict[str, str]:
    """DOI, PMID and PMCID from their "Label: value" lines."""
    found: dict[str, str] = {}
    for line in (line for block in blocks for line in block):
        m = _LABELLED_RE.match(line.stripped)
        if m:
            label, value = m["label"].lower(), m["value"]
            found.setdefault(label, (clean_doi(value) or value) if label == "doi" else value)
    return found


def _head_fields(
    source: SourceText, blocks: list[list[Line]]
) -> tuple[Bibliographic, int, str | None]:
    """The article's fields, the index of the title block, and the article type."""
    own = _own_citation(blocks)
    locator_at = next((i for i, b in enumerate(blocks) if _LOCATOR_RE.match(b[0].stripped)), None)
    if locator_at is not None and locator_at >= 2:
        locator = _LOCATOR_RE.match(blocks[locator_at][0].stripped)
        assert locator is not None
        title_at = locator_at - 2
        first, last = expand_pages(locator["pages"])
        names = split_names(block_text(blocks[locator_at - 1]))
        meta = Bibliographic(
            authors=tuple(person_from_full_name(n) for n in names),
            journal=squash(locator["journal"]), year=int(locator["year"]),
            volume=locator["volume"], issue=locator["issue"], page_start=first, page_end=last,
        )
    elif own is not None and own.title:
        wanted = own.title.casefold()
        title_at = next((i for i, b in enumerate(blocks)
                         if squash(block_text(b)).casefold().rstrip(".") == wanted), -1)
        if title_at < 0:
            raise source.error("the page prints no title matching its own citation")
        meta = own
    else:
        raise source.error('no "Journal, Year, Vol (Issue) pages" line and no citation of the '
                           "article itself above the abstract")
    above = blocks[title_at - 1] if title_at > 0 else []
    kind = squash(block_text(above)) if len(above) == 1 else None  # "Research Article"
    if kind is not None and (len(kind.split()) > 4 or _is_furniture(kind)):
        kind = None
    return meta, title_at, kind


def _prose_blocks(
    blocks: Sequence[Sequence[Line]],
) -> tuple[list[Sequence[Line]], list[Sequence[Line]]]:
    """Abstract paragraphs (up to the first furniture or short heading) and the body after them."""
    abstract: list[Sequence[Line]] = []
    body: list[Sequence[Line]] = []
    ended = False
    for block in blocks:
        if any(_is_furniture(line.text) for line in block):
            ended = ended or bool(abstract)
            continue
        text = block_text(block)
        if abstract and len(text.split()) <= 6 and not text.endswith("."):
            ended = True  # a heading ("Introduction") opens the body
        (body if ended else abstract).append(block)
    return abstract, body


def _spans(groups: Sequence[Sequence[Sequence[Line]]]) -> tuple[tuple[int, int], ...]:
    """One character range per group of paragraphs: the prose that mining reads."""
    return tuple((group[0][0].start, group[-1][-1].end) for group in groups if group)


def read(source: SourceText) -> Document:
    """Read a journal page with an author-date reference list."""
    lines = split_lines(source.text)
    heading = _references_heading(lines)
    if heading is None:
        raise source.error('no "References" list in author-date style found')
    abstract_at = first_index(lines[:heading], lambda line: line.stripped.lower() == "abstract")
    head_end = heading if abstract_at is None else abstract_at
    head = paragraphs(lines[:head_end])
    meta, title_at, kind = _head_fields(source, head)
    ids = _labelled(head)
    meta = Bibliographic(
        title=squash(block_text(head[title_at])).rstrip("."),
        authors=meta.authors, et_al=meta.et_al, journal=meta.journal, year=meta.year,
        volume=meta.volume, issue=meta.issue, page_start=meta.page_start, page_end=meta.page_end,
        doi=ids.get("doi", meta.doi), pmid=ids.get("pmid", meta.pmid),
        pmcid=ids.get("pmcid", meta.pmcid),
    )
    if abstract_at is None:  # no abstract: the article text follows the head's last field line
        last = max(i for i, block in enumerate(head) if i == title_at or _holds_fields(block))
        abstract, body = [], [b for b in head[last + 1:] if not _is_furniture(block_text(b))]
    else:
        abstract, body = _prose_blocks(paragraphs(lines[abstract_at + 1:heading]))
    entries, _ = scan_list(lines, heading + 1, lambda t: (None, t.strip())
                           if _is_entry_start(t) else None)
    references: tuple[RawReference, ...] = to_references(source, entries)
    # A page that prints the article's PMID names its record by it, as the record formats do.
    record = f"pmid-{meta.pmid}" if meta.pmid else None
    return Document(
        path=f"{source.path}#{record}" if record else source.path,
        record=record,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=meta,
        publication_type=kind,
        abstract=blocks_text([block_text(b) for b in abstract]),
        body=blocks_text([block_text(b) for b in body]),
        references=references,
        spans=_spans([[head[title_at]], abstract, body]),
    )


LAYOUT = Layout(
    name=NAME,
    description="Journal article page with an author-date (Harvard) reference list",
    recognises=recognises,
    read=read,
    order=40,
)
