"""Find a curated quote in its document: exact characters only, and say why when it is not there.

The offsets are Python string indices into the decoded document (Unicode code points), the same
as Web Annotation's ``oa:TextPositionSelector`` counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 32
Regions = tuple[tuple[int, int], ...]
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Located:
    """A quote found in a text: offsets, and the text around it for a ``TextQuoteSelector``."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def occurrences(text: str, quote: str, regions: Regions) -> list[int]:
    """Where ``quote`` starts in ``text``, within ``regions``, in order: occurrence 1 first."""
    starts = []
    for first, last in regions:
        at = text.find(quote, first, last)
        while at != -1:
            starts.append(at)
            at = text.find(quote, at + 1, last)
    return starts


def _why_missing(text: str, quote: str) -> str:
    """A hint for a quote that is not in the text verbatim."""
    squashed = _SPACE.sub(" ", text)
    if _SPACE.sub(" ", quote) in squashed:
        return "it is there with different white space (tabs, double or non-breaking spaces)"
    if quote.casefold() in text.casefold():
        return "it is there with different upper/lower case"
    return "no such text in the document"


def locate(text: str, quote: str, occurrence: int | None = None, within: Regions = ()
           ) -> Located:
    """Where ``quote`` stands in ``text``; raises ``LookupError`` with the reason if it cannot.

    ``within`` limits the search to some (start, end) regions of ``text``: one record of a file
    of many records is quoted from its own title and abstract only, and occurrences are counted
    there, never in a neighbouring record.

    >>> locate("a b. a c.", "a", occurrence=2).start
    5
    >>> locate("a b. a c.", "a", within=((4, 9),)).start
    5
    """
    starts = occurrences(text, quote, within or ((0, len(text)),))
    if not starts and within and occurrences(text, quote, ((0, len(text)),)):
        raise LookupError("quote is in the file but not in this record's own text")
    if not starts:
        raise LookupError(f"quote is not in the document verbatim ({_why_missing(text, quote)})")
    if occurrence is None and len(starts) > 1:
        raise LookupError(
            f"quote occurs {len(starts)} times in the document; say which with "
            "{text: ..., occurrence: N}"
        )
    index = (occurrence or 1) - 1
    if index >= len(starts):
        raise LookupError(f"quote occurs {len(starts)} times, so occurrence {occurrence} is absent")
    start = starts[index]
    end = start + len(quote)
    return Located(quote, start, end, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])
