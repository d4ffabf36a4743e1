"""``ma-ild add``: put new literature into the corpus and the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.build.add import add
from graph.settings import Paths


def run(args: argparse.Namespace) -> int:
    """Print every file's outcome; exit 2 when a file was refused (the others still went in)."""
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    report = add(args.files, paths, strict=args.strict, check_shapes=not args.no_shacl,
                 views=not args.no_views, detail=None if args.detail is None else True)
    print(report.summary())
    for outcome in report.refused:
        print(f"error: {outcome.file}: {outcome.detail}", file=sys.stderr)
    return 2 if report.refused else 0


def configure(p: argparse.ArgumentParser, defaults: Paths) -> None:
    p.add_argument("files", nargs="+", type=Path, help="files to add")
    p.add_argument("--strict", action="store_true",
                   help="refuse a page only the generic reader can read, or with a reference "
                        "that cannot be parsed, instead of adding what could be read")
    p.add_argument("--no-shacl", action="store_true", help="skip SHACL validation")
    p.add_argument("--no-views", action="store_true", help="skip writing the HTML views")
    p.add_argument("--detail", choices=("mentions",), default=None,
                   help="also write the per-mention annotations and reference-list structure "
                        "(a build that has them keeps them without this)")
    p.add_argument("--corpus", type=Path, default=defaults.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="ontology folder")
    p.add_argument("--out", type=Path, default=defaults.out, help="output folder")
    p.set_defaults(run=run)
