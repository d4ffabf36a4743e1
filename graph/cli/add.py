"""``ma-ild add``: put new literature into the corpus and the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.build.add import add
from graph.cli.build import add_build_options
from graph.settings import Paths


def run(args: argparse.Namespace) -> int:
    """Print every file's outcome; exit 2 when a file was refused (the others still went in)."""
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    report = add(args.files, paths, strict=args.strict, check_shapes=not args.no_shacl,
                 views=not args.no_views, detail=None if args.detail is None else True,
                 serialisations=not args.no_serialisations, remove_later=True)
    print(report.summary())
    for outcome in report.refused:
        print(f"error: {outcome.file}: {outcome.detail}", file=sys.stderr)
    return 2 if report.refused else 0


def configure(p: argparse.ArgumentParser, defaults: Paths) -> None:
    p.add_argument("files", nargs="+", type=Path, help="files to add")
    add_build_options(p, defaults, "refuse a page only the generic reader can read, or with a "
                      "reference that cannot be parsed, instead of adding what could be read")
    p.set_defaults(run=run)
