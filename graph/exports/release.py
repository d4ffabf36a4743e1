"""The build's description of the graph for catalogues, in VoID and DCAT: ``build/void.ttl``.

A harvester (a SPARQL service's dataset list, a data portal) learns from it what the graph is,
its version (``graph.__version__``) and licence, the ontology versions it is written in, the
documents it was read from, the SSSOM mapping tables in it (each under its own licence), its
size (triples, subjects, properties, classes with their instance counts) and its distributions.
Everything comes from the store and the version, so identical builds give identical bytes: a
release date is written only when the build is given one the reproducible-builds way
(``SOURCE_DATE_EPOCH``, seconds since 1970), never the clock's. The description is a file beside
the graph, not part of it, so ``graph.nt`` stays as it was.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

import graph
from graph.query.endpoints import Target
from graph.query.texts import internal_query
from graph.rdf.iris import slug
from graph.vocabulary.prefixes import BASE

DATASET = URIRef(BASE + "graph")
LICENSE = URIRef("https://spdx.org/licenses/MIT")  # the project's licence (LICENSE, pyproject)
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT is version 2
IANA = Namespace("https://www.iana.org/assignments/media-types/")
# The build's files a user downloads, with their media types.
DISTRIBUTIONS = {
    "graph.nt": "application/n-triples",
    "graph.ttl": "text/turtle",
    "graph.jsonld": "application/ld+json",
    "exports/kgx_nodes.tsv": "text/tab-separated-values",
    "exports/kgx_edges.tsv": "text/tab-separated-values",
    "exports/graph.graphml": "application/graphml+xml",
}


def release_date(environment: dict[str, str] | None = None) -> str | None:
    """The release date the build was given (``SOURCE_DATE_EPOCH``), as an ISO date.

    >>> release_date({"SOURCE_DATE_EPOCH": "1765065600"})
    '2025-12-07'
    >>> release_date({}) is None
    True
    """
    epoch = (os.environ if environment is None else environment).get("SOURCE_DATE_EPOCH", "")
    if not epoch.strip():
        return None
    return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()


QUERIES = {
    "classes": internal_query("release/classes"),
    "mapping-sets": internal_query("release/mapping-sets"),
    "ontology": internal_query("release/ontology"),
    "sizes": internal_query("release/sizes"),
    "sources": internal_query("release/sources"),
}


def _rows(target: Target, name: str) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()}
            for row in target.stream(QUERIES[name], f"<release/{name}>")]


def describe(target: Target, build: Path, date: str | None = None) -> Graph:
    """The VoID/DCAT description of the graph in ``target``, whose files are in ``build``."""
    g = Graph(bind_namespaces="none")
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("owl", OWL)
    g.bind("xsd", XSD)
    add = g.add
    for kind in (VOID.Dataset, DCAT.Dataset):
        add((DATASET, RDF.type, kind))
    add((DATASET, DCTERMS.title, Literal("MA-ILD evidence graph", lang="en")))
    add((DATASET, DCTERMS.description, Literal(
        "The clinical evidence on myositis-associated interstitial lung disease: studies, drugs, "
        "autoantibodies, outcomes, findings with their numbers and quotes, and citations.",
        lang="en")))
    add((DATASET, DCTERMS.license, LICENSE))
    add((DATASET, OWL.versionInfo, Literal(graph.__version__)))
    add((DATASET, DCAT_VERSION, Literal(graph.__version__)))
    if date:
        add((DATASET, DCTERMS.issued, Literal(date, datatype=XSD.date)))
    for row in _rows(target, "ontology"):
        add((DATASET, DCTERMS.conformsTo, URIRef(row["version"])))
        add((DATASET, VOID.vocabulary, URIRef(row["ontology"])))
    [sizes] = _rows(target, "sizes")
    for name, predicate in (("triples", VOID.triples), ("subjects", VOID.distinctSubjects),
                            ("properties", VOID.properties), ("objects", VOID.distinctObjects)):
        add((DATASET, predicate, Literal(int(sizes[name]))))
    classes = _rows(target, "classes")
    add((DATASET, VOID.classes, Literal(len(classes))))
    for row in classes:
        partition = URIRef(f"{DATASET}/void/class/{slug(row['class'])}")
        add((DATASET, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(row["class"])))
        add((partition, VOID.entities, Literal(int(row["entities"]))))
    for row in _rows(target, "sources"):
        add((DATASET, DCTERMS.source, URIRef(row["source"])))
    for row in _rows(target, "mapping-sets"):  # under their own licences
        add((DATASET, VOID.subset, URIRef(row["set"])))
        add((URIRef(row["set"]), RDF.type, VOID.Dataset))
        if "license" in row:
            add((URIRef(row["set"]), DCTERMS.license, URIRef(row["license"])))
    for name, media in DISTRIBUTIONS.items():
        path = build / name
        if not path.is_file():
            continue
        distribution = URIRef(f"{DATASET}/distribution/{slug(name)}")
        add((DATASET, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCTERMS.title, Literal(name)))
        add((distribution, DCAT.mediaType, IANA[media]))
        add((distribution, DCAT.byteSize,
             Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
    return g


def write_description(target: Target, build: Path, path: Path) -> Path:
    """``describe`` the graph into ``path`` as Turtle (rdflib sorts it: the same bytes)."""
    date = release_date()
    path.write_text(describe(target, build, date).serialize(format="turtle"), encoding="utf-8")
    return path
