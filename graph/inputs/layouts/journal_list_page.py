"""Journal article page reached through a "Journal List" breadcrumb, copied as text.

The page opens with "Journal List > J Korean Rheum Assoc > v.16(4) > 1003689" (journal, volume,
issue), then "Ahn, Song, Hwang, Yoo, Kim, and Kim: A Case of ..." (family names, a colon, the
title), "Abstract", any article text, "References" numbered "1. " (a lone "crossref" link label may
follow an item), then figure captions ("Fig. 1." + caption + image file name) and page tools
("TOOLS", "Similar articles"). The page gives no year or pages; none are made up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from graph.inputs.layouts._text import (
    Line,
    block_text,
    blocks_text,
    first_index,
    next_text_index,
    numbered_item,
    paragraphs,
    scan_list,
    split_lines,
    split_names,
    squash,
    to_references,
)
from graph.inputs.readers import Layout
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "journal-list-page"

_BREADCRUMB_RE = re.compile(
    r"^Journal List\s*>\s*(?P<journal>[^>]+?)\s*>\s*v\.\s*(?P<volume>[^(>\s]+)"
    r"(?:\((?P<issue>[^)]+)\))?(?:\s*>\s*(?P<article>\S+))?\s*$"
)
_ET_AL_RE = re.compile(r",?\s+et\s+al\.?$")
_CAPTION_RE = re.compile(r"^(?:Fig(?:ure)?|Table)\.?\s*\d+\b")
_IMAGE_FILE_RE = re.compile(r"^\S+\.(?:tiff?|jpe?g|png|gif)$", re.IGNORECASE)
_LINK_LABELS = frozenset(
    {"crossref", "pubmed", "pmc", "google scholar", "full text", "free full text", "europe pmc"}
)
_PAGE_TOOLS = frozenset(
    {
        "TOOLS",
        "Similar articles",
        "Cited by",
        "Related articles",
        "PDF Links",
        "PubReader",
        "ePub Link",
        "Full text via DOI",
        "Download Citation",
        "METRICS",
    }
)


def recognises(text: str) -> bool:
    """The page starts with the "Journal List > <journal> > v.<volume>" breadcrumb."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return bool(_BREADCRUMB_RE.match(first))


def _is_link_label(text: str) -> bool:
    """A lone link label ("crossref") printed under a reference: page chrome, not reference."""
    return text.strip().lower() in _LINK_LABELS


def _is_heading(block: Sequence[Line]) -> bool:
    """A one-line paragraph of a few words without closing punctuation ("INTRODUCTION")."""
    text = block_text(block)
    return len(block) == 1 and len(text.split()) <= 8 and not text.endswith((".", ":", ";", ","))


def _byline(source: SourceText, lines: Sequence[Line], start: int) -> tuple[int, Bibliographic]:
    """Index of the "Ahn, Song, and Kim: Title" line and its title, family names, et-al flag."""
    index = next_text_index(lines, start)
    if index is None or lines[index].stripped == "Abstract":
        offset = lines[index].start if index is not None else len(source.text)
        raise source.error('no title found after the "Journal List" breadcrumb', offset)
    names, colon, title = lines[index].stripped.partition(": ")
    if not colon:
        return index, Bibliographic(title=squash(names))
    et_al = bool(_ET_AL_RE.search(names))
    authors = tuple(Person(name) for name in split_names(_ET_AL_RE.sub("", names)))
    return index, Bibliographic(title=squash(title), authors=authors, et_al=et_al)


def _abstract_and_text(lines: Sequence[Line]) -> tuple[str | None, list[str]]:
    """The abstract (paragraphs under "Abstract" up to the first heading) and the text after it."""
    start = first_index(lines, lambda line: line.stripped == "Abstract")
    if start is None:
        return None, [block_text(block) for block in paragraphs(lines)]
    blocks = paragraphs(lines[start + 1 :])
    split = next((i for i, block in enumerate(blocks) if _is_heading(block)), len(blocks))
    abstract = blocks_text([block_text(block) for block in blocks[:split]])
    return abstract, [block_text(block) for block in blocks[split:]]


def _captions(lines: Sequence[Line]) -> list[str]:
    """Figure and table captions (label and caption lines; the image file name is dropped)."""
    captions: list[list[str]] = []
    open_caption = False
    for line in lines:
        text = line.stripped
        if text in _PAGE_TOOLS:
            break
        if _CAPTION_RE.match(text):
            captions.append([text])
            open_caption = True
        elif line.blank or _IMAGE_FILE_RE.match(text):
            open_caption = False
        elif open_caption:
            captions[-1].append(text)
    return ["\n".join(caption) for caption in captions]


def _references(
    source: SourceText, lines: Sequence[Line], heading: int
) -> tuple[tuple[RawReference, ...], int]:
    entries, stop = scan_list(
        lines, heading + 1, numbered_item, is_noise=_is_link_label, ends=lambda t: t in _PAGE_TOOLS
    )
    return to_references(source, entries), stop


def read(source: SourceText) -> Document:
    """Read a "Journal List" article page."""
    lines = split_lines(source.text)
    crumb_index = next_text_index(lines, 0)
    crumb = _BREADCRUMB_RE.match(lines[crumb_index].stripped) if crumb_index is not None else None
    if crumb is None or crumb_index is None:
        raise source.error('no "Journal List > journal > v.volume(issue)" breadcrumb found', 0)
    byline_index, byline = _byline(source, lines, crumb_index + 1)
    text_start = byline_index + 1
    heading = first_index(lines, lambda line: line.stripped == "References", text_start)
    tools = first_index(lines, lambda line: line.stripped in _PAGE_TOOLS, text_start)
    text_end = min(i for i in (heading, tools, len(lines)) if i is not None)
    abstract, text_blocks = _abstract_and_text(lines[text_start:text_end])
    references: tuple[RawReference, ...] = ()
    after = text_end
    if heading is not None and heading == text_end:
        references, after = _references(source, lines, heading)
    meta = replace(
        byline,
        journal=squash(crumb["journal"]),
        volume=crumb["volume"],
        issue=crumb["issue"],
    )
    return Document(
        path=source.path,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=meta,
        abstract=abstract,
        body=blocks_text([*text_blocks, *_captions(lines[after:])]),
        references=references,
    )


LAYOUT = Layout(
    name=NAME,
    description='Journal article page with a "Journal List > journal > v.N(M)" breadcrumb',
    recognises=recognises,
    read=read,
    order=30,
)
