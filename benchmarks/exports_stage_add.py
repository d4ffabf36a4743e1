"""The exports stage of an add, this checkout against another (main), side by side on one store
(issue 26: the exports of an add; ``benchmarks/views_stage_add.py`` does the same for the views).

``python benchmarks/exports_stage_add.py BEFORE AFTER --other CHECKOUT --other-python PYTHON``

BEFORE and AFTER are two build folders, the second the first with a paper added
(``benchmarks/incremental.py --keep-before`` leaves them as KEEP/nN/before and KEEP/nN/out).
Each round runs, in a fresh process of each checkout (the order flipped every round), the
exports stage as ``ma-ild add`` runs it: AFTER's store exported by patching BEFORE's KGX files
and GraphML with the difference of the two ``graph.nt`` files. Before the timed part, and not
timed: the difference is read, and BEFORE's export state is keyed for the checkout's code (the
state of one store is the same whatever the code) and given the GraphML's element offsets
where the code keeps them (its own build would have). It refuses to report when a file differs by a
byte between the checkouts or from AFTER's, or when either checkout exported the whole store.
Prints each round's wall and CPU seconds per checkout, as JSON. The machine is shared: read the
ratios.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from view_timing import ratios, side_by_side  # noqa: E402

CHILD = """
import hashlib, json, pickle, shutil, sys, time
from pathlib import Path
from graph.build import view_rows
from graph.cache_keys import FOLDER
from graph.exports import graphml, patch
from graph.query.endpoints import EmbeddedStore
from graph.rdf.delta import difference

before, after, scratch = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
last = scratch / "before"
(last / FOLDER).mkdir(parents=True)
shutil.copytree(before / "exports", last / "exports")
with (before / FOLDER / patch.STATE).open("rb") as handle:
    state = pickle.load(handle)
state.key = patch._state_key()
if hasattr(graphml, "element_offsets"):  # where the code keeps the GraphML's elements
    state.elements = graphml.element_offsets(before / "exports" / "graph.graphml")
with (last / FOLDER / patch.STATE).open("wb") as handle:
    pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
change = difference(before / "graph.nt", after / "graph.nt", view_rows.CHANGE_LIMIT)
out = scratch / "out"
out.mkdir()
start, cpu = time.perf_counter(), time.process_time()
files, counts, why = patch.write_exports(EmbeddedStore(after / "store"), last, out, change)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": round(seconds, 2), "cpu": round(cpu, 2), "counts": counts,
                  "why": why, "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                        for p in sorted(files.values())}}))
"""


def main(argv: list[str] | None = None) -> None:
    args, sides, runs = side_by_side(__doc__.splitlines()[0], CHILD, CHECKOUT, argv)
    made = {name: hashlib.sha256((args.after / "exports" / name).read_bytes()).hexdigest()
            for name in runs["this"][-1]["files"]}  # type: ignore[union-attr]
    if any(r["files"] != made or r["why"] is not None for side in runs for r in runs[side]):
        raise SystemExit("a file differs, or the whole store was exported: not reporting")

    report: dict[str, object] = {
        side: {"checkout": str(sides[side][1]), "seconds": [r["seconds"] for r in runs[side]],
               "cpu": [r["cpu"] for r in runs[side]], "counts": runs[side][-1]["counts"]}
        for side in runs}
    report["other / this"] = ratios(runs, ("seconds", "cpu"))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
