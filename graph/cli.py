"""The ``ma-ild`` command line: build the graph, then ask it questions.

Errors that are the user's to fix (bad input, a held lock, a failed validation) are printed as one
clear message and exit with status 2; they never show a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from graph.add_cli import add_add_command
from graph.build import Paths, build
from graph.enrich_cli import add_enrich_command
from graph.errors import GraphError
from graph.query_cli import add_commands
from graph.view_cli import add_view_command


def _add_build(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    defaults = Paths()
    p = sub.add_parser("build", help="build the graph from the corpus into the output folder")
    p.add_argument("--corpus", type=Path, default=defaults.corpus, help="corpus folder")
    p.add_argument("--ontology", type=Path, default=defaults.ontology, help="ontology folder")
    p.add_argument("--out", type=Path, default=defaults.out, help="output folder")
    p.add_argument("--strict", action="store_true",
                   help="fail on a reference that cannot be parsed instead of skipping it")
    p.add_argument("--no-shacl", action="store_true", help="skip SHACL validation")
    p.add_argument("--no-views", action="store_true", help="skip writing the HTML views")
    p.set_defaults(run=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    paths = Paths(corpus=args.corpus, ontology=args.ontology, out=args.out)
    report = build(paths, strict=args.strict, check_shapes=not args.no_shacl,
                   views=not args.no_views)
    print(report.summary())
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser, one subcommand per task."""
    p = argparse.ArgumentParser(prog="ma-ild", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    _add_build(sub)
    add_commands(sub)
    add_view_command(sub)
    add_add_command(sub)
    add_enrich_command(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit status."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except GraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
        return 0


if __name__ == "__main__":
    sys.exit(main())
