"""SHACL on a change gives the lines of SHACL over the whole graph.

After a change, each check runs on the nodes the changed triples concern and keeps the last
verdicts on the others (graph.rdf.focus). For every constraint component and target kind of
tests/test_validate.py, for SPARQL constraints, and for the real build's graph broken in several
places, the graph is changed in each single triple (added, removed) and all at once, in both
directions, and the verdicts from the change equal the verdicts over the whole changed graph. A
SPARQL constraint is run on nodes only when every pattern of it starts at ``$this`` with a fixed
predicate; any other is run whole.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.rdf.focus import foci, merge
from graph.rdf.validate import Check, Verdicts, compile_shapes, verdicts
from graph.settings import Paths
from tests.test_validate import BREAKAGES, CASES, PREFIXES, SHAPES, broken, shapes_file

SKOLEM = "http://example.org/.well-known/genid/"


def lines_of(turtle: str) -> set[str]:
    """The triples of ``turtle`` as N-Triples lines, blank nodes named (as the build does)."""
    def named(term: ox.Term) -> ox.Term:
        return ox.NamedNode(SKOLEM + term.value) if isinstance(term, ox.BlankNode) else term
    return {f"{named(t.subject)} {t.predicate} {named(t.object)} ."
            for t in ox.parse(input=(PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)}


def store_of(lines: set[str]) -> ox.Store:
    store = ox.Store()
    store.load("\n".join(sorted(lines)) + "\n", format=ox.RdfFormat.N_TRIPLES)
    return store


def from_change(checks: list[Check], before: set[str], after: set[str], limit: int = 1_000
                ) -> tuple[Verdicts, int]:
    """The verdicts on ``after`` from those on ``before`` and the change; how many checks ran
    on some nodes only."""
    previous = verdicts(store_of(before), checks)
    text = "\n".join(sorted(before ^ after)) + "\n"
    changes = list(ox.parse(input=text.encode(), format=ox.RdfFormat.N_TRIPLES))
    store = store_of(after)
    looked_at = foci(store, checks, changes, limit)
    found = merge(previous, checks, looked_at, verdicts(store, checks, looked_at))
    return found, sum(1 for nodes in looked_at.values() if nodes is not None)


def changes_of(graph: set[str]) -> list[tuple[set[str], set[str]]]:
    """(before, after) pairs: each triple of ``graph`` removed and added back."""
    return [(graph, graph - {line}) for line in sorted(graph)] + \
           [(graph - {line}, graph) for line in sorted(graph)]


@pytest.mark.parametrize(("constraint", "keeps", "breaks"), CASES.values(), ids=CASES.keys())
def test_each_component_on_a_change_finds_what_the_whole_graph_gives(
    tmp_path: Path, constraint: str, keeps: str, breaks: str
) -> None:
    checks = compile_shapes(shapes_file(tmp_path, constraint))
    good, both = lines_of(keeps), lines_of(keeps + "\n" + breaks)
    focused = 0
    for before, after in [(good, both), (both, good), *changes_of(both)]:
        found, ran_on_nodes = from_change(checks, before, after)
        assert found == verdicts(store_of(after), checks), (sorted(before ^ after))
        focused += ran_on_nodes
    walkable = "alternative" not in constraint and "zeroOrMore" not in constraint
    assert (focused > 0) == walkable  # paths it cannot walk back are validated whole


@pytest.mark.parametrize("target", [
    "sh:targetSubjectsOf ex:p", "sh:targetObjectsOf ex:r", "sh:targetNode ex:bad",
    "sh:targetClass ex:Thing",
])
@pytest.mark.parametrize("constraint", [
    "sh:path ex:p ; sh:maxCount 1", "sh:path ex:p ; sh:minCount 1",
    "sh:path [ sh:inversePath ex:r ] ; sh:minCount 1",
    "sh:path ( ex:p ex:q ) ; sh:class ex:Kind",
])
def test_each_target_kind_on_a_change_finds_what_the_whole_graph_gives(
    tmp_path: Path, target: str, constraint: str
) -> None:
    checks = compile_shapes(shapes_file(tmp_path, constraint, target))
    graph = lines_of("ex:bad a ex:Thing ; ex:p ex:v, ex:w . ex:z ex:r ex:bad . ex:good ex:p ex:v ."
                     " ex:z ex:r ex:good . ex:v ex:q ex:k . ex:k a ex:Kind . ex:w ex:q ex:u .")
    for before, after in changes_of(graph):
        assert from_change(checks, before, after)[0] == verdicts(store_of(after), checks)


@pytest.fixture(scope="module")
def real_lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("focus") / "build"
    build(Paths(out=out), views=False, check_shapes=False)
    return (out / "graph.nt").read_text(encoding="utf-8").splitlines()


def test_a_check_with_more_nodes_than_the_limit_is_run_whole(tmp_path: Path) -> None:
    checks = compile_shapes(shapes_file(tmp_path, "sh:path ex:p ; sh:maxCount 1"))
    before = lines_of("ex:a a ex:Thing ; ex:p 1 .")
    after = before | lines_of("ex:b a ex:Thing ; ex:p 1, 2 . ex:c a ex:Thing ; ex:p 3, 4 .")
    assert from_change(checks, before, after, limit=2) == (verdicts(store_of(after), checks), 1)
    assert from_change(checks, before, after, limit=1) == (verdicts(store_of(after), checks), 0)


def test_the_real_graph_broken_and_mended_gives_the_whole_graphs_verdicts(
    real_lines: list[str],
) -> None:
    checks = compile_shapes(SHAPES)
    whole = set(real_lines)
    damaged = set(broken(real_lines).splitlines())
    for before, after in ((whole, damaged), (damaged, whole)):
        found, focused = from_change(checks, before, after)
        assert found == verdicts(store_of(after), checks)
        assert focused > len(checks) // 2
    assert any(verdicts(store_of(damaged), checks).values())
    assert len(BREAKAGES) > 1


# SPARQL constraints: (the SELECT, whether its verdict on a node reads that node's own values only)
SELECTS = {
    "star": ("SELECT $this WHERE { $this e:p ?p FILTER NOT EXISTS { $this e:q ?q } }", True),
    "star, literal and type": (
        "SELECT DISTINCT $this WHERE { $this e:p 1 ; a e:Kind MINUS { $this e:q ?q } }", True),
    "star, counted": (
        "SELECT $this WHERE { $this e:p ?v } GROUP BY $this HAVING (COUNT(?v) > 1)", True),
    "a value's value": (
        "SELECT $this WHERE { $this e:p ?v FILTER NOT EXISTS { ?v e:q ?w } }", False),
    "pointed at": ("SELECT $this WHERE { ?s e:r $this }", False),
    "a path": ("SELECT $this WHERE { $this e:p/e:q ?w }", False),
    "a limit": ("SELECT $this WHERE { $this e:p ?v } LIMIT 1", False),
    "a subquery": ("SELECT $this WHERE { $this e:p ?v { SELECT (COUNT(*) AS ?n) "
                   "WHERE { $this e:q ?q } } FILTER(?n > 0) }", False),
}


@pytest.mark.parametrize(("select", "star"), SELECTS.values(), ids=SELECTS.keys())
@pytest.mark.parametrize("target", ["sh:targetClass ex:Thing", "sh:targetSubjectsOf ex:p"])
def test_a_sparql_constraint_on_a_change_finds_what_the_whole_graph_gives(
    tmp_path: Path, select: str, star: bool, target: str
) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + f"""
        ex:Shape a sh:NodeShape ; {target} ;
          sh:sparql [ a sh:SPARQLConstraint ; sh:message "broken" ; sh:prefixes ex:decl ;
            sh:select "{select}" ] .
        ex:decl sh:declare [ sh:prefix "e" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
    """)
    checks = compile_shapes(shapes)
    graph = lines_of("ex:a a ex:Thing, ex:Kind ; ex:p 1, 2, ex:b . ex:b a ex:Thing ; ex:p 1 ;"
                     " ex:q 2 . ex:c ex:p ex:b . ex:b ex:r ex:a . ex:d a ex:Thing ; ex:q 3 .")
    focused, violated = 0, False
    for before, after in changes_of(graph):
        found, ran_on_nodes = from_change(checks, before, after)
        assert found == verdicts(store_of(after), checks), sorted(before ^ after)
        focused += ran_on_nodes
        violated |= any(found.values())
    assert violated  # the changes break the constraint and mend it
    assert (focused > 0) == star
