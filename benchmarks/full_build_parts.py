"""The full build's changed parts, each against what it replaced, side by side on one build.

``python benchmarks/full_build_parts.py BUILD [--json out.json]``

``BUILD`` is the output folder of a full build (its ``graph.nt`` and ``store/``). In one
process, one after the other, each timed with the machine's load average beside it:

1. SHACL over the whole graph: the checks of each property shape answered by one query
   (:func:`graph.rdf.validate.verdicts`) against each check's own query, on the same store and
   the same threads; the verdicts must be the same;
2. sorting ``graph.nt``'s lines (shuffled, with a tenth of them repeated, as the blocks repeat
   shared lines) into a file with the repeated lines counted: the system's ``sort`` and ``uniq``
   (:func:`graph.rdf.external_sort.sort_counted_into`) against Python's sort and merge of runs
   (:func:`graph.rdf.external_sort.sorted_counted`); the bytes must be the same.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.rdf import external_sort
from graph.rdf.validate import _run, compile_shapes, verdicts
from graph.settings import bundled


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return round(time.perf_counter() - start, 2), value


def shacl(store: ox.Store, shapes: Path) -> dict[str, Any]:
    checks = compile_shapes(shapes)
    shared, found = _timed(lambda: verdicts(store, checks))
    load = os.getloadavg()[0]

    def each() -> dict[str, list[tuple[str, str]]]:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            return dict(zip([c.key for c in checks],
                            pool.map(lambda c: _run(store, c, None), checks), strict=True))

    own, alone = _timed(each)
    return {"checks": len(checks), "shared_s": shared, "own_queries_s": own,
            "ratio": round(shared / own, 2), "same": found == alone,
            "load_average": [round(load, 1), round(os.getloadavg()[0], 1)]}


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
    parser.add_argument("--skip", nargs="*", default=[], choices=["shacl", "sort"])
    args = parser.parse_args(argv)
    store = ox.Store.read_only(str(args.build / "store"))
    nt = args.build / "graph.nt"
    results: dict[str, Any] = {"triples": len(store)}
    parts: dict[str, Callable[[], dict[str, Any]]] = {
        "shacl": lambda: shacl(store, bundled("ontology") / "shapes.ttl"),
        "sort": lambda: sort(nt, args.build.parent)}
    for name, part in parts.items():
        if name in args.skip:
            continue
        results[name] = part()
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
