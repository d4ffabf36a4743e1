"""Medians with their interquartile range and range, and a percent's confidence interval, in a
curation record: what the loader reads, what it refuses (each number stated in a quote, the
numbers in order), and the triples they become (issue 22, points 1 to 3).

The record curates a PubMed abstract that prints a median age with its IQR and "13 patients
(87%; 95% CI 56-98)", and the dev-set trial that prints medians before and after.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from graph.errors import CurationError
from graph.evidence.curation import check_record
from graph.evidence.findings import Curation, Finding
from graph.evidence.triples import Context, finding_triples
from graph.inputs.read import read_documents
from graph.rdf.validate import compile_shapes, results
from graph.records import Document
from graph.vocabulary.concepts import Vocabulary
from graph.vocabulary.namespaces import MAILD
from tests.checkout import CHECKOUT

ABSTRACTS = CHECKOUT / "tests" / "fixtures" / "new_literature" / "pubmed-two-records.xml"
TRIAL = CHECKOUT / "tests" / "fixtures" / "devset" / "allenbach-2015-saved-page.html"

RECORD = """document: "pubmed-two-records.xml#pmid-23465087"
populations:
  treated:
    description: patients with antisynthetase-associated ILD given a calcineurin inhibitor
    n: 15
    quote: "The records of the 15 with antisynthetase-associated ILD"
findings:
  - id: age-at-onset
    kind: characteristic
    quote: "Median age at ILD onset was 42.3 (IQR 32.4–56.8) years"
    population: treated
    characteristic: age-at-onset
    result: {median: 42.3, iqr_lower: 32.4, iqr_upper: 56.8, unit: years}
    direction: not-applicable
  - id: fvc
    kind: outcome
    quote:
      - "FVC rose by more than 10% or stayed stable in 13 patients (87%; 95% CI 56–98)"
      - "The records of the 15 with antisynthetase-associated ILD"
    population: treated
    interventions: [{drug: calcineurin-inhibitor, role: studied}]
    outcome: fvc
    result: {responders: 13, total: 15, percent: 87, percent_ci_lower: 56, percent_ci_upper: 98, percent_ci_level: 95}
    direction: improved-or-stable
"""
DISPLAY = "curation/abstract.yaml"


@pytest.fixture(scope="module")
def abstract() -> dict[str, Document]:
    document = read_documents(ABSTRACTS, ABSTRACTS.parent, False)[0]
    return {document.path: document}


def load(text: str, documents: dict[str, Document], vocabulary: Vocabulary) -> Curation:
    return check_record(text, DISPLAY, documents, vocabulary)


def refusal(text: str, documents: dict[str, Document], vocabulary: Vocabulary) -> str:
    with pytest.raises(CurationError) as caught:
        load(text, documents, vocabulary)
    return str(caught.value)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_median_with_its_iqr_and_a_percent_with_its_ci_load(
    abstract: dict[str, Document], vocabulary: Vocabulary
) -> None:
    age, fvc = load(RECORD, abstract, vocabulary).findings
    assert (age.result.median, age.result.iqr_lower, age.result.iqr_upper) == (42.3, 32.4, 56.8)
    assert (fvc.result.percent, fvc.result.percent_ci_lower, fvc.result.percent_ci_upper,
            fvc.result.percent_ci_level) == (87, 56, 98, 95)


@pytest.mark.parametrize(("change", "problem"), [
    # every number must be printed in a quote of the finding
    ("iqr_upper: 56.8", "finding 'age-at-onset': iqr_upper 57 is not stated in its quotes"),
    ("percent_ci_upper: 98", "finding 'fvc': percent_ci_upper 99 is not stated in its quotes"),
    # a median lies within its quartiles, a percent within its CI
    ("median: 42.3, iqr_lower: 32.4", "finding 'age-at-onset': iqr_lower 42.3 is more than median "
                                      "32.4"),
    ("percent_ci_lower: 56", "finding 'fvc': percent 87 lies outside its CI 95-98"),
    # a quartile comes with the other; a level is a percent
    (", iqr_upper: 56.8", "finding 'age-at-onset': iqr_lower and iqr_upper go together"),
    ("percent_ci_level: 95", "finding 'fvc': percent_ci_level 0.95 is a fraction: write the level "
                             "in percent (95)"),
])
def test_a_spread_or_interval_that_the_quote_or_the_order_contradicts_is_refused_on_its_line(
    change: str, problem: str, abstract: dict[str, Document], vocabulary: Vocabulary
) -> None:
    bad = {"iqr_upper: 56.8": "iqr_upper: 57", "percent_ci_upper: 98": "percent_ci_upper: 99",
           "median: 42.3, iqr_lower: 32.4": "median: 32.4, iqr_lower: 42.3",
           "percent_ci_lower: 56": "percent_ci_lower: 95",
           ", iqr_upper: 56.8": "", "percent_ci_level: 95": "percent_ci_level: 0.95"}[change]
    text = RECORD.replace(change, bad)
    where = "age-at-onset" if "age-at-onset" in problem else "fvc"
    message = refusal(text, abstract, vocabulary)
    assert message.startswith(f"{DISPLAY}:{line_of(text, f'- id: {where}')}: "), message
    assert problem in message.splitlines()[0], message  # the first of its problems, one a line


def test_a_percent_ci_needs_its_percent(abstract: dict[str, Document], vocabulary: Vocabulary
                                        ) -> None:
    text = RECORD.replace("percent: 87, ", "")
    assert "percent_ci_lower/percent_ci_upper need the percent they bound" in refusal(
        text, abstract, vocabulary)


def test_medians_before_and_after_load_and_their_direction_is_checked(vocabulary: Vocabulary
                                                                     ) -> None:
    [trial] = read_documents(TRIAL, TRIAL.parent)
    record = f"""document: "{trial.path}"
populations:
  completers: {{description: patients who completed the trial}}
findings:
  - id: ck
    kind: outcome
    quote: "Creatine kinase fell from 399 to 74.5 IU/L (medians)"
    population: completers
    interventions: [{{drug: rituximab, role: add-on}}]
    outcome: creatine-kinase
    result: {{before: {{median: 399}}, after: {{median: 74.5}}, unit: IU/L}}
    direction: improved
"""
    [ck] = check_record(record, DISPLAY, {trial.path: trial}, vocabulary).findings
    assert (ck.result.before_median, ck.result.after_median, ck.result.before_mean) == (
        399, 74.5, None)
    with pytest.raises(CurationError, match=r"direction 'worsened' contradicts 399 -> 74\.5"):
        check_record(record.replace("direction: improved", "direction: worsened"), DISPLAY,
                     {trial.path: trial}, vocabulary)


def test_the_numbers_become_stato_referenced_properties_and_the_percent_ci_the_finding_ci(
    abstract: dict[str, Document], vocabulary: Vocabulary
) -> None:
    age, fvc = load(RECORD, abstract, vocabulary).findings
    source = URIRef("https://example.org/file")
    ctx = Context(URIRef("https://example.org/study"), URIRef("https://example.org/study"),
                  source, "abstract")
    shown = {MAILD.median, MAILD.iqrLower, MAILD.iqrUpper, MAILD.percent, MAILD.ciLower,
             MAILD.ciUpper, MAILD.ciLevel}

    def values(finding: Finding) -> dict[str, str]:
        return {str(p).removeprefix(str(MAILD)): str(o)
                for _s, p, o in finding_triples(ctx, finding) if p in shown}
    assert values(age) == {"median": "42.3", "iqrLower": "32.4", "iqrUpper": "56.8"}
    assert values(fvc) == {"percent": "87", "ciLower": "56", "ciUpper": "98", "ciLevel": "95"}
    ontology = (CHECKOUT / "ontology" / "maild.ttl").read_text(encoding="utf-8")
    for term, stato in (("median", "STATO_0000574"), ("iqrLower", "STATO_0000164"),
                        ("minimumBefore", "STATO_0000035"), ("sizeAfter", None)):
        declared = ontology.split(f"maild:{term} a owl:DatatypeProperty", 1)[1].split("\n\n")[0]
        assert stato is None or f"obo:{stato}" in declared


def test_the_shapes_refuse_a_median_outside_its_quartiles_and_a_ci_upside_down() -> None:
    """The graph is checked too, whoever wrote it: the SHACL shapes keep the order."""
    store = ox.Store()
    store.load(f"""@prefix maild: <{MAILD}> .
        <https://example.org/a> a maild:Finding ; maild:median 60 ; maild:iqrLower 32.4 ;
            maild:iqrUpper 56.8 ; maild:ciLower 98 ; maild:ciUpper 56 .
        <https://example.org/b> a maild:Finding ; maild:medianBefore 399 ;
            maild:iqrLowerBefore 100 ; maild:iqrUpperBefore 500 ; maild:sizeBefore 10 .""",
               format=ox.RdfFormat.TURTLE)
    messages = {line.split(": ", 2)[-1] for line in results(
        store, compile_shapes(CHECKOUT / "ontology" / "shapes.ttl"))
        if "example.org/a" in line or "example.org/b" in line}
    assert {"a median is at most its upper quartile",
            "a finding has one confidence interval, its lower limit at most its upper"} <= {
        m.split(" (", 1)[0] for m in messages}
    assert not any("example.org/b" in line and "quartile" in line for line in results(
        store, compile_shapes(CHECKOUT / "ontology" / "shapes.ttl")))
