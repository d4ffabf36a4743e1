"""Exports of the built graph for other tools: KGX TSV (Biolink) and GraphML (Gephi, Cytoscape).

Both are read from the store (any SPARQL target) and hold the same nodes and edges:

* nodes: the vocabulary concepts (drugs, autoantibodies, antigens, diseases, ILD patterns,
  outcomes, characteristics), ``maild.vocab:<id>``, with their exact matches to external
  ontologies as ``xref`` CURIEs; and the works of the citation network (``doi:<doi>`` when they
  have a DOI, else ``maild.work:<key>``). Each has exactly one Biolink category.
* edges: citations (``biolink:related_to``, originally ``cito:cites``); one ``biolink:affects``
  edge per outcome finding and drug given, carrying the finding's numbers and quotes;
  ``biolink:studied_to_treat`` from a drug to each disease of the populations it was studied in;
  ``biolink:directly_physically_interacts_with`` from an autoantibody to its target antigen;
  ``biolink:subclass_of`` from a concept to its broader concept.

KGX TSV (https://github.com/biolink/kgx/blob/master/specification/kgx-format.md) has one row per
node or edge, tab-separated, multivalued fields joined by ``|``. Rows are sorted and edge ids are
UUIDs derived from what the edge says, so exporting twice gives identical bytes.

:func:`check_kgx` reads the files back and reports structural problems (and, given the Biolink
model from the ``biolink-model`` package, categories or predicates that are not Biolink's). The
``kgx`` and ``bmt`` packages are not used: they fetch the model from the network at run time.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from graph.endpoints import Binding, Target
from graph.vocab import BASE, VOCAB

PROVIDER = "infores:ma-ild"
WORK = BASE + "work/"
MAILD = BASE + "ontology#"
NODE_COLUMNS = ("id", "category", "name", "description", "xref", "provided_by", "synonym",
                "year", "doi", "pmid", "journal", "study_design")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "knowledge_level", "agent_type",
                "primary_knowledge_source", "publications", "supporting_text",
                "original_predicate", "direction", "responders", "total", "percent", "count",
                "mean_before", "mean_after", "unit", "percent_change", "p_value", "p_relation",
                "timepoint", "role", "population", "reported_in", "finding")
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
INTEGERS = frozenset({"year", "responders", "total", "count"})
DECIMALS = frozenset({"percent", "mean_before", "mean_after", "percent_change", "p_value"})
_EDGE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE + "kgx/edge")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE]-?\d+)?")

PREFIXES = """
PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
_KIND_VALUES = " ".join(f"maild:{kind}" for kind in KINDS)
CONCEPTS = PREFIXES + f"""
SELECT ?concept ?kind ?p ?o WHERE {{
  VALUES ?kind {{ {_KIND_VALUES} }}
  ?concept a ?kind .
  OPTIONAL {{
    VALUES ?p {{ skos:prefLabel skos:definition skos:altLabel skos:exactMatch }}
    ?concept ?p ?o
  }}
}}"""
BROADER = PREFIXES + "SELECT DISTINCT ?narrower ?broader WHERE { ?narrower skos:broader ?broader }"
ANTIGENS = PREFIXES + """
SELECT DISTINCT ?antibody ?antigen WHERE { ?antibody maild:targetAntigen ?antigen }"""
WORKS = PREFIXES + """
SELECT ?work ?p ?o WHERE {
  { SELECT DISTINCT ?work WHERE {
      { ?work cito:cites ?other } UNION { ?other cito:cites ?work }
      UNION { ?finding a maild:Finding ; maild:study|maild:reportedIn ?work }
  } }
  OPTIONAL {
    VALUES ?p { dcterms:title dcterms:issued dcterms:abstract prism:publicationName bibo:doi
                bibo:pmid }
    ?work ?p ?o
  }
}"""
DESIGNS = PREFIXES + """
SELECT DISTINCT ?work ?design WHERE {
  ?work a maild:CorpusDocument ; maild:studyDesign/skos:prefLabel ?design
}"""
CITATIONS = PREFIXES + "SELECT DISTINCT ?citing ?cited WHERE { ?citing cito:cites ?cited }"
OUTCOME_FINDINGS = PREFIXES + """
SELECT DISTINCT ?finding ?drug ?outcome ?study ?reported ?population ?role WHERE {
  ?finding a maild:Finding ;
           maild:findingKind "outcome" ;
           maild:intervention ?intervention ;
           maild:outcome ?outcome ;
           maild:study ?study .
  ?intervention maild:drug ?drug .
  OPTIONAL { ?intervention maild:role ?role }
  OPTIONAL { ?finding maild:reportedIn ?reported }
  OPTIONAL { ?finding maild:population/rdfs:label ?population }
}"""
FINDING_VALUES = PREFIXES + """
SELECT ?finding ?p ?o WHERE {
  ?finding a maild:Finding ; maild:findingKind "outcome" .
  VALUES ?p { maild:direction maild:responders maild:total maild:percent maild:count
              maild:meanBefore maild:meanAfter maild:unit maild:percentChange maild:pValue
              maild:pValueRelation maild:timepoint maild:agentType }
  ?finding ?p ?o
}"""
QUOTES = PREFIXES + """
SELECT ?finding ?quote ?exact WHERE {
  ?finding a maild:Finding ; maild:findingKind "outcome" ;
           maild:quote ?quote .
  ?quote oa:hasSelector/oa:exact ?exact
}"""
DISEASES = PREFIXES + """
SELECT DISTINCT ?finding ?disease WHERE {
  ?finding a maild:Finding ; maild:findingKind "outcome" ;
           maild:population/maild:subsetOf* ?population .
  ?population maild:disease ?disease
}"""
FINDING_COLUMNS = {
    "direction": "direction", "responders": "responders", "total": "total", "percent": "percent",
    "count": "count", "meanBefore": "mean_before", "meanAfter": "mean_after", "unit": "unit",
    "percentChange": "percent_change", "pValue": "p_value", "pValueRelation": "p_relation",
    "timepoint": "timepoint", "agentType": "agent_type",
}

Row = dict[str, Any]  # column -> str or list[str]


# --- reading the store --------------------------------------------------------------------------

def _select(target: Target, query: str) -> list[dict[str, Binding]]:
    return target.select(query, "<exports>").rows


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
    """An external IRI as a CURIE with the Bioregistry's preferred prefix (the IRI if unknown)."""
    from graph.mappings import _registry  # the Bioregistry is slow to load: only when needed

    bioregistry, converter = _registry()
    curie = converter.compress(iri)
    if curie is None:
        return iri
    prefix, _, local = curie.partition(":")
    return f"{bioregistry.get_preferred_prefix(prefix) or prefix}:{local}"


def _label_key(binding: Binding) -> tuple[int, str]:
    """English or untagged labels first, then by text, so the choice is stable."""
    return (0 if binding.get("xml:lang", "en").startswith("en") else 1, binding["value"])


def concept_nodes(target: Target) -> dict[str, Row]:
    """Node rows of the vocabulary concepts, by concept IRI."""
    kinds: dict[str, set[str]] = defaultdict(set)
    values: dict[tuple[str, str], list[Binding]] = defaultdict(list)
    for row in _select(target, CONCEPTS):
        concept = row["concept"]["value"]
        kinds[concept].add(_local(row["kind"]["value"], MAILD))
        if "p" in row and "o" in row:
            values[concept, row["p"]["value"].rsplit("#", 1)[-1]].append(row["o"])
    matches = {m["value"] for (_, p), objects in values.items() if p == "exactMatch"
               for m in objects}
    curies = {m: external_curie(m) for m in sorted(matches)}
    nodes = {}
    for concept, found in kinds.items():
        kind = next(k for k in KINDS if k in found)
        labels = sorted(values[concept, "prefLabel"], key=_label_key)
        definitions = sorted(values[concept, "definition"], key=_label_key)
        nodes[concept] = {
            "id": concept_id(concept),
            "category": [KINDS[kind]],
            "name": clean(labels[0]["value"]) if labels else _local(concept, str(VOCAB)),
            "description": clean(definitions[0]["value"]) if definitions else "",
            "xref": sorted({curies[m["value"]] for m in values[concept, "exactMatch"]}),
            "provided_by": [PROVIDER],
            "synonym": sorted({clean(b["value"]) for b in values[concept, "altLabel"]}),
        }
    return nodes


def work_nodes(target: Target) -> dict[str, Row]:
    """Node rows of the works of the citation network (and of the findings), by work IRI."""
    fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(target, WORKS):
        entry = fields[row["work"]["value"]]
        if "p" in row and "o" in row:
            name = re.split(r"[/#]", row["p"]["value"])[-1]
            entry[name].append(clean(row["o"]["value"]))
    designs: dict[str, list[str]] = defaultdict(list)
    for row in _select(target, DESIGNS):
        designs[row["work"]["value"]].append(clean(row["design"]["value"]))
    nodes = {}
    for work, entry in fields.items():
        first = {name: min(found) for name, found in entry.items() if found}
        doi, pmid = first.get("doi", ""), first.get("pmid", "")
        nodes[work] = {
            "id": f"doi:{doi}" if doi else "maild.work:" + _local(work, WORK),
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


def publication(work: str, works: dict[str, Row]) -> str:
    """The CURIE a work is cited by in ``publications``: DOI, PMID, else its node id."""
    node = works.get(work)
    if node is None:
        return "maild.work:" + _local(work, WORK)
    if node["doi"]:
        return f"doi:{node['doi']}"
    if node["pmid"]:
        return f"PMID:{node['pmid']}"
    return node["id"]


def _edge(
    subject: str, predicate: str, object_: str, discriminator: str = "", **fields: Any
) -> Row:
    key = "\t".join((subject, predicate, object_, discriminator))
    row: Row = {"id": str(uuid.uuid5(_EDGE_NAMESPACE, key)), "subject": subject,
                "predicate": predicate, "object": object_,
                "primary_knowledge_source": PROVIDER}
    row.update(fields)
    return row


def citation_edges(target: Target, works: dict[str, Row]) -> Iterator[Row]:
    """``biolink:related_to`` (``cito:cites``) from citing to cited work."""
    for row in _select(target, CITATIONS):
        citing, cited = row["citing"]["value"], row["cited"]["value"]
        if citing in works and cited in works:
            yield _edge(works[citing]["id"], "biolink:related_to", works[cited]["id"],
                        knowledge_level="knowledge_assertion", agent_type="text_mining_agent",
                        publications=[publication(citing, works)],
                        original_predicate="cito:cites")


def finding_edges(target: Target, concepts: dict[str, Row], works: dict[str, Row]) -> list[Row]:
    """One ``biolink:affects`` edge per outcome finding and drug given, and the
    ``biolink:studied_to_treat`` edges they imply for the diseases of their populations."""
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(target, FINDING_VALUES):
        column = FINDING_COLUMNS[_local(row["p"]["value"], MAILD)]
        values[row["finding"]["value"]][column].append(clean(row["o"]["value"]))
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _select(target, QUOTES):
        quote = (row["quote"]["value"], clean(row["exact"]["value"]))
        quotes[row["finding"]["value"]].append(quote)
    diseases: dict[str, set[str]] = defaultdict(set)
    for row in _select(target, DISEASES):
        diseases[row["finding"]["value"]].add(row["disease"]["value"])

    given: dict[tuple[str, str], Row] = {}
    for row in _select(target, OUTCOME_FINDINGS):
        finding, drug = row["finding"]["value"], row["drug"]["value"]
        entry = given.setdefault((finding, drug), {
            "outcome": row["outcome"]["value"], "study": row["study"]["value"],
            "reported": set(), "population": set(), "role": set(),
        })
        for name in ("reported", "population", "role"):
            if value := _value(row, name):
                entry[name].add(value if name == "reported" else clean(value))

    edges: list[Row] = []
    treats: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for (finding, drug), entry in given.items():
        if drug not in concepts or entry["outcome"] not in concepts:
            continue
        own = {name: min(found) for name, found in values[finding].items()}
        study = publication(entry["study"], works)
        reported = sorted(publication(r, works) for r in entry["reported"] - {entry["study"]})
        edges.append(_edge(
            concepts[drug]["id"], "biolink:affects", concepts[entry["outcome"]]["id"], finding,
            knowledge_level="knowledge_assertion",
            agent_type=own.pop("agent_type", "manual_agent"),
            publications=[study],
            supporting_text=[text for _, text in sorted(quotes[finding],
                                                        key=lambda q: _natural(q[0]))],
            role=sorted(entry["role"]),
            population=min(entry["population"]) if entry["population"] else "",
            reported_in=reported, finding=[finding], **own,
        ))
        for disease in diseases[finding]:
            if disease in concepts:
                publications, findings = treats[drug, disease]
                publications.add(study)
                findings.add(finding)
    for (drug, disease), (publications, findings) in treats.items():
        edges.append(_edge(
            concepts[drug]["id"], "biolink:studied_to_treat", concepts[disease]["id"],
            knowledge_level="logical_entailment", agent_type="automated_agent",
            publications=sorted(publications), finding=sorted(findings, key=_natural),
        ))
    return edges


def concept_edges(target: Target, concepts: dict[str, Row]) -> Iterator[Row]:
    """Broader concepts (``biolink:subclass_of``) and antibodies' target antigens."""
    for row in _select(target, BROADER):
        narrower, broader = row["narrower"]["value"], row["broader"]["value"]
        if narrower in concepts and broader in concepts:
            yield _edge(concepts[narrower]["id"], "biolink:subclass_of", concepts[broader]["id"],
                        knowledge_level="knowledge_assertion", agent_type="manual_agent",
                        original_predicate="skos:broader")
    for row in _select(target, ANTIGENS):
        antibody, antigen = row["antibody"]["value"], row["antigen"]["value"]
        if antibody in concepts and antigen in concepts:
            # biolink:binds is deprecated in Biolink 4.4; this is the slot it is a kind of
            yield _edge(concepts[antibody]["id"], "biolink:directly_physically_interacts_with",
                        concepts[antigen]["id"], knowledge_level="knowledge_assertion",
                        agent_type="manual_agent", original_predicate="maild:targetAntigen")


def kgx_rows(target: Target) -> tuple[list[Row], list[Row]]:
    """Every node and edge row, sorted: nodes by id, edges by predicate, subject, object, id."""
    concepts = concept_nodes(target)
    works = work_nodes(target)
    edges = [*citation_edges(target, works), *finding_edges(target, concepts, works),
             *concept_edges(target, concepts)]
    nodes = sorted([*concepts.values(), *works.values()], key=lambda n: n["id"])
    edges.sort(key=lambda e: (e["predicate"], e["subject"], e["object"], e["id"]))
    return nodes, edges


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


def _write_tsv(path: Path, columns: tuple[str, ...], rows: Iterable[Row]) -> Path:
    lines = ["\t".join(columns)]
    lines += ["\t".join(cell(row.get(c)) for c in columns) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kgx_export(target: Target, folder: Path) -> tuple[Path, Path]:
    """Write ``kgx_nodes.tsv`` and ``kgx_edges.tsv`` into ``folder``; returns their paths."""
    return write_kgx(kgx_rows(target), folder)


def write_kgx(rows: tuple[list[Row], list[Row]], folder: Path) -> tuple[Path, Path]:
    """Write rows already read (the build reads them once for KGX and GraphML)."""
    nodes, edges = rows
    return (_write_tsv(folder / "kgx_nodes.tsv", NODE_COLUMNS, nodes),
            _write_tsv(folder / "kgx_edges.tsv", EDGE_COLUMNS, edges))


def _scalar(column: str, text: str) -> str | int | float:
    """A GraphML attribute value: numbers typed, so Gephi can size and filter by them."""
    if column in INTEGERS and re.fullmatch(r"-?\d+", text):
        return int(text)
    if column in DECIMALS and _NUMBER.fullmatch(text):
        return float(text)
    return text


def _attributes(row: Row, skip: tuple[str, ...]) -> dict[str, str | int | float]:
    return {column: _scalar(column, text) for column, value in row.items()
            if column not in skip and (text := cell(value))}


def to_networkx(nodes: list[Row], edges: list[Row]) -> nx.MultiDiGraph:
    """The KGX rows as a multigraph: scalar attributes only (lists joined), no empty values."""
    graph = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node["id"], label=cell(node.get("name")) or node["id"],
                       **_attributes(node, ("id",)))
    for edge in edges:
        graph.add_edge(edge["subject"], edge["object"], key=edge["id"],
                       label=edge["predicate"].removeprefix("biolink:"),
                       **_attributes(edge, ("id", "subject", "object")))
    return graph


def graphml_export(target: Target, path: Path) -> Path:
    """Write the nodes and edges of the KGX export as GraphML (for Gephi or Cytoscape)."""
    return write_graphml(kgx_rows(target), path)


def write_graphml(rows: tuple[list[Row], list[Row]], path: Path) -> Path:
    """Write rows already read as GraphML."""
    graph = to_networkx(*rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path, encoding="utf-8")
    return path


# --- checking -----------------------------------------------------------------------------------

def _read_tsv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[str]]:
    """(header, rows with line numbers, problems) of a TSV file."""
    problems: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not lines:
        return [], [], [f"{path.name}: empty file"]
    header, rows = lines[0], []
    for number, values in enumerate(lines[1:], start=2):
        if len(values) != len(header):
            problems.append(f"{path.name}:{number}: {len(values)} fields, the header has "
                            f"{len(header)}")
            continue
        rows.append((number, dict(zip(header, values, strict=True))))
    return header, rows, problems


def load_kgx(nodes: Path, edges: Path) -> tuple[nx.MultiDiGraph, list[str]]:
    """The KGX TSV files as a multigraph, and the structural problems found reading them."""
    graph = nx.MultiDiGraph()
    problems: list[str] = []
    node_header, node_rows, found = _read_tsv(nodes)
    problems += found
    problems += [f"{nodes.name}: no {c} column" for c in ("id", "category")
                 if node_header and c not in node_header]
    for line, row in node_rows:
        node = row.get("id", "")
        categories = [c for c in row.get("category", "").split("|") if c]
        if not node:
            problems.append(f"{nodes.name}:{line}: node without an id")
            continue
        if node in graph:
            problems.append(f"{nodes.name}:{line}: node {node} appears twice")
        if len(categories) != 1:
            problems.append(f"{nodes.name}:{line}: node {node} has {len(categories)} "
                            "categories; it needs exactly one")
        graph.add_node(node, **row)
    edge_header, edge_rows, found = _read_tsv(edges)
    problems += found
    problems += [f"{edges.name}: no {c} column" for c in ("id", "subject", "predicate", "object")
                 if edge_header and c not in edge_header]
    seen: set[str] = set()
    for line, row in edge_rows:
        subject, object_ = row.get("subject", ""), row.get("object", "")
        if not row.get("predicate"):
            problems.append(f"{edges.name}:{line}: edge without a predicate")
        if row.get("id") in seen:
            problems.append(f"{edges.name}:{line}: edge id {row['id']} appears twice")
        seen.add(row.get("id", ""))
        missing = [f"{end} {value or '(empty)'}" for end, value in
                   (("subject", subject), ("object", object_)) if value not in graph]
        if missing:
            problems.append(f"{edges.name}:{line}: edge {row.get('id', '')}: "
                            f"{' and '.join(missing)} is not a node")
            continue
        graph.add_edge(subject, object_, key=row.get("id") or None, **row)
    return graph, problems


def biolink_names(model: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """CURIEs of the model's classes and slots, mapped to their YAML keys.

    >>> biolink_names({"classes": {"RNA product": {}}, "slots": {"studied to treat": {}}})
    ({'biolink:RNAProduct': 'RNA product'}, {'biolink:studied_to_treat': 'studied to treat'})
    """
    classes = {"biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split()): name
               for name in model.get("classes") or {}}
    slots = {"biolink:" + name.replace(" ", "_"): name for name in model.get("slots") or {}}
    return classes, slots


def _is_predicate(slots: dict[str, Any], name: str) -> bool:
    """Whether a slot descends from ``related to`` (so it can be an edge's predicate)."""
    seen: set[str] = set()
    while name and name not in seen:
        if name == "related to":
            return True
        seen.add(name)
        name = (slots.get(name) or {}).get("is_a", "")
    return False


def _model_problems(graph: nx.MultiDiGraph, model: dict[str, Any]) -> list[str]:
    classes, slots = biolink_names(model)
    problems = []
    for category in sorted({c for _, data in graph.nodes(data=True)
                            for c in data.get("category", "").split("|") if c}):
        definition = model["classes"].get(classes.get(category, ""))
        if definition is None:
            problems.append(f"category {category} is not a Biolink class")
        elif definition.get("abstract") or definition.get("mixin"):
            problems.append(f"category {category} is an abstract class or a mixin")
        elif definition.get("deprecated"):
            problems.append(f"category {category} is deprecated")
    enums = model.get("enums") or {}
    allowed = {column: set((enums.get(enum) or {}).get("permissible_values") or {})
               for column, enum in (("knowledge_level", "KnowledgeLevelEnum"),
                                    ("agent_type", "AgentTypeEnum"))}
    predicates: set[str] = set()
    for *_, data in graph.edges(data=True):
        predicates.add(data.get("predicate", ""))
        for column, values in allowed.items():
            if values and data.get(column) and data[column] not in values:
                problems.append(f"edge {data.get('id')}: {column} {data[column]!r} is not one "
                                f"of Biolink's")
    for predicate in sorted(p for p in predicates if p):
        name = slots.get(predicate)
        if name is None:
            problems.append(f"predicate {predicate} is not a Biolink slot")
        elif not _is_predicate(model["slots"], name):
            problems.append(f"predicate {predicate} is not a kind of biolink:related_to")
        elif model["slots"][name].get("deprecated") or model["slots"][name].get("abstract"):
            problems.append(f"predicate {predicate} is deprecated or abstract")
    return problems


def check_kgx(nodes: Path, edges: Path, model: dict[str, Any] | None = None) -> list[str]:
    """Problems of a KGX export: nodes without exactly one category, edges to no node, and, given
    the Biolink model, categories and predicates that are not (usable) Biolink classes and slots."""
    graph, problems = load_kgx(nodes, edges)
    if model is not None:
        problems += _model_problems(graph, model)
    return problems


def biolink_model() -> dict[str, Any] | None:
    """The Biolink model shipped in the ``biolink-model`` package, or None if not installed."""
    try:
        from importlib.resources import files

        text = files("biolink_model").joinpath("schema/biolink_model.yaml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
