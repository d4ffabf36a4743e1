"""The citation view of a 2,000-document build (issue 25, point 2), in Chromium.

2,000 synthetic documents (about 5,000 works and 45,000 citations) drawn with the default budget
of 1,000 works leave most works, corpus records among them, out of the drawing. Traces and
lineages must still follow every citation of the graph: between any two works the page lists the
chains `ma-ild query citation-chains` finds, draws the works on them first when the build is
asked for the trace, and says which of them lie outside the drawing. The rest is drawn as a few
group nodes, never as a disc.

The build is made once for the module and holds what the citation view reads: the generator
writes the same records and reference lists without abstracts or curation (``findings=False``),
and the build's own stages run up to the store (no shapes, serialisations, exports or views).
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx
import pytest

from graph.build.pipeline import write_records
from graph.cli import main
from graph.query import network
from graph.query.endpoints import EmbeddedStore
from graph.query.network import (
    citation_graph,
    cocitation,
    communities,
    coupling,
    indexed,
    pagerank,
    top_partners,
)
from graph.rdf.store import create_store
from graph.settings import Paths
from graph.views import citation
from graph.views._page import render
from graph.views.citation import DRAWN_LIMIT, GROUP_LIMIT, MAX_STEPS, citation_page, select_nodes
from tests.checkout import CHECKOUT, corpus_generator

sys.path.insert(0, str(CHECKOUT))  # `tests` is no package on the path under importlib mode
from tests.browser import View, open_view, wait_until

DOCUMENTS, BUDGET = 2000, 1000  # the size the issue names; the view's default budget
ONTOLOGY = CHECKOUT / "ontology"
W = "https://w3id.org/ma-ild/work/"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The synthetic corpus's works and citations, built once into a store."""
    folder = tmp_path_factory.mktemp("scale")
    corpus_generator().generate(DOCUMENTS, 1, folder / "corpus", findings=False)
    paths = Paths(corpus=folder / "corpus", ontology=ONTOLOGY, out=folder / "build")
    nt = folder / "graph.nt"
    write_records(paths, nt, strict=False, show=False)
    paths.out.mkdir()
    create_store(paths.out / "store", nt)
    return paths


@pytest.fixture(scope="module")
def graph(synthetic: Paths) -> nx.DiGraph:
    return citation_graph(EmbeddedStore(synthetic.out / "store"))


@pytest.fixture(scope="module")
def drawn(graph: nx.DiGraph) -> set[str]:
    """The works the default drawing holds."""
    return set(select_nodes(graph, pagerank(graph), BUDGET))


def chains_between(graph: nx.DiGraph, source: str, target: str) -> list[list[str]]:
    return list(nx.all_simple_paths(graph, source, target, cutoff=MAX_STEPS))


def first_pair(graph: nx.DiGraph, sources: list[str], wanted: object) -> tuple[str, str]:
    """The first pair in IRI order, from one of ``sources``, whose chains ``wanted`` accepts."""
    for source in sources:
        for target in sorted(nx.single_source_shortest_path_length(graph, source,
                                                                   cutoff=MAX_STEPS)):
            if target != source and wanted(target, chains_between(graph, source, target)):
                return source, target
    raise AssertionError("no such pair of works")


@pytest.fixture(scope="module")
def pairs(graph: nx.DiGraph, drawn: set[str]) -> dict[str, tuple[str, str]]:
    """Pairs of works whose chains pass outside the drawing: both ends left out (chains of two
    lengths); one end drawn, the other not; both drawn, a chain through a work left out."""
    left = sorted(w for w in graph if w not in drawn)
    kept = sorted(drawn)
    return {
        "both left out": first_pair(graph, left, lambda t, cs: t not in drawn and len(
            {len(c) for c in cs}) > 1),
        "one drawn": first_pair(graph, kept, lambda t, cs: t not in drawn),
        "both drawn": first_pair(graph, kept, lambda t, cs: t in drawn and any(
            w not in drawn for c in cs for w in c)),
    }


def query_chains(synthetic: Paths, source: str, target: str,
                 capsys: pytest.CaptureFixture[str]) -> list[list[str]]:
    """The chains `ma-ild query citation-chains` finds, each as its works from source to target."""
    capsys.readouterr()
    assert main(["query", "citation-chains", "--param", f"from={source}", "--param",
                 f"to={target}", "--format", "csv", "--store", str(synthetic.out / "store"),
                 "--ontology", str(ONTOLOGY)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    return [[source, *[r[f"via{i}"] for i in (1, 2, 3) if r[f"via{i}"]], target] for r in rows]


def chain_list(view: View) -> list[list[str]]:
    """The chains the page lists, each as the IRIs of its works."""
    return view.evaluate("""Array.from(document.querySelectorAll("#chain-list li"),
        li => Array.from(li.querySelectorAll(".chain-work"), b => b.title))""")


def test_the_view_command_draws_the_chains_the_query_finds_between_two_left_out_works(
    browser: object, synthetic: Paths, pairs: dict[str, tuple[str, str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, target = pairs["both left out"]
    chains = query_chains(synthetic, source, target, capsys)
    on_chains = {w for chain in chains for w in chain}
    out = tmp_path / "trace.html"
    assert main(["view", "citations", "--budget", str(BUDGET), "--trace-from", source,
                 "--trace-to", target, "--out", str(out), "--store", str(synthetic.out / "store"),
                 "--ontology", str(ONTOLOGY)]) == 0
    # the whole graph rides along, compactly (the disc this replaced was 28 MB)
    assert out.stat().st_size < 8_000_000
    with open_view(browser, out) as view:  # type: ignore[arg-type]
        wait_until(view.page, "window.maild !== undefined && maild.state.stabilized", 120)
        drawn, groups, physics = view.evaluate("""() => [
            nodes.get({filter: n => n.meta.kind === "work"}).map(n => n.id),
            nodes.get({filter: n => n.meta.kind === "group"}).length, PAGE.physics]""")
        # both ends and every work of every chain drawn and highlighted, with the most central
        assert on_chains <= set(drawn)
        assert len(drawn) == BUDGET
        assert set(view.evaluate("maild.state.highlighted.nodes")) == on_chains
        # the works left out are a few groups, laid out by physics: no disc of thousands of nodes
        assert 1 < groups <= GROUP_LIMIT and physics is True
        assert sorted(chain_list(view)) == sorted(chains)
        lengths = sorted(len(c) - 1 for c in chains)
        assert chain_list(view)[0] == min(chains, key=len)  # shortest first
        assert view.page.text_content("#status").startswith(
            f"{len(on_chains)} works on chains, ")
        assert lengths[0] < lengths[-1]

        view.page.check("#trace-shortest")
        view.page.click("#trace-go")
        assert chain_list(view) == [c for c in chains if len(c) - 1 == lengths[0]]
        assert view.problems() == []


def test_a_trace_in_the_page_lists_the_chains_the_query_finds_and_says_where_they_run(
    browser: object, synthetic: Paths, graph: nx.DiGraph, pairs: dict[str, tuple[str, str]],
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Whether its ends are drawn or not: the page traces through the whole graph it carries."""
    expected = {kind: query_chains(synthetic, *pair, capsys) for kind, pair in pairs.items()}
    out = tmp_path / "plain.html"
    assert main(["view", "citations", "--budget", str(BUDGET), "--out", str(out),
                 "--store", str(synthetic.out / "store"), "--ontology", str(ONTOLOGY)]) == 0
    with open_view(browser, out) as view:  # type: ignore[arg-type]
        wait_until(view.page, "window.maild !== undefined && maild.state.stabilized", 120)
        drawn = set(view.evaluate("nodes.getIds()"))
        for kind, (source, target) in pairs.items():
            chains = expected[kind]
            hidden = sorted({w for chain in chains for w in chain if w not in drawn})
            assert hidden, kind  # every pair's chains pass outside the drawing
            view.page.select_option("#trace-from", value=source)
            view.page.select_option("#trace-to", value=target)
            view.page.click("#trace-go")
            assert sorted(chain_list(view)) == sorted(chains), kind
            status = view.page.text_content("#status")
            assert f"{len(hidden)} of them not drawn, inside " in status, kind
            # the works drawn and the groups holding the others are highlighted, and named
            groups = view.evaluate("""(hidden) => PAGE.data.graph.works
                .filter(w => hidden.includes(w[0])).map(w => [w[2], nodes.get(w[2]).label])""",
                hidden)
            shown = {w for chain in chains for w in chain if w in drawn}
            assert set(view.evaluate("maild.state.highlighted.nodes")) == shown | {
                g for g, _label in groups}, kind
            assert all(label.split("\n")[0] in status for _g, label in groups), kind

        # a lineage counts every work that cites the source, drawn or not
        target = pairs["both left out"][1]
        view.page.select_option("#lineage-work", value=target)
        view.page.select_option("#lineage-direction", value="built-upon")
        view.page.fill("#lineage-depth", "1")
        view.page.click("#lineage-go")
        citers = set(graph.predecessors(target))
        assert view.page.text_content("#status").startswith(f"{len(citers)} work")
        assert view.problems() == []


def test_the_drawing_never_passes_the_physics_limit_whatever_the_budget(graph: nx.DiGraph) -> None:
    rank = pagerank(graph)
    assert len(select_nodes(graph, rank, 10 * DRAWN_LIMIT)) == min(len(graph), DRAWN_LIMIT)
    required = sorted(graph)[-3:]
    assert set(required) <= set(select_nodes(graph, rank, 1, required))


def test_past_the_carried_limit_the_page_carries_the_drawn_works_only_and_says_so(
    graph: nx.DiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (below the limit the page carries every work: the in-page trace above follows them)
    monkeypatch.setattr(citation, "CARRIED_LIMIT", graph.number_of_edges() - 1)
    page, net = citation_page(graph, budget=BUDGET)
    carried = page.data["graph"]
    drawn = {n["id"] for n in net.nodes if n["meta"]["kind"] == "work"}
    assert carried["partial"] is True and {w[0] for w in carried["works"]} == drawn


def test_the_top_partners_are_the_best_of_the_full_counts_ties_by_iri() -> None:
    """The partners the sparse products keep (only the largest counts and their ties sorted)
    are the first ``k`` of every pair counted, most shared first, ties by the partner's IRI."""
    rng = random.Random(3)
    graph = nx.DiGraph((f"w{rng.randrange(60):02d}", f"w{rng.randrange(60):02d}")
                       for _ in range(600))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    works = sorted(graph)
    for kind, counted in (("cocitation", cocitation(graph)), ("coupling", coupling(graph))):
        best = {w: sorted(((c, b if a == w else a) for (a, b), c in counted.items()
                           if w in (a, b)), key=lambda p: (-p[0], p[1]))[:3] for w in works}
        assert top_partners(graph, works, kind) == {w: found for w, found in best.items()
                                                    if found}


def test_pagerank_is_networkx_s_to_the_last_bit(graph: nx.DiGraph) -> None:
    """The citation page's PageRank, its matrix made from index arrays, is networkx's: the
    same floats, in networkx's order (the page prints them whole), on the 2,000-document graph
    and on small ones with dangling works and self-citations."""
    assert list(pagerank(graph).items()) == list(nx.pagerank(graph).items())
    rng = random.Random(5)
    for size in (1, 2, 7, 40):
        small = nx.DiGraph()
        small.add_nodes_from(f"w{rng.randrange(size)}" for _ in range(size))
        small.add_edges_from((f"w{rng.randrange(size)}", f"w{rng.randrange(size)}")
                             for _ in range(3 * size))
        assert list(pagerank(small).items()) == list(nx.pagerank(small).items())


def test_the_arrays_count_what_a_walk_of_every_citation_counts(graph: nx.DiGraph) -> None:
    """The group arrows' counts, the communities' undirected pairs and the carried citations,
    made from the index arrays, are those of a walk over networkx's edges."""
    at = indexed(graph)
    works = sorted(graph)
    where = {w: w if i % 3 else f"group:{i % 7}" for i, w in enumerate(works)}
    walked: Counter[tuple[str, str]] = Counter()
    for citing, cited in graph.edges:
        a, b = where[citing], where[cited]
        if a != b and (a.startswith("group:") or b.startswith("group:")):
            walked[(a, b)] += 1
    assert citation._between(where, at) == walked
    for partial in (False, True):
        carried = [w for w in works if not partial or where[w] == w]
        index = {w: i for i, w in enumerate(carried)}
        limit = graph.number_of_edges() - 1 if partial else graph.number_of_edges()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(citation, "CARRIED_LIMIT", limit)
            compact = citation.compact_graph(graph, where, at)
        assert [w[0] for w in compact["works"]] == carried
        assert compact["cites"] == [sorted(index[c] for c in graph.successors(w) if c in index)
                                    for w in carried]
    # Louvain given each undirected pair of works once, in sorted order, as a walk finds them
    number = {w: i for i, w in enumerate(works)}
    pairs = sorted({(min(i, j), max(i, j)) for a, b in graph.edges
                    if (i := number[a]) != (j := number[b])})
    igraph.set_random_number_generator(random.Random(7))
    try:
        found = igraph.Graph(n=len(works), edges=pairs).community_multilevel()
    finally:
        igraph.set_random_number_generator(random)
    assert communities(graph, at=at) == sorted(({works[i] for i in members} for members in found),
                                               key=lambda c: (-len(c), min(c)))


def test_the_works_and_arrays_made_from_the_rows_are_those_of_networkx_s_graph() -> None:
    """The citation page drawn from the rows without networkx's edges (an add's and a build's
    page) is the page drawn from the networkx graph: the same nodes in the same order, the
    same arrays in networkx's edge order, the same degrees and the same page, byte for byte;
    with works only cited (no row of their own), repeated rows and self-citations."""
    rng = random.Random(11)
    for size in (1, 3, 30, 200):
        works = [{"work": f"{W}w{i:03d}", "title": f"T{i}", "year": str(1990 + i % 30),
                  "corpus": "true" if i % 4 == 0 else "false"}
                 for i in rng.sample(range(size), size // 2 + 1)]
        edges = [{"citing": f"{W}w{rng.randrange(size):03d}",
                  "cited": f"{W}w{rng.randrange(size + 5):03d}"} for _ in range(4 * size)]
        graph = network.graph_of(works, edges)
        nodes, at = network.nodes_and_arrays(works, edges)
        whole = indexed(graph)
        assert list(nodes.nodes(data=True)) == list(graph.nodes(data=True))
        assert (at.nodes, at.index) == (whole.nodes, whole.index)
        assert at.citing.tolist() == whole.citing.tolist()
        assert at.cited.tolist() == whole.cited.tolist()
        assert network.degrees(nodes, at) == network.degrees(graph)
        assert (render(*citation_page(nodes, budget=size // 3, at=at))
                == render(*citation_page(graph, budget=size // 3)))


def test_the_communities_import_no_plotting_library() -> None:
    """igraph's drawing imports matplotlib's pyplot whenever matplotlib is installed (a second
    of every build's views); the communities draw nothing, and leave matplotlib importable."""
    code = ("import sys, networkx as nx\n"
            "from graph.query.network import communities\n"
            "found = communities(nx.DiGraph([('a', 'b'), ('b', 'c'), ('x', 'y')]))\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
            "import matplotlib\n"
            "print(sorted(map(sorted, found)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=CHECKOUT.parent, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[['a', 'b', 'c'], ['x', 'y']]"
