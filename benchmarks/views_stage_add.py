"""The views stage of an add, this checkout against another (main), side by side on one store
(issue 26: the views in an add; ``benchmarks/views_add.py`` compares patched with whole rows in
one checkout).

``python benchmarks/views_stage_add.py BEFORE AFTER --other CHECKOUT --other-python PYTHON``

BEFORE and AFTER are two build folders, the second the first with a paper added
(``benchmarks/incremental.py --keep-before`` leaves them as KEEP/nN/before and KEEP/nN/out).
Each round runs, in a fresh process of each checkout (the order flipped every round), the views
stage as ``ma-ild add`` runs it: every page of AFTER's store drawn and written, the rows the
views read whole patched from BEFORE's by the difference of the two ``graph.nt`` files, and kept
for the next build. Before the timed part, and not timed: the difference is read, and BEFORE's
kept rows are keyed for the checkout's code (a file's name is the digest of its query's text,
so a query whose text differs between the checkouts finds no rows and is asked whole; the rows
of one query over one store are the same whatever the code). It refuses to report when a page
differs by a byte between the checkouts. ``--jobs N`` runs the stage with N jobs in a checkout
whose stage takes them (the views drawn over forked workers), one in another. Prints, per
checkout, each round's wall and CPU seconds (its workers' included), the resident memory the
stage added (its peak less what the process held before it) and its workers' peak, and, from the
last round, each view's seconds (its rows read and patched with it; drawn in this process only,
so none with workers), as JSON. The machine is shared: read the ratios.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from view_timing import TIME_EACH_VIEW, ratios, side_by_side  # noqa: E402

CHILD = """
import hashlib, inspect, json, pickle, resource, sys, time
from pathlib import Path
from graph.build import view_rows
from graph.build.views import write_views
from graph.cache_keys import FOLDER
from graph.query.endpoints import EmbeddedStore
from graph.rdf.delta import difference
from graph.views import VIEWS
from graph.views._shared import KEPT

before, after, scratch = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
kept = scratch / "before" / FOLDER / view_rows.FOLDER
kept.mkdir(parents=True)
for query in KEPT.values():
    name = view_rows._name(query) + ".pickle"
    if (before / FOLDER / view_rows.FOLDER / name).exists():
        with (before / FOLDER / view_rows.FOLDER / name).open("rb") as handle:
            _key, rows = pickle.load(handle)
        with (kept / name).open("wb") as handle:
            pickle.dump((view_rows._key(query), rows), handle, protocol=pickle.HIGHEST_PROTOCOL)
        del rows
change = difference(before / "graph.nt", after / "graph.nt", view_rows.CHANGE_LIMIT)
""" + TIME_EACH_VIEW + """
out = scratch / "out"
jobs = {"jobs": int(sys.argv[4])} if "jobs" in inspect.signature(write_views).parameters else {}
def children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
held = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
start, cpu = time.perf_counter(), time.process_time() + children()
_pages, counts, why = write_views(EmbeddedStore(after / "store"), out / "views",
                                  scratch / "before", out, change, **jobs)
seconds, cpu = time.perf_counter() - start, time.process_time() + children() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": round(seconds, 2), "cpu": round(cpu, 2),
                  "memory_MiB": round(peak - held), "workers_peak_MiB": round(workers),
                  "jobs": jobs.get("jobs", 1), "views": drawn, "rows": counts, "why": why,
                  "pages": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                            for p in sorted((out / "views").glob("*.html"))}}))
"""


def main(argv: list[str] | None = None) -> None:
    _args, sides, runs = side_by_side(__doc__.splitlines()[0], CHILD, CHECKOUT, argv)
    if runs["other"][-1]["pages"] != runs["this"][-1]["pages"]:
        raise SystemExit("the pages differ: not reporting")
    report = {side: {"checkout": str(sides[side][1]),
                     **{f: [r[f] for r in runs[side]]
                        for f in ("seconds", "cpu", "memory_MiB", "workers_peak_MiB")},
                     "last": {k: v for k, v in runs[side][-1].items()
                              if k not in ("seconds", "cpu", "memory_MiB", "workers_peak_MiB",
                                           "pages")}}
              for side in runs}
    report["other / this"] = ratios(runs, ("seconds", "cpu", "memory_MiB"))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
