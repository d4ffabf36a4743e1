"""The store's update and ``void.ttl`` of an add, this checkout against another (main), side by
side on one pair of builds (issue 26: the add's store and description; ``exports_stage_add.py``
does the same for the exports).

``python benchmarks/store_void_add.py BEFORE AFTER --other CHECKOUT --other-python PYTHON``

BEFORE and AFTER are two build folders, the second the first with a paper added. Each round
runs, in a fresh process of each checkout (the order flipped every round), what ``ma-ild add``
does for these two outputs: BEFORE's store copied and changed by the difference of the two
``graph.nt`` (``update_store``, given the last store's quad count where the code takes it, as
its own build keeps it), and AFTER's store described from BEFORE's counts and that difference
(``write_description``, BEFORE's counts given the sources where the code keeps them). Not timed:
reading the difference, and making BEFORE's kept state as the code's own build would have. It
refuses to report when the store's count or ``void.ttl`` differs from AFTER's. Prints each
round's wall and CPU seconds per checkout, as JSON. The machine is shared: read the ratios.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from view_timing import ratios, side_by_side  # noqa: E402

CHILD = """
import inspect, json, sys, time
from pathlib import Path
from graph.exports import release
from graph.query.endpoints import EmbeddedStore
from graph.rdf.delta import difference
from graph.rdf.store import update_store

before, after, scratch = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
change = difference(before / "graph.nt", after / "graph.nt", 200_000)
kept = {}
if "quads" in inspect.signature(update_store).parameters:  # the code keeps the store's count
    with (before / "graph.nt").open("rb") as lines:
        kept["quads"] = sum(1 for _ in lines)
counts = json.loads((before / "cache" / release.STATE).read_text(encoding="utf-8"))
if hasattr(release, "description_text"):  # the code keeps the sources with the counts
    counts["sources"] = sorted(r["source"] for r in release._rows(EmbeddedStore(
        before / "store"), "sources"))
last, out = Path(scratch) / "last", Path(scratch) / "out"
(last / "cache").mkdir(parents=True)
(last / "cache" / release.STATE).write_text(json.dumps(counts), encoding="utf-8")
(out / "exports").mkdir(parents=True)
for name in release.DISTRIBUTIONS:  # the sizes void.ttl gives are AFTER's files'
    if (after / name).exists():
        (out / name).symlink_to(after / name)

start, cpu = time.perf_counter(), time.process_time()
triples = update_store(before / "store", out / "store", [(change, None)], **kept)
store = (time.perf_counter() - start, time.process_time() - cpu)
start, cpu = time.perf_counter(), time.process_time()
void = release.write_description(EmbeddedStore(after / "store"), out, out / "void.ttl", last,
                                 change)
described = (time.perf_counter() - start, time.process_time() - cpu)
print(json.dumps({"seconds": round(store[0] + described[0], 2),
                  "cpu": round(store[1] + described[1], 2),
                  "store seconds": round(store[0], 2), "store cpu": round(store[1], 2),
                  "void seconds": round(described[0], 2), "void cpu": round(described[1], 2),
                  "triples": triples,
                  "same void": void.read_bytes() == (after / "void.ttl").read_bytes()}))
"""


def main(argv: list[str] | None = None) -> None:
    args, sides, runs = side_by_side(__doc__.splitlines()[0], CHILD, CHECKOUT, argv)
    with (args.after / "graph.nt").open("rb") as lines:
        triples = sum(1 for _ in lines)
    if any(r["triples"] != triples or not r["same void"] for side in runs for r in runs[side]):
        raise SystemExit("a store's count or void.ttl differs from AFTER's: not reporting")
    fields = ("seconds", "cpu", "store seconds", "store cpu", "void seconds", "void cpu")
    report: dict[str, object] = {
        side: {"checkout": str(sides[side][1]),
               **{f: [r[f] for r in runs[side]] for f in fields}} for side in runs}
    report["other / this"] = ratios(runs, fields)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
