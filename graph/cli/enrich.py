"""``ma-ild enrich``: labels, synonyms and parents of mapped external IRIs."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.settings import Paths
from graph.vocabulary.enrichment import SHAPES, EnrichReport, enrich

SHOWN = 10  # unanswered IRIs listed by name


def summary(report: EnrichReport, shape: str, endpoint: str) -> str:
    """The lines ``ma-ild enrich`` prints."""
    if not report.iris:
        return (f"no {shape} IRIs are mapped in the built graph: nothing fetched, "
                f"graph <{report.graph}> left as it was")
    lines = [f"fetched {report.rows} rows about {report.iris} {shape} IRIs from {endpoint} "
             f"in {report.requests} requests"]
    if report.unanswered:
        count = len(report.unanswered)
        shown = ", ".join(report.unanswered[:SHOWN])
        more = f" and {count - SHOWN} more" if count > SHOWN else ""
        lines.append(f"no answer for {count} IRIs: {shown}{more}")
    lines += [f"warning: {w}" for w in report.warnings]
    lines += [f"wrote {report.triples} triples into graph <{report.graph}>:",
              f"  store: {report.store}", f"  cache: {report.cache}"]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    name = args.name or args.shape
    report = enrich(args.store, args.endpoint, args.shape, name, args.cache_dir,
                    batch=args.batch, timeout=args.timeout)
    print(summary(report, args.shape, args.endpoint))
    return 0


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.description = ("For the external IRIs of one shape that the built graph maps concepts to, "
                     "ask a SPARQL endpoint (queries/enrichment/SHAPE.rq) for labels, synonyms "
                     "and parent classes, and keep them in the named graph "
                     "https://w3id.org/ma-ild/graph/enrichment/NAME: in the built store and in "
                     "CACHE_DIR/NAME.nq, which the build loads again.")
    p.add_argument("--endpoint", required=True, help="the SPARQL 1.1 query endpoint URL")
    p.add_argument("--shape", required=True, choices=sorted(SHAPES),
                   help="which IRIs, and the shape of the remote's data: obo "
                        "(purl.obolibrary.org/obo/), mesh (id.nlm.nih.gov/mesh/), uniprot "
                        "(purl.uniprot.org/uniprot/)")
    p.add_argument("--name", help="the enrichment's name, in its graph IRI and cache file "
                                  "(default: the shape)")
    p.add_argument("--timeout", type=float, default=60,
                   help="give up on a request after this many seconds (default 60)")
    p.add_argument("--batch", type=int, default=50,
                   help="IRIs per request (default 50); smaller if the endpoint caps its rows")
    p.add_argument("--store", type=Path, default=paths.store,
                   help="the built store to read the mappings from and write the graph into")
    p.add_argument("--cache-dir", type=Path, default=paths.corpus / "enrichment",
                   help="where NAME.nq is written for the build to load")
    p.set_defaults(run=run)
