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

Negation is NegEx-style and deliberately simple. A mention is *negated* when, within its sentence,

* one of :data:`PRE_TRIGGERS` ("no", "without", "absence of", "negative for", "not tested for",
  "none of the patients had", ...) ends at most :data:`PRE_WINDOW` words before it, or
* one of :data:`POST_TRIGGERS` ("were not (routinely) tested", "was negative", "was absent", ...)
  starts at most :data:`POST_WINDOW` words after it,

and no word that ends a negation's scope ("but", "however", "although", ";", ...) stands between
them. Phrases that look negative but do not deny the entity (:data:`PSEUDO_TRIGGERS`: "did not
respond to tacrolimus", "no significant difference in FVC") negate nothing.

Abbreviations a text defines for itself beat the vocabulary's. A definition is a long form followed
by its short form in parentheses, "cyclosporine (CYC)", found the Schwartz-Hearst way: the short
form is one token of 2-10 characters with a capital letter, and the long form is the shortest run
of preceding words in which the short form's letters and digits occur in order, its first
character opening a word. Where the long form names a concept, the short form means that concept
everywhere in the text (so "CYC" is cyclosporine in an article that says so, although the
vocabulary gives "CYC" to cyclophosphamide); where it names none, the short form means nothing
the vocabulary knows, and the vocabulary's reading of it is dropped in that text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from graph.vocabulary.concepts import Vocabulary

DEFAULT_KINDS = ("drug", "antibody", "disease", "ild-pattern", "outcome")

_LABEL_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s\-\u2010-\u2015/.]")
_DASHES = "\\-\u2010-\u2015"
_OPTIONAL_SEP = f"[ \u00a0{_DASHES}]?"
_SPACE_SEP = f"(?:[ \u00a0{_DASHES}]|\\n(?![ \\t\u00a0]*\\n)){{1,3}}"
_SLASH_SEP = "[ \u00a0]?/[ \u00a0]?"


@dataclass(frozen=True)
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


# ----------------------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset((
    "al", "vs", "e.g", "i.e", "eg", "ie", "dr", "drs", "mr", "mrs", "ms", "prof", "fig", "figs",
    "no", "nos", "vol", "pp", "ed", "eds", "approx", "ca", "cf", "st", "jr", "sr", "resp", "ref",
    "refs", "inc", "ltd", "co", "corp", "dept", "univ", "suppl",
))
# a full stop before a capital or digit, or before a markup tag (XML or HTML text mined as it is
# filed: "... high-resolution CT.</AbstractText>" ends its sentence)
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]*]*"
                       r"(?=\s+[\"'\u201c\u2018(\[*$]*[A-Z\d]|\s*</?[A-Za-z])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_WORD_CHARS = 100  # the word before a full stop is read from at most this many characters back
# No prose sentence is this long: a longer span (text without full stops, a flattened table, a
# hostile record) is cut at clause marks or spaces, so that the work per sentence, and mining as a
# whole, stays linear in the length of the text.
MAX_SENTENCE = 2000
_CLAUSE_END = re.compile(r"[;,]\s|\s")


def _is_row(line: str) -> bool:
    return "\t" in line.strip("\r\n") or line.lstrip().startswith("|")


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Paragraphs, table rows and headings as (start, end, is_row); blank lines end paragraphs."""
    blocks: list[tuple[int, int, bool]] = []
    start: int | None = None
    end = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        content = line.rstrip("\r\n")
        single = _is_row(line) or content.lstrip().startswith("#")
        if not content.strip() or single:
            if start is not None:
                blocks.append((start, end, False))
                start = None
            if content.strip():
                blocks.append((line_start, line_start + len(content), _is_row(line)))
            continue
        if start is None:
            start = line_start
        end = line_start + len(content)
    if start is not None:
        blocks.append((start, end, False))
    return blocks


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, at = [], start
    for match in _BOUNDARY.finditer(text, start, end):
        word = _WORD_BEFORE.search(text, max(at, match.start() - _WORD_CHARS), match.start())
        token = word.group(1).lower().lstrip("([{*\"'\u201c") if word else ""
        if token.rstrip(".") in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        spans.append(_trim(text, _past_markup(text, at, match.end()), match.end()))
        at = match.end()
    spans.append(_trim(text, _past_markup(text, at, end), end))
    return [s for s in spans if s[1] > s[0]]


_MARKUP = re.compile(r"(?:\s*</?[A-Za-z][^<>]{0,300}>)+\s*")


def _past_markup(text: str, start: int, end: int) -> int:
    """Where a sentence's words begin: past the tags that open it (``</p><p>``) when the text is
    mined as filed (XML), so its quote holds no markup before its first word."""
    m = _MARKUP.match(text, start, end)
    return m.end() if m else start


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start:end`` as pieces of at most :data:`MAX_SENTENCE` characters, cut after a clause
    mark where there is one in the second half of a piece, else after a space, else anywhere.

    >>> [len(p) for p in (lambda t: [t[a:b] for a, b in _bounded(t, 0, len(t))])("ab " * 1500)]
    [1997, 1997, 503]
    """
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cuts = [m.end() for m in _CLAUSE_END.finditer(text, start + MAX_SENTENCE // 2, limit)]
        clause = [c for c in cuts if text[c - 2] in ";,"]
        cut = (clause or cuts or [limit])[-1]
        pieces.append(_trim(text, start, cut))
        start = cut
    pieces.append(_trim(text, start, end))
    return [p for p in pieces if p[1] > p[0]]


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose or one table row, by offsets into the text."""

    start: int
    end: int
    row: bool = False


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order; every table row (tab- or pipe-separated) is one.

    Sentences never cross a blank line, a table row or a markdown heading.

    >>> t = "Dr. N. Sharma et al. found it. It was 12.5 mg.\\nIt rose.\\n\\nNext\\t1\\t2"
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Dr. N. Sharma et al. found it.', 'It was 12.5 mg.', 'It rose.', 'Next\\t1\\t2']
    """
    found: list[Sentence] = []
    for start, end, row in _blocks(text):
        if row:
            found.extend(Sentence(s, e, True) for s, e in _bounded(text, *_trim(text, start, end)))
            continue
        found.extend(Sentence(a, b) for s, e in _split_paragraph(text, start, end)
                     for a, b in _bounded(text, s, e))
    return found


def sentence_index(
    spans: list[Sentence], offset: int, starts: list[int] | None = None
) -> int | None:
    """The index of the sentence holding ``offset``, or None (``starts``: their start offsets)."""
    starts = [s.start for s in spans] if starts is None else starts
    index = bisect_left(starts, offset + 1) - 1
    if index >= 0 and spans[index].start <= offset < spans[index].end:
        return index
    return None


# ----------------------------------------------------------------------------- negation

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
    r"\b(?:not|no|never)\s+(?:significant(?:ly)?|statistically|only|necessarily|entirely"
    r"|differ\w*|difference|change|increase|decrease|improve\w*|respond\w*|response"
    r"|distinguish\w*|predict\w*|otherwise|longer|further)\b",
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


def _negated(text: str, sentence: Sentence, start: int, end: int) -> bool:
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


# ----------------------------------------------------------------------------- abbreviations

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
        long_start, long_end = _trim(text, window_start + start, end)
        if long_end - long_start > len(short) and text[long_start:long_end] != short:
            found.append((short, long_start, long_end))
    return found


def defined_abbreviations(text: str, vocabulary: Vocabulary) -> dict[str, str | None]:
    """Short form -> the concept its long form names in ``text`` (None: no concept).

    The concept is that of the last mention inside the long form that ends a word (the head of
    "mycophenolate mofetil therapy" is the drug; "myositis-associated" is no kind of myositis).
    The first definition of a short form counts.
    """
    matcher = _matcher(vocabulary, DEFAULT_KINDS)
    found: dict[str, str | None] = {}
    for short, start, end in definitions(text):
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
    spans = sentences(text)
    starts = [s.start for s in spans]
    mentions = []
    for concept, start, end in sorted(found, key=lambda f: (f[1], f[2])):
        index = sentence_index(spans, start, starts)
        negated = index is not None and _negated(text, spans[index], start, end)
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
