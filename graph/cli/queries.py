"""``ma-ild queries``: the named questions and their parameters."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.query.catalog import NamedQuery, catalog
from graph.settings import Paths


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("--queries", type=Path, default=paths.queries, help="folder of .rq files")
    p.set_defaults(run=run)


def describe(query: NamedQuery) -> str:
    """A named query's question and parameters, as ``ma-ild queries`` lists them."""
    lines = [f"{query.name}: {query.question}"]
    for p in query.parameters:
        flag = "required" if p.required else (f"default {p.default}" if p.default else "optional")
        kind = f" {p.kind}" if p.kind else ""
        lines.append(f"    --param {p.name}=...  ({p.type}{kind}, {flag}) {p.description}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    print("\n".join(describe(q) for q in catalog(args.queries).values()))
    return 0
