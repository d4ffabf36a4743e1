"""Harvard: ``Family, I. and Family, I.I. (Year) 'Title', Journal, Vol(Issue), pp. a-b.``.

Author-date with "Family, Initials." names, the title in quotes, a comma-separated locator (a
year suffix, 1975a/1975b, tells apart two works of one author list and year).
"""

from __future__ import annotations

import re

from graph.citations.styles._shared import (
    ET_AL,
    PAGES,
    VOLUME_ISSUE,
    YEAR,
    Parts,
    Style,
)

_OPEN_QUOTE = "'\"\u2018\u201c"
_CLOSE_QUOTE = "'\"\u2019\u201d"
_HARVARD = re.compile(
    rf"^(?P<authors>[^()]+?)\s*\({YEAR}\)[.,]?\s+[{_OPEN_QUOTE}](?P<title>.+?)[{_CLOSE_QUOTE}],?\s+"
    rf"(?P<journal>[^,]+(?:,\s*[^,\d][^,]*)*?),\s*(?:[Vv]ol\.\s*)?{VOLUME_ISSUE}"
    rf"(?:,\s*(?:pp?\.\s*)?{PAGES})?\.?$"
)
# "Wilkes, M.R." -- a Harvard name is the family name, a comma and dotted initials.
_HARVARD_NAME_PART = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")
_DOTTED_INITIALS = re.compile(r"^(?:[A-Z\u00c0-\u00de][a-z]?\.\s*-?\s*)+$")


def _harvard_authors(text: str) -> str:
    """ "Family, I.J. and Other, K." as the "Family IJ, Other K" list every style hands over.

    >>> _harvard_authors("Wilkes, M.R., Sereika, S.M. and Oddis, C.V.")
    'Wilkes MR, Sereika SM, Oddis CV'
    >>> _harvard_authors("Oddis, C.V. et al.")
    'Oddis CV et al'
    """
    m = ET_AL.search(text)
    listed = text[: m.start()] if m else text
    names: list[str] = []
    for part in _HARVARD_NAME_PART.split(listed.strip()):
        if names and _DOTTED_INITIALS.match(part) and " " not in names[-1]:
            names[-1] += " " + re.sub(r"[.\s]", "", part)
        elif part:
            names.append(part)
    return ", ".join(names) + (" et al" if m else "")


def _harvard(text: str, note: str | None) -> Parts | None:
    """Harvard: ``Family, I. and Family, I. (Year) 'Title', Journal, Vol(Issue), pp. a-b.``."""
    m = _HARVARD.match(text)
    if not m:
        return None
    return {**m.groupdict(), "authors": _harvard_authors(m["authors"])}


STYLE = Style(
    name="harvard",
    description="Family, I. and Family, I.I. (Year) 'Title', Journal, Vol(Issue), pp. a-b.",
    order=10,
    split=_harvard,
)
