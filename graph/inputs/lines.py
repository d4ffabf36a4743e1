"""Line numbers of character offsets, from a cached index of a text's line breaks.

A PubMed XML export holds hundreds of records in one text, and every quote, mention and
candidate in it reports the line it starts on. Counting line breaks from the start of the text
for each made mining quadratic in the file's length; an index built once per text makes each
look-up a binary search.

>>> text = "one\\ntwo\\nthree"
>>> [line_at(text, i) for i in (0, 3, 4, 7, 8)]  # "o", its line break, "t", a break, "t"
[1, 1, 2, 2, 3]
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache


@lru_cache(maxsize=32)
def _breaks(text: str) -> list[int]:
    """The offsets of every line break in ``text`` (cached: texts are long and reused)."""
    breaks, at = [], text.find("\n")
    while at != -1:
        breaks.append(at)
        at = text.find("\n", at + 1)
    return breaks


def line_at(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that holds character ``offset``."""
    return bisect_left(_breaks(text), offset) + 1
