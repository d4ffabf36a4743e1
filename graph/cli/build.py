"""``ma-ild build``: the corpus folder in, the graph, its store, exports and views out."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.build.pending import make_pending
from graph.build.pipeline import build
from graph.settings import Paths


def add_build_options(p: argparse.ArgumentParser, paths: Paths, strict_help: str) -> None:
    """The folders and switches of a build, shared by ``build`` and ``add`` (which builds)."""
    p.add_argument("--corpus", type=Path, default=paths.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=paths.ontology, help="ontology folder")
    p.add_argument("--out", type=Path, default=paths.out, help="output folder")
    p.add_argument("--strict", action="store_true", help=strict_help)
    p.add_argument("--no-shacl", action="store_true", help="skip SHACL validation")
    p.add_argument("--no-views", action="store_true", help="skip writing the HTML views")
    p.add_argument("--detail", choices=("mentions",), default=None,
                   help="also write each mention as a Web Annotation and each reference list's "
                        "structure (detail/mentions.nt, a named graph of the store; a build that "
                        "has them keeps them on add)")
    p.add_argument("--no-serialisations", action="store_true",
                   help="leave graph.ttl and graph.jsonld for later (build-report.json lists "
                        "them as pending; `ma-ild build --pending` writes them)")


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    add_build_options(p, paths, "fail on a reference that cannot be parsed, or a page only the "
                      "generic reader can read, instead of taking in what could be read")
    p.add_argument("--pending", action="store_true",
                   help="only write the outputs the last build or add left pending (Turtle, "
                        "JSON-LD) and the catalogue description, without building again")
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="processes working at once (default: the cores this process may use; "
                        "1: all in one process); the outputs are the same bytes with any number")
    p.set_defaults(run=run)


def _jobs(text: str) -> int:
    """A ``--jobs`` value: a whole number of processes, at least one."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a number of processes, 1 or more, not {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    if args.pending:
        made = make_pending(args.out)
        print(f"wrote {', '.join(made)}" if made else "nothing was pending")
        return 0
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    report = build(paths, strict=args.strict, check_shapes=not args.no_shacl,
                   views=not args.no_views, detail=args.detail == "mentions",
                   serialisations=not args.no_serialisations, jobs=args.jobs)
    print(report.summary())
    return 0
