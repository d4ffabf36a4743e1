"""No silent loss: every findings question returns every finding that matches (issue 23).

A synthetic corpus (``benchmarks/generate_corpus.py``) holds many studies whose design the build
cannot tell (their titles and abstracts name none). Each findings question's answer is compared
with a direct count of the findings that match it, written here from the graph's shape and not
from the question's text, so a required pattern that drops findings without a design, a level or
a population fails the comparison.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph.build.pipeline import build
from graph.query.endpoints import EmbeddedStore
from graph.settings import Paths
from graph.views.evidence import evidence_page
from tests.checkout import corpus_generator

PREFIXES = """PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
VOCAB = "https://w3id.org/ma-ild/vocab/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("loss")
    corpus_generator().generate(150, 5, folder / "corpus")
    paths = Paths(corpus=folder / "corpus", out=folder / "build")
    build(paths, views=False)
    return paths.out


def _select(out: Path, where: str) -> list[tuple[str, ...]]:
    store = ox.Store.read_only(str(out / "store"))
    return [tuple(term.value for term in row) for row in store.query(PREFIXES + where)]


def _ids(out: Path, kind: str) -> list[str]:
    """Every concept of a kind that some finding uses, by vocabulary id."""
    rows = _select(out, f"""SELECT DISTINCT ?c WHERE {{
        ?c a maild:{kind} . FILTER EXISTS {{ ?x ?p ?c . ?f a maild:Finding }} }}""")
    return sorted(c[len(VOCAB):] for (c,) in rows)


def test_the_synthetic_build_has_findings_whose_study_has_no_known_design(built: Path) -> None:
    """The premise: without it the comparisons below could not fail. A study whose text names no
    design has the design ``unknown`` (issue 22), which has no evidence level."""
    [(n,)] = _select(built, f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
        ?f a maild:Finding ; maild:findingKind "outcome" ; maild:study ?s .
        FILTER NOT EXISTS {{ ?s maild:studyDesign ?d FILTER(?d != <{VOCAB}unknown-design>) }}
        FILTER NOT EXISTS {{ ?s maild:evidenceLevel ?level }} }}""")
    assert int(n) > 100


def test_drug_outcomes_lists_every_outcome_finding_of_every_drug(built: Path) -> None:
    kg = graph.open_build(built)
    drugs = _ids(built, "Drug")
    assert len(drugs) > 10
    unknown = 0
    for drug in drugs:
        rows = kg.ask("drug-outcomes", drug=drug)
        expected = {f for (f,) in _select(built, f"""SELECT DISTINCT ?f WHERE {{
            ?f a maild:Finding ; maild:findingKind "outcome" ;
               maild:intervention/maild:drug/skos:broader* <{VOCAB}{drug}> }}""")}
        assert {r["finding"] for r in rows} == expected, drug
        unknown += sum(r["design"] == "unknown" and r["level"] == "unknown" for r in rows)
    assert unknown > 0  # the findings of studies without a design are there, marked "unknown"


def test_antibody_findings_lists_every_finding_of_every_antibody(built: Path) -> None:
    kg = graph.open_build(built)
    antibodies = _ids(built, "Autoantibody")
    assert len(antibodies) > 5
    for antibody in antibodies:
        rows = kg.ask("antibody-findings", antibody=antibody)
        expected = {f for (f,) in _select(built, f"""SELECT DISTINCT ?f WHERE {{
            {{ ?f maild:population/maild:subsetOf*/maild:antibody/skos:broader* <{VOCAB}{antibody}> }}
            UNION {{ ?f maild:characteristic/skos:broader* <{VOCAB}{antibody}> }}
            UNION {{ ?f maild:population/maild:subsetOf*/maild:disease/skos:broader* ?d .
                     ?a maild:definesDisease ?d ; skos:broader* <{VOCAB}{antibody}> }}
            UNION {{ ?f maild:population/maild:subsetOf*/maild:negativeFor/skos:broader* <{VOCAB}{antibody}> }}
            ?f a maild:Finding }}""")}
        expected |= {s for (s,) in _select(built, f"""SELECT DISTINCT ?s WHERE {{
            ?s maild:statementKind "not-tested" ; maild:entity/skos:broader* <{VOCAB}{antibody}> }}""")}
        assert {r["finding"] for r in rows} == expected, antibody


def test_drugs_for_outcome_counts_every_finding_of_every_outcome(built: Path) -> None:
    kg = graph.open_build(built)
    for outcome in ("fvc", "ild-response", "creatine-kinase", "glucocorticoid-dose"):
        rows = kg.ask("drugs-for-outcome", outcome=outcome)
        pairs = _select(built, f"""SELECT DISTINCT ?f ?drug WHERE {{
            ?f a maild:Finding ; maild:findingKind "outcome" ;
               maild:outcome/skos:broader* <{VOCAB}{outcome}> ; maild:drug ?drug }}""")
        assert pairs, outcome
        assert sum(r["findings"] for r in rows) == len(pairs), outcome
        studied = _select(built, f"""SELECT DISTINCT ?f ?drug WHERE {{
            ?f a maild:Finding ; maild:findingKind "outcome" ;
               maild:outcome/skos:broader* <{VOCAB}{outcome}> ; maild:intervention ?i .
            ?i maild:drug ?drug ; maild:role ?role . FILTER(?role IN ("studied", "add-on")) }}""")
        assert sum(r["findings"] for r in rows if r["evidence"] == "yes") == len(studied)


def test_the_evidence_view_draws_every_outcome_finding_given_room(built: Path) -> None:
    [(n,)] = _select(built, """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?f ?drug WHERE {
        ?f a maild:Finding ; maild:findingKind "outcome" ; maild:intervention/maild:drug ?drug } }""")
    page, net = evidence_page(EmbeddedStore(built / "store"), budget=100_000)
    drawn = {e["id"] for e in net.edges if not e.get("dashes")}
    assert len(drawn) == int(n)
    assert page.note is None
