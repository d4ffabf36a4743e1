"""The records' child of one add (:func:`write_records`) from a kept build, in this process.

``python benchmarks/records_add.py FOLDER [--profile OUT.prof]``

FOLDER holds ``corpus/`` (with the added paper already in it) and ``out/`` (the build the add
starts from: its ``graph.nt`` and ``cache/``; a copy, for instance of an N=10,000 build kept by
``benchmarks/incremental.py --keep-before``, never the original: the cache it reads must have been
made by the code that runs). The records are written into ``FOLDER/staging``, made afresh each
run, so runs of two codes (each from its own checkout and venv, on its own build) can be
interleaved. Prints the stages' seconds, the wall, the cache counts and the sha256 of the
``graph.nt`` the add wrote, as one JSON line (issue 26).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from graph.build.cache import Cache  # noqa: E402
from graph.build.pipeline import write_records  # noqa: E402
from graph.cache_keys import FOLDER  # noqa: E402
from graph.settings import Paths  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--profile", type=Path, help="cProfile the run into this file")
    args = parser.parse_args(argv)
    paths = Paths(corpus=args.folder / "corpus", out=args.folder / "out")
    staging = args.folder / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    report, records, change = write_records(paths, staging / "graph.nt", False, False, None,
                                            Cache(paths.out / FOLDER, staging / FOLDER))
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    wall = time.perf_counter() - start
    graph = hashlib.sha256((staging / "graph.nt").read_bytes()).hexdigest()
    print(json.dumps({"checkout": str(CHECKOUT), "wall": round(wall, 2),
                      "stages": {r["stage"]: r["seconds"] for r in records},
                      "patched": change is not None, "cache": report.cache, "graph.nt": graph}))


if __name__ == "__main__":
    main()
