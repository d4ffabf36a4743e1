"""``ma-ild remove``: take documents back out of the corpus and the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.build.remove import remove
from graph.settings import Paths


def run(args: argparse.Namespace) -> int:
    """Print every name's outcome; exit 2 when one was refused (the others still went out)."""
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    report = remove(args.documents, paths)
    print(report.summary())
    for outcome in report.refused:
        print(f"error: {outcome.file}: {outcome.detail}", file=sys.stderr)
    return 2 if report.refused else 0


def configure(p: argparse.ArgumentParser, defaults: Paths) -> None:
    p.add_argument("documents", nargs="+",
                   help="corpus documents to remove: a file name in the documents folder "
                        "(as add reported it) or a path under the corpus folder")
    p.add_argument("--corpus", type=Path, default=defaults.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="ontology folder")
    p.add_argument("--out", type=Path, default=defaults.out, help="output folder")
    p.set_defaults(run=run)
