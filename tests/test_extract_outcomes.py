"""Which outcome a result is about: words papers use for an outcome that the vocabulary names
(issue 22, precision with drug and outcome on the development set).

Every sentence here is made up; each shows one general reading: a bare "strength" is muscle
strength, a drug "stopped" or "discontinued" in n is a discontinuation, FEV1, the extent of the
lung disease on CT and infections are outcomes of their own, each under the broader outcome
(pulmonary function, ILD response, adverse event) that a study's hierarchy expects.
"""

from __future__ import annotations

import pytest

from graph.mining import candidates as extract
from graph.mining.candidates import extract_candidates
from graph.vocabulary.concepts import Vocabulary


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFE", False)


def outcomes(text: str, vocabulary: Vocabulary) -> list[str | None]:
    return [c.outcome for c in extract_candidates(text, vocabulary)]


def test_strength_alone_is_muscle_strength(vocabulary: Vocabulary) -> None:
    text = "On IVIG, strength recovered in 4 of the 6 patients and returned to normal in 2."
    assert outcomes(text, vocabulary) == ["muscle-strength", "muscle-strength"]


@pytest.mark.parametrize("text", [
    "Over two years azathioprine was stopped in 3.",
    "Tacrolimus was discontinued in 5 because of tremor.",
])
def test_a_drug_stopped_in_n_is_a_discontinuation(text: str, vocabulary: Vocabulary) -> None:
    assert outcomes(text, vocabulary)[0] == "drug-discontinuation"


def test_a_verb_of_response_before_in_n_still_takes_the_outcome_named_before_it(
        vocabulary: Vocabulary) -> None:
    assert outcomes("Of the 10 patients, the DLCO improved in 7.", vocabulary) == ["dlco"]


def test_fev1_is_a_pulmonary_function_of_its_own(vocabulary: Vocabulary) -> None:
    text = "After cyclophosphamide the FVC, FEV1 and DLCO rose by 10%, 8% and 5% of predicted."
    assert outcomes(text, vocabulary) == ["fvc", "fev1", "dlco"]
    assert "pulmonary-function-test" in vocabulary.ancestors("fev1")


def test_the_extent_of_lung_disease_on_ct_falls_as_it_improves(vocabulary: Vocabulary) -> None:
    [c] = extract_candidates("With tacrolimus the HRCT score fell by a median 20%.", vocabulary)
    assert (c.outcome, c.result.percent_change, c.direction) == ("ild-extent", -20.0, "improved")
    assert "ild-response" in vocabulary.ancestors("ild-extent")


def test_deaths_from_infections_are_counted_apart(vocabulary: Vocabulary) -> None:
    text = "Four of the 20 patients given rituximab died, three of them from infections."
    assert outcomes(text, vocabulary) == ["mortality", "infection"]
    assert "adverse-event" in vocabulary.ancestors("infection")


def test_met_the_primary_end_point_is_the_outcome_the_study_defined(
        vocabulary: Vocabulary) -> None:
    text = ("Methods\nThe primary outcome was a change in creatine kinase at week 24.\n\n"
            "Results\nEleven patients were treated with IVIG; six of them reached the primary "
            "outcome.\n")
    [c] = [c for c in extract_candidates(text, vocabulary) if 6 in c.result.numbers().values()]
    assert (c.outcome, c.outcome_inferred, c.direction) == (
        "creatine-kinase", "the primary end point the study's text defines", "improved")


def test_without_a_defined_primary_end_point_meeting_it_is_a_plain_response(
        vocabulary: Vocabulary) -> None:
    text = "Results\nOf 9 patients given tacrolimus, 4 met the primary end point.\n"
    [c] = extract_candidates(text, vocabulary)
    assert (c.outcome, c.result.responders) == ("treatment-response", 4)


def test_a_section_name_on_the_line_above_is_no_part_of_the_quote(vocabulary: Vocabulary) -> None:
    text = "Results\nOn tacrolimus, the FVC improved in 7 of the 10 patients."
    [candidate] = extract_candidates(text, vocabulary)
    assert candidate.quote.exact.startswith("On tacrolimus")
