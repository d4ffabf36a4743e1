"""The query side of the command line: list and run queries, push and serve.

Kept apart from the build commands so that answering a question never imports the build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from graph.build import Paths
from graph.endpoints import EmbeddedStore, RemoteEndpoint, Results, Target, push
from graph.errors import EndpointError, QueryError
from graph.formats import FORMATS, render, select_columns
from graph.front import serve
from graph.queries import NamedQuery, catalog, find, prepare
from graph.sparql_text import bind
from graph.vocabulary import load_vocabulary
from graph.workers import oxigraph_binary  # noqa: F401 - importable from here, as before

QUERIES = Paths().corpus.parent / "queries"
DEFAULT_GRAPH = "https://w3id.org/ma-ild/graph"
WORK_LOOKUP = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?work ?title WHERE {
  ?work dcterms:title ?title .
  FILTER(CONTAINS(LCASE(STR(?title)), LCASE(STR(?needle)))
         || STR(?work) = ?needle || STRENDS(STR(?work), CONCAT("/", STR(?needle))))
} ORDER BY ?work"""


def target_of(args: argparse.Namespace) -> Target:
    if args.endpoint:
        return RemoteEndpoint(args.endpoint, args.graph)
    return EmbeddedStore(args.store)


def _params(pairs: list[str]) -> dict[str, str]:
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

    vocabulary = load_vocabulary(args.ontology / "vocabulary")
    return (prepare(named, _params(args.param), vocabulary, lambda p: titles(target, p)),
            str(named.path))


def titles(target: Target, piece: str) -> list[tuple[str, str]]:
    """Works whose title contains ``piece`` (any case) or whose IRI is or ends in it."""
    found = target.select(bind(WORK_LOOKUP, {"needle": ox.Literal(piece)}), "<work lookup>")
    return [(row["work"]["value"], row["title"]["value"]) for row in found.rows]


def run_query(args: argparse.Namespace) -> int:
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


def _describe(query: NamedQuery) -> str:
    lines = [f"{query.name}: {query.question}"]
    for p in query.parameters:
        flag = "required" if p.required else (f"default {p.default}" if p.default else "optional")
        kind = f" {p.kind}" if p.kind else ""
        lines.append(f"    --param {p.name}=...  ({p.type}{kind}, {flag}) {p.description}")
    return "\n".join(lines)


def list_queries(args: argparse.Namespace) -> int:
    print("\n".join(_describe(q) for q in catalog(args.queries).values()))
    return 0


def run_push(args: argparse.Namespace) -> int:
    source = args.ntriples
    if not source.exists():
        raise EndpointError(f"no built graph at {source}: run `python build_graph.py` first")
    push(args.store_url, args.graph, source)
    print(f"replaced graph <{args.graph}> at {args.store_url} with {source}")
    return 0


def serve_command(store: Path, host: str, port: int, timeout: int | None,
                  workers: int | None = None) -> list[str]:
    """The command line of ``ma-ild serve`` with these options, for tests and process managers."""
    command = [sys.executable, "-m", "graph.cli", "serve", "--store", str(store),
               "--host", host, "--port", str(port)]
    if timeout:
        command += ["--timeout", str(timeout)]
    if workers:
        command += ["--workers", str(workers)]
    return command


def run_serve(args: argparse.Namespace) -> int:
    if not (args.store / "CURRENT").exists():
        raise EndpointError(f"no built store at {args.store}: run `python build_graph.py` first")
    if args.timeout <= 0 or args.workers < 1:
        raise EndpointError("--timeout takes a number of seconds above 0, --workers at least 1")
    url = f"http://{args.host}:{args.port}"

    def announce() -> None:
        print(f"serving {args.store} read-only at {url}/ (query page); SPARQL endpoint {url}/query",
              flush=True)
        print(f"{args.workers} oxigraph workers; a query is stopped after {args.timeout:g} s; "
              "updates are refused; press Ctrl-C to stop", flush=True)

    serve(args.store, args.host, args.port, args.timeout, args.workers, announce)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``queries``, ``query``, ``push`` and ``serve`` to the command line."""
    paths = Paths()
    p = sub.add_parser("queries", help="list the named queries and their parameters")
    p.add_argument("--queries", type=Path, default=QUERIES, help="folder of .rq files")
    p.set_defaults(run=list_queries)

    p = sub.add_parser("query", help="answer a named query, a query file or an inline query")
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
    p.add_argument("--endpoint", help="a SPARQL 1.1 query endpoint URL instead of the built store")
    p.add_argument("--graph", help="with --endpoint: the named graph to query as default graph")
    p.add_argument("--timeout", type=float, help="stop the query after this many seconds")
    p.add_argument("--store", type=Path, default=paths.out / "store", help="the built store")
    p.add_argument("--queries", type=Path, default=QUERIES, help="folder of .rq files")
    p.add_argument("--ontology", type=Path, default=paths.ontology, help="ontology folder")
    p.set_defaults(run=run_query)

    p = sub.add_parser("push", help="replace a named graph on a Graph Store Protocol endpoint")
    p.add_argument("--store-url", required=True,
                   help="the Graph Store Protocol URL (for oxigraph: http://HOST:PORT/store)")
    p.add_argument("--graph", default=DEFAULT_GRAPH, help="the named graph to replace")
    p.add_argument("--ntriples", type=Path, default=paths.out / "graph.nt",
                   help="the graph to upload")
    p.set_defaults(run=run_push)

    p = sub.add_parser("serve", help="serve the built store read-only with oxigraph")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback only)")
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--timeout", type=float, default=30,
                   help="answer 503 and stop a query (kill its worker) after N seconds")
    p.add_argument("--workers", type=int, default=4,
                   help="oxigraph processes answering queries, one query at a time each")
    p.add_argument("--store", type=Path, default=paths.out / "store")
    p.set_defaults(run=run_serve)
