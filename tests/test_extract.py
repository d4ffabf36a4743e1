"""Machine extraction of candidate findings, and its score against the curated findings.

Each way a result is printed is specified on a real sentence of the corpus where one exists
(quoted verbatim) and on made-up sentences otherwise: the numbers, the quote's exact offsets, and
what the candidate is linked to. The score is specified on a tiny hand-made example.
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from graph.evidence.findings import Effect, Finding, Group, Intervention, Quote, Result
from graph.evidence.numbers import PValue, Timepoint, parse_timepoint
from graph.mining import candidates as extract
from graph.mining.candidates import Candidate, extract_candidates
from graph.mining.scoring import (
    BASELINE,
    HELDOUT,
    HELDOUT_FIRST,
    HELDOUT_NOTES,
    Score,
    Tally,
    linked,
    main,
    markdown,
    read_designs,
    score,
    score_corpus,
    score_devset,
    table,
    total,
)
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary
from tests.checkout import CHECKOUT

PATHS = Paths()
COHORT = "documents/sharma-2017-cohort-article-markdown.txt"
NEWS = "documents/sharma-2017-cohort-news-summary.txt"
REVIEW = "documents/ge-2015-systematic-review-springer-page.txt"
SERIES = "documents/rigby-2014-case-series-pubmed-page.txt"


@pytest.fixture(scope="module")
def extracted(documents: dict[str, Document], vocabulary: Vocabulary) -> dict[str, list[Candidate]]:
    return {path: extract_candidates(d.text, vocabulary) for path, d in documents.items()}


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug must fail the test, not be skipped as a sentence the patterns cannot read."""
    monkeypatch.setattr(extract, "SAFE", False)


def result(**fields: object) -> Result:
    return Result(**fields)  # type: ignore[arg-type]


def in_sentence(candidates: list[Candidate], text: str, sentence: str) -> list[Candidate]:
    """The candidates whose quote is exactly ``sentence`` (which must occur once in ``text``)."""
    assert text.count(sentence) == 1
    start = text.index(sentence)
    found = [c for c in candidates if c.quote.start == start]
    for c in found:
        assert (c.quote.exact, c.quote.end) == (sentence, start + len(sentence))
    return found


def only(text: str, vocabulary: Vocabulary) -> Candidate:
    [candidate] = extract_candidates(text, vocabulary)
    return candidate


# ------------------------------------------------------------------ counts and percents


def test_count_and_percent_per_clause_in_the_cohort(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    sentence = ("Fourteen patients (78%) had improvement in myositis, 17 patients (94%) had "
                "improvement in ILD, and 13 patients (72%) had improvement in both.")
    found = in_sentence(extracted[COHORT], text, sentence)
    assert [c.result for c in found] == [
        Result(responders=14, total=18, percent=78),
        Result(responders=17, total=18, percent=94),
        Result(responders=13, total=18, percent=72),
    ]
    assert [c.pattern for c in found] == ["count-percent"] * 3
    # "improvement in both" names no outcome of its own: of a sentence naming two responses, it
    # is a treatment response (graph/mining/study.py), as curated
    assert [c.outcome for c in found] == ["myositis-response", "ild-response",
                                          "treatment-response"]
    # no drug or size in the sentence itself: both come from the one before it
    assert {(c.drugs, c.population_size, c.population_text, c.direction) for c in found} == {
        (("tacrolimus",), 18, "of 18 patients", "improved")}
    quote = found[0].quote
    start = text.index(sentence)
    assert quote == Quote(sentence, start, start + len(sentence), text[start - 32:start],
                          text[quote.end:quote.end + 32], text.count("\n", 0, start) + 1)
    assert len(quote.prefix) == len(quote.suffix) == 32


def test_thirty_one_of_54_patients(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    sentence = ("Thirty-one of 54 patients (57%) responded to conventional treatment based on the "
                "predefined variables of improvement in myositis and/or ILD.")
    [c] = in_sentence(extracted[COHORT], text, sentence)
    assert c.result == Result(responders=31, total=54, percent=57)
    assert (c.population_size, c.population_text, c.direction) == (54, "of 54 patients", "improved")


def test_percent_with_fraction_and_non_breaking_spaces(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[REVIEW].text
    sentence = ("According to comprehensive analysis of the studies, 93.3\u00a0% (42/45) and "
                "64.7\u00a0% (11/17) of patients showed improvement in muscle strength and physical "
                "function status.")
    found = in_sentence(extracted[REVIEW], text, sentence)
    assert [(c.pattern, c.result, c.outcome, c.direction) for c in found] == [
        ("percent-fraction", Result(responders=42, total=45, percent=93.3), "muscle-strength",
         "improved"),
        ("percent-fraction", Result(responders=11, total=17, percent=64.7), "physical-function",
         "improved"),
    ]
    # the sentence names no drug: the previous one does
    assert found[0].drugs == ("tacrolimus", "glucocorticoid")


def test_two_outcomes_for_two_results_pair_in_order(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[REVIEW].text
    sentence = ("After treatment, the forced vital capacity (FVC) and diffusing capacity for carbon "
                "monoxide (DLCO) improved or stabilized in 89.3\u00a0% (25/28) and 81.3\u00a0% "
                "(13/16) of patients, respectively.")
    found = in_sentence(extracted[REVIEW], text, sentence)
    assert [(c.result.responders, c.result.total, c.result.percent, c.outcome, c.direction)
            for c in found] == [(25, 28, 89.3, "fvc", "improved-or-stable"),
                                (13, 16, 81.3, "dlco", "improved-or-stable")]


@pytest.mark.parametrize(("text", "expected", "pattern"), [
    ("FVC improved in 42/45 patients.", Result(responders=42, total=45), "fraction"),
    ("Response: 42/45 (93.3%).", Result(responders=42, total=45, percent=93.3), "percent-fraction"),
    ("Response (42/45, 93.3%) was good.", Result(responders=42, total=45, percent=93.3),
     "percent-fraction"),
    ("Overall 14 (78%) improved.", Result(responders=14, percent=78), "count-percent"),
    ("Six of 11 patients improved.", Result(responders=6, total=11), "count-of-total"),
    ("In all four patients ILD improved.", Result(responders=4, total=4), "all-of-n"),
    ("Ninety-four percent had improvements in ILD.", Result(percent=94), "percent"),
    ("11 patients were taking AZA.", Result(count=11), "count"),
])
def test_made_up_counts(text: str, expected: Result, pattern: str, vocabulary: Vocabulary) -> None:
    candidate = only(text, vocabulary)
    assert (candidate.result, candidate.pattern) == (expected, pattern)
    assert (candidate.quote.start, candidate.quote.end) == (0, len(text))


# ------------------------------------------------------------------ means and changes


def test_before_after_from_to(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
    vocabulary: Vocabulary,
) -> None:
    text = documents[REVIEW].text
    sentence = ("The average dosage of GCs was reduced from 33.8 to 11.5\u00a0mg/day in PM/DM "
                "patients after the addition of tacrolimus.")
    [c] = in_sentence(extracted[REVIEW], text, sentence)
    assert c.result == Result(before_mean=33.8, after_mean=11.5, unit="mg/day")
    assert (c.pattern, c.outcome, c.direction) == ("before-after", "glucocorticoid-dose", "improved")
    made_up = only("The prednisone dose decreased from 33.8 to 11.5 mg/day after 12 months.",
                   vocabulary)
    assert made_up.result == Result(before_mean=33.8, after_mean=11.5, unit="mg/day")
    assert made_up.drugs == ("prednisone",)
    assert made_up.timepoint == Timepoint("12 months", 12.0, 12.0)


def test_means_with_sd_in_markdown_math_and_their_changes(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    sentence = (
        "For patients who failed conventional therapy and were treated with tacrolimus, the mean "
        "dose of prednisone at the time of initiation of tacrolimus was  $35.1 \\text{ mg} \\pm "
        "18.6 \\text{ mg}$ , which decreased to  $12.4 \\text{ mg} \\pm 8.0 \\text{ mg}$  at "
        "3–6 months (65% decrease,  $p = 0.002$ ) and  $6.8 \\text{ mg} \\pm 6.8 \\text{ mg}$  "
        "at 1 year (81% decrease,  $p < 0.001$ ).")
    found = in_sentence(extracted[COHORT], text, sentence)
    assert [c.result for c in found] == [
        Result(before_mean=35.1, before_sd=18.6, after_mean=12.4, after_sd=8.0, unit="mg",
               percent_change=-65, p_value=PValue("=", 0.002)),
        Result(before_mean=35.1, before_sd=18.6, after_mean=6.8, after_sd=6.8, unit="mg",
               percent_change=-81, p_value=PValue("<", 0.001)),
    ]
    assert [c.timepoint.key for c in found if c.timepoint] == [
        parse_timepoint("3-6 months").key, parse_timepoint("12 months").key]
    assert {(c.pattern, c.drugs, c.outcome, c.direction) for c in found} == {
        ("before-after", ("tacrolimus", "prednisone"), "glucocorticoid-dose", "improved")}


def test_a_change_whose_baseline_is_in_the_previous_sentence_quotes_both(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    first = "At the time of initiation of tacrolimus, 11 patients were taking AZA"
    start = text.index(first)
    end = text.index("with 4 patients able to discontinue AZA entirely.") + len(
        "with 4 patients able to discontinue AZA entirely.")
    found = [c for c in extracted[COHORT] if c.pattern == "before-after"
             and (c.quote.start, c.quote.end) == (start, end)]
    assert [(c.result.before_mean, c.result.after_mean, c.result.percent_change,
             c.result.p_value, c.outcome, c.direction) for c in found] == [
        (143.2, 89.6, -37, PValue("=", 0.04), "dmard-dose", "improved"),
        (143.2, 84.1, -41.2, PValue("=", 0.010), "dmard-dose", "improved"),
    ]
    assert found[0].quote.exact == text[start:end]
    # the baseline is not reported a second time as a mean of its own
    assert not [c for c in extracted[COHORT] if c.pattern == "mean-sd" and c.result.mean == 143.2]


@pytest.mark.parametrize(("text", "expected"), [
    ("The mean age was 44.9 years (SD 14.9).", Result(mean=44.9, sd=14.9, unit="years")),
    ("Dose was 143.2 mg ± 28.6 mg.", Result(mean=143.2, sd=28.6, unit="mg")),
    ("The mean FVC was 61.7% predicted.", Result(mean=61.7, unit="% predicted")),
])
def test_made_up_means(text: str, expected: Result, vocabulary: Vocabulary) -> None:
    candidate = only(text, vocabulary)
    assert (candidate.result, candidate.pattern) == (expected, "mean-sd")


def test_percent_changes_by_and_at_timepoints(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[NEWS].text
    sentence = ("The mean dose of prednisone used by the participants decreased from baseline by "
                "65% at 3 to 6 months (P =.02) and by 81% at 12 months (P <.001).")
    found = in_sentence(extracted[NEWS], text, sentence)
    assert [(c.result, c.timepoint.key if c.timepoint else None) for c in found] == [
        (Result(percent_change=-65, p_value=PValue("=", 0.02)), "3-6m"),
        (Result(percent_change=-81, p_value=PValue("<", 0.001)), "12-12m"),
    ]
    assert {(c.outcome, c.direction, c.population_size) for c in found} == {
        ("glucocorticoid-dose", "improved", 18)}


def test_the_abstract_repeats_by_only_once(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    sentence = ("The mean doses of prednisone decreased from baseline by 65% at 3–6 months "
                "( $p = 0.002$ ) and 81% at 1 year ( $p < 0.001$ ).")
    found = in_sentence(extracted[COHORT], text, sentence)
    assert [(c.result.percent_change, c.result.p_value, c.timepoint.key if c.timepoint else None)
            for c in found] == [(-65, PValue("=", 0.002), "3-6m"), (-81, PValue("<", 0.001),
                                                                      "12-12m")]


@pytest.mark.parametrize(("text", "change"), [
    ("CK fell (65% decrease) with IVIG.", -65.0),
    ("FVC showed a 12% increase at 6 months.", 12.0),
    ("CK decreased by 40% after 6 months of IVIG.", -40.0),
])
def test_made_up_percent_changes(text: str, change: float, vocabulary: Vocabulary) -> None:
    candidate = only(text, vocabulary)
    assert (candidate.pattern, candidate.result.percent_change) == ("percent-change", change)


def test_thresholds_in_definitions_are_not_results(vocabulary: Vocabulary) -> None:
    text = ("Refractory ILD was defined by a 10% decrease in TLC or a 15% decrease in DLCO.")
    assert extract_candidates(text, vocabulary) == []


# ------------------------------------------------------------------ effects, comparisons, p-values


def test_hazard_ratio_with_confidence_interval_and_p_value(vocabulary: Vocabulary) -> None:
    text = "Tacrolimus lowered mortality (HR 0.32 (95% CI 0.14–0.75, P = 0.008))."
    candidate = only(text, vocabulary)
    assert candidate.result == Result(effect=Effect("HR", 0.32, 0.14, 0.75, 95),
                                      p_value=PValue("=", 0.008))
    assert (candidate.pattern, candidate.drugs, candidate.outcome) == (
        "effect", ("tacrolimus",), "mortality")


def test_odds_ratio_with_confidence_interval(vocabulary: Vocabulary) -> None:
    candidate = only("Anti-MDA5 predicted death, OR 2.1 (95% CI 1.1-4.0).", vocabulary)
    assert candidate.result == Result(effect=Effect("OR", 2.1, 1.1, 4.0, 95))


def test_a_confidence_interval_that_excludes_its_estimate_is_dropped(
    vocabulary: Vocabulary,
) -> None:
    assert only("HR 0.5 (95% CI 0.6-0.9)", vocabulary).result == Result(effect=Effect("HR", 0.5))


def test_comparison_of_two_percents_with_p_value(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    sentence = ("Patients with polymyositis (PM)-ILD were more likely to respond to conventional "
                "treatment than those with dermatomyositis (DM)-ILD (67% vs 35%,  $p = 0.013$ ).")
    [c] = in_sentence(extracted[COHORT], text, sentence)
    assert (c.pattern, c.result, c.groups) == (
        "comparison", Result(p_value=PValue("=", 0.013)),
        (Group("group 1", percent=67), Group("group 2", percent=35)))


@pytest.mark.parametrize(("text", "p_value"), [
    ("Survival was better with rituximab (p < 0.001).", PValue("<", 0.001)),
    ("Survival was better with rituximab (P =.013).", PValue("=", 0.013)),
    ("Survival was better with rituximab, P-value = 0.2.", PValue("=", 0.2)),
    ("Survival was better with rituximab ( $p \u2264 0.05$ ).", PValue("<=", 0.05)),
])
def test_p_values_alone(text: str, p_value: PValue, vocabulary: Vocabulary) -> None:
    candidate = only(text, vocabulary)
    assert (candidate.pattern, candidate.result, candidate.drugs, candidate.outcome) == (
        "p-value", Result(p_value=p_value), ("rituximab",), "survival")


def test_a_p_value_belongs_to_the_result_before_it(vocabulary: Vocabulary) -> None:
    [first, second] = extract_candidates(
        "FVC improved in 20/30 (p = 0.04) and DLCO in 10/30 patients (p = 0.3).", vocabulary)
    assert (first.result.p_value, second.result.p_value) == (PValue("=", 0.04), PValue("=", 0.3))
    assert (first.outcome, second.outcome) == ("fvc", "dlco")


# ------------------------------------------------------------------ tables


def test_rows_of_a_table_with_a_values_column(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    rows = {c.quote.exact: c for c in extracted[COHORT] if c.pattern == "table-row"}
    assert rows["Male\t16 (29.6)"].result == Result(count=16, total=54, percent=29.6)
    assert rows["Male\t16 (29.6)"].population_size == 54  # the caption's "(n = 54)"
    # 5/54 is not 35.7%: the percents of this section are of the 14 biopsies, so no total
    assert rows["OP\t5 (35.7)"].result == Result(count=5, percent=35.7)
    # "PFT, %, mean (SD)" heads the section: these rows are means with SDs
    assert rows["FVC\t61.7 (19.6)"].result == Result(mean=61.7, sd=19.6)
    assert rows["FVC\t61.7 (19.6)"].outcome == "fvc"
    assert rows["AZA\t35 (64.8)"].drugs == ("azathioprine",)
    row = rows["Male\t16 (29.6)"]
    assert text[row.quote.start:row.quote.end] == "Male\t16 (29.6)"


def test_rows_of_a_table_with_a_column_per_group(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    text = documents[COHORT].text
    start = text.index("Male\t6\t10\t0.055")
    [row] = [c for c in extracted[COHORT] if c.quote.start == start]
    assert row.result == Result(p_value=PValue("=", 0.055))
    assert row.groups == (Group("Responders, n = 31", count=6),
                          Group("Nonresponders, n = 23", count=10))
    start = text.index("FVC\t63.7\t42.4\t0.010")
    [row] = [c for c in extracted[COHORT] if c.quote.start == start]
    assert (row.result.p_value, [g.mean for g in row.groups], row.population_size) == (
        PValue("=", 0.01), [63.7, 42.4], 18)


def test_a_pipe_table(vocabulary: Vocabulary) -> None:
    text = ("Table 1. Patients (n = 40).\n\n| Feature | Tacrolimus | Control | p |\n"
            "|---|---|---|---|\n| ILD | 12 | 8 | 0.04 |\n")
    [row] = extract_candidates(text, vocabulary)
    assert row.quote.exact == "| ILD | 12 | 8 | 0.04 |"
    assert row.result == Result(p_value=PValue("=", 0.04))
    assert row.groups == (Group("Tacrolimus", count=12), Group("Control", count=8))
    assert row.population_size == 40


# ------------------------------------------------------------------ linking


def test_linking_to_population_timepoint_drug_and_outcome(vocabulary: Vocabulary) -> None:
    text = ("We treated 20 patients with rituximab. In 18 patients given tacrolimus, 12 (67%) "
            "had improvement in ILD at 1 year.")
    candidate = only(text, vocabulary)
    assert candidate.quote.start == text.index("In 18")
    assert candidate.result == Result(responders=12, total=18, percent=67)
    assert (candidate.population_size, candidate.population_text) == (18, "In 18 patients")
    assert candidate.drugs == ("tacrolimus",)
    assert candidate.outcome == "ild-response"
    assert candidate.timepoint == Timepoint("1 year", 12.0, 12.0)
    assert candidate.direction == "improved"


@pytest.mark.parametrize(("text", "size"), [
    ("Among the cohort (n = 18), 12 (67%) improved.", 18),
    ("Of 54 patients, 31 (57%) responded.", 54),
    ("A total of 134 patients were pooled; 65 (48.5%) had ILD.", 134),
])
def test_population_sizes(text: str, size: int, vocabulary: Vocabulary) -> None:
    candidate = only(text, vocabulary)
    assert candidate.population_size == size
    assert candidate.result.total == size


@pytest.mark.parametrize(("text", "key"), [
    ("At 3–6 months, 12 (67%) improved.", "3-6m"),
    ("12 (67%) improved after 12 months.", "12-12m"),
    ("12 (67%) improved at 1 year.", "12-12m"),
    ("12 (67%) improved by 6 to 12 months.", "6-12m"),
])
def test_timepoints(text: str, key: str, vocabulary: Vocabulary) -> None:
    timepoint = only(text, vocabulary).timepoint
    assert timepoint is not None and timepoint.key == key


@pytest.mark.parametrize(("text", "direction"), [
    ("12 (67%) improved.", "improved"),
    ("12 (67%) worsened.", "worsened"),
    ("FVC improved or stabilized in 12 (67%).", "improved-or-stable"),
    ("12 (67%) had no change in FVC.", "no-change"),
    ("CK decreased in 12 (67%).", "improved"),
    ("FVC decreased in 12 (67%).", "worsened"),
    ("The prednisone dose decreased from 20 to 5 mg.", "improved"),
    ("12 (67%) were women.", None),
])
def test_directions(text: str, direction: str | None, vocabulary: Vocabulary) -> None:
    assert only(text, vocabulary).direction == direction


def test_negated_drugs_are_not_linked(vocabulary: Vocabulary) -> None:
    assert only("Without rituximab, 12 (67%) improved.", vocabulary).drugs == ()
    assert only("Tacrolimus was given without rituximab; 12 (67%) improved.",
                vocabulary).drugs == ("tacrolimus",)


# ------------------------------------------------------------------ consistency


def test_inconsistent_numbers_are_dropped_not_kept(vocabulary: Vocabulary) -> None:
    # a stated total wins over a percent that contradicts it
    assert only("Thirty-one of 54 patients (50%) responded.", vocabulary).result == Result(
        responders=31, total=54)
    # a population the percent does not confirm is not used as the total
    assert only("Of 20 patients, 14 (78%) improved.", vocabulary).result == Result(
        responders=14, percent=78)
    # more responders than patients is no fraction at all
    assert extract_candidates("60 of 54 patients improved.", vocabulary) == []
    assert extract_candidates("Response 45/42.", vocabulary) == []
    assert extract_candidates("Response 130% (12).", vocabulary) == []


def test_every_corpus_candidate_is_consistent_and_quoted_exactly(
    documents: dict[str, Document], extracted: dict[str, list[Candidate]],
) -> None:
    from graph.evidence.consistency import result_problems

    for path, candidates in extracted.items():
        text = documents[path].text
        for c in candidates:
            q = c.quote
            assert text[q.start:q.end] == q.exact
            assert (q.prefix, q.suffix) == (text[max(0, q.start - 32):q.start], text[q.end:q.end + 32])
            assert q.line == text.count("\n", 0, q.start) + 1
            assert result_problems(c.result) == []
            assert c.result != Result() or c.groups


# ------------------------------------------------------------------ garbage


@pytest.mark.parametrize("text", [
    "", " ", "\n\n\t", "asdf qwer", "1/0", "((((((", "p = 7", "12 (300%)", "$$\\text{", "---",
    "\u0000\ufffd\ud7ff", "% % % / / /", "HR CI", "from to by at", "0" * 5000, "9" * 5000 + "/1",
    "\t\t\t\n|||\n", "Table 1.\n\tp\n\t\t\n", "mean " * 300,
])
def test_garbage_gives_no_candidates_and_no_exception(text: str, vocabulary: Vocabulary) -> None:
    assert extract_candidates(text, vocabulary) == []


def test_random_text_never_raises(vocabulary: Vocabulary) -> None:
    pieces = [
        *"0123456789.,%/()$\\±-– \t\npPnN=<>:;|", "patients ", "of ", "mg ", "\\text{ mg}", "\\pm ", "vs ", "decreased ", "to ", "from ",
        "by ", "at ", "months ", "HR ", "95% CI ", "All ", "Thirty-one ", "had ", "ILD ",
        "Table 1. (n = 5)\n", "a\tb\tp\n", "x\t1\t2\t0.5\n", "mean ", ". This ", ". "]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        for candidate in extract_candidates(text, vocabulary):
            assert text[candidate.quote.start:candidate.quote.end] == candidate.quote.exact


def test_given_mentions_are_used(vocabulary: Vocabulary) -> None:
    text = "In 18 patients, 12 (67%) had improvement in ILD."
    assert only(text, vocabulary).outcome == "ild-response"
    # without the mention of ILD, the response is only a treatment response
    assert extract_candidates(text, vocabulary, mentions=[])[0].outcome == "treatment-response"


def test_candidates_are_frozen(vocabulary: Vocabulary) -> None:
    candidate = only("12 (67%) improved.", vocabulary)
    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.pattern = "x"  # type: ignore[misc]


# ------------------------------------------------------------------ scoring


def quote(start: int, end: int) -> Quote:
    return Quote("x" * (end - start), start, end, "", "", 1)


def candidate(start: int, end: int, result: Result, *groups: Group) -> Candidate:
    return Candidate(quote(start, end), result, (), None, None, None, None, None, "test", groups)


def finding(key: str, quotes: list[tuple[int, int]], result: Result, *groups: Group) -> Finding:
    return Finding(key, "outcome", tuple(quote(s, e) for s, e in quotes), "p", "improved",
                   groups=groups, result=result)


def test_scoring_a_tiny_hand_made_example() -> None:
    findings = [
        # found whole: 3 numbers
        finding("a", [(0, 50)], result(responders=14, total=18, percent=78)),
        # matched by its p-value; the relation of the other p-value differs
        finding("b", [(100, 150), (400, 420)],
                result(before_mean=35.1, after_mean=12.4, p_value=PValue("<", 0.001))),
        # its only candidate is elsewhere in the text: not matched
        finding("c", [(200, 250)], result(responders=4, total=4)),
        # group numbers let a table row match; it has no scored number
        finding("d", [(300, 320)], Result(), Group("r", count=6), Group("n", count=10)),
        # no number at all: not scored
        finding("e", [(0, 50)], Result()),
    ]
    candidates = [
        candidate(10, 60, result(responders=14, total=18, percent=78)),       # a: 3 of 3 right
        candidate(90, 110, result(before_mean=35.1, after_mean=11.4,           # b: 1 right, 2
                                  p_value=PValue("=", 0.001))),                # wrong
        candidate(500, 520, result(responders=4, total=4)),                    # nothing: 2 wrong
        candidate(300, 320, Result(), Group("x", count=6)),                    # d: no numbers
        candidate(30, 40, result(count=14)),                                   # a: count is not
    ]                                                                          # curated: 1 wrong
    s = score(candidates, findings, "doc")
    assert s.findings == Tally(correct=4, predicted=5, found=3, curated=4)
    assert (s.findings.precision, s.findings.recall) == (0.8, 0.75)
    assert s.without_numbers == 1
    assert s.numbers == Tally(correct=4, predicted=9, found=4, curated=8)
    assert s.by_field["p_value"] == Tally(correct=0, predicted=1, found=0, curated=1)
    assert s.by_field["before_mean"] == Tally(correct=1, predicted=1, found=1, curated=1)
    assert s.missed == ("c",)
    assert len(s.unmatched) == 1 and "[test]" in s.unmatched[0]
    assert "b: after_mean = 12.4" in s.missed_numbers
    assert "line 1 [test]: p_value = = 0.001" in s.wrong_numbers
    both = total([s, s])
    assert (both.findings.precision, both.numbers.recall) == (0.8, 0.5)
    assert Tally().precision is None and Tally().recall is None


def test_a_match_is_linked_only_with_the_findings_drug_and_outcome(vocabulary: Vocabulary) -> None:
    """Numbers in the right place are not enough for the issue's measure: the candidate must
    also name the outcome (or one related in the hierarchy) and one of the finding's drugs."""
    numbers = result(responders=14, total=18)
    curated = dataclasses.replace(finding("a", [(0, 50)], numbers), outcome="ild-response",
                                  interventions=(Intervention("tacrolimus"),))
    read = candidate(0, 50, numbers)

    def of(drugs: tuple[str, ...], outcome: str | None) -> Candidate:
        return dataclasses.replace(read, drugs=drugs, outcome=outcome)

    assert linked(of(("tacrolimus",), "ild-response"), curated, vocabulary)
    assert linked(of(("calcineurin-inhibitor", "prednisone"), "ild-response"), curated, vocabulary)
    assert not linked(of(("prednisone",), "ild-response"), curated, vocabulary)  # another drug
    assert not linked(of(("tacrolimus",), None), curated, vocabulary)  # says not what improved
    assert not linked(of(("tacrolimus",), "creatine-kinase"), curated, vocabulary)
    untreated = dataclasses.replace(curated, interventions=())
    assert linked(of((), "ild-response"), untreated, vocabulary)
    assert not linked(of(("tacrolimus",), "ild-response"), untreated, vocabulary)
    baseline = dataclasses.replace(curated, kind="characteristic")  # judged by its numbers
    assert linked(of((), None), baseline, vocabulary)
    s = score([of(("tacrolimus",), None), of(("tacrolimus",), "ild-response")], [curated], "d",
              vocabulary)
    assert s.findings == Tally(2, 2, 1, 1) and s.linked == Tally(1, 2, 1, 1)


def test_nothing_to_score() -> None:
    s = score([], [], "empty")
    assert s == Score("empty", Tally(), Tally(), 0, s.by_field)
    assert "empty" in table([s]) and "| empty |" in markdown([s])


def test_score_of_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores = score_corpus()
    assert [s.document for s in scores] == [
        "documents/ahn-polymyositis-tacrolimus-case-report-journal-page.txt", REVIEW, SERIES,
        COHORT, NEWS]
    overall = total(scores)
    assert overall.findings.curated == 140 and overall.without_numbers == 14
    # a regression guard, well below what the extractor reaches (see docs/extraction-score.md)
    for tally in (overall.findings, overall.numbers):
        assert tally.precision is not None and tally.precision >= 0.85
        assert tally.recall is not None and tally.recall >= 0.85
    devset = score_devset()
    # the targets on the development set, by finding matched on its numbers, and with
    # drug and outcome too (the measure the issue was filed with)
    for found in (total(devset).findings, total(devset).linked):
        assert found.precision is not None and found.precision >= 0.85
        assert found.recall is not None and found.recall >= 0.70
    heldout = score_devset(HELDOUT)  # scored, never a target (tests/test_heldout.py)
    designs = read_designs(HELDOUT)
    output = tmp_path / "score.md"
    assert main(["--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == markdown(scores, devset, heldout=heldout,
                                                          heldout_designs=designs)
    assert "overall" in capsys.readouterr().out
    # the committed report is current: rerun `python -m graph.mining.scoring` after a change
    baseline = json.loads((CHECKOUT / BASELINE).read_text(encoding="utf-8"))
    first = json.loads((CHECKOUT / HELDOUT_FIRST).read_text(encoding="utf-8"))
    notes = (CHECKOUT / HELDOUT_NOTES).read_text(encoding="utf-8")
    committed = (CHECKOUT / "docs" / "extraction-score.md").read_text(encoding="utf-8")
    assert committed == markdown(scores, devset, baseline, heldout, first, notes, designs)
