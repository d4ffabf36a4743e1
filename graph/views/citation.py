"""The citation view: works as nodes, citations as arrows, with tracing of chains and lineage.

Corpus documents are boxes coloured by study design; cited works are dots coloured by decade.
Size grows with PageRank. Past a node budget only the most central works are drawn (corpus
documents first), and the page says how many were left out. An arrow whose citing document has a
body text carries the sentences that cite (its citation contexts) and is coloured by their CiTO
intent; ``templates/contexts.js`` filters arrows by intent and lists a traced chain's sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.query.endpoints import Target
from graph.query.network import citation_graph, degrees, pagerank, top_partners
from graph.query.texts import internal_query
from graph.views._page import Page, meta, network
from graph.views._view import Drawing, Option, Resolve, View

DESIGN_COLOURS = {
    "systematic review": "#1b9e77",
    "randomized controlled trial": "#117a65",
    "retrospective cohort study": "#d95f02",
    "prospective cohort study": "#e6ab02",
    "case series": "#7570b3",
    "case report": "#e7298a",
    "news report": "#999999",
}
DECADE_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
UNKNOWN = "#dddddd"
NO_SENTENCE = "#9aa5b1"
CITO = "http://purl.org/spar/cito/"
# an arrow is coloured by the strongest intent of its sentences, in this order
INTENT_COLOURS = {
    "disagreesWith": ("#c0392b", "contrasting (disagrees with)"),
    "supports": ("#1e8449", "supporting (supports)"),
    "confirms": ("#27ae60", "supporting (confirms)"),
    "citesAsEvidence": ("#52be80", "evidence (cites as evidence)"),
    "citesAsAuthority": ("#7d3c98", "authority (criteria, guidelines)"),
    "usesMethodIn": ("#2874a6", "method (uses method in)"),
    "discusses": ("#b7950b", "discusses"),
    "citesForInformation": ("#5d6d7e", "mentioning (cites for information)"),
}
CONTEXTS = internal_query("views/citation-contexts")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,9}$")


@dataclass(frozen=True)
class Trace:
    """What the page highlights when it opens: chains between two works, or one work's lineage."""

    source: str | None = None
    target: str | None = None
    work: str | None = None
    depth: int = 2
    direction: str = "built-upon"

    def initial(self) -> dict[str, object] | None:
        if self.source and self.target:
            return {"trace": [self.source, self.target]}
        if self.work:
            return {"lineage": {"work": self.work, "depth": self.depth,
                                "direction": self.direction}}
        return None


@dataclass(frozen=True)
class Sentence:
    """A sentence by which one work cites another: where it stands and why it cites."""

    start: int
    section: str
    intent: str  # local name in CiTO
    rule: str
    text: str


Sentences = Mapping[tuple[str, str], list[Sentence]]


def citation_sentences(target: Target) -> dict[tuple[str, str], list[Sentence]]:
    """(citing, cited) -> the sentences of that citation, in the order the citing text has them."""
    found: dict[tuple[str, str], list[Sentence]] = {}
    for row in target.stream(CONTEXTS, "<citation contexts>"):
        found.setdefault((row["citing"]["value"], row["cited"]["value"]), []).append(Sentence(
            int(row["start"]["value"]), row.get("section", {}).get("value", "no section"),
            row["intent"]["value"].removeprefix(CITO), row["rule"]["value"],
            row["sentence"]["value"]))
    return {edge: sorted(found[edge], key=lambda s: (s.start, s.intent)) for edge in found}


def edge_intent(sentences: list[Sentence]) -> str | None:
    """The intent an arrow is coloured by: the first of :data:`INTENT_COLOURS` its sentences
    have (a contrast outweighs a mention), None for an arrow with no sentence.

    >>> edge_intent([Sentence(0, "methods", "citesForInformation", "default", "x"),
    ...              Sentence(9, "methods", "citesAsAuthority", "authority", "y")])
    'citesAsAuthority'
    """
    have = {s.intent for s in sentences}
    return next((i for i in INTENT_COLOURS if i in have), None) if have else None


def _edge_lines(sentences: list[Sentence]) -> list[tuple[str, object]]:
    """Intent, then each sentence with its section and intent, for the tooltip and details."""
    if not sentences:
        return [("Sentence", "no citing sentence in the graph (the citing document has no "
                             "body text here)")]
    intents = ", ".join(dict.fromkeys(f"cito:{s.intent}" for s in sentences))
    lines: list[tuple[str, object]] = [("Intent", intents)]
    for s in sentences:
        decided = "" if s.rule != "default" else ", no cue: read the sentence"
        lines.append((f"Sentence ({s.section}; cito:{s.intent}{decided})", " ".join(
            s.text.split())))
    return lines


def links(attrs: dict[str, object], iri: str) -> list[tuple[str, str]]:
    """Links to the work elsewhere: DOI resolver, PubMed, and its IRI in this graph."""
    out = []
    doi, pmid = str(attrs.get("doi") or ""), str(attrs.get("pmid") or "")
    if _DOI.match(doi):
        out.append((f"DOI {doi}", f"https://doi.org/{doi}"))
    if _PMID.match(pmid):
        out.append((f"PubMed {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    out.append(("IRI in this graph", iri))
    return out


def reference(attrs: dict[str, object]) -> str:
    """The work as a full reference line."""
    parts = [str(attrs[k]) for k in ("first",) if attrs.get(k)]
    head = f"{parts[0]} et al. " if parts else ""
    where = ";".join(str(attrs[k]) for k in ("year", "volume") if attrs.get(k))
    pages = f":{attrs['pages']}" if attrs.get("pages") else ""
    journal = f" {attrs['journal']}." if attrs.get("journal") else ""
    return f"{head}{attrs.get('title', '')}.{journal} {where}{pages}".strip()


def _label(attrs: dict[str, object]) -> str:
    """A short name: first author and year, or the title's first words when no author is known."""
    first = str(attrs.get("first") or "").split(" ")[0]
    if not first:
        words = str(attrs.get("title") or "Untitled").split()
        first = " ".join(words[:3]) + ("\u2026" if len(words) > 3 else "")
    return f"{first} {attrs.get('year') or 'n.d.'}"


def finding_names(attrs: dict[str, object], iri: str) -> list[str]:
    """What the Find box matches a work by, lower-cased: its label, first author and year,
    IRI, DOI, PMID and PMCID (the identifiers stored on the node, however its IRI was minted).

    >>> finding_names({"family": "Bohan", "first": "Bohan A", "year": "1975", "doi": "10.1/X"},
    ...               "https://w3id.org/ma-ild/work/bohan-1975-292-344")
    ['bohan 1975', 'bohan 1975', 'https://w3id.org/ma-ild/work/bohan-1975-292-344', '10.1/x']
    """
    family = str(attrs.get("family") or "")
    names = [_label(attrs), f"{family} {attrs.get('year') or 'n.d.'}" if family else "", iri]
    names += [str(attrs[k]) for k in ("doi", "pmid", "pmcid") if attrs.get(k)]
    return [name.lower() for name in names if name]


def _decade_colour(year: object, decades: list[int]) -> str:
    if not year:
        return UNKNOWN
    index = decades.index(int(str(year)) // 10 * 10)
    return DECADE_COLOURS[min(index * len(DECADE_COLOURS) // max(len(decades), 1),
                              len(DECADE_COLOURS) - 1)]


def select_nodes(graph: nx.DiGraph, rank: dict[str, float], budget: int) -> list[str]:
    """Corpus documents, then the most central works, up to ``budget`` nodes in all.

    Corpus documents come first, by PageRank too, so a corpus larger than the budget (a
    hundred thousand PubMed records) is cut like everything else instead of drawn whole.
    """
    def central(nodes: list[str]) -> list[str]:
        return sorted(nodes, key=lambda n: (-rank.get(n, 0), n))

    corpus = [n for n, a in graph.nodes(data=True) if a.get("corpus")]
    members = set(corpus)
    others = [n for n in graph if n not in members]
    return sorted((central(corpus) + central(others))[:budget])


def _partners(graph: nx.DiGraph, works: list[str], kind: str) -> dict[str, str]:
    """For each drawn work, its three strongest partners of ``kind`` as text."""
    return {work: "; ".join(f"{_label(graph.nodes[o])} ({c})" for c, o in found)
            for work, found in top_partners(graph, works, kind).items()}


def _legend(graph: nx.DiGraph, decades: list[int], intents: set[str | None]
            ) -> list[dict[str, str]]:
    designs = {a.get("design") for a in graph.nodes.values()}
    return (
        [{"label": f"corpus document: {d}", "color": c, "shape": "box"}
         for d, c in DESIGN_COLOURS.items() if d in designs]
        + [{"label": f"cited work, {d}s", "color": _decade_colour(d, decades), "shape": "dot"}
           for d in decades]
        + [{"label": f"cites: {label}", "color": colour, "shape": "line"}
           for intent, (colour, label) in INTENT_COLOURS.items() if intent in intents]
        + [{"label": "cites (arrow from citing to cited work; no citing sentence)",
            "color": NO_SENTENCE, "shape": "line"}]
    )


def citation_page(graph: nx.DiGraph, budget: int = 1000, trace: Trace | None = None,
                  sentences: Sentences | None = None) -> tuple:
    """The page and pyvis network of the citation view; ``sentences`` by (citing, cited)."""
    sentences = sentences or {}
    rank = pagerank(graph)
    degree = degrees(graph)
    shown = select_nodes(graph, rank, budget)
    cocited, coupled = (_partners(graph, shown, kind) for kind in ("cocitation", "coupling"))
    keep = set(shown)
    decades = sorted({int(str(a["year"])) // 10 * 10
                      for a in graph.nodes.values() if a.get("year")})
    top = max(rank.values(), default=1.0)
    net = network()
    for work in shown:
        attrs = graph.nodes[work]
        cited_by, cites = degree[work]
        corpus = bool(attrs.get("corpus"))
        colour = (DESIGN_COLOURS.get(str(attrs.get("design")), UNKNOWN) if corpus
                  else _decade_colour(attrs.get("year"), decades))
        lines = [("Reference", reference(attrs)), ("Year", attrs.get("year")),
                 ("Design", attrs.get("design")), ("Cited by (in this graph)", cited_by),
                 ("References", cites), ("PageRank", f"{rank.get(work, 0):.4f}"),
                 ("Most co-cited with", cocited.get(work)),
                 ("Shares most references with", coupled.get(work))]
        net.add_node(
            work, label=_label(attrs), shape="box" if corpus else "dot",
            color=colour, size=10 + 30 * math.sqrt(rank.get(work, 0) / top),
            borderWidth=3 if corpus else 1,
            meta=meta("work", str(attrs.get("title", work)), lines, links(attrs, work),
                      corpus=corpus, find=finding_names(attrs, work)),
        )
    intents: set[str | None] = set()
    for citing, cited in sorted(graph.edges):
        if citing in keep and cited in keep:
            said = sentences.get((citing, cited), [])
            intent = edge_intent(said)
            intents.add(intent)
            net.add_edge(citing, cited, id=f"{citing} -> {cited}",
                         color=INTENT_COLOURS[intent][0] if intent else NO_SENTENCE,
                         width=2 if intent else 1,
                         meta=meta("citation", "cites", [
                             ("From", graph.nodes[citing].get("title")),
                             ("To", graph.nodes[cited].get("title")), *_edge_lines(said)],
                             intent=intent or "none",
                             intents=sorted({s.intent for s in said}) or ["none"],
                             sentences=[[s.section, s.intent, " ".join(s.text.split())]
                                        for s in said]))
    left_out = graph.number_of_nodes() - len(shown)
    note = (f"Showing the {len(shown)} most central of {graph.number_of_nodes()} works "
            f"(corpus documents and the highest PageRank); {left_out} works left out."
            if left_out else None)
    works = sorted(
        ((w, f"{_label(graph.nodes[w])} \u2013 {str(graph.nodes[w].get('title', ''))[:70]}")
         for w in shown),
        key=lambda pair: (not graph.nodes[pair[0]].get("corpus"), pair[1]),
    )
    page = Page(
        kind="citation",
        title="Citation network of the MA-ILD evidence corpus",
        explanation=("Each arrow points from a citing work to the work it cites. Boxes are corpus "
                     "documents (coloured by study design), dots are cited works (coloured by "
                     "decade); size grows with PageRank. Trace the chains between two works, or "
                     "a work's lineage, with the controls; click a work for its reference and "
                     "links."),
        legend=_legend(graph, decades, intents), note=note, controls=("trace",),
        choices={"works": works, "intents": [
            [intent, label] for intent, (_, label) in INTENT_COLOURS.items() if intent in intents]},
        initial=trace.initial() if trace else None, scripts=("contexts.js",),
    )
    return page, net


def draw(target: Target, options: Mapping[str, Any], resolve: Resolve) -> Drawing:
    """The citation view of ``target``, tracing what the options ask for."""
    trace = Trace(source=resolve.work(options.get("trace_from")),
                  target=resolve.work(options.get("trace_to")),
                  work=resolve.work(options.get("lineage")),
                  depth=options.get("depth") or 2,
                  direction=options.get("direction") or "built-upon")
    return citation_page(citation_graph(target), budget=options.get("budget") or 1000,
                         trace=trace, sentences=citation_sentences(target))


VIEW = View(
    name="citations",
    description="works as nodes, citations as arrows; trace chains and lineage",
    order=10,
    options=(
        Option("--budget", "draw at most this many works, the most central (default 1000)",
               int),
        Option("--trace-from", "highlight the chains from this work ..."),
        Option("--trace-to", "... to this work"),
        Option("--lineage", "highlight this work's lineage"),
        Option("--direction", "which way the lineage goes", default="built-upon",
               choices=("built-upon", "builds-on", "both")),
        Option("--depth", "steps of lineage or neighbourhood", int, 2),
    ),
    draw=draw,
)
