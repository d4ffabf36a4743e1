"""The views on a big synthetic build (issue 25): what is drawn, how big the pages are, and whether
a trace between two works the budget leaves out finds the chains the query finds.

    python benchmarks/view_scale.py --documents 2000 --out /tmp/views-2000

Generates the corpus (``generate_corpus.py``) and builds it without views into ``OUT`` (a build
already there is reused), then draws with the project's own code: the citation view as the
build draws it, the same view tracing between the first two works the budget leaves out that
chains of two lengths join (as ``tests/test_view_scale.py`` picks them), and the gap map. For
each it prints the works drawn, the group nodes, the page's size and the seconds it took, and for
the trace the chains ``ma-ild query citation-chains`` finds beside the works the view drew first.
The page's own chain list is checked in Chromium by the test, on a 2,000-document build of the
same works and citations without abstracts or curation.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx

from graph.build.pipeline import build
from graph.query.endpoints import EmbeddedStore
from graph.query.network import citation_graph, pagerank
from graph.settings import Paths
from graph.views._page import render
from graph.views.citation import Trace, citation_page, select_nodes
from graph.views.gapmap import gapmap_page

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT / "benchmarks"))
from generate_corpus import generate  # noqa: E402  (a script beside this one)


def left_out_pair(graph: nx.DiGraph, budget: int) -> tuple[str, str]:
    """The first two works in IRI order, both left out, joined by chains of two lengths."""
    keep = set(select_nodes(graph, pagerank(graph), budget))
    for source in sorted(n for n in graph if n not in keep):
        for target in sorted(nx.single_source_shortest_path_length(graph, source, cutoff=4)):
            if target not in keep and target != source and len(
                    {len(p) for p in nx.all_simple_paths(graph, source, target, cutoff=4)}) > 1:
                return source, target
    raise SystemExit("no pair of left-out works joined by chains of two lengths")


def measure(name: str, draw: object) -> dict[str, object]:
    started = time.monotonic()
    page, net = draw()  # type: ignore[operator]
    html = render(page, net)
    nodes = net.nodes if net is not None else []
    return {"view": name, "seconds": round(time.monotonic() - started, 1),
            "MB": round(len(html.encode("utf-8")) / 1e6, 2),
            "works drawn": sum(1 for n in nodes if n["meta"]["kind"] == "work"),
            "groups": sum(1 for n in nodes if n["meta"]["kind"] == "group"),
            "note": page.note}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    paths = Paths(corpus=args.out / "corpus", ontology=CHECKOUT / "ontology",
                  out=args.out / "build")
    if not (paths.out / "store").is_dir():
        generate(args.documents, 1, paths.corpus)
        build(paths, check_shapes=False, views=False)
    target = EmbeddedStore(paths.out / "store")
    graph = citation_graph(target)
    source, target_work = left_out_pair(graph, args.budget)
    answer = subprocess.run(
        [sys.executable, "-m", "graph.cli", "query", "citation-chains", "--param",
         f"from={source}", "--param", f"to={target_work}", "--format", "json",
         "--store", str(paths.out / "store"), "--ontology", str(paths.ontology)],
        check=True, capture_output=True, text=True)
    chains = json.loads(answer.stdout)["results"]["bindings"]
    trace = Trace(source=source, target=target_work)
    required = set(trace.required(graph, pagerank(graph)))
    results = {
        "works": graph.number_of_nodes(), "citations": graph.number_of_edges(),
        "trace": {"from": source, "to": target_work,
                  "chains found by the query": sorted(int(c["steps"]["value"]) for c in chains),
                  "works on them": len({source, target_work} | {
                      v["value"] for c in chains for k, v in c.items() if k.startswith("via")}),
                  "works the view draws first": len(required)},
        "pages": [measure("citations", lambda: citation_page(graph, args.budget)),
                  measure("citations, traced", lambda: citation_page(graph, args.budget, trace)),
                  measure("gapmap", lambda: gapmap_page(target))],
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
