"""The store's SHACL validator says what pyshacl says.

The build validates by compiling each shape constraint to SPARQL and running it in Oxigraph
(graph.rdf.validate). pyshacl, the reference implementation, is the oracle here: for every
constraint component the compiler implements, a small graph that breaks it and one that keeps
it get the same violating focus nodes from both; so do the real build's graph and copies of it
broken in several places at once.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from graph.build.pipeline import build
from graph.errors import ValidationError
from graph.rdf.validate import compile_shapes, results, validate, verdicts
from graph.settings import Paths
from tests.checkout import CHECKOUT

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""


def store_focus(shapes: Path, data: str) -> set[tuple[str, str]]:
    store = ox.Store()
    store.load(PREFIXES + data, format=ox.RdfFormat.TURTLE)
    found = set()
    for line in results(store, compile_shapes(shapes)):
        severity, _, rest = line.partition(": ")
        focus = rest.split(" ", 1)[0].rstrip(":")
        found.add((severity, focus))
    return found


def pyshacl_focus(shapes: Path, data: str) -> set[tuple[str, str]]:
    graph = Graph().parse(data=PREFIXES + data, format="turtle")
    _, report, _ = pyshacl_validate(graph, shacl_graph=Graph().parse(shapes), inference="none",
                                    allow_warnings=True, advanced=True)
    return {(str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
             str(report.value(r, SH.focusNode)))
            for r in report.subjects(SH.resultSeverity, None)}


def shapes_file(tmp_path: Path, constraint: str, target: str = "sh:targetClass ex:Thing") -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + f"ex:Shape a sh:NodeShape ; {target} ;\n"
                    f"  sh:property [ {constraint} ; sh:message \"broken\" ] .\n")
    return path


# (constraint, data that keeps it, data that breaks it at ex:bad)
CASES = {
    "minCount": ("sh:path ex:p ; sh:minCount 2",
                 'ex:good a ex:Thing ; ex:p 1, 2 .', 'ex:bad a ex:Thing ; ex:p 1 .'),
    "maxCount": ("sh:path ex:p ; sh:maxCount 1",
                 'ex:good a ex:Thing ; ex:p 1 .', 'ex:bad a ex:Thing ; ex:p 1, 2 .'),
    "datatype": ("sh:path ex:p ; sh:datatype xsd:string",
                 'ex:good a ex:Thing ; ex:p "a" .', 'ex:bad a ex:Thing ; ex:p 3 .'),
    "datatype-gYear": ("sh:path ex:p ; sh:datatype xsd:gYear",
                       'ex:good a ex:Thing ; ex:p "2001"^^xsd:gYear .',
                       'ex:bad a ex:Thing ; ex:p "2001" .'),
    "datatype-positiveInteger": ("sh:path ex:p ; sh:datatype xsd:positiveInteger",
                                 'ex:good a ex:Thing ; ex:p "4"^^xsd:positiveInteger .',
                                 'ex:bad a ex:Thing ; ex:p "0"^^xsd:positiveInteger .'),
    "datatype-nonNegativeInteger-string": ("sh:path ex:p ; sh:datatype xsd:nonNegativeInteger",
                                           'ex:good a ex:Thing ; ex:p "0"^^xsd:nonNegativeInteger .',
                                           'ex:bad a ex:Thing ; ex:p "12" .'),
    "class-through-subclass": ("sh:path ex:p ; sh:class ex:Kind",
                               'ex:good a ex:Thing ; ex:p ex:k . ex:k a ex:SubKind . '
                               'ex:SubKind rdfs:subClassOf ex:Kind .',
                               'ex:bad a ex:Thing ; ex:p ex:other . ex:other a ex:Else .'),
    "nodeKind": ("sh:path ex:p ; sh:nodeKind sh:IRI",
                 'ex:good a ex:Thing ; ex:p ex:x .', 'ex:bad a ex:Thing ; ex:p "x" .'),
    "in": ('sh:path ex:p ; sh:in ( "a" "b" )',
           'ex:good a ex:Thing ; ex:p "b" .', 'ex:bad a ex:Thing ; ex:p "c" .'),
    "hasValue": ("sh:path ex:p ; sh:hasValue ex:x",
                 'ex:good a ex:Thing ; ex:p ex:x .', 'ex:bad a ex:Thing ; ex:p ex:y .'),
    "pattern": ('sh:path ex:p ; sh:pattern "^10\\\\.[0-9]{4,9}/\\\\S+$"',
                'ex:good a ex:Thing ; ex:p "10.1000/x1" .', 'ex:bad a ex:Thing ; ex:p "10.1/ x" .'),
    "pattern-flags": ('sh:path ex:p ; sh:pattern "^abc$" ; sh:flags "i"',
                      'ex:good a ex:Thing ; ex:p "ABC" .', 'ex:bad a ex:Thing ; ex:p "abd" .'),
    "minLength": ("sh:path ex:p ; sh:minLength 3",
                  'ex:good a ex:Thing ; ex:p "abc" .', 'ex:bad a ex:Thing ; ex:p "ab" .'),
    "maxLength": ("sh:path ex:p ; sh:maxLength 2",
                  'ex:good a ex:Thing ; ex:p "ab" .', 'ex:bad a ex:Thing ; ex:p "abc" .'),
    "minInclusive": ("sh:path ex:p ; sh:minInclusive 1",
                     'ex:good a ex:Thing ; ex:p 1 .', 'ex:bad a ex:Thing ; ex:p 0 .'),
    "minInclusive-incomparable": ("sh:path ex:p ; sh:minInclusive 1",
                                  'ex:good a ex:Thing ; ex:p 2.5 .',
                                  'ex:bad a ex:Thing ; ex:p "one" .'),
    "maxInclusive": ("sh:path ex:p ; sh:maxInclusive 1",
                     'ex:good a ex:Thing ; ex:p 0.5 .', 'ex:bad a ex:Thing ; ex:p 1.5 .'),
    "minExclusive": ("sh:path ex:p ; sh:minExclusive 0",
                     'ex:good a ex:Thing ; ex:p 1 .', 'ex:bad a ex:Thing ; ex:p 0 .'),
    "maxExclusive": ("sh:path ex:p ; sh:maxExclusive 1",
                     'ex:good a ex:Thing ; ex:p 0 .', 'ex:bad a ex:Thing ; ex:p 1 .'),
    "lessThanOrEquals": ("sh:path ex:p ; sh:lessThanOrEquals ex:q",
                         'ex:good a ex:Thing ; ex:p 3 ; ex:q 3 .',
                         'ex:bad a ex:Thing ; ex:p 4 ; ex:q 3 .'),
    "lessThan": ("sh:path ex:p ; sh:lessThan ex:q",
                 'ex:good a ex:Thing ; ex:p 2 ; ex:q 3 .', 'ex:bad a ex:Thing ; ex:p 3 ; ex:q 3 .'),
    "equals": ("sh:path ex:p ; sh:equals ex:q",
               'ex:good a ex:Thing ; ex:p 1 ; ex:q 1 .', 'ex:bad a ex:Thing ; ex:p 1 ; ex:q 2 .'),
    "disjoint": ("sh:path ex:p ; sh:disjoint ex:q",
                 'ex:good a ex:Thing ; ex:p 1 ; ex:q 2 .', 'ex:bad a ex:Thing ; ex:p 1 ; ex:q 1 .'),
    "sequence-path": ("sh:path ( ex:p ex:q ) ; sh:minCount 1",
                      'ex:good a ex:Thing ; ex:p [ ex:q 1 ] .', 'ex:bad a ex:Thing ; ex:p [ ] .'),
    "sequence-inverse-path": ("sh:path ( [ sh:inversePath ex:p ] ex:q ) ; sh:datatype xsd:string",
                              'ex:good a ex:Thing . ex:x ex:p ex:good ; ex:q "a" .',
                              'ex:bad a ex:Thing . ex:y ex:p ex:bad ; ex:q 2 . ex:bad ex:q "a" .'),
    "inverse-path": ("sh:path [ sh:inversePath ex:p ] ; sh:maxCount 1",
                     'ex:good a ex:Thing . ex:x ex:p ex:good .',
                     'ex:bad a ex:Thing . ex:x ex:p ex:bad . ex:y ex:p ex:bad .'),
    "alternative-path": ("sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:maxCount 1",
                         'ex:good a ex:Thing ; ex:p 1 .', 'ex:bad a ex:Thing ; ex:p 1 ; ex:q 2 .'),
    "zero-or-more-path": ("sh:path [ sh:zeroOrMorePath ex:p ] ; sh:class ex:Thing",
                          'ex:good a ex:Thing ; ex:p ex:good2 . ex:good2 a ex:Thing .',
                          'ex:bad a ex:Thing ; ex:p ex:stranger .'),
    "severity-warning": ("sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning",
                         'ex:good a ex:Thing ; ex:p 1 .', 'ex:bad a ex:Thing .'),
}


@pytest.mark.parametrize(("constraint", "keeps", "breaks"), CASES.values(), ids=CASES.keys())
def test_each_component_finds_what_pyshacl_finds(
    tmp_path: Path, constraint: str, keeps: str, breaks: str
) -> None:
    shapes = shapes_file(tmp_path, constraint)
    data = keeps + "\n" + breaks
    found = store_focus(shapes, data)
    assert found == pyshacl_focus(shapes, data)
    assert {focus for _, focus in found} == {"http://example.org/bad"}


@pytest.mark.parametrize("target", [
    "sh:targetSubjectsOf ex:p", "sh:targetObjectsOf ex:r", "sh:targetNode ex:bad",
])
def test_every_kind_of_target_selects_what_pyshacl_selects(tmp_path: Path, target: str) -> None:
    shapes = shapes_file(tmp_path, "sh:path ex:p ; sh:maxCount 1", target)
    data = "ex:bad ex:p 1, 2 . ex:z ex:r ex:bad . ex:good ex:p 1 . ex:z ex:r ex:good ."
    assert store_focus(shapes, data) == pyshacl_focus(shapes, data) != set()


def test_a_sparql_constraint_is_run_for_the_shapes_targets(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + """
        ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
          sh:sparql [ a sh:SPARQLConstraint ; sh:message "needs q when p" ; sh:prefixes ex:decl ;
            sh:select "SELECT $this WHERE { $this e:p ?p FILTER NOT EXISTS { $this e:q ?q } }" ] .
        ex:decl sh:declare [ sh:prefix "e" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
    """)
    data = "ex:bad a ex:Thing ; ex:p 1 . ex:good a ex:Thing ; ex:p 1 ; ex:q 2 . ex:off ex:p 1 ."
    assert store_focus(shapes, data) == pyshacl_focus(shapes, data) == {
        ("Violation", "http://example.org/bad")}


def test_a_component_it_does_not_implement_is_refused_by_name(tmp_path: Path) -> None:
    shapes = shapes_file(tmp_path, "sh:path ex:p ; sh:uniqueLang true")
    with pytest.raises(ValidationError, match="uses sh:uniqueLang, which the store validator does not implement"):
        compile_shapes(shapes)
    node_level = tmp_path / "node.ttl"
    node_level.write_text(PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:T ; "
                          "sh:or ( [ sh:path ex:p ; sh:minCount 1 ] ) .")
    with pytest.raises(ValidationError, match="uses sh:or"):
        compile_shapes(node_level)


# --- the project's own shapes on the real graph ------------------------------------------------

SHAPES = CHECKOUT / "ontology" / "shapes.ttl"
BREAKAGES = [
    # drop every title of a work, give a work a second DOI, drop a reference entry's printed
    # string, give a p-value above 1, a quote with no exact text, and a finding with no agent type
    ("<http://purl.org/dc/terms/title>", None),
    ("<http://purl.org/ontology/bibo/doi>", '"10.9999/extra"'),
    ("<http://purl.org/spar/c4o/hasContent>", None),
    ("<https://w3id.org/ma-ild/ontology#pValue>", '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    ("<http://www.w3.org/ns/oa#exact>", None),
    ("<https://w3id.org/ma-ild/ontology#agentType>", None),
]


@pytest.fixture(scope="module")
def real_lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("validate") / "build"
    build(Paths(out=out), views=False)
    return (out / "graph.nt").read_text(encoding="utf-8").splitlines()


def broken(lines: list[str]) -> str:
    """The real graph with the first two statements of each breakage's predicate changed."""
    out = list(lines)
    for predicate, replacement in BREAKAGES:
        hits = [i for i, line in enumerate(out) if f" {predicate} " in line][:2]
        for i in hits:
            if replacement is None:
                out[i] = ""
            else:
                subject = out[i].split(" ", 1)[0]
                out.append(f"{subject} {predicate} {replacement} .")
    return "\n".join(line for line in out if line) + "\n"


def both(text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    ours = set()
    for line in results(store, compile_shapes(SHAPES)):
        severity, _, rest = line.partition(": ")
        ours.add((severity, rest.split(" ", 1)[0].rstrip(":")))
    graph = Graph().parse(data=text, format="nt")
    _, report, _ = pyshacl_validate(graph, shacl_graph=Graph().parse(SHAPES), inference="none",
                                    allow_warnings=True, advanced=True)
    theirs = {(str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
               str(report.value(r, SH.focusNode))) for r in report.subjects(SH.resultSeverity)}
    return ours, theirs


def test_the_real_graph_conforms_for_both(real_lines: list[str]) -> None:
    ours, theirs = both("\n".join(real_lines) + "\n")
    assert ours == theirs == set()


def test_the_broken_real_graph_gets_the_same_violations_from_both(real_lines: list[str]) -> None:
    ours, theirs = both(broken(real_lines))
    assert ours == theirs
    assert len({focus for _, focus in ours}) >= len(BREAKAGES)


def test_validate_raises_with_the_violations_listed(real_lines: list[str]) -> None:
    store = ox.Store()
    store.load(broken(real_lines), format=ox.RdfFormat.N_TRIPLES)
    with pytest.raises(ValidationError) as caught:
        validate(store, SHAPES)
    assert "does not conform to shapes.ttl" in str(caught.value)
    assert "a p-value lies between 0 and 1" in str(caught.value)


def test_the_whole_graphs_queries_find_what_the_queries_on_nodes_find(
        real_lines: list[str]) -> None:
    """Over the whole graph a check scans its path's values and joins the failing nodes with
    its targets; on given nodes it looks each target's values up. Given every node of the
    broken real graph, the second finds what the first finds, check by check."""
    store = ox.Store()
    store.load(broken(real_lines), format=ox.RdfFormat.N_TRIPLES)
    checks = compile_shapes(SHAPES)
    nodes = {str(term) for quad in store for term in (quad.subject, quad.object)
             if not isinstance(term, ox.BlankNode)}
    found = verdicts(store, checks)
    assert found == verdicts(store, checks, {check.key: nodes for check in checks})
    assert sum(bool(rows) for rows in found.values()) >= 5
