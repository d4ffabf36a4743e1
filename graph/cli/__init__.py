"""The ``ma-ild`` command line: build the graph, then ask it questions.

Errors that are the user's to fix (bad input, a held lock, a failed validation, a full disk or a
read-only folder) are printed as one clear message and exit with status 2; they never show a
traceback. Ctrl-C, SIGTERM and SIGHUP stop a command the same way, in one line, after its clean-up
ran (a build's staging folder removed, an add's copies taken back). Each command lives in its own
module, imported only when that command runs, so ``ma-ild --help`` and a one-shot query start fast.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import errno
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from graph import __version__
from graph.errors import GraphError, Stopped
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
    Command("curate", "graph.cli.curate", "write a draft curation record of a document from its "
            "machine-extracted candidate findings, for a person to confirm, correct or delete"),
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


# the machine's, not the program's: said in one line, never as a traceback
ENVIRONMENT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
_received: list[int] = []


def _stop(signum: int, _frame: object) -> None:
    """Stop the command: its children (a build's record writer) at once, then unwind."""
    _received.append(signum)
    for child in multiprocessing.active_children():
        child.kill()
    raise Stopped(signum)


def console() -> None:
    """The ``ma-ild`` program: :func:`main`, then the process ends with the system taking its
    memory back at once, not Python freeing every object first.

    Python's own exit frees each module's objects one by one: a third of a second after an add
    at N=2,000 documents, with nothing left to do. Here the exit handlers run as usual (a
    library's, coverage's) and the process ends (``os._exit``, as mypy ends). Every file is
    written and closed by then, each under its ``with`` block; the standard streams are flushed
    here. When a thread Python would wait for (not a daemon) or a child process is still
    running, the usual exit waits instead.
    """
    status = main()
    waited = [t for t in threading.enumerate()
              if not t.daemon and t is not threading.main_thread()]
    if waited or multiprocessing.active_children():
        sys.exit(status)
    atexit._run_exitfuncs()  # what Python's exit would run before freeing the objects
    with contextlib.suppress(BrokenPipeError):  # the reader stopped reading: as in main
        sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser(words).parse_args(words)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, _stop) for s in STOP_SIGNALS} if in_main_thread else {}
    _received.clear()
    try:
        status = int(args.run(args))
        if _received:  # its exception was swallowed where Python ignores them (in a __del__)
            name = signal.Signals(_received[0]).name
            print(f"error: stopped by {name} after the work was done; it was kept",
                  file=sys.stderr)
            return 128 + _received[0]
        return status
    except GraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
        return 0
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRORS:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror}; nothing was changed", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Stopped) as exc:
        name, status = (exc.args[0], 128 + exc.signum) if isinstance(exc, Stopped) else (
            "Ctrl-C", 130)
        print(f"error: stopped by {name}; work under way was undone, nothing was changed",
              file=sys.stderr)
        return status
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
