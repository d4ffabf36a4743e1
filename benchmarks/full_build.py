"""The full build's stages, two checkouts side by side, at several corpus sizes (issue 26).

``python benchmarks/full_build.py --sizes 5000 20000 --keep /tmp/full --json out.json
--checkout main=/tmp/main:/tmp/main-venv/bin/python --checkout branch=.:python``

For each size N a synthetic corpus of N records is generated once (``generate_corpus.py``,
seed 1) and each checkout's ``ma-ild build`` of it runs from nothing into an empty folder, in
a fresh process of that checkout's own interpreter (its venv maps the package's bundled folders
to its checkout), one checkout after the other at one size. Wall seconds, peak resident memory
(``wait4``), each stage's seconds from ``build-report.json``, and whether the two builds'
output files are byte for byte the same (the store and the cache aside) go to the JSON file,
written again after every build. Each stage's growth from the smallest size to the largest,
against the corpus's, says which stages cost more per document as the corpus grows: the
extrapolation to larger corpora is made from it (``--extrapolate``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))


def _build(python: str, checkout: Path, corpus: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MiB (of its largest process) and CPU seconds (user and
    system, its child processes' included) of one checkout's ``ma-ild build``."""
    start = time.perf_counter()
    process = subprocess.Popen([python, "-m", "graph.cli", "build", "--corpus", str(corpus),
                                "--out", str(out)], cwd=checkout, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), process.args)
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _digests(out: Path) -> dict[str, str]:
    def digest(path: Path) -> str:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    return {p.relative_to(out).as_posix(): digest(p) for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] not in {"store", "cache",
                                                                    "build-report.json"}}


def growth(results: dict[str, Any], name: str, target: int) -> dict[str, Any]:
    """Each stage's seconds at the largest size measured, its exponent of growth between the
    smallest and largest (seconds ~ N^k: 1 is linear), and the seconds at ``target`` documents
    extrapolated by that exponent."""
    sizes = sorted(int(n) for n in results if name in results[n])
    low, high = sizes[0], sizes[-1]
    first, last = results[str(low)][name]["stages"], results[str(high)][name]["stages"]
    ratio = math.log(high / low)
    out: dict[str, Any] = {}
    for stage in last:
        a, b = first.get(stage, 0.0), last[stage]
        k = math.log(b / a) / ratio if a > 0 and b > 0 else 1.0
        out[stage] = {"seconds": b, "exponent": round(k, 2),
                      f"at_{target}": round(b * (target / high) ** max(k, 1.0), 1)}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, required=True, help="folder to build in")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--checkout", action="append", required=True,
                        help="NAME=CHECKOUT:PYTHON (one per checkout, in the order they run)")
    parser.add_argument("--extrapolate", type=int, default=100_000)
    args = parser.parse_args(argv)
    from generate_corpus import generate

    checkouts = []
    for spec in args.checkout:
        name, _, rest = spec.partition("=")
        checkout, _, python = rest.partition(":")
        checkouts.append((name, Path(checkout).resolve(), python or sys.executable))
    results: dict[str, Any] = {}

    def save() -> None:
        args.json.write_text(json.dumps(results, indent=2) + "\n")

    for n in args.sizes:
        folder = args.keep / f"n{n}"
        corpus = folder / "corpus"
        if not (corpus / "documents").is_dir():
            generate(n, args.seed, corpus)
        results[str(n)] = {}
        digests = {}
        for name, checkout, python in checkouts:
            out = folder / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            seconds, peak, cpu = _build(python, checkout, corpus, out)
            report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
            results[str(n)][name] = {
                "wall_s": round(seconds, 1), "peak_mib": round(peak), "cpu_s": round(cpu, 1),
                "stages": {s["stage"]: round(s["seconds"], 2) for s in report["stages"]},
                # the peak of the process each stage ran in, so far (a stage run beside
                # another is in a process of its own): what processes at once held
                "stage_peak_mib": {s["stage"]: s["peak_rss_mib"] for s in report["stages"]},
                "stage_cpu_s": {s["stage"]: s["cpu_seconds"] for s in report["stages"]
                                if "cpu_seconds" in s},
                "load_average": os.getloadavg()[0]}
            digests[name] = _digests(out)
            print(f"N={n} {name}: {seconds:.1f} s, {peak:.0f} MiB", file=sys.stderr, flush=True)
            save()
        first = next(iter(digests.values()))
        results[str(n)]["same_outputs"] = all(d == first for d in digests.values())
        for name, _checkout, _python in checkouts:
            shutil.rmtree(folder / f"out-{name}", ignore_errors=True)
        save()
    if len(args.sizes) > 1:
        results["growth"] = {name: growth(results, name, args.extrapolate)
                             for name, _c, _p in checkouts}
        save()


if __name__ == "__main__":
    main()
