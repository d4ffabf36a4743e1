"""Candidate findings, machine-extracted from text: the numbers of a result and what they are about.

The extractor reads a text sentence by sentence (every table row is a sentence of its own, see
:func:`graph.mining.mentions.sentences`) and recognises the common ways results are printed:

=================  ===============================================================================
pattern            examples
=================  ===============================================================================
percent-fraction   "93.3 % (42/45)", "42/45 (93%)", "(42/45, 93.3%)"
count-percent      "14 (78%)", "17 patients (94%)", "Thirty-one of 54 patients (57%)"
count-of-total     "6 of 11 patients"
all-of-n           "All 6 patients ... responded", "in all four patients"
fraction           "42/45"
before-after       "decreased from 33.8 to 11.5 mg/day", "35.1 mg ± 18.6 mg ... decreased to
                   12.4 mg ± 8.0 mg at 3-6 months" (also as markdown math: ``$35.1 \\text{ mg}$``)
comparison         "(67% vs 35%, p = 0.013)", "11.4 mg vs 31.6 mg"
effect             "HR 0.32 (95% CI 0.14-0.75, P = 0.008)", "OR 2.1 (95% CI 1.1-4.0)"
mean-sd            "143.2 mg ± 28.6 mg", "44.9 years (SD 14.9)", "mean FVC was 61.7% predicted"
percent-change     "65% decrease", "decreased from baseline by 65% at 3-6 months ... and 81% at
                   1 year"
percent            "Ninety-four percent had improvements", "70.4% were women", "anti-Jo1 (50.0%)"
count              "11 patients were taking AZA", "Fourteen patients underwent ..."
p-value            a p-value no other result claims: "( $p = 0.09$ )"
table-row          a row of a tab- or pipe-separated table, read by its header and caption
=================  ===============================================================================

A p-value ("p < 0.001", "P =.013") belongs to the result it qualifies, within its clause (see
below): the result inside its bracket ("(67% vs 35%, p = 0.013)"), else the result just before
its bracket or itself ("rose from 62% to 71% (p = 0.01)"); two counted groups set against each other
("8/10 vs 3/9 (p = 0.04)") are one comparison. A percent change printed after a before/after pair
("(65% decrease, p = 0.002)") joins that pair.

Each candidate's quote is the sentence (or table row) that holds its numbers, with exact offsets;
when the "before" value of a change stands in the previous sentence ("... a mean dose of 143.2 mg.
This decreased 89.6 mg ..."), the quote starts at that sentence. A sentence is cut into clauses
(:mod:`graph.mining.clauses`: semicolons, "whereas", "while", "but", a coordinated clause with its
own subject, a bracket naming a subgroup), and a candidate is linked to

* the drugs its clause mentions (failing that, its sentence's, then the previous sentence's);
  where these are none, or only co-medication ("plus prednisone", "the prednisone dose"), the
  study's own drug (:mod:`graph.mining.study`: the drug its title names, else the one it names
  most often as treatment);
* the outcome mentioned right after it in its clause, else its clause's subject (the nearest
  outcome before its clause's first result), else before the first result of the sentence (with
  as many outcomes as results in a sentence, they pair in order: "FVC and DLCO improved in 89.3 %
  (25/28) and 81.3 % (13/16)"); a dose that changes is a glucocorticoid or DMARD dose by its drug;
  a response that names no outcome ("improved in 5", "responded") is the response of the disease
  its clause or sentence names ("the lung disease ..."), else the outcome the study's title
  names, else a treatment response;
* the population size its clause, else its sentence, states ("of 54 patients", "in 18 patients",
  "(n = 18)", a table caption's "(n = 54)");
* the timepoint after the result ("at 3-6 months", "at 1 year", "after 12 months"), or before it;
* the direction the words of its clause give: improved, improved-or-stable, worsened, no-change;
  a decrease is an improvement of an outcome where lower is better (a dose, CK) and a worsening
  where higher is.

Numbers are kept only when they agree: a total is filled in from the population size only when
the percent confirms it, a percent that contradicts its own fraction is dropped, a total smaller
than its responders is dropped. :func:`extract_candidates` never raises on any text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from graph.evidence.consistency import percent_problem, result_problems
from graph.evidence.findings import Effect, Group, Quote, Result
from graph.evidence.numbers import WORDS, PValue, Timepoint, parse_p_value, parse_timepoint
from graph.evidence.quotes import CONTEXT
from graph.inputs.lines import line_at
from graph.inputs.markup import blank_markup
from graph.mining.clauses import Clauses, clauses
from graph.mining.language import sentences
from graph.mining.mentions import Mention, defined_abbreviations, find_mentions
from graph.mining.sections import sections
from graph.mining.sentences import Sentence
from graph.mining.spelling import plain_numbers
from graph.mining.study import (
    BY_DEFAULT,
    FROM_PRIMARY,
    FROM_TITLE,
    GENERIC_RESPONSE,
    MET_PRIMARY,
    background,
    primary_outcome,
    response_outcome,
    responses,
    study_drugs,
    title_end,
)
from graph.records import unpickled_by_slots
from graph.vocabulary.concepts import Vocabulary

# ----------------------------------------------------------------------------- number patterns

_DEC = r"(?:\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.\d{1,6})?|\.\d{1,6}"
_BEFORE = r"(?<![\w.,/:\-\u2013\u2014^])"
_AFTER = r"(?![\w]|[.,]\d)"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
          "|fifteen|sixteen|seventeen|eighteen|nineteen|zero")
_WORD_NUMBER = rf"(?:{_TENS})(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?|{_UNITS}"
_PERCENT = r"\s*(?:%|percent\b|per\s+cent\b)"
_PATIENTS = (r"(?:patients?|subjects?|participants?|cases?|individuals|persons|people|women|men"
             r"|children|adults)")
_ADJ = r"(?:[A-Za-z][\w\-]*\s+){0,2}?"
_UNIT = (r"(?:mg/kg/day|mg/kg/d|mg/kg|mg/day|mg/d|mg/week|mg/wk|mg/m2|mg|g/day|g/d|g|\u00b5g|mcg"
         r"|ng/ml|ng/mL|U/l|U/L|IU/l|IU/L|mmol/l|mmol/L|ml|mL|kg|cm|%\s*predicted|years?|yrs?"
         r"|months?|weeks?|days?)(?![A-Za-z])")
_TEX_UNIT = r"\\text\{\s*[^}]*?\s*\}"
_PM = r"(?:\\pm|\u00b1|\+/-|\+-)"


_FRACTION = r"(?P<r>\d{1,7})\s*/\s*(?P<t>\d{1,7})(?![\w/]|[.,]\d)"
_DASH = r"(?:-|\u2013|\u2014|to|,)"
# "; 95% CI 81.7-98.6" after a percent, inside its brackets
_CI_TAIL = (rf"(?:\s*[;,]\s*(?P<lvl>\d{{2}}(?:\.\d+)?)\s*%\s*(?:CI|confidence\s+interval)"
            rf"\s*[:=,]?\s*(?P<lo>{_DEC})\s*%?\s*{_DASH}\s*(?P<hi>{_DEC})\s*%?)?")
_GAP_VERB = (r"(?:(?:stable|stabili[sz]ed|improved|better|unchanged)\s+or\s+)?"
             r"(?:improv\w*|better|stable|stabili[sz]ed|unchanged|worse|worsened|deteriorated"
             r"|normal|normali[sz]ed|resolved|respon\w*|remission|stopped|discontinued"
             r"|withdrawn|relapsed)")
_RESPONDED_IN = re.compile(r"^(?:\w+\s+or\s+)?(?:improv|better|normal|resolv|respon|remission)",
                           re.IGNORECASE)


def _num(name: str) -> str:
    return rf"{_BEFORE}(?P<{name}>{_DEC}){_AFTER}"


def _count(name: str) -> str:
    return rf"(?:{_BEFORE}(?P<{name}>\d{{1,7}}|\b(?:{_WORD_NUMBER})\b){_AFTER})"


def _unit(name: str, unit: str = _UNIT) -> str:
    return rf"(?:\s*(?:\\text\{{\s*(?P<{name}>[^}}]*?)\s*\}}|(?P<{name}x>{unit})))?"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# the group a value belongs to, named right after it: "89% for type I vs 31% for type II"
_FOR_LABEL = r"(?:\s+(?:for|in|with)\s+(?:the\s+)?[A-Za-z][\w\-]*(?:\s+[\w\-]+){0,2}?(?=\s+v))?"
# a rate named before its value: "overall survival was 90.3%", "(one-year survival 80%)"
_RATE_WORD = (r"\b(?:survival|mortality|response|remission|relapse|recurrence)(?:\s+rates?)?"
              r"\s+(?:(?:was|were|of|reached)\s+)?")


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("effect", re.compile(
        r"(?<![\w])(?P<m>a?HR|a?OR|a?RR|MD)\s*(?:[=:,]\s*)?"
        rf"(?P<v>[-\u2212]?(?:{_DEC})){_AFTER}"
        r"(?:\s*[,;(\[]?\s*(?:(?P<lvl>\d{2}(?:\.\d+)?)\s*%\s*)?(?:CI|confidence\s+interval)"
        rf"\s*[:=,]?\s*(?P<lo>[-\u2212]?(?:{_DEC}))\s*(?:-|\u2013|\u2014|to|,)\s*"
        rf"(?P<hi>[-\u2212]?(?:{_DEC})))?")),
    ("difference", _compile(
        rf"{_num('v')}\s*(?P<u>{_UNIT}|%|percentage\s+points)\s+(?P<dir>lower|higher|less|more"
        r"|greater|smaller)\s+(?:with|in|for|on|among|than)\b")),
    ("arm", _compile(
        rf"{_num('pct')}{_PERCENT}\s+of\s+(?:the\s+)?(?P<g>(?:[\w\-]+\s+){{0,3}}?"
        rf"(?:group|arm|cohort))\s*\(\s*(?:{_FRACTION}|(?P<r2>\d{{1,7}})\s+of\s+(?P<t2>\d{{1,7}}))"
        r"\s*\)")),
    ("percent-fraction", _compile(
        rf"{_num('pct')}{_PERCENT}\s*\(\s*{_FRACTION}{_CI_TAIL}\s*\)")),
    ("percent-fraction", _compile(
        rf"{_BEFORE}{_FRACTION}\s*\(\s*{_num('pct')}{_PERCENT}{_CI_TAIL}\s*\)")),
    ("percent-fraction", _compile(
        rf"\(\s*{_FRACTION}\s*[,;]\s*{_num('pct')}{_PERCENT}\s*\)")),
    ("comparison", _compile(
        rf"{_num('a')}(?P<ap>{_PERCENT})?{_unit('au')}{_FOR_LABEL}\s*\$?\s*"
        rf"(?:vs\.?|versus|against|compared\s+(?:with|to))\s*\$?\s*"
        rf"{_num('b')}(?P<bp>{_PERCENT})?{_unit('bu')}")),
    ("count-percent", _compile(
        rf"{_count('r')}(?:\s+of\s+(?:the\s+|these\s+)?{_count('t')})?\s*"
        rf"(?:{_ADJ}{_PATIENTS}\s*)?\(\s*{_num('pct')}{_PERCENT}{_CI_TAIL}\s*\)")),
    ("count-of-total", _compile(
        rf"{_count('r')}\s+of\s+(?:the\s+|these\s+)?{_count('t')}(?:\s+{_ADJ}{_PATIENTS}\b"
        r"|(?=\s+(?:who|with|treated|given|survived|died|recovered|improved|responded"
        r"|relapsed|worsened)\b))")),
    ("all-of-n", _compile(
        rf"\ball\s+(?:of\s+(?:the\s+|these\s+)?)?{_count('n')}(?:\s+{_ADJ}{_PATIENTS}\b"
        r"|(?=\s+(?:had|have|were|was|received|showed|developed|died|improved|responded)\b))")),
    ("fraction", _compile(rf"(?<![\w.,/:]){_FRACTION}")),
    ("mean-sd", _compile(
        rf"{_num('mean')}{_unit('u')}\s*{_PM}\s*{_num('sd')}(?:\s*{_TEX_UNIT}|\s*{_UNIT})?")),
    ("mean-sd", _compile(
        rf"{_num('mean')}{_unit('u')}\s*\(\s*SD\s*[=:,]?\s*{_num('sd')}\s*\)")),
    ("mean-sd", _compile(
        rf"\bmean\b(?P<what>[^.;$\d]{{0,60}}?)\b(?:was|were|of|=|:)\s*\$?\s*{_num('mean')}"
        rf"(?:\s*(?P<ux>%\s*predicted|{_UNIT}))?")),
    ("percent-change", _compile(
        rf"{_num('pct')}{_PERCENT}\s*(?P<word>decrease|reduction|decline|drop|fall|increase|rise"
        r"|improvement|gain)\b")),
    ("percent-change", _compile(
        rf"\bby\s+(?:an?\s+(?:mean|median|average)\s+(?:of\s+)?|approximately\s+|about\s+"
        rf"|nearly\s+)?{_num('pct')}"
        rf"{_PERCENT}")),
    ("percent", _compile(
        rf"(?:{_num('pct')}|\b(?P<wpct>{_WORD_NUMBER})\b){_PERCENT}"
        rf"(?=\s+(?:of\s+(?:the\s+|our\s+|all\s+|these\s+)?{_ADJ}{_PATIENTS}|had|have|has"
        r"|showed|show|were|was|responded|improved|achieved|experienced|exhibited|demonstrated"
        r"|developed|required|received)\b)")),
    ("percent", _compile(rf"(?<=\S)\s*\(\s*{_num('pct')}{_PERCENT}\s*\)")),
    ("percent", _compile(rf"{_RATE_WORD}{_num('pct')}{_PERCENT}(?!\s*(?:vs|versus)\b)")),
    ("percent", _compile(
        rf"{_num('pct')}{_PERCENT}\s*\(\s*(?P<lvl>\d{{2}}(?:\.\d+)?)\s*%\s*(?:CI|confidence"
        rf"\s+interval)\s*[:=,]?\s*(?P<lo>{_DEC})\s*%?\s*{_DASH}\s*(?P<hi>{_DEC})\s*%?\s*\)")),
    ("in-n", _compile(
        rf"\b(?P<verb>{_GAP_VERB})\s+in\s+(?:(?P<all>all\s+(?:of\s+)?(?:the\s+|these\s+)?)?"
        rf"{_count('n')}(?!\s*(?:%|percent|of\b|{_ADJ}{_PATIENTS}\b))"
        rf"|{_num('pct')}{_PERCENT}(?!\s*(?:of|predicted)\b))")),
    ("in-n", _compile(rf"\bin\s+{_num('pct')}{_PERCENT}(?=\s*(?:[.;,)]|\band\b|$))")),
    ("mean-sd", _compile(rf"(?P<what>){_num('mean')}\s*(?P<ux>{_UNIT})\s+on\s+average")),
    ("mean-sd", _compile(
        rf"(?:on\s+average|an\s+average\s+of)\s+(?P<what>){_num('mean')}\s*(?P<ux>{_UNIT})")),
    ("count", _compile(
        rf"{_count('n')}\s+(?:{_ADJ}{_PATIENTS}\s+(?:had|have|underwent|developed|received"
        r"|required|died|discontinued|experienced|showed|relapsed|worsened"
        r"|(?P<verb>responded|improved|recovered|gained|achieved|reached"
        r"|met(?!\s+(?:the\s+|all\s+)?(?:\w+\s+){0,2}(?:criteria|criterion|eligib\w*)\b))"
        r"|(?:was|were)\s+(?:taking|hospitali[sz]ed|treated|receiving|able))"
        r"|had\s+(?!been\b))\b")),
    ("count", _compile(
        rf"(?:^|(?<=[;:,(]\s)|(?<=\band\s)|(?<=\bwhile\s)|(?<=\bbut\s)){_count('n')}\s+"
        r"(?:relapsed|died|worsened|(?P<verb>met|gained|achieved|reached|responded|improved"
        r"|recovered))\b")),
    ("count", _compile(rf"{_count('n')}\s+of\s+(?:them|these|those)\b")),
    ("count", _compile(  # the drug as subject: "cyclosporine given early helped 4 patients"
        rf"\b(?P<verb>helped|benefit(?:t?ed))\s+{_count('n')}\s+{_ADJ}{_PATIENTS}\b")),
    ("count", _compile(
        rf"\bthe\s+(?:other|remaining)\s+{_count('n')}\s+(?:{_ADJ}{_PATIENTS}\s+)?"
        r"(?:relapsed|died|worsened|(?P<verb>responded|improved|recovered|survived))\b")),
]
_MEASURE = _compile(
    rf"{_num('v')}{_unit('u')}(?:\s*{_PM}\s*{_num('sd')}(?:\s*{_TEX_UNIT}|\s*{_UNIT})?)?")
_SUMMARY = r"(?:an?\s+(?:mean|median)\s*(?:\(\s*(?:SD|IQR|range)\s*\)\s*)?(?:of\s+)?)?"


def _spread(name: str) -> str:
    """An SD, an IQR or a range in brackets after a value: "(10.2)", "(SD 10.2)", "(5-20)"."""
    return (rf"(?:\s*\(\s*(?:SD\s*[=:,]?\s*)?(?P<{name}>{_DEC})"
            rf"(?:\s*(?:-|\u2013|\u2014|to|,)\s*(?P<{name}2>{_DEC}))?\s*\))?")


# "from 33.8 to 11.5 mg/day", "from a mean (SD) of 20.1 (10.2) mg/day to 9.8 (5.1) mg/day",
# "from a median (IQR) of 15 (10-20) mg to 5 (2.5-7.5) mg", "from 32.4 (21.6) mg/day at baseline
# to 7.6 (4.2) mg/day at two years" (the first value's timepoint between it and "to")
# ... or a percent: "FVC rose from 62% to 71%"
_WHEN = r"(?:\s+(?:at|on|before)\s+(?:the\s+)?[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)?)?"
_CHANGE_UNIT = rf"(?:{_UNIT}|%)"
_FROM_TO = _compile(rf"\bfrom\s+\$?\s*{_SUMMARY}{_num('a')}{_unit('au', _CHANGE_UNIT)}"
                    rf"{_spread('asd')}{_unit('av')}{_WHEN}\s*\$?\s+to\s+\$?\s*{_SUMMARY}"
                    rf"{_num('b')}{_unit('bu', _CHANGE_UNIT)}{_spread('bsd')}{_unit('bv')}")
_CHANGE_VERB = _compile(r"\b(?:decreas\w*|reduc\w*|declin\w*|fell|fallen|dropped|tapered|lowered"
                        r"|increas\w*|rose|risen|raised|grew|grown|went|gone|changed)\b")
_RISE = _compile(r"(?:increas|rose|risen|raised|grew|grown|went\s+up|gone\s+up)")
_AND_PERCENT = _compile(rf"(?:\band\s+|,\s*(?:and\s+)?)(?:by\s+)?{_num('pct')}{_PERCENT}"
                        r"(?=\s+(?:at|after|by|within|over|in)\b)")
_P_VALUE = re.compile(r"(?<![\w\\])[pP](?:\s*-?\s*value)?\s*(?P<rel><=|>=|\u2264|\u2265|<|>|=)\s*"
                      r"(?P<v>0?\.\d+|1(?:\.0+)?|0)(?![\d])")
# "(P = 0.027, 0.003 and 0.002, respectively)": one p-value per item of the list before it
_P_ONE = r"(?:0?\.\d+|1(?:\.0+)?)(?![\d])"
_P_LIST = re.compile(rf"(?<![\w\\])[pP](?:\s*-?\s*values?)?\s*(?P<rel><=|>=|\u2264|\u2265|<|>|=)\s*"
                     rf"(?P<items>{_P_ONE}(?:\s*,\s*{_P_ONE})*\s*,?\s*(?:and|or)\s+{_P_ONE})"
                     r"\s*,?\s*respectively")
_P_LIST_NUMBER = re.compile(_P_ONE)
_DEFINITION = _compile(r"\b(?:defined|definition|criteria|criterion|threshold|classified)\b")
_ANAPHOR = _compile(r"^\W*(?:this|these|it|they|which|that)\b")

_POP_OF = _compile(rf"\b(?:of|in|among|from|for|total\s+of)\s+(?:the\s+|all\s+|these\s+|our\s+"
                   rf"|a\s+total\s+of\s+)?{_count('n')}\s+{_ADJ}{_PATIENTS}\b")
_POP_SUBJECT = _compile(
    rf"(?:^|(?<=[.;:]\s)|(?<=\bResults\s)){_count('n')}\s+{_ADJ}{_PATIENTS}\b[^.;]{{0,100}}?"
    r"\b(?:were|was)\s+(?:included|enrolled|studied|identified|recruited|randomi[sz]ed"
    r"|analy[sz]ed|evaluated|reviewed)\b")
_POP_ALL = _compile(rf"\ball\s+(?:of\s+)?(?:the\s+|these\s+)?{_count('n')}")
_POP_N = _compile(r"\(\s*\$?\s*n\s*=\s*(?P<n>\d{1,7})\s*\$?\s*\)")
_TIMEPOINT = _compile(
    r"\b(?:at|after|by|within|over|for|during|follow-up\s+of|followed\s+(?:up\s+)?for)\s+"
    r"(?:the\s+end\s+of\s+|a\s+(?:mean|median)\s+of\s+)?"
    r"(?P<tp>\d{1,3}(?:\.\d+)?(?:\s*(?:-|\u2013|\u2014|to)\s*\d{1,3}(?:\.\d+)?)?\s*"
    r"(?:months?|years?|weeks?|days?))\b")

_IMPROVED_OR_STABLE = _compile(r"\b(?:improv\w*|better)\s+or\s+(?:stabili[sz]\w*|stable)"
                               r"|\b(?:stabili[sz]\w*|stable)\s+or\s+(?:improv|better)")
_NO_CHANGE = _compile(r"\b(?:no\s+change|unchanged|remained\s+stable|(?:was|were)\s+stable"
                      r"|stable\s+in\b|no\s+difference|did\s+not\s+differ"
                      r"|did\s+not\s+(?:respond|improve|change)|failed\s+to\s+(?:respond|improve)"
                      r"|no\s+(?:improvement|response))")
_WORSENED = _compile(r"\b(?:worsen\w*|worse\b|deteriorat\w*|progressed|aggravat\w*|relapse\w*)")
_IMPROVED = _compile(r"\b(?:improv\w*|respond(?:ed)?\b|response|remission|resolv\w*|recover\w*"
                     r"|well\s+controlled|(?:met|reached|achieved|attained)\s+(?:the|its|their)"
                     r"\s+(?:co-?)?primary)")
_DECREASE = _compile(r"\b(?:decreas\w*|reduc\w*|declin\w*|fell|lower\w*|dropped|taper\w*)")
_INCREASE = _compile(r"\b(?:increas\w*|rose|higher|elevat\w*)")
_DOSE = _compile(r"\bdos(?:e|es|age|ages|ing)\b")
_RESPONSE_WORD = _compile(r"\b(?:respon\w*|improv\w*|recover\w*|better\b|remission|stabili[sz]\w*"
                          r"|benefit\w*|effective|decreas\w*|reduc\w*|worsen\w*|deteriorat\w*)")
_NOT_RESPONSE = _compile(r"\b(?:fail\w*|not)\s+(?:to\s+)?(?:respond|improve)")
_DOSE_OUTCOMES = {"glucocorticoid": "glucocorticoid-dose", "conventional-dmard": "dmard-dose"}

_CELL = re.compile(r"^\s*(?P<a>[<>]?\s*-?\d[\d,]*(?:\.\d+)?|-?\.\d+)\s*%?\s*"
                   r"(?:\(\s*(?P<b>-?\d[\d,]*(?:\.\d+)?|-?\.\d+)\s*%?\s*\))?\s*$")
_TABLE_TITLE = re.compile(r"\bTable\s+\d+", re.IGNORECASE)
_MEAN_WORDS = re.compile(r"\b(?:mean|median|SD)\b", re.IGNORECASE)
_STATISTIC = _compile(r"\b(?P<stat>means?|medians?)\b")
_STAT_AFTER = _compile(r"\s*\(\s*(?:the\s+|all\s+)?(?P<stat>means?|medians?)\b")
_SPREAD_LABEL = _compile(r"\b(?P<kind>IQRs?|interquartile|ranges?)\b")
_DIGIT = re.compile(r"\d")
_N_PERCENT = re.compile(r"\bn\s*\(\s*%\s*\)", re.IGNORECASE)
_P_HEADER = re.compile(r"^\s*p(?:[\s\-]?value)?\s*$", re.IGNORECASE)

# Sections whose numbers are other studies' (an Introduction citing earlier reports), never
# this study's results (see graph.mining.sections).
OTHER_STUDIES = frozenset({"background"})

# Set to False to let a bug surface instead of skipping the sentence it occurred in (tests do).
SAFE = True


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Candidate:
    """A result the extractor found, with its quote and what it could link it to.

    ``groups`` holds per-group values of a comparison ("67% vs 35%") or of a table row with one
    column per group ("Male\\t6\\t10\\t0.055"); a group's ``population`` is the column header (or
    "group 1", "group 2").
    """

    quote: Quote
    result: Result
    drugs: tuple[str, ...]
    outcome: str | None
    population_size: int | None
    population_text: str | None
    timepoint: Timepoint | None
    direction: str | None
    pattern: str
    groups: tuple[Group, ...] = ()
    # what a characteristic counts ("16 Jo1": anti-jo-1); kind is "characteristic" for a
    # baseline fact (a breakdown of the group, "at baseline", a baseline-characteristics table)
    characteristic: str | None = None
    kind: str = "outcome"
    section: str | None = None  # the section the result is printed in: results, methods, ...
    percent_ci: tuple[float, float, float | None] | None = None  # (lower, upper, level)
    # where its drugs, or its outcome, came from when its own sentence named none (the study's
    # title, its most named treatment, a treatment response by default): None when named
    drugs_inferred: str | None = None
    outcome_inferred: str | None = None


@dataclass
class _Item:
    """A result found in a sentence, before it is linked."""

    start: int
    end: int
    pattern: str
    fields: dict[str, Any] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    stated_total: bool = False
    quote_start: int | None = None
    fill_total: bool = False  # a part of the population its sentence names ("improved in 5")
    label: str | None = None  # what a composition entry counts ("16 Jo1": "Jo1")
    listed: int = 0  # the list of numbers it is one of ("rose by 24%, 22% and 17%"), from 1;
    # a list of p-values ("P = 0.027, 0.003 and 0.002, respectively") counts from -1


# ----------------------------------------------------------------------------- small helpers

def _float(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


def _int(text: str) -> int | None:
    """An integer printed in digits or words ("Thirty-one"); None if it is not one."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s\-]+", text.casefold())
    if not words or any(w not in WORDS for w in words):
        return None
    return sum(WORDS[w] for w in words)


def _percent(text: str | None) -> float | None:
    if text is None:
        return None
    value = _float(text)
    return value if 0 <= value <= 100 else None


def _unit_of(match: re.Match[str], name: str) -> str | None:
    unit = match.group(name) or match.group(f"{name}x")
    return unit.strip() if unit and unit.strip() else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _quote(text: str, start: int, end: int) -> Quote:
    return Quote(text[start:end], start, end, text[max(0, start - CONTEXT):start],
                 text[end:end + CONTEXT], line_at(text, start))


def _p_value(relation: str, value: str) -> PValue | None:
    relation = {"\u2264": "<=", "\u2265": ">="}.get(relation, relation)
    return parse_p_value(f"{relation}{value}")


# ----------------------------------------------------------------------------- prose results

def _clause(sentence: str, m: re.Match[str]) -> str:
    """The clause of a sentence that holds a match: between semicolons."""
    end = sentence.find(";", m.end())
    return sentence[sentence.rfind(";", 0, m.start()) + 1:end if end >= 0 else len(sentence)]


def _part_field(sentence: str) -> str:
    """``responders`` when the clause speaks of a response or change, else ``count``."""
    if _NOT_RESPONSE.search(sentence):
        return "count"
    return "responders" if _RESPONSE_WORD.search(sentence) else "count"


def _pattern_items(sentence: str, offset: int) -> list[_Item]:
    """Results found by the fixed patterns, the earlier pattern winning where they overlap."""
    items: list[_Item] = (_composition_items(sentence, offset) + _list_items(sentence, offset)
                          + _p_list_items(sentence, offset))
    taken: list[tuple[int, int]] = [(i.start - offset, i.end - offset) for i in items]
    taken += [m.span() for m in _P_LIST.finditer(sentence)]
    definition = _DEFINITION.search(sentence) is not None
    change_verb = _CHANGE_VERB.search(sentence)
    for name, regex in _PATTERNS:
        for match in regex.finditer(sentence):
            span = match.span()
            if any(_overlaps(span, t) for t in taken):
                continue
            item = _read(name, match, sentence, definition, change_verb)
            taken.append(span)  # a match that is no result (60 of 54) hides its parts too
            if item is None:
                continue
            found = _Item(span[0] + offset, span[1] + offset, name, *item)
            found.fill_total = name == "in-n" and "total" not in found.fields
            items.append(found)
    for match in _AND_PERCENT.finditer(sentence):
        earlier = [i for i in items if i.pattern == "percent-change" and i.start < match.start()
                   + offset]
        span = match.span()
        if earlier and not any(_overlaps(span, t) for t in taken) and not definition:
            sign = -1.0 if earlier[-1].fields.get("percent_change", 0) < 0 else 1.0
            taken.append(span)
            items.append(_Item(span[0] + offset, span[1] + offset, "percent-change",
                               {"percent_change": sign * _float(match.group("pct"))}))
    return items


_LABEL = rf"(?!{_UNIT}|%|percent\b)[A-Za-z][\w\-]*(?:\s+(?!and\b)[A-Za-z][\w\-]*){{0,2}}"
_COMPOSITION = re.compile(
    rf"\(\s*(?:\d{{1,7}}\s+{_LABEL}\s*(?:,|;|\band\b)\s*)+(?:and\s+)?\d{{1,7}}\s+{_LABEL}\s*\)",
    re.IGNORECASE)
_ENTRY = re.compile(rf"(?P<n>\d{{1,7}})\s+(?P<label>{_LABEL})", re.IGNORECASE)
# "rose by 24%, 22% and 17%", "in 50%, 30% and 20%, respectively": one result per number
_LIST = _compile(
    rf"(?P<by>\bby\s+(?:an?\s+(?:mean|median)\s+(?:of\s+)?)?)?"
    rf"(?P<items>{_BEFORE}(?:{_DEC}){_PERCENT}(?:\s*,\s*(?:{_DEC}){_PERCENT})*\s*,?\s*(?:and|or)\s+"
    rf"(?:{_DEC}){_PERCENT})"
    r"(?P<resp>(?:\s+of\s+predicted)?\s*,?\s*respectively)?")
_LIST_NUMBER = re.compile(rf"{_BEFORE}(?P<v>{_DEC}){_PERCENT}", re.IGNORECASE)


def _composition_items(sentence: str, offset: int) -> list[_Item]:
    """The entries of a bracketed breakdown of a group, each a count of the group:
    "(16 Jo1, 6 PL-12, 3 PL-7)", "(76 polymyositis, 76 dermatomyositis and 48 juvenile DM)"."""
    items = []
    for match in _COMPOSITION.finditer(sentence):
        for entry in _ENTRY.finditer(match.group()):
            start = match.start() + entry.start()
            items.append(_Item(start + offset, match.start() + entry.end() + offset,
                               "composition", {"count": int(entry.group("n"))},
                               fill_total=True, label=entry.group("label")))
    return items


def _p_list_items(sentence: str, offset: int) -> list[_Item]:
    """The p-values of a "respectively" list, each its own result, in the order of the
    coordinated outcomes before it."""
    items = []
    for index, match in enumerate(_P_LIST.finditer(sentence)):
        base = match.start("items")
        for number in _P_LIST_NUMBER.finditer(match.group("items")):
            value = _p_value(match.group("rel"), number.group())
            if value is not None:
                items.append(_Item(base + number.start() + offset, base + number.end() + offset,
                                   "p-value", {"p_value": value}, listed=-(index + 1)))
    return items


def _list_items(sentence: str, offset: int) -> list[_Item]:
    """The numbers of a list of three or more percents, or of two followed by "respectively",
    each its own result: a change when a verb of change and "by" come before it."""
    items = []
    for index, match in enumerate(_LIST.finditer(sentence)):
        numbers = list(_LIST_NUMBER.finditer(match.group("items")))
        if len(numbers) < 3 and not match.group("resp"):
            continue
        verb = _CHANGE_VERB.search(sentence, 0, match.start())
        change = match.group("by") is not None and verb is not None
        sign = 1.0 if verb is not None and _RISE.match(verb.group()) else -1.0
        base = match.start("items")
        for number in numbers:
            value = _float(number.group("v"))
            fields = ({"percent_change": sign * value} if change
                      else {"percent": value} if value <= 100 else None)
            if fields is None:
                continue
            items.append(_Item(base + number.start() + offset, base + number.end() + offset,
                               "percent-change" if change else "percent", fields,
                               listed=index + 1))
    return items


def _ci(m: re.Match[str]) -> tuple[float, float, float | None] | None:
    """A confidence interval printed with a percent: (lower, upper, level)."""
    names = m.groupdict()
    if "lo" not in names or m.group("lo") is None:
        return None
    return (_float(m.group("lo")), _float(m.group("hi")),
            _float(m.group("lvl")) if m.group("lvl") else None)


def _read(
    name: str, m: re.Match[str], sentence: str, definition: bool,
    change_verb: re.Match[str] | None,
) -> tuple[dict[str, Any], tuple[Group, ...], bool] | None:
    """The fields of one pattern match, or None when it is not a result after all."""
    found = _read_fields(name, m, sentence, definition, change_verb)
    if found is not None and name != "effect" and _ci(m) is not None:
        found[0]["_ci"] = _ci(m)
    return found


def _read_fields(
    name: str, m: re.Match[str], sentence: str, definition: bool,
    change_verb: re.Match[str] | None,
) -> tuple[dict[str, Any], tuple[Group, ...], bool] | None:
    if name == "difference":
        sign = -1.0 if m.group("dir").lower() in ("lower", "less", "smaller") else 1.0
        unit = " ".join(m.group("u").split())
        return {"effect": Effect("MD", sign * _float(m.group("v"))), "unit": unit}, (), False
    if name == "arm":
        part, total = _int(m.group("r") or m.group("r2")), _int(m.group("t") or m.group("t2"))
        percent = _percent(m.group("pct"))
        if part is None or total is None or total == 0 or part > total or percent is None:
            return None
        group = Group(" ".join(m.group("g").split()), count=part, percent=percent)
        fields = {_part_field(_clause(sentence, m)): part, "total": total, "percent": percent}
        return fields, (group,), True
    if name == "in-n":
        if m.group("pct") is not None:
            percent = _percent(m.group("pct"))
            return ({"percent": percent}, (), False) if percent is not None else None
        n = _int(m.group("n"))
        if not n:
            return None
        field_name = "responders" if _RESPONDED_IN.match(m.group("verb")) else "count"
        if m.group("all"):
            return {field_name: n, "total": n}, (), True
        return {field_name: n}, (), False
    if name == "effect":
        measure = m.group("m").lstrip("a")
        effect = Effect(measure, _float(m.group("v")))
        if m.group("lo") is not None:
            effect = replace(effect, ci_lower=_float(m.group("lo")), ci_upper=_float(m.group("hi")),
                             ci_level=_float(m.group("lvl")) if m.group("lvl") else None)
        return {"effect": effect}, (), False
    if name == "percent-fraction" or name == "count-of-total" or name == "fraction":
        part, total = _int(m.group("r")), _int(m.group("t"))
        if part is None or total is None or total == 0 or part > total:
            return None
        fields: dict[str, Any] = {_part_field(_clause(sentence, m)): part,
                                  "total": total}
        if "pct" in m.groupdict():
            fields["percent"] = _percent(m.group("pct"))
        return fields, (), True
    if name == "count-percent":
        part = _int(m.group("r"))
        total = _int(m.group("t")) if m.group("t") else None
        percent = _percent(m.group("pct"))
        if part is None or percent is None:
            return None
        fields = {_part_field(_clause(sentence, m)): part, "percent": percent}
        if total is not None:
            fields["total"] = total
        return fields, (), total is not None
    if name == "all-of-n":
        n = _int(m.group("n"))
        if n is None or n == 0:
            return None
        return {_part_field(_clause(sentence, m)): n, "total": n}, (), True
    if name == "comparison":
        groups = []
        for index, key in enumerate(("a", "b"), start=1):
            value = _float(m.group(key))
            unit = _unit_of(m, f"{key}u")
            if m.group(f"{key}p"):
                if value > 100:
                    return None
                groups.append(Group(f"group {index}", percent=value))
            elif unit or "." in m.group(key):
                groups.append(Group(f"group {index}", mean=value))
            else:
                groups.append(Group(f"group {index}", count=int(value)))
        units = {_unit_of(m, "au"), _unit_of(m, "bu")} - {None}
        return ({"unit": units.pop()} if len(units) == 1 else {}), tuple(groups), False
    if name == "mean-sd":
        groups_dict = m.groupdict()
        if "what" in groups_dict:
            unit = (m.group("ux") or "").strip() or None
            if unit and re.match(r"(?:year|yr|month|week|day)", unit, re.IGNORECASE) and re.search(
                    r"follow", m.group("what"), re.IGNORECASE):
                return None
            return {"mean": _float(m.group("mean")), "unit": unit}, (), False
        return {"mean": _float(m.group("mean")), "sd": _float(m.group("sd")),
                "unit": _unit_of(m, "u")}, (), False
    if name == "percent-change":
        if definition:
            return None
        value = _float(m.group("pct"))
        if "word" in m.groupdict():
            sign = -1.0 if m.group("word").lower() in ("decrease", "reduction", "decline", "drop",
                                                       "fall") else 1.0
        else:
            if change_verb is None or change_verb.start() > m.start():
                return None
            sign = 1.0 if _RISE.match(change_verb.group()) else -1.0
        return {"percent_change": sign * value}, (), False
    if name == "percent":
        if "wpct" in m.groupdict() and m.group("wpct"):
            value: float | None = float(_int(m.group("wpct")) or 0)
        else:
            value = _percent(m.group("pct"))
            before = sentence[:m.start()].rstrip()
            if m.group().lstrip().startswith("(") and re.search(r"(?:^|\s)[\d.,]+$", before):
                return None  # "16 (29.6)" is a count and its percent, read elsewhere
        if value is None or value > 100:
            return None
        return {"percent": value}, (), False
    if name == "count":
        n = _int(m.group("n"))
        if n is None:
            return None
        return {"responders" if m.groupdict().get("verb") else "count": n}, (), False
    return None


def _measures(sentence: str) -> list[tuple[int, int, float, float | None, str | None]]:
    """Values with a unit or an SD: (start, end, value, sd, unit), offsets in the sentence."""
    found = []
    for m in _MEASURE.finditer(sentence):
        unit = _unit_of(m, "u")
        sd = _float(m.group("sd")) if m.group("sd") else None
        if sd is None and unit and re.match(
                r"(?:%(?!\s*predicted)|years?|yrs?|months?|weeks?|days?)$", unit):
            continue
        if unit is None and sd is None:
            continue
        found.append((m.start(), m.end(), _float(m.group("v")), sd, unit))
    return found


def _statistic(body: str, m: re.Match[str]) -> str:
    """Whether a from-to pair is of medians or of means: the statistic word in the pair itself
    ("from a median (IQR) of 15 (10-20) to 5 (2.5-7.5)"), in a bracket right after it ("fell from
    399 to 74.5 IU/L (medians)"), else the last one before it in its sentence with no number
    between ("median CK fell from", "... (medians) and the dose from 52.5 to 9"); means when none.
    """
    after = _STAT_AFTER.match(body, m.end())
    if after is not None:
        return after.group("stat").lower().rstrip("s")
    words = [w for w in _STATISTIC.finditer(body, 0, m.end())
             if w.start() >= m.start() or not _DIGIT.search(body, w.end(), m.start())]
    return words[-1].group("stat").lower().rstrip("s") if words else "mean"


def _pair_fields(body: str, m: re.Match[str], unit: str | None) -> dict[str, Any]:
    """The numbers of a from-to pair: means with their SDs, or medians with their IQRs or ranges
    where the text labels the bracketed pair (an unlabelled pair after a median is left out:
    papers print either)."""
    if _statistic(body, m) != "median":
        fields: dict[str, Any] = {"before_mean": _float(m.group("a")),
                                  "after_mean": _float(m.group("b")), "unit": unit}
        for key, name in (("before_sd", "asd"), ("after_sd", "bsd")):
            if m.group(name) is not None and m.group(f"{name}2") is None:  # an SD, not an IQR
                fields[key] = _float(m.group(name))
        return fields
    fields = {"before_median": _float(m.group("a")), "after_median": _float(m.group("b")),
              "unit": unit}
    label = _SPREAD_LABEL.search(m.group(0) + body[m.end():m.end() + 30])
    kind = label.group("kind").lower() if label is not None else None
    spread = None if kind is None else ("min", "max") if kind.startswith("range") \
        else ("iqr_lower", "iqr_upper")
    for side, name in (("before", "asd"), ("after", "bsd")):
        if spread is not None and m.group(name) is not None and m.group(f"{name}2") is not None:
            fields[f"{side}_{spread[0]}"] = _float(m.group(name))
            fields[f"{side}_{spread[1]}"] = _float(m.group(f"{name}2"))
    return fields


def _change_items(text: str, spans: list[Sentence], index: int) -> list[_Item]:
    """Before/after pairs: "from X to Y", or values before and after a verb of change."""
    sentence = spans[index]
    body = text[sentence.start:sentence.end]
    offset = sentence.start
    items: list[_Item] = []
    for m in _FROM_TO.finditer(body):
        verb = [v for v in _CHANGE_VERB.finditer(body, max(0, m.start() - 80), m.start())]
        if not verb:
            continue
        unit = (_unit_of(m, "bu") or _unit_of(m, "bv") or _unit_of(m, "au")
                or _unit_of(m, "av"))
        items.append(_Item(m.start() + offset, m.end() + offset, "before-after",
                           _pair_fields(body, m, unit)))
    verb = _CHANGE_VERB.search(body)
    if verb is None:
        return items
    measures = [x for x in _measures(body)
                if not any(_overlaps((x[0] + offset, x[1] + offset), (i.start, i.end))
                           for i in items)]
    befores = [x for x in measures if x[1] <= verb.start()]
    afters = [x for x in measures if x[0] >= verb.end()]
    if not afters:
        return items
    quote_start = None
    if befores:
        before = ([x for x in befores if x[3] is not None] or befores)[-1]
    else:
        before = None
        previous = spans[index - 1] if index > 0 and not spans[index - 1].row else None
        if previous is not None and _ANAPHOR.search(body):
            earlier = _measures(text[previous.start:previous.end])
            earlier = [x for x in earlier if x[3] is not None] or earlier
            if earlier:
                before = earlier[-1]
                quote_start = previous.start
    if before is None:
        return items
    for start, end, value, sd, unit in afters:
        fields = {"before_mean": before[2], "before_sd": before[3], "after_mean": value,
                  "after_sd": sd, "unit": unit or before[4]}
        items.append(_Item(start + offset, end + offset, "before-after",
                           {k: v for k, v in fields.items() if v is not None},
                           quote_start=quote_start))
    return items


def _p_values(body: str, offset: int) -> list[tuple[int, int, PValue]]:
    found = []
    listed = [m.span() for m in _P_LIST.finditer(body)]  # read by _p_list_items
    for m in _P_VALUE.finditer(body):
        if any(_overlaps(m.span(), span) for span in listed):
            continue
        value = _p_value(m.group("rel"), m.group("v"))
        if value is not None:
            found.append((m.start() + offset, m.end() + offset, value))
    return found


_COUNTED = ("fraction", "percent-fraction", "count-percent", "count-of-total")
_VERSUS = re.compile(r"^\s*,?\s*(?:vs\.?|versus|compared\s+(?:with|to)|against)\s*$", re.IGNORECASE)


def _counted_group(item: _Item, index: int) -> Group:
    part = item.fields.get("responders", item.fields.get("count"))
    return Group(f"group {index}", count=part, percent=item.fields.get("percent"))


def _assemble(items: list[_Item], p_values: list[tuple[int, int, PValue]], text: str,
              parts: Clauses) -> list[_Item]:
    """Merge percent changes into the change they follow, and two counted groups set against
    each other ("8/10 vs 3/9") into one comparison; give each p-value to the result it qualifies.

    A p-value inside a bracket that holds a result goes to that result ("(67% vs 35%, p =
    0.013)"); a bracket holding only the p-value qualifies the result just before it ("rose from
    62% to 71% (p = 0.01)", "8/10 vs 3/9 (p = 0.04)"); a bare p-value the result before it. A
    p-value never reaches into another clause ("..., whereas DLCO did not change (p = 0.4)"
    stands alone, about DLCO).
    """
    items = sorted(items, key=lambda i: (i.start, i.end))
    merged: list[_Item] = []
    for item in items:
        last = merged[-1] if merged else None
        if item.pattern == "arm" and last is not None and last.pattern in ("arm", "comparison") \
                and last.groups and len(last.groups) < 4:
            # "79% of the IVIG group (37 of 47) and 44% of the placebo group (21 of 48)": one
            # comparison, both groups named, the first one's numbers its result
            last.pattern, last.groups = "comparison", last.groups + item.groups
            last.end = max(last.end, item.end)
            continue
        if (item.pattern in _COUNTED and last is not None and last.pattern in _COUNTED
                and not last.groups and _VERSUS.match(text[last.end:item.start])):
            # "improved in 8/10 vs 3/9": one comparison of two groups, the first one's numbers
            # its result
            last.groups = (_counted_group(last, 1), _counted_group(item, 2))
            last.pattern, last.end = "comparison", item.end
            continue
        if (item.pattern == "percent-change" and last is not None
                and last.pattern == "before-after" and "percent_change" not in last.fields):
            trial = Result(**{**last.fields, "percent_change": item.fields["percent_change"]})
            if not result_problems(trial):
                last.fields["percent_change"] = item.fields["percent_change"]
                last.end = max(last.end, item.end)
                continue
        merged.append(item)
    for start, end, value in p_values:
        clause = parts.of(start)
        bracket = parts.bracket_of(start)
        inside = ([i for i in merged if bracket[0] <= i.start < start] if bracket else [])
        limit = bracket[0] if bracket and not inside else start
        before = inside or [i for i in merged if clause[0] <= i.start < limit]
        if before and "p_value" not in before[-1].fields:
            before[-1].fields["p_value"] = value
            before[-1].end = max(before[-1].end, end)
        else:
            merged.append(_Item(start, end, "p-value", {"p_value": value}))
    return sorted(merged, key=lambda i: (i.start, i.end))


# ----------------------------------------------------------------------------- linking

@dataclass(frozen=True)
class _Context:
    text: str
    vocabulary: Vocabulary
    spans: list[Sentence]
    mentions: list[Mention]
    drugs: list[Mention]  # drugs also where a longer label holds them ("prednisone dose")
    sections: tuple[tuple[int, str], ...] = ()  # (offset, section) of every heading, in order
    study_drugs: tuple[str, ...] = ()  # the drugs the study tests (:mod:`graph.mining.study`)
    study_drugs_from: str | None = None  # where they were read: its title, its most named drug
    study_outcome: str | None = None  # the outcome its title names
    primary_outcome: str | None = None  # the outcome of the primary end point its text defines

    @cached_property
    def drug_starts(self) -> list[int]:
        return [m.start for m in self.drugs]

    @cached_property
    def mention_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    def section_at(self, offset: int) -> str | None:
        """The section of the text at ``offset``: that of the last heading before it."""
        found = None
        for start, name in self.sections:
            if start > offset:
                break
            found = name
        return found


def _mentions_in(context: _Context, start: int, end: int, kind: str) -> list[Mention]:
    """The unnegated mentions of ``kind`` within ``start:end`` (found by bisection: a result
    looks up its clause's and its sentence's, so a long text must not be scanned each time)."""
    vocabulary = context.vocabulary
    pool, starts = ((context.drugs, context.drug_starts) if kind == "drug"
                    else (context.mentions, context.mention_starts))
    return [m for m in pool[bisect_left(starts, start):bisect_left(starts, end)]
            if m.end <= end and not m.negated
            and m.concept in vocabulary and vocabulary[m.concept].kind == kind]


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _previous(context: _Context, index: int) -> Sentence | None:
    if index > 0 and not context.spans[index - 1].row and not context.spans[index].row:
        return context.spans[index - 1]
    return None


def _drugs(context: _Context, index: int, parts: Clauses, clause: tuple[int, int]
           ) -> tuple[tuple[str, ...], str | None]:
    """The drugs of a result: those its clause names (not in a subgroup's bracket within it),
    else its sentence's, else the sentence before's, else the study's (then also where they were
    read: the study's title or its most named treatment). A drug whose dose another clause
    speaks of ("...; the mean daily prednisone dose went from 16.7 mg to 4 mg") is that
    clause's alone."""
    sentence = context.spans[index]
    drugs = [m for m in _mentions_in(context, *clause, "drug") if parts.holds(clause, m.start)]
    if not drugs:
        dosed = [c for c in parts.top if c != clause and _DOSE.search(context.text, *c)]
        drugs = [m for m in _mentions_in(context, sentence.start, sentence.end, "drug")
                 if not any(a <= m.start < b for a, b in dosed)]
    previous = _previous(context, index)
    if previous is not None and all(background(context.text, m) for m in drugs):
        drugs = drugs or [m for m in _mentions_in(context, previous.start, previous.end, "drug")
                          if not background(context.text, m)]
    if context.study_drugs and all(background(context.text, m) for m in drugs):
        # no drug, or only co-medication: the study's
        return context.study_drugs, context.study_drugs_from
    return _unique([m.concept for m in drugs]), None


def _outcomes(context: _Context, sentence: Sentence, items: list[_Item],
              parts: Clauses) -> list[str | None]:
    """The outcome of each item (see the module docstring): named right after it in its
    clause, else the nearest before it in its clause, else before the sentence's first result."""
    mentions = _mentions_in(context, sentence.start, sentence.end, "outcome")
    distinct = _unique([m.concept for m in mentions])
    first = items[0].start if items else sentence.end
    shared = [m.concept for m in mentions if m.start < first]
    chosen: list[str | None] = []
    before: list[bool] = []  # whether each item's outcome is named before it (its subject)
    for index, item in enumerate(items):
        if len(items) > 1 and len(distinct) == len(items):
            chosen = list(distinct)
            break
        clause = parts.of(item.start)
        end = min(items[index + 1].start if index + 1 < len(items) else sentence.end, clause[1])
        if item.pattern == "in-n":  # "the forced vital capacity in 79%": its clause is before,
            # up to its own verb where that names an outcome ("MMF was stopped in 13")
            start = max(items[index - 1].end if index else sentence.start, clause[0])
            own = [m.concept for m in mentions if start <= m.start < item.end][-1:]
        else:
            own = [m.concept for m in mentions if item.start <= m.start < end]
        subject = False
        previous = index - 1 if index and items[index - 1].start >= clause[0] else None
        if not own and previous is None:  # the first result of its clause: the clause's subject
            own = [m.concept for m in mentions if clause[0] <= m.start < item.start][-1:]
            subject = bool(own)
        elif not own and previous is not None and before[previous]:
            # "the diffusing capacity by 6.3% at 52 weeks and 7.1% at 104 weeks": the subject
            # of the results before it in its clause
            own, subject = [chosen[previous]], True
        before.append(subject)
        chosen.append(own[0] if own else (shared[-1] if shared else None))
    for listed in {i.listed for i in items if i.listed}:
        positions = [k for k, i in enumerate(items) if i.listed == listed]
        for k, concept in zip(positions, _conjunct_outcomes(
                context, parts.of(items[positions[0]].start), items[positions[0]].start,
                len(positions)), strict=True):
            chosen[k] = concept
    return chosen


_CONJUNCT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _conjunct_outcomes(context: _Context, clause: tuple[int, int], end: int,
                       count: int) -> list[str | None]:
    """The outcomes of a list's items, read from as many coordinated words before it in its
    clause ("FVC, FEV1 and DLCO rose by 24%, 22% and 17%"); None for a word that names no known
    outcome."""
    text = context.text
    start = clause[0]
    cuts = [start]
    cuts += [m.end() for m in _CONJUNCT.finditer(text, start, end)]
    pieces = list(zip(cuts, [*(m.start() for m in _CONJUNCT.finditer(text, start, end)), end],
                      strict=True))[-count:]
    if len(pieces) < count:
        return [None] * count
    mentions = _mentions_in(context, start, end, "outcome")
    return [next((m.concept for m in mentions if a <= m.start < b), None) for a, b in pieces]


def _dose_outcome(context: _Context, index: int, drugs: tuple[str, ...]) -> str | None:
    """glucocorticoid-dose or dmard-dose for a changing dose of a drug of that class."""
    sentence = context.spans[index]
    previous = _previous(context, index)
    start = previous.start if previous is not None else sentence.start
    if not _DOSE.search(context.text, start, sentence.end):
        return None
    nearby = list(drugs) + [m.concept for m in _mentions_in(context, start, sentence.end, "drug")]
    for drug in nearby:
        if drug not in context.vocabulary:
            continue
        family = {drug} | context.vocabulary.ancestors(drug)
        for parent, outcome in _DOSE_OUTCOMES.items():
            if parent in family and outcome in context.vocabulary:
                return outcome
    return None


def _responds(direction: str | None, text: str, clause: tuple[int, int]) -> bool:
    """Whether a result reports a response: its words give a direction, or its clause speaks of
    responding or improving ("79% of the IVIG group ... responded")."""
    return direction is not None or _RESPONSE_WORD.search(text, *clause) is not None


def _response_outcome(context: _Context, index: int, clause: tuple[int, int]
                      ) -> tuple[str, str | None]:
    """The outcome of a response result that names none ("it improved in 5"): the response its
    clause, else its sentence, names, or of the disease it names ("the lung disease ..." is an ILD
    response; a treatment response where it names two, "improved in both"), else the outcome the
    study's title names, else a treatment response (then also where it came from: the title,
    or by default)."""
    sentence = context.spans[index]
    if context.primary_outcome is not None and MET_PRIMARY.search(context.text, *clause):
        return context.primary_outcome, FROM_PRIMARY  # "two met the primary end point"
    for start, end in (clause, (sentence.start, sentence.end)):
        named = responses(_mentions_in(context, start, end, "disease")
                          + _mentions_in(context, start, end, "outcome"), context.vocabulary)
        if named:
            return (named[0] if len(named) == 1 else GENERIC_RESPONSE), None
    if context.study_outcome is not None:
        return context.study_outcome, FROM_TITLE
    return GENERIC_RESPONSE, BY_DEFAULT


def _population(text: str, start: int, end: int) -> tuple[int | None, str | None]:
    for regex in (_POP_OF, _POP_N, _POP_SUBJECT, _POP_ALL):
        for m in regex.finditer(text, start, end):
            n = _int(m.group("n"))
            if n:
                return n, m.group().strip()
    return None, None


def _timepoint(text: str, sentence: Sentence, items: list[_Item], index: int) -> Timepoint | None:
    item = items[index]
    end = items[index + 1].start if index + 1 < len(items) else sentence.end
    match = _TIMEPOINT.search(text, item.start, end)
    if match is None:
        region_start = sentence.start if index == 0 else items[index - 1].end
        found = list(_TIMEPOINT.finditer(text, region_start, item.start))
        if index > 0:
            found = [m for m in found if m.start() >= items[index - 1].end]
        match = found[-1] if found else None
    if match is None:
        return None
    written = re.sub(r"\s+", " ", match.group("tp"))
    return parse_timepoint(written)


def _direction(context: _Context, text: str, outcome: str | None, dose: bool) -> str | None:
    if _IMPROVED_OR_STABLE.search(text):
        return "improved-or-stable"
    if _NO_CHANGE.search(text):
        return "no-change"
    if _WORSENED.search(text):
        return "worsened"
    lower_is_better = context.vocabulary[outcome].lower_is_better if (
        outcome in context.vocabulary) else None
    if lower_is_better is None and dose:
        lower_is_better = True
    for regex, down in ((_DECREASE, True), (_INCREASE, False)):
        if regex.search(text) and lower_is_better is not None:
            return "improved" if down == lower_is_better else "worsened"
    if _IMPROVED.search(text):
        return "improved"
    return None


def _clean(fields: dict[str, Any], population: int | None, stated_total: bool) -> Result:
    """A result whose numbers agree: fill the total from the population only when it fits."""
    fields = {k: v for k, v in fields.items() if v is not None}
    part_name = "responders" if "responders" in fields else "count"
    part, percent = fields.get(part_name), fields.get("percent")
    if (part is not None and "total" not in fields and percent is not None and population
            and population >= part and percent_problem(part, population, percent, "") is None):
        fields["total"] = population
    total = fields.get("total")
    if part is not None and total is not None:
        if part > total:
            del fields["total"]
        elif percent is not None and percent_problem(part, total, percent, "") is not None:
            if stated_total:
                del fields["percent"]
            else:
                del fields["total"]
    result = Result(**fields)
    problems = result_problems(result)
    if any(p.startswith("percent_change") for p in problems):
        result = replace(result, percent_change=None)
    if result.effect is not None and any("outside its CI" in p for p in problems):
        result = replace(result, effect=Effect(result.effect.measure, result.effect.value))
    return result


def _prose_candidates(context: _Context, index: int) -> list[Candidate]:
    text = context.text
    sentence = context.spans[index]
    body = text[sentence.start:sentence.end]
    changes = _change_items(text, context.spans, index)
    patterned = [i for i in _pattern_items(body, sentence.start)
                 if not any(_overlaps((i.start, i.end), (c.start, c.end)) for c in changes)
                 and not (i.pattern == "mean-sd" and _before_value_in(i, changes, text))]
    parts = clauses(text, sentence.start, sentence.end)
    items = _assemble(changes + patterned, _p_values(body, sentence.start), text, parts)
    if not items:
        return []
    outcomes = _outcomes(context, sentence, items, parts)
    previous = _previous(context, index)
    size, size_text = _population(text, sentence.start, sentence.end)
    earlier: tuple[int | None, str | None] = (None, None)
    if size is None and previous is not None:
        earlier = _population(text, previous.start, previous.end)
        if _REFERS_BACK.search(body):  # "of them": the previous sentence's group
            size, size_text = earlier
    section = context.section_at(sentence.start)
    candidates: list[Candidate] = []
    baselines: dict[tuple[int, int], bool] = {}
    for position, item in enumerate(items):
        own = parts.of(item.start)  # its clause: drugs, outcome and population named there first
        drugs, drugs_inferred = _drugs(context, index, parts, own)
        outcome_inferred = None
        dose_outcome = _dose_outcome(context, index, drugs)
        outcome = outcomes[position]
        changed = item.pattern in ("before-after", "percent-change")
        if outcome is None and changed:
            outcome = dose_outcome
        dose = dose_outcome is not None or bool(_DOSE.search(body))
        direction = None
        if item.pattern == "p-value":  # a p-value alone: what the words of its clause say
            direction = _direction(context, text[own[0]:item.start], outcome, dose)
        elif item.pattern not in ("comparison", "effect", "difference", "composition"):
            # an "in N" item holds its own verb ("improved in 5, was stable in 4")
            predicate = (text[item.start:min(items[position + 1].start, own[1])
                              if position + 1 < len(items) else own[1]]
                         if item.pattern == "in-n" else _predicate(text, items, position, own))
            direction = (_direction(context, predicate, outcome, dose)
                         or (candidates[-1].direction if item.pattern == "in-n" and candidates
                             and candidates[-1].pattern == "in-n" else None)
                         or _direction(context, text[own[0]:item.start], outcome, dose)
                         or _direction(context, text[sentence.start:items[0].start], outcome,
                                       dose))
        if outcome is None and not changed and _responds(direction, text, own):
            outcome, outcome_inferred = _response_outcome(context, index, own)
        fields = dict(item.fields)
        ci = fields.pop("_ci", None)
        part = fields.get("responders", fields.get("count"))
        its_size, its_text = _population(text, *own)  # the group its clause names, else the
        if its_size is None:  # sentence's
            its_size, its_text = size, size_text
        if item.fill_total and its_size and part is not None and part <= its_size:
            fields["total"] = its_size
        characteristic = _label_concept(context, item) if item.label else None
        clause_start = max(sentence.start, text.rfind(";", sentence.start, item.start) + 1)
        clause_end = text.find(";", item.end, sentence.end)
        clause = (clause_start, clause_end if clause_end >= 0 else sentence.end)
        if clause not in baselines:  # once per clause: a long sentence has many items
            baselines[clause] = _BASELINE.search(text, *clause) is not None
        baseline = baselines[clause]
        kind = ("characteristic" if item.pattern == "composition"
                or (baseline and not changed) else "outcome")
        quote_start = item.quote_start if item.quote_start is not None else sentence.start
        result = _clean(fields, its_size, item.stated_total or item.fill_total)
        if its_size is None and earlier[0] is not None:
            # the previous sentence's group only when the percent confirms it is the total
            result = _clean(fields, earlier[0], item.stated_total or item.fill_total)
            if result.total == earlier[0]:
                its_size, its_text = earlier
        candidates.append(Candidate(
            quote=_quote(text, quote_start, sentence.end),
            result=result,
            drugs=drugs, outcome=None if kind == "characteristic" else outcome,
            population_size=its_size, population_text=its_text,
            timepoint=_timepoint(text, sentence, items, position), direction=direction,
            pattern=item.pattern, groups=_named_groups(context, own, item),
            characteristic=characteristic, kind=kind, section=section, percent_ci=ci,
            drugs_inferred=drugs_inferred if drugs else None,
            outcome_inferred=None if kind == "characteristic" else outcome_inferred,
        ))
    return candidates


_REFERS_BACK = _compile(rf"\b(?:them|these|those|they|their|this\s+group|the\s+group|of\s+whom"
                        rf"|all\s+(?:the\s+|our\s+)?{_PATIENTS}"
                        rf"|the\s+others|the\s+rest|remaining|the\s+(?:whole\s+)?cohort"
                        rf"|the\s+{_PATIENTS})\b")
_BASELINE = _compile(r"\b(?:at\s+baseline|at\s+(?:disease\s+)?onset|at\s+diagnosis|at\s+entry"
                     r"|baseline\s+characteristics|(?:mean|median)\s+age|were\s+(?:women|men|female"
                     r"|male))\b")


def _label_concept(context: _Context, item: _Item) -> str | None:
    """The concept a composition entry counts, named in its label ("6 PL-12": anti-pl-12)."""
    found = [m for m in context.mentions if item.start <= m.start and m.end <= item.end + 1
             and m.concept in context.vocabulary
             and context.vocabulary[m.concept].kind not in ("drug", "outcome")]
    return found[0].concept if found else None


def _named_groups(context: _Context, clause: tuple[int, int], item: _Item
                  ) -> tuple[Group, ...]:
    """A two-group comparison's groups named by the two drugs its clause compares ("more
    frequent with AZA than with MMF (33.3% vs 13.6%)"), when it names exactly two."""
    groups = item.groups
    if len(groups) != 2 or not all(g.population.startswith("group ") for g in groups):
        return groups
    named = _unique([m.concept for m in _mentions_in(context, clause[0], item.start, "drug")])
    if len(named) != 2:
        return groups
    return tuple(replace(g, population=name) for g, name in zip(groups, named, strict=True))


_CONNECTIVES = re.compile(r"^(?:[\s,;()$]|\band\b|\bor\b|\bvs\b|\bversus\b)*$", re.IGNORECASE)


def _predicate(text: str, items: list[_Item], position: int, clause: tuple[int, int]) -> str:
    """The words that speak of an item: its clause, or, for an item coordinated with the next
    ("93.3 % (42/45) and 64.7 % (11/17) of patients showed improvement"), the next one's; never
    beyond the end of its clause ("..., whereas DLCO did not change")."""
    for index in range(position, len(items)):
        end = min(items[index + 1].start if index + 1 < len(items) else clause[1], clause[1])
        if index + 1 == len(items) or not _CONNECTIVES.match(text[items[index].end:end]):
            return text[items[position].start:end]
    return text[items[position].start:clause[1]]


def _before_value_in(item: _Item, changes: list[_Item], text: str) -> bool:
    """Whether a mean-sd item is the "before" value a change already uses."""
    value = item.fields.get("mean")
    return any(c.fields.get("before_mean") == value and c.start > item.start for c in changes)


# ----------------------------------------------------------------------------- tables

@dataclass
class _Table:
    header: list[str] | None
    caption: str
    section: str = ""


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    return line.strip().strip("|").split("|")


def _numeric(cell: str) -> bool:
    return bool(_CELL.match(cell)) or cell.strip().upper() in ("N/A", "NA", "NS", "-", "\u2014")


def _tables(context: _Context) -> dict[int, _Table]:
    """The table each row sentence belongs to, by sentence index."""
    tables: dict[int, _Table] = {}
    spans, text = context.spans, context.text
    current: _Table | None = None
    for index, span in enumerate(spans):
        if not span.row:
            current = None
            continue
        previous = spans[index - 1] if index > 0 else None
        gap = text[previous.end:span.start] if previous is not None else "\n\n"
        if current is None or not previous or not previous.row or gap.count("\n") > 1:
            caption_start = span.start
            for back in range(index - 1, max(-1, index - 5), -1):
                if spans[back].row:
                    break
                if _TABLE_TITLE.search(text, spans[back].start, spans[back].end):
                    caption_start = spans[back].start
                    break
            cells = _cells(text[span.start:span.end])
            header = cells if len(cells) > 1 and not any(_numeric(c) for c in cells[1:]) else None
            current = _Table(header, text[caption_start:span.start])
        tables[index] = current
    return tables


def _cell_value(cell: str) -> tuple[float, float | None] | None:
    match = _CELL.match(cell)
    if match is None:
        return None
    first = match.group("a").lstrip("<> ")
    return _float(first), _float(match.group("b")) if match.group("b") else None


def _row_candidate(context: _Context, index: int, table: _Table) -> Candidate | None:
    text = context.text
    span = context.spans[index]
    line = text[span.start:span.end]
    cells = _cells(line)
    if table.header is not None and cells == table.header:
        return None
    label, values = cells[0].strip(), cells[1:]
    if not any(v.strip() for v in values):
        table.section = label
        return None
    if set("".join(values).strip()) <= set("-:| "):
        return None  # a markdown separator row
    size, size_text = _population(table.caption, 0, len(table.caption))
    names = table.header[1:] if table.header else [f"column {i}" for i in range(1, len(values) + 1)]
    p_columns = {i for i, name in enumerate(names) if _P_HEADER.match(name)}
    group_columns = [i for i in range(len(values)) if i not in p_columns]
    fields: dict[str, Any] = {}
    groups: list[Group] = []
    mean_row = bool(_MEAN_WORDS.search(label) or _MEAN_WORDS.search(table.section))
    counts_row = bool(_N_PERCENT.search(table.caption)) and not mean_row
    for i in p_columns:
        if i < len(values):
            p = parse_p_value(values[i].strip().lstrip("= "))
            if p is not None:
                fields["p_value"] = p
    stated_total = False
    if len(group_columns) == 1:
        value = _cell_value(values[group_columns[0]]) if group_columns[0] < len(values) else None
        if value is not None:
            first, second = value
            integral = first.is_integer() and "." not in values[group_columns[0]].split("(")[0]
            if (counts_row or (integral and not mean_row)) and integral:
                fields["count"] = int(first)
                if second is not None and 0 <= second <= 100:
                    fields["percent"] = second
            else:
                fields["mean"] = first
                if second is not None:
                    fields["sd"] = second
    else:
        for i in group_columns:
            if i >= len(values):
                continue
            value = _cell_value(values[i])
            if value is None:
                continue
            first, second = value
            name = names[i].strip() if i < len(names) else f"column {i + 1}"
            if first.is_integer() and "." not in values[i].split("(")[0]:
                groups.append(Group(name, count=int(first),
                                    percent=second if second is not None and second <= 100
                                    else None))
            else:
                groups.append(Group(name, mean=first, sd=second))
    if not fields and not groups:
        return None
    label_end = span.start + len(cells[0])
    outcomes = _mentions_in(context, span.start, label_end, "outcome")
    drugs = _unique([m.concept for m in _mentions_in(context, span.start, label_end, "drug")])
    return Candidate(
        quote=_quote(text, span.start, span.end),
        result=_clean(fields, size, stated_total),
        drugs=drugs, outcome=outcomes[0].concept if outcomes else None,
        population_size=size, population_text=size_text, timepoint=None, direction=None,
        pattern="table-row", groups=tuple(groups),
    )


# ----------------------------------------------------------------------------- entry point

def extract_candidates(
    text: str, vocabulary: Vocabulary, mentions: list[Mention] | None = None,
    abbreviations: Mapping[str, str | None] | None = None, title: str | None = None,
) -> list[Candidate]:
    """Every candidate finding of ``text``, in document order (see the module docstring).

    ``abbreviations`` are the document's own (see :func:`graph.mining.mentions.find_mentions`).
    ``title`` is the study's title where ``text`` is a part of the document printed apart from
    it (a record's abstract): the study's drug and outcome are read from it, as from the start
    of a text that holds its own title.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    printed, text = text, plain_numbers(blank_markup(text))
    try:
        spans = sentences(text)
        if abbreviations is None:
            abbreviations = defined_abbreviations(text, vocabulary)
        found = (find_mentions(text, vocabulary, abbreviations=abbreviations)
                 if mentions is None else mentions)
        drugs = {(m.start, m.end, m.concept): m
                 for m in find_mentions(text, vocabulary, ("drug",), abbreviations)}
        for m in found:
            if m.concept in vocabulary and vocabulary[m.concept].kind == "drug":
                drugs.setdefault((m.start, m.end, m.concept), m)
        ordered = sorted(drugs.values(), key=lambda m: m.start)
        found = sorted(found, key=lambda m: m.start)
        headings = sections(text)
        if title is None:
            end = title_end(text, headings)
            tested, tested_from = study_drugs(text, ordered, end)
            titled = [m for m in found if m.end <= end]
        else:
            titled = find_mentions(title, vocabulary, abbreviations=abbreviations)
            tested, tested_from = study_drugs(
                title, [m for m in titled if m.concept in vocabulary
                        and vocabulary[m.concept].kind == "drug"], len(title))
            if not tested:  # a title naming no drug: the text's most named treatment
                tested, tested_from = study_drugs(text, ordered, 0)
        context = _Context(text, vocabulary, spans, found, ordered, headings, tested, tested_from,
                           response_outcome(titled, vocabulary),
                           primary_outcome(text, [(s.start, s.end) for s in spans], found,
                                           vocabulary))
        tables = _tables(context)
    except Exception:
        if not SAFE:
            raise
        return []
    candidates: list[Candidate] = []
    for index, span in enumerate(spans):
        try:
            if span.row:
                candidate = _row_candidate(context, index, tables[index])
                candidates.extend([candidate] if candidate else [])
            else:
                candidates.extend(_prose_candidates(context, index))
        except Exception:  # a sentence the patterns cannot cope with is skipped, never fatal
            if not SAFE:
                raise
    return [replace(c, quote=_quote(printed, c.quote.start, c.quote.end))
            for c in _without_restated_baselines(candidates) if c.section not in OTHER_STUDIES]


def _without_restated_baselines(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a mean-sd candidate that a before/after candidate quoting it uses as its "before"."""
    changes = [c for c in candidates if c.pattern == "before-after"]
    return [c for c in candidates if not (c.pattern == "mean-sd" and any(
        d.quote.start <= c.quote.start and c.quote.end <= d.quote.end
        and d.result.before_mean == c.result.mean for d in changes))]
