"""The full build's constant factors cut by the ``fullcost`` part, each against what it replaced.

``python benchmarks/full_build_costs.py BUILD CORPUS [--json out.json]``

``BUILD`` is the output folder of a full build of ``CORPUS`` (its ``graph.nt`` and
``exports/kgx_edges.tsv``). In one process, one after the other, each with the load average:

1. the store: pyoxigraph's ``bulk_load`` of ``graph.nt`` into a new on-disk store, checking every
   IRI (as before) and leniently (:data:`graph.rdf.store.LENIENT`: Oxigraph wrote every term of
   the file); the quads must be the same;
2. the curation records: :func:`graph.evidence.curation.parse_yaml` of every YAML file of the
   corpus's ``curation/`` as the build runs it (the alias-bomb walk only of a text with ``*``)
   and with the walk of every text (before); the records must be the same;
3. the KGX edges: :func:`graph.exports.kgx.tsv_line` of every edge row of the build (the row's
   own cells only) against a cell per column (before); the lines must be the same.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.evidence import curation
from graph.exports.kgx import EDGE_COLUMNS, cell, tsv_line
from graph.exports.kgx_check import tsv_rows
from graph.rdf.store import LENIENT


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return round(time.perf_counter() - start, 2), value


def _pair(before: Callable[[], Any], after: Callable[[], Any]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    before_s, old = _timed(before)
    after_s, new = _timed(after)
    return {"before_s": before_s, "after_s": after_s, "ratio": round(after_s / before_s, 2),
            "same": old == new, "load_average": [round(load, 1), round(os.getloadavg()[0], 1)]}


def store(nt: Path, scratch: Path) -> dict[str, Any]:
    def load(lenient: bool) -> Callable[[], int]:
        def run() -> int:
            folder = scratch / f"store-{lenient}"
            shutil.rmtree(folder, ignore_errors=True)
            target = ox.Store(str(folder))
            target.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, lenient=lenient)
            target.flush()
            return len(target)
        return run

    found = _pair(load(False), load(LENIENT))
    checked = ox.Store.read_only(str(scratch / "store-False"))
    lenient = ox.Store.read_only(str(scratch / f"store-{LENIENT}"))
    found["same"] = found["same"] and all(q in lenient for q in checked)
    del checked, lenient
    shutil.rmtree(scratch / "store-False")
    shutil.rmtree(scratch / f"store-{LENIENT}", ignore_errors=True)
    return found


def curations(folder: Path) -> dict[str, Any]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))]

    def walked() -> list[Any]:
        records = []
        for text in texts:
            loader = curation._Loader(text)
            node = loader.get_single_node()
            curation.expanded_size(node)
            records.append(loader.construct_document(node))
            loader.dispose()
        return records

    found = _pair(walked, lambda: [curation.parse_yaml(text, "x") for text in texts])
    found["records"] = len(texts)
    return found


def kgx_lines(edges: Path) -> dict[str, Any]:
    rows = [{k: v for k, v in row.items() if v} for _, row in tsv_rows(edges, [])]
    found = _pair(lambda: ["\t".join(cell(row.get(c)) for c in EDGE_COLUMNS) for row in rows],
                  lambda: [tsv_line(row, EDGE_COLUMNS) for row in rows])
    found["rows"] = len(rows)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    scratch = args.build.parent / f".{args.build.name}.costs"
    scratch.mkdir(exist_ok=True)
    results = {"curation YAML": curations(args.corpus / "curation"),
               "KGX edge lines": kgx_lines(args.build / "exports" / "kgx_edges.tsv"),
               "store bulk load": store(args.build / "graph.nt", scratch)}
    shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(results, indent=2), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
