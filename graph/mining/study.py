"""What a study as a whole is about: its study drug and its primary outcome, and which drugs a
sentence names only in passing.

A paper's results often name neither: "the lung disease improved in 5", "83% responded", or name
only the drug given alongside the studied one ("... and the prednisone dose fell"). Such a result
is about the drug the study set out to test and the outcome it set out to measure, which its
title (the text before its first section heading) names: "Rituximab in the treatment of
interstitial lung disease ..." is a rituximab study of an ILD response. A title naming no drug
leaves the drug the text names most often as the intervention.

A drug named as co-medication or background ("plus prednisone", "alongside methotrexate", "the
prednisone dose", "tapered glucocorticoids", "a dose of 1 mg/kg of prednisolone") is *background*:
it never displaces the study drug as what a response result is about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from graph.mining.mentions import Mention
from graph.vocabulary.concepts import Vocabulary

# the longest stretch read as a title: a text without headings still starts with its title
_TITLE_SPAN = 1000
_BACKGROUND_BEFORE = re.compile(
    r"(?:\bplus|\balongside|\btogether\s+with|\balong\s+with|\bconcomitant(?:ly)?|\bbackground"
    r"|\bconcurrent|\btaper(?:ed|ing)?(?:\s+(?:of|the))?|\bdos(?:e|es|age)\s+of)"
    r"\s+(?:[\w\-.,/]+\s+){0,3}$", re.IGNORECASE)
_BACKGROUND_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:dos(?:e|es|age|ing)|taper\w*)\b", re.IGNORECASE)
GENERIC_RESPONSE = "treatment-response"
# where a result's drug or outcome came from when its own sentence names none (written to the
# graph as maild:drugInferredFrom / maild:outcomeInferredFrom, shown by the findings questions)
FROM_TITLE = "the study's title"
FROM_MOST_NAMED = "the treatment the study's text names most often"
BY_DEFAULT = "no outcome named (a treatment response by default)"
FROM_PRIMARY = "the primary end point the study's text defines"
# "The primary end point was ...", "Primary outcome: ...": where a study defines what it measures
_PRIMARY_DEFINED = re.compile(
    r"\bprimary\s+(?:efficacy\s+)?(?:end\s*-?\s*points?|outcomes?(?:\s+measures?)?)"
    r"\s*(?:was|were|is|:)\s", re.IGNORECASE)
# a result reached against it: "two met the primary end point"
MET_PRIMARY = re.compile(
    r"\b(?:met|meet|meeting|reached|achieved|attained)\s+(?:the|its|their)\s+(?:co-?)?primary"
    r"\s+(?:efficacy\s+)?(?:end\s*-?\s*points?|outcomes?)", re.IGNORECASE)


def background(text: str, mention: Mention) -> bool:
    """Whether ``mention`` (a drug) is named as co-medication or a dose, not as the treatment."""
    before = text[max(0, mention.start - 60):mention.start]
    after = text[mention.end:mention.end + 30]
    return bool(_BACKGROUND_BEFORE.search(before) or _BACKGROUND_AFTER.search(after))


def title_end(text: str, headings: Sequence[tuple[int, str]]) -> int:
    """Where a text's title region ends: at its first section heading after its start, else at
    the end of its first line (a text of one line, a sentence, has no title)."""
    first = next((start for start, _ in headings if start > 0), None)
    if first is None:
        line_end = text.find("\n", len(text) - len(text.lstrip()))
        first = max(line_end, 0)
    return min(first, _TITLE_SPAN)


def study_drugs(text: str, drugs: Sequence[Mention], end: int) -> tuple[tuple[str, ...], str]:
    """The drugs the study tests, and where they were read (:data:`FROM_TITLE` or
    :data:`FROM_MOST_NAMED`): those its title (``text[:end]``) names as treatment, else the one
    its text names most often as treatment (the first named among equals)."""
    treated = [m for m in drugs if not m.negated and not background(text, m)]
    titled = [m.concept for m in treated if m.end <= end]
    if titled:
        return tuple(dict.fromkeys(titled)), FROM_TITLE
    counts = Counter(m.concept for m in treated)
    if not counts:
        return (), FROM_MOST_NAMED
    most = max(counts.values())
    return (next(m.concept for m in treated if counts[m.concept] == most),), FROM_MOST_NAMED


def disease_response(concept: str, vocabulary: Vocabulary) -> str | None:
    """The response outcome of a disease, "the lung disease improved" being an ILD response: the
    one the vocabulary gives it (``maild:responseOutcome``), else the one its broader diseases
    give, when they give a single one (any ILD takes the ILD response)."""
    if concept not in vocabulary:
        return None
    own = vocabulary[concept].response
    if own is not None:
        return own if own in vocabulary else None
    above = {vocabulary[a].response for a in vocabulary.ancestors(concept)}
    above = {r for r in above if r is not None and r in vocabulary}
    return above.pop() if len(above) == 1 else None


def response_outcomes(vocabulary: Vocabulary) -> set[str]:
    """Every outcome that is the response of some disease (``maild:responseOutcome``)."""
    return {c.response for c in vocabulary.concepts.values() if c.response is not None}


def responses(mentions: Sequence[Mention], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The distinct responses ``mentions`` name: response outcomes ("improvement in ILD") and
    the responses of the diseases they name ("the lung disease"), in order."""
    found = []
    disease_responses = response_outcomes(vocabulary)
    for m in sorted(mentions, key=lambda m: m.start):
        if m.negated or m.concept not in vocabulary:
            continue
        if vocabulary[m.concept].kind == "disease":
            found.append(disease_response(m.concept, vocabulary))
        elif m.concept == GENERIC_RESPONSE or m.concept in disease_responses:
            found.append(m.concept)
    return tuple(dict.fromkeys(r for r in found if r is not None))


def response_outcome(mentions: Sequence[Mention], vocabulary: Vocabulary) -> str | None:
    """The first outcome, or response of a disease, that ``mentions`` name (unnegated)."""
    for m in mentions:
        if m.negated or m.concept not in vocabulary:
            continue
        kind = vocabulary[m.concept].kind
        if kind == "outcome":
            return m.concept
        if kind == "disease":
            found = disease_response(m.concept, vocabulary)
            if found is not None:
                return found
    return None


def primary_outcome(text: str, sentences: Sequence[tuple[int, int]], mentions: Sequence[Mention],
                    vocabulary: Vocabulary) -> str | None:
    """The outcome of the primary end point a study defines ("The primary end point was
    improvement on manual muscle testing": muscle strength): the first outcome, or response of a
    disease, named after the definition in its sentence; None where the text defines none."""
    for start, end in sentences:
        defined = _PRIMARY_DEFINED.search(text, start, end)
        if defined is None:
            continue
        found = response_outcome([m for m in mentions if defined.end() <= m.start < end],
                                 vocabulary)
        if found is not None:
            return found
    return None
