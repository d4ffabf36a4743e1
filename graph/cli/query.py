"""``ma-ild query``: answer a named question, a query file or an inline query.

The vocabulary is read only when a named query has a parameter that names a concept, so a
one-shot question costs little more than the query itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.cli.target import add_target_options, target_of
from graph.errors import QueryError
from graph.query.catalog import find, prepare, work_lookup
from graph.query.endpoints import Results, Target
from graph.query.results import FORMATS, render, select_columns
from graph.settings import Paths


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("name", nargs="?", help="a named query (see `ma-ild queries`)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the named query, bound as an RDF term")
    p.add_argument("--file", type=Path, help="run the SPARQL in this file instead")
    p.add_argument("--sparql", help="run this SPARQL text instead")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--limit", type=int, help="show at most this many rows")
    p.add_argument("--columns", help="show only these columns, comma-separated, in this order")
    p.add_argument("--width", type=int, default=48,
                   help="cut table cells to this many characters (0: never)")
    add_target_options(p, paths, "with --endpoint: the named graph to query as default graph")
    p.add_argument("--timeout", type=float, help="stop the query after this many seconds")
    p.add_argument("--queries", type=Path, default=paths.queries, help="folder of .rq files")
    p.set_defaults(run=run)


def parameters(pairs: list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` pairs as a dict."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE, not {pair!r}")
        values[name.strip()] = value
    return values


def _query_text(args: argparse.Namespace, target: Target) -> tuple[str, str]:
    """The SPARQL to run and where it came from (for error messages)."""
    if args.sparql is not None:
        return args.sparql, "<inline query>"
    if args.file is not None:
        try:
            return args.file.read_text(encoding="utf-8"), str(args.file)
        except OSError as exc:
            raise QueryError(f"cannot read query file {args.file}: {exc.strerror}") from None
    if args.name is None:
        raise QueryError("name a query (see `ma-ild queries`), or give --file or --sparql")
    named = find(args.queries, args.name)
    needs_vocabulary = any(p.type == "entity" for p in named.parameters)
    vocabulary = None
    if needs_vocabulary:  # rdflib, under the vocabulary, is most of a one-shot query's start-up
        from graph.vocabulary.concepts import load_vocabulary

        vocabulary = load_vocabulary(args.ontology / "vocabulary")
    return (prepare(named, parameters(args.param), vocabulary, work_lookup(target)),
            str(named.path))


def run(args: argparse.Namespace) -> int:
    target = target_of(args)
    text, source = _query_text(args, target)
    if args.param and args.name is None:
        raise QueryError("--param works with a named query; bind values in your own file")
    results = target.select(text, source, args.timeout)
    if args.limit is not None:
        results = Results(results.variables, results.rows[: args.limit], results.boolean)
    if args.columns:
        results = select_columns(results, [c.strip() for c in args.columns.split(",")])
    print(render(results, args.format, None if args.width == 0 else args.width))
    return 0
