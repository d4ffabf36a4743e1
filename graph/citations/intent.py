"""Why a sentence cites a work: a CiTO property chosen by general cues of the sentence and section.

The rules are tried in order and the first that fires decides; each names the cue it read, so
an intent can be checked against its sentence. A sentence no rule decides is classified
``cito:citesForInformation`` by the rule ``default``: that means "mentioned, reason not read",
not a judgement. ``cito:cites`` is always kept beside the intent.

The cues, in order:

* ``contrast``: "in contrast", "unlike", "contrary to", "failed to confirm", "inconsistent with"
  -> ``cito:disagreesWith``;
* ``agreement``: the citing work's own result agrees ("consistent with", "corroborates",
  "confirms", "in line with", "similar to the findings") -> ``cito:confirms``; it supports the
  cited claim ("this supports the findings of") -> ``cito:supports``;
* ``authority``: criteria, classifications, definitions, guidelines and consensus statements
  -> ``cito:citesAsAuthority``;
* ``method``: any other citation in a methods section, or "as described", "method", "protocol",
  "scale" elsewhere -> ``cito:usesMethodIn``;
* ``evidence``: a sentence that reports what the cited work found ("showed", "demonstrated",
  "supported", "reported", "has been shown", "associated with", "improved")
  -> ``cito:citesAsEvidence``;
* ``discussion``: "reviewed", "discussed", "overview" -> ``cito:discusses``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = re.IGNORECASE


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b", _WORDS)


@dataclass(frozen=True)
class Rule:
    """A cue and the CiTO property it gives; ``sections`` limits it (empty: anywhere)."""

    name: str
    intent: str  # local name in CiTO
    cue: re.Pattern[str] | None
    sections: tuple[str, ...] = ()


RULES: tuple[Rule, ...] = (
    Rule("contrast", "disagreesWith", _cue(
        r"in contrast|unlike|contrary to|contrasts? with|inconsistent with|not consistent with"
        r"|in disagreement|conflicts? with|failed to (?:confirm|replicate|reproduce|show|find"
        r"|demonstrate|support)|did not (?:confirm|replicate|support)|was not (?:confirmed"
        r"|replicated)")),
    Rule("agreement", "supports", _cue(
        r"(?:this|these|our|we)\s+(?:\w+\s+){0,3}?(?:supports?|lends? support)")),
    Rule("agreement", "confirms", _cue(
        r"consistent with|in (?:line|agreement|accordance|keeping) with|corroborat\w+"
        r"|confirms?|confirmed|concordant with|similar to (?:the|those|previous|earlier)"
        r"|agrees? with|as (?:previously|also) (?:reported|described|shown)")),
    Rule("authority", "citesAsAuthority", _cue(
        r"criteria|criterion|classification|classified|definitions?|defined by|guidelines?"
        r"|consensus|statement|recommendations?|diagnosed (?:by|according to)")),
    Rule("method", "usesMethodIn", None, ("methods",)),
    Rule("method", "usesMethodIn", _cue(
        r"as (?:previously )?described|methods?|protocols?|technique|scales?|scor(?:e|ing)"
        r"|questionnaire|adapted from|according to")),
    Rule("evidence", "citesAsEvidence", _cue(
        r"show(?:s|ed|n)|demonstrat\w+|supported|reported|found|observed|revealed"
        r"|associated with|improv\w+|effective|efficacy|benefit\w*|predict\w*|indicates?"
        r"|identified|suggest\w*|estimated")),
    Rule("discussion", "discusses", _cue(r"review(?:ed|s)?|discuss\w*|overview|summari[sz]\w+")),
)
DEFAULT = Rule("default", "citesForInformation", None)
INTENTS = tuple(dict.fromkeys([r.intent for r in RULES] + [DEFAULT.intent]))
# how the per-work tallies group intents, as scite groups citation statements
SUPPORTING = ("citesAsEvidence", "supports", "confirms", "agreesWith", "corroborates")
CONTRASTING = ("disagreesWith", "disputes", "refutes", "critiques", "qualifies")


@dataclass(frozen=True)
class Intent:
    """A classified citation context: the CiTO property, the rule and the cue words it read."""

    intent: str
    rule: str
    cue: str | None

    @property
    def decided(self) -> bool:
        return self.rule != DEFAULT.name


_MARKUP = re.compile(r"<[^>]+>")


def classify(sentence: str, section: str | None) -> Intent:
    """The CiTO intent of a sentence citing a work, from its words and its section.

    >>> classify("A systematic review supported the benefit of tacrolimus<sup>17</sup>.",
    ...          "introduction")
    Intent(intent='citesAsEvidence', rule='evidence', cue='supported')
    >>> classify("Diagnosed on the Bohan and Peter criteria<sup>25,26</sup>.", "methods").intent
    'citesAsAuthority'
    >>> classify("In contrast, Ge et al. (2015) saw no change.", "discussion").intent
    'disagreesWith'
    """
    words = _MARKUP.sub(" ", sentence)
    for rule in RULES:
        if rule.sections and section not in rule.sections:
            continue
        if rule.cue is None:
            return Intent(rule.intent, rule.name, None)
        m = rule.cue.search(words)
        if m:
            return Intent(rule.intent, rule.name, m.group(0))
    return Intent(DEFAULT.intent, DEFAULT.name, None)
