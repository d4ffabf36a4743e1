"""Find where one document states one fact twice with different values, and where two documents
of one study define a term differently.

A curated finding says several facts at once: "the dose fell from 44.7 mg to 31.2 mg by 6-12
months in those who failed" states the mean dose of the failures at baseline and at 6-12 months.
Each finding is taken apart into such facts, each keyed by what it is about: the population, the
quantity (outcome or characteristic, what drug's dose, the drugs given), the timepoint and the
number's name. A comparison's group values are facts about each group; when a comparison's groups
split its population (they are subsets of it and their sizes add up to its size) their counts
add up to a count in that population; a population defined by a characteristic (the patients of
its parent with honeycombing) states, by its size, how many of its parent have it. Two facts with
one key and values that differ beyond printed rounding are a contradiction.

Values printed at one precision agree only when equal: 31.2 and 31.6 do not, 6 and 4 do not.
A value printed with fewer decimals may be the other rounded or cut short: 31 for 31.2, "40%"
for 40.7%; 0.02 is not 0.002. P-values agree only with the same relation ("<0.001" is not
"0.001").

Definitions are compared criterion by criterion: a curated definition lists its criteria by ids
that are the same in every document, so a restatement that leaves one out (or adds one) is found
whatever words either document uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from graph.evidence.findings import SPREAD, Curation, Finding, Population, Statement
from graph.mining.mentions import Mention

Key = tuple[str, tuple[str, ...], str | None, str]


@dataclass(frozen=True)
class Source:
    """What states a fact: a finding, or a population by its size."""

    kind: str  # "finding" | "population"
    key: str


@dataclass(frozen=True)
class Fact:
    """One number a document states about one thing."""

    key: Key  # population, quantity, timepoint, number's name
    value: float
    relation: str  # "=" except for p-values printed as "<" or ">"
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Contradiction:
    """Two statements of one fact in one document, with different values."""

    first: Fact
    second: Fact

    @property
    def field(self) -> str:
        return self.first.key[3]

    def explanation(self) -> str:
        population, quantity, timepoint, name = self.first.key
        what = " ".join(q for q in quantity[1:3] if q)
        when = f" at {timepoint}" if timepoint else ""
        return (f"{name} of {what} in population {population!r}{when} is stated as "
                f"{_shown(self.first)} and as {_shown(self.second)}")


@dataclass(frozen=True)
class DefinitionConflict:
    """Two definitions of one term whose criteria differ."""

    term: str
    first: Statement
    second: Statement
    only_first: tuple[str, ...]
    only_second: tuple[str, ...]
    documents: tuple[str, str] = ("", "")  # where each definition stands

    def explanation(self) -> str:
        parts = []
        for criteria, statement, document in ((self.only_first, self.first, self.documents[0]),
                                              (self.only_second, self.second, self.documents[1])):
            for key in criteria:
                [criterion] = [c for c in statement.criteria if c.key == key]
                words = " ... ".join(q.exact for q in criterion.quotes)
                where = f"{document} {statement.key}".strip()
                parts.append(f"criterion {key!r} ({words!r}) is only in {where}")
        return f"the definitions of {self.term!r} differ: " + "; ".join(parts)


def _shown(fact: Fact) -> str:
    prefix = "" if fact.relation == "=" else fact.relation
    return f"{prefix}{fact.value:g}"


def decimals(value: float) -> int:
    """How many decimals ``value`` was printed with (as far as a float keeps them).

    >>> decimals(31.2), decimals(31.0), decimals(0.002)
    (1, 0, 3)
    """
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        return max(0, len(mantissa.split(".")[1].rstrip("0")) - int(exponent))
    return len(text.split(".")[1].rstrip("0"))


def agree(a: float, b: float) -> bool:
    """Whether two printed values can be one value printed at two precisions: the coarser one
    rounded ("31" for 31.2) or cut short ("40%" for 40.7%); at one precision they must be equal.

    >>> agree(31.2, 31), agree(40.7, 40), agree(31.2, 31.6), agree(0.02, 0.002), agree(94, 94.44)
    (True, True, False, False, True)
    """
    places_a, places_b = decimals(a), decimals(b)
    if places_a == places_b:
        return abs(a - b) <= 1e-9
    fine, coarse = (a, b) if places_a > places_b else (b, a)
    unit = 10.0 ** -min(places_a, places_b)
    rounded = abs(fine - coarse) <= unit / 2 + 1e-9
    cut = coarse - 1e-9 <= fine < coarse + unit if coarse >= 0 else False
    return rounded or cut


def _quantity(f: Finding) -> tuple[str, ...]:
    """What a finding measures; an outcome under treatment also depends on the drugs given."""
    if f.kind == "outcome":
        drugs = ",".join(sorted(f.drugs))
        return ("outcome", f.outcome or "", f.dose_of or "", drugs)
    return ("characteristic", f.characteristic or "", "", "")


def _splits(f: Finding, populations: dict[str, Population]) -> bool:
    """Whether a comparison's groups divide its population: subsets whose sizes add up to it."""
    whole = populations.get(f.population)
    parts = [populations.get(g.population) for g in f.groups]
    if whole is None or whole.n is None or len(parts) < 2:
        return False
    if any(p is None or p.n is None or p.parent != whole.key for p in parts):
        return False
    return sum(p.n for p in parts if p is not None and p.n is not None) == whole.n


def finding_facts(f: Finding, populations: dict[str, Population]) -> Iterator[Fact]:
    """Every fact a finding states."""
    source = (Source("finding", f.key),)
    quantity = _quantity(f)
    when = f.timepoint.key if f.timepoint else None
    r = f.result
    for name in ("responders", "total", "percent", "count", "mean", "sd", *SPREAD,
                 "percent_change"):
        value = getattr(r, name)
        if value is not None:
            yield Fact((f.population, quantity, when, name), float(value), "=", source)
    for side, at in (("before", "baseline"), ("after", when)):
        for name in ("mean", "sd", *SPREAD):
            value = getattr(r, f"{side}_{name}")
            if value is not None:
                yield Fact((f.population, quantity, at, name), float(value), "=", source)
    if r.p_value is not None:
        name = ("p_value between " + " and ".join(g.population for g in f.groups)
                if f.groups else "p_value")
        yield Fact((f.population, quantity, when, name), r.p_value.value, r.p_value.relation,
                   source)
    for group in f.groups:
        for name in ("count", "percent", "mean", "sd", *SPREAD):
            value = getattr(group, name)
            if value is not None:
                yield Fact((group.population, quantity, when, name), float(value), "=", source)
    if _splits(f, populations) and all(g.count is not None for g in f.groups):
        total = sum(g.count for g in f.groups if g.count is not None)
        yield Fact((f.population, quantity, when, "count"), float(total), "=", source)


def population_facts(curation: Curation) -> Iterator[Fact]:
    """How many of its parent have a population's defining characteristics (or antibodies).

    The statement is the population's, and also every finding that restates its size as its
    total ("all 6 patients with honeycombing ... improved": 6 of 6).
    """
    for p in curation.populations.values():
        if p.parent is None or p.n is None:
            continue
        restating = tuple(Source("finding", f.key) for f in curation.findings
                          if f.population == p.key and f.result.total == p.n)
        sources = restating or (Source("population", p.key),)
        for characteristic in (*p.characteristics, *p.antibodies):
            key = (p.parent, ("characteristic", characteristic, "", ""), None, "count")
            yield Fact(key, float(p.n), "=", sources)


def contradictions(curation: Curation) -> list[Contradiction]:
    """Pairs of facts of one document with one key and values beyond rounding of each other."""
    facts: dict[Key, list[Fact]] = {}
    for f in curation.findings:
        for fact in finding_facts(f, curation.populations):
            facts.setdefault(fact.key, []).append(fact)
    for fact in population_facts(curation):
        facts.setdefault(fact.key, []).append(fact)
    found = []
    for _key, stated in sorted(facts.items(), key=lambda item: repr(item[0])):
        distinct: list[Fact] = []  # one per value, with every statement that gives it
        for fact in stated:
            index = next((i for i, other in enumerate(distinct) if _same(fact, other)), None)
            if index is None:
                distinct.append(fact)
            else:
                kept = distinct[index]
                sources = kept.sources + tuple(s for s in fact.sources if s not in kept.sources)
                distinct[index] = Fact(kept.key, kept.value, kept.relation, sources)
        for first, second in combinations(distinct, 2):
            if set(first.sources) & set(second.sources):
                continue  # one statement is not two statements
            found.append(Contradiction(first, second))
    return found


def _same(a: Fact, b: Fact) -> bool:
    return a.relation == b.relation and agree(a.value, b.value)


def _definitions(curation: Curation) -> list[Statement]:
    return [s for s in curation.statements if s.kind == "definition" and s.value]


def definition_conflicts(first: Curation, second: Curation | None = None
                         ) -> list[DefinitionConflict]:
    """Definitions of one term (case folded) whose criteria differ: within ``first`` when
    ``second`` is None, else between the two records."""
    pairs: list[tuple[Statement, Statement]]
    other = second or first
    if second is None:
        pairs = list(combinations(_definitions(first), 2))
    else:
        pairs = [(a, b) for a in _definitions(first) for b in _definitions(second)]
    found = []
    for a, b in pairs:
        assert a.value is not None and b.value is not None
        if a.value.casefold() != b.value.casefold():
            continue
        mine, theirs = {c.key for c in a.criteria}, {c.key for c in b.criteria}
        if mine != theirs:
            found.append(DefinitionConflict(a.value, a, b, tuple(sorted(mine - theirs)),
                                            tuple(sorted(theirs - mine)),
                                            (first.document, other.document)))
    return found


@dataclass(frozen=True)
class TermUse:
    """A multi-word name of a concept as a document prints it (a mention), and its initials."""

    scope: str
    concept: str
    number: int  # the mention's number among the document's mentions of the concept
    mention: Mention


@dataclass(frozen=True)
class ExpansionConflict:
    """One abbreviation of one concept spelled out in two ways within one study."""

    abbreviation: str
    first: TermUse
    second: TermUse

    def explanation(self) -> str:
        return (f"{self.abbreviation} ({self.first.concept}) is spelled out as "
                f"{self.first.mention.text!r} and as {self.second.mention.text!r}")


_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1 << 16)  # asked of every mention of the corpus each build; few texts
def initials(text: str) -> str | None:
    """The abbreviation a spelled-out name makes, or None if it is not one (one word, a digit, a
    word in capitals).

    >>> initials("forced vital capacity"), initials("Functional vital capacity")
    ('FVC', 'FVC')
    >>> initials("clinically amyopathic DM") is None, initials("tacrolimus") is None
    (True, True)
    """
    words = _WORDS.findall(text)
    if len(words) < 2 or any(c.isdigit() for c in text) or any(
            len(w) > 1 and w.isupper() for w in words):
        return None
    return "".join(w[0].upper() for w in words)


@lru_cache(maxsize=1 << 16)
def spelling(text: str) -> str:
    """A name with case, separators and plural endings folded: "Interstitial lung diseases"
    is "interstitial lung disease"."""
    return " ".join(_singular(w.casefold()) for w in _WORDS.findall(text))


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def term_uses(scope: str, mentions: tuple[Mention, ...]) -> list[TermUse]:
    """The multi-word mentions of a document that spell out an abbreviation."""
    numbers: dict[str, int] = {}
    uses = []
    for m in mentions:
        numbers[m.concept] = numbers.get(m.concept, 0) + 1
        if initials(m.text) is not None:
            uses.append(TermUse(scope, m.concept, numbers[m.concept], m))
    return uses


def expansion_conflicts(uses: list[TermUse], defined: dict[str, set[str]]
                        ) -> list[ExpansionConflict]:
    """Within one study's documents, an abbreviation that the study defines ("forced vital
    capacity (FVC)") spelled out in other words ("functional vital capacity").

    ``defined`` maps each short form a document of the study defines to the spellings it gives
    it. A use that spells out a defined short form otherwise conflicts with the first use of the
    defined spelling; abbreviations the study never defines are not judged.
    """
    first_use: dict[tuple[str, str], dict[str, TermUse]] = {}
    for use in uses:
        short = initials(use.mention.text)
        assert short is not None
        if short in defined:
            first_use.setdefault((use.concept, short), {}).setdefault(
                spelling(use.mention.text), use)
    found = []
    for (_concept, short), spellings in sorted(first_use.items()):
        right = [spellings[s] for s in sorted(spellings) if s in defined[short]]
        for other in sorted(set(spellings) - defined[short]):
            if right:
                found.append(ExpansionConflict(short, right[0], spellings[other]))
    return found
