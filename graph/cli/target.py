"""Where a command's questions go: the built store, or a SPARQL endpoint the user names."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.query.endpoints import EmbeddedStore, RemoteEndpoint, Target
from graph.settings import Paths


def add_target_options(p: argparse.ArgumentParser, paths: Paths, graph_help: str) -> None:
    """``--endpoint``, ``--graph``, ``--store`` and ``--ontology``, shared by query and view."""
    p.add_argument("--endpoint", help="a SPARQL 1.1 query endpoint URL instead of the built store")
    p.add_argument("--graph", help=graph_help)
    p.add_argument("--store", type=Path, default=paths.store, help="the built store")
    p.add_argument("--ontology", type=Path, default=paths.ontology, help="ontology folder")
    add_service_option(p)


def add_service_option(p: argparse.ArgumentParser) -> None:
    """``--allow-service URL``: SERVICE is refused in every query path unless its URL is named."""
    p.add_argument("--allow-service", action="append", default=[], metavar="URL",
                   help="let queries call this remote SPARQL endpoint with SERVICE "
                        "(refused otherwise; may be given more than once)")


def target_of(args: argparse.Namespace) -> Target:
    """The endpoint named by ``--endpoint`` (and ``--graph``), else the built store."""
    services = frozenset(args.allow_service)
    if args.endpoint:
        return RemoteEndpoint(args.endpoint, args.graph, services)
    return EmbeddedStore(args.store, services)
