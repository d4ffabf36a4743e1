"""Peak memory of the records' child by stage, before against after, side by side in one run.

``python benchmarks/records_memory.py --corpus C10K C20K --python before=/venv-main/bin/python
after=/venv/bin/python --json out.json [--trace]``

For each corpus folder (made by ``generate_corpus.py``) and each interpreter (each with the
package installed from a different checkout), one fresh process runs the build's records stage
(:func:`graph.build.pipeline.write_records`, what ``ma-ild build`` runs in its child) from no
cache into a scratch folder, as a first build does, keeping the cache it makes. The interpreters
take turns per corpus, so the machine's load falls on both alike. Recorded per stage: seconds and
the peak resident memory so far (the stage's own record, ``ru_maxrss``); the sha256 of the
``graph.nt`` written (the same for every interpreter, or the change altered the graph).

``--trace`` also takes a ``tracemalloc`` snapshot at the end of each stage and prints what holds
the memory, grouped by file:line (slower: for finding the holders, not for the times).

The summary gives each stage's peak in MiB and per document (the peak over the number of
documents of the largest corpus, less the peak of the smallest, over the difference in documents),
and an extrapolation to N=100,000 linear in documents through the two sizes' peaks.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

WORKER = r"""
import gc, hashlib, json, sys, tracemalloc
from pathlib import Path
from graph.build import pipeline, progress
from graph.build.cache import Cache
from graph.settings import Paths

corpus, scratch, trace = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
holders = {}
if trace:
    tracemalloc.start()
    stage = progress.Stages.stage

    def traced(self, name, total=None):
        import contextlib

        @contextlib.contextmanager
        def run():
            with stage(self, name, total) as tick:
                yield tick
            before = tracemalloc.get_traced_memory()[0]
            cycles = gc.collect()  # what the paused cycle collector left: unreachable objects
            top = tracemalloc.take_snapshot().statistics("lineno")
            holders[name] = {"traced_mib": sum(s.size for s in top) / 2**20,
                             "cycles": cycles, "cycles_mib": (before - sum(
                                 s.size for s in top)) / 2**20,
                             "top": [(str(s.traceback), round(s.size / 2**20, 1), s.count)
                                     for s in top[:25]]}
        return run()

    progress.Stages.stage = traced
paths = Paths(corpus=corpus, out=scratch / "out")
nt = scratch / "graph.nt"
report, records, _ = pipeline.write_records(paths, nt, False, False, None,
                                            Cache(scratch / "none", scratch / "cache"))
with nt.open("rb") as handle:
    sha = hashlib.file_digest(handle, "sha256").hexdigest()
print(json.dumps({"stages": records, "documents": len(report.documents), "graph_sha256": sha,
                  "holders": holders}))
"""


def run(python: str, corpus: Path, trace: bool) -> dict[str, Any]:
    """The records' stages of ``corpus`` run by ``python`` in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="records-memory-") as scratch:
        done = subprocess.run([python, "-c", WORKER, str(corpus), scratch, "1" if trace else "0"],
                              check=True, capture_output=True, text=True, cwd=scratch)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def summary(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    """A table per interpreter: each stage's peak at each size, per document, at N=100,000."""
    lines = []
    for label, by_corpus in results.items():
        runs = sorted(by_corpus.values(), key=lambda r: r["documents"])
        small, large = runs[0], runs[-1]
        lines.append(f"## {label}")
        sizes = " | ".join(f"N={r['documents']} MiB (s)" for r in runs)
        lines.append(f"| stage | {sizes} | KiB/document | N=100,000 MiB |")
        for i, stage in enumerate(large["stages"]):
            peaks = [r["stages"][i]["peak_rss_mib"] for r in runs]
            cells = " | ".join(f"{r['stages'][i]['peak_rss_mib']:,.0f} "
                               f"({r['stages'][i]['seconds']:.0f})" for r in runs)
            slope = ((peaks[-1] - peaks[0]) / (large["documents"] - small["documents"])
                     if len(runs) > 1 else peaks[0] / large["documents"])
            at = peaks[-1] + slope * (100_000 - large["documents"])
            lines.append(f"| {stage['stage']} | {cells} | {slope * 1024:,.0f} | {at:,.0f} |")
        seconds = " | ".join(f"{sum(s['seconds'] for s in r['stages']):.0f} s" for r in runs)
        lines.append(f"| total | {seconds} | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="+", required=True)
    parser.add_argument("--python", nargs="+", default=[f"this={sys.executable}"],
                        help="LABEL=INTERPRETER, each with the package installed")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args(argv)
    pythons = dict(p.split("=", 1) for p in args.python)
    results: dict[str, dict[str, dict[str, Any]]] = {label: {} for label in pythons}
    for corpus in args.corpus:
        for label, python in pythons.items():
            results[label][str(corpus)] = run(python, corpus, args.trace)
            args.json.write_text(json.dumps(results, indent=2) + "\n")
            print(f"{label} {corpus}: done", file=sys.stderr, flush=True)
    print(summary(results))
    for corpus in map(str, args.corpus):
        same = len({by[corpus]["graph_sha256"] for by in results.values()}) == 1
        print(f"{corpus}: the same graph.nt from every interpreter: {same}")


if __name__ == "__main__":
    main()
