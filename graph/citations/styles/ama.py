"""AMA (markdown): ``Family A. Title. *Journal* Year;Vol:Pages.``: a markdown-italic journal.
"""

from __future__ import annotations

import re

from graph.citations.styles._shared import (
    YEAR_TAIL,
    Parts,
    Style,
    split_authors,
)

_AMA = re.compile(rf"^(?P<head>.+)\s*\*(?P<journal>[^*]+)\*\s*\.?\s*{YEAR_TAIL}")


def _ama(text: str, note: str | None) -> Parts | None:
    """AMA (markdown): ``Authors. Title. *Journal* Year;Vol:Pages.``."""
    m = _AMA.match(text)
    if not m:
        return None
    authors, title = split_authors(m["head"].strip())
    return {**m.groupdict(), "authors": authors, "title": title}


STYLE = Style(
    name="ama",
    description='Family A. Title. *Journal* Year;Vol:Pages.',
    order=30,
    split=_ama,
)
