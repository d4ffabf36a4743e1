"""The scale benchmark: the real build per corpus size, store loads, and query latency per engine.

``python benchmarks/run_benchmark.py [--sizes 100 1000 10000] [--full]`` generates a synthetic
corpus per size (``generate_corpus.py``) and builds it with the project's own command in a fresh
process (``python -m graph.cli build``): the time and peak memory of each stage are the ones the
build itself records in ``build-report.json`` (graph.build.progress), so nothing here re-implements
the build. Then it loads the same ``graph.nt`` into pyoxigraph directly, and times every named
query on five engines: the project's two paths (``graph.query.endpoints.EmbeddedStore`` on the built
store, ``graph.query.endpoints.MemoryStore`` in memory), raw pyoxigraph on the same on-disk store
and in memory (the floors of each), and rdflib's default in-memory ``Graph`` (in a child process,
up to ``RDFLIB_LIMIT`` triples, each query cut at ``RDFLIB_CAP_S``). It writes
``build/benchmark.json``, ``docs/benchmark.md`` and the plot ``docs/benchmark-build-time.svg``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

RDFLIB_LIMIT = 1_500_000  # rdflib's default store needs ~1.5 GiB and ~80 s per 1M triples
RDFLIB_CAP_S = 60  # an rdflib query still running after this is stopped and shown as "> 60 s"
RUNS = 5
LEAST_RUNS = 3  # an Oxigraph engine's runs of a query, however slow (rdflib: one)
BUDGET_S = 60  # past LEAST_RUNS, no new round of runs starts after this (rdflib: RDFLIB_BUDGET_S)
RDFLIB_BUDGET_S = 5
PAIR_CAP_S = 420  # two Oxigraph engines on one query, still going after this, are stopped
QUERY_LIMIT = 20_000_000  # larger graphs are built only: two in-memory copies would not fit
TOP_CITED = """PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?work
 (COUNT(?c) AS ?n) WHERE { ?c cito:cites ?work } GROUP BY ?work ORDER BY DESC(?n) LIMIT 1"""
CITING = "PREFIX cito: <http://purl.org/spar/cito/> SELECT ?c WHERE { ?c cito:cites <%s> } LIMIT 1"
_PATH = re.compile(r"[\w>)][*+](?=[\s?<(])|\{\d*,\d*\}")


def kind(text: str) -> str:
    """The query's class for the rdflib target: path, aggregate or join.

    >>> kind("SELECT ?a WHERE { ?a cito:cites+ ?b }"), kind("SELECT (COUNT(*) AS ?n) {}")
    ('path', 'aggregate')
    """
    if _PATH.search(text):
        return "path"
    return "aggregate" if re.search(r"GROUP BY|COUNT\(", text, re.I) else "join"


def rounds(engines: dict[str, Callable[[], Any]], budget_s: float,
           least: int = 1) -> dict[str, dict[str, Any]]:
    """Each engine's median and p95 (nearest rank) in ms, and the rows of its first answer.

    The engines run in turn in one process, in rounds whose order flips each time (A B, B A,
    ...), so a ratio between them compares runs taken side by side in the same state, neither
    always first. Up to ``RUNS`` rounds, at least ``least``; past those, none starts once
    ``budget_s`` has passed, so a slow query has fewer runs.

    >>> timings = rounds({"a": lambda: [1, 2], "b": lambda: None}, budget_s=10)
    >>> timings["a"]["runs"], timings["a"]["rows"], "rows" in timings["b"]
    (5, 2, False)
    >>> rounds({"slow": lambda: time.sleep(0.02)}, budget_s=0.01, least=2)["slow"]["runs"]
    2
    """
    times: dict[str, list[float]] = {name: [] for name in engines}
    rows: dict[str, int] = {}
    order = list(engines)
    start = time.perf_counter()
    for done in range(1, RUNS + 1):
        for name in order:
            began = time.perf_counter()
            answer = engines[name]()
            times[name].append((time.perf_counter() - began) * 1000)
            if name not in rows and isinstance(answer, list):
                rows[name] = len(answer)
        order.reverse()
        if done >= least and time.perf_counter() - start > budget_s:
            break
    result = {}
    for name, taken in times.items():
        taken.sort()
        p95 = taken[min(len(taken) - 1, round(0.95 * len(taken) + 0.5) - 1)]
        result[name] = {"median": statistics.median(taken), "p95": p95, "runs": len(taken)}
        if name in rows:
            result[name]["rows"] = rows[name]
    return result


def capped(measure: Callable[[], dict[str, Any]], cap_s: float = PAIR_CAP_S) -> dict[str, Any]:
    """``measure()`` in a forked child, stopped after ``cap_s``: pyoxigraph cannot be interrupted
    from Python, and one query that runs for minutes at 10M triples must not hold the run."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=lambda: child.send(measure()), daemon=True)
    process.start()
    child.close()
    if not parent.poll(cap_s):
        process.kill()
        process.join()
        return {"cut_s": cap_s}
    try:
        result = parent.recv()
    except EOFError:  # the child died without an answer: the kernel's OOM killer, typically
        process.join()
        return {"error": f"the engine's process died (exit code {process.exitcode}; "
                         f"-9 is the out-of-memory killer)"}
    process.join()
    return result


def _pair(measured: dict[str, Any], engines: tuple[str, str]) -> dict[str, Any]:
    """Each engine's timing from a :func:`capped` pair; a cut or a death is both engines'.

    >>> _pair({"cut_s": 240}, ("a", "b"))
    {'a': {'cut_s': 240}, 'b': {'cut_s': 240}}
    """
    if "cut_s" in measured or "error" in measured:
        return {engine: measured for engine in engines}
    return measured


def query_texts(store: ox.Store) -> dict[str, str]:
    """Every named query with its header's first example; works are the synthetic corpus's own.

    The examples name works of the real corpus, so a work parameter is bound to the most cited
    synthetic work instead, and in a query with two (a chain) the first to a work that cites it.
    """
    from graph.build.pipeline import load_ontology
    from graph.query.catalog import catalog, prepare
    from graph.vocabulary.concepts import vocabulary_from_graph

    vocabulary = vocabulary_from_graph(load_ontology(CHECKOUT / "ontology"))
    top = next(iter(store.query(TOP_CITED)))["work"].value
    citing = next(iter(store.query(CITING % top)))["c"].value
    texts = {}
    for name, query in catalog(CHECKOUT / "queries").items():
        values = dict(query.examples[0])
        works = [p.name for p in query.parameters if p.type == "work" and p.name in values]
        for number, work in enumerate(works):
            values[work] = citing if number == 0 and len(works) > 1 else top
        texts[name] = prepare(query, values, vocabulary, lambda piece, _in_titles: [(piece, "")])
    return texts


def rdflib_child(nt: Path, texts_file: Path) -> dict[str, Any]:
    """In a child process: load ``nt`` into rdflib's Graph, time each query, cut at the cap."""
    from rdflib import Graph

    class Cut(Exception):
        pass

    def alarm(_signum: int, _frame: object) -> None:
        raise Cut

    signal.signal(signal.SIGALRM, alarm)
    start = time.perf_counter()
    graph = Graph()
    graph.parse(nt, format="nt")
    result: dict[str, Any] = {"load_s": time.perf_counter() - start, "queries": {}}
    for name, text in json.loads(texts_file.read_text()).items():
        signal.alarm(RDFLIB_CAP_S)
        try:
            timing = rounds({"rdflib": lambda t=text: list(graph.query(t))}, RDFLIB_BUDGET_S)
            result["queries"][name] = timing["rdflib"]
        except Cut:
            result["queries"][name] = {"cut_s": RDFLIB_CAP_S}
        except Exception as exc:  # e.g. GRAPH needs a Dataset in rdflib
            result["queries"][name] = {"error": str(exc).split(".")[0][:80]}
        finally:
            signal.alarm(0)
    return result


def warm(folder: Path) -> None:
    """Read every file of an on-disk store once, so no engine pays for a cold page cache.

    Each query's on-disk pair is measured in a fresh process; without this, whichever engine
    reads the store files first is timed on the disk and the other on memory (3x apart at 10M
    triples, when each engine had a process of its own).
    """
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                while handle.read(1 << 24):
                    pass


def measure_queries(out: Path, triples: int) -> dict[str, Any]:
    """Load times of the same graph.nt, and query latencies on the five engines."""
    from graph.query.endpoints import EmbeddedStore, MemoryStore

    nt = out / "graph.nt"
    start = time.perf_counter()
    memory = ox.Store()
    memory.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    loads = {"pyoxigraph bulk_load, in memory": time.perf_counter() - start}
    with tempfile.TemporaryDirectory() as disk:
        start = time.perf_counter()
        loaded = ox.Store(disk)
        loaded.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        loaded.flush()
        loads["pyoxigraph bulk_load, on disk"] = time.perf_counter() - start
        del loaded
    store = out / "store"
    start = time.perf_counter()
    copy = MemoryStore.load(store)
    loads["project: MemoryStore.load, a copy of the built store"] = time.perf_counter() - start
    del copy  # the in-memory engines below share the store loaded from graph.nt
    texts = query_texts(memory)
    in_memory = MemoryStore(memory)
    result: dict[str, Any] = {"loads": loads, "queries": {}}
    for name, text in texts.items():
        print(f"    {name}", file=sys.stderr, flush=True)

        def on_disk(t: str = text, n: str = name) -> dict[str, Any]:
            warm(store)
            target = EmbeddedStore(store)
            target.select("ASK {}", "<open>")  # the store is opened once per process
            disk = ox.Store.read_only(str(store))
            return rounds({"project": lambda: target.select(t, n).rows,
                           "raw_disk": lambda: list(disk.query(t))}, BUDGET_S, LEAST_RUNS)

        def in_ram(t: str = text, n: str = name) -> dict[str, Any]:
            return rounds({"project_memory": lambda: in_memory.select(t, n).rows,
                           "raw": lambda: list(memory.query(t))}, BUDGET_S, LEAST_RUNS)

        timings = {**_pair(capped(on_disk), ("project", "raw_disk")),
                   **_pair(capped(in_ram), ("project_memory", "raw"))}
        result["queries"][name] = {"kind": kind(text), "rows": timings["raw"].get("rows"),
                                   **timings}
    if triples <= RDFLIB_LIMIT:
        texts_file = out / "query-texts.json"
        texts_file.write_text(json.dumps(texts))
        child = subprocess.run([sys.executable, __file__, "--rdflib", str(nt), str(texts_file)],
                               capture_output=True, text=True, check=True)
        rdflib = json.loads(child.stdout.splitlines()[-1])
        loads["rdflib Graph parse"] = rdflib["load_s"]
        for name, timing in rdflib["queries"].items():
            result["queries"][name]["rdflib"] = timing
    return result


def _version(package: str) -> str:
    """The installed version, or "not installed" (pyshacl comes only with the test extra)."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    packages = ", ".join(f"{p} {_version(p)}" for p in ("pyoxigraph", "rdflib", "pyshacl",
                                                         "networkx", "lxml", "biopython"))
    return {"cores": cores, "cpu": cpu, "memory": f"{int(memory.split()[1]) / 1024 ** 2:.1f} GiB",
            "python": platform.python_version(), "platform": platform.platform(),
            "packages": packages}


def build_size(n: int, seed: int, folder: Path) -> dict[str, Any]:
    """Generate and build one size; the build's own stage records and the wall time."""
    from generate_corpus import generate

    start = time.perf_counter()
    generate(n, seed, folder / "corpus")
    generated = time.perf_counter() - start
    command = [sys.executable, "-m", "graph.cli", "build", "--corpus", str(folder / "corpus"),
               "--out", str(folder / "out")]
    start = time.perf_counter()
    subprocess.run(command, cwd=CHECKOUT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    report = json.loads((folder / "out" / "build-report.json").read_text())
    peak = max(s["peak_rss_mib"] for s in report["stages"])
    return {"generate_s": generated, "wall_s": wall, "triples": report["triples"],
            "stages": report["stages"], "peak_rss_mib": peak}


def protocol() -> dict[str, int]:
    """How many times a query ran and when its runs stopped: saved with the numbers, so the page
    rendered from them says what this run did."""
    return {"runs": RUNS, "least_runs": LEAST_RUNS, "budget_s": BUDGET_S,
            "rdflib_budget_s": RDFLIB_BUDGET_S}


def benchmark(sizes: list[int], seed: int, keep: Path | None, save: Path,
              builds: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every size in turn; ``save`` is rewritten after each, so a long run keeps what it did.

    With ``builds`` (the results of an earlier run whose builds were kept), the sizes are not
    built again: their build numbers are taken over and only the loads and queries measured.
    """
    results: dict[str, Any] = {"machine": machine(), "protocol": protocol(), "sizes": {}}
    save.parent.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        folder = (keep / f"n{n}") if keep else Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
        try:
            if builds is None:
                entry = build_size(n, seed, folder)
            else:
                entry = {k: v for k, v in builds["sizes"][str(n)].items()
                         if k not in ("loads", "queries")}
            print(f"N={n}: {entry['triples']:,} triples, build {entry['wall_s']:.1f} s",
                  file=sys.stderr, flush=True)
            if entry["triples"] <= QUERY_LIMIT:
                entry.update(measure_queries(folder / "out", entry["triples"]))
            else:
                entry.update({"loads": {}, "queries": {}})
            results["sizes"][str(n)] = entry
            save.write_text(json.dumps(results, indent=2) + "\n")
        finally:
            if keep is None:
                shutil.rmtree(folder, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> None:
    from report import markdown, svg_plot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--full", action="store_true", help="also N=100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build here and keep the builds")
    parser.add_argument("--json", type=Path, default=CHECKOUT / "build" / "benchmark.json")
    parser.add_argument("--docs", type=Path, default=CHECKOUT / "docs")
    parser.add_argument("--notes", type=Path, default=Path(__file__).parent / "NOTES.md",
                        help="hand-written findings appended to the page")
    parser.add_argument("--render", type=Path, help="only render the docs from this JSON")
    parser.add_argument("--requery", type=Path, metavar="JSON",
                        help="with --keep: measure again the loads and queries of the builds "
                             "kept there, taking their build numbers from this earlier JSON")
    parser.add_argument("--rdflib", type=Path, nargs=2, help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    if args.rdflib:
        print(json.dumps(rdflib_child(*args.rdflib)))
        return
    if args.render:
        results = json.loads(args.render.read_text())
    else:
        sizes = sorted(set(args.sizes + ([100_000] if args.full else [])))
        if args.requery and not args.keep:
            parser.error("--requery needs --keep, the folder holding the kept builds")
        builds = json.loads(args.requery.read_text()) if args.requery else None
        results = benchmark(sizes, args.seed, args.keep, args.json, builds)
    notes = args.notes.read_text() if args.notes.exists() else ""
    (args.docs / "benchmark.md").write_text(markdown(results, notes))
    (args.docs / "benchmark-build-time.svg").write_text(svg_plot(results))
    numbers = "" if args.render else f"{args.json}, "
    print(f"wrote {numbers}{args.docs / 'benchmark.md'} and the plot", file=sys.stderr)


if __name__ == "__main__":
    main()
