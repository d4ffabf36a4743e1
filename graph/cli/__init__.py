"""The ``ma-ild`` command line: build the graph, then ask it questions.

Errors that are the user's to fix (bad input, a held lock, a failed validation) are printed as one
clear message and exit with status 2; they never show a traceback. Each command lives in its own
module, imported only when that command runs, so ``ma-ild --help`` and a one-shot query start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from graph import __version__
from graph.errors import GraphError
from graph.settings import Paths


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, the module that configures and runs it, and its one-line help."""

    name: str
    module: str
    help: str


COMMANDS = (
    Command("build", "graph.cli.build", "build the graph from the corpus into the output folder"),
    Command("queries", "graph.cli.queries", "list the named queries and their parameters"),
    Command("query", "graph.cli.query", "answer a named query, a query file or an inline query"),
    Command("push", "graph.cli.push", "replace a named graph on a Graph Store Protocol endpoint"),
    Command("serve", "graph.cli.serve", "serve the built store read-only with oxigraph"),
    Command("view", "graph.cli.view", "write an interactive network view as one offline HTML file"),
    Command("add", "graph.cli.add", "add articles (text in any layout, PDF, HTML, JATS XML) or "
            "PubMed/MEDLINE, PubMed XML, RIS or BibTeX files"),
    Command("remove", "graph.cli.remove", "take documents back out of the corpus and the graph"),
    Command("pool", "graph.cli.pool", "pool a drug-outcome pair's independent studies "
            "(random effects) and draw a forest plot"),
    Command("enrich", "graph.cli.enrich",
            "fetch labels, synonyms and parents of the mapped external IRIs into a named graph"),
)


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, found without importing any command.

    >>> _chosen(["--project", "x", "query", "most-cited"])
    'query'
    >>> _chosen(["--help"]) is None
    True
    """
    names = {c.name for c in COMMANDS}
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--project":
            skip = True
        elif word in names:
            return word
        elif not word.startswith("-"):
            return None
    return None


def _project(argv: Sequence[str]) -> Path | None:
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--project", type=Path)
    return early.parse_known_args(list(argv))[0].project


def parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The argument parser; only the command named in ``argv`` gets (and imports) its options."""
    summary = __doc__.splitlines()[0].replace("``", "")
    p = argparse.ArgumentParser(prog="ma-ild", description=summary)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--project", type=Path, metavar="DIR",
                   help="the project folder: corpus/ and build/ in it (default: the working "
                        "directory; ontology/ and queries/ if it has them, else the package's)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = _chosen(argv)
    paths = Paths.of_project(_project(argv)) if chosen else None
    for command in COMMANDS:
        p_command = sub.add_parser(command.name, help=command.help, description=command.help)
        if command.name == chosen and paths is not None:
            import_module(command.module).configure(p_command, paths)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser(words).parse_args(words)
    try:
        return int(args.run(args))
    except GraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
        return 0
