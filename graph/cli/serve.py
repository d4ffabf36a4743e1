"""``ma-ild serve``: the built store read-only over HTTP, every query held to a deadline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.cli.target import add_service_option
from graph.errors import EndpointError
from graph.server.front import serve
from graph.settings import Paths


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback only)")
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--timeout", type=float, default=30,
                   help="answer 503 and stop a query (kill its worker) after N seconds")
    p.add_argument("--workers", type=int, default=4,
                   help="oxigraph processes answering queries, one query at a time each")
    p.add_argument("--store", type=Path, default=paths.store)
    add_service_option(p)
    p.set_defaults(run=run)


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


def run(args: argparse.Namespace) -> int:
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

    serve(args.store, args.host, args.port, args.timeout, args.workers, announce,
          frozenset(args.allow_service))
    return 0
