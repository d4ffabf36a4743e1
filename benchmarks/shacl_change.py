"""SHACL over the whole graph against SHACL on a change, side by side (issue 26 point 1).

``python benchmarks/shacl_change.py BEFORE AFTER [--repeat 3]``

BEFORE and AFTER are two build folders of one corpus, AFTER made from BEFORE by an ``add`` (or
any change); AFTER's store is validated, in turns, over the whole graph and from BEFORE's
verdicts and the difference of the two ``graph.nt`` (diffing the files included), and the two
results are checked to be equal. Prints the times, their ratio and how many nodes each check
looked at, as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pyoxigraph as ox

from graph.build.shacl import _changes
from graph.rdf.focus import foci, merge
from graph.rdf.validate import compile_shapes, verdicts
from graph.settings import Paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    checks = compile_shapes(Paths().shapes)
    previous = verdicts(ox.Store.read_only(str(args.before / "store")), checks)
    store = ox.Store.read_only(str(args.after / "store"))
    whole_s, change_s = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        whole = verdicts(store, checks)
        whole_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        changes = _changes(args.before / "graph.nt", args.after / "graph.nt")
        assert changes is not None, "the change is too large to be validated on its own"
        looked_at = foci(store, checks, changes)
        found = merge(previous, checks, looked_at, verdicts(store, checks, looked_at))
        change_s.append(time.perf_counter() - start)
        assert found == whole, "validating the change gave other verdicts than the whole graph"
    nodes = sorted(len(n) for n in looked_at.values() if n is not None)
    print(json.dumps({
        "changed_triples": len(changes), "checks": len(checks),
        "checks_on_nodes": len(nodes), "nodes_per_check_max": max(nodes, default=0),
        "nodes_per_check_median": nodes[len(nodes) // 2] if nodes else 0,
        "whole_s": [round(s, 2) for s in whole_s], "change_s": [round(s, 2) for s in change_s],
        "ratio": round(min(change_s) / min(whole_s), 3),
    }, indent=2))


if __name__ == "__main__":
    main()
