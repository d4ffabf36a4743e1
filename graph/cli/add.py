"""``ma-ild add``: put new literature into the corpus and the graph."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.build.add import add
from graph.settings import Paths


def run(args: argparse.Namespace) -> int:
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    print(add(args.files, paths).summary())
    return 0


def configure(p: argparse.ArgumentParser, defaults: Paths) -> None:
    p.add_argument("files", nargs="+", type=Path, help="files to add")
    p.add_argument("--corpus", type=Path, default=defaults.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="ontology folder")
    p.add_argument("--out", type=Path, default=defaults.out, help="output folder")
    p.set_defaults(run=run)
