"""The ``add`` command: put new literature into the corpus and the graph."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.add import add
from graph.build import Paths


def run_add(args: argparse.Namespace) -> int:
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    print(add(args.files, paths).summary())
    return 0


def add_add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``add`` to the command line."""
    defaults = Paths()
    p = sub.add_parser(
        "add", help="add article pages or PubMed/MEDLINE, PubMed XML, RIS or BibTeX files",
    )
    p.add_argument("files", nargs="+", type=Path, help="files to add")
    p.add_argument("--corpus", type=Path, default=defaults.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="ontology folder")
    p.add_argument("--out", type=Path, default=defaults.out, help="output folder")
    p.set_defaults(run=run_add)
