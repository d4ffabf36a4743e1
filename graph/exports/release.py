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

import itertools
import json
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

import graph
from graph.cache_keys import FOLDER as CACHE
from graph.query.endpoints import EmbeddedStore, Target
from graph.query.texts import internal_query
from graph.rdf.delta import Difference
from graph.rdf.iris import slug
from graph.vocabulary.prefixes import BASE

DATASET = URIRef(BASE + "graph")
RDF_TYPE = ox.NamedNode(str(RDF.type))
CORPUS_DOCUMENT = "https://w3id.org/ma-ild/ontology#CorpusDocument"  # a source, in sources.rq
# Two sources put in the description in the place of every source (:func:`description_text`).
PLACEHOLDERS = (URIRef(f"{DATASET}/void/source-placeholder-0"),
                URIRef(f"{DATASET}/void/source-placeholder-1"))
CHANGE_LIMIT = 20_000  # changed lines past which the whole store is counted
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


Counts = dict[str, Any]  # the sizes' names (triples, subjects...) and "classes": {class: count}
STATE = "void.json"  # in the build's cache folder: its Counts
SIZES = {"triples": VOID.triples, "subjects": VOID.distinctSubjects,
         "properties": VOID.properties, "objects": VOID.distinctObjects}


def counts(target: Target) -> Counts:
    """The graph's size, its classes' instances and its sources, asked of the whole store."""
    [sizes] = _rows(target, "sizes")
    found: Counts = {name: int(sizes[name]) for name in SIZES}
    found["classes"] = {row["class"]: int(row["entities"]) for row in _rows(target, "classes")}
    found["sources"] = sorted(row["source"] for row in _rows(target, "sources"))
    return found


def _present(store: ox.Store, position: int, term: Any, added: int) -> tuple[bool, bool]:
    """Whether ``term`` stands at ``position`` (0 subject, 1 predicate, 2 object) of a triple
    of the store's default graph, and whether it did before ``added`` of them were added (or it
    stands in a removed triple: the caller knows)."""
    subject, predicate, object_ = (term if at == position else None for at in range(3))
    quads = store.quads_for_pattern(subject, predicate, object_, ox.DefaultGraph())
    found = len(list(itertools.islice(quads, added + 1)))
    return found > 0, found > added


def patched_counts(store: ox.Store, old: Counts, change: Difference) -> Counts:
    """The counts of the graph ``old`` counted, changed by ``change`` (the lines of
    ``graph.nt`` removed and added) into the store's: each term of a changed line is looked up
    in the store, not the whole graph counted again (tests/test_release.py)."""
    text = "\n".join(change.removed + change.added) + "\n"
    parsed = list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    removed, added = parsed[:len(change.removed)], parsed[len(change.removed):]
    new: Counts = {"triples": change.lines, "classes": dict(old["classes"])}
    sources = set(old["sources"])
    for sign, quads in ((-1, removed), (1, added)):
        for quad in quads:
            if quad.predicate == RDF_TYPE:
                new["classes"][quad.object.value] = new["classes"].get(quad.object.value, 0) + sign
                if quad.object.value == CORPUS_DOCUMENT and isinstance(quad.subject,
                                                                       ox.NamedNode):
                    (sources.discard if sign < 0 else sources.add)(quad.subject.value)
    new["sources"] = sorted(sources)
    new["classes"] = {c: n for c, n in new["classes"].items() if n > 0}
    for position, name in enumerate(("subjects", "properties", "objects")):
        gained: Counter[Any] = Counter(q.triple[position] for q in added)
        lost = {q.triple[position] for q in removed}
        change_count = 0
        for term in sorted(set(gained) | lost, key=str):
            now, before = _present(store, position, term, gained[term])
            change_count += int(now) - int(before or term in lost)
        new[name] = old[name] + change_count
    return new


def load_counts(build: Path) -> Counts | None:
    """The counts a build in ``build`` kept, if they are there and whole."""
    try:
        found = json.loads((build / CACHE / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(found, dict) and all(isinstance(found.get(n), int) for n in SIZES) and \
        isinstance(found.get("classes"), dict) and isinstance(found.get("sources"), list)
    return found if ok else None


def describe(target: Target, build: Path, date: str | None = None,
             sizes: Counts | None = None, sources: list[str] | None = None) -> Graph:
    """The VoID/DCAT description of the graph in ``target``, whose files are in ``build``
    (``sizes``: its :func:`counts`, if known; ``sources``: the sources to name, if not
    ``sizes``')."""
    sizes = sizes if sizes is not None else counts(target)
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
    for name, predicate in SIZES.items():
        add((DATASET, predicate, Literal(sizes[name])))
    add((DATASET, VOID.classes, Literal(len(sizes["classes"]))))
    for kind, entities in sizes["classes"].items():
        partition = URIRef(f"{DATASET}/void/class/{slug(kind)}")
        add((DATASET, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(kind)))
        add((partition, VOID.entities, Literal(entities)))
    for source in sizes["sources"] if sources is None else sources:
        add((DATASET, DCTERMS.source, URIRef(source)))
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


def write_description(target: Target, build: Path, path: Path, previous: Path | None = None,
                      change: Difference | None = None) -> Path:
    """``describe`` the graph into ``path`` as Turtle (rdflib sorts it: the same bytes). Its
    counts are kept in ``build``'s cache; given the build ``previous`` and the ``change`` of
    its ``graph.nt`` into this one's, they are that build's changed, not counted again."""
    old = load_counts(previous) if previous is not None and change is not None else None
    if old is not None and change is not None and len(change) <= CHANGE_LIMIT \
            and isinstance(target, EmbeddedStore):  # looked up term by term, not by SPARQL
        sizes = patched_counts(ox.Store.read_only(str(target.path)), old, change)
    else:
        sizes = counts(target)
    (build / CACHE).mkdir(parents=True, exist_ok=True)
    (build / CACHE / STATE).write_text(json.dumps(sizes, sort_keys=True) + "\n",
                                       encoding="utf-8")
    path.write_text(description_text(target, build, release_date(), sizes), encoding="utf-8")
    return path


def description_text(target: Target, build: Path, date: str | None, sizes: Counts) -> str:
    """:func:`describe`'s Turtle, as rdflib writes it (sorted: the same bytes), but for the
    sources: rdflib is given two placeholders, and the sources, one a corpus document, are put
    in their place as text, in rdflib's order and with its separator. At 10,000 documents
    rdflib took 1.7 s to add and write them (tests/test_release.py compares the two)."""
    sources = sizes["sources"]
    if len(sources) < len(PLACEHOLDERS):
        return describe(target, build, date, sizes).serialize(format="turtle")
    text = describe(target, build, date, sizes, [str(p) for p in PLACEHOLDERS]
                    ).serialize(format="turtle")
    first, second = (p.n3() for p in PLACEHOLDERS)
    start = text.index(first)
    end = text.index(second, start) + len(second)
    separator = text[start + len(first):end - len(second)]
    return text[:start] + separator.join(URIRef(s).n3() for s in sorted(sources)) + text[end:]
