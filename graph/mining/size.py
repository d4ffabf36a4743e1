"""The number of patients of a study, read from how papers state it, with the quote it is read from.

Papers state the size of their study in a few ways: "Of 95 patients, ...", "Twenty-five patients
were included", "a total of 134 patients", "we describe four consecutive patients", "were
studied: 125 patients", "66 patients were treated with AZA and 44 with MMF" (the groups add up),
"67 patients were identified, 54 of whom met the inclusion criteria" (the ones who met them), "a
45-year-old woman" (a case report: one). The first statement in the document's prose (its
abstract before its body) is the study's size; the group they were drawn from ("the cohort of 112
patients") only when no statement says who was studied; a study that states none has no size,
and says so (see :mod:`graph.evidence.links`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.evidence.findings import Quote
from graph.evidence.numbers import WORDS
from graph.evidence.quotes import CONTEXT
from graph.inputs.lines import line_at
from graph.records import unpickled_by_slots

_N = (r"(?P<n>\d{1,6}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s\-]"
      r"(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven"
      r"|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
      r"|nineteen)")
_WHO = (r"(?:patients|subjects|participants|cases|adults|children|individuals|women|men)")
_ADJ = r"(?:[A-Za-z][\w\-]*\s+){0,3}?"
_GAP = r"(?:[^.;]|\.\d){0,130}?"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# the statements of who was studied; the earliest in the text wins
STATEMENTS: tuple[re.Pattern[str], ...] = (
    _rx(rf"\b(?:a\s+total\s+of|overall,?|in\s+all,?)\s+{_N}\s+{_ADJ}{_WHO}\b"),
    _rx(rf"(?:^|(?<=[.;:]\s)|(?<=[.;:]\s\s)|(?<=\n))of\s+(?:the\s+|these\s+)?{_N}\s+{_ADJ}{_WHO}\b(?=\s*(?:,|who|with|in|randomi|\())"),
    _rx(rf"(?<![\w.,])\b{_N}\s+{_ADJ}{_WHO}\b{_GAP}\b(?:were|was)\s+(?:included|enrolled|studied"
        rf"|identified|recruited|randomi[sz]ed|analy[sz]ed|evaluated|reviewed|given|treated)\b"
        rf"(?P<rest>[^.;]{{0,80}})"),
    _rx(rf"\b(?:describe[sd]?|report(?:s|ed)?|present(?:s|ed)?|stud(?:y|ied|ies)|review(?:s|ed)?"
        rf"|looks?\s+back\s+at|looked\s+back\s+at|include[sd]?|enroll(?:s|ed)?|involved)\s*:?\s+"
        rf"(?:a\s+total\s+of\s+)?{_N}\s+{_ADJ}{_WHO}\b"),
    _rx(rf"\b{_N}\s+consecutive\s+{_ADJ}{_WHO}\b"),
    _rx(r"\ban?\s+(?P<case>\d{1,3}|[a-z]+(?:-[a-z]+)?)[\s\-]year[\s\-]old\s+(?:man|woman|male"
        r"|female|boy|girl|patient)\b"),
    _rx(r"\b(?:report|describe|present)s?\s+(?:here\s+)?(?:on\s+)?(?P<case>a|one)\s+"
        r"(?:case|patient)\b"),
)
# the group the patients were drawn from: their size only when no statement above gives one
SOURCES = (_rx(rf"\b(?:cohort|series|group|sample|registry)\s+of\s+{_N}\s+{_ADJ}{_WHO}\b"),)
_OF_WHOM = _rx(rf"^,?\s*{_N}\s+of\s+whom\s+(?:met|fulfilled|were\s+(?:included|eligible))")
_AND_WITH = _rx(rf"(?:\s+(?:with|on)\s+[^,;.]{{1,40}}?)?\s*(?:,|\band\b)\s+{_N}\s+(?:with|on)\b")


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class StudySize:
    """A study's number of patients and the words that state it."""

    n: int
    quote: Quote


def _int(text: str) -> int | None:
    text = text.strip().casefold()
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s\-]+", text)
    return sum(WORDS[w] for w in words) if all(w in WORDS for w in words) else None


def _read(match: re.Match[str]) -> tuple[int | None, int]:
    """The size a statement gives, and where its words end."""
    names = match.groupdict()
    if names.get("case") is not None:
        return 1, match.end()
    n, end = _int(match.group("n")), match.end()
    rest = names.get("rest")
    if n is not None and rest:
        of_whom = _OF_WHOM.match(rest)
        if of_whom:  # "67 patients were identified, 54 of whom met the inclusion criteria"
            return _int(of_whom.group("n")), match.start("rest") + of_whom.end()
        more = _AND_WITH.match(rest)
        if more and _int(more.group("n")):  # "66 were treated with AZA and 44 with MMF"
            end = match.start("rest") + more.end()
            while more:
                n += _int(more.group("n")) or 0
                more = _AND_WITH.match(match.string, end)
                end = more.end() if more else end
            return n, end
    return n, end


def study_size(text: str, regions: tuple[tuple[int, int], ...] = ()) -> StudySize | None:
    """The number of patients ``text`` states for its study (looked for in ``regions``, the
    document's prose, in order), or None when it states none."""
    for patterns in (STATEMENTS, SOURCES):
        for start, end in regions or ((0, len(text)),):
            found = [m for regex in patterns for m in regex.finditer(text, start, end)]
            for match in sorted(found, key=lambda m: m.start()):
                n, stop = _read(match)
                if n:
                    quote = Quote(text[match.start():stop], match.start(), stop,
                                  text[max(0, match.start() - CONTEXT):match.start()],
                                  text[stop:stop + CONTEXT], line_at(text, match.start()))
                    return StudySize(n, quote)
    return None
