"""What the reference styles share: the shape of a year, volume, issue and pages, and splitting.

A style plug-in (a module of :mod:`graph.citations.styles`) matches a whole reference string and
returns its raw parts (:data:`Parts`), or None when the string has another shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Parts = dict[str, str | None]


@dataclass(frozen=True)
class Style:
    """A citation style: ``split(text, note)`` gives the raw parts of a string of that shape."""

    name: str
    description: str
    order: int
    split: Callable[[str, str | None], Parts | None]


YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)[a-z]?"
MONTH = r"(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?:\s+\d{1,2})?)?"
VOLUME_ISSUE = r"(?P<volume>\d+[A-Za-z]?)(?:\s*\((?P<issue>[^()]+)\))?"
PAGES = r"(?P<pages>[A-Za-z]{0,2}\d+(?:\s*[-\u2013\u2014]\s*[A-Za-z]{0,2}\d+)?)"
YEAR_TAIL = rf"{YEAR}{MONTH}(?:\s*;\s*{VOLUME_ISSUE}(?::\s*{PAGES})?)?\.?$"

SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
ABBREVIATION = re.compile(r"^(?![IVXLC]+\.$)[A-Z][a-z]{0,7}\.$")  # "J." of "J. Rheumatol."
ET_AL = re.compile(r"[,\s]*\bet al\b\.?\s*(?:[;,]\s*(?P<groups>.*))?$")


def split_authors(text: str) -> tuple[str, str]:
    """Split "Authors. Rest" at the first sentence end: author lists hold no full stop."""
    parts = SENTENCE_END.split(text, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def split_title_journal(text: str) -> tuple[str, str]:
    """Split "Title. Journal" at the last sentence end, keeping "J. Rheumatol." in one piece.

    >>> split_title_journal("A review. J. Rheumatol.")
    ('A review.', 'J. Rheumatol.')
    >>> split_title_journal("Do criteria predict prognosis? Radiol Med")
    ('Do criteria predict prognosis?', 'Radiol Med')
    """
    pieces = SENTENCE_END.split(text)
    cut = len(pieces) - 1
    while cut > 1 and ABBREVIATION.match(pieces[cut - 1]):
        cut -= 1
    return " ".join(pieces[:cut]), " ".join(pieces[cut:])
