"""The opt-in detail (``--detail mentions``): per-mention Web Annotations and reference-list
structure, kept apart from the graph, which no question, view or export reads.

Two builds of the corpus, one lean (the default) and one with the detail. The lean graph is the
detailed build's ``graph.nt`` byte for byte; and a store holding the graph *and* the detail in
one default graph answers every named query (each example of its header), draws every view and
writes the same KGX export as the lean graph alone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import DETAIL_FILE, DETAIL_GRAPH, build
from graph.exports.kgx import kgx_export
from graph.query.catalog import catalog, prepare, work_lookup
from graph.query.endpoints import MemoryStore
from graph.rdf.store import open_store
from graph.settings import Paths
from graph.views import VIEWS
from graph.views._page import render
from graph.views._view import Unresolved
from graph.vocabulary.concepts import load_vocabulary
from tests.checkout import CHECKOUT

# what each mention's annotation identifies: a concept of the vocabulary (a citation context's
# annotation, in the lean graph, has a CiTO intent as its body)
MENTION_BODY = "<http://www.w3.org/ns/oa#hasBody> <https://w3id.org/ma-ild/vocab/"
CO_LIST_ITEM = "<http://purl.org/co/ListItem>"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, Paths]:
    root = tmp_path_factory.mktemp("detail")
    shutil.copytree(CHECKOUT / "corpus", root / "corpus")
    lean = Paths(corpus=root / "corpus", ontology=CHECKOUT / "ontology", out=root / "lean")
    full = Paths(corpus=root / "corpus", ontology=CHECKOUT / "ontology", out=root / "full")
    build(lean, views=False)
    build(full, views=False, detail=True)
    return lean, full


def _memory(*files: Path) -> MemoryStore:
    store = ox.Store()
    for file in files:
        store.bulk_load(path=str(file), format=ox.RdfFormat.N_TRIPLES)
    return MemoryStore(store)


@pytest.fixture(scope="module")
def stores(builds: tuple[Paths, Paths]) -> tuple[MemoryStore, MemoryStore]:
    lean, full = builds
    return (_memory(lean.out / "graph.nt"),
            _memory(full.out / "graph.nt", full.out / DETAIL_FILE))


def test_the_detail_is_a_file_and_a_named_graph_apart_from_the_same_lean_graph(
    builds: tuple[Paths, Paths]
) -> None:
    lean, full = builds
    assert (lean.out / "graph.nt").read_bytes() == (full.out / "graph.nt").read_bytes()
    assert not (lean.out / DETAIL_FILE).exists()
    detail = (full.out / DETAIL_FILE).read_text(encoding="utf-8")
    graph = (lean.out / "graph.nt").read_text(encoding="utf-8")
    assert MENTION_BODY in detail and CO_LIST_ITEM in detail
    assert MENTION_BODY not in graph and CO_LIST_ITEM not in graph
    assert detail.splitlines() == sorted(set(detail.splitlines()))  # canonical: sorted, distinct
    store = open_store(full.out / "store")
    try:
        named = ox.NamedNode(DETAIL_GRAPH)
        assert sum(1 for _ in store.quads_for_pattern(None, None, None, named)) == len(
            detail.splitlines())
    finally:
        del store


def _rows(target: MemoryStore, text: str) -> list[str]:
    rows = target.select(text, "<test>").rows
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def test_every_named_query_answers_the_same_with_the_detail(
    stores: tuple[MemoryStore, MemoryStore]
) -> None:
    lean, detailed = stores
    vocabulary = load_vocabulary(CHECKOUT / "ontology" / "vocabulary")
    answered = 0
    for query in catalog(CHECKOUT / "queries").values():
        for example in query.examples:
            text = prepare(query, example, vocabulary, work_lookup(lean))
            assert text == prepare(query, example, vocabulary, work_lookup(detailed))
            assert _rows(lean, text) == _rows(detailed, text), (query.name, example)
            answered += bool(lean.select(text, "<test>").rows)
    assert answered >= 10  # the comparison is of answers, not of empty results


def test_every_view_and_the_kgx_export_are_the_same_with_the_detail(
    stores: tuple[MemoryStore, MemoryStore], tmp_path: Path
) -> None:
    lean, detailed = stores
    for view in VIEWS.all():
        assert render(*view.draw(lean, {}, Unresolved())) == render(
            *view.draw(detailed, {}, Unresolved())), view.name
    for name, target in (("lean", lean), ("detailed", detailed)):
        kgx_export(target, tmp_path / name)
    for file in ("kgx_nodes.tsv", "kgx_edges.tsv"):
        assert (tmp_path / "lean" / file).read_bytes() == (tmp_path / "detailed" / file).read_bytes()
