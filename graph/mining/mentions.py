"""Entity mentions in free text, found by the vocabulary's labels and synonyms.

One regular expression is compiled per vocabulary (and set of kinds) from every preferred and
alternative label. Each label becomes a sequence of tokens (runs of letters, runs of digits, other
symbols such as ``%``) joined by flexible separators, so one label covers the spellings papers use:

* where the label has a hyphen, a dash or nothing (a letter-digit boundary: ``Jo1``), the text may
  have a hyphen, an en-dash, a space or nothing: ``anti-Jo-1`` finds "anti-Jo1", "anti\u2013Jo 1",
  "Anti Jo 1"; ``FK506`` finds "FK-506";
* where the label has a space, the text needs at least one space or hyphen (one line break allowed);
* a word of five letters or more may take a plural ``s`` ("improvements in ILD").

Matching ignores case, except for short labels that are also common words or other
abbreviations: a label of two characters or fewer ("Ro", "Ku", "CK", "MG", "IP"), or an all-capital
acronym of three ("ASS", "COP", "ANA"), matches only in the label's own case. Matches are whole
words (no "ILD" inside "CHILD", no "Ro" inside "Rotterdam"); where labels overlap, the longest
match starting leftmost wins ("anti-synthetase syndrome", not "anti-synthetase").

A mention is *negated* when its sentence denies it, and sentences end where
:mod:`graph.mining.language` says (both steps sit behind that one interface, with the abbreviation
definitions below; the rules themselves are in :mod:`graph.mining.negation`,
:mod:`graph.mining.sentences` and :mod:`graph.mining.abbreviations`).

Abbreviations a text defines for itself beat the vocabulary's. A definition is a long form followed
by its short form in parentheses, "cyclosporine (CYC)" (:func:`graph.mining.language.definitions`).
Where the long form names a concept, the short form means that concept
everywhere in the text (so "CYC" is cyclosporine in an article that says so, although the
vocabulary gives "CYC" to cyclophosphamide); where it names none, the short form means nothing
the vocabulary knows, and the vocabulary's reading of it is dropped in that text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from graph.mining import language
from graph.mining.sentences import sentence_index
from graph.records import unpickled_by_slots
from graph.vocabulary.concepts import Vocabulary

DEFAULT_KINDS = ("drug", "antibody", "disease", "ild-pattern", "outcome")

_LABEL_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s\-\u2010-\u2015/.]")
_DASHES = "\\-\u2010-\u2015"
_OPTIONAL_SEP = f"[ \u00a0{_DASHES}]?"
_SPACE_SEP = f"(?:[ \u00a0{_DASHES}]|\\n(?![ \\t\u00a0]*\\n)){{1,3}}"
_SLASH_SEP = "[ \u00a0]?/[ \u00a0]?"


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Mention:
    """A vocabulary concept named in a text: offsets are Python ``str`` indices into the text."""

    concept: str
    start: int
    end: int
    text: str
    negated: bool


def _case_sensitive(label: str) -> bool:
    """Whether a label is short enough to be another word in another case.

    >>> [_case_sensitive(x) for x in ("Ro", "CK", "ASS", "Jo1", "MDA5", "anti-Ro")]
    [True, True, True, False, False, False]
    """
    alnum = [c for c in label if c.isalnum()]
    if len(alnum) <= 2:
        return True
    return len(alnum) <= 3 and not any(c.islower() for c in label)


def label_pattern(label: str) -> str | None:
    """The regular expression (without word boundaries) that finds ``label`` in text.

    >>> import re
    >>> bool(re.fullmatch(label_pattern("anti-Jo-1"), "Anti Jo1", re.IGNORECASE))
    True
    >>> bool(re.fullmatch(label_pattern("interstitial lung disease"), "interstitiallung disease"))
    False
    """
    tokens = list(_LABEL_TOKEN.finditer(label))
    if not tokens:
        return None
    parts = []
    for index, token in enumerate(tokens):
        if index:
            between = label[tokens[index - 1].end():token.start()]
            if "/" in between:
                parts.append(_SLASH_SEP)
            elif any(c.isspace() for c in between):
                parts.append(_SPACE_SEP)
            else:
                parts.append(_OPTIONAL_SEP)
        word = token.group()
        parts.append(re.escape(word))
        if word.isalpha() and len(word) >= 5 and not word.lower().endswith("s"):
            parts.append("s?")
    pattern = "".join(parts)
    return f"(?-i:{pattern})" if _case_sensitive(label) else pattern


@dataclass(frozen=True)
class _Matcher:
    regex: re.Pattern[str]
    concepts: dict[str, str]  # regex group name -> concept id


@lru_cache(maxsize=16)
def _matcher(vocabulary: Vocabulary, kinds: tuple[str, ...]) -> _Matcher:
    labels: dict[str, str] = {}
    for concept in sorted(vocabulary.concepts.values(), key=lambda c: c.id):
        if concept.kind not in kinds:
            continue
        for label in (concept.label, *concept.synonyms):
            labels.setdefault(label, concept.id)
    # Longest labels first, so that alternation (which takes the first alternative that matches)
    # prefers them; bucketed by first character, so each position tries only a few labels.
    buckets: dict[str, list[str]] = {}
    concepts = {}
    ordered = sorted(labels, key=lambda lab: (-sum(c.isalnum() for c in lab), -len(lab), lab))
    for index, label in enumerate(ordered):
        pattern = label_pattern(label)
        if pattern is None:
            continue
        name = f"c{index}"
        concepts[name] = labels[label]
        buckets.setdefault(label[0].casefold(), []).append(f"(?P<{name}>{pattern})")
    body = "|".join(
        f"(?={re.escape(first)})(?:{'|'.join(alternatives)})"
        for first, alternatives in sorted(buckets.items())
    ) or "(?!)"
    regex = re.compile(f"(?<![^\\W_])(?:{body})(?![^\\W_])", re.IGNORECASE)
    return _Matcher(regex, concepts)


# ----------------------------------------------------------------------------- abbreviations

def defined_abbreviations(text: str, vocabulary: Vocabulary) -> dict[str, str | None]:
    """Short form -> the concept its long form names in ``text`` (None: no concept).

    The concept is that of the last mention inside the long form that ends a word (the head of
    "mycophenolate mofetil therapy" is the drug; "myositis-associated" is no kind of myositis).
    The first definition of a short form counts.
    """
    matcher = _matcher(vocabulary, DEFAULT_KINDS)
    found: dict[str, str | None] = {}
    for short, start, end in language.definitions(text):
        concepts = [matcher.concepts[m.lastgroup] for m in matcher.regex.finditer(text, start, end)
                    if m.lastgroup and m.group() != short
                    and (m.end() == end or (m.end() < end and text[m.end()].isspace()))]
        found.setdefault(short, concepts[-1] if concepts else None)
    return found


def _short_form_spans(
    text: str, abbreviations: Mapping[str, str | None]
) -> list[tuple[int, int, str | None]]:
    """Where the short forms defined in the text stand, with the concept each means there."""
    if not abbreviations:
        return []
    alternatives = "|".join(re.escape(s) for s in sorted(abbreviations, key=len, reverse=True))
    regex = re.compile(f"(?<![^\\W_])(?:{alternatives})(?![^\\W_])")
    return [(m.start(), m.end(), abbreviations[m.group()]) for m in regex.finditer(text)]


# ----------------------------------------------------------------------------- mentions

def find_mentions(
    text: str, vocabulary: Vocabulary, kinds: tuple[str, ...] = DEFAULT_KINDS,
    abbreviations: Mapping[str, str | None] | None = None,
) -> list[Mention]:
    """Every mention of a concept of ``kinds`` in ``text``, by offset.

    ``text[m.start:m.end] == m.text`` for every mention; overlapping labels give one mention, the
    longest. ``negated`` says whether the sentence denies the entity (see the module docstring).
    ``abbreviations`` (short form -> concept or None) are the document's own definitions, which
    beat the vocabulary's; by default those that ``text`` itself defines.
    """
    if not text:
        return []
    matcher = _matcher(vocabulary, tuple(kinds))
    if abbreviations is None:
        abbreviations = defined_abbreviations(text, vocabulary)
    local = _short_form_spans(text, abbreviations)
    found: list[tuple[str, int, int]] = []
    for match in matcher.regex.finditer(text):
        concept = matcher.concepts[match.lastgroup] if match.lastgroup else None
        start, end = match.span()
        # a short form the text defines is read its way, unless a longer label holds it
        if concept is not None and not any(
                a < end and start < b and (end - start) <= (b - a) for a, b, _c in local):
            found.append((concept, start, end))
    for a, b, concept in local:
        inside = any(start <= a and b <= end for _c, start, end in found)
        if concept is not None and not inside and vocabulary[concept].kind in kinds:
            found.append((concept, a, b))
    spans = language.sentences(text)
    starts = [s.start for s in spans]
    mentions = []
    for concept, start, end in sorted(found, key=lambda f: (f[1], f[2])):
        index = sentence_index(spans, start, starts)
        negated = index is not None and language.negated(text, spans[index], start, end)
        mentions.append(Mention(concept, start, end, text[start:end], negated))
    return mentions


def summarise(mentions: list[Mention]) -> dict[str, tuple[int, int]]:
    """Concept id -> (mentions, negated mentions), sorted by concept id.

    >>> summarise([Mention("a", 0, 1, "a", False), Mention("a", 2, 3, "a", True)])
    {'a': (2, 1)}
    """
    counts: dict[str, list[int]] = {}
    for mention in mentions:
        count = counts.setdefault(mention.concept, [0, 0])
        count[0] += 1
        count[1] += mention.negated
    return {concept: (c[0], c[1]) for concept, c in sorted(counts.items())}
