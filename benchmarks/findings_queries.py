"""The findings questions and the gap map's population query, before and after, side by side.

``python benchmarks/findings_queries.py --out BUILD/out --before REV`` times every ``Examples:``
parameter set of the findings questions (``drug-outcomes``, ``antibody-findings``,
``drugs-for-outcome``) on the build's graph in memory, in one process and in rounds that flip
their order (``run_benchmark.rounds``): the query text of git revision ``REV`` on raw pyoxigraph,
this checkout's text on raw pyoxigraph, and this checkout's text through the project's path
(``MemoryStore.select``). It refuses to report when the two texts answer different rows. The gap
map's population query is timed the same way on the built store on disk (``EmbeddedStore``), the
view's own sort of its rows included. The machine is shared: read the ratios, not the times.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pyoxigraph as ox

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(Path(__file__).parent))

from run_benchmark import BUDGET_S, LEAST_RUNS, rounds  # noqa: E402

FINDINGS = ("drug-outcomes", "antibody-findings", "drugs-for-outcome")
POPULATIONS = "queries/internal/views/gapmap-populations.rq"


def queries_at(revision: str, folder: Path) -> Path:
    """The ``queries/`` folder of ``revision``, unpacked into ``folder``."""
    archive = subprocess.run(["git", "archive", revision, "queries"], cwd=CHECKOUT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "queries"


def _rows(answer: Any) -> list[tuple[str, ...]]:
    return [tuple(str(term) for term in row) for row in answer]


def findings(out: Path, before: Path) -> list[dict[str, Any]]:
    """Each findings question's examples: before, after and the project's path, in memory."""
    from graph.build.pipeline import load_ontology
    from graph.query.catalog import catalog, prepare
    from graph.query.endpoints import MemoryStore
    from graph.vocabulary.concepts import vocabulary_from_graph

    vocabulary = vocabulary_from_graph(load_ontology(CHECKOUT / "ontology"))
    memory = ox.Store()
    memory.bulk_load(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    project = MemoryStore(memory)
    old, new = catalog(before), catalog(CHECKOUT / "queries")
    results = []
    for name in FINDINGS:
        for example in new[name].examples:
            texts = [prepare(q[name], dict(example), vocabulary, lambda p, _t: [(p, "")])
                     for q in (old, new)]
            if _rows(memory.query(texts[0])) != _rows(memory.query(texts[1])):
                raise SystemExit(f"{name} {example}: the two texts answer different rows")
            print(f"  {name} {dict(example)}", file=sys.stderr, flush=True)
            timing = rounds({"before": lambda t=texts[0]: list(memory.query(t)),
                             "after": lambda t=texts[1]: list(memory.query(t)),
                             "project": lambda t=texts[1], n=name: project.select(t, n).rows},
                            BUDGET_S, LEAST_RUNS)
            results.append({"query": name, "parameters": dict(example), **timing})
    return results


def populations(out: Path, before: Path) -> dict[str, Any]:
    """The gap map's population query, before and after, on the built store on disk, each with
    the order the view needs (the query's ``ORDER BY`` before, the view's sort after)."""
    from graph.query.endpoints import EmbeddedStore

    target = EmbeddedStore(out / "store")
    old = (before / POPULATIONS.removeprefix("queries/")).read_text()
    new = (CHECKOUT / POPULATIONS).read_text()

    def facts(text: str) -> list[tuple[str, ...]]:
        return sorted(tuple(row[k]["value"] for k in ("pop", "facet", "concept"))
                      for row in target.stream(text, "<gap map>"))

    if facts(old) != facts(new):
        raise SystemExit("gapmap-populations: the two texts answer different rows")
    return rounds({"before": lambda: list(target.stream(old, "<gap map>")),
                   "after": lambda: facts(new)}, BUDGET_S, LEAST_RUNS)


def markdown(rows: list[dict[str, Any]], gap: dict[str, Any]) -> str:
    """The table of the findings questions and the line of the gap map's query."""
    lines = ["| query | parameters | rows | before, ms | after, ms | before / after "
             "| project / raw (after) |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        before, after, project = (r[k]["median"] for k in ("before", "after", "project"))
        params = "; ".join(f"{k}={v}" for k, v in r["parameters"].items())
        lines.append(f"| {r['query']} | {params} | {r['after']['rows']} | {before:.1f} "
                     f"| {after:.1f} | {before / after:.1f}x | {project / after:.2f} |")
    b, a = gap["before"]["median"], gap["after"]["median"]
    lines.append(f"\n`gapmap-populations` on the built store on disk, {gap['after']['rows']} rows: "
                 f"{b:.0f} ms before, {a:.0f} ms after (with the view's sort), {b / a:.1f}x.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="a build's output folder")
    parser.add_argument("--before", required=True, help="git revision of the earlier queries")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        before = queries_at(args.before, Path(folder))
        rows = findings(args.out, before)
        gap = populations(args.out, before)
    print(markdown(rows, gap))


if __name__ == "__main__":
    main()
