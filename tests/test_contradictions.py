"""Contradictions in general (issue 23, point 5): one fact stated twice with two values, definitions
that list different criteria, one abbreviation spelled out two ways.

These tests build small curation records by hand; tests/test_evidence.py checks the cases the
issue measured on the real corpus.
"""

from __future__ import annotations

from dataclasses import replace

from graph.evidence.contradictions import (
    agree,
    contradictions,
    definition_conflicts,
    expansion_conflicts,
    term_uses,
)
from graph.evidence.findings import (
    Criterion,
    Curation,
    Finding,
    Group,
    Intervention,
    Population,
    Result,
    Statement,
)
from graph.evidence.numbers import parse_p_value, parse_timepoint
from graph.mining.mentions import Mention

PREDNISONE = (Intervention("prednisone"), Intervention("conventional-dmard"))


def population(key: str, n: int | None, parent: str | None = None,
               characteristics: tuple[str, ...] = ()) -> Population:
    return Population(key, key, n, (), parent=parent, characteristics=characteristics)


POPULATIONS = {p.key: p for p in (
    population("cohort", 54), population("responders", 31, "cohort"),
    population("failures", 23, "cohort"),
)}


def dose(key: str, population: str = "failures", *, after: float | None = None,
         groups: tuple[Group, ...] = (), p: str | None = None, when: str = "6-12 months",
         drugs: tuple[Intervention, ...] = PREDNISONE) -> Finding:
    return Finding(key=key, kind="outcome", quotes=(), population=population,
                   direction="improved", interventions=drugs, outcome="glucocorticoid-dose",
                   dose_of="prednisone", groups=groups, timepoint=parse_timepoint(when),
                   result=Result(after_mean=after, p_value=parse_p_value(p) if p else None))


def record(*findings: Finding, populations: dict[str, Population] = POPULATIONS,
           statements: tuple[Statement, ...] = ()) -> Curation:
    return Curation("curation/x.yaml", "documents/x.txt", None, populations, findings, statements)


def test_values_agree_only_within_printed_rounding() -> None:
    assert agree(31.2, 31) and agree(31, 31.2) and agree(94, 94.4) and agree(0.013, 0.013)
    assert agree(40.7, 40)  # "40% of our patients" for Table 1's 40.7%: cut short
    assert not agree(31.2, 31.6) and not agree(0.02, 0.002) and not agree(6, 4)
    assert not agree(41.2, 40) and not agree(0.021, 0.03)


def test_a_mean_given_in_two_sentences_with_two_values_is_a_contradiction() -> None:
    """31.2 mg in one sentence, 31.6 mg for the same group and period in a comparison."""
    stated = dose("change", after=31.2)
    compared = dose("contrast", "cohort", groups=(Group("responders", mean=11.4),
                                                  Group("failures", mean=31.6)), p="<0.001")
    [found] = contradictions(record(stated, compared))
    assert (found.first.value, found.second.value) == (31.2, 31.6)
    assert found.field == "mean"
    assert found.explanation() == ("mean of glucocorticoid-dose prednisone in population "
                                   "'failures' at 6-12m is stated as 31.2 and as 31.6")


def test_a_median_given_twice_with_two_values_is_a_contradiction_and_never_meets_a_mean() -> None:
    """A median after (and a group's median for the same patients and period) is a fact of its
    own: two values of it disagree, but a mean of the same value is another fact."""
    stated = replace(dose("change"), result=Result(after_median=15.0))
    compared = dose("contrast", "cohort", groups=(Group("failures", median=12.5),))
    [found] = contradictions(record(stated, compared))
    assert (found.field, found.first.value, found.second.value) == ("median", 15.0, 12.5)
    assert contradictions(record(stated, dose("as-mean", after=12.5))) == []


def test_rounding_groups_and_other_timepoints_or_drugs_are_not_contradictions() -> None:
    rounded = dose("contrast", "cohort", groups=(Group("failures", mean=31),))
    assert contradictions(record(dose("change", after=31.2), rounded)) == []
    later = dose("later", after=20.0, when="12 months")
    other_drugs = dose("tacrolimus", after=12.4, drugs=(Intervention("tacrolimus"),))
    assert contradictions(record(dose("change", after=31.2), later, other_drugs)) == []


def test_p_values_differ_by_relation_as_well_as_value() -> None:
    assert len(contradictions(record(dose("a", p="0.02"), dose("b", p="0.002")))) == 1
    assert len(contradictions(record(dose("a", p="<0.001"), dose("b", p="0.001")))) == 1
    assert contradictions(record(dose("a", p="0.02"), dose("b", p=".02"))) == []


def test_a_population_defined_by_a_characteristic_is_counted_against_a_split_table() -> None:
    """"All 6 patients with honeycombing" vs a table row counting 4 + 0 among the same patients."""
    populations = {p.key: p for p in (
        population("treated", 18), population("better", 13, "treated"),
        population("worse", 5, "treated"),
        population("honeycombing", 6, "treated", characteristics=("honeycombing",)),
    )}
    table = Finding(key="table-row", kind="comparison", quotes=(), population="treated",
                    direction="not-applicable", characteristic="honeycombing",
                    groups=(Group("better", count=4), Group("worse", count=0)))
    text = Finding(key="all-improved", kind="outcome", quotes=(), population="honeycombing",
                   direction="improved", outcome="treatment-response",
                   result=Result(responders=6, total=6))
    [found] = contradictions(record(table, text, populations=populations))
    assert {found.first.value, found.second.value} == {4.0, 6.0}
    assert {s.key for s in (*found.first.sources, *found.second.sources)} == {
        "table-row", "all-improved"}  # the finding that restates the population's size
    matching = Finding(key="table-row", kind="comparison", quotes=(), population="treated",
                       direction="not-applicable", characteristic="honeycombing",
                       groups=(Group("better", count=6), Group("worse", count=0)))
    assert contradictions(record(matching, text, populations=populations)) == []


def test_groups_that_do_not_split_their_population_add_up_to_nothing() -> None:
    populations = {p.key: p for p in (
        population("treated", 18), population("better", 13, "treated"),
        population("some", 3, "treated"),
        population("honeycombing", 6, "treated", characteristics=("honeycombing",)),
    )}
    table = Finding(key="t", kind="comparison", quotes=(), population="treated",
                    direction="not-applicable", characteristic="honeycombing",
                    groups=(Group("better", count=4), Group("some", count=0)))
    assert contradictions(record(table, populations=populations)) == []


def definition(key: str, *criteria: str) -> Statement:
    return Statement(key, "definition", (), value="Refractory myositis",
                     criteria=tuple(Criterion(c, ()) for c in criteria))


def test_a_restated_definition_missing_a_criterion_is_a_conflict() -> None:
    article = record(statements=(definition("d", "weakness", "ck-not-normal", "ck-not-halved"),))
    news = record(statements=(definition("d", "weakness", "ck-not-normal"),))
    [found] = definition_conflicts(news, article)
    assert (found.only_first, found.only_second) == ((), ("ck-not-halved",))
    assert "'ck-not-halved'" in found.explanation()
    assert definition_conflicts(article, article) == []
    assert definition_conflicts(record(statements=(definition("a", "x"),
                                                   definition("b", "y")))) != []


def mention(text: str, concept: str = "fvc") -> Mention:
    return Mention(concept, 0, len(text), text, False)


def test_one_abbreviation_spelled_out_two_ways_in_one_study_is_a_conflict() -> None:
    article = term_uses("article", (mention("FVC"), mention("forced vital capacity"),
                                    mention("Forced vital capacities")))
    news = term_uses("news", (mention("functional vital capacity"),))
    defined = {"FVC": {"forced vital capacity"}}  # "forced vital capacity (FVC)" in the article
    [found] = expansion_conflicts(article + news, defined)
    assert found.abbreviation == "FVC"
    assert (found.first.mention.text, found.second.mention.text) == (
        "forced vital capacity", "functional vital capacity")
    assert (found.first.number, found.second.number) == (2, 1)  # the mention's IRI number
    assert expansion_conflicts(article, defined) == []  # case and plural are one spelling
    assert expansion_conflicts(article + news, {}) == []  # an undefined abbreviation: no judge
