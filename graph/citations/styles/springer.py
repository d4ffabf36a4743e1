"""Springer: ``Family A, Family B et al (Year) Title. Journal Vol:Pages``.

A year in parentheses right after an author list (which holds no full stop).
"""

from __future__ import annotations

import re

from graph.citations.styles._shared import (
    PAGES,
    VOLUME_ISSUE,
    YEAR,
    Parts,
    Style,
    split_title_journal,
)

_SPRINGER = re.compile(
    rf"^(?P<authors>[^.()]+?)\s+\({YEAR}\)\s+(?P<head>.+?)\s+{VOLUME_ISSUE}:\s*{PAGES}\.?$"
)


def _springer(text: str, note: str | None) -> Parts | None:
    """Springer: ``Authors (Year) Title. Journal Vol:Pages``."""
    m = _SPRINGER.match(text)
    if not m:
        return None
    title, journal = split_title_journal(m["head"])
    return {**m.groupdict(), "title": title, "journal": journal}


STYLE = Style(
    name="springer",
    description='Family A, Family B et al (Year) Title. Journal Vol:Pages',
    order=20,
    split=_springer,
)
