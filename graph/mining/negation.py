"""Negation of a mention, NegEx-style and deliberately simple.

A mention is *negated* when, within its sentence,

* one of :data:`PRE_TRIGGERS` ("no", "without", "absence of", "negative for", "not tested for",
  "none of the patients had", ...) ends at most :data:`PRE_WINDOW` words before it, or
* one of :data:`POST_TRIGGERS` ("were not (routinely) tested", "was negative", "was absent", ...)
  starts at most :data:`POST_WINDOW` words after it,

and no word that ends a negation's scope ("but", "however", "although", ";", ...) stands between
them. Phrases that look negative but do not deny the entity (:data:`PSEUDO_TRIGGERS`: "did not
respond to tacrolimus", "no significant difference in FVC") negate nothing.

The windows and the pseudo-triggers are what negspacy and medspaCy's ConText lack: with their
default rules a "not" early in a long sentence denies every entity after it ("did not respond to
conventional therapy and received ... tacrolimus"); ``docs/nlp-components.md`` counts it.
"""

from __future__ import annotations

import re

from graph.mining.sentences import Sentence

PRE_WINDOW = 5  # words between a pre-trigger and the mention
POST_WINDOW = 8  # words between the mention and a post-trigger

PRE_TRIGGERS = re.compile(
    r"\b(?:no|without|absence\s+of|absent|negative\s+for|free\s+of|lack\s+of|lacked|lacking"
    r"|never|neither|nor|denied|denies|ruled\s+out"
    r"|(?:not|never)\s+(?:been\s+)?(?:routinely\s+)?(?:tested|screened|checked|assessed|measured)"
    r"(?:\s+for)?"
    r"|(?:did|does|do)\s+not\s+have|not\s+(?:found|detected|seen|present)(?:\s+in)?"
    r"|no\s+evidence\s+of|none\s+of\s+(?:the\s+|our\s+|these\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:had|have|has|were|was|showed|developed))\b",
    re.IGNORECASE,
)
POST_TRIGGERS = re.compile(
    r"\b(?:(?:was|were|is|are|been)\s+(?:not\s+(?:routinely\s+|systematically\s+)?"
    r"(?:tested|measured|assessed|available|detected|found|present|performed|done|checked)"
    r"|negative|absent|undetectable)"
    r"|not\s+(?:routinely\s+)?(?:tested|measured|detected|found|present|seen)"
    r"|ruled\s+out)\b",
    re.IGNORECASE,
)
PSEUDO_TRIGGERS = re.compile(
    r"\b(?:(?:not|no|never|without(?:\s+any)?)\s+(?:significant(?:ly)?|statistically|only"
    r"|necessarily|entirely|differ\w*|difference|change|increase|decrease|improve\w*|respond\w*"
    r"|response|distinguish\w*|predict\w*|otherwise|longer|further)"
    # "neither X nor Y predicted Z": what is denied is the prediction, not Z
    r"|(?:neither|nor)\s+(?:[\w-]+\s+){0,3}?(?:predict|differ|correlat|associat)\w*)\b",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(
    r"[;:]|\b(?:but|however|although|though|yet|except|whereas|while|apart\s+from|aside\s+from)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")
# How far from a mention a trigger is looked for: the words of the window and of the longest
# trigger, at a generous length per word. Bounding the text read keeps mining linear in the length
# of a document however long its sentences (an unbounded look-back made it quadratic).
_LOOK_CHARS = 40 * (POST_WINDOW + 12)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def negated(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """Whether the sentence denies the mention at ``text[start:end]`` (see the module docstring)."""
    before = text[max(sentence.start, start - _LOOK_CHARS):start]
    cut = [m.end() for m in _SCOPE_END.finditer(before)]
    before = before[cut[-1]:] if cut else before
    pseudo = [(m.start(), m.end()) for m in PSEUDO_TRIGGERS.finditer(before)]
    for match in PRE_TRIGGERS.finditer(before):
        if any(s <= match.start() < e for s, e in pseudo):
            continue
        if _words(before[match.end():]) <= PRE_WINDOW:
            return True
    after = text[end:min(sentence.end, end + _LOOK_CHARS)]
    stop = _SCOPE_END.search(after)
    after = after[:stop.start()] if stop else after
    match = POST_TRIGGERS.search(after)
    return match is not None and _words(after[:match.start()]) <= POST_WINDOW
