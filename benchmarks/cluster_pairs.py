"""The works' clustering, pairs compared only where ``same_work`` may accept, against every pair.

``python benchmarks/cluster_pairs.py CORPUS [CORPUS ...] [--json out.json]``

For each corpus (say the synthetic ones of 2,000 and 8,000 documents, ``generate_corpus.py``):
its documents read and their references parsed as a build does (no cache), then, in this
process one after the other, :func:`graph.citations.works._cluster` of every mention as the
build runs it (a block's records compared only with those :class:`_Comparable` gives) and
with every pair of each block compared (what it replaced); the clusters must be the same.
Reported: the seconds of each, the calls of ``same_work`` and the load average. The pairs of
a (family, year) block grow with the square of the corpus, so the ratio falls as it grows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.build.cache import Cache, CorpusCache
from graph.build.pipeline import BuildReport, _parse_all
from graph.citations import works
from graph.citations.works import _Comparable, mentions_of
from graph.records import Bibliographic


class EveryPair(_Comparable):
    """Every record of the block from ``start`` on: each pair compared, as before."""

    def after(self, fields: Bibliographic, start: int) -> range:
        return range(start, self.size)


def _timed(mentions: list[works.Mention], comparable: type[_Comparable]
           ) -> tuple[float, int, list[list[int]]]:
    """Seconds, calls of ``same_work`` and the clusters of one clustering."""
    calls = 0
    same: Callable[[Bibliographic, Bibliographic], bool] = works.same_work

    def counted(a: Bibliographic, b: Bibliographic) -> bool:
        nonlocal calls
        calls += 1
        return same(a, b)

    works.same_work, works._Comparable = counted, comparable  # type: ignore[assignment,misc]
    try:
        start = time.perf_counter()
        clusters = works._cluster(mentions)
        return round(time.perf_counter() - start, 2), calls, clusters
    finally:
        works.same_work, works._Comparable = same, _Comparable  # type: ignore[misc]


def measure(corpus: Path) -> dict[str, Any]:
    kept = CorpusCache(Cache(None, None), strict=False)
    documents = kept.read(corpus / "documents", corpus)
    references, reports = _parse_all(documents, BuildReport(), False, kept)
    mentions, _edges = mentions_of(documents, references, reports)
    load = os.getloadavg()[0]
    seconds, calls, clusters = _timed(mentions, _Comparable)
    every_s, every_calls, every = _timed(mentions, EveryPair)
    return {"documents": len(documents), "mentions": len(mentions), "clusters": len(clusters),
            "comparable_s": seconds, "comparable_same_work_calls": calls,
            "every_pair_s": every_s, "every_pair_same_work_calls": every_calls,
            "ratio": round(seconds / every_s, 2) if every_s else None,
            "same_clusters": clusters == every,
            "load_average": [round(load, 1), round(os.getloadavg()[0], 1)]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = {}
    for corpus in args.corpora:
        results[str(corpus)] = measure(corpus)
        print(json.dumps({str(corpus): results[str(corpus)]}), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
