"""The entity view: everything the graph knows around one entity, a few steps out.

The page holds the vocabulary concepts used by the evidence, the findings, their populations and
their studies; it opens on one entity's neighbourhood (by default the most connected one) and
lets the reader pick another. A concept's mappings to external ontologies are links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache
from sys import intern
from typing import Any

import numpy as np
import pyoxigraph as ox

from graph.query.binding import bind_rows
from graph.query.endpoints import Target
from graph.query.texts import internal_query
from graph.views._page import Page, meta, network
from graph.views._shared import values
from graph.views._style import OKABE_ITO, legend_item, node_style, shortened
from graph.views._view import Drawing, Option, Resolve, View
from graph.views.evidence import result_label

EDGES = internal_query("views/entity-edges")
TYPES = internal_query("views/entity-types")
NODES = internal_query("views/entity-nodes")
QUOTES = internal_query("views/entity-quotes")
PREDICATE_LABELS = {
    "drug": "drug given", "outcome": "outcome", "characteristic": "measures",
    "population": "in population", "study": "from study", "antibody": "positive for",
    "disease": "with disease", "subsetOf": "subset of", "broader": "broader",
    "notTestedFor": "did not test for",
}
NEGATIVE = {"notTestedFor"}  # predicates that say a relation does not hold
STYLE = {  # each type its own pair of colour and shape, so neither alone must tell them apart
    "Drug": (OKABE_ITO["orange"], "ellipse"),
    "Autoantibody": (OKABE_ITO["reddish purple"], "triangle"),
    "Disease": (OKABE_ITO["vermillion"], "ellipse"),
    "IldPattern": (OKABE_ITO["sky blue"], "ellipse"),
    "Outcome": (OKABE_ITO["yellow"], "box"), "Characteristic": (OKABE_ITO["bluish green"], "box"),
    "StudyDesign": (OKABE_ITO["grey"], "box"), "Finding": (OKABE_ITO["blue"], "dot"),
    "Population": (OKABE_ITO["bluish green"], "square"), "Study": (OKABE_ITO["grey"], "diamond"),
}
OTHER = ("#DDDDDD", "dot")
RELATION, NOT_TESTED = "#8C8C8C", OKABE_ITO["vermillion"]
CURATED = "curated"  # a finding's curation; any other is a machine-extracted, unreviewed candidate
# a machine-extracted, unreviewed finding: hollow, with a dashed border dark enough to see
CANDIDATE_BORDER = "#8a6100"
CANDIDATE_STYLE = {"color": {"background": "#ffffff", "border": CANDIDATE_BORDER,
                             "highlight": {"background": "#ffffff", "border": CANDIDATE_BORDER}},
                   "font": {"color": "#222222"}, "borderWidth": 2,
                   "shapeProperties": {"borderDashes": [4, 3]}}


@cache
def _local_name(predicate: str) -> str:
    """A predicate's IRI without its namespace (a graph has a few dozen predicates)."""
    return intern(predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])


def _lines(row: dict[str, str]) -> list[tuple[str, object]]:
    if row["type"] == "Finding":
        return [("Curation", row.get("curation")), ("Kind", row.get("kind")),
                ("Result", result_label(row)), ("Timepoint", row.get("timepoint")),
                ("Direction", row.get("direction")), ("Quote", row.get("quote"))]
    if row["type"] == "Population":
        return [("Population", row["label"]), ("Patients", row.get("size"))]
    return [("Kind", row["type"]), ("Definition", row.get("definition")),
            ("Synonyms", row.get("synonyms"))]


def _label(row: dict[str, str]) -> str:
    if row["type"] == "Finding":
        return result_label(row) or row.get("kind", "finding")
    return shortened(row["label"])


def within_budget(
    edges: list[tuple[str, str, str]], types: dict[str, str], budget: int
) -> tuple[list[tuple[str, str, str]], int]:
    """The edges among at most ``budget`` nodes, and how many nodes were left out.

    Every vocabulary concept stays; each concept keeps an equal share of its best-connected
    findings (ties by IRI), with their populations and studies. A corpus of thousands of
    papers has tens of thousands of findings, which no page can draw at once.

    The nodes are numbered once and counted, ranked and chosen over arrays: at 10,000
    documents each walk of the 266,016 edges' strings took a tenth of a second or more (the
    strings are spread over memory), and the choice walked them five times.
    """
    index: dict[str, int] = {}
    number = index.setdefault
    ends = np.fromiter((number(n, len(index)) for s, _p, o in edges for n in (s, o)),
                       dtype=np.int64, count=2 * len(edges)).reshape(-1, 2)
    if len(index) <= budget:
        return edges, 0
    nodes = list(index)
    degree = np.bincount(ends.ravel(), minlength=len(nodes))
    kind = [types[n] for n in nodes]
    concept = np.fromiter((k not in ("Finding", "Population", "Study") for k in kind), dtype=bool,
                          count=len(nodes))
    finding = np.fromiter((k == "Finding" for k in kind), dtype=bool, count=len(nodes))
    subject, target = ends[:, 0], ends[:, 1]
    ranked = finding[subject] & concept[target]  # a finding under a concept
    pairs = np.unique(target[ranked] * len(nodes) + subject[ranked])  # each pair once
    under, found = pairs // len(nodes), pairs % len(nodes)
    share = max(1, (budget - int(concept.sum())) // (3 * max(len(np.unique(under)), 1)))
    # each concept's first ``share`` findings by (most edges, IRI)
    by_name = np.zeros(len(nodes), dtype=np.int64)
    named = sorted(np.unique(found).tolist(), key=nodes.__getitem__)
    by_name[named] = np.arange(len(named))
    order = np.lexsort((by_name[found], -degree[found], under))
    under, found = under[order], found[order]
    first = np.flatnonzero(np.r_[True, under[1:] != under[:-1]])
    place = np.arange(len(under)) - np.repeat(first, np.diff(np.r_[first, len(under)]))
    kept = concept.copy()
    kept[found[place < share]] = True
    # the kept findings' populations and studies
    onward = finding[subject]
    if (onward & finding[target]).any():
        # a finding that points at a finding: one kept on the way brings its own (in order)
        for s, o in ends[onward].tolist():
            if kept[s]:
                kept[o] = True
    else:
        kept[target[onward & kept[subject]]] = True
    chosen = np.flatnonzero(kept[subject] & kept[target]).tolist()
    return [edges[i] for i in chosen], len(nodes) - int(kept.sum())


def entity_page(
    target: Target, entity: str | None = None, depth: int = 1, budget: int = 2000
) -> tuple:
    """The page and pyvis network of the entity view, opened on ``entity`` (an IRI)."""
    # Every node's type and every edge are needed to choose what to draw, but only the drawn
    # nodes' details: at 100,000 documents the graph has a million nodes and 2.6M edges. Rows
    # are streamed and each IRI is held once (interned), whatever the edges that name it.
    # The edges are sorted once chosen (the choice does not depend on their order): sorting
    # every edge of the graph took a second at 10,000 documents.
    types = {r["node"]: r["type"] for r in values(target, TYPES, "<entity view>")}
    edges = list({(s, _local_name(r["p"]), o) for r in values(target, EDGES, "<entity view>")
                  if (s := r["s"]) in types and (o := r["o"]) in types})
    edges, left_out = within_budget(edges, types, budget)
    edges.sort()
    degree = Counter(n for s, _p, o in edges for n in (s, o))
    used = set(degree)
    del types  # given back before the details are read
    rows = {node: dict(r) for r in values(target, NODES, "<entity view>")
            if (node := r["node"]) in used}
    drawn = [ox.NamedNode(n) for n in sorted(used) if rows[n]["type"] == "Finding"]
    for r in target.stream(bind_rows(QUOTES, "node", drawn), "<entity view>"):
        rows[r["node"]["value"]]["quote"] = r["quote"]["value"]
    concepts = sorted(n for n in used
                      if rows[n]["type"] not in ("Finding", "Population", "Study")
                      and STYLE.get(rows[n]["type"], OTHER) != OTHER)
    net = network()
    for node in sorted(used):
        row = rows[node]
        colour, shape = STYLE.get(row["type"], OTHER)
        links = [(m, m) for m in row.get("mappings", "").split()] + [("IRI in this graph", node)]
        heading = row["label"] if row["type"] != "Finding" else _label(row)
        style = node_style(colour, shape)
        if row.get("curation", CURATED) != CURATED:
            style.update(CANDIDATE_STYLE)
        net.add_node(node, label=_label(row), **style,
                     size=7 + min(degree[node], 24) / 4,
                     meta=meta(row["type"], heading, _lines(row), links,
                               row={"name": heading, "type": row["type"],
                                    "links": degree[node]}))
    for s, p, o in edges:
        # a negative edge ("did not test for") is drawn, but a neighbourhood never walks through
        # it: the study did not test for anti-MDA5, so its findings say nothing about anti-MDA5
        net.add_edge(s, o, id=f"{s} {p} {o}", label=PREDICATE_LABELS.get(p, p),
                     color=NOT_TESTED if p in NEGATIVE else RELATION, dashes=p in NEGATIVE,
                     negative=p in NEGATIVE,
                     meta=meta("relation", PREDICATE_LABELS.get(p, p),
                               [("From", rows[s]["label"]), ("To", rows[o]["label"])]))
    kinds = {rows[n]["type"] if rows[n]["type"] in STYLE else "other" for n in used}
    start = entity or max(concepts, key=lambda n: (degree[n], n), default=None)
    choices = {"entities": sorted(((n, f"{rows[n]['label']} ({rows[n]['type']})")
                                   for n in concepts), key=lambda p: p[1].casefold())}
    page = Page(
        kind="entity",
        title="What the graph knows about an entity",
        explanation=("The neighbourhood of one drug, antibody, disease or outcome (outlined, in "
                     "the middle): what points to it on the left, what it points to on the right. "
                     "Pick another entity or a larger depth with the controls; click a node or a "
                     "row of the list for its details and its identifiers in other ontologies."),
        legend=[legend_item(kind, c, s) for kind, (c, s) in STYLE.items() if kind in kinds]
        + ([legend_item("other", *OTHER)] if "other" in kinds else [])
        + [legend_item("relation (hover for its name)", RELATION, "line")]
        + ([legend_item("did not test for (never walked through)", NOT_TESTED, "line",
                        dashes=True)] if any(p in NEGATIVE for _s, p, _o in edges) else [])
        + ([legend_item("Finding, machine-extracted, unreviewed (hollow, dashed)",
                        CANDIDATE_BORDER, "dot hollow")]
           if any(rows[n].get("curation", CURATED) != CURATED for n in used) else []),
        controls=("focus",), choices=choices, layout="columns",
        table=(("name", "Name"), ("type", "Type"), ("links", "Links")),
        note=(f"Showing {len(used)} of {len(used) + left_out} nodes: every vocabulary concept "
              "and, for each, its best-connected findings with their populations and studies; "
              f"{left_out} nodes left out." if left_out else None),
        initial={"focus": {"entity": start, "depth": depth}} if start else None,
    )
    return page, net


def draw(target: Target, options: Mapping[str, Any], resolve: Resolve) -> Drawing:
    """The entity view of ``target``, opened on the entity asked for."""
    return entity_page(target, resolve.concept(options.get("entity")),
                       options.get("depth") or 1)


VIEW = View(
    name="entity",
    description="everything the graph knows around one entity, a few steps out",
    order=30,
    options=(
        Option("--entity", "the entity to open on (id, label or synonym)"),
        Option("--depth", "steps of the neighbourhood (default 1)", int),
    ),
    draw=draw,
    reads=(TYPES, EDGES, NODES),
)
