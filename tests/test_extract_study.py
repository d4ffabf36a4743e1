"""What a result that names no drug or outcome is about: the study's own (issue 22).

Papers print results as "improved in 5 of 8" or "responded", naming neither the drug nor what
improved, or name only the drug given alongside the studied one. Each made-up text here shows one
general mechanism of :mod:`graph.mining.study`: such a result is bound to the drug the title names
(else the drug the text names most often as treatment), to the disease its sentence names as an
ILD or myositis response, else to the outcome the title names, else to a treatment response.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from graph.mining import candidates as extract
from graph.mining.candidates import Candidate, extract_candidates
from graph.mining.study import BY_DEFAULT, FROM_MOST_NAMED, FROM_TITLE, disease_response
from graph.vocabulary.concepts import Vocabulary, vocabulary_from_graph
from tests.checkout import CHECKOUT


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFE", False)


def _only(text: str, vocabulary: Vocabulary) -> Candidate:
    found = [c for c in extract_candidates(text, vocabulary) if c.kind == "outcome"]
    assert len(found) == 1, found
    return found[0]


def test_a_response_naming_no_drug_or_outcome_is_the_titles(vocabulary: Vocabulary) -> None:
    text = ("Rituximab for interstitial lung disease in myositis\n\nResults\n"
            "Seven of 10 patients improved at 6 months.\n")
    candidate = _only(text, vocabulary)
    assert (candidate.drugs, candidate.outcome) == (("rituximab",), "ild-response")


def test_a_co_medication_never_displaces_the_study_drug(vocabulary: Vocabulary) -> None:
    text = ("Rituximab in refractory myositis\n\nResults\n"
            "Eight of 12 patients responded, plus prednisone at a stable dose.\n")
    assert _only(text, vocabulary).drugs == ("rituximab",)


def test_a_sentence_naming_its_own_drug_as_treatment_keeps_it(vocabulary: Vocabulary) -> None:
    text = ("Rituximab in refractory myositis\n\nResults\n"
            "After tacrolimus, 6 of 9 patients improved.\n")
    assert _only(text, vocabulary).drugs == ("tacrolimus",)


def test_without_a_drug_in_the_title_the_most_named_treatment_is_the_study_drug(
        vocabulary: Vocabulary) -> None:
    text = ("A cohort of patients with myositis\n\nMethods\nAll received tacrolimus; tacrolimus "
            "levels were checked monthly and a dose of prednisone was kept.\n\nResults\n"
            "Nine of 11 patients responded.\n")
    assert _only(text, vocabulary).drugs == ("tacrolimus",)


def test_the_disease_a_sentence_names_gives_the_response(vocabulary: Vocabulary) -> None:
    text = ("Rituximab in refractory myositis\n\nResults\n"
            "The interstitial lung disease was stable or better in 7 of 11 patients.\n")
    assert _only(text, vocabulary).outcome == "ild-response"


def test_a_response_with_no_outcome_anywhere_is_a_treatment_response(
        vocabulary: Vocabulary) -> None:
    text = "Results\nSeven of 10 patients given tacrolimus responded.\n"
    candidate = _only(text, vocabulary)
    assert (candidate.drugs, candidate.outcome) == (("tacrolimus",), "treatment-response")


def test_a_named_outcome_is_kept(vocabulary: Vocabulary) -> None:
    text = ("Rituximab for interstitial lung disease\n\nResults\n"
            "The creatine kinase improved in 6 of 10 patients.\n")
    assert _only(text, vocabulary).outcome == "creatine-kinase"


def test_a_number_that_reports_no_response_gets_no_outcome(vocabulary: Vocabulary) -> None:
    text = ("Rituximab for interstitial lung disease\n\nResults\n"
            "Twelve of 20 patients were women.\n")
    assert all(c.outcome is None for c in extract_candidates(text, vocabulary))


def test_a_response_of_two_diseases_at_once_is_a_treatment_response(
        vocabulary: Vocabulary) -> None:
    text = ("Rituximab for interstitial lung disease\n\nResults\n"
            "Both the ILD and the myositis improved in 6 of 10 patients.\n")
    assert _only(text, vocabulary).outcome == "treatment-response"


def test_the_response_of_a_disease_is_read_from_the_vocabulary(vocabulary: Vocabulary) -> None:
    """maild:responseOutcome in the disease files, not a table in code: a disease inherits the
    response of the single disease above it, and one below two diseases with different responses
    takes neither unless the vocabulary gives it its own."""
    assert disease_response("idiopathic-pulmonary-fibrosis", vocabulary) == "ild-response"
    assert disease_response("dermatomyositis", vocabulary) == "myositis-response"
    assert disease_response("myositis-associated-ild", vocabulary) == "ild-response"
    folder = CHECKOUT / "ontology" / "vocabulary"
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    graph.parse(data="""
        @prefix vocab: <https://w3id.org/ma-ild/vocab/> .
        @prefix maild: <https://w3id.org/ma-ild/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        vocab:myasthenia-gravis maild:responseOutcome vocab:muscle-strength .
        vocab:overlap-disease a maild:Disease ; skos:prefLabel "overlap disease"@en ;
            skos:broader vocab:interstitial-lung-disease , vocab:idiopathic-inflammatory-myopathy .
    """, format="turtle")
    changed = vocabulary_from_graph(graph)
    assert disease_response("myasthenia-gravis", changed) == "muscle-strength"
    assert disease_response("overlap-disease", changed) is None  # two responses above it
    assert disease_response("respiratory-failure", changed) is None


def test_a_drug_or_outcome_taken_from_the_study_says_where_it_came_from(
        vocabulary: Vocabulary) -> None:
    titled = _only("Rituximab for interstitial lung disease in myositis\n\nMethods\n"
                   "We reviewed the charts.\n\nResults\n"
                   "Seven of 10 patients improved at 6 months.\n", vocabulary)
    assert (titled.drugs_inferred, titled.outcome_inferred) == (FROM_TITLE, FROM_TITLE)
    most = _only("Results\nTacrolimus was given, and tacrolimus was well tolerated. The "
                 "charts were complete.\nSeven of 9 patients responded.\n", vocabulary)
    assert (most.drugs, most.drugs_inferred, most.outcome_inferred) == (
        ("tacrolimus",), FROM_MOST_NAMED, BY_DEFAULT)
    named = _only("Results\nThe FVC improved with cyclosporine in 7 of 10 patients.\n",
                  vocabulary)
    assert (named.drugs_inferred, named.outcome_inferred) == (None, None)
