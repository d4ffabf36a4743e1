"""The scale benchmark: build time and memory per stage, query latency, store load, by corpus size.

``python benchmarks/run_benchmark.py [--sizes 1000 10000] [--full]`` generates a synthetic corpus
per size (``generate_corpus.py``), builds it in a fresh subprocess that calls the build's stages
in the order ``graph.build.build`` does (with views only on the smallest size), then times every
named query on the built store (the project's path), on rdflib's in-memory Graph (up to
``RDFLIB_LIMIT`` triples) and on a raw in-memory pyoxigraph Store, and writes ``docs/benchmark.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from itertools import chain
from pathlib import Path
from typing import Any

import pyoxigraph as ox

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

RDFLIB_LIMIT = 600_000  # rdflib's default store loads ~76 s per 1M triples; kept short of that
RUNS = 5
VIEWS_LIMIT = 500  # views are timed on the smallest size only, and only up to this size
PARAMS = {"drug": "tacrolimus", "outcome": "ild-response", "antibody": "anti-Jo-1",
          "entity": "tacrolimus"}
TOP_CITED = """PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?work
 (COUNT(?c) AS ?n) WHERE { ?c cito:cites ?work } GROUP BY ?work ORDER BY DESC(?n) LIMIT 1"""
CITING = "PREFIX cito: <http://purl.org/spar/cito/> SELECT ?c WHERE { ?c cito:cites <%s> } LIMIT 1"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stages(corpus: Path, out: Path, views: bool) -> list[dict[str, Any]]:
    """The stages of ``graph.build.build``, in its order, each timed with the peak RSS after it."""
    from rdflib import Graph

    from graph import build as b
    from graph.bibliography import bibliography_triples
    from graph.enrich import load_enrichment
    from graph.evidence_links import EvidenceSummary, evidence_triples, mining_triples
    from graph.mappings import load_mappings, mapping_triples
    from graph.mining import mine
    from graph.serialize import to_graph, write_all
    from graph.store import create_store
    from graph.validate import validate
    from graph.views.write import write_views
    from graph.vocabulary import vocabulary_from_graph
    from graph.works import resolve

    paths = b.Paths(corpus=corpus, ontology=PROJECT_ROOT / "ontology", out=out)
    report = b.BuildReport()
    state: dict[str, Any] = {}
    stages: list[dict[str, Any]] = []

    def stage(name: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = work()
        stages.append({"stage": name, "seconds": time.perf_counter() - start,
                       "peak_rss_mib": _rss_mib()})
        print(f"  {name}: {stages[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
        return result

    def graph_of() -> Graph:
        evidence = EvidenceSummary()
        data = to_graph(chain(
            bibliography_triples(state["resolution"], state["designs"]),
            evidence_triples(state["resolution"], state["curations"], evidence),
            mining_triples(state["resolution"], state["mined"]),
            mapping_triples(state["mappings"]),
        ))
        full = data + state["ontology"]
        for prefix, namespace in data.namespaces():
            full.bind(prefix, namespace)
        return full

    documents = stage("read_corpus", lambda: b.read_corpus(paths.documents, paths.corpus))
    state["ontology"] = stage("load_ontology", lambda: b.load_ontology(paths.ontology))
    vocabulary = vocabulary_from_graph(state["ontology"])
    state["curations"] = stage("load_curations",
                               lambda: b.load_curations(paths, documents, vocabulary))
    documents = stage("unique_works",
                      lambda: b.unique_works(documents, set(state["curations"]), report))
    references, reports = stage("parse_references",
                                lambda: b._parse_all(documents, report, False))
    state["resolution"] = stage("resolve", lambda: resolve(documents, references, reports))
    b._describe(state["resolution"], documents, report)
    state["designs"] = stage("designs+mappings", lambda: {
        d.path: b._design(d, state["curations"], report) for d in documents})
    state["mappings"] = load_mappings(paths.ontology / "mappings", paths.ontology.parent,
                                      vocabulary)
    state["mined"] = stage("mining", lambda: {
        d.path: mine(d, vocabulary, state["curations"].get(d.path)) for d in documents})
    full = stage("to_graph", graph_of)
    stage("validate (pyshacl)", lambda: validate(full, paths.shapes))
    out.mkdir(parents=True, exist_ok=True)
    written = stage("write_all (nt, ttl, jsonld)", lambda: write_all(full, out))
    triples = stage("create_store", lambda: create_store(out / "store", written["ntriples"]))
    stage("load_enrichment", lambda: load_enrichment(out / "store", paths.corpus / "enrichment"))
    target = b.EmbeddedStore(out / "store")
    stage("exports (kgx, graphml)", lambda: b._write_exports(target, out / "exports"))
    if views:
        (out / "views").mkdir(exist_ok=True)
        stage("views", lambda: write_views(target, out / "views"))
    stages.append({"stage": "triples", "seconds": triples, "peak_rss_mib": _rss_mib()})
    return stages


def timed(run: Callable[[], Any], cap_s: float = 5.0) -> dict[str, float]:
    """Median and p95 (nearest rank) of ``RUNS`` runs, in ms; one run only if it took > cap_s."""
    times: list[float] = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
        if times[0] > cap_s * 1000:
            break
    times.sort()
    return {"median": statistics.median(times), "p95": times[-1], "runs": len(times)}


def query_texts(store: ox.Store) -> dict[str, str]:
    """Every named query, its parameters bound to a drug, outcome, antibody and cited works."""
    from graph.build import load_ontology
    from graph.queries import catalog, prepare
    from graph.vocabulary import vocabulary_from_graph

    vocabulary = vocabulary_from_graph(load_ontology(PROJECT_ROOT / "ontology"))
    top = next(iter(store.query(TOP_CITED)))["work"].value
    citing = next(iter(store.query(CITING % top)))["c"].value
    params = {**PARAMS, "work": top, "from": citing, "to": top}
    texts = {}
    for name, query in catalog(PROJECT_ROOT / "queries").items():
        values = {p.name: params[p.name] for p in query.parameters if p.name in params}
        texts[name] = prepare(query, values, vocabulary, lambda piece: [(piece, "")])
    return texts


def measure_queries(out: Path, triples: int) -> dict[str, Any]:
    """Query latencies on the three engines, and the load times of the same graph.nt."""
    from rdflib import Graph

    from graph.endpoints import EmbeddedStore

    nt = out / "graph.nt"
    start = time.perf_counter()
    raw = ox.Store()
    raw.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    loads = {"pyoxigraph in memory bulk_load": time.perf_counter() - start}
    with tempfile.TemporaryDirectory() as disk:
        start = time.perf_counter()
        on_disk = ox.Store(disk)
        on_disk.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        on_disk.flush()
        loads["pyoxigraph on disk bulk_load"] = time.perf_counter() - start
        del on_disk
    texts = query_texts(raw)
    project = EmbeddedStore(out / "store")
    result: dict[str, Any] = {"loads": loads, "queries": {}}
    rdf_graph = None
    if triples <= RDFLIB_LIMIT:
        start = time.perf_counter()
        rdf_graph = Graph()
        rdf_graph.parse(nt, format="nt")
        loads["rdflib Graph parse"] = time.perf_counter() - start
    for name, text in texts.items():
        row = {"project": timed(lambda t=text, n=name: project.select(t, n)),
               "raw": timed(lambda t=text: list(raw.query(t)))}
        if rdf_graph is not None:
            try:
                row["rdflib"] = timed(lambda t=text: list(rdf_graph.query(t)))
            except Exception as exc:  # e.g. GRAPH needs a Dataset in rdflib
                row["rdflib_error"] = str(exc).split(".")[0]
        row["rows"] = len(list(raw.query(text)))
        result["queries"][name] = row
    return result


def machine() -> dict[str, str]:
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    packages = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib", "pyshacl",
                                                        "oxrdflib", "lxml", "biopython"))
    return {"cores": cores, "memory": f"{int(memory.split()[1]) / 1024 ** 2:.1f} GiB",
            "python": platform.python_version(), "platform": platform.platform(),
            "packages": packages}


def benchmark(sizes: list[int], seed: int) -> dict[str, Any]:
    from generate_corpus import generate

    results: dict[str, Any] = {"machine": machine(), "sizes": {}}
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
        try:
            start = time.perf_counter()
            generate(n, seed, folder / "corpus")
            generated = time.perf_counter() - start
            views = n == min(sizes) and n <= VIEWS_LIMIT
            command = [sys.executable, __file__, "--stages", str(folder)] + (
                ["--views"] if views else [])
            start = time.perf_counter()
            child = subprocess.run(command, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - start
            stages = json.loads(child.stdout.splitlines()[-1])
            triples = int(stages.pop()["seconds"])
            entry = {"generate_s": generated, "wall_s": wall, "triples": triples,
                     "stages": stages, "views": views}
            entry.update(measure_queries(folder / "out", triples))
            results["sizes"][str(n)] = entry
            print(f"N={n}: {triples} triples, build {wall:.1f} s", file=sys.stderr)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return results


def _ms(value: dict[str, float] | None) -> str:
    if value is None:
        return "-"
    once = " (1 run)" if value.get("runs", RUNS) == 1 else ""
    return f"{value['median']:.1f} / {value['p95']:.1f}{once}"


def _ratio(a: dict[str, float] | None, b: dict[str, float] | None) -> str:
    return "-" if a is None or b is None or b["median"] == 0 else f"{a['median'] / b['median']:.2f}"


def markdown(results: dict[str, Any], notes: str) -> str:
    """``docs/benchmark.md``: machine, stages x N, loads, query latencies, then ``notes``."""
    m, sizes = results["machine"], results["sizes"]
    ns = list(sizes)
    lines = ["# Scale benchmark", "",
             "Generated by `python benchmarks/run_benchmark.py` (see `benchmarks/README.md`).", "",
             f"Machine: {m['cores']} cores, {m['memory']} memory, Python {m['python']}, "
             f"{m['platform']}; {m['packages']}.", "",
             "## Build, per stage (seconds; peak RSS of the build process after the stage, MiB)",
             "", "| stage | " + " | ".join(f"N={n}" for n in ns) + " |",
             "|---|" + "---|" * len(ns)]
    names = list(dict.fromkeys(s["stage"] for n in ns for s in sizes[n]["stages"]))
    for name in names:
        cells = []
        for n in ns:
            found = [s for s in sizes[n]["stages"] if s["stage"] == name]
            cells.append(f"{found[0]['seconds']:.2f} s ({found[0]['peak_rss_mib']:.0f})"
                         if found else "not run")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for label, key in (("build subprocess, wall", "wall_s"), ("(corpus generation)", "generate_s")):
        lines.append(f"| {label} | " + " | ".join(f"{sizes[n][key]:.1f} s" for n in ns) + " |")
    lines.append("| triples | " + " | ".join(f"{sizes[n]['triples']:,}" for n in ns) + " |")
    lines += ["", "## Loading the same graph.nt (seconds)", "",
              "| load | " + " | ".join(f"N={n}" for n in ns) + " |", "|---|" + "---|" * len(ns)]
    kinds = list(dict.fromkeys(k for n in ns for k in sizes[n]["loads"]))
    create = [next(s["seconds"] for s in sizes[n]["stages"] if s["stage"] == "create_store")
              for n in ns]
    lines.append("| project create_store (on disk) | " + " | ".join(f"{c:.2f}" for c in create)
                 + " |")
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(
            f"{sizes[n]['loads'][kind]:.2f}" if kind in sizes[n]["loads"] else "skipped"
            for n in ns) + " |")
    for n in ns:
        queries = sizes[n]["queries"]
        lines += ["", f"## Query latency at N={n} ({sizes[n]['triples']:,} triples), "
                  f"median / p95 of {RUNS} runs, ms", "",
                  "| query | rows | project (EmbeddedStore) | raw pyoxigraph (memory) | "
                  "rdflib Graph | project / raw | rdflib / project |",
                  "|---|---|---|---|---|---|---|"]
        for name, q in queries.items():
            lines.append(f"| {name} | {q['rows']} | {_ms(q['project'])} | {_ms(q['raw'])} | "
                         f"{'fails' if 'rdflib_error' in q else _ms(q.get('rdflib'))} | "
                         f"{_ratio(q['project'], q['raw'])} | "
                         f"{_ratio(q.get('rdflib'), q['project'])} |")
    return "\n".join(lines) + "\n\n" + notes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--full", action="store_true", help="also N=100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "build" / "benchmark.json")
    parser.add_argument("--markdown", type=Path, default=PROJECT_ROOT / "docs" / "benchmark.md")
    parser.add_argument("--notes", type=Path, help="hand-written findings appended to the page")
    parser.add_argument("--render", type=Path, help="only render --markdown from this JSON")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)  # the child's mode
    parser.add_argument("--views", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages:
        stages = run_stages(args.stages / "corpus", args.stages / "out", args.views)
        print(json.dumps(stages))
        return
    if args.render:
        results = json.loads(args.render.read_text())
        notes = args.notes.read_text() if args.notes and args.notes.exists() else ""
        args.markdown.write_text(markdown(results, notes))
        return
    sizes = sorted(set(args.sizes + ([100_000] if args.full else [])))
    results = benchmark(sizes, args.seed)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    notes = args.notes.read_text() if args.notes and args.notes.exists() else ""
    args.markdown.write_text(markdown(results, notes))
    print(f"wrote {args.json} and {args.markdown}", file=sys.stderr)


if __name__ == "__main__":
    main()
