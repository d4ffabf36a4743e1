"""How the extractor reads results the way papers print them (issue 22, point 1).

Every sentence here is made up; each shows one general mechanism: number spellings, lists read
"respectively", effect sizes kept with their CI and p, n of N with percent and CI, before/after
summaries with their spread, comparisons with both groups named, breakdowns of a group, counts
"in N" of a gapped clause, the section a result stands in, baseline facts, and the group size a
sentence may take from the one before.
"""

from __future__ import annotations

import pytest

from graph.evidence.findings import Effect, Group, Result, field_values
from graph.evidence.numbers import PValue
from graph.mining import candidates as extract
from graph.mining.candidates import Candidate, extract_candidates
from graph.mining.sections import sections
from graph.mining.spelling import plain_numbers
from graph.vocabulary.concepts import Vocabulary


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFE", False)


def numbers(candidate: Candidate) -> dict[str, object]:
    return {k: v for k, v in field_values(candidate.result).items() if v is not None}


def test_printed_spellings_read_as_plain_numbers_and_quotes_keep_the_print(
        vocabulary: Vocabulary) -> None:
    text = ("Mortality was lower with tacrolimus (HR 0\u00b732, 95% CI 0\u00b714\u20130\u00b775;"
            " p\u2009\u2039\u20090\u00b7001).")
    [c] = extract_candidates(text, vocabulary)
    assert c.result.effect == Effect("HR", 0.32, 0.14, 0.75, 95.0)
    assert c.result.p_value == PValue("<", 0.001)
    assert c.quote.exact == text  # the middle dots and the angle quote, as printed
    assert plain_numbers("\u22123\u00b75\u00a0mg") == "-3.5 mg"
    assert len(plain_numbers(text)) == len(text)


def test_a_list_is_spread_over_its_items_in_order(vocabulary: Vocabulary) -> None:
    found = extract_candidates(
        "FVC, DLCO and TLC improved in 50%, 30% and 20% of patients, respectively.", vocabulary)
    assert [(c.outcome, c.result.percent) for c in found] == [
        ("fvc", 50), ("dlco", 30), ("tlc", 20)]
    changes = extract_candidates(
        "Median FVC, the walk distance and DLCO rose by 12%, 9% and 7% after rituximab.",
        vocabulary)
    assert [(c.outcome, c.result.percent_change) for c in changes] == [
        ("fvc", 12), (None, 9), ("dlco", 7)]  # an item naming no known outcome gets none
    assert {c.drugs for c in changes} == {("rituximab",)}


def test_n_of_n_with_percent_and_confidence_interval(vocabulary: Vocabulary) -> None:
    [a, b] = extract_candidates("Of 60 patients, 42/45 (93.3%; 95% CI 81.7-98.6) improved, and "
                                "40% (95% CI 25, 57) reached remission.", vocabulary)
    assert numbers(a) == {"responders": 42, "total": 45, "percent": 93.3}
    assert a.percent_ci == (81.7, 98.6, 95.0)
    assert (numbers(b), b.percent_ci) == ({"percent": 40}, (25, 57, 95.0))


@pytest.mark.parametrize(("text", "expected"), [
    ("The prednisone dose fell from a mean (SD) of 20.1 (10.2) mg/day to 9.8 (5.1) mg/day.",
     Result(before_mean=20.1, before_sd=10.2, after_mean=9.8, after_sd=5.1, unit="mg/day")),
    ("The prednisone dose was reduced from a median (IQR) of 15 (10-20) mg to 5 (2.5-7.5) mg.",
     Result(before_median=15, before_iqr_lower=10, before_iqr_upper=20, after_median=5,
            after_iqr_lower=2.5, after_iqr_upper=7.5, unit="mg")),
    ("The prednisone dose was lowered from 30 (15-60) mg to 7.5 (5-10) mg (medians and ranges).",
     Result(before_median=30, before_min=15, before_max=60, after_median=7.5, after_min=5,
            after_max=10, unit="mg")),
    ("The glucocorticoid dose fell from 40 (30-50) mg to 10 (5-15) mg (medians).",
     Result(before_median=40, after_median=10, unit="mg")),  # a bracket unnamed: left out
    ("The mean daily prednisone dose went from 16.2 mg to 3 mg.",
     Result(before_mean=16.2, after_mean=3, unit="mg")),
])
def test_before_and_after_with_their_spread_and_units(
        text: str, expected: Result, vocabulary: Vocabulary) -> None:
    [c] = extract_candidates(text, vocabulary)
    assert (c.pattern, c.result, c.outcome) == ("before-after", expected, "glucocorticoid-dose")


def test_a_median_named_once_covers_the_pairs_after_it_until_a_number_intervenes(
        vocabulary: Vocabulary) -> None:
    # the statistic word qualifies the pair it is printed in, the bracket right after a pair,
    # or the pairs after it in its sentence with no other number between
    [ck, dose] = extract_candidates(
        "Creatine kinase went down from 900 to 120 IU/L (medians) and the prednisone dose "
        "from 45 to 12.5 mg.", vocabulary)
    assert (numbers(ck)["before_median"], numbers(dose)["before_median"]) == (900, 45)
    [later] = extract_candidates(
        "The median age was 52 years, and the prednisone dose fell from 45 to 12.5 mg.",
        vocabulary)
    assert (later.result.before_mean, later.result.before_median) == (45, None)


def test_a_comparison_names_both_groups_and_keeps_its_p_value(vocabulary: Vocabulary) -> None:
    [c] = extract_candidates(
        "At week 24, 61% of the rituximab group (22 of 36) and 30% of the placebo group "
        "(11 of 37) responded (difference, 31 percentage points; P=0.01).", vocabulary)
    assert c.pattern == "comparison"
    assert c.groups == (Group("rituximab group", count=22, percent=61),
                        Group("placebo group", count=11, percent=30))
    assert numbers(c) == {"responders": 22, "total": 36, "percent": 61,
                          "p_value": PValue("=", 0.01)}
    [d] = extract_candidates("Infections were more frequent with tacrolimus than with "
                             "cyclosporine (40.0% vs 12.5%; P = .03).", vocabulary)
    assert [g.population for g in d.groups] == ["tacrolimus", "cyclosporine"]
    assert d.result.p_value == PValue("=", 0.03)


def test_a_difference_is_a_signed_mean_difference(vocabulary: Vocabulary) -> None:
    [c] = extract_candidates("At 24 months the prednisone dose was 4.1 mg lower with tacrolimus.",
                             vocabulary)
    assert (c.result.effect, c.result.unit) == (Effect("MD", -4.1), "mg")


def test_a_breakdown_of_a_group_counts_characteristics_of_that_group(
        vocabulary: Vocabulary) -> None:
    found = extract_candidates("Thirty patients were enrolled (20 Jo1, 7 PL-7 and 3 EJ).",
                               vocabulary)
    assert [(c.kind, c.characteristic, numbers(c)) for c in found] == [
        ("characteristic", "anti-jo-1", {"count": 20, "total": 30}),
        ("characteristic", "anti-pl-7", {"count": 7, "total": 30}),
        ("characteristic", "anti-ej", {"count": 3, "total": 30})]
    assert not extract_candidates("Tacrolimus was given (2 mg, 3 days).", vocabulary)


def test_counts_in_n_each_with_its_own_direction(vocabulary: Vocabulary) -> None:
    found = extract_candidates("All 12 had ILD at baseline; at 6 months it had improved in 6, "
                               "was stable in 5 and worse in 1.", vocabulary)
    assert [(c.kind, numbers(c), c.direction) for c in found] == [
        ("characteristic", {"count": 12, "total": 12}, None),
        ("outcome", {"responders": 6, "total": 12}, "improved"),
        ("outcome", {"count": 5, "total": 12}, "no-change"),
        ("outcome", {"count": 1, "total": 12}, "worsened")]
    gapped = extract_candidates(
        "At 1 year the CT score was stable or better in 70% and the FVC in 65%.", vocabulary)
    assert [(c.outcome, c.result.percent, c.direction) for c in gapped] == [
        ("ild-extent", 70, "improved-or-stable"), ("fvc", 65, "improved-or-stable")]


def test_results_in_the_background_are_other_studies(vocabulary: Vocabulary) -> None:
    text = ("Introduction\nEarlier, 14 (78%) had improvement in ILD with tacrolimus [3].\n\n"
            "Results\nNine (60%) had improvement in ILD with tacrolimus.\n")
    [c] = extract_candidates(text, vocabulary)
    assert (c.section, c.result.responders) == ("results", 9)
    assert sections("Methods: we looked.\nRESULTS\n") == ((0, "methods"), (20, "results"))


def test_a_group_size_comes_from_the_sentence_before_only_when_this_one_points_back(
        vocabulary: Vocabulary) -> None:
    found = extract_candidates("We studied 40 patients in 2010. Seven patients died. Of them, "
                               "5 (71%) had ILD.", vocabulary)
    assert [(numbers(c), c.population_size) for c in found] == [
        ({"count": 7}, None), ({"count": 5, "percent": 71}, None)]
    [c] = extract_candidates("Of 20 patients, 4 were lost. These patients, 16 (80%), improved.",
                             vocabulary)[-1:]
    assert (numbers(c), c.population_size) == ({"responders": 16, "total": 20, "percent": 80}, 20)
