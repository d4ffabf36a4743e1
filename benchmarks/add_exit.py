"""The two ends of ``ma-ild add`` where nothing is left to do, side by side in one run (issue 26):
the records' child freeing its objects once its last stage is done, and the command's own exit.

``python benchmarks/add_exit.py FOLDER PAPER --rounds 3 --json out.json``

FOLDER holds a build made by this checkout (``corpus/`` and ``out/``, as
``incremental.py --keep`` leaves them) and PAPER is a file it does not hold. Each round removes
PAPER (``ma-ild remove``) and adds it again twice, once as the code does (the child leaves its
objects to its exit, :func:`graph.build.children.left_to_exit`; the command ends by
:func:`graph.cli.console`) and once with both left to Python (the child frees its objects as
its function returns; the command ends by ``sys.exit``), the order flipped every round. Timed in
each: the child's freeing (from its function's return to its caller going on), the exit (from
:func:`graph.cli.main`'s return to the process's end, as the benchmark's wait sees it) and the
command's wall. The machine is shared: compare the two within a round.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]

# One add, as the code does it ("kept") or with the freeing and the exit left to Python
# ("freed"); prints when main returned and how long the child freed, on stderr.
COMMAND = """
import sys, time
import graph.build.children as children
import graph.build.pipeline as pipeline
import graph.cli as cli

mode, *words = sys.argv[1:]
if mode == "freed":
    pipeline.left_to_exit = lambda *objects: None
run_in_child = pipeline.run_in_child


def timed(function, *args):
    returned = []

    def watch(frame, event, arg):
        if event == "return" and frame.f_code is function.__wrapped__.__code__:
            returned.append(time.perf_counter())

    sys.setprofile(watch)
    try:
        return function(*args)
    finally:
        sys.setprofile(None)
        print(f"FREED {time.perf_counter() - returned[-1]:.6f}", file=sys.stderr, flush=True)


children.timed = timed  # found by name in the forked child
pipeline.run_in_child = lambda function, *args, **options: run_in_child(
    children.timed, function, *args, **options)
main = cli.main


def timed_main(argv=None):
    try:
        return main(["add", *words])
    finally:
        print(f"RETURNED {time.time():.6f}", file=sys.stderr, flush=True)


cli.main = timed_main
if mode == "freed":
    sys.exit(timed_main())
cli.console()
"""


def _remove(folder: Path, paper: Path) -> None:
    subprocess.run([sys.executable, "-m", "graph.cli", "remove", paper.name, "--corpus",
                    str(folder / "corpus"), "--out", str(folder / "out")], cwd=CHECKOUT,
                   check=True, capture_output=True)


def _add(folder: Path, paper: Path, mode: str) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", COMMAND, mode, str(paper), "--corpus",
                           str(folder / "corpus"), "--out", str(folder / "out")], cwd=CHECKOUT,
                          check=True, capture_output=True, text=True)
    ended, wall = time.time(), time.perf_counter() - start
    said = dict(line.split(" ", 1) for line in done.stderr.splitlines()
                if line.startswith(("FREED ", "RETURNED ")))
    return {"wall_s": wall, "child_freeing_s": float(said["FREED"]),
            "exit_s": ended - float(said["RETURNED"])}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("paper", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rounds: list[dict[str, Any]] = []
    for number in range(args.rounds):
        modes = ("kept", "freed") if number % 2 == 0 else ("freed", "kept")
        measured = {}
        for mode in modes:
            _remove(args.folder, args.paper)
            measured[mode] = _add(args.folder, args.paper, mode)
        rounds.append(measured)
        print(json.dumps(measured), file=sys.stderr, flush=True)
    summary = {f"{mode} {what} median": statistics.median(r[mode][what] for r in rounds)
               for mode in ("kept", "freed") for what in rounds[0]["kept"]}
    result = {"rounds": rounds, "summary": summary}
    print(json.dumps(summary, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
