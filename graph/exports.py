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
UUIDs derived from what the edge says, so exporting twice gives identical bytes. The GraphML is
written from the two TSV files.

The store's rows are streamed (:meth:`graph.endpoints.Target.stream`) and every edge becomes its
line at once; the lines are sorted on disk when there are many, and the GraphML writer and the
check read the files a row at a time. So the exports of 100,000 documents (2.4 million citation
edges) never hold the edges: only the nodes, and per finding what its edge is made from.

:func:`check_kgx` reads the files back and reports structural problems (and, given the Biolink
model from the ``biolink-model`` package, categories or predicates that are not Biolink's). The
``kgx`` and ``bmt`` packages are not used: they fetch the model from the network at run time.
"""

from __future__ import annotations

import csv
import re
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from graph.endpoints import Binding, Target
from graph.errors import ExportError
from graph.external_sort import RUN_SIZE, sorted_distinct
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


def finding_edges(target: Target, concepts: dict[str, Row], works: dict[str, Row]
                  ) -> Iterator[Row]:
    """One ``biolink:affects`` edge per outcome finding and drug given, each as it is made, then
    the ``biolink:studied_to_treat`` edges they imply for the diseases of their populations."""
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

    treats: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for (finding, drug), entry in given.items():
        if drug not in concepts or entry["outcome"] not in concepts:
            continue
        own = {name: min(found) for name, found in values[finding].items()}
        study = publication(entry["study"], works)
        reported = sorted(publication(r, works) for r in entry["reported"] - {entry["study"]})
        yield _edge(
            concepts[drug]["id"], "biolink:affects", concepts[entry["outcome"]]["id"], finding,
            knowledge_level="knowledge_assertion",
            agent_type=own.pop("agent_type", "manual_agent"),
            publications=[study],
            supporting_text=[text for _, text in sorted(quotes[finding],
                                                        key=lambda q: _natural(q[0]))],
            role=sorted(entry["role"]),
            population=min(entry["population"]) if entry["population"] else "",
            reported_in=reported, finding=[finding], **own,
        )
        for disease in diseases[finding]:
            if disease in concepts:
                publications, findings = treats[drug, disease]
                publications.add(study)
                findings.add(finding)
    for (drug, disease), (publications, findings) in treats.items():
        yield _edge(
            concepts[drug]["id"], "biolink:studied_to_treat", concepts[disease]["id"],
            knowledge_level="logical_entailment", agent_type="automated_agent",
            publications=sorted(publications), finding=sorted(findings, key=_natural),
        )


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


def edge_rows(target: Target, concepts: dict[str, Row], works: dict[str, Row]) -> Iterator[Row]:
    """Every edge row, unsorted, made as the store's rows are read."""
    yield from citation_edges(target, works)
    yield from finding_edges(target, concepts, works)
    yield from concept_edges(target, concepts)


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


def tsv_line(row: Row, columns: tuple[str, ...]) -> str:
    """A row's cells in the order of ``columns``, tab-separated."""
    return "\t".join(cell(row.get(c)) for c in columns)


def _keyed(edge: Row) -> str:
    """An edge's TSV line behind its sort key, predicate, subject, object and id, NUL-separated:
    the sorted strings are then in the order of those tuples (NUL sorts before any character
    of an id or a CURIE)."""
    return "\0".join((edge["predicate"], edge["subject"], edge["object"], edge["id"],
                      tsv_line(edge, EDGE_COLUMNS)))


def _write_tsv(path: Path, columns: tuple[str, ...], lines: Iterable[str]) -> Path:
    """A header and ``lines``, written as they come (a file of millions of edges is never
    one string)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(columns) + "\n")
        out.writelines(f"{line}\n" for line in lines)
    return path


def kgx_export(target: Target, folder: Path, run_size: int = RUN_SIZE) -> tuple[Path, Path]:
    """Write ``kgx_nodes.tsv`` (sorted by id) and ``kgx_edges.tsv`` (sorted by predicate,
    subject, object, id) into ``folder``; returns their paths.

    The nodes are held (a few hundred thousand works at most), and per finding what its edge is
    made from; the edges are not: each becomes its line as the store's rows are read, and the
    lines are sorted on disk past ``run_size`` of them.
    """
    concepts, works = concept_nodes(target), work_nodes(target)
    nodes = sorted([*concepts.values(), *works.values()], key=lambda n: n["id"])
    nodes_path = _write_tsv(folder / "kgx_nodes.tsv", NODE_COLUMNS,
                            (tsv_line(node, NODE_COLUMNS) for node in nodes))
    del nodes
    keyed = sorted_distinct(map(_keyed, edge_rows(target, concepts, works)),
                            folder / ".kgx_edges", run_size)
    edges_path = _write_tsv(folder / "kgx_edges.tsv", EDGE_COLUMNS,
                            (line.split("\0", 4)[4] for line in keyed))
    return nodes_path, edges_path


def _scalar(column: str, text: str) -> str | int | float:
    """A GraphML attribute value: numbers typed, so Gephi can size and filter by them."""
    if column in INTEGERS and re.fullmatch(r"-?\d+", text):
        return int(text)
    if column in DECIMALS and _NUMBER.fullmatch(text):
        return float(text)
    return text


def _node_data(row: dict[str, str]) -> dict[str, str]:
    return {"label": row.get("name") or row["id"],
            **{column: text for column, text in row.items() if column != "id" and text}}


def _edge_data(row: dict[str, str]) -> dict[str, str]:
    return {"label": row["predicate"].removeprefix("biolink:"),
            **{column: text for column, text in row.items()
               if column not in ("id", "subject", "object") and text}}


_EDGE_COLUMNS = ("id", "subject", "predicate", "object")  # the columns every KGX edge needs
_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_TYPES = {int: "long", float: "double", str: "string"}


def _graphml_keys(scope: str, data: Iterable[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Each attribute name of ``scope`` with its key id and GraphML type (text where a column
    holds both numbers and text)."""
    types: dict[str, type] = {}
    for values in data:
        for name, text in values.items():
            kind = type(_scalar(name, text))
            if types.setdefault(name, kind) is not kind:
                types[name] = str
    return {name: (f"{scope[0]}{index}", _GRAPHML_TYPES[types[name]])
            for index, name in enumerate(sorted(types))}


def graphml_export(target: Target, path: Path) -> Path:
    """Write the nodes and edges of the KGX export as GraphML (for Gephi or Cytoscape); the
    KGX files it is written from go to a temporary folder beside ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".kgx-") as kgx:
        return write_graphml(*kgx_export(target, Path(kgx)), path)


def write_graphml(nodes: Path, edges: Path, path: Path) -> Path:
    """Write the KGX files ``nodes`` and ``edges`` as GraphML, streamed: each file is read twice
    (the attribute types, then the elements) and never held.

    Attributes are typed (numbers as numbers, so Gephi can size and filter by them) and keep
    their KGX text; ``networkx.read_graphml`` reads the file back as the KGX graph. An edge
    whose end is not a node adds that node bare, as networkx would. Files it cannot be written
    from (a missing column, a line with the wrong number of fields) raise :class:`ExportError`
    naming each file and line, before anything is written.
    """
    problems: list[str] = []

    def checked(tsv: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
        for _, row in _tsv_rows(tsv, problems, required):
            if not problems:  # past the first problem, the rest are only read for theirs
                yield row

    keys = {"node": _graphml_keys("node", map(_node_data, checked(nodes, ("id",)))),
            "edge": _graphml_keys("edge", map(_edge_data, checked(edges, _EDGE_COLUMNS)))}
    if problems:
        raise ExportError(f"cannot write {path} from {nodes} and {edges}:\n  "
                          + "\n  ".join(problems))
    path.parent.mkdir(parents=True, exist_ok=True)

    def write_data(xml: Any, scope: str, values: dict[str, str]) -> None:
        for name, text in sorted(values.items()):
            element = etree.Element("data", key=keys[scope][name][0])
            element.text = text
            xml.write(element)

    with etree.xmlfile(str(path), encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("graphml", xmlns=_GRAPHML):
            for scope in ("node", "edge"):
                for name, (key, kind) in keys[scope].items():
                    xml.write(etree.Element("key", {"id": key, "for": scope, "attr.name": name,
                                                    "attr.type": kind}))
            with xml.element("graph", edgedefault="directed"):
                known = set()
                for _, row in _tsv_rows(nodes, []):
                    known.add(row["id"])
                    with xml.element("node", id=row["id"]):
                        write_data(xml, "node", _node_data(row))
                for _, row in _tsv_rows(edges, []):
                    for end in (row["subject"], row["object"]):
                        if end not in known:
                            known.add(end)
                            xml.write(etree.Element("node", id=end))
                    with xml.element("edge", source=row["subject"], target=row["object"],
                                     id=row["id"]):
                        write_data(xml, "edge", _edge_data(row))
    return path


# --- checking -----------------------------------------------------------------------------------

def _tsv_rows(path: Path, problems: list[str], required: tuple[str, ...] = ()
              ) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a TSV file with their line numbers, read one at a time; a missing
    ``required`` column, or a line with the wrong number of fields, is a problem."""
    with path.open(newline="", encoding="utf-8") as handle:
        lines = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(lines, None)
        if header is None:
            problems.append(f"{path.name}: empty file")
            return
        problems += [f"{path.name}: no {name} column" for name in required if name not in header]
        for number, values in enumerate(lines, start=2):
            if len(values) != len(header):
                problems.append(f"{path.name}:{number}: {len(values)} fields, the header has "
                                f"{len(header)}")
                continue
            yield number, dict(zip(header, values, strict=True))


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


def _allowed_values(model: dict[str, Any]) -> dict[str, set[str]]:
    """The Biolink values of the edge columns that take one from an enumeration."""
    enums = model.get("enums") or {}
    return {column: set((enums.get(enum) or {}).get("permissible_values") or {})
            for column, enum in (("knowledge_level", "KnowledgeLevelEnum"),
                                 ("agent_type", "AgentTypeEnum"))}


def _category_problems(categories: set[str], model: dict[str, Any]) -> list[str]:
    classes, _ = biolink_names(model)
    problems = []
    for category in sorted(categories):
        definition = model["classes"].get(classes.get(category, ""))
        if definition is None:
            problems.append(f"category {category} is not a Biolink class")
        elif definition.get("abstract") or definition.get("mixin"):
            problems.append(f"category {category} is an abstract class or a mixin")
        elif definition.get("deprecated"):
            problems.append(f"category {category} is deprecated")
    return problems


def _predicate_problems(predicates: set[str], model: dict[str, Any]) -> list[str]:
    _, slots = biolink_names(model)
    problems = []
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
    the Biolink model, categories and predicates that are not (usable) Biolink classes and slots.

    Both files are read a row at a time and only the node and edge ids are kept, so checking
    millions of edges takes the memory of their ids, not of the graph.
    """
    problems: list[str] = []
    ids: set[str] = set()
    categories: set[str] = set()
    for line, row in _tsv_rows(nodes, problems, ("id", "category")):
        node = row.get("id", "")
        found = [c for c in row.get("category", "").split("|") if c]
        if not node:
            problems.append(f"{nodes.name}:{line}: node without an id")
            continue
        if node in ids:
            problems.append(f"{nodes.name}:{line}: node {node} appears twice")
        if len(found) != 1:
            problems.append(f"{nodes.name}:{line}: node {node} has {len(found)} "
                            "categories; it needs exactly one")
        ids.add(node)
        categories.update(found)
    allowed = _allowed_values(model) if model is not None else {}
    seen: set[str] = set()
    predicates: set[str] = set()
    values: list[str] = []
    for line, row in _tsv_rows(edges, problems, _EDGE_COLUMNS):
        if not row.get("predicate"):
            problems.append(f"{edges.name}:{line}: edge without a predicate")
        if row.get("id") in seen:
            problems.append(f"{edges.name}:{line}: edge id {row['id']} appears twice")
        seen.add(row.get("id", ""))
        missing = [f"{end} {row.get(end) or '(empty)'}" for end in ("subject", "object")
                   if row.get(end, "") not in ids]
        if missing:
            problems.append(f"{edges.name}:{line}: edge {row.get('id', '')}: "
                            f"{' and '.join(missing)} is not a node")
            continue
        predicates.add(row.get("predicate", ""))
        values += [f"edge {row.get('id')}: {column} {row[column]!r} is not one of Biolink's"
                   for column, permitted in allowed.items()
                   if permitted and row.get(column) and row[column] not in permitted]
    if model is not None:
        problems += [*_category_problems(categories, model), *values,
                     *_predicate_problems(predicates, model)]
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
