"""Terms made once per distinct value, against made for every triple, side by side (issue 26).

``python benchmarks/term_cache.py CORPUS WORK [--rounds 2] [--json out.json]``

In one process, the records' stages of a build of ``CORPUS`` from nothing (no cache, one job:
the blocks are made here, not in workers) run in turn with the terms made as before (rdflib's
``Literal`` for every literal, ``urllib.parse.quote`` for every IRI part) and as now
(:func:`graph.rdf.literals.literal`, :func:`graph.rdf.iri_text.iri_text` passing by a part
with nothing to quote), the order flipped each round. Each "triples to N-Triples" stage's CPU
seconds are printed, and ``graph.nt`` must be the same bytes both ways.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from rdflib import Literal

import graph.citations.triples as citation_triples
import graph.evidence.triples as evidence_triples
import graph.rdf.iri_text as iri_text
from graph.build.pipeline import write_records
from graph.rdf.literals import literal
from graph.settings import Paths


@contextmanager
def terms(cached: bool) -> Iterator[None]:
    """The terms made as before (``cached`` False) or as now, for the block of code inside."""
    quoted = iri_text._quoted
    if not cached:
        citation_triples.literal = evidence_triples.literal = (  # type: ignore[assignment]
            lambda value, datatype=None: Literal(value, datatype=datatype))
        iri_text._quoted = lambda part: quote(part, safe=iri_text.SAFE)
    try:
        yield
    finally:
        citation_triples.literal = evidence_triples.literal = literal
        iri_text._quoted = quoted
        literal.cache_clear()


def _triples_cpu(corpus: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    _, stages, _ = write_records(Paths(corpus=corpus, out=out), out / "graph.nt", False, False)
    return next(float(s["cpu_seconds"]) for s in stages if s["stage"] == "triples to N-Triples")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path, help="a folder to build in (emptied)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    runs: dict[str, list[float]] = {"before": [], "now": []}
    for round_ in range(args.rounds):
        order = ["before", "now"] if round_ % 2 == 0 else ["now", "before"]
        for name in order:
            with terms(cached=name == "now"):
                seconds = _triples_cpu(args.corpus, args.work / name)
            runs[name].append(seconds)
            print(f"round {round_ + 1} {name}: triples to N-Triples {seconds:.2f} CPU s "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)
    same = filecmp.cmp(args.work / "before" / "graph.nt", args.work / "now" / "graph.nt",
                       shallow=False)
    ratios = [now / before for before, now in zip(runs["before"], runs["now"], strict=True)]
    print(f"now / before: {', '.join(f'{r:.2f}' for r in ratios)}; graph.nt the same: {same}")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "ratios": ratios, "same_graph": same},
                                         indent=2) + "\n")


if __name__ == "__main__":
    main()
