"""Vancouver: ``Family A. Title. Journal. Year;Vol(Issue):Pages.``.

A ``. Year`` locator at the end (``Year; Vol:Pages`` and ``Year Mon;`` variants included).
"""

from __future__ import annotations

import re

from graph.citations.styles._shared import (
    YEAR_TAIL,
    Parts,
    Style,
    split_authors,
    split_title_journal,
)

_VANCOUVER = re.compile(rf"^(?P<head>.+?\.)\s+{YEAR_TAIL}")


def _vancouver(text: str, note: str | None) -> Parts | None:
    """Vancouver: ``Authors. Title. Journal. Year;Vol(Issue):Pages.``."""
    m = _VANCOUVER.match(text)
    if not m:
        return None
    authors, rest = split_authors(m["head"])
    title, journal = split_title_journal(rest)
    return {**m.groupdict(), "authors": authors, "title": title, "journal": journal}


STYLE = Style(
    name="vancouver",
    description='Family A. Title. Journal. Year;Vol(Issue):Pages.',
    order=40,
    split=_vancouver,
)
