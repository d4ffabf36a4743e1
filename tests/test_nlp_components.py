"""Mining's language steps: one interface, the project's rules, and the measured comparison.

The comparison with spaCy, pysbd, negspacy, medspaCy and scispaCy (``docs/nlp-components.md``)
chose the project's rules for every step; the cases below are the kinds of sentence on which
those libraries went wrong there, stated as what mining must do.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from types import ModuleType

import pytest

from graph.mining.candidates import extract_candidates
from graph.mining.language import PROJECT, using
from graph.mining.mentions import defined_abbreviations, find_mentions
from graph.vocabulary.concepts import Vocabulary
from tests.checkout import CHECKOUT


def _comparison() -> ModuleType:
    """The benchmark module, loaded from its file (benchmarks/ is no package)."""
    spec = importlib.util.spec_from_file_location(
        "nlp_components", CHECKOUT / "benchmarks" / "nlp_components.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def negated(text: str, vocabulary: Vocabulary) -> dict[str, bool]:
    return {m.text: m.negated for m in find_mentions(text, vocabulary)}


# ------------------------------------------------------------------ negation


@pytest.mark.parametrize("text", [
    # a "not" about a response denies no drug the patients were given
    "Overall, 23 patients did not respond to conventional therapy and received additional "
    "treatment with either cyclophosphamide (CYC) or tacrolimus.",
    "In some patients, this disease does not entirely respond to conventional initial therapy "
    "with glucocorticoid, methotrexate and azathioprine.",
    # a comparison that found no difference denies no finding
    "In our study, there was no statistically significant difference in the prevalence of "
    "honeycombing between patients with MA-ILD who responded to or failed treatment.",
    # a "not" far back in a long sentence does not reach the entities at its end
    "Patients were considered as not responding to conventional treatment if they presented "
    "with refractory myositis, defined by worsening muscle weakness or serum creatine kinase "
    "levels that do not normalize, or refractory ILD.",
])
def test_a_negative_word_that_denies_no_entity_negates_none(text: str,
                                                           vocabulary: Vocabulary) -> None:
    found = negated(text, vocabulary)
    assert found and not any(found.values()), found


@pytest.mark.parametrize(("text", "expected"), [
    # a change denied: the drug was given, and the clause after the comma is no longer in scope
    ("They started cyclosporine at 3 mg/kg/day without any increase in prednisone, and PFT "
     "were repeated.", {"cyclosporine": False, "prednisone": False, "PFT": False}),
    # a prediction denied: the features and the response both exist
    ("Neither clinical features nor serology predicted the response to therapy.",
     {"response to therapy": False}),
    # ... while "neither ... nor" still denies what it coordinates
    ("Neither ILD nor myositis was present.", {"ILD": True, "myositis": True}),
])
def test_a_denied_change_or_prediction_denies_no_entity(text: str, expected: dict[str, bool],
                                                         vocabulary: Vocabulary) -> None:
    assert negated(text, vocabulary) == expected


def test_a_test_not_done_negates_the_antibody_but_not_what_stands_before(
        vocabulary: Vocabulary) -> None:
    text = ("We were limited in the data available for prednisone doses and the presence of "
            "certain antibodies including anti-MDA5 that were not routinely tested.")
    assert negated(text, vocabulary) == {"prednisone": False, "anti-MDA5": True}


def test_a_negated_outcome_is_not_the_finding_s_outcome(vocabulary: Vocabulary) -> None:
    text = "Without FVC decline, 12 of 18 patients (67%) on tacrolimus improved."
    [candidate] = extract_candidates(text, vocabulary)
    # the negated FVC is not its outcome: only a treatment response is left
    assert (candidate.outcome, candidate.drugs) == ("treatment-response", ("tacrolimus",))
    with using(replace(PROJECT, name="nothing denied", negated=lambda *_: False)):
        [candidate] = extract_candidates(text, vocabulary)
        assert candidate.outcome == "fvc"  # what the negation keeps out


# ------------------------------------------------------------------ abbreviations


@pytest.mark.parametrize(("text", "expected"), [
    # a hyphenated short form (three spaCy tokens, which scispaCy's filter drops)
    ("myositis-associated interstitial lung disease (MA-ILD) is common",
     {"MA-ILD": "myositis-associated-ild"}),
    # two definitions joined by a slash: each long form stops at its own parenthesis
    ("tacrolimus in the management of polymyositis (PM)/dermatomyositis (DM).",
     {"PM": "polymyositis", "DM": "dermatomyositis"}),
    # a short form glued to a citation mark or a suffix
    ("azathioprine (AZA), methotrexate (MTX), and mycophenolate mofetil (MMF)<sup>11</sup>.",
     {"AZA": "azathioprine", "MTX": "methotrexate", "MMF": "mycophenolate-mofetil"}),
])
def test_a_definition_expands_its_short_form(text: str, expected: dict[str, str],
                                             vocabulary: Vocabulary) -> None:
    assert defined_abbreviations(text, vocabulary) == expected


# ------------------------------------------------------------------ one interface


def test_mining_takes_every_language_step_from_the_interface(vocabulary: Vocabulary) -> None:
    text = ("Patients started cyclosporine (CYC). The CYC dose fell. "
            "FVC improved in 12 of 18 patients (67%) on CYC.")
    [before] = extract_candidates(text, vocabulary)
    assert before.drugs == ("cyclosporine",)
    with using(replace(PROJECT, name="no definitions", definitions=lambda text: [])):
        [candidate] = extract_candidates(text, vocabulary)
        assert candidate.drugs == ("cyclophosphamide",)  # the vocabulary's CYC
    with using(replace(PROJECT, name="all denied", negated=lambda *_: True)):
        assert all(m.negated for m in find_mentions(text, vocabulary))
        [candidate] = extract_candidates(text, vocabulary)
        assert candidate.drugs == ()
    assert extract_candidates(text, vocabulary) == [before]  # the project's rules come back


# ------------------------------------------------------------------ the comparison page


def test_the_page_is_the_measured_numbers() -> None:
    comparison = _comparison()
    numbers = json.loads(comparison.NUMBERS.read_text(encoding="utf-8"))
    assert comparison.PAGE.read_text(encoding="utf-8") == comparison.render(numbers), (
        "stale: run " + comparison.COMMAND)


def test_the_project_s_side_of_the_comparison_is_what_the_code_gives() -> None:
    comparison = _comparison()
    measured = json.loads(comparison.NUMBERS.read_text(encoding="utf-8"))["project"]
    now = json.loads(json.dumps(comparison.project_steps()))
    assert now == {k: v for k, v in measured.items() if k != "scores"}, (
        "the sentence, negation or abbreviation rules changed: run " + comparison.COMMAND)
