"""SHACL over the whole graph: this checkout's validator against a base commit's, side by side on
one build's store (issue 26: the full build's SHACL stage).

``python benchmarks/shacl_whole.py OUT --base 9f9af6a --rounds 3 [--json out.json]``

OUT is a build folder. Its store is copied once, and each round runs, in turns (the order
flipped every round), the base commit's ``graph/rdf/validate.py`` (read from git, the rest of the
package this checkout's) and this checkout's: each compiles ``shapes.ttl`` and finds every
check's violating nodes over the whole graph (``verdicts``) in a fresh interpreter that opens the
store as the build does, so each run's peak memory is its own. The report lines of both must be
the same. Prints wall and CPU seconds (CPU of all the validator's threads), peak RSS, the ratios
of the medians and the ranges, as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
MODULE = "graph/rdf/validate.py"


def _validator(base: str | None) -> types.ModuleType:
    """This checkout's validator, or the ``base`` commit's (its module's text from git)."""
    if base is None:
        from graph.rdf import validate
        return validate
    text = subprocess.run(["git", "-C", str(CHECKOUT), "show", f"{base}:{MODULE}"],
                          check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("graph.rdf.validate_base")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(text, f"{base}:{MODULE}", "exec"), module.__dict__)
    return module


def one(store_folder: Path, base: str | None) -> dict[str, Any]:
    """One run in this interpreter: the seconds, peak RSS and a digest of the report lines."""
    import pyoxigraph as ox

    from graph.settings import Paths

    validator = _validator(base)
    store = ox.Store(str(store_folder))
    wall, cpu = time.perf_counter(), time.process_time()
    checks = validator.compile_shapes(Paths().shapes)
    found = validator.lines(checks, validator.verdicts(store, checks))
    return {"wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "checks": len(checks), "lines": len(found),
            "digest": hashlib.sha256("\n".join(found).encode("utf-8")).hexdigest()}


def _spread(runs: list[dict[str, Any]], key: str) -> dict[str, float]:
    values = [run[key] for run in runs]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--base", default="9f9af6a", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", choices=["base", "this"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.store, args.base if args.one == "base" else None)))
        return
    runs: dict[str, list[dict[str, Any]]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "store"
        shutil.copytree(args.out / "store", store)
        for round_ in range(args.rounds):
            for side in ("base", "this") if round_ % 2 == 0 else ("this", "base"):
                done = subprocess.run(
                    [sys.executable, __file__, str(args.out), "--base", args.base,
                     "--one", side, "--store", str(store)],
                    check=True, capture_output=True, text=True)
                runs[side].append(json.loads(done.stdout.splitlines()[-1]))
                print(side, runs[side][-1], file=sys.stderr, flush=True)
    digests = {run["digest"] for side in runs.values() for run in side}
    result: dict[str, Any] = {"base": args.base, "rounds": args.rounds,
                              "same_lines": len(digests) == 1, "lines": runs["this"][0]["lines"],
                              "checks": runs["this"][0]["checks"]}
    for key in ("wall_s", "cpu_s", "peak_rss_mib"):
        spread = {side: _spread(runs[side], key) for side in runs}
        result[key] = {**spread, "ratio": round(spread["this"]["median"]
                                                / spread["base"]["median"], 2)}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
