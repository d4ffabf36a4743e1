"""``ma-ild curate``: write a draft curation record of a document from its candidate findings."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.build.curate import curate
from graph.settings import Paths


def run(args: argparse.Namespace) -> int:
    paths = Paths(corpus=args.corpus, ontology=args.ontology)
    print(curate(args.document, paths, args.force).summary(paths.corpus))
    return 0


def configure(p: argparse.ArgumentParser, defaults: Paths) -> None:
    p.add_argument("document",
                   help="a corpus document: a file name in the documents folder (as add "
                        "reported it) or a path under the corpus folder; FILE#pmid-N for one "
                        "record of a file of several")
    p.add_argument("--force", action="store_true",
                   help="overwrite the curation record the document already has")
    p.add_argument("--corpus", type=Path, default=defaults.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="ontology folder")
    p.set_defaults(run=run)
