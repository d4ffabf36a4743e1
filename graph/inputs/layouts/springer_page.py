"""Springer article page (link.springer.com), copied as text from the browser.

The page opens with the journal name and the line ", Volume 34, Issue 12, pp 2097-2103 | Cite as"
(an issue date may stand before the comma), then the title, the authors as "•" bullets (the
corresponding one carries "Email author"), the article type ("Original Article"), the abstract,
the keywords separated by no-break spaces, funding notes, and the references numbered twice
("  1. 1." with the reference on the next, indented line). "Copyright information",
"Authors and Affiliations" and "Personalised recommendations" close the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.inputs.layouts._text import (
    NBSP,
    Line,
    block_text,
    blocks_text,
    expand_pages,
    first_index,
    next_text_index,
    paragraphs,
    person_from_full_name,
    scan_list,
    split_lines,
    squash,
    to_references,
    year_of,
)
from graph.inputs.readers import Layout
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "springer-page"

_CITE_AS_RE = re.compile(
    r"^(?P<date>[^,]*),\s*Volume\s+(?P<volume>[^,\s]+)(?:,\s*Issue\s+(?P<issue>[^,\s]+))?"
    r"(?:,\s*pp\s+(?P<pages>[^|]+?))?\s*\|\s*Cite (?:as|this article)\s*$"
)
_BULLET_RE = re.compile(r"^\s*[\u2022\u00b7]\s*(?P<item>.+)$")
# "  1. 1." -- Springer prints each reference number twice; the reference follows.
_REFERENCE_START_RE = re.compile(r"^\s*(\d+)\.\s+\1\.(?:\s+(.*))?$")
_NAME_SUFFIXES = ("Email author", "View author's OrcID profile")
_CLOSING_SECTIONS = frozenset(
    {
        "Copyright information",
        "Authors and Affiliations",
        "Personalised recommendations",
        "About this article",
        "Rights and permissions",
    }
)
_KEYWORD_WORDS = 6  # a keyword is a short phrase; longer no-break-spaced items are prose
_HEADINGS = frozenset({"Abstract", "Keywords", "Notes", "Funding", "References"})


@dataclass(frozen=True)
class _Head:
    """Where the parts of the page head stand (line indexes) and what they say."""

    title: str
    authors: tuple[Person, ...]
    publication_type: str | None
    content_start: int  # first line after the head


def recognises(text: str) -> bool:
    """A Springer page has the ", Volume 34, Issue 12, pp ... | Cite as" line."""
    return any(_CITE_AS_RE.match(line.strip()) for line in text.splitlines())


def _author(item: str) -> Person:
    """A bulleted author name, without the "Email author" link glued to it."""
    name = squash(item)
    for suffix in _NAME_SUFFIXES:
        name = name.removesuffix(suffix).strip()
    return person_from_full_name(name)


def _is_article_type(line: Line) -> bool:
    """A short label line ("Original Article", "Review") rather than a sentence."""
    text = line.stripped
    return 0 < len(text.split()) <= 5 and not text.endswith((".", ":")) and text not in _HEADINGS


def _head(source: SourceText, lines: Sequence[Line], cite_as: int) -> _Head:
    """Title, bulleted authors and article type, which follow the "Cite as" line in this order."""
    start = next_text_index(lines, cite_as + 1)
    if start is None or _BULLET_RE.match(lines[start].text):
        raise source.error('no title found after the "| Cite as" line', lines[cite_as].start)
    end = first_index(lines, lambda line: line.blank or bool(_BULLET_RE.match(line.text)), start)
    end = len(lines) if end is None else end
    title = squash(" ".join(line.text for line in lines[start:end]))
    authors: list[Person] = []
    index = next_text_index(lines, end)
    while index is not None and (bullet := _BULLET_RE.match(lines[index].text)):
        authors.append(_author(bullet["item"]))
        index = next_text_index(lines, index + 1)
    article_type = None
    if index is not None and _is_article_type(lines[index]):
        article_type = lines[index].stripped
        index += 1
    return _Head(title, tuple(authors), article_type, len(lines) if index is None else index)


def _keyword_items(block: Sequence[Line]) -> tuple[str, ...] | None:
    """Keywords if ``block`` is the keyword line (items parted by no-break spaces), else None."""
    if len(block) != 1 or NBSP not in block[0].text or block[0].stripped.endswith("."):
        return None
    text = block[0].text.strip().removeprefix("Keywords").strip()
    items = tuple(squash(item) for item in text.split(NBSP) if item.strip())
    return items if all(len(item.split()) <= _KEYWORD_WORDS for item in items) else None


def _prose(lines: Sequence[Line]) -> tuple[str | None, tuple[str, ...], str | None]:
    """Abstract, keywords and body (funding, notes) from the article text before the references."""
    blocks = [block for block in paragraphs(lines) if block_text(block) not in _HEADINGS]
    found = [(i, items) for i, block in enumerate(blocks) if (items := _keyword_items(block))]
    split, keywords = found[0] if found else (min(1, len(blocks)), ())
    after = split + 1 if found else split
    abstract = blocks_text([block_text(block) for block in blocks[:split]])
    body = blocks_text([block_text(block) for block in blocks[after:]])
    return abstract, keywords, body


def _year(cited: re.Match[str], closing: Sequence[Line]) -> int | None:
    """The issue date's year, else the copyright year (pages often show no other date).

    ``closing`` are the lines of the closing sections, where the copyright line stands.
    """
    year = year_of(cited["date"])
    if year is None:
        copyright_line = next((line for line in closing if "\u00a9" in line.text), None)
        year = year_of(copyright_line.text) if copyright_line else None
    return year


def _references(source: SourceText, lines: Sequence[Line], start: int) -> tuple[RawReference, ...]:
    def item(text: str) -> tuple[str | None, str] | None:
        match = _REFERENCE_START_RE.match(text)
        return (match.group(1), match.group(2) or "") if match else None

    entries, _ = scan_list(lines, start, item, ends=lambda text: text.strip() in _CLOSING_SECTIONS)
    return to_references(source, entries)


def read(source: SourceText) -> Document:
    """Read a Springer article page."""
    lines = split_lines(source.text)
    cite_as = first_index(lines, lambda line: bool(_CITE_AS_RE.match(line.stripped)))
    if cite_as is None:
        raise source.error('no "Volume ..., Issue ... | Cite as" line found')
    cited = _CITE_AS_RE.match(lines[cite_as].stripped)
    assert cited is not None
    journal_index = next((i for i in range(cite_as - 1, -1, -1) if not lines[i].blank), None)
    if journal_index is None:
        raise source.error('no journal name above the "Cite as" line', lines[cite_as].start)
    head = _head(source, lines, cite_as)
    closing = first_index(
        lines, lambda line: line.stripped in _CLOSING_SECTIONS, head.content_start
    )
    closing = len(lines) if closing is None else closing
    ref_start = first_index(
        lines[:closing], lambda line: bool(_REFERENCE_START_RE.match(line.text)), head.content_start
    )
    prose_end = closing if ref_start is None else ref_start
    abstract, keywords, body = _prose(lines[head.content_start : prose_end])
    page_start, page_end = expand_pages(cited["pages"] or "")
    meta = Bibliographic(
        title=head.title,
        authors=head.authors,
        journal=squash(lines[journal_index].text),
        year=_year(cited, lines[closing:]),
        volume=cited["volume"],
        issue=cited["issue"],
        page_start=page_start,
        page_end=page_end,
    )
    return Document(
        path=source.path,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=meta,
        publication_type=head.publication_type,
        abstract=abstract,
        body=body,
        keywords=keywords,
        references=() if ref_start is None else _references(source, lines, ref_start),
    )


LAYOUT = Layout(
    name=NAME,
    description="Springer article page (link.springer.com) copied as text",
    recognises=recognises,
    read=read,
    order=20,
)
