"""News summary of a journal article (a medical news site's write-up), copied as text.

The first line is the headline, prose paragraphs follow (with site furniture such as
"Related Articles" and "follow @RheumAdvisor" mixed in), and the page ends with one citation line
of the article the news reports on ("Sharma N, Putman MS, ... J Rheumatol. doi:10.3899/...").
The page names no author or date of its own, so its metadata is the headline alone; the cited
article's details stay in ``reports_on`` for the reference parser.

This layout is the most generic one, so it only claims short prose with no reference list,
no markup headings, and a final line that is an author-first citation carrying a DOI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.inputs.layouts._text import (
    DOI_RE,
    YEAR_RE,
    Line,
    block_text,
    blocks_text,
    paragraphs,
    split_lines,
    squash,
)
from graph.inputs.readers import Layout
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, RawReference

NAME = "news-summary"

MAX_WORDS = 5000  # a news summary is short; longer texts are articles or pages of other kinds
# "Sharma N, Putman MS, ..." -- a citation opens with a family name and initials.
_CITATION_START_RE = re.compile(r"^[A-Z][\w'\u2019-]+(?:[ -][A-Z][\w'\u2019-]+)*\s+[A-Z]{1,3}[,.]")
_SOCIAL_RE = re.compile(r"^(?:follow\s+)?@\w+$", re.IGNORECASE)
_FURNITURE = frozenset(
    {"related articles", "related content", "advertisement", "share", "tweet", "read more"}
)
_REFERENCE_HEADINGS = frozenset({"references", "bibliography", "literature cited"})


def _is_citation(text: str) -> bool:
    """An author-first citation line with a year and a DOI."""
    text = text.strip()
    return bool(_CITATION_START_RE.match(text) and YEAR_RE.search(text) and DOI_RE.search(text))


def _is_furniture(text: str) -> bool:
    """Site furniture (social links, "Related Articles") that is no part of the news text."""
    text = squash(text)
    return text.lower() in _FURNITURE or bool(_SOCIAL_RE.match(text))


def recognises(text: str) -> bool:
    """Short prose, no reference list or markup headings, last line a citation with a DOI."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or len(text.split()) > MAX_WORDS:
        return False
    if any(line.startswith("#") or line.lower() in _REFERENCE_HEADINGS for line in lines):
        return False
    return _is_citation(lines[-1])


def _body(lines: Sequence[Line]) -> str | None:
    """The news paragraphs as printed, without site furniture."""
    kept = []
    for block in paragraphs(lines):
        prose = [line for line in block if not _is_furniture(line.text)]
        if prose:
            kept.append(block_text(prose))
    return blocks_text(kept)


def read(source: SourceText) -> Document:
    """Read a news summary."""
    lines = [line for line in split_lines(source.text) if not line.blank]
    if not lines:
        raise source.error("no title found: the text is blank", 0)
    title, citation = lines[0], lines[-1]
    if len(lines) < 2 or not _is_citation(citation.text):
        raise source.error(
            "the last line is not a citation with a DOI of the article reported on",
            citation.start,
        )
    all_lines = split_lines(source.text)
    inner = all_lines[title.number : citation.number - 1]  # between headline and citation
    reports_on = RawReference(
        text=squash(citation.text),
        line=source.line_of(citation.start),
        span=(citation.start, citation.end),
    )
    return Document(
        path=source.path,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=Bibliographic(title=squash(title.text)),
        body=_body(inner),
        reports_on=reports_on,
    )


LAYOUT = Layout(
    name=NAME,
    description="News summary of a journal article ending with the article's citation",
    recognises=recognises,
    read=read,
    order=60,
)
