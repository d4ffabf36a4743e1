"""After a change to the graph, the rows each view reads whole, patched from the last build's by
the changed lines (graph.build.view_rows), are the rows asked of the whole store.

For each kept query (graph.views._shared.KEPT) and each predicate it reads, lines of the corpus
build's ``graph.nt`` are taken out (a row removed or changed), put back (a row added) and given
another text; the rows patched from the rows before equal the rows asked whole after. The same
cases with the query's reach cut to the changed subjects alone must differ somewhere: the
comparison can fail.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.build.view_rows import Change, patched
from graph.query.endpoints import MemoryStore
from graph.rdf.delta import Difference
from graph.settings import Paths
from graph.views._shared import KEPT, Kept, Values, ordered, streamed
from graph.vocabulary.prefixes import PREFIXES
from tests.checkout import CHECKOUT

TRIES = 8  # lines of a predicate tried, spread over its lines
TYPE, MAILD = PREFIXES["rdf"] + "type", PREFIXES["maild"]


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("rows") / "build"
    build(Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology", out=out),
          check_shapes=False, views=False)
    return (out / "graph.nt").read_text(encoding="utf-8").splitlines()


def _read(kept: Kept) -> set[str]:
    """The predicates ``kept``'s query names (``a`` as rdf:type)."""
    names = {TYPE, *re.findall(r"<(http[^>]+)>", kept.query)}
    for prefix, namespace in PREFIXES.items():
        for local in re.findall(rf"(?<![\w:]){prefix}:([\w-]+)", kept.query):
            names.add(namespace + local)
    return names


def _quad(line: str) -> ox.Quad:
    (quad,) = ox.parse(input=line.encode(), format=ox.RdfFormat.N_TRIPLES)
    return quad


def _whole(store: ox.Store, kept: Kept) -> list[Values]:
    return ordered(kept.query, streamed(MemoryStore(store), kept.query, "<whole>"))


def _relabelled(line: str) -> str | None:
    """``line`` with another literal, or None if its object is no literal."""
    subject, predicate, rest = line.split(" ", 2)
    return f'{subject} {predicate} "a changed text" .' if rest.startswith('"') else None


def _stated_by_supersets(lines: list[str]) -> list[str]:
    """Lines stating an antibody and a disease of each population others are a subset of
    (the corpus's supersets state none: what reaches their subsets' rows is then never read)."""
    triples = [line.removesuffix(" .").split(" ", 2) for line in lines]
    antibodies = sorted(s for s, p, o in triples
                        if p == f"<{TYPE}>" and o == f"<{MAILD}Autoantibody>")
    diseases = sorted(o for _s, p, o in triples if p == f"<{MAILD}disease>")
    supersets = sorted({o for _s, p, o in triples if p == f"<{MAILD}subsetOf>"})
    stated = {f"{superset} <{MAILD}{p}> {concept} ." for superset in supersets
              for p, concept in (("disease", diseases[0]), ("antibody", antibodies[0]))}
    return sorted(stated - set(lines))


def _cases(store: ox.Store, kept: Kept, lines: list[str]):
    """(rows before, the change, rows asked whole after) for a row removed, added and changed
    by lines of each predicate ``kept`` reads; only changes that change its rows."""
    before = _whole(store, kept)
    for predicate in sorted(_read(kept)):
        mine = [line for line in lines if line.split(" ", 2)[1] == f"<{predicate}>"
                and "_:" not in line]
        step = max(1, len(mine) // TRIES)
        for line in mine[::step][:TRIES]:
            quad = _quad(line)
            store.remove(quad)
            without = _whole(store, kept)
            other = _relabelled(line)
            if other is not None:
                store.add(_quad(other))
                relabelled = _whole(store, kept)
                store.remove(_quad(other))
            store.add(quad)
            if without == before:
                continue
            yield before, Difference(removed=[line]), without
            yield without, Difference(added=[line]), before
            if other is not None:
                yield before, Difference(removed=[line], added=[other]), relabelled
    for line in _stated_by_supersets(lines):
        store.add(_quad(line))
        stated = _whole(store, kept)
        store.remove(_quad(line))
        if stated != before:
            yield before, Difference(added=[line]), stated
            yield stated, Difference(removed=[line]), before


@pytest.mark.parametrize("kept", list(KEPT.values()),
                         ids=[k.query.splitlines()[0][2:40] for k in KEPT.values()])
def test_rows_patched_by_a_change_are_the_rows_asked_of_the_whole_store(
    kept: Kept, lines: list[str]
) -> None:
    store = ox.Store()
    store.load(input="\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    every = set(lines)
    cases = 0
    broken = replace(kept, near=None, backward=frozenset())
    missed = 0
    for rows, change, whole in _cases(store, kept, lines):  # the store holds every line
        if not Change(change).patchable(kept):
            continue  # the build asks this query whole
        for line in change.removed:
            store.remove(_quad(line))
        for line in change.added:
            store.add(_quad(line))
        target = MemoryStore(store)
        # and whether they changed, which says if the last build's file is kept as it is
        assert patched(target, kept, rows, Change(change)) == (whole, whole != rows), change
        missed += patched(target, broken, rows, Change(change))[0] != whole
        for line in change.added:
            store.remove(_quad(line))
        for line in [*change.removed, *change.added]:
            if line in every:
                store.add(_quad(line))
        cases += 1
    assert cases >= 3  # a row removed, added and changed at least
    if kept.near or kept.backward:
        assert missed, "the reach beyond the changed subjects was never needed"


def test_the_rows_kept_by_a_build_name_their_key(tmp_path: Path) -> None:
    """A row without its key could never be told apart from the others: none is kept. And the
    rows are in order of their key first, so a patch finds each key's rows together."""
    for kept in KEPT.values():
        assert re.search(rf"\?{kept.key}\b", kept.query.split("WHERE", 1)[0]), kept.key
        assert (kept.first or (kept.key,))[0] == kept.key


def test_a_change_that_leaves_a_query_s_rows_as_they_were_says_so(lines: list[str]) -> None:
    """A line no query reads, about a key: that key's rows are asked again and are the same
    rows, so the last build's file of them is kept as it is (linked, not written again)."""
    store = ox.Store()
    store.load(input="\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    for kept in KEPT.values():
        rows = _whole(store, kept)
        line = f'<{rows[0][kept.key]}> <http://example.org/unread> "read by no view" .'
        store.add(_quad(line))
        change = Change(Difference(added=[line]))
        assert patched(MemoryStore(store), kept, rows, change) == (rows, False), kept.key
        store.remove(_quad(line))


def test_the_views_rows_are_ordered_by_their_first_variables_then_by_every_value() -> None:
    kept = KEPT[next(q for q, k in KEPT.items() if k.first == ("citing", "cited"))]
    rows = [{"citing": "b", "cited": "a"}, {"citing": "a", "cited": "b", "x": "2"},
            {"citing": "a", "cited": "b", "x": "1"}, {"citing": "a", "cited": "a", "y": "0"},
            {"citing": "a", "cited": "b"}, {"citing": "a", "cited": "b", "x": "1"}]
    got = ordered(kept.query, rows)
    assert got == sorted(rows, key=kept.order)
    assert [id(row) for row in got] == [id(row) for row in sorted(rows, key=kept.order)]
    assert got == [{"citing": "a", "cited": "a", "y": "0"}, {"citing": "a", "cited": "b"},
                   {"citing": "a", "cited": "b", "x": "1"}, {"citing": "a", "cited": "b", "x": "1"},
                   {"citing": "a", "cited": "b", "x": "2"}, {"citing": "b", "cited": "a"}]
