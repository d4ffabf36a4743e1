"""Enrichment: what external ontologies call the IRIs the vocabulary is mapped to.

For the external IRIs of one shape (OBO, MeSH, UniProt) that the built graph maps concepts to,
the query ``queries/enrichment/SHAPE.rq`` is sent to a SPARQL endpoint in batches, the IRIs bound
in a multi-row ``VALUES`` block. Its rows (``?entity ?label ?synonym ?parent ?parentLabel``) are
normalised to SKOS/RDFS triples with a PROV record of the fetch, and kept in a named graph of their
own, ``https://w3id.org/ma-ild/graph/enrichment/NAME``, never in the default graph:

- as sorted N-Quads in ``corpus/enrichment/NAME.nq``, which the build loads into the store again,
  so an offline rebuild keeps the enrichment;
- in the built store, where the named graph is replaced in one transaction.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from graph.build.publish import build_lock
from graph.errors import EndpointError, GraphError, InputError
from graph.query.binding import bind, bind_rows
from graph.query.endpoints import Binding, EmbeddedStore, RemoteEndpoint
from graph.query.texts import internal_query
from graph.settings import bundled

QUERY_FOLDER = bundled("queries") / "enrichment"
GRAPH_BASE = "https://w3id.org/ma-ild/graph/enrichment/"
ACTIVITY_BASE = "https://w3id.org/ma-ild/activity/enrichment/"
SHAPES = {
    "obo": "http://purl.obolibrary.org/obo/",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "uniprot": "http://purl.uniprot.org/uniprot/",
}
COLUMNS = ("entity", "label", "synonym", "parent", "parentLabel")
ROW_CAP = 1000  # MeSH's endpoint answers at most this many rows; a full batch may have been cut
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_ALT_LABEL = ox.NamedNode(SKOS + "altLabel")
SKOS_BROADER = ox.NamedNode(SKOS + "broader")
PROV = "http://www.w3.org/ns/prov#"
XSD_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")

MAPPED = internal_query("enrichment/mapped-iris")


class EnrichmentError(GraphError):
    """An enrichment cannot be run as asked: bad name or batch, no built store, store in use."""


@dataclass
class EnrichReport:
    """What one enrichment did, for the terminal."""

    name: str
    graph: str
    iris: int = 0
    requests: int = 0
    rows: int = 0
    triples: int = 0
    unanswered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cache: Path | None = None
    store: Path | None = None


def check_name(name: str) -> str:
    """``name`` if it can name a graph and a file (lower-case letters, digits, hyphens)."""
    if not _NAME.match(name):
        raise EnrichmentError(f"enrichment name {name!r}: use lower-case letters, digits and "
                              "hyphens (it names the graph and the cache file)")
    return name


def graph_iri(name: str) -> ox.NamedNode:
    """The named graph of an enrichment.

    >>> graph_iri("obo").value
    'https://w3id.org/ma-ild/graph/enrichment/obo'
    """
    return ox.NamedNode(GRAPH_BASE + check_name(name))


def mapped_iris(store: Path, shape: str) -> list[str]:
    """The external IRIs of ``shape`` that the built graph maps its concepts to, sorted."""
    query = bind(MAPPED, {"namespace": ox.Literal(SHAPES[shape])})
    found = EmbeddedStore(store).select(query, "<mapped IRIs>")
    return [row["target"]["value"] for row in found.rows]


def _term(binding: Binding | None) -> ox.NamedNode | ox.Literal | None:
    """A result value as an RDF term; blank nodes (and values that are no term) as None."""
    if binding is None:
        return None
    try:
        if binding["type"] == "uri":
            return ox.NamedNode(binding["value"])
        if binding["type"] == "literal":
            if "xml:lang" in binding:
                return ox.Literal(binding["value"], language=binding["xml:lang"])
            if "datatype" in binding:
                return ox.Literal(binding["value"], datatype=ox.NamedNode(binding["datatype"]))
            return ox.Literal(binding["value"])
    except ValueError:
        return None
    return None


def batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """``items`` in consecutive slices of at most ``size``.

    >>> [list(b) for b in batches(["a", "b", "c"], 2)]
    [['a', 'b'], ['c']]
    """
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fetch(
    endpoint: RemoteEndpoint, shape: str, iris: Sequence[str], batch: int, timeout: float | None,
    report: EnrichReport,
) -> list[dict[str, Binding]]:
    """The rows the endpoint gives for ``iris``, ``batch`` IRIs a request."""
    path = QUERY_FOLDER / f"{shape}.rq"
    text = path.read_text(encoding="utf-8")
    rows: list[dict[str, Binding]] = []
    for number, chunk in enumerate(batches(iris, batch), start=1):
        query = bind_rows(text, "entity", [ox.NamedNode(i) for i in chunk])
        try:
            results = endpoint.select(query, f"queries/enrichment/{path.name}", timeout)
        except ValueError:  # an answer that is not SPARQL results JSON at all
            raise EndpointError(
                f"{endpoint.url} did not answer with SPARQL results JSON") from None
        report.requests += 1
        missing = [c for c in COLUMNS if c not in results.variables]
        if results.boolean is not None or missing:
            raise EndpointError(f"{endpoint.url} answered without the columns "
                                f"{', '.join(missing) or ', '.join(COLUMNS)}")
        if len(results.rows) >= ROW_CAP:
            report.warnings.append(
                f"request {number} returned {len(results.rows)} rows, the most some endpoints "
                "(MeSH's) give: it may have been cut; rerun with a smaller --batch")
        rows += results.rows
    return rows


def normalise(rows: list[dict[str, Binding]], iris: Sequence[str]) -> set[ox.Triple]:
    """The rows as triples: label, altLabel (synonyms other than a label), broader, parent label.

    Rows about IRIs that were not asked for, and values of the wrong kind, are left out.
    """
    asked = set(iris)
    labels: dict[str, set[str]] = {}
    triples: set[ox.Triple] = set()
    synonyms: list[tuple[ox.NamedNode, ox.Literal]] = []
    for row in rows:
        entity = _term(row.get("entity"))
        if not isinstance(entity, ox.NamedNode) or entity.value not in asked:
            continue
        label, synonym = _term(row.get("label")), _term(row.get("synonym"))
        parent, parent_label = _term(row.get("parent")), _term(row.get("parentLabel"))
        if isinstance(label, ox.Literal):
            triples.add(ox.Triple(entity, RDFS_LABEL, label))
            labels.setdefault(entity.value, set()).add(label.value)
        if isinstance(synonym, ox.Literal):
            synonyms.append((entity, synonym))
        if isinstance(parent, ox.NamedNode):
            triples.add(ox.Triple(entity, SKOS_BROADER, parent))
            if isinstance(parent_label, ox.Literal):
                triples.add(ox.Triple(parent, RDFS_LABEL, parent_label))
    for entity, synonym in synonyms:
        if synonym.value not in labels.get(entity.value, set()):
            triples.add(ox.Triple(entity, SKOS_ALT_LABEL, synonym))
    return triples


def _timestamp(moment: datetime) -> ox.Literal:
    text = moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return ox.Literal(text, datatype=XSD_DATE_TIME)


def provenance(name: str, endpoint_url: str, started: datetime,
               ended: datetime) -> list[ox.Triple]:
    """The graph as a prov:Entity generated by the fetch, a prov:Activity that used the endpoint."""
    graph, used = graph_iri(name), _endpoint_iri(endpoint_url)
    activity = ox.NamedNode(ACTIVITY_BASE + name)
    return [
        ox.Triple(graph, RDF_TYPE, ox.NamedNode(PROV + "Entity")),
        ox.Triple(graph, ox.NamedNode(PROV + "wasGeneratedBy"), activity),
        ox.Triple(activity, RDF_TYPE, ox.NamedNode(PROV + "Activity")),
        ox.Triple(activity, ox.NamedNode(PROV + "used"), used),
        ox.Triple(activity, ox.NamedNode(PROV + "startedAtTime"), _timestamp(started)),
        ox.Triple(activity, ox.NamedNode(PROV + "endedAtTime"), _timestamp(ended)),
    ]


def nquads(quads: list[ox.Quad]) -> bytes:
    """Sorted N-Quads, one quad a line, no duplicates."""
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def write_cache(folder: Path, name: str, data: bytes) -> Path:
    """Write ``folder/NAME.nq`` whole or not at all."""
    path = folder / f"{name}.nq"
    partial = folder / f".{name}.nq.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise EnrichmentError(f"cannot write the cache {path}: {exc.strerror}") from None
    return path


def replace_graph(store: Path, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
    """Replace ``graph`` in the built store with ``quads``, in one transaction.

    The default graph is not touched. The caller holds the build's lock on the output folder.
    """
    triples = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    update = f"DROP SILENT GRAPH {graph} ; INSERT DATA {{ GRAPH {graph} {{ {triples} }} }}"
    try:
        writable = ox.Store(str(store))
    except OSError as exc:
        raise EnrichmentError(f"cannot open the store {store} for writing: {exc}") from None
    try:
        writable.update(update)
        writable.flush()
    finally:
        del writable


def publish(store: Path, cache_dir: Path, name: str, quads: list[ox.Quad]) -> Path:
    """Replace the enrichment graph in the store, then write its cache; returns the cache file.

    Both happen under the build's lock on the store's output folder, so a build neither swaps the
    store away underneath nor reads a cache that does not match it.
    """
    data = nquads(quads)
    with build_lock(store.parent):
        replace_graph(store, graph_iri(name), list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
        return write_cache(cache_dir, name, data)


def load_enrichment(store: Path, folder: Path) -> dict[str, int]:
    """Load every ``folder/NAME.nq`` into graph NAME of ``store``; quads loaded by name.

    Each file may hold only quads of its own enrichment graph. No folder: nothing is loaded.
    """
    if not folder.is_dir():
        return {}
    loaded: dict[str, int] = {}
    quads: list[ox.Quad] = []
    for path in sorted(folder.glob("*.nq")):
        if not _NAME.match(path.stem):
            raise InputError(path, "an enrichment cache is named NAME.nq, NAME in lower-case "
                             "letters, digits and hyphens")
        graph = graph_iri(path.stem)
        try:
            found = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise InputError(path, f"not N-Quads: {exc}") from None
        for quad in found:
            if quad.graph_name != graph:
                raise InputError(path, f"a quad in graph {quad.graph_name}, not {graph}: "
                                 f"{quad.subject} {quad.predicate} {quad.object}")
        quads += found
        loaded[path.stem] = len(found)
    if quads:
        writable = ox.Store(str(store))
        try:
            writable.extend(quads)
            writable.flush()
        finally:
            del writable
    return loaded


def _endpoint_iri(url: str) -> ox.NamedNode:
    try:
        iri = ox.NamedNode(url)
    except ValueError:
        iri = None
    if iri is None or not url.startswith(("http://", "https://")):
        raise EnrichmentError(f"the endpoint {url!r} is not an http(s) URL")
    return iri


def enrich(
    store: Path, endpoint_url: str, shape: str, name: str, cache_dir: Path, *,
    batch: int = 50, timeout: float | None = 60, now: datetime | None = None,
) -> EnrichReport:
    """Fetch the enrichment of ``shape`` into graph ``name``: built store and cache file."""
    if shape not in SHAPES:
        raise EnrichmentError(f"unknown shape {shape!r}; shapes: {', '.join(SHAPES)}")
    if batch < 1:
        raise EnrichmentError(f"--batch must be at least 1, not {batch}")
    _endpoint_iri(endpoint_url)
    graph = graph_iri(name)
    report = EnrichReport(name, graph.value)
    iris = mapped_iris(store, shape)
    report.iris = len(iris)
    if not iris:  # nothing mapped to this shape: no request, and nothing changes
        return report
    started = now or datetime.now(UTC)
    rows = fetch(RemoteEndpoint(endpoint_url), shape, iris, batch, timeout, report)
    report.rows = len(rows)
    triples = normalise(rows, iris)
    answered = {t.subject.value for t in triples}
    report.unanswered = [i for i in iris if i not in answered]
    triples.update(provenance(name, endpoint_url, started, now or datetime.now(UTC)))
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    report.triples = len(quads)
    report.cache = publish(store, cache_dir, name, quads)
    report.store = store
    return report
