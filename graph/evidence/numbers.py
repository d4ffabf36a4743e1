"""Numbers as printed: find every number a quote states, and read p-values and timepoints.

A finding's numbers must each be found in its quotes, so this module decides what counts as a
number in text: digits ("17", "0.013", ".013", "2,166.7"), number words ("Thirty-one",
"Fourteen", "all four") and the article phrases that mean one ("a case", "a patient").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.records import unpickled_by_slots

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORDS = {word: value for value, word in enumerate(_UNITS)}
WORDS.update({word: 10 * (i + 2) for i, word in enumerate(_TENS)})

_DIGITS = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\w])")
_WORD = re.compile(
    r"\b("
    + "|".join(_TENS)
    + r")(?:[\s-]("
    + "|".join(_UNITS[1:10])
    + r"))?\b|\b("
    + "|".join(_UNITS)
    + r")\b",
    re.IGNORECASE,
)
_ONE = re.compile(r"\b(?:a|one|single) (?:case|patient)\b", re.IGNORECASE)
_P_VALUE = re.compile(r"^\s*(<=|>=|<|>|=)?\s*(0?\.\d+|1(?:\.0+)?|0)\s*$")
_RANGE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:[-\u2013\u2014]|to)\s*(\d+(?:\.\d+)?)\s*(month|year|week|day)s?",
    re.IGNORECASE,
)
_SINGLE = re.compile(r"(\d+(?:\.\d+)?)\s*(month|year|week|day)s?\b", re.IGNORECASE)
_MONTHS = {"month": 1.0, "year": 12.0, "week": 12 / 52, "day": 12 / 365}


def numbers_in(text: str) -> set[float]:
    """Every number ``text`` states.

    >>> sorted(numbers_in("Thirty-one of 54 patients (57%) p = .013, all four; a case"))
    [0.013, 1.0, 4.0, 31.0, 54.0, 57.0]
    >>> sorted(numbers_in("anti-Jo1\\t27 (50.0)\\t2,166.7 mg"))
    [27.0, 50.0, 2166.7]
    """
    found = {float(m.group(1).replace(",", "")) for m in _DIGITS.finditer(text)}
    for match in _WORD.finditer(text):
        if match.group(3):
            found.add(float(WORDS[match.group(3).lower()]))
        else:
            tens = WORDS[match.group(1).lower()]
            found.add(float(tens + (WORDS[match.group(2).lower()] if match.group(2) else 0)))
    if _ONE.search(text):
        found.add(1.0)
    return found


def stated(value: float, numbers: set[float]) -> bool:
    """Whether ``value`` (or its magnitude: a decrease of 65% prints "65%") is among ``numbers``."""
    return any(abs(abs(value) - n) < 1e-9 for n in numbers)


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class PValue:
    """A p-value as reported: a relation ("=", "<", ...) and a value."""

    relation: str
    value: float


def parse_p_value(text: str) -> PValue | None:
    """Read a printed p-value; None if it is not one.

    >>> parse_p_value("<0.001")
    PValue(relation='<', value=0.001)
    >>> parse_p_value(".013")
    PValue(relation='=', value=0.013)
    """
    match = _P_VALUE.match(text)
    if match is None:
        return None
    return PValue(match.group(1) or "=", float(match.group(2)))


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Timepoint:
    """A timepoint as written, and its span in months when the text gives one."""

    text: str
    months_from: float | None = None
    months_to: float | None = None

    @property
    def key(self) -> str:
        """What two timepoints must share to be the same: "3-6 months" is "3 to 6 months"."""
        if self.months_from is None:
            return self.text.casefold()
        return f"{self.months_from:g}-{self.months_to:g}m"


def parse_timepoint(text: str) -> Timepoint:
    """Read a timepoint's span in months.

    >>> parse_timepoint("3\\u20136 months").key == parse_timepoint("3 to 6 months").key
    True
    >>> parse_timepoint("1 year").key == parse_timepoint("12 months").key
    True
    """
    match = _RANGE.search(text)
    if match:
        scale = _MONTHS[match.group(3).lower()]
        low, high = float(match.group(1)) * scale, float(match.group(2)) * scale
        return Timepoint(text, round(low, 2), round(high, 2))
    match = _SINGLE.search(text)
    if match:
        value = round(float(match.group(1)) * _MONTHS[match.group(2).lower()], 2)
        return Timepoint(text, value, value)
    return Timepoint(text)
