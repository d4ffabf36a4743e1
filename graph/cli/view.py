"""``ma-ild view``: draw the citation, evidence or entity view as one offline HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.analytics import citation_graph
from graph.cli.target import add_target_options, target_of
from graph.errors import QueryError
from graph.queries import resolve_work, titles
from graph.settings import Paths
from graph.views.citation import Trace, citation_page
from graph.views.entity import entity_page
from graph.views.evidence import evidence_page
from graph.views.page import render, write
from graph.vocabulary import load_vocabulary


def run(args: argparse.Namespace) -> int:
    target = target_of(args)
    vocabulary = load_vocabulary(args.ontology / "vocabulary")

    def concept(text: str | None, kind: str) -> str | None:
        if not text:
            return None
        try:
            return str(vocabulary.resolve(text, (kind,) if kind else ()).iri)
        except LookupError as exc:
            raise QueryError(str(exc)) from None

    def work(text: str | None) -> str | None:
        if not text:
            return None
        return resolve_work(text, lambda piece: titles(target, piece)).value

    budget = {"budget": args.budget} if args.budget else {}  # else each view's own default
    if args.kind == "citations":
        trace = Trace(source=work(args.trace_from), target=work(args.trace_to),
                      work=work(args.lineage), depth=args.depth, direction=args.direction)
        page, net = citation_page(citation_graph(target), trace=trace, **budget)
    elif args.kind == "evidence":
        chosen = {"drug": concept(args.drug, "drug"),
                  "antibody": concept(args.antibody, "antibody"), "design": args.design}
        page, net = evidence_page(target, {k: v for k, v in chosen.items() if v} or None,
                                  **budget)
    else:
        page, net = entity_page(target, concept(args.entity, ""), args.depth)
    out = write(render(page, net), args.out or Path(f"{args.kind}.html"))
    print(f"wrote {out}")
    return 0


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("kind", choices=("citations", "evidence", "entity"))
    p.add_argument("--out", type=Path, help="the HTML file to write (default: KIND.html)")
    p.add_argument("--budget", type=int,
                   help="citations: draw at most this many works, the most central (default "
                        "1000); evidence: at most this many nodes, the findings of the best "
                        "studies (default 500)")
    p.add_argument("--trace-from", help="citations: highlight the chains from this work ...")
    p.add_argument("--trace-to", help="... to this work")
    p.add_argument("--lineage", help="citations: highlight this work's lineage")
    p.add_argument("--direction", choices=("built-upon", "builds-on", "both"),
                   default="built-upon", help="citations: which way the lineage goes")
    p.add_argument("--depth", type=int, default=2, help="steps of lineage or neighbourhood")
    p.add_argument("--drug", help="evidence: show only this drug's findings")
    p.add_argument("--antibody", help="evidence: show only findings in this antibody subgroup")
    p.add_argument("--design", help="evidence: show only findings of this design (its label)")
    p.add_argument("--entity", help="entity: the entity to open on (id, label or synonym)")
    add_target_options(p, paths, "with --endpoint: the named graph to use as default graph")
    p.set_defaults(run=run)
