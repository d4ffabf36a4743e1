"""Write a set of triples as sorted N-Triples, Turtle and JSON-LD.

Sorted N-Triples with no blank nodes is the canonical form: the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from graph.vocab import PREFIXES

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def to_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


def sorted_ntriples(graph: Graph) -> bytes:
    """The canonical N-Triples bytes of ``graph``: one triple a line, sorted, no duplicates."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def jsonld_context() -> dict[str, object]:
    """The JSON-LD context: the project's prefixes."""
    return {"@context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}}


def write_all(graph: Graph, folder: Path) -> dict[str, Path]:
    """Write ``graph.nt``, ``graph.ttl``, ``graph.jsonld`` and ``context.jsonld``."""
    paths = {
        "ntriples": folder / "graph.nt",
        "turtle": folder / "graph.ttl",
        "jsonld": folder / "graph.jsonld",
        "context": folder / "context.jsonld",
    }
    paths["ntriples"].write_bytes(sorted_ntriples(graph))
    paths["turtle"].write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    context = jsonld_context()
    paths["context"].write_text(json.dumps(context, indent=2, sort_keys=True) + "\n")
    paths["jsonld"].write_bytes(
        graph.serialize(format="json-ld", context=context["@context"], encoding="utf-8")
    )
    return paths
