"""SHACL over the whole graph against SHACL on a change, side by side (issue 26 point 1).

``python benchmarks/shacl_change.py BEFORE AFTER [--repeat 3] [--nodes 100 500 2000]``

BEFORE and AFTER are two build folders of one corpus, AFTER made from BEFORE by an ``add`` (or
any change); a copy of AFTER's store, opened as the build opens it, is validated in turns over
the whole graph and from BEFORE's verdicts and the difference of the two ``graph.nt`` (diffing
the files included), and the two results are checked to be equal. With ``--nodes``, every
check is also run on that many typed nodes drawn at random: where running on nodes stops
paying (:func:`graph.rdf.focus.node_limit`). Prints the times and ratios as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from graph.build.shacl import _changes
from graph.rdf.focus import TYPE, foci, merge, node_limit
from graph.rdf.validate import compile_shapes, verdicts
from graph.settings import Paths


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", type=int, nargs="*", default=[])
    args = parser.parse_args(argv)
    checks = compile_shapes(Paths().shapes)
    previous = verdicts(ox.Store.read_only(str(args.before / "store")), checks)
    scratch = Path(tempfile.mkdtemp())
    shutil.copytree(args.after / "store", scratch / "store")
    store = ox.Store(str(scratch / "store"))
    limit = node_limit(_lines(args.after / "graph.nt"))
    whole_s, change_s = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        whole = verdicts(store, checks)
        whole_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        changes = _changes(args.before / "graph.nt", args.after / "graph.nt")
        assert changes is not None, "the change is too large to be validated on its own"
        looked_at = foci(store, checks, changes, limit)
        found = merge(previous, checks, looked_at, verdicts(store, checks, looked_at))
        change_s.append(time.perf_counter() - start)
        assert found == whole, "validating the change gave other verdicts than the whole graph"
    nodes = sorted(len(n) for n in looked_at.values() if n is not None)
    result = {
        "changed_triples": len(changes), "checks": len(checks), "node_limit": limit,
        "checks_on_nodes": len(nodes), "nodes_per_check_max": max(nodes, default=0),
        "nodes_per_check_median": nodes[len(nodes) // 2] if nodes else 0,
        "whole_s": [round(s, 2) for s in whole_s], "change_s": [round(s, 2) for s in change_s],
        "ratio": round(min(change_s) / min(whole_s), 3),
    }
    typed = sorted({str(q.subject) for q in store.quads_for_pattern(
        None, ox.NamedNode(TYPE), None, ox.DefaultGraph())})
    random.seed(1)
    for n in args.nodes:  # each followed by the whole graph again: the ratio of neighbours
        drawn = set(random.sample(typed, min(n, len(typed))))
        start = time.perf_counter()
        verdicts(store, checks, {c.key: drawn if c.reach else None for c in checks})
        on_nodes = time.perf_counter() - start
        start = time.perf_counter()
        verdicts(store, checks)
        result[f"every_check_on_{n}_nodes_vs_whole"] = round(
            on_nodes / (time.perf_counter() - start), 3)
    del store
    shutil.rmtree(scratch)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
