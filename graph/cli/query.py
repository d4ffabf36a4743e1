"""``ma-ild query``: answer a named question, a query file or an inline query.

The vocabulary is read only when a named query has a parameter that names a concept, so a
one-shot question costs little more than the query itself. A findings question answers with
curated evidence unless ``--include candidates`` is given, and says how many machine-extracted
candidates it left out: under the table, as ``left_out`` in JSON, on standard error for CSV/TSV.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graph.cli.target import add_target_options, target_of
from graph.errors import QueryError
from graph.query.answers import CANDIDATES, CURATED, INCLUDE, Answer, ask, is_findings_question
from graph.query.catalog import find, work_lookup
from graph.query.endpoints import Results, Target
from graph.query.results import FORMATS, render, select_columns
from graph.settings import Paths


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("name", nargs="?", help="a named query (see `ma-ild queries`)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the named query, bound as an RDF term")
    p.add_argument("--include", choices=(CURATED, CANDIDATES),
                   help="for a findings question: curated evidence only (the default, saying how "
                        "many candidates it left out), or with the machine-extracted, unreviewed "
                        "candidates, each row marked (the same as --param include=...)")
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


def _own_query(args: argparse.Namespace) -> tuple[str, str]:
    """The SPARQL of ``--sparql`` or ``--file`` and where it came from (for error messages)."""
    if args.sparql is not None:
        return args.sparql, "<inline query>"
    try:
        return args.file.read_text(encoding="utf-8"), str(args.file)
    except OSError as exc:
        raise QueryError(f"cannot read query file {args.file}: {exc.strerror}") from None


def _answer(args: argparse.Namespace, target: Target) -> Answer:
    """The answer to the query asked: a named one with its parameters, or one's own."""
    if args.sparql is not None or args.file is not None:
        if args.param or args.include:
            option = "--param" if args.param else "--include"
            raise QueryError(f"{option} works with a named query; bind values in your own file")
        text, source = _own_query(args)
        return Answer(target.select(text, source, args.timeout), counted="")
    if args.name is None:
        raise QueryError("name a query (see `ma-ild queries`), or give --file or --sparql")
    named = find(args.queries, args.name)
    values = parameters(args.param)
    if args.include:
        if not is_findings_question(named):
            raise QueryError(f"--include is for findings questions; {named.name!r} lists no "
                             "findings")
        values[INCLUDE] = args.include
    needs_vocabulary = any(p.type == "entity" for p in named.parameters)
    vocabulary = None
    if needs_vocabulary:  # rdflib, under the vocabulary, is most of a one-shot query's start-up
        from graph.vocabulary.concepts import load_vocabulary

        vocabulary = load_vocabulary(args.ontology / "vocabulary")
    return ask(target, named, values, vocabulary, work_lookup(target), args.timeout)


def run(args: argparse.Namespace) -> int:
    answer = _answer(args, target_of(args))
    results = answer.results
    if args.limit is not None:
        results = Results(results.variables, results.rows[: args.limit], results.boolean)
    if args.columns:
        results = select_columns(results, [c.strip() for c in args.columns.split(",")])
    shown = Answer(results, answer.left_out, answer.counted)
    note = shown.note()
    if args.format == "json":
        print(json.dumps(shown.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render(results, args.format, None if args.width == 0 else args.width))
        if note and args.format == "table":
            print(note)
    if note and args.format in ("csv", "tsv"):  # a footer would be read as a row
        print(note, file=sys.stderr)
    return 0
