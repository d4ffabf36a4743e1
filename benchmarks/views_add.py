"""The views stage of an add, its rows patched against asked whole, side by side on one store
(issue 26: the views in an add cost what the change costs).

``python benchmarks/views_add.py BEFORE AFTER [--rounds 2]``

BEFORE and AFTER are two build folders, the second the first with a paper added
(``benchmarks/incremental.py --keep-before`` leaves them as KEEP/nN/before and KEEP/nN/out).
The rows the views read whole are first kept for BEFORE's store, as its build would have kept
them (``graph.build.view_rows``, into BEFORE's cache, by this checkout's code). Then each round
draws every page of AFTER's store twice, each in a fresh process, the order flipped every
round: *whole*, every query asked of the store, and *patched*, the rows kept for BEFORE patched
by the difference of the two ``graph.nt`` files (as ``ma-ild add`` does); it refuses to report
when a page differs by a byte. Prints each round's seconds, the medians' ratio, and, from the
last patched and whole runs, the seconds (with writing them for the next build) and rows of
each kept query and the seconds of drawing each view (with its queries), as JSON. The machine
is shared: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from view_timing import TIME_EACH_VIEW, run_child  # noqa: E402

# run in the child: "keep" writes BEFORE's rows; "whole" and "patched" draw AFTER's pages
CHILD = """
import hashlib, json, sys, time
from pathlib import Path
from graph.build import view_rows
from graph.build.views import write_views
from graph.query.endpoints import EmbeddedStore
from graph.rdf.delta import difference
from graph.views import VIEWS
from graph.views._shared import KEPT

mode, before, after, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
names = {k.query: k.query.splitlines()[0][2:50] for k in KEPT.values()}
asked = {}
made = view_rows.ViewRows.__call__
def timed(self, query):
    start = time.perf_counter()
    rows = made(self, query)
    asked[names[query]] = {"s": round(time.perf_counter() - start, 2), "rows": len(rows)}
    return rows
view_rows.ViewRows.__call__ = timed
""" + TIME_EACH_VIEW + """
if mode == "keep":
    write_views(EmbeddedStore(before / "store"), out, None, before, None)
    raise SystemExit
else:
    # the add knows the change already (the records' stage made graph.nt from it): not timed
    change = difference(before / "graph.nt", after / "graph.nt", 20_000)
    previous = before if mode == "patched" else None
    start = time.perf_counter()  # the rows kept for the next build are written, as in a build
    pages, counts, why = write_views(EmbeddedStore(after / "store"), out, previous, out, change)
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "queries": asked, "drawing (with its queries)": drawn,
                  "pages": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                            for p in sorted(out.glob("*.html"))}}))
"""


def _run(mode: str, before: Path, after: Path, out: Path) -> dict[str, object]:
    return run_child(sys.executable, CHILD, mode, before, after, out, cwd=CHECKOUT)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        subprocess.run([sys.executable, "-c", CHILD, "keep", str(args.before),
                            str(args.after), str(folder / "kept")], check=True, cwd=CHECKOUT)
        seconds: dict[str, list[float]] = {"whole": [], "patched": []}
        last: dict[str, dict[str, object]] = {}
        for round_ in range(args.rounds):
            for mode in ("whole", "patched") if round_ % 2 == 0 else ("patched", "whole"):
                last[mode] = _run(mode, args.before, args.after, folder / f"{mode}{round_}")
                seconds[mode].append(float(last[mode]["seconds"]))  # type: ignore[arg-type]
                print(f"round {round_ + 1}, {mode}: {seconds[mode][-1]:.1f} s", file=sys.stderr)
        if last["whole"]["pages"] != last["patched"]["pages"]:
            raise SystemExit("the pages differ: not reporting")
    medians = {k: statistics.median(v) for k, v in seconds.items()}
    print(json.dumps({"seconds": seconds, "median_s": medians,
                      "whole / patched": round(medians["whole"] / medians["patched"], 2),
                      "whole": {k: v for k, v in last["whole"].items() if k != "pages"},
                      "patched": {k: v for k, v in last["patched"].items() if k != "pages"}},
                     indent=2))


if __name__ == "__main__":
    main()
