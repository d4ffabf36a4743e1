"""The full build's changed parts, each against what it replaced, side by side on one build.

``python benchmarks/full_build_parts.py BUILD [--json out.json]``

``BUILD`` is the output folder of a full build (its ``graph.nt``). Timed with the machine's load
average beside it: sorting ``graph.nt``'s lines (shuffled, with a tenth of them repeated, as the
blocks repeat shared lines) into a file with the repeated lines counted: the system's ``sort``
and ``uniq`` (:func:`graph.rdf.external_sort.sort_counted_into`) against Python's sort and merge
of runs (:func:`graph.rdf.external_sort.sorted_counted`); the bytes must be the same.

Its first part, SHACL's checks of a property shape sharing one query against each one's own,
went with the sharing: the checks now scan their path's values over the whole graph, each in a
query cheaper than the shared one (``benchmarks/shacl_whole.py`` compares them with the code
before).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.rdf import external_sort


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return round(time.perf_counter() - start, 2), value


def sort(nt: Path, scratch: Path) -> dict[str, Any]:
    lines = nt.read_text(encoding="utf-8").splitlines()
    random.Random(1).shuffle(lines)
    lines += lines[:len(lines) // 10]
    python_out, system_out = scratch / "python.nt", scratch / "system.nt"

    def in_python() -> dict[str, int]:
        tools = external_sort._system_tools
        external_sort._system_tools = lambda: None  # type: ignore[assignment]
        try:
            return external_sort.sort_counted_into(iter(lines), python_out)[1]
        finally:
            external_sort._system_tools = tools  # type: ignore[assignment]

    python_s, repeated = _timed(in_python)
    load = os.getloadavg()[0]
    system_s, counted = _timed(lambda: external_sort.sort_counted_into(iter(lines), system_out)[1])
    same = filecmp.cmp(python_out, system_out, shallow=False) and repeated == counted
    python_out.unlink()
    system_out.unlink()
    return {"lines": len(lines), "python_s": python_s, "system_sort_s": system_s,
            "ratio": round(system_s / python_s, 2), "same": same,
            "load_average": [round(load, 1), round(os.getloadavg()[0], 1)]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--skip", nargs="*", default=[], choices=["sort"])
    args = parser.parse_args(argv)
    nt = args.build / "graph.nt"
    results: dict[str, Any] = {}
    parts: dict[str, Callable[[], dict[str, Any]]] = {"sort": lambda: sort(nt, args.build.parent)}
    for name, part in parts.items():
        if name in args.skip:
            continue
        results[name] = part()
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
