"""The interactive views in a real browser: offline, quiet, complete, and the controls work.

The graph is built once; each view is opened from file:// in headless Chromium (see
``tests/browser.py``) with every non-local request aborted and recorded. Controls are driven the
way a reader would: options chosen by value, buttons clicked, and nodes and edges clicked with
the mouse at their position on the canvas.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.query.endpoints import EmbeddedStore, MemoryStore
from graph.query.network import citation_graph, pagerank
from graph.rdf.store import open_store
from graph.settings import Paths
from graph.views import VIEWS as ALL_VIEWS
from graph.views._page import render, write
from graph.views._shared import Shared
from graph.views._style import AA, INSIDE_LABEL, contrast
from graph.views._view import Unresolved
from graph.views.citation import (
    GROUP_LIMIT,
    Sentence,
    Trace,
    citation_page,
    citation_sentences,
    select_nodes,
)
from graph.views.entity import NODES, QUOTES, TYPES, entity_page, within_budget
from graph.views.evidence import FINDINGS, LABELS, evidence_page
from graph.views.evidence import within_budget as evidence_budget
from graph.vocabulary.prefixes import BASE
from tests.checkout import CHECKOUT

sys.path.insert(0, str(CHECKOUT))  # `tests` is no package on the path under importlib mode
from tests.browser import View, open_view, wait_until

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
W = "https://w3id.org/ma-ild/work/"
V = "https://w3id.org/ma-ild/vocab/"
F = "https://w3id.org/ma-ild/finding/"
COHORT = W + "doi/10.3899/jrheum.161217"
REVIEW = W + "ge-2015-34-2097"
NEWS = W + "anon-nd-tacrolimus-decreases-glucocorticoid-use-in-refractory"
BOHAN_2 = W + "bohan-1975-292-403"
TACROLIMUS, JO1 = V + "tacrolimus", V + "anti-jo-1"
TABLE_3_JO1 = F + "sharma-2017-cohort-article-markdown/tacrolimus-response-anti-jo1"
SETTLED = "window.maild !== undefined && maild.state.stabilized"
VIEWS = ("citations", "evidence", "entity")



@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("v") / "build")
    build(paths)
    return paths


@pytest.fixture(scope="module")
def pages(built: Paths) -> dict[str, tuple]:
    """What the page builders make of the built store: (page, pyvis network) by view."""
    target = EmbeddedStore(built.out / "store")
    return {"citations": citation_page(citation_graph(target),
                                       sentences=citation_sentences(target)),
            "evidence": evidence_page(target), "entity": entity_page(target)}


def _select(paths: Paths, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in row) for row in open_store(paths.out / "store").query(query)]


def settle(view: View, timeout: float = 30.0) -> None:
    wait_until(view.page, SETTLED, timeout)
    assert view.problems() == []


def visible(view: View) -> tuple[set[str], set[str]]:
    """The ids of the nodes and edges the DataSets do not hide."""
    nodes, edges = view.evaluate("""() => [
        nodes.get({filter: n => !n.hidden}).map(n => n.id),
        edges.get({filter: e => !e.hidden}).map(e => e.id)]""")
    return set(nodes), set(edges)


def highlighted(view: View) -> dict[str, list[str]]:
    return view.evaluate("maild.state.highlighted")


def point_at_node(view: View, node: str) -> tuple[float, float]:
    """Where ``node`` is on the screen, once the view is centred on it and nothing covers it."""
    x, y, hit = view.evaluate("""(id) => {
        network.focus(id, {scale: 1.2, animation: false});
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const r = document.querySelector("#mynetwork canvas").getBoundingClientRect();
        return [r.left + p.x, r.top + p.y, network.getNodeAt(p)];
    }""", node)
    assert hit == node
    return x, y


def click_node(view: View, node: str) -> None:
    """A real mouse click on ``node``."""
    view.page.mouse.click(*point_at_node(view, node))


def hover_node(view: View, node: str) -> str:
    """Rest the mouse on ``node``; the text of the tooltip it shows."""
    view.page.mouse.move(0, 0)
    view.page.mouse.move(*point_at_node(view, node))
    return wait_until(view.page, """(() => { const t = document.querySelector(".vis-tooltip");
        return t && t.style.visibility === "visible" && t.textContent; })()""", 5)


def click_edge(view: View, edge: str) -> None:
    """A real mouse click on ``edge`` at a point of its drawn line that no node or edge covers."""
    point = view.evaluate("""(id) => {
        const r = document.querySelector("#mynetwork canvas").getBoundingClientRect();
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75]) {
            const p = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(t));
            if (network.getNodeAt(p) === undefined && network.getEdgeAt(p) === id) {
                return [r.left + p.x, r.top + p.y];
            }
        }
        return null;
    }""", edge)
    assert point is not None, f"no free point on {edge}"
    view.page.mouse.click(*point)


def neighbourhood(net: object, start: str, depth: int) -> tuple[set[str], set[str]]:
    """The nodes within ``depth`` steps of ``start`` either way, and the edges among them.

    A negative edge ("did not test for") is never walked through: it is shown with its other end.
    """
    around: dict[str, set[str]] = defaultdict(set)
    for e in net.edges:  # type: ignore[attr-defined]
        if not e.get("negative"):
            around[e["from"]].add(e["to"])
            around[e["to"]].add(e["from"])
    reached, frontier = {start}, {start}
    for _ in range(depth):
        frontier = {n for f in frontier for n in around[f]} - reached
        reached |= frontier
    walked = set(reached)
    reached |= {n for e in net.edges if e.get("negative")  # type: ignore[attr-defined]
                and (e["from"] in walked or e["to"] in walked) for n in (e["from"], e["to"])}
    edges = {e["id"] for e in net.edges  # type: ignore[attr-defined]
             if e["from"] in reached and e["to"] in reached}
    return reached, edges


# ------------------------------------------------------------------------------------- every view


@pytest.mark.parametrize("name", VIEWS)
def test_a_view_opens_offline_quietly_settles_and_explains_itself(
    browser: object, built: Paths, pages: dict[str, tuple], name: str
) -> None:
    page, _net = pages[name]
    with open_view(browser, built.out / "views" / f"{name}.html") as view:
        settle(view)
        title, heading, explanation, legend = view.evaluate("""() => [
            document.title, document.getElementById("title").textContent,
            document.getElementById("explanation").textContent,
            Array.from(document.querySelectorAll("#legend .legend-item"), e => e.textContent)]""")
        assert title == heading == page.title
        assert explanation == page.explanation
        assert legend == [item["label"] for item in page.legend]
        assert len(legend) >= 4
        assert view.problems() == []


def test_the_citation_view_draws_every_work_and_citation_of_the_store(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    [(works,)] = _select(built, """PREFIX cito: <http://purl.org/spar/cito/>
        SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { { ?w cito:cites ?o } UNION { ?o cito:cites ?w } }""")
    [(citations,)] = _select(built, """PREFIX cito: <http://purl.org/spar/cito/>
        SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE { ?a cito:cites ?b } }""")
    assert (int(works), int(citations)) == (63, 74)
    _page, net = pages["citations"]
    assert (len(net.nodes), len(net.edges)) == (63, 74)
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        drawn = view.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
        assert drawn == [63, 74]
        assert view.evaluate("document.getElementById('note')") is None  # nothing left out


# the evidence view draws every outcome finding with a drug (issue 23): with the two mined
# candidates that name drugs but no outcome (to one "outcome not named" node), 33 nodes, 82 edges;
# the entity view every finding, a candidate that names no direction too (issue 22), and every
# vocabulary concept with its broader edges (FEV1, ILD extent and infection: 3 nodes, 3 edges)
@pytest.mark.parametrize(("name", "expected"), [("evidence", (33, 82)), ("entity", (276, 744))])
def test_the_evidence_and_entity_views_draw_what_the_builder_made(
    browser: object, built: Paths, pages: dict[str, tuple], name: str, expected: tuple[int, int]
) -> None:
    _page, net = pages[name]
    assert (len(net.nodes), len(net.edges)) == expected
    assert len({e["id"] for e in net.edges}) == expected[1]  # no edge id twice
    with open_view(browser, built.out / "views" / f"{name}.html") as view:
        settle(view)
        drawn = view.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
        assert tuple(drawn) == expected


# --------------------------------------------------------------------------------- citation view


def test_what_builds_on_the_systematic_review_through_the_controls(
    browser: object, built: Paths
) -> None:
    [(design,)] = _select(built, f"""PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        SELECT ?d WHERE {{ <{REVIEW}> a maild:CorpusDocument ; maild:studyDesign ?d }}""")
    assert design == V + "systematic-review"
    [(news,)] = _select(built, """PREFIX fabio: <http://purl.org/spar/fabio/>
        SELECT ?n WHERE { ?n a fabio:NewsItem }""")
    assert news == NEWS
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        page = view.page
        page.fill("#search", "systematic review")
        page.click("#search-go")
        assert view.evaluate("network.getSelectedNodes()") == [REVIEW, W + "ge-2015-34-99"]
        assert page.text_content("#status") == (
            "2 found: Ge 2015 \u2013 The efficacy of tacrolimus in patients with refrac; "
            "Ge 2015 \u2013 Cyclophosphamide treatment for idiopathic inflamma")
        assert page.text_content("#details h2").startswith("The efficacy of tacrolimus")

        # the ways people name a work: author and year (both Bohan & Peter 1975 parts), the DOI
        # stored on a node whose IRI was not minted from it, a PubMed ID
        for given, expected in [
            ("Bohan & Peter 1975", [W + "bohan-1975-292-344", BOHAN_2]),
            ("https://doi.org/10.1002/RCR2.52", [W + "rigby-2014-2-70"]),
            ("Rigby 2014", [W + "rigby-2014-2-70"]),
            ("syndrome tacrolimus rescue", [W + "rigby-2014-2-70"]),  # title words, any order
        ]:
            page.fill("#search", given)
            page.click("#search-go")
            assert view.evaluate("network.getSelectedNodes()") == expected, given

        page.select_option("#lineage-work", value=REVIEW)
        page.select_option("#lineage-direction", value="built-upon")
        page.fill("#lineage-depth", "1")
        page.click("#lineage-go")
        assert highlighted(view) == {"nodes": sorted([COHORT, REVIEW]),
                                     "edges": [f"{COHORT} -> {REVIEW}"]}
        assert page.text_content("#status") == "1 work within 1 step"
        assert view.evaluate(f"nodes.get('{COHORT}').color.background") == "#ffb000"
        assert view.evaluate(f"nodes.get('{BOHAN_2}').color.background") == "#eeeeee"

        page.fill("#lineage-depth", "2")
        page.click("#lineage-go")
        assert highlighted(view) == {
            "nodes": sorted([COHORT, REVIEW, NEWS]),
            "edges": sorted([f"{COHORT} -> {REVIEW}", f"{NEWS} -> {COHORT}"]),
        }
        assert view.problems() == []


TRACE = {"nodes": sorted([COHORT, REVIEW, BOHAN_2]),
         "edges": sorted([f"{COHORT} -> {BOHAN_2}", f"{COHORT} -> {REVIEW}",
                          f"{REVIEW} -> {BOHAN_2}"])}


def test_the_chains_from_the_cohort_to_bohan_and_peter_part_2(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        view.page.select_option("#trace-from", value=COHORT)
        view.page.select_option("#trace-to", value=BOHAN_2)
        view.page.click("#trace-go")
        assert highlighted(view) == TRACE
        assert view.page.text_content("#status") == "3 works on chains, 3 citations"
        view.page.click("#reset")
        assert highlighted(view) == {"nodes": [], "edges": []}
        assert view.evaluate(f"nodes.get('{COHORT}').color") == "#D55E00"  # Okabe-Ito vermillion
        assert view.problems() == []


def test_the_view_command_opens_on_the_trace_it_was_asked_for(
    browser: object, built: Paths, tmp_path: Path
) -> None:
    out = tmp_path / "trace.html"
    assert main(["view", "citations", "--trace-from", "10.3899/jrheum.161217",
                 "--trace-to", "bohan-1975-292-403", "--out", str(out),
                 "--store", str(built.out / "store"), "--ontology", str(ONTOLOGY)]) == 0
    with open_view(browser, out) as view:
        settle(view)
        assert highlighted(view) == TRACE
        assert view.evaluate("[document.getElementById('trace-from').value,"
                             " document.getElementById('trace-to').value]") == [COHORT, BOHAN_2]


# --------------------------------------------------------------------------------- evidence view


def test_the_drug_filter_keeps_the_tacrolimus_findings(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    _page, net = pages["evidence"]
    expected = {e["id"] for e in net.edges if e["meta"]["drug"] == TACROLIMUS}
    assert len(expected) == 38
    with open_view(browser, built.out / "views" / "evidence.html") as view:
        settle(view)
        view.page.select_option("#filter-drug", value=TACROLIMUS)
        shown_nodes, shown_edges = visible(view)
        assert shown_edges == expected
        labels = view.evaluate("edges.get({filter: e => e.hidden === false}).map(e => e.label)")
        assert len(labels) == 38
        assert "17/18 (94%)" in labels
        assert "42/45 (93.3%)" in labels
        assert "35.1\u219212.4 (-65%) p=0.002" in labels
        ends = {n for e in net.edges if e["id"] in expected for n in (e["from"], e["to"])}
        assert shown_nodes == ends
        assert view.page.text_content("#status") == "38 edges shown"
        assert view.problems() == []


def test_the_antibody_filter_keeps_only_the_anti_jo1_findings(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    _page, net = pages["evidence"]
    with open_view(browser, built.out / "views" / "evidence.html") as view:
        settle(view)
        view.page.select_option("#filter-drug", value=TACROLIMUS)
        view.page.select_option("#filter-drug", value="")
        assert view.evaluate("maild.state.visible.edges.length") == len(net.edges)
        view.page.select_option("#filter-antibody", value=JO1)
        _nodes, shown = visible(view)
        jo1 = F + "sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response"
        assert shown == {f"{jo1} {TACROLIMUS}", f"{jo1} {JO1}", f"{COHORT} studied {TACROLIMUS}"}
        assert {e.split(" ")[0] for e in shown if e.startswith(F)} == {jo1}
        kept = [e for e in net.edges if e["id"] in shown]
        assert all(JO1 in e["meta"]["antibodies"] for e in kept)
        assert view.problems() == []


def test_clicking_a_finding_shows_its_quote(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    _page, net = pages["evidence"]
    [edge] = [e for e in net.edges if e["label"] == "35.1\u219212.4 (-65%) p=0.002"]
    quote = dict(edge["meta"]["lines"])["Quote"]
    assert "12.4" in quote
    with open_view(browser, built.out / "views" / "evidence.html") as view:
        settle(view)
        view.page.select_option("#filter-drug", value=TACROLIMUS)
        click_edge(view, edge["id"])
        assert view.evaluate("network.getSelectedEdges()") == [edge["id"]]
        assert view.page.text_content("#details h2") == edge["meta"]["heading"]
        details = view.page.text_content("#details")
        assert quote in details
        assert "35.1\u219212.4 (-65%) p=0.002" in details
        assert view.problems() == []


# ----------------------------------------------------------------------------------- entity view


def test_the_entity_view_opens_on_anti_jo1_and_the_control_moves_it(
    browser: object, built: Paths, pages: dict[str, tuple], tmp_path: Path
) -> None:
    out = tmp_path / "jo1.html"
    assert main(["view", "entity", "--entity", "Jo1", "--out", str(out),
                 "--store", str(built.out / "store"), "--ontology", str(ONTOLOGY)]) == 0
    _page, net = pages["entity"]
    around_jo1 = neighbourhood(net, JO1, 1)  # the view opens one step out (issue 25)
    around_syndrome = neighbourhood(net, V + "anti-synthetase-syndrome", 1)
    assert (len(around_jo1[0]), len(around_jo1[1])) == (6, 5)
    assert around_syndrome != around_jo1
    with open_view(browser, out) as view:
        settle(view)
        assert view.evaluate("document.getElementById('focus-entity').value") == JO1
        shown = visible(view)
        assert shown == around_jo1
        assert {V + "anti-synthetase-antibody", JO1} <= shown[0]
        state = view.evaluate("maild.state.visible")
        assert (set(state["nodes"]), set(state["edges"])) == around_jo1

        view.page.select_option("#focus-entity", value=V + "anti-synthetase-syndrome")
        view.page.click("#focus-go")
        assert visible(view) == around_syndrome
        # the entity focused before is drawn as any other again
        assert view.evaluate(f"""[network.body.nodes['{JO1}'].options.borderWidth,
            network.body.nodes['{JO1}'].options.font.size]""") == [1, 14]
        assert view.page.text_content("#status") == (
            f"{len(around_syndrome[0]) - 1} neighbours within 1 step")
        assert view.problems() == []


SPREAD = """() => {
    const ids = nodes.get({filter: n => !n.hidden}).map(n => n.id), p = network.getPositions(ids);
    let closest = Infinity;
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
        closest = Math.min(closest, Math.hypot(p[ids[i]].x - p[ids[j]].x, p[ids[i]].y - p[ids[j]].y));
    }
    return closest;
}"""


def wait_still(view: View, timeout: float = 10.0) -> None:
    """Wait until no node moves any more (physics done, or never started)."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = view.evaluate("JSON.stringify(network.getPositions())")
        if now == last:
            return
        last = now
        time.sleep(0.25)
    pytest.fail(f"nodes still moving after {timeout:g} s")


def test_the_entity_neighbourhood_is_laid_out_with_no_node_on_another(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "entity.html") as view:
        settle(view)
        wait_still(view)
        assert view.evaluate(SPREAD) >= 20
        view.page.select_option("#focus-entity", value=JO1)
        view.page.click("#focus-go")
        wait_still(view)
        assert view.evaluate(SPREAD) >= 20


# -------------------------------------------------------------------------------- hostile text

HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> href'
HOSTILE_REFERENCE = '<b>bold</b> & "quotes" </script>'
RIGBY_TITLE = "Tacrolimus rescue therapy for severe respiratory failure in the anti-synthetase syndrome"
QUSHMAQ = ("Qushmaq KA, Chalmers A, Esdaile JM. Cyclosporin A in the treatment of refractory adult "
           "polymyositis/dermatomyositis: population based experience in 6 patients and literature "
           "review.")


def hostile_corpus(folder: Path) -> Paths:
    """The corpus and one more PubMed page whose title and a reference's title are markup."""
    shutil.copytree(CORPUS, folder / "corpus")
    text = (CORPUS / "documents" / "rigby-2014-case-series-pubmed-page.txt").read_text()
    assert text.count(RIGBY_TITLE) == 2 and QUSHMAQ in text
    text = (text.replace(RIGBY_TITLE, HOSTILE_TITLE)
            .replace("doi: 10.1002/rcr2.52.", "doi: 10.1000/hostile.1.")
            .replace("Amy L Rigby et al.", "Eve X Mallory et al.")
            .replace(QUSHMAQ, f"Quill KA, Chalmers A, Esdaile JM. Cyclosporin A in {HOSTILE_REFERENCE}"
                              " refractory adult polymyositis."))
    (folder / "corpus" / "documents" / "hostile-pubmed-page.txt").write_text(text)
    return Paths(corpus=folder / "corpus", ontology=ONTOLOGY, out=folder / "build")


def test_markup_in_titles_is_shown_as_text_and_never_runs(browser: object, tmp_path: Path) -> None:
    paths = hostile_corpus(tmp_path)
    report = build(paths)
    assert (report.works, report.citations) == (65, 79)
    page = paths.out / "views" / "citations.html"
    html = page.read_text()
    assert "<script>window.__pwned" not in html
    assert "<b>bold</b>" not in html
    assert "</script> refractory" not in html
    hostile, quill = W + "doi/10.1000/hostile.1", W + "quill-2000-27-2855"
    with open_view(browser, page) as view:
        settle(view)
        assert view.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]") \
            == [65, 79]
        assert view.evaluate(f"nodes.get('{hostile}').meta.heading") == HOSTILE_TITLE

        assert HOSTILE_TITLE in hover_node(view, hostile)
        click_node(view, hostile)
        assert view.evaluate("network.getSelectedNodes()") == [hostile]
        assert view.page.text_content("#details h2") == HOSTILE_TITLE
        assert "<script>" in view.page.text_content("#details")

        assert HOSTILE_REFERENCE in hover_node(view, quill)
        click_node(view, quill)
        assert HOSTILE_REFERENCE in view.page.text_content("#details")

        assert view.evaluate("typeof window.__pwned") == "undefined"
        assert view.evaluate("""[document.scripts.length, document.images.length,
            document.querySelectorAll("#details *:not(h2, dl, dt, dd, p, a)").length,
            document.querySelectorAll(".vis-tooltip *:not(div, b)").length]""") == [5, 0, 0, 0]
        # the five are the page's own: vis-network, dom.js, chains.js, contexts.js, view.js
        assert view.problems() == []


# ------------------------------------------------------------------------------------- budget


def synthetic_citations(n: int = 3000, seed: int = 11) -> nx.DiGraph:
    """``n`` works, each citing 1-6 earlier ones by preferential attachment (a skewed in-degree)."""
    rng = random.Random(seed)
    designs = ["systematic review", "retrospective cohort study", "case series", "case report",
               "news report"]
    graph, pool = nx.DiGraph(), []
    for i in range(n):
        work, corpus = f"https://example.org/work/{i}", i >= n - len(designs)
        graph.add_node(work, title=f"Synthetic work {i}", year=str(1950 + 70 * i // n),
                       first=f"Author{i}", doi=f"10.9999/syn.{i}", pmid=str(100000 + i),
                       corpus=corpus, **({"design": designs[i - n + 5]} if corpus else {}))
        for _ in range(rng.randint(1, 6) if pool else 0):
            cited = rng.choice(pool)
            graph.add_edge(work, cited)
            pool.append(cited)
        pool.append(work)
    return graph


def test_a_large_citation_graph_is_cut_to_its_budget_and_loads_fast(
    browser: object, tmp_path: Path
) -> None:
    graph = synthetic_citations()
    in_degrees = sorted((d for _n, d in graph.in_degree()), reverse=True)
    assert in_degrees[0] > 50 * (graph.number_of_edges() / graph.number_of_nodes())  # skewed
    keep = set(select_nodes(graph, pagerank(graph), 500))
    expected_edges = sum(1 for a, b in graph.edges if a in keep and b in keep)
    page, net = citation_page(graph, budget=500)
    works = [n for n in net.nodes if n["meta"]["kind"] == "work"]
    groups = [n for n in net.nodes if n["meta"]["kind"] == "group"]
    assert {n["id"] for n in works} == keep
    assert len([e for e in net.edges if e["meta"]["kind"] == "citation"]) == expected_edges
    # the 2,500 works left out are drawn as groups (citation communities), each counted once
    assert 1 < len(groups) <= GROUP_LIMIT
    assert sum(int(dict(g["meta"]["lines"])["Works"]) for g in groups) == 2500
    out = write(render(page, net), tmp_path / "big.html")
    started = time.monotonic()
    with open_view(browser, out) as view:
        settle(view, timeout=20)
        elapsed = time.monotonic() - started
        assert elapsed < 20
        assert view.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]") \
            == [len(net.nodes), len(net.edges)]
        assert view.page.text_content("#note") == (
            "Showing the 500 most central of 3000 works (corpus documents and the highest "
            f"PageRank); the 2500 others are drawn as {len(groups)} groups by citation community, "
            "each arrow to or from a group counting its citations.")
        corpus = {n for n, a in graph.nodes(data=True) if a["corpus"]}
        assert corpus <= set(view.evaluate("nodes.getIds()"))


def test_a_corpus_larger_than_the_budget_is_cut_too() -> None:
    """A corpus of thousands of records must not be drawn whole: its most central come first."""
    graph = synthetic_citations(n=400)
    for node in graph:
        graph.nodes[node]["corpus"] = True
    rank = pagerank(graph)
    keep = select_nodes(graph, rank, 50)
    assert len(keep) == 50
    assert min(rank[n] for n in keep) >= max(rank[n] for n in graph if n not in keep)


def test_the_entity_view_keeps_every_concept_and_a_share_of_findings_past_its_budget() -> None:
    """Thousands of findings: each concept keeps its best-connected ones, the rest are counted."""
    types = {f"c{i}": "Drug" for i in range(20)}
    edges = []
    for f in range(3000):
        finding, population = f"f{f:04d}", f"p{f:04d}"
        types[finding], types[population] = "Finding", "Population"
        edges += [(finding, "drug", f"c{f % 20}"), (finding, "population", population)]
    kept, left_out = within_budget(sorted(edges), types, budget=500)
    nodes = {n for s, _p, o in kept for n in (s, o)}
    assert len(nodes) <= 500 and left_out == len(types) - len(nodes)
    assert {f"c{i}" for i in range(20)} <= nodes
    per_concept = Counter(o for s, p, o in kept if p == "drug")
    assert len(set(per_concept.values())) == 1  # an equal share each
    assert all(f"p{s[1:]}" in nodes for s, p, _o in kept if p == "drug")  # with its population
    assert within_budget(sorted(edges)[:100], types, budget=500) == (sorted(edges)[:100], 0)


def _chosen_by_sets(edges: list[tuple[str, str, str]], types: dict[str, str], budget: int
                    ) -> tuple[list[tuple[str, str, str]], int]:
    """The entity view's budget as its docstring says it, over sets, edge by edge."""
    degree = Counter(n for s, _p, o in edges for n in (s, o))
    if len(degree) <= budget:
        return edges, 0
    kept = {n for n in degree if types[n] not in ("Finding", "Population", "Study")}
    findings = {n for n in degree if types[n] == "Finding"}
    under: dict[str, set[str]] = {}
    for s, _p, o in edges:
        if s in findings and o in kept:
            under.setdefault(o, set()).add(s)
    share = max(1, (budget - len(kept)) // (3 * max(len(under), 1)))
    for found in under.values():
        kept.update(sorted(found, key=lambda f: (-degree[f], f))[:share])
    for s, _p, o in edges:  # in order: a finding kept on the way brings its own
        if s in kept and s in findings:
            kept.add(o)
    return [e for e in edges if e[0] in kept and e[2] in kept], len(degree) - len(kept)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_entity_views_choice_over_arrays_is_the_choice_edge_by_edge(seed: int) -> None:
    """Findings under several concepts with ties in their degrees, populations nested, and
    (seed 3) findings that point at findings: the same edges kept, the same count left out."""
    rng = random.Random(seed)
    types = {f"c{i}": rng.choice(["Drug", "Outcome", "Autoantibody"]) for i in range(12)}
    edges, made = set(), []
    for f in range(400):
        finding = f"f{rng.randrange(10**6):06d}"
        types[finding] = "Finding"
        made.append(finding)
        for concept in rng.sample(range(12), rng.randint(1, 3)):
            edges.add((finding, "drug", f"c{concept}"))
        population, study = f"p{rng.randrange(300)}", f"s{rng.randrange(60)}"
        types[population], types[study] = "Population", "Study"
        edges |= {(finding, "population", population), (finding, "study", study),
                  (population, "subsetOf", f"p{rng.randrange(300)}")}
        if seed == 3 and f % 7 == 0:
            edges.add((finding, "broader", rng.choice(made)))
    for _s, _p, o in edges:
        types.setdefault(o, "Finding" if o.startswith("f") else "Population")
    ordered_edges = sorted(edges)
    rng.shuffle(ordered_edges)
    for budget in (30, 200, 700, 5000):
        assert within_budget(ordered_edges, types, budget) == _chosen_by_sets(
            ordered_edges, types, budget)


def test_the_entity_views_type_query_names_the_nodes_its_detail_query_does(built: Paths) -> None:
    """The budget is spent on every node's type; the details are then read for the drawn ones,
    so the two queries must name the same nodes with the same types."""
    target = EmbeddedStore(built.out / "store")
    types = {(r["node"]["value"], r["type"]["value"]) for r in target.stream(TYPES, "t")}
    details = {(r["node"]["value"], r["type"]["value"]) for r in target.stream(NODES, "n")}
    assert types == details
    assert {t for _, t in types} >= {"Finding", "Population", "Study", "Drug", "Autoantibody"}


def test_the_views_that_read_the_same_rows_ask_the_store_once(built: Paths) -> None:
    """The evidence view and the gap map both read every outcome finding and the concepts'
    labels: drawn together (as the build draws them), each such query is asked once, and every
    page is the page its view draws alone from the store."""
    store = EmbeddedStore(built.out / "store")
    asked: Counter[str] = Counter()

    class Counted:
        def select(self, query: str, source: str, timeout: float | None = None) -> Any:
            asked[query] += 1
            return store.select(query, source, timeout)

        def stream(self, query: str, source: str) -> Any:
            asked[query] += 1
            return store.stream(query, source)

    shared = Shared(Counted(), [q for view in ALL_VIEWS.all() for q in set(view.reads)])
    together = {view.name: render(*view.draw(shared, {}, Unresolved()))
                for view in ALL_VIEWS.all()}
    assert asked[FINDINGS] == asked[LABELS] == 1 and not shared.kept
    alone = {view.name: render(*view.draw(store, {}, Unresolved())) for view in ALL_VIEWS.all()}
    assert together == alone


def test_a_finding_without_its_quote_is_neither_chosen_nor_drawn_in_the_evidence_view() -> None:
    """A number is shown only with its source, and one that cannot be drawn takes no budget."""
    findings = "\n".join(
        f"""ex:f{n} a maild:Finding ; maild:findingKind "outcome" ; maild:intervention ex:i ;
            maild:outcome ex:fvc ; maild:population ex:pop ; maild:direction "improved" ;
            maild:study ex:study{n} ; maild:reportedIn ex:study{n} ; maild:responders {n} ;
            maild:total 20 {quote} .
        ex:study{n} dcterms:title "Study {n}" ; maild:studyDesign ex:rct ."""
        for n, quote in ((17, "; maild:quote ex:q"), (18, "")))
    store = ox.Store()
    store.load(f"""@prefix ex: <{BASE}> . @prefix maild: <https://w3id.org/ma-ild/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix oa: <http://www.w3.org/ns/oa#> .
        ex:i maild:drug ex:tacrolimus ; maild:role "studied" . ex:tacrolimus skos:prefLabel "tacrolimus" .
        ex:fvc skos:prefLabel "FVC" . ex:pop rdfs:label "anti-Jo-1 positive" .
        ex:rct skos:prefLabel "RCT" ; maild:evidenceLevel 2 .
        ex:q oa:hasSelector [ oa:exact "17 of 20 improved" ] .
        {findings}""".encode(), ox.RdfFormat.TURTLE)
    target = MemoryStore(store)
    assert {r["finding"]["value"] for r in target.stream(FINDINGS, "f")} == {f"{BASE}f17"}
    page, net = evidence_page(target, budget=3)
    (finding,) = [e for e in net.edges if not e.get("dashes")]
    assert finding["label"] == "17/20" and page.note is None
    assert dict(finding["meta"]["lines"])["Quote"] == "17 of 20 improved"


def test_a_finding_without_its_quote_is_not_drawn_in_the_entity_view() -> None:
    """As in the evidence view, a number is shown only with its source."""
    m, oa = "https://w3id.org/ma-ild/ontology#", "http://www.w3.org/ns/oa#"
    triples = [f"<{BASE}f1> a <{m}Finding> ; <{m}findingKind> \"outcome\" ; "
               f"<{m}direction> \"improved\" ; <{m}quote> <{BASE}q1> .",
               f"<{BASE}q1> <{oa}hasSelector> <{BASE}s1> . <{BASE}s1> <{oa}exact> \"18 of 20\" .",
               f"<{BASE}f2> a <{m}Finding> ; <{m}findingKind> \"outcome\" ; "
               f"<{m}direction> \"improved\" ."]
    store = ox.Store()
    store.load("\n".join(triples).encode(), ox.RdfFormat.TURTLE)
    target = MemoryStore(store)
    assert [r["node"]["value"] for r in target.stream(TYPES, "t")] == [f"{BASE}f1"]
    (row,) = target.stream(NODES, "n")
    (quoted,) = target.stream(QUOTES, "q")
    assert row["node"] == quoted["node"] and row["node"]["value"] == f"{BASE}f1"
    assert quoted["quote"]["value"] == "18 of 20"


def evidence_rows(studies: int = 1000, seed: int = 5) -> list[dict[str, str]]:
    """Three findings a study, each of one of 20 drugs, the studies of levels 1-5."""
    rng = random.Random(seed)
    rows = []
    for study in range(studies):
        level = str(rng.randint(1, 5))
        for nth in range(3):
            rows.append({"study": f"s{study:04d}", "level": level, "design": f"design {level}",
                         "finding": f"f{study:04d}-{nth}", "drug": f"d{rng.randrange(20)}",
                         "outcome": f"o{nth}", "antibodies": f"a{study % 4}"})
    return rows


def test_the_evidence_view_draws_the_best_studies_past_its_budget() -> None:
    """Thousands of findings: the studies of the best evidence fill the budget, the rest counted."""
    rows = evidence_rows()
    kept, left_studies, left_findings = evidence_budget(rows, budget=200)
    studies = {r["study"] for r in kept}
    concepts = {n for r in kept for n in (r["drug"], r["outcome"], r["antibodies"])}
    assert len(studies) + len(concepts) == 200
    assert (left_studies, left_findings) == (1000 - len(studies), 3 * (1000 - len(studies)))
    worst_kept = max(int(r["level"]) for r in kept)
    assert all(int(r["level"]) >= worst_kept for r in rows if r["study"] not in studies)
    assert all(len([r for r in kept if r["study"] == s]) == 3 for s in studies)  # whole studies
    assert evidence_budget(rows[:300], budget=200) == (rows[:300], 0, 0)


def test_the_evidence_budget_counts_only_the_concepts_drawn_studies_use() -> None:
    """A weak study naming 60 drugs nobody else names costs the budget nothing when left out."""
    rows = [{"study": f"s{i:03d}", "level": "1", "design": "rct", "finding": f"f{i}",
             "drug": "d0", "outcome": "o0"} for i in range(300)]
    rows += [{"study": "zz", "level": "5", "design": "case report", "finding": f"rare{j}",
              "drug": f"rare-drug{j}", "outcome": "o0"} for j in range(60)]
    kept, left_studies, left_findings = evidence_budget(rows, budget=200)
    assert {r["drug"] for r in kept} == {"d0"}
    assert len({r["study"] for r in kept}) == 198  # 200 nodes: d0, o0 and 198 studies
    assert (left_studies, left_findings) == (103, 162)


def test_a_filtered_evidence_view_draws_the_matching_studies_first() -> None:
    """Opened on one drug, the view draws that drug's findings even from weaker studies."""
    rows = evidence_rows()
    kept, _studies, _findings = evidence_budget(rows, budget=200, wanted={"drug": "d7"})
    wanted = {r["study"] for r in rows if r["drug"] == "d7"}
    assert len(wanted) < 200 - 25 and wanted <= {r["study"] for r in kept}


def test_the_evidence_page_says_what_it_left_out(built: Paths, pages: dict[str, tuple]) -> None:
    page, net = evidence_page(EmbeddedStore(built.out / "store"), budget=20)

    def findings(net: Any) -> set[str]:
        """The findings drawn: an arrow's id starts with its finding (a study's with the study)."""
        return {e["id"].split()[0] for e in net.edges if "/finding/" in e["id"].split()[0]}

    studies = [n for n in net.nodes if n["shape"] == "diamond"]
    everything = len(findings(pages["evidence"][1]))
    assert 0 < len(studies) < 4 and len(net.nodes) <= 20
    assert page.note == (
        f"Showing the findings of {len(studies)} of 4 studies (the best level of evidence, then "
        "the most findings, passing over a study whose drugs, outcomes and antibodies would not "
        f"fit); {everything - len(findings(net))} findings of {4 - len(studies)} "
        "studies left out; ma-ild query drug-outcomes --param drug=DRUG lists every one of a "
        "drug's findings, whatever its study's design.")


def test_an_arrow_of_a_drug_the_finding_is_not_about_says_its_role(
    pages: dict[str, tuple]
) -> None:
    """The review's glucocorticoid was background therapy: its arrows say so, tacrolimus's not."""
    _page, net = pages["evidence"]
    arrows = [e for e in net.edges if not e.get("dashes")
              and "ge-2015-systematic-review" in e["id"]]
    background = [e for e in arrows if e["id"].endswith("/glucocorticoid")]
    studied = [e for e in arrows if e["id"].endswith("/tacrolimus")]
    assert len(background) == len(studied) == 10
    assert all(e["label"].startswith("background") for e in background)
    assert all(dict(e["meta"]["lines"])["Role"] == "background" for e in background)
    assert not any(e["label"].startswith(("add-on", "studied")) for e in studied)


def test_the_entity_view_of_anti_mda5_never_walks_through_did_not_test_for(
    browser: object, built: Paths, pages: dict[str, tuple], tmp_path: Path
) -> None:
    """The cohort did not test for anti-MDA5: the edge is shown, its 132 findings are not."""
    mda5 = V + "anti-mda5"
    _page, net = pages["entity"]
    types = {n["id"]: n["meta"]["kind"] for n in net.nodes}
    [negative] = [e for e in net.edges if e.get("negative")]
    assert (negative["from"], negative["to"], negative["label"]) == (COHORT, mda5, "did not test for")
    around = neighbourhood(net, mda5, 2)
    assert COHORT in around[0]
    assert not [n for n in around[0] if types[n] in ("Finding", "Population")]
    out = tmp_path / "mda5.html"
    assert main(["view", "entity", "--entity", "MDA5", "--depth", "2", "--out", str(out),
                 "--store", str(built.out / "store"), "--ontology", str(ONTOLOGY)]) == 0
    with open_view(browser, out) as view:
        settle(view)
        assert visible(view) == around
        assert view.problems() == []


# ------------------------------------------------------------- readable at five documents (#25)

LABEL_BOXES = """() => {
    // every label vis-network draws now, as a box in screen pixels, with its font size in px
    const scale = network.getScale(), boxes = [];
    const add = (item, kind, id) => {
        const label = item.labelModule, size = label.size, px = label.fontOptions.size * scale;
        if (item.options.hidden || !label.elementOptions.label || !size.width
            || px < label.elementOptions.scaling.label.drawThreshold - 1) { return; }
        const a = network.canvasToDOM({x: size.left, y: size.top});
        const b = network.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
        boxes.push({kind, id, px, left: a.x, top: a.y, right: b.x, bottom: b.y});
    };
    for (const [id, n] of Object.entries(network.body.nodes)) { if (nodes.get(id)) add(n, "node", id); }
    for (const [id, e] of Object.entries(network.body.edges)) { if (edges.get(id)) add(e, "edge", id); }
    return boxes;
}"""
NODE_BOXES = """() => nodes.get({filter: n => !n.hidden}).map(n => {
    const b = network.getBoundingBox(n.id);  // the shape and its label
    return {id: n.id, left: b.left, top: b.top, right: b.right, bottom: b.bottom}; })"""
DRAWN_STYLES = """() => [
    Object.entries(network.body.nodes).filter(([id, n]) => nodes.get(id) && !n.options.hidden)
        .map(([id, n]) => [id, n.options.shape, n.options.color.background, n.options.font.color]),
    Object.entries(network.body.edges).filter(([id, e]) => edges.get(id) && !e.options.hidden)
        .map(([id, e]) => [e.options.color.color, !!e.options.dashes]),
    Array.from(document.querySelectorAll("#legend .swatch"), s => [s.className.replace("swatch ", ""),
        s.style.getPropertyValue("--swatch").trim()])]"""
LEGIBLE_PX = 11


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The pairs of label boxes that share any area."""
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"]]


SCREENS = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", VIEWS)
def test_at_the_first_fit_every_label_is_legible_and_clear_and_the_legend_is_what_is_drawn(
    browser: object, built: Paths, name: str, screen: str
) -> None:
    """No label on another, none under 11 px, text at WCAG AA contrast, and one legend entry for
    each shape and colour drawn (node shapes as drawn, dashed lines dashed); on a desktop and on
    a 390 px phone (where the drawing fits the width and the page scrolls down)."""
    width, height = SCREENS[screen]
    with open_view(browser, built.out / "views" / f"{name}.html", width, height) as view:
        settle(view)
        boxes = view.evaluate(LABEL_BOXES)
        shown = view.evaluate("nodes.get({filter: n => !n.hidden}).length")
        assert len([b for b in boxes if b["kind"] == "node"]) == shown  # every node's label
        assert [b for b in boxes if b["kind"] == "edge"] == []  # edge labels wait for a hover
        assert overlapping(boxes) == []
        assert overlapping(view.evaluate(NODE_BOXES)) == []  # nor a node on another
        assert min(b["px"] for b in boxes) >= LEGIBLE_PX
        drawn_nodes, drawn_edges, legend = view.evaluate(DRAWN_STYLES)
        for node, shape, fill, text in drawn_nodes:
            behind = fill if shape in INSIDE_LABEL else "#FFFFFF"
            assert contrast(text, behind) >= AA, (node, shape, fill, text)
        swatches = {(shape, colour.upper()) for shape, colour in legend}
        drawn = ({(shape, fill.upper()) for _n, shape, fill, _t in drawn_nodes}
                 | {("line dashed" if dashed else "line", colour.upper())
                    for colour, dashed in drawn_edges})
        if name == "entity":  # one neighbourhood is drawn; the legend covers every one
            assert drawn <= swatches
        else:
            assert drawn == swatches
        assert view.problems() == []


def test_an_evidence_arrow_shows_its_numbers_on_hover_and_while_selected(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    _page, net = pages["evidence"]
    [edge] = [e for e in net.edges if e["label"] == "35.1\u219212.4 (-65%) p=0.002"]
    with open_view(browser, built.out / "views" / "evidence.html") as view:
        settle(view)
        point = view.evaluate("""(id) => {
            const r = document.querySelector("#mynetwork canvas").getBoundingClientRect();
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
                const p = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(t));
                if (network.getNodeAt(p) === undefined && network.getEdgeAt(p) === id) {
                    return [r.left + p.x, r.top + p.y];
                }
            }
            return null;
        }""", edge["id"])
        assert point is not None
        view.page.mouse.move(*point)
        time.sleep(0.3)
        labels = [b for b in view.evaluate(LABEL_BOXES) if b["kind"] == "edge"]
        assert [b["id"] for b in labels] == [edge["id"]]
        assert labels[0]["px"] >= 12
        view.page.mouse.click(*point)
        [selected] = view.evaluate("network.getSelectedEdges()")  # of the arrows at that point
        view.page.mouse.move(3, 3)  # off the canvas: no arrow hovered
        time.sleep(0.3)
        assert [b["id"] for b in view.evaluate(LABEL_BOXES) if b["kind"] == "edge"] == [selected]
        assert view.problems() == []


def test_the_entity_view_opens_one_step_out_with_its_entity_outlined_and_selected(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    page, net = pages["entity"]
    start = page.initial["focus"]["entity"]
    assert page.initial["focus"]["depth"] == 1
    with open_view(browser, built.out / "views" / "entity.html") as view:
        settle(view)
        assert visible(view) == neighbourhood(net, start, 1)
        widths = view.evaluate("""() => Object.fromEntries(nodes.get({filter: n => !n.hidden})
            .map(n => [n.id, network.body.nodes[n.id].options.borderWidth]))""")
        assert widths.pop(start) > max(widths.values())
        assert view.evaluate("network.getSelectedNodes()") == [start]
        label = next(n["meta"]["heading"] for n in net.nodes if n["id"] == start)
        assert view.page.text_content("#details h2") == label
        assert view.evaluate("document.getElementById('focus-depth').value") == "1"


def test_quotes_read_as_text_latex_math_written_out_and_entities_decoded_once(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    quotes = [value for name in ("evidence", "entity") for item in pages[name][1].edges
              + pages[name][1].nodes for key, value in item["meta"]["lines"] if key == "Quote"]
    assert len(quotes) > 50
    assert not [q for q in quotes if "$" in q or "\\text" in q or "\\pm" in q or "&lt;" in q]
    _page, net = pages["evidence"]
    mmf = [e for e in net.edges
           if "2166.7 mg \u00b1 288.7 mg" in dict(e["meta"]["lines"]).get("Quote", "")]
    assert mmf
    with open_view(browser, built.out / "views" / "evidence.html") as view:
        settle(view)
        view.evaluate("(id) => maild.select([], [id])", mmf[0]["id"])
        assert "2166.7 mg \u00b1 288.7 mg" in view.page.text_content("#details")


# --------------------------------------------------------- what people expect of such tools (#25)


def test_the_citation_view_places_works_by_year_and_can_lay_them_out_by_citations(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    _page, net = pages["citations"]
    years = {n["id"]: n["year"] for n in net.nodes if n["year"]}
    assert len(years) >= 60
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        x = view.evaluate("Object.fromEntries(Object.entries(network.getPositions())"
                          ".map(([id, p]) => [id, p.x]))")
        by_year = sorted(years, key=lambda w: years[w])
        for earlier, later in pairwise(by_year):
            assert (x[earlier] < x[later]) if years[earlier] < years[later] \
                else x[earlier] == x[later]
        view.page.select_option("#layout", value="network")
        settle(view)
        assert view.evaluate("location.hash") == "#layout=network"
        after = view.evaluate("Object.fromEntries(Object.entries(network.getPositions())"
                              ".map(([id, p]) => [id, p.x]))")
        assert sum(1 for w in x if after[w] != x[w]) > 50  # forces moved the works
        assert view.problems() == []


def test_in_every_layout_of_the_citation_view_no_label_lies_on_another(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        layouts = view.evaluate("Array.from(document.querySelectorAll('#layout option'), "
                                "o => o.value)")
        assert layouts == ["year", "network"]
        for layout in layouts:
            view.page.select_option("#layout", value=layout)
            settle(view)
            boxes = view.evaluate(LABEL_BOXES)
            assert len(boxes) == view.evaluate("nodes.get().length"), layout  # every label drawn
            assert overlapping(boxes) == [], layout
            assert overlapping(view.evaluate(NODE_BOXES)) == [], layout
        assert view.problems() == []


def rows(view: View, column: int = 0) -> list[str]:
    return view.evaluate(f"""Array.from(document.querySelectorAll("#list-table tbody tr"),
        tr => tr.children[{column}].textContent)""")


def test_the_list_beside_the_graph_sorts_and_keeps_in_step_with_the_selection(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        assert len(rows(view)) == 63
        view.page.click("#list-table th button[data-key=year]")
        years = [y for y in rows(view, 1) if y]
        assert years == sorted(years) and rows(view, 1)[-1] == ""  # no year: last
        view.page.click("#list-table th button[data-key=year]")
        assert [y for y in rows(view, 1) if y] == sorted(years, reverse=True)
        view.page.click(f"#list-table tr[data-id='{REVIEW}']")
        assert view.evaluate("network.getSelectedNodes()") == [REVIEW]
        assert view.page.text_content("#details h2").startswith("The efficacy of tacrolimus")
        click_node(view, COHORT)
        assert view.evaluate("""Array.from(document.querySelectorAll(
            "#list-table tr[aria-selected=true]"), tr => tr.dataset.id)""") == [COHORT]
        view.page.select_option("#lineage-work", value=REVIEW)
        view.page.click("#lineage-go")
        assert set(view.evaluate("Array.from(document.querySelectorAll('#list-table tbody tr'),"
                                 " tr => tr.dataset.id)")) == {COHORT, REVIEW, NEWS}
        drawn_nodes, _edges, _legend = view.evaluate(DRAWN_STYLES)  # highlighted and faded alike
        assert min(contrast(text, fill if shape in INSIDE_LABEL else "#FFFFFF")
                   for _n, shape, fill, text in drawn_nodes) >= AA
        assert view.problems() == []


def download(view: View, button: str) -> bytes:
    with view.page.expect_download() as event:
        view.page.click(button)
    return Path(event.value.path()).read_bytes()


def test_a_selection_exports_as_csv_ris_and_png(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    titles = {n["id"]: n["meta"]["heading"] for n in pages["citations"][1].nodes}
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        view.page.fill("#search", "Ge 2015")
        view.page.click("#search-go")
        csv = download(view, "#export-csv").decode()
        assert csv.splitlines() == [
            "Work,Year,Cited by,Design,Title,IRI",
            f"Ge 2015,2015,1,systematic review,{titles[REVIEW]},{REVIEW}",
            f"Ge 2015,2015,1,,{titles[W + 'ge-2015-34-99']},{W}ge-2015-34-99"]
        ris = download(view, "#export-ris").decode()
        assert ris.count("TY  - JOUR") == ris.count("ER  - ") == 2
        assert f"UR  - {REVIEW}" in ris and "PY  - 2015" in ris
        assert download(view, "#export-png")[:8] == b"\x89PNG\r\n\x1a\n"
        assert view.problems() == []


def reopen(browser: object, view: View) -> Any:
    return open_view(browser, view.evaluate("location.href"))  # type: ignore[arg-type]


def test_the_view_state_in_the_url_reopens_the_page_as_it_was(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        view.page.select_option("#lineage-work", value=REVIEW)
        view.page.fill("#lineage-depth", "2")
        view.page.click("#lineage-go")
        view.page.fill("#search", "Bohan 1975")
        view.page.click("#search-go")
        was = view.evaluate("[maild.state.highlighted, network.getSelectedNodes()]")
        with reopen(browser, view) as again:
            settle(again)
            assert again.evaluate("[maild.state.highlighted, network.getSelectedNodes()]") == was
            assert again.evaluate("document.getElementById('search').value") == "Bohan 1975"
    with open_view(browser, built.out / "views" / "evidence.html") as view:
        settle(view)
        view.page.select_option("#filter-drug", value=TACROLIMUS)
        shown = visible(view)
        csv = view.evaluate("maild.exportCSV()").splitlines()  # the findings listed, one a line
        assert csv[0] == "Drug,Outcome,Result,Patients,Direction,Level,Study,IRI"
        assert len(csv) - 1 == len(rows(view)) == len([e for e in shown[1] if " studied " not in e
                                                       and e.endswith(TACROLIMUS)])
        with reopen(browser, view) as again:
            settle(again)
            assert visible(again) == shown
    with open_view(browser, built.out / "views" / "entity.html") as view:
        settle(view)
        view.page.select_option("#focus-entity", value=JO1)
        view.page.click("#focus-go")
        shown = visible(view)
        with reopen(browser, view) as again:
            settle(again)
            assert visible(again) == shown
            assert again.evaluate("network.getSelectedNodes()") == [JO1]


def test_search_finds_works_by_author_and_year_doi_pmid_and_title_and_nothing_clears(
    browser: object, built: Paths, tmp_path: Path
) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        for given, expected in [
            ("Ge 2015", [REVIEW, W + "ge-2015-34-99"]),
            ("Sharma", [COHORT]),
            ("10.3899/jrheum.161217", [COHORT]),
            ("tacrolimus rescue", [W + "rigby-2014-2-70"]),
        ]:
            view.page.fill("#search", given)
            view.page.click("#search-go")
            assert view.evaluate("network.getSelectedNodes()") == expected, given
        assert len(view.evaluate("maild.search('Bohan')")) == 2
        view.page.fill("#search", "no such work anywhere")
        view.page.click("#search-go")
        assert view.evaluate("network.getSelectedNodes()") == []
        assert view.page.text_content("#status") == "nothing matches"
        assert view.page.text_content("#details") == "Click a node or an edge for its details."
    graph = synthetic_citations(n=40)
    out = write(render(*citation_page(graph)), tmp_path / "pmid.html")
    with open_view(browser, out) as view:
        settle(view)
        assert view.evaluate("maild.search('PMID: 100017')") == ["https://example.org/work/17"]


def test_the_canvas_takes_focus_and_the_arrow_keys_walk_the_nodes(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        view.page.focus("#search")
        for _ in range(30):  # Tab through the controls to the graph
            view.page.keyboard.press("Tab")
            if view.evaluate("document.activeElement.id") == "mynetwork":
                break
        assert view.evaluate("document.activeElement.id") == "mynetwork"
        view.page.keyboard.press("ArrowRight")
        first = view.evaluate("maild.state.cursor")
        view.page.keyboard.press("ArrowRight")
        second = view.evaluate("maild.state.cursor")
        positions = view.evaluate("network.getPositions()")
        assert first and second and positions[second]["x"] > positions[first]["x"]
        view.page.keyboard.press("Enter")
        assert view.evaluate("network.getSelectedNodes()") == [second]
        heading = view.evaluate("(id) => nodes.get(id).meta.heading", second)
        assert view.page.text_content("#details h2") == heading
        assert view.problems() == []


@pytest.mark.parametrize("name", VIEWS)
def test_on_a_phone_the_graph_fills_the_width_and_the_panel_comes_below(
    browser: object, built: Paths, name: str
) -> None:
    with open_view(browser, built.out / "views" / f"{name}.html", width=390, height=844) as view:
        settle(view)
        graph, side = view.evaluate("""() => ["mynetwork", "side"].map(id => {
            const r = document.getElementById(id).getBoundingClientRect();
            return {left: r.left, width: r.width, top: r.top, bottom: r.bottom}; })""")
        assert graph["left"] == 0 and graph["width"] >= 385 and graph["bottom"] - graph["top"] > 300
        assert side["top"] >= graph["bottom"] and side["width"] >= 385
        assert view.evaluate("document.documentElement.scrollWidth") <= 390
        assert overlapping(view.evaluate(LABEL_BOXES)) == []
        # the drawing, as tall as it needs, lets a finger or a wheel scroll the page
        assert view.evaluate("""[getComputedStyle(document.querySelector("#mynetwork canvas"))
            .touchAction, network.interactionHandler.options.dragView,
            network.interactionHandler.options.zoomView]""") == ["pan-y", False, False]


# ------------------------------------------------------------------------- citation contexts

REVIEW_SENTENCE = ("A systematic review supported the benefit of tacrolimus in treating muscle "
                   "weakness, improving serum creatine kinase (CK), and stabilization of "
                   "ILD<sup>17</sup>.")


def test_a_citation_edge_shows_its_sentences_and_intent_on_hover_and_click(
    browser: object, built: Paths
) -> None:
    edge = f"{COHORT} -> {REVIEW}"
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        view.evaluate("(id) => network.focus(network.body.edges[id].fromId, "
                      "{scale: 1.6, animation: false})", edge)
        view.page.mouse.move(0, 0)
        click_edge(view, edge)
        details = view.page.text_content("#details")
        assert "Sentence (introduction; cito:citesAsEvidence)" + REVIEW_SENTENCE in details
        assert "Sentence (discussion; cito:supports)This supports the findings" in details
        # hovering shows a tooltip; on the year axis the arrows from one document run close
        # together, so the one under the pointer is read off the edge itself
        assert wait_until(view.page, """(() => { const t = document.querySelector(".vis-tooltip");
            return t && t.style.visibility === "visible" && t.textContent; })()""", 5)
        tip = view.evaluate("(id) => edges.get(id).title.textContent", edge)
        assert "cito:citesAsEvidence" in tip and REVIEW_SENTENCE in tip
        for part in ("bohan-1975-292-344", "bohan-1975-292-403"):
            lines = dict(view.evaluate(f"edges.get('{COHORT} -> {W}{part}').meta.lines"))
            assert lines["Intent"] == "cito:citesAsAuthority"
            assert "Bohan and Peter criteria<sup>25,26</sup>" in lines[
                "Sentence (methods; cito:citesAsAuthority)"]
        assert view.problems() == []


def test_edges_are_filtered_and_coloured_by_intent_with_a_legend(
    browser: object, built: Paths, pages: dict[str, tuple]
) -> None:
    page, net = pages["citations"]
    authority = {e["id"] for e in net.edges if "citesAsAuthority" in e["meta"]["intents"]}
    assert f"{COHORT} -> {BOHAN_2}" in authority
    assert "cites: authority (criteria, guidelines)" in [i["label"] for i in page.legend]
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        colour = view.evaluate(f"edges.get('{COHORT} -> {BOHAN_2}').color")
        assert colour == next(i["color"] for i in page.legend
                              if i["label"] == "cites: authority (criteria, guidelines)")
        view.page.select_option("#intent-filter", value="citesAsAuthority")
        assert visible(view)[1] == authority
        view.page.click("#reset")
        assert len(visible(view)[1]) == len(net.edges)
        assert view.problems() == []


def test_a_traced_chain_lists_the_sentence_of_each_step(browser: object, built: Paths) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:
        settle(view)
        view.page.select_option("#trace-from", value=COHORT)
        view.page.select_option("#trace-to", value=BOHAN_2)
        view.page.click("#trace-go")
        steps = view.page.eval_on_selector_all(
            "#details ol.chain", "lists => lists.map(l => Array.from(l.children, "
            "li => li.textContent))")
        assert steps[0] == ["Sharma 2017 \u2192 Bohan 1975" + "methods, cito:citesAsAuthority: "
                            "We included patients > 18 years old who were diagnosed with definite "
                            "or probable inflammatory myositis by rheumatologists based on the "
                            "Bohan and Peter criteria<sup>25,26</sup> for DM and PM and the "
                            "Sontheimer criteria for CADM<sup>27,28</sup>."]
        first, second = steps[1]
        assert first.startswith("Sharma 2017 \u2192 Ge 2015introduction, cito:citesAsEvidence: "
                                + REVIEW_SENTENCE)
        assert second == ("Ge 2015 \u2192 Bohan 1975no citing sentence in the graph (the citing "
                          "document has no body text here)")
        assert view.problems() == []


def test_markup_in_a_citing_sentence_is_shown_as_text_and_never_runs(
    browser: object, tmp_path: Path
) -> None:
    graph = nx.DiGraph()
    graph.add_node("https://e.org/a", title="A", year="2020", corpus=True)
    graph.add_node("https://e.org/b", title="B", year="2001")
    graph.add_edge("https://e.org/a", "https://e.org/b")
    hostile = "<img src=x onerror=\"window.__pwned=1\"></script><script>window.__pwned=2</script>"
    said = {("https://e.org/a", "https://e.org/b"): [
        Sentence(0, "methods", "usesMethodIn", "method", f"We used it{hostile}.")]}
    page = write(render(*citation_page(graph, trace=Trace("https://e.org/a", "https://e.org/b"),
                                       sentences=said)), tmp_path / "c.html")
    with open_view(browser, page) as view:
        settle(view)
        assert hostile in view.page.text_content("#details ol.chain")
        view.page.select_option("#intent-filter", value="usesMethodIn")
        assert view.evaluate("[typeof window.__pwned, document.images.length]") == [
            "undefined", 0]
        assert view.problems() == []
