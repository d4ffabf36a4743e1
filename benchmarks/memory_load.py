"""The copy into memory (``MemoryStore.load``) beside its floor, pyoxigraph's ``bulk_load``.

``python benchmarks/memory_load.py BUILD_FOLDER`` loads the build's store into memory the
project's way, the floor's way (``Store().bulk_load`` of the same ``graph.nt``) and the way it
was done before (``bulk_extend`` from the store, quad by quad), in rounds whose order turns, and
prints the medians and the ratios. A script, never a timed test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.query.endpoints import MemoryStore


def _timed(load: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    copy = load()
    seconds = time.perf_counter() - start
    del copy
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="a build folder (graph.nt and store/)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    store, source = args.build / "store", args.build / "graph.nt"

    def floor() -> ox.Store:
        memory = ox.Store()
        memory.bulk_load(path=str(source), format=ox.RdfFormat.N_TRIPLES)
        return memory

    def before() -> ox.Store:
        memory = ox.Store()
        memory.bulk_extend(ox.Store.read_only(str(store)))
        return memory

    ways: dict[str, Callable[[], object]] = {
        "MemoryStore.load": lambda: MemoryStore.load(store), "bulk_load (floor)": floor,
        "quad by quad (before)": before}
    taken: dict[str, list[float]] = {name: [] for name in ways}
    for number in range(args.rounds):
        order = list(ways) if number % 2 == 0 else list(reversed(ways))
        for name in order:
            taken[name].append(_timed(ways[name]))
    triples = len(ox.Store.read_only(str(store)))
    floor_s = statistics.median(taken["bulk_load (floor)"])
    print(f"{triples:,} triples, {args.rounds} rounds, medians:")
    print("| load | seconds | ratio to the floor |\n|---|---:|---:|")
    for name, runs in taken.items():
        median = statistics.median(runs)
        print(f"| {name} | {median:.2f} | {median / floor_s:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
