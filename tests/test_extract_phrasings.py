"""Ways papers print results that the held-out set's first run showed the extractor missed
(issue 22, point 2; see "Held-out set" in docs/extraction-score.md).

Every sentence here is made up; each shows one general phrasing: a timepoint between a value and
"to", a rate named before its value, two values each followed by its group, "n of N" before a verb
of outcome, "the other n" of a group, and a "respectively" list of p-values.
"""

from __future__ import annotations

import pytest

from graph.evidence.findings import Result
from graph.evidence.numbers import PValue
from graph.mining import candidates as extract
from graph.mining.candidates import extract_candidates
from graph.vocabulary.concepts import Vocabulary


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFE", False)


def results(text: str, vocabulary: Vocabulary) -> list[tuple[str, Result]]:
    return [(c.pattern, c.result) for c in extract_candidates(text, vocabulary)]


def test_a_timepoint_may_stand_between_the_first_value_and_to(vocabulary: Vocabulary) -> None:
    text = ("With tacrolimus the mean (SD) prednisolone dose fell from 30.5 (12.0) mg/day at "
            "baseline to 8.0 (3.5) mg/day at one year.")
    [c] = extract_candidates(text, vocabulary)
    assert c.result == Result(before_mean=30.5, before_sd=12.0, after_mean=8.0, after_sd=3.5,
                              unit="mg/day")
    assert c.outcome == "glucocorticoid-dose"


def test_a_rate_named_before_its_value(vocabulary: Vocabulary) -> None:
    text = "On cyclosporine, overall survival was 85.5% and relapse-free survival 60.0% at 3 years."
    found = extract_candidates(text, vocabulary)
    assert [(c.result.percent, c.outcome) for c in found] == [(85.5, "survival"),
                                                              (60.0, "survival")]
    assert results("Rituximab was given to all (five-year survival 75%).", vocabulary) == [
        ("percent", Result(percent=75.0))]


def test_two_values_each_followed_by_its_group(vocabulary: Vocabulary) -> None:
    text = "One-year survival was 90% in the early group vs 45% in the late group."
    [c] = extract_candidates(text, vocabulary)
    assert c.pattern == "comparison"
    assert [g.percent for g in c.groups] == [90.0, 45.0]


@pytest.mark.parametrize(("text", "expected"), [
    ("Seven of the 12 survived to discharge.", Result(count=7, total=12)),
    ("Three of these 8 relapsed within a year.", Result(count=3, total=8)),
    ("Nine of the 15 recovered after tacrolimus was added.", Result(responders=9, total=15)),
])
def test_n_of_total_before_a_verb_of_outcome(text: str, expected: Result,
                                             vocabulary: Vocabulary) -> None:
    assert results(text, vocabulary) == [("count-of-total", expected)]


def test_the_other_n_of_a_group(vocabulary: Vocabulary) -> None:
    text = "Of 14 patients given cyclosporine, 10 improved; the other 4 died of respiratory failure."
    assert [(c.result.responders, c.result.count) for c in extract_candidates(text, vocabulary)
            ] == [(10, None), (None, 4)]


def test_a_respectively_list_of_p_values_goes_to_the_outcomes_in_order(
        vocabulary: Vocabulary) -> None:
    text = ("After a year of cyclosporine, FVC, DLCO and TLC had improved (P = 0.01, 0.04 and "
            "0.2, respectively).")
    found = extract_candidates(text, vocabulary)
    assert [(c.result.p_value, c.outcome) for c in found] == [
        (PValue("=", 0.01), "fvc"), (PValue("=", 0.04), "dlco"), (PValue("=", 0.2), "tlc")]
    assert all(c.drugs == ("cyclosporine",) for c in found)
    # a single p-value still goes to the result before it
    [c] = extract_candidates("FVC improved in 12 of 15 patients (p = 0.03).", vocabulary)
    assert c.result.p_value == PValue("=", 0.03)


@pytest.mark.parametrize(("text", "expected"), [
    ("Tacrolimus added early helped 6 patients with refractory ILD.", Result(responders=6)),
    ("Rituximab benefited 3 patients.", Result(responders=3)),
    ("Cyclosporine was effective in all 5 patients with resistant ILD.",
     Result(responders=5, total=5)),
])
def test_a_drug_that_helped_or_was_effective_in_n_patients_counts_responders(
        text: str, expected: Result, vocabulary: Vocabulary) -> None:
    assert [c.result for c in extract_candidates(text, vocabulary)] == [expected]


def test_sentences_of_xml_mined_as_filed_end_at_the_markup(vocabulary: Vocabulary) -> None:
    """A structured abstract's sections are elements: a full stop before a tag ends a sentence,
    and a sentence's quote starts at its first word, past the tags."""
    text = ('<AbstractText Label="METHODS">Flares were scored by improvement criteria.'
            '</AbstractText>\n<AbstractText Label="RESULTS">Nine of the 12 died despite '
            'prednisolone.</AbstractText>')
    [c] = extract_candidates(text, vocabulary)
    assert c.result == Result(count=9, total=12)  # no response word from the sentence before
    assert c.quote.exact == "Nine of the 12 died despite prednisolone."
