"""``ma-ild push``: replace a named graph on any Graph Store Protocol endpoint with the build."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.errors import EndpointError
from graph.query.endpoints import DEFAULT_GRAPH, push
from graph.settings import Paths


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("--store-url", required=True,
                   help="the Graph Store Protocol URL (for oxigraph: http://HOST:PORT/store)")
    p.add_argument("--graph", default=DEFAULT_GRAPH, help="the named graph to replace")
    p.add_argument("--ntriples", type=Path, default=paths.out / "graph.nt",
                   help="the graph to upload")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    source = args.ntriples
    if not source.exists():
        raise EndpointError(f"no built graph at {source}: run `python build_graph.py` first")
    push(args.store_url, args.graph, source)
    print(f"replaced graph <{args.graph}> at {args.store_url} with {source}")
    return 0
