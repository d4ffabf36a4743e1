"""The built graph as KGX TSV (Biolink), for other tools; :mod:`graph.exports.graphml` writes the
same nodes and edges as GraphML and :mod:`graph.exports.kgx_check` reads them back.

The export is read from the store (any SPARQL target) and holds:

* nodes: the vocabulary concepts (drugs, autoantibodies, antigens, diseases, ILD patterns,
  outcomes, characteristics) and the works of the citation network, each with exactly one Biolink
  category. So that the export merges with other KGX graphs, a node's id is an identifier others
  use: a concept's exact match in the first of its category's Biolink ``id_prefixes`` it has
  (``RXCUI:42316`` for tacrolimus, ``MONDO:...``, ``UniProtKB:...``), a work's PMID or else DOI.
  The project's own id (``maild.vocab:<id>``, ``maild.work:<key>``) is kept as an ``xref``, with
  the other exact matches, and is the node id only where no external identifier exists.
* edges: citations (``biolink:related_to``, originally ``cito:cites``); one ``biolink:affects``
  edge per outcome finding and drug given, carrying the finding's numbers in Biolink's slots
  (``has_count`` of ``has_total``, ``has_percentage``, ``p_value``; ``object_direction_qualifier``
  when the means before and after show the measure went up or down) and its quotes;
  ``biolink:studied_to_treat`` from a drug to each disease of the populations it was studied in;
  ``biolink:directly_physically_interacts_with`` from an autoantibody to its target antigen;
  ``biolink:subclass_of`` from a concept to its broader concept.

KGX TSV (https://github.com/biolink/kgx/blob/master/specification/kgx-format.md) has one row per
node or edge, tab-separated, multivalued fields joined by ``|``. Rows are sorted and edge ids are
UUIDs derived from what the edge says, so exporting twice gives identical bytes.

The store's rows are streamed (:meth:`graph.query.endpoints.Target.stream`) and every edge becomes
its line at once; the lines are sorted on disk when there are many, and the GraphML writer and the
check read the files a row at a time. So the exports of 100,000 documents (2.4 million citation
edges) never hold the edges: only the nodes, and per finding what its edge is made from.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.query.binding import bind_rows
from graph.query.endpoints import Binding, Target
from graph.query.texts import internal_query
from graph.rdf.external_sort import RUN_SIZE, sorted_distinct
from graph.vocabulary.namespaces import VOCAB
from graph.vocabulary.prefixes import BASE, PREFIXES

PROVIDER = "infores:ma-ild"
WORK = BASE + "work/"
MAILD = BASE + "ontology#"
NODE_COLUMNS = ("id", "category", "name", "description", "xref", "provided_by", "synonym",
                "year", "doi", "pmid", "journal", "study_design")
# A median with its quartiles and range, of the finding and before/after (maild:medianBefore...),
# and the patients before/after: the finding's own fields, by their ontology names.
_SPREAD = {"median": "median", "iqrLower": "iqr_lower", "iqrUpper": "iqr_upper",
           "minimum": "minimum", "maximum": "maximum"}
SPREAD_FIELDS = {**_SPREAD, **{f"{local}{side}": f"{column}_{side.lower()}"
                               for side in ("Before", "After")
                               for local, column in {**_SPREAD, "size": "size"}.items()}}
SPREAD_COLUMNS = tuple(SPREAD_FIELDS.values())
# Biolink's slots first (has_count, has_total, has_percentage, p_value, object_direction_qualifier),
# then the finding's own fields that Biolink has no slot for (direction is improved/worsened, not
# the measure's increase or decrease).
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "knowledge_level", "agent_type",
                "primary_knowledge_source", "publications", "supporting_text",
                "original_predicate", "has_count", "has_total", "has_percentage", "p_value",
                "object_direction_qualifier", "direction", "mean_before", "mean_after", "unit",
                "percent_change", "p_relation", "effect_measure", "effect_value", "ci_lower",
                "ci_upper", "ci_level", *SPREAD_COLUMNS, "timepoint", "role", "population",
                "reported_in", "finding")
# Kinds of vocabulary concept and their Biolink categories; a concept of several kinds takes the
# first. Study designs are not nodes (their labels are a column of the corpus documents).
KINDS = {
    "Drug": "biolink:Drug",
    "Autoantibody": "biolink:Protein",
    "Antigen": "biolink:Protein",
    "Disease": "biolink:Disease",
    "IldPattern": "biolink:PhenotypicFeature",
    "Outcome": "biolink:ClinicalAttribute",
    "Characteristic": "biolink:ClinicalAttribute",
}
# Biolink's prefix for each resource (by its Bioregistry prefix) the mappings draw on: ids and
# xrefs are written with these. tests/test_exports.py checks that each is in Biolink's prefix
# map and names the same resource in the Bioregistry (RXCUI is RxNorm's concept id).
BIOLINK_PREFIXES = {
    "rxnorm": "RXCUI", "chebi": "CHEBI", "chembl.compound": "CHEMBL.COMPOUND",
    "drugbank": "DRUGBANK", "mesh": "MESH", "uniprot": "UniProtKB", "hgnc": "HGNC",
    "mondo": "MONDO", "doid": "DOID", "efo": "EFO", "ncit": "NCIT", "icd10": "ICD10", "hp": "HP",
    "loinc": "LOINC",
}
# Each category's Biolink id_prefixes, in the model's order, among those above (the test checks
# them against the model). A category whose class names none (ClinicalAttribute) takes the
# first exact match in the order of BIOLINK_PREFIXES.
ID_PREFIXES = {
    "biolink:Drug": ("RXCUI", "CHEBI", "CHEMBL.COMPOUND", "DRUGBANK", "MESH"),
    "biolink:Protein": ("UniProtKB", "NCIT", "MESH"),
    "biolink:Disease": ("MONDO", "DOID", "EFO", "MESH", "NCIT", "ICD10", "HP"),
    "biolink:PhenotypicFeature": ("HP", "EFO", "NCIT", "MESH"),
    "biolink:ClinicalAttribute": (),
}
_EDGE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE + "kgx/edge")
_EDGE_NAMESPACE_BYTES = _EDGE_NAMESPACE.bytes

CONCEPTS = internal_query("exports/concepts")
_CONCEPTS_OF_KINDS = bind_rows(CONCEPTS, "kind",
                               [ox.NamedNode(PREFIXES["maild"] + kind) for kind in KINDS])
BROADER = internal_query("exports/broader")
ANTIGENS = internal_query("exports/antigens")
WORKS = internal_query("exports/works")
DESIGNS = internal_query("exports/designs")
CITATIONS = internal_query("exports/citations")
OUTCOME_FINDINGS = internal_query("exports/outcome-findings")
FINDING_VALUES = internal_query("exports/finding-values")
QUOTES = internal_query("exports/quotes")
DISEASES = internal_query("exports/diseases")
FINDING_COLUMNS = {  # a finding's count is of patients with the outcome, as its responders are
    "direction": "direction", "responders": "has_count", "total": "has_total",
    "percent": "has_percentage", "count": "has_count", "meanBefore": "mean_before",
    "meanAfter": "mean_after", "unit": "unit",
    "percentChange": "percent_change", "pValue": "p_value", "pValueRelation": "p_relation",
    "effectMeasure": "effect_measure", "effectValue": "effect_value", "ciLower": "ci_lower",
    "ciUpper": "ci_upper", "ciLevel": "ci_level",  # an effect's CI, else its percent's
    "timepoint": "timepoint", "agentType": "agent_type", **SPREAD_FIELDS,
}

Row = dict[str, Any]  # column -> str or list[str]


# --- reading the store --------------------------------------------------------------------------

def _select(target: Target, query: str) -> Iterator[dict[str, Binding]]:
    """The rows of ``query`` as the target makes them: the citations alone are millions."""
    return target.stream(query, "<exports>")


def _value(row: dict[str, Binding], name: str) -> str:
    return row[name]["value"] if name in row else ""


def _local(iri: str, namespace: str) -> str:
    return iri[len(namespace):] if iri.startswith(namespace) else iri


def clean(text: str) -> str:
    """One line of text: runs of whitespace (tabs, newlines) become one space.

    >>> clean(" 17 patients\\n(94%)\\thad ")
    '17 patients (94%) had'
    """
    return " ".join(text.split())


def _natural(text: str) -> list[Any]:
    """Sort key putting ``quote/2`` before ``quote/10``."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text)]


def concept_id(iri: str) -> str:
    """The node id of a vocabulary concept.

    >>> concept_id("https://w3id.org/ma-ild/vocab/tacrolimus")
    'maild.vocab:tacrolimus'
    """
    return "maild.vocab:" + _local(iri, str(VOCAB)) if iri.startswith(str(VOCAB)) else iri


def external_curie(iri: str) -> str:
    """An external IRI as a CURIE with Biolink's prefix, else the Bioregistry's preferred one
    (the IRI if the Bioregistry does not know it)."""
    from graph.vocabulary.mappings import (
        _registry,  # the Bioregistry is slow to load: only when needed
    )

    bioregistry, converter = _registry()
    curie = converter.compress(iri)
    if curie is None:
        return iri
    prefix, _, local = curie.partition(":")
    preferred = BIOLINK_PREFIXES.get(prefix) or bioregistry.get_preferred_prefix(prefix) or prefix
    return f"{preferred}:{local}"


def node_id(category: str, curies: Iterable[str], taken: set[str]) -> str | None:
    """The external CURIE that names a node of ``category``: the first, in the category's order
    of id prefixes, that no other node claims (an id two concepts share names neither).

    >>> node_id("biolink:Drug", ["MESH:D016559", "CHEBI:61049", "RXCUI:42316"], set())
    'RXCUI:42316'
    >>> node_id("biolink:Drug", ["MESH:D016559", "CHEBI:61049"], {"CHEBI:61049"})
    'MESH:D016559'
    >>> node_id("biolink:ClinicalAttribute", ["LOINC:19911-7", "NCIT:C38081"], set())
    'NCIT:C38081'
    """
    order = ID_PREFIXES.get(category) or tuple(BIOLINK_PREFIXES.values())
    usable = {c.partition(":")[0]: c for c in sorted(curies, reverse=True) if c not in taken}
    return next((usable[p] for p in order if p in usable), None)


def _label_key(binding: Binding) -> tuple[int, str]:
    """English or untagged labels first, then by text, so the choice is stable."""
    return (0 if binding.get("xml:lang", "en").startswith("en") else 1, binding["value"])


def concept_nodes(target: Target, curie: Callable[[str], str] = external_curie
                  ) -> dict[str, Row]:
    """Node rows of the vocabulary concepts, by concept IRI; ``curie`` names an exact match
    (:func:`external_curie`, or its answers kept from the last build)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    values: dict[tuple[str, str], list[Binding]] = defaultdict(list)
    for row in _select(target, _CONCEPTS_OF_KINDS):
        concept = row["concept"]["value"]
        kinds[concept].add(_local(row["kind"]["value"], MAILD))
        if "p" in row and "o" in row:
            values[concept, row["p"]["value"].rsplit("#", 1)[-1]].append(row["o"])
    matches = {m["value"] for (_, p), objects in values.items() if p == "exactMatch"
               for m in objects}
    curies = {m: curie(m) for m in sorted(matches)}
    exact = {concept: {curies[m["value"]] for m in values[concept, "exactMatch"]}
             for concept in kinds}
    claims: dict[str, int] = defaultdict(int)
    for found in exact.values():
        for claimed in found:
            claims[claimed] += 1
    shared = {claimed for claimed, n in claims.items() if n > 1}
    nodes = {}
    for concept, found in kinds.items():
        kind = next(k for k in KINDS if k in found)
        labels = sorted(values[concept, "prefLabel"], key=_label_key)
        definitions = sorted(values[concept, "definition"], key=_label_key)
        own = concept_id(concept)
        ident = node_id(KINDS[kind], exact[concept], shared) or own
        nodes[concept] = {
            "id": ident,
            "category": [KINDS[kind]],
            "name": clean(labels[0]["value"]) if labels else _local(concept, str(VOCAB)),
            "description": clean(definitions[0]["value"]) if definitions else "",
            "xref": sorted((exact[concept] | {own}) - {ident}),
            "provided_by": [PROVIDER],
            "synonym": sorted({clean(b["value"]) for b in values[concept, "altLabel"]}),
        }
    return nodes


def work_nodes(target: Target, query: str = WORKS, designs_query: str = DESIGNS
               ) -> dict[str, Row]:
    """Node rows of the works of the citation network (and of the findings), by work IRI
    (``query`` and ``designs_query``: the queries, bound to some works to read only theirs)."""
    fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}  # a predicate's local name, made once, not once per value
    for row in _select(target, query):
        entry = fields[row["work"]["value"]]
        if "p" in row and "o" in row:
            predicate = row["p"]["value"]
            name = names.get(predicate) or names.setdefault(
                predicate, re.split(r"[/#]", predicate)[-1])
            entry[name].append(clean(row["o"]["value"]))
    designs: dict[str, list[str]] = defaultdict(list)
    for row in _select(target, designs_query):
        designs[row["work"]["value"]].append(clean(row["design"]["value"]))
    nodes = {}
    for work, entry in fields.items():
        first = {name: min(found) for name, found in entry.items() if found}
        doi, pmid = first.get("doi", ""), first.get("pmid", "")
        # Biolink's id prefixes of a publication: PMID, then doi
        idents = [i for i in (pmid and f"PMID:{pmid}", doi and f"doi:{doi}") if i]
        idents.append("maild.work:" + _local(work, WORK))
        nodes[work] = {
            "id": idents[0],
            "xref": idents[1:],
            "category": ["biolink:Article" if first.get("publicationName")
                         else "biolink:Publication"],
            "name": first.get("title", ""),
            "description": first.get("abstract", ""),
            "provided_by": [PROVIDER],
            "year": first.get("issued", "")[:4],
            "doi": doi,
            "pmid": pmid,
            "journal": first.get("publicationName", ""),
            "study_design": min(designs[work]) if designs.get(work) else "",
        }
    return nodes


def publication(work: str, ids: Mapping[str, str]) -> str:
    """The CURIE a work is cited by in ``publications``: its node id (PMID, DOI, else local)."""
    return ids.get(work) or "maild.work:" + _local(work, WORK)


def direction_qualifier(own: dict[str, str]) -> str:
    """Biolink's ``object_direction_qualifier`` of a finding: whether the measure went up or
    down, from its means before and after, else its medians (not whether that was better).

    >>> direction_qualifier({"mean_before": "33.8", "mean_after": "11.5"})
    'decreased'
    >>> direction_qualifier({"median_before": "399", "median_after": "74.5"})
    'decreased'
    >>> direction_qualifier({"direction": "improved"})
    ''
    """
    for summary in ("mean", "median"):
        try:
            before, after = float(own[f"{summary}_before"]), float(own[f"{summary}_after"])
            break
        except (KeyError, ValueError):
            continue
    else:
        return ""
    return "increased" if after > before else "decreased" if after < before else ""


def edge_id(subject: str, predicate: str, object_: str, discriminator: str = "") -> str:
    """An edge's id: the UUID 5 of what it says (``uuid.uuid5`` without a UUID object per edge:
    millions of citations).

    >>> edge_id("a", "p", "b") == str(uuid.uuid5(_EDGE_NAMESPACE, "a\\tp\\tb\\t"))
    True
    """
    name = "\t".join((subject, predicate, object_, discriminator)).encode("utf-8")
    digest = bytearray(hashlib.sha1(_EDGE_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = digest[6] & 0x0F | 0x50  # version 5
    digest[8] = digest[8] & 0x3F | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _edge(
    subject: str, predicate: str, object_: str, discriminator: str = "", **fields: Any
) -> Row:
    row: Row = {"id": edge_id(subject, predicate, object_, discriminator), "subject": subject,
                "predicate": predicate, "object": object_,
                "primary_knowledge_source": PROVIDER}
    row.update(fields)
    return row


_CITES = "biolink:related_to"
_PLAIN = re.compile(r"[^\s|]+")  # a cell's text cell() gives back as it is


class CitationLines:
    """The keyed lines (:func:`keyed_lines`) of ``biolink:related_to`` (``cito:cites``) edges
    from citing to cited work, each the line its row (:func:`citation_edge`) gives, made by
    putting the edge's id and its works' cells into the cells every citation shares, not a row
    and 47 cells per citation (``works``: the node ids of the works)."""

    def __init__(self, works: Mapping[str, str]) -> None:
        self.works = works
        self._template = tsv_line(citation_edge("", "", {"": ""}), EDGE_COLUMNS).split("\t")
        places = _places(EDGE_COLUMNS)
        self._at = tuple(places[c] for c in ("id", "subject", "object", "publications"))

    def _work(self, work: str) -> tuple[str, str]:
        """A work's cells: its node id, and the publication it is cited by; both the node id
        as it is where it has no white space or ``|`` (nothing for :func:`cell` to change)."""
        ident = self.works[work]
        if _PLAIN.fullmatch(ident):
            return ident, ident
        return cell(ident), cell([publication(work, self.works)])

    def line(self, citing: str, cited: str) -> str:
        """The keyed line of the citation from ``citing`` to ``cited`` (both with node ids)."""
        subject, object_ = self.works[citing], self.works[cited]
        ident = edge_id(subject, _CITES, object_)
        cells = self._template.copy()
        at_id, at_subject, at_object, at_publications = self._at
        cells[at_id], cells[at_object] = ident, self._work(cited)[0]
        cells[at_subject], cells[at_publications] = self._work(citing)
        return "\0".join((_CITES, subject, object_, ident, "\t".join(cells)))

    def of(self, target: Target, query: str = CITATIONS) -> Iterator[str]:
        """The keyed lines of the citations ``query`` finds (all, or some) between works with
        node ids."""
        works = self.works
        for row in _select(target, query):
            citing, cited = row["citing"]["value"], row["cited"]["value"]
            if citing in works and cited in works:
                yield self.line(citing, cited)


def citation_edge(citing: str, cited: str, works: Mapping[str, str]) -> Row:
    """The edge of one citation between two works with node ids (``works``)."""
    return _edge(works[citing], _CITES, works[cited],
                 knowledge_level="knowledge_assertion", agent_type="text_mining_agent",
                 publications=[publication(citing, works)], original_predicate="cito:cites")


# Each (drug, disease) pair's findings, with the work each finding's study is: the
# ``biolink:studied_to_treat`` edges are made from it.
Treats = dict[tuple[str, str], dict[str, str]]
FINDING_QUERIES = (FINDING_VALUES, QUOTES, DISEASES, OUTCOME_FINDINGS)


def affects_edges(target: Target, concepts: Mapping[str, str], works: Mapping[str, str],
                  treats: Treats, queries: tuple[str, ...] = FINDING_QUERIES) -> Iterator[Row]:
    """One ``biolink:affects`` edge per outcome finding and drug given, each as it is made; the
    diseases of their populations go into ``treats``. ``queries``: :data:`FINDING_QUERIES`,
    or those queries bound to some findings, to make only theirs."""
    values_query, quotes_query, diseases_query, findings_query = queries
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(target, values_query):
        column = FINDING_COLUMNS[_local(row["p"]["value"], MAILD)]
        values[row["finding"]["value"]][column].append(clean(row["o"]["value"]))
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _select(target, quotes_query):
        quote = (row["quote"]["value"], clean(row["exact"]["value"]))
        quotes[row["finding"]["value"]].append(quote)
    diseases: dict[str, set[str]] = defaultdict(set)
    for row in _select(target, diseases_query):
        diseases[row["finding"]["value"]].add(row["disease"]["value"])

    given: dict[tuple[str, str], Row] = {}
    for row in _select(target, findings_query):
        finding, drug = row["finding"]["value"], row["drug"]["value"]
        entry = given.setdefault((finding, drug), {
            "outcome": row["outcome"]["value"], "study": row["study"]["value"],
            "reported": set(), "population": set(), "role": set(),
        })
        for name in ("reported", "population", "role"):
            if value := _value(row, name):
                entry[name].add(value if name == "reported" else clean(value))

    for (finding, drug), entry in given.items():
        if drug not in concepts or entry["outcome"] not in concepts:
            continue
        own = {name: min(found) for name, found in values[finding].items()}
        reported = sorted(publication(r, works) for r in entry["reported"] - {entry["study"]})
        yield _edge(
            concepts[drug], "biolink:affects", concepts[entry["outcome"]], finding,
            knowledge_level="knowledge_assertion",
            agent_type=own.pop("agent_type", "manual_agent"),
            publications=[publication(entry["study"], works)],
            supporting_text=[text for _, text in sorted(quotes[finding],
                                                        key=lambda q: _natural(q[0]))],
            role=sorted(entry["role"]),
            population=min(entry["population"]) if entry["population"] else "",
            reported_in=reported, finding=[finding],
            object_direction_qualifier=direction_qualifier(own), **own,
        )
        for disease in diseases[finding]:
            if disease in concepts:
                treats.setdefault((drug, disease), {})[finding] = entry["study"]


def treats_edges(treats: Treats, concepts: Mapping[str, str], works: Mapping[str, str]
                 ) -> Iterator[Row]:
    """``biolink:studied_to_treat`` from a drug to each disease of the populations it was
    studied in, with the studies and findings that say so."""
    for (drug, disease), findings in treats.items():
        yield _edge(
            concepts[drug], "biolink:studied_to_treat", concepts[disease],
            knowledge_level="logical_entailment", agent_type="automated_agent",
            publications=sorted({publication(study, works) for study in findings.values()}),
            finding=sorted(findings, key=_natural),
        )


def finding_edges(target: Target, concepts: Mapping[str, str], works: Mapping[str, str],
                  treats: Treats | None = None) -> Iterator[Row]:
    """The ``biolink:affects`` edges of every outcome finding, then the
    ``biolink:studied_to_treat`` edges they imply (their pairs' findings kept in ``treats``)."""
    treats = {} if treats is None else treats
    yield from affects_edges(target, concepts, works, treats)
    yield from treats_edges(treats, concepts, works)


def concept_edges(target: Target, concepts: Mapping[str, str]) -> Iterator[Row]:
    """Broader concepts (``biolink:subclass_of``) and antibodies' target antigens."""
    for row in _select(target, BROADER):
        narrower, broader = row["narrower"]["value"], row["broader"]["value"]
        if narrower in concepts and broader in concepts:
            yield _edge(concepts[narrower], "biolink:subclass_of", concepts[broader],
                        knowledge_level="knowledge_assertion", agent_type="manual_agent",
                        original_predicate="skos:broader")
    for row in _select(target, ANTIGENS):
        antibody, antigen = row["antibody"]["value"], row["antigen"]["value"]
        if antibody in concepts and antigen in concepts:
            # biolink:binds is deprecated in Biolink 4.4; this is the slot it is a kind of
            yield _edge(concepts[antibody], "biolink:directly_physically_interacts_with",
                        concepts[antigen], knowledge_level="knowledge_assertion",
                        agent_type="manual_agent", original_predicate="maild:targetAntigen")


def edge_lines(target: Target, concepts: Mapping[str, str], works: Mapping[str, str],
               treats: Treats | None = None) -> Iterator[str]:
    """Every edge's keyed line (:func:`keyed_lines`), unsorted, made as the store's rows are
    read (``concepts``, ``works``: their node ids; ``treats``: filled as
    :func:`finding_edges` says)."""
    yield from CitationLines(works).of(target)
    yield from keyed_lines(finding_edges(target, concepts, works, treats))
    yield from keyed_lines(concept_edges(target, concepts))


# --- writing ------------------------------------------------------------------------------------

def cell(value: Any) -> str:
    """A TSV cell: lists joined with ``|`` (a ``|`` inside an item becomes ``¦``), one line.

    >>> cell(["a|b", "c"]), cell(None), cell(" x\\ty ")
    ('a¦b|c', '', 'x y')
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "|".join(clean(str(v)).replace("|", "¦") for v in value if str(v))
    return clean(str(value))


@lru_cache(maxsize=8)
def _places(columns: tuple[str, ...]) -> dict[str, int]:
    return {column: at for at, column in enumerate(columns)}


def tsv_line(row: Row, columns: tuple[str, ...]) -> str:
    """A row's cells in the order of ``columns``, tab-separated; a column the row lacks is
    empty. Only the row's own cells are made: an edge fills about 10 of its 47 columns.

    >>> tsv_line({"b": ["x", "y"], "a": 1, "other": "left out"}, ("a", "b", "c"))
    '1\\tx|y\\t'
    """
    places, cells = _places(columns), [""] * len(columns)
    for name, value in row.items():
        at = places.get(name)
        if at is not None:
            cells[at] = cell(value)
    return "\t".join(cells)


def _keyed(edge: Row) -> str:
    """An edge's TSV line behind its sort key, predicate, subject, object and id, NUL-separated:
    the sorted strings are then in the order of those tuples (NUL sorts before any character
    of an id or a CURIE)."""
    return "\0".join((edge["predicate"], edge["subject"], edge["object"], edge["id"],
                      tsv_line(edge, EDGE_COLUMNS)))


def write_tsv(path: Path, columns: tuple[str, ...], lines: Iterable[str]) -> Path:
    """A header and ``lines``, written as they come (a file of millions of edges is never
    one string)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(columns) + "\n")
        out.writelines(f"{line}\n" for line in lines)
    return path


def node_ids(nodes: Mapping[str, Row]) -> dict[str, str]:
    """The node id of each IRI."""
    return {iri: node["id"] for iri, node in nodes.items()}


def node_line(node: Row) -> str:
    """A node's TSV line (its id first: the lines sort as the ids do)."""
    return tsv_line(node, NODE_COLUMNS)


def keyed_lines(edges: Iterable[Row]) -> Iterator[str]:
    """Each edge's line behind its sort key (:func:`_keyed`)."""
    return map(_keyed, edges)


def edge_key(line: str) -> str:
    """The sort key of an edge's TSV line, as :func:`_keyed` makes it from the row."""
    ident, subject, predicate, object_, _ = line.split("\t", 4)
    return "\0".join((predicate, subject, object_, ident, line))


def write_kgx(target: Target, folder: Path, run_size: int = RUN_SIZE,
              curie: Callable[[str], str] = external_curie
              ) -> tuple[Path, Path, dict[str, str], dict[str, str], Treats]:
    """:func:`kgx_export`, also returning the node ids of the concepts and of the works, and
    each (drug, disease) pair's findings (:func:`finding_edges`)."""
    concepts, works = concept_nodes(target, curie), work_nodes(target)
    nodes = sorted([*concepts.values(), *works.values()], key=lambda n: n["id"])
    nodes_path = write_tsv(folder / "kgx_nodes.tsv", NODE_COLUMNS, map(node_line, nodes))
    del nodes
    concept_ids, work_ids = node_ids(concepts), node_ids(works)
    del concepts, works
    treats: Treats = {}
    keyed = sorted_distinct(edge_lines(target, concept_ids, work_ids, treats),
                            folder / ".kgx_edges", run_size)
    edges_path = write_tsv(folder / "kgx_edges.tsv", EDGE_COLUMNS,
                            (line.split("\0", 4)[4] for line in keyed))
    return nodes_path, edges_path, concept_ids, work_ids, treats


def kgx_export(target: Target, folder: Path, run_size: int = RUN_SIZE) -> tuple[Path, Path]:
    """Write ``kgx_nodes.tsv`` (sorted by id) and ``kgx_edges.tsv`` (sorted by predicate,
    subject, object, id) into ``folder``; returns their paths.

    The nodes are held (a few hundred thousand works at most), and per finding what its edge is
    made from; the edges are not: each becomes its line as the store's rows are read, and the
    lines are sorted on disk past ``run_size`` of them.
    """
    return write_kgx(target, folder, run_size)[:2]
