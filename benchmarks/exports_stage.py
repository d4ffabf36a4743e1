"""The full build's exports stage (KGX and GraphML), this checkout against another (main), side
by side on one store (issue 26: the exports of a full build).

``python benchmarks/exports_stage.py BUILD --other CHECKOUT --other-python PYTHON [--rounds 3]``

BUILD is the output folder of a full build (its ``store``). Each round runs, in a fresh process
of each checkout (the order flipped every round), the exports stage as a build from scratch
runs it: :func:`graph.exports.patch.write_exports` of BUILD's store with no last build, the
KGX files checked and the GraphML written. It refuses to report when a file differs by a byte
between the checkouts or from BUILD's. Prints each round's wall and CPU seconds and the child's
peak resident memory per checkout, and the medians' ratios, as JSON. The machine is shared:
read the ratios (CPU seconds are the steadier).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from view_timing import ratios, run_child  # noqa: E402

CHILD = """
import hashlib, json, resource, sys, time
from pathlib import Path
from graph.exports import patch
from graph.query.endpoints import EmbeddedStore

build, scratch = Path(sys.argv[1]), Path(sys.argv[2])
(scratch / "none").mkdir()
out = scratch / "out"
out.mkdir()
start, cpu = time.perf_counter(), time.process_time()
files, counts, why = patch.write_exports(EmbeddedStore(build / "store"), scratch / "none", out,
                                         None)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": round(seconds, 2), "cpu": round(cpu, 2),
                  "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                            for p in sorted(files.values())}}))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--other", type=Path, required=True, help="the other checkout (main)")
    parser.add_argument("--other-python", required=True,
                        help="a Python whose environment is installed from that checkout")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    sides = {"other": (args.other_python, args.other), "this": (sys.executable, CHECKOUT)}
    runs: dict[str, list[dict[str, object]]] = {"other": [], "this": []}
    for round_ in range(args.rounds):
        for side in ("other", "this") if round_ % 2 == 0 else ("this", "other"):
            python, where = sides[side]
            with tempfile.TemporaryDirectory(dir=args.build.parent) as scratch:
                runs[side].append(run_child(python, CHILD, args.build, scratch, cwd=where))
            print(f"round {round_ + 1}, {side}: {runs[side][-1]['seconds']} s", file=sys.stderr)
    made = {name: hashlib.sha256((args.build / "exports" / name).read_bytes()).hexdigest()
            for name in runs["this"][-1]["files"]}  # type: ignore[union-attr]
    if any(r["files"] != made for side in runs for r in runs[side]):
        raise SystemExit("a file differs between the checkouts or from BUILD's: not reporting")
    report: dict[str, object] = {
        side: {"checkout": str(where), "commit": subprocess.run(
                   ["git", "-C", str(where), "rev-parse", "--short", "HEAD"],
                   capture_output=True, text=True).stdout.strip(),
               **{field: [r[field] for r in runs[side]]
                  for field in ("seconds", "cpu", "peak_mib")}}
        for side, (_, where) in sides.items()}
    report["other / this"] = ratios(runs, ("seconds", "cpu", "peak_mib"))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
