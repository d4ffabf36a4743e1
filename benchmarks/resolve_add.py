"""The "resolve works" stage of one add, repeated in one process (issue 26).

``python benchmarks/resolve_add.py FOLDER [--checkout PATH] [--repeat 5]``

FOLDER is laid out as for ``benchmarks/records_add.py`` (``corpus/`` with the added paper in it,
``out/`` the build the add starts from, made by the code that runs). The add's
:func:`write_records` runs once; its resolve step (``pipeline._resolve``: the kept groups read,
the groups the change reaches clustered again, the state kept for the next build) and the
report's part (``pipeline._describe``) are each run ``--repeat`` times on the same inputs, from
the same last state, and their wall and CPU seconds printed (best and median) as one JSON line.
The CPU seconds move less with the other processes of a loaded machine than the wall.
``--checkout`` runs another checkout's code (main's, with a venv installed from it), since this
script is new: its ``graph`` package is imported instead of this one's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]


def _timed(runs: list[tuple[float, float]], call: Any) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    found = call()
    runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return found


def _summary(runs: list[tuple[float, float]]) -> dict[str, float]:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return {"wall_min": round(min(walls), 3), "wall_median": round(statistics.median(walls), 3),
            "cpu_min": round(min(cpus), 3), "cpu_median": round(statistics.median(cpus), 3)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--checkout", type=Path, default=CHECKOUT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.checkout))
    from graph.build import pipeline
    from graph.build.cache import Cache
    from graph.cache_keys import FOLDER
    from graph.settings import Paths

    resolving: list[tuple[float, float]] = []
    describing: list[tuple[float, float]] = []
    resolve, describe = pipeline._resolve, pipeline._describe

    def repeated_resolve(*call: Any) -> Any:
        for _ in range(args.repeat - 1):
            _timed(resolving, lambda: resolve(*call))
        return _timed(resolving, lambda: resolve(*call))

    def repeated_describe(*call: Any) -> Any:
        *rest, report = call
        for _ in range(args.repeat - 1):
            scratch = pipeline.BuildReport()
            scratch.unparsed = report.unparsed
            _timed(describing, lambda s=scratch: describe(*rest, s))
        return _timed(describing, lambda: describe(*call))

    pipeline._resolve, pipeline._describe = repeated_resolve, repeated_describe
    paths = Paths(corpus=args.folder / "corpus", out=args.folder / "out")
    staging = args.folder / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    report, _records, _change = pipeline.write_records(
        paths, staging / "graph.nt", False, False, None,
        Cache(paths.out / FOLDER, staging / FOLDER))
    print(json.dumps({"checkout": str(args.checkout), "repeat": args.repeat,
                      "resolve": _summary(resolving), "describe": _summary(describing),
                      "work groups": report.cache.get("work groups"),
                      "merged": len(report.merged)}))


if __name__ == "__main__":
    main()
