"""Number spellings papers print, made plain for the result patterns, character for character.

Journals and PDF extraction print a decimal point as a middle dot ("0\u00b7001", Lancet
style), a "less than" as a single angle quotation mark ("p \u2039 0.05"), a minus as the
Unicode minus sign and spaces as thin or no-break spaces. :func:`plain_numbers` rewrites each
as the ASCII character the patterns read, one character for one, so every offset found in the
plain text is an offset into the document as printed (quotes are cut from the printed text).
"""

from __future__ import annotations

import re

_DECIMAL_DOT = re.compile(r"(?<=\d)[\u00b7\u2219\u22c5](?=\d)")
_ONE_FOR_ONE = str.maketrans({
    "\u2039": "<", "\u203a": ">",  # single angle quotation marks
    "\u2212": "-", "\u2010": "-", "\u2011": "-",  # minus sign, hyphen, non-breaking hyphen
    "\u2009": " ", "\u202f": " ", "\u200a": " ", "\u2007": " ", "\u00a0": " ",  # thin spaces
    "\uff1c": "<", "\uff1e": ">", "\uff1d": "=",  # full-width relations
})


def plain_numbers(text: str) -> str:
    """``text`` with the spellings above made plain; the same length, the same offsets.

    >>> plain_numbers("p\\u2009\\u2039\\u20090\\u00b7001, HR \\u22120\\u00b75")
    'p < 0.001, HR -0.5'
    """
    return _DECIMAL_DOT.sub(".", text).translate(_ONE_FOR_ONE)
