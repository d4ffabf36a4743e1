"""The entity view: everything the graph knows around one entity, a few steps out.

The page holds the vocabulary concepts used by the evidence, the findings, their populations and
their studies; it opens on one entity's neighbourhood (by default the most connected one) and
lets the reader pick another. A concept's mappings to external ontologies are links.
"""

from __future__ import annotations

from collections import Counter
from sys import intern

from graph.endpoints import Target
from graph.views.evidence import result_label
from graph.views.page import Page, meta, network

EDGES = """
PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?p ?o WHERE {
  {
    ?s a maild:Finding .
    VALUES ?p { maild:drug maild:outcome maild:characteristic maild:population maild:study }
    ?s ?p ?o .
  } UNION {
    ?s a maild:Population .
    VALUES ?p { maild:antibody maild:disease maild:subsetOf }
    ?s ?p ?o .
  } UNION {
    ?s skos:broader ?o . BIND(skos:broader AS ?p)
    ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf> skos:Concept .
  } UNION {
    ?s maild:notTestedFor ?o . BIND(maild:notTestedFor AS ?p)
  }
}"""
_PREFIXES = """
PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
# Each kind of node: what makes it a node of the view (its type and label), then its details.
# A finding is one only with its quote, as in the evidence view: a number is shown with its source.
_KINDS = (
    ("""?node a ?class ; skos:prefLabel ?label . ?class rdfs:subClassOf skos:Concept .
    BIND(REPLACE(STR(?class), "^.*#", "") AS ?type)""",
     """OPTIONAL { ?node skos:definition ?definition }
    OPTIONAL {
      SELECT ?node (GROUP_CONCAT(DISTINCT ?alt; separator=", ") AS ?synonyms)
      WHERE { ?node skos:altLabel ?alt } GROUP BY ?node
    }
    OPTIONAL {
      SELECT ?node (GROUP_CONCAT(DISTINCT STR(?m); separator=" ") AS ?mappings)
      WHERE { ?node skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?m }
      GROUP BY ?node
    }"""),
    ("""?node a maild:Finding ; maild:findingKind ?kind ; maild:direction ?direction .
    FILTER EXISTS { ?node maild:quote ?quoted }
    BIND("Finding" AS ?type) BIND(STR(?node) AS ?label)""",
     """OPTIONAL { ?node maild:responders ?responders } OPTIONAL { ?node maild:total ?total }
    OPTIONAL { ?node maild:percent ?percent } OPTIONAL { ?node maild:count ?count }
    OPTIONAL { ?node maild:meanBefore ?before } OPTIONAL { ?node maild:meanAfter ?after }
    OPTIONAL { ?node maild:percentChange ?change }
    OPTIONAL { ?node maild:pValue ?pValue ; maild:pValueRelation ?pRelation }
    OPTIONAL { ?node maild:timepoint ?timepoint }
    OPTIONAL {
      SELECT ?node (GROUP_CONCAT(?exact; separator=" [...] ") AS ?quote)
      WHERE { ?node maild:quote/oa:hasSelector/oa:exact ?exact } GROUP BY ?node
    }"""),
    ("""?node a maild:Population ; rdfs:label ?label . BIND("Population" AS ?type)""",
     """OPTIONAL { ?node maild:size ?size }"""),
    ("""?node a maild:CorpusDocument ; dcterms:title ?label . BIND("Study" AS ?type)""", ""),
)
TYPES = _PREFIXES + "SELECT ?node ?type WHERE {\n  " + "\n  UNION\n  ".join(
    f"{{\n    {kind}\n  }}" for kind, _ in _KINDS) + "\n}"
NODES = _PREFIXES + """SELECT ?node ?type ?label ?definition ?synonyms ?kind ?size ?responders
       ?total ?percent ?count ?before ?after ?change ?pRelation ?pValue ?timepoint ?direction
       ?quote ?mappings
WHERE {
  """ + "\n  UNION\n  ".join("{\n    " + "\n    ".join(filter(None, pieces)) + "\n  }"
                             for pieces in _KINDS) + "\n}"
PREDICATE_LABELS = {
    "drug": "drug given", "outcome": "outcome", "characteristic": "measures",
    "population": "in population", "study": "from study", "antibody": "positive for",
    "disease": "with disease", "subsetOf": "subset of", "broader": "broader",
    "notTestedFor": "did not test for",
}
STYLE = {
    "Drug": ("#3182bd", "ellipse"), "Autoantibody": ("#756bb1", "triangle"),
    "Disease": ("#e6550d", "ellipse"), "IldPattern": ("#fd8d3c", "ellipse"),
    "Outcome": ("#31a354", "box"), "Characteristic": ("#74c476", "box"),
    "StudyDesign": ("#969696", "box"), "Finding": ("#fed976", "dot"),
    "Population": ("#c994c7", "dot"), "Study": ("#636363", "diamond"),
}


def _lines(row: dict[str, str]) -> list[tuple[str, object]]:
    if row["type"] == "Finding":
        return [("Kind", row.get("kind")), ("Result", result_label(row)),
                ("Timepoint", row.get("timepoint")), ("Direction", row.get("direction")),
                ("Quote", row.get("quote"))]
    if row["type"] == "Population":
        return [("Population", row["label"]), ("Patients", row.get("size"))]
    return [("Kind", row["type"]), ("Definition", row.get("definition")),
            ("Synonyms", row.get("synonyms"))]


def _label(row: dict[str, str]) -> str:
    if row["type"] == "Finding":
        return result_label(row) or row.get("kind", "finding")
    return row["label"] if len(row["label"]) <= 40 else row["label"][:39] + "\u2026"


def within_budget(
    edges: list[tuple[str, str, str]], types: dict[str, str], budget: int
) -> tuple[list[tuple[str, str, str]], int]:
    """The edges among at most ``budget`` nodes, and how many nodes were left out.

    Every vocabulary concept stays; each concept keeps an equal share of its best-connected
    findings (ties by IRI), with their populations and studies. A corpus of thousands of
    papers has tens of thousands of findings, which no page can draw at once.
    """
    nodes = {n for s, _p, o in edges for n in (s, o)}
    if len(nodes) <= budget:
        return edges, 0
    degree = Counter(n for s, _p, o in edges for n in (s, o))
    kept = {n for n in nodes if types[n] not in ("Finding", "Population", "Study")}
    findings_of: dict[str, list[str]] = {}
    for s, _p, o in edges:
        if types[s] == "Finding" and o in kept:
            findings_of.setdefault(o, []).append(s)
    share = max(1, (budget - len(kept)) // (3 * max(len(findings_of), 1)))
    for concept in sorted(findings_of):
        best = sorted(set(findings_of[concept]), key=lambda f: (-degree[f], f))[:share]
        kept.update(best)
    kept.update(o for s, _p, o in edges if s in kept and types[s] == "Finding")
    return [e for e in edges if e[0] in kept and e[2] in kept], len(nodes) - len(kept)


def entity_page(
    target: Target, entity: str | None = None, depth: int = 2, budget: int = 2000
) -> tuple:
    """The page and pyvis network of the entity view, opened on ``entity`` (an IRI)."""
    # Every node's type and every edge are needed to choose what to draw, but only the drawn
    # nodes' details: at 100,000 documents the graph has a million nodes and 2.6M edges. Rows
    # are streamed and each IRI is held once (interned), whatever the edges that name it.
    types = {intern(r["node"]["value"]): intern(r["type"]["value"])
             for r in target.stream(TYPES, "<entity view>")}
    edges = sorted({(intern(s), intern(r["p"]["value"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]),
                     intern(o))
                    for r in target.stream(EDGES, "<entity view>")
                    if (s := r["s"]["value"]) in types and (o := r["o"]["value"]) in types})
    edges, left_out = within_budget(edges, types, budget)
    degree = Counter(n for s, _p, o in edges for n in (s, o))
    used = set(degree)
    del types  # given back before the details are read
    rows = {node: {k: v["value"] for k, v in r.items()}
            for r in target.stream(NODES, "<entity view>") if (node := r["node"]["value"]) in used}
    concepts = sorted(n for n in used if STYLE.get(rows[n]["type"], ("", ""))[1] != "dot"
                      and rows[n]["type"] not in ("Study",))
    net = network()
    for node in sorted(used):
        row = rows[node]
        colour, shape = STYLE.get(row["type"], ("#cccccc", "dot"))
        links = [(m, m) for m in row.get("mappings", "").split()] + [("IRI in this graph", node)]
        net.add_node(node, label=_label(row), color=colour, shape=shape,
                     size=10 + min(degree[node], 30),
                     meta=meta(row["type"], row["label"] if row["type"] != "Finding"
                               else _label(row), _lines(row), links))
    for s, p, o in edges:
        net.add_edge(s, o, id=f"{s} {p} {o}", label=PREDICATE_LABELS.get(p, p), color="#9e9e9e",
                     meta=meta("relation", PREDICATE_LABELS.get(p, p),
                               [("From", rows[s]["label"]), ("To", rows[o]["label"])]))
    start = entity or max(concepts, key=lambda n: (degree[n], n), default=None)
    choices = {"entities": sorted(((n, f"{rows[n]['label']} ({rows[n]['type']})")
                                   for n in concepts), key=lambda p: p[1].casefold())}
    page = Page(
        kind="entity",
        title="What the graph knows about an entity",
        explanation=("The neighbourhood of one drug, antibody, disease or outcome: the findings "
                     "that involve it, their populations and studies, and its place in the "
                     "vocabulary. Pick another entity or a larger depth with the controls; click "
                     "a node for its details and its identifiers in other ontologies."),
        legend=[{"label": kind, "color": c, "shape": "box" if s == "box" else "dot"}
                for kind, (c, s) in STYLE.items()],
        controls=("focus",), choices=choices,
        note=(f"Showing {len(used)} of {len(used) + left_out} nodes: every vocabulary concept "
              "and, for each, its best-connected findings with their populations and studies; "
              f"{left_out} nodes left out." if left_out else None),
        initial={"focus": {"entity": start, "depth": depth}} if start else None,
    )
    return page, net
