"""The abbreviations a text defines for itself: "long form (SHORT)", found the Schwartz-Hearst way.

The short form is one token of 2-10 characters with a capital letter (hyphens allowed: "MA-ILD"),
and the long form is the shortest run of preceding words, within the clause, in which the short
form's letters and digits occur in order, its first character opening a word. Measured against
scispaCy's AbbreviationDetector (the same algorithm on spaCy tokens) in ``docs/nlp-components.md``.
"""

from __future__ import annotations

import re

from graph.mining.sentences import trim

_WORD = re.compile(r"\S+")
# "(CYC)", "(MDA5)", "(6MWD)": one token, a capital letter, opening with a letter or digit.
_SHORT_FORM = re.compile(r"\((?P<short>[^\W_][^\s()\[\];,]{1,9})\)")
_LONG_FORM_STOP = re.compile(r"[.;:!?()\[\]]")


def _long_form(short: str, before: str) -> int | None:
    """Where in ``before`` the long form of ``short`` starts (Schwartz and Hearst 2003), or None.

    >>> before = "they started cyclosporine "
    >>> before[_long_form("CYC", before):]
    'cyclosporine '
    >>> _long_form("ILD", "a dry cough ") is None
    True
    """
    chars = [c.lower() for c in short if c.isalnum()]
    at = len(before.rstrip()) - 1
    for index in range(len(chars) - 1, -1, -1):
        wanted = chars[index]
        while at >= 0 and (before[at].lower() != wanted
                           or (index == 0 and at > 0 and before[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
    return at + 1


def definitions(text: str) -> list[tuple[str, int, int]]:
    """Every "long form (SHORT)" definition of ``text``: short form, long-form start and end.

    The long form is looked for in the words before the parenthesis, within its clause and at
    most ``min(len(short) + 5, 2 * len(short))`` words back.

    >>> t = "they started cyclosporine (CYC) at 3 mg/kg/day; ILD (n = 17) and (94%)"
    >>> [(short, t[a:b]) for short, a, b in definitions(t)]
    [('CYC', 'cyclosporine')]
    """
    found = []
    for match in _SHORT_FORM.finditer(text):
        short = match["short"]
        if not any(c.isupper() for c in short) or not any(c.isalpha() for c in short):
            continue
        end = match.start()
        stops = [m.end() for m in _LONG_FORM_STOP.finditer(text, max(0, end - 300), end)]
        window_start = stops[-1] if stops else max(0, end - 300)
        words = list(_WORD.finditer(text, window_start, end))
        keep = min(len(short) + 5, 2 * len(short))
        window_start = words[-keep].start() if len(words) > keep else window_start
        before = text[window_start:end]
        start = _long_form(short, before)
        if start is None:
            continue
        long_start, long_end = trim(text, window_start + start, end)
        if long_end - long_start > len(short) and text[long_start:long_end] != short:
            found.append((short, long_start, long_end))
    return found
