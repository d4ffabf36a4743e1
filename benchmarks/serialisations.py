"""Turtle and JSON-LD written whole against changed by the runs a change touches, side by side.

``python benchmarks/serialisations.py BEFORE AFTER [--repeat 3]``

BEFORE and AFTER are two build folders of one corpus, AFTER made from BEFORE by an ``add`` (or
any change; ``benchmarks/incremental.py --keep-before`` leaves such a pair). In turns, into
scratch folders, AFTER's ``graph.nt`` is written as Turtle and JSON-LD three ways: as the build
did before the files were cut in runs (Oxigraph parsing the whole file once per syntax and
streaming it to its writer); whole, a run of subjects at a time in one pass
(:func:`graph.rdf.syntaxes.write_whole`); and changed from BEFORE's files by the difference of
the two ``graph.nt`` (:func:`graph.rdf.syntaxes.write_changed`; the difference is known to a
build, so finding it is not timed). The three give the same bytes, and the ones AFTER holds
(checked). Prints the best times and the ratios as JSON.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.delta import difference
from graph.rdf.syntaxes import SYNTAXES, write_changed, write_whole
from graph.vocabulary.namespaces import PREFIXES


def streamed(nt: Path, folder: Path) -> None:
    """The files as the build wrote them before: a parse of the whole file per syntax."""
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for syntax in SYNTAXES:
        triples = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, str(folder / syntax.file), format=syntax.format, prefixes=prefixes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp())
    last = scratch / "last"
    last.mkdir()
    shutil.copy(args.before / "graph.nt", last / "graph.nt")
    index = write_whole(last / "graph.nt", last)
    nt = args.after / "graph.nt"
    change = difference(last / "graph.nt", nt, 1 << 30)
    ways: dict[str, Callable[[Path], object]] = {
        "streamed_whole": lambda folder: streamed(nt, folder),
        "runs_whole": lambda folder: write_whole(nt, folder),
        "runs_changed": lambda folder: write_changed(nt, folder, last, index, change),
    }
    best: dict[str, float] = {}
    try:
        for _ in range(args.repeat):
            for name, write in ways.items():
                folder = scratch / name
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                start = time.perf_counter()
                write(folder)
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
        for syntax in SYNTAXES:  # and AFTER's own files, as its build wrote them
            for folder in [*(scratch / name for name in ways), args.after]:
                assert filecmp.cmp(folder / syntax.file,
                                   scratch / "streamed_whole" / syntax.file, shallow=False), (
                    f"{folder.name} holds another {syntax.file}")
        print(json.dumps({
            "triples": change.lines, "changed_lines": len(change), "runs": len(index.keys),
            "seconds": {k: round(v, 3) for k, v in best.items()},
            "runs_whole_over_streamed_whole": round(best["runs_whole"] / best["streamed_whole"], 3),
            "runs_changed_over_runs_whole": round(best["runs_changed"] / best["runs_whole"], 4),
        }, indent=2))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
