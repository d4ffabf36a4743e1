"""Full journal article converted to markdown.

"# Title", a line of full author names ("A B, C D, and E F"), the abstract as bold-labelled
paragraphs ("**ABSTRACT. Objective.**", "**Methods.**", ...) ending with the journal's citation
"(J Rheumatol First Release September 1 2017; doi:...)", a "## Key Indexing Terms:" block, the
article text with "## " sections and tab-separated tables, and "## REFERENCES" as a list. The
converter broke the list: bullets turn into numbers part-way and one reference may be split over
two bullets, the second starting lower-case; such pieces are joined again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.inputs.layouts._text import (
    MONTHS,
    YEAR_RE,
    Entry,
    Line,
    block_text,
    blocks_text,
    clean_doi,
    first_index,
    next_text_index,
    numbered_item,
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
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "markdown-article"

_TITLE_RE = re.compile(r"^#\s+(?P<title>\S.*)$")
_HEADING_RE = re.compile(r"^#{1,6}\s+\S")
_BULLET_RE = re.compile(r"^\s*[-*+]\s+(?P<item>.*)$")
_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_REFERENCES_RE = re.compile(r"^#{1,6}\s+References\s*:?\s*$", re.IGNORECASE)
_KEYWORDS_RE = re.compile(r"^#{1,6}\s+(?:Key Indexing Terms|Key\s?words)\s*:?\s*$", re.IGNORECASE)
_ABSTRACT_RE = re.compile(r"^(?:\*\*\s*ABSTRACT\b|#{1,6}\s+Abstract\s*$)", re.IGNORECASE)
_LABEL_RE = re.compile(r"^\*\*[^*]+\*\*")  # "**Methods.**" opening a structured paragraph
_HEAD_DOI_RE = re.compile(r"(?:\bdoi:?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+)", re.I)
_HEAD_PMID_RE = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
# "(J Rheumatol First Release September 1 2017; doi:10.3899/jrheum.161217)"
_CITATION_RE = re.compile(
    rf"\((?P<journal>[A-Z][^();]*?)\s+(?:First Release\s+)?"
    rf"(?:(?:{MONTHS})\.?\s+(?:\d{{1,2}},?\s+)?)?"
    r"(?P<year>(?:19|20)\d\d);\s*doi:\s*(?P<doi>10\.[^\s)]+)\)"
)
_MARKUP_RE = re.compile(r"<sup>.*?</sup>|\*\*|(?<!\w)\*|\*(?!\w)")
_NAME_RE = re.compile(r"^[A-Z][\w'\u2019.-]*(?:\s+[\w'\u2019.-]+){1,4}$")


def recognises(text: str) -> bool:
    """The first line is a "# " title and the article has "## " sections."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    return bool(_TITLE_RE.match(first)) and any(line.startswith("## ") for line in lines)


def _plain(text: str) -> str:
    """Text without markdown emphasis and superscript citation markers."""
    return squash(_MARKUP_RE.sub("", text))


def _authors(block: Sequence[Line]) -> tuple[Person, ...]:
    """Full names of the author line, or none when the paragraph is not a list of names."""
    printed = split_names(_plain(block_text(block)))
    names = [name.rstrip("*\u2020\u2021 0123456789") for name in printed]
    if not names or not all(_NAME_RE.match(name) for name in names):
        return ()
    return tuple(person_from_full_name(name) for name in names)


def _continues_abstract(block: Sequence[Line], under_heading: bool) -> bool:
    """Under "## Abstract" every paragraph up to the next heading belongs to the abstract;
    after an inline "**ABSTRACT. Objective.**" only the bold-labelled ones ("**Methods.**") do."""
    first = block[0].text
    return not _HEADING_RE.match(first) if under_heading else bool(_LABEL_RE.match(first))


def _abstract(blocks: Sequence[Sequence[Line]]) -> tuple[str | None, int | None]:
    """The abstract paragraphs (labels kept as plain text) and the index of the block after them."""
    start = next((i for i, block in enumerate(blocks) if _ABSTRACT_RE.match(block[0].text)), None)
    if start is None:
        return None, None
    under_heading = bool(_HEADING_RE.match(blocks[start][0].text))
    start += under_heading  # the heading itself is no part of the abstract
    end = start if under_heading else start + 1
    while end < len(blocks) and _continues_abstract(blocks[end], under_heading):
        end += 1
    texts = []
    for block in blocks[start:end]:
        text = _CITATION_RE.sub("", _plain(block_text(block))).strip()
        texts.append(re.sub(r"^ABSTRACT\.?\s*", "", text, flags=re.IGNORECASE))
    return blocks_text([t for t in texts if t.lower() != "abstract"]), end


def _keywords(lines: Sequence[Line], heading: int) -> tuple[tuple[str, ...], int]:
    """Keyword lines under the keywords heading and the index of the first line after them."""
    keywords: list[str] = []
    index = heading + 1
    while (found := next_text_index(lines, index)) is not None:
        text = lines[found].stripped
        if _HEADING_RE.match(text) or text.endswith(".") or len(text.split()) > 8:
            break
        if _RULE_RE.match(text):
            return tuple(keywords), found + 1
        keywords.extend(squash(item) for item in re.split(r"[;,]", _plain(text)) if item.strip())
        index = found + 1
    return tuple(keywords), index


def _reference_item(text: str) -> tuple[str | None, str] | None:
    bullet = _BULLET_RE.match(text)
    return (None, bullet["item"]) if bullet else numbered_item(text)


def _unfinished(text: str) -> bool:
    """A reference piece that stops short: no year, or no closing full stop, bracket or page."""
    ending = text.rstrip()[-1:]
    return YEAR_RE.search(text) is None or not (ending in {".", ")", "]"} or ending.isdigit())


def _join_split_items(entries: Sequence[Entry]) -> list[Entry]:
    """Rejoin a reference the converter split over two items (the second starts lower-case)."""
    joined: list[Entry] = []
    for entry in entries:
        if joined and _unfinished(joined[-1].text) and entry.text[:1].islower():
            joined[-1].extend(entry)
        else:
            joined.append(entry)
    return joined


def _references(
    source: SourceText, lines: Sequence[Line], heading: int
) -> tuple[RawReference, ...]:
    entries, _ = scan_list(
        lines,
        heading + 1,
        _reference_item,
        ends=lambda text: bool(_HEADING_RE.match(text)),
        blank_ends=False,
    )
    return to_references(source, _join_split_items(entries))


def _title(source: SourceText, lines: Sequence[Line]) -> tuple[int, str]:
    """Index and text of the "# Title" line that opens the article."""
    index = next_text_index(lines, 0)
    match = _TITLE_RE.match(lines[index].stripped) if index is not None else None
    if index is None or match is None or not _plain(match["title"]):
        raise source.error('no "# Title" line found at the top', 0)
    return index, _plain(match["title"])


def _body_start(
    lines: Sequence[Line], blocks: Sequence[Sequence[Line]], head_blocks: int, title_index: int
) -> int:
    """Index of the first body line: after the keywords block, else after the head paragraphs.

    ``head_blocks`` counts the paragraphs under the title that are not body (authors, abstract).
    """
    # A line's 1-based number is the 0-based index of the line after it.
    start = blocks[head_blocks - 1][-1].number if head_blocks else title_index + 1
    heading = first_index(lines, lambda line: bool(_KEYWORDS_RE.match(line.stripped)), start)
    return start if heading is None else _keywords(lines, heading)[1]


def read(source: SourceText) -> Document:
    """Read a markdown article."""
    lines = split_lines(source.text)
    title_index, title = _title(source, lines)
    heading = first_index(lines, lambda line: bool(_REFERENCES_RE.match(line.stripped)))
    front_end = len(lines) if heading is None else heading
    end_offset = len(source.text) if heading is None else lines[heading].start
    front = lines[:front_end]
    blocks = paragraphs(front[title_index + 1 :])
    authors = _authors(blocks[0]) if blocks and not _ABSTRACT_RE.match(blocks[0][0].text) else ()
    abstract, after_abstract = _abstract(blocks)
    kw_heading = first_index(front, lambda line: bool(_KEYWORDS_RE.match(line.stripped)))
    keywords = () if kw_heading is None else _keywords(front, kw_heading)[0]
    head_blocks = after_abstract or (1 if authors else 0)
    body_start = _body_start(front, blocks, head_blocks, title_index)
    body_offset = lines[body_start].start if body_start < front_end else end_offset
    cited = _CITATION_RE.search(source.text, 0, end_offset)
    section = first_index(front, lambda line: line.stripped.startswith("## "), title_index + 1)
    head = "\n".join(line.text for line in front[title_index + 1: section])
    printed_doi, pmid = _HEAD_DOI_RE.search(head), _HEAD_PMID_RE.search(head)
    meta = Bibliographic(
        title=title,
        authors=authors,
        journal=squash(cited["journal"]) if cited else None,
        year=int(cited["year"]) if cited else None,
        # the article's own citation first, else an identifier its head prints ("https://doi.org/")
        doi=clean_doi(cited["doi"] if cited else printed_doi.group(1) if printed_doi else ""),
        pmid=pmid.group(1) if pmid else None,
    )
    return Document(
        path=source.path,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=meta,
        abstract=abstract,
        body=source.text[body_offset:end_offset].strip() or None,
        keywords=keywords,
        references=() if heading is None else _references(source, lines, heading),
    )


LAYOUT = Layout(
    name=NAME,
    description="Full journal article converted to markdown (# title, ## sections, references)",
    recognises=recognises,
    read=read,
    order=50,
)
