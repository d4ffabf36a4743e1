"""A SPARQL-based SHACL constraint over the whole graph against on some nodes, side by side on one
build's store (issue 26: SHACL after an add).

``python benchmarks/sparql_focus.py OUT --nodes 20 --repeat 3``

OUT is a build folder. A copy of its store is opened as the build opens it; each SPARQL-based
check of the shapes that :mod:`graph.rdf.validate` runs on nodes (its patterns all start at
``$this``) is run in turns over the whole graph and on ``--nodes`` drawn at random from the
nodes holding one of the predicates it reads (an add's change concerns a few dozen), and the
verdicts on those nodes are checked to be the same. Prints the wall seconds of each and their
ratio as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from graph.rdf.validate import _run, compile_shapes  # noqa: E402
from graph.settings import Paths  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    checks = [c for c in compile_shapes(Paths().shapes) if c.path is None and c.reach]
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "store"
        shutil.copytree(args.out / "store", copy)
        store = ox.Store(str(copy))
        for check in checks:
            assert check.reach is not None
            targets = sorted({str(row["s"]) for predicate in check.reach.pairs
                              for row in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s "
                                                     f"<{predicate}> ?o }}")})
            nodes = set(random.Random(args.seed).sample(targets, min(args.nodes, len(targets))))
            whole, near = [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                everywhere = _run(store, check, None)
                whole.append(time.perf_counter() - start)
                start = time.perf_counter()
                focused = _run(store, check, nodes)
                near.append(time.perf_counter() - start)
                if focused != [row for row in everywhere if row[0] in nodes]:
                    raise SystemExit(f"{check.message}: the verdicts on the nodes differ")
            results.append({"check": check.message, "targets": len(targets), "nodes": len(nodes),
                            "whole_s": whole, "nodes_s": near,
                            "ratio": statistics.median(whole) / statistics.median(near)})
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
