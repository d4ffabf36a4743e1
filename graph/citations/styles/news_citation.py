"""Ahead-of-print citation: ``Family A. Title [published online Date]. Journal. doi:...``.

No locator: the year stands only inside the ``published online`` note.
"""

from __future__ import annotations

import re

from graph.citations.styles._shared import (
    YEAR,
    Parts,
    Style,
    split_authors,
    split_title_journal,
)

_PUBLISHED_ONLINE = re.compile(rf"published online\b.*\b{YEAR}", re.I)


def _news_citation(text: str, note: str | None) -> Parts | None:
    """Ahead-of-print citation: ``Authors. Title [published online Date]. Journal.``."""
    m = _PUBLISHED_ONLINE.search(note or "")
    if not m:
        return None
    authors, rest = split_authors(text)
    title, journal = split_title_journal(rest)
    return {"authors": authors, "title": title, "journal": journal, "year": m["year"]}


STYLE = Style(
    name="news-citation",
    description='Family A. Title [published online Date]. Journal.',
    order=50,
    split=_news_citation,
)
