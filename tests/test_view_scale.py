"""The citation view past its node budget (issue 25, point 2), on a synthetic build in Chromium.

A 2,000-document build takes about four minutes on two shared cores, too long for the suite: a
300-document synthetic corpus (about 800 works) drawn with a budget of 200 works leaves most of
its works, corpus records among them, out of the drawing, as a 2,000-document build does with
the default budget of 1,000. Traces and lineages must still follow every citation of the graph,
the works they need come first, and the rest is drawn as a few group nodes, never as a disc.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.query.endpoints import EmbeddedStore
from graph.query.network import citation_graph, pagerank
from graph.settings import Paths
from graph.views import citation
from graph.views.citation import DRAWN_LIMIT, GROUP_LIMIT, citation_page, select_nodes
from tests.checkout import CHECKOUT

sys.path.insert(0, str(CHECKOUT))  # `tests` is no package on the path under importlib mode
from tests.browser import View, open_view, wait_until

DOCUMENTS, BUDGET = 300, 200
ONTOLOGY = CHECKOUT / "ontology"
W = "https://w3id.org/ma-ild/work/"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """A synthetic corpus built once (no shapes, no views: the tests draw what they need)."""
    spec = importlib.util.spec_from_file_location(
        "benchmarks_generate_corpus", CHECKOUT / "benchmarks" / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator  # its dataclasses look their module up
    spec.loader.exec_module(generator)
    folder = tmp_path_factory.mktemp("scale")
    generator.generate(DOCUMENTS, 1, folder / "corpus")
    paths = Paths(corpus=folder / "corpus", ontology=ONTOLOGY, out=folder / "build")
    build(paths, check_shapes=False, views=False)
    return paths


@pytest.fixture(scope="module")
def graph(synthetic: Paths) -> nx.DiGraph:
    return citation_graph(EmbeddedStore(synthetic.out / "store"))


def left_out_pair(graph: nx.DiGraph) -> tuple[str, str]:
    """Two works the budget leaves out, joined by chains of more than one length (the first such
    pair in IRI order)."""
    keep = set(select_nodes(graph, pagerank(graph), BUDGET))
    for source in sorted(n for n in graph if n not in keep):
        for target in sorted(nx.single_source_shortest_path_length(graph, source, cutoff=4)):
            if target in keep or target == source:
                continue
            lengths = {len(p) - 1 for p in nx.all_simple_paths(graph, source, target, cutoff=4)}
            if len(lengths) > 1:
                return source, target
    raise AssertionError("no pair of left-out works joined by chains of two lengths")


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
    browser: object, synthetic: Paths, graph: nx.DiGraph, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, target = left_out_pair(graph)
    chains = query_chains(synthetic, source, target, capsys)
    on_chains = {w for chain in chains for w in chain}
    out = tmp_path / "trace.html"
    assert main(["view", "citations", "--budget", str(BUDGET), "--trace-from", source,
                 "--trace-to", target, "--out", str(out), "--store", str(synthetic.out / "store"),
                 "--ontology", str(ONTOLOGY)]) == 0
    # the whole graph rides along, compactly, with each arrow's citation-context fields (the
    # disc this replaced was 28 MB at 2,000 documents)
    assert out.stat().st_size < 2_500_000
    with open_view(browser, out) as view:  # type: ignore[arg-type]
        wait_until(view.page, "window.maild !== undefined && maild.state.stabilized", 60)
        drawn, groups, physics = view.evaluate("""() => [
            nodes.get({filter: n => n.meta.kind === "work"}).map(n => n.id),
            nodes.get({filter: n => n.meta.kind === "group"}).length, PAGE.physics]""")
        # every work of every chain is drawn and highlighted, with the budget's most central works
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


def test_a_trace_in_the_page_between_works_not_drawn_says_where_the_chain_runs(
    browser: object, synthetic: Paths, graph: nx.DiGraph, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, target = left_out_pair(graph)
    chains = query_chains(synthetic, source, target, capsys)
    out = tmp_path / "plain.html"
    assert main(["view", "citations", "--budget", str(BUDGET), "--out", str(out),
                 "--store", str(synthetic.out / "store"), "--ontology", str(ONTOLOGY)]) == 0
    with open_view(browser, out) as view:  # type: ignore[arg-type]
        wait_until(view.page, "window.maild !== undefined && maild.state.stabilized", 60)
        drawn = set(view.evaluate("nodes.getIds()"))
        assert source not in drawn and target not in drawn
        view.page.select_option("#trace-from", value=source)
        view.page.select_option("#trace-to", value=target)
        view.page.click("#trace-go")
        assert sorted(chain_list(view)) == sorted(chains)
        hidden = sorted({w for chain in chains for w in chain if w not in drawn})
        status = view.page.text_content("#status")
        assert f"{len(hidden)} of them not drawn, inside " in status
        # the groups holding them are highlighted in their place, and named
        groups = view.evaluate("""(hidden) => PAGE.data.graph.works
            .filter(w => hidden.includes(w[0])).map(w => [w[2], nodes.get(w[2]).label])""", hidden)
        assert {g for g, _label in groups} == {
            n for n in view.evaluate("maild.state.highlighted.nodes") if n.startswith("group:")}
        assert all(label.split("\n")[0] in status for _g, label in groups)

        # a lineage counts every work that cites the source, drawn or not
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
    page, _net = citation_page(graph, budget=BUDGET)
    assert page.data["graph"]["partial"] is False and len(page.data["graph"]["works"]) == len(graph)
    monkeypatch.setattr(citation, "CARRIED_LIMIT", graph.number_of_edges() - 1)
    page, net = citation_page(graph, budget=BUDGET)
    carried = page.data["graph"]
    drawn = {n["id"] for n in net.nodes if n["meta"]["kind"] == "work"}
    assert carried["partial"] is True and {w[0] for w in carried["works"]} == drawn
