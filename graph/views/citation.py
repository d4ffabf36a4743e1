"""The citation view: works as nodes, citations as arrows, with tracing of chains and lineage.

The page opens on a year axis (x = publication year, as Litmaps draws it), or lays the works out
by their citations. Corpus documents are boxes coloured by study design; cited works are grey
dots, whose size grows with PageRank. Past a node budget only the most central works are drawn
(corpus documents first), and the page says how many were left out.
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
from graph.views._page import Page, meta, network
from graph.views._style import OKABE_ITO, legend_item, node_style
from graph.views._view import Drawing, Option, Resolve, View

DESIGN_COLOURS = {
    "systematic review": OKABE_ITO["bluish green"],
    "randomized controlled trial": OKABE_ITO["blue"],
    "retrospective cohort study": OKABE_ITO["vermillion"],
    "prospective cohort study": OKABE_ITO["orange"],
    "case series": OKABE_ITO["reddish purple"],
    "case report": OKABE_ITO["sky blue"],
    "news report": OKABE_ITO["yellow"],
}
UNKNOWN = "#DDDDDD"  # a corpus document of no known design
CITED = "#BBBBBB"  # a cited work: its year is its place on the axis and in its label
CITES = "#8C8C8C"
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


def _legend(graph: nx.DiGraph, shown: list[str]) -> list[dict[str, str]]:
    """One entry for each design of the drawn corpus documents, one for cited works, the arrow."""
    designs = {graph.nodes[n].get("design") for n in shown if graph.nodes[n].get("corpus")}
    return ([legend_item(f"corpus document: {d}", c, "box")
             for d, c in DESIGN_COLOURS.items() if d in designs]
            + ([legend_item("corpus document: design not known", UNKNOWN, "box")]
               if designs - set(DESIGN_COLOURS) else [])
            + [legend_item("cited work (size: PageRank)", CITED, "dot"),
               legend_item("cites (arrow from citing to cited work)", CITES, "line")])


def cite(attrs: dict[str, object]) -> dict[str, str]:
    """The fields a reference manager needs (exported as RIS)."""
    return {k: str(attrs[k]) for k in ("first", "title", "year", "journal", "volume", "pages",
                                       "doi", "pmid") if attrs.get(k)}


def citation_page(graph: nx.DiGraph, budget: int = 1000, trace: Trace | None = None) -> tuple:
    """The page and pyvis network of the citation view."""
    rank = pagerank(graph)
    degree = degrees(graph)
    shown = select_nodes(graph, rank, budget)
    cocited, coupled = (_partners(graph, shown, kind) for kind in ("cocitation", "coupling"))
    keep = set(shown)
    top = max(rank.values(), default=1.0)
    net = network()
    for work in shown:
        attrs = graph.nodes[work]
        cited_by, cites = degree[work]
        corpus = bool(attrs.get("corpus"))
        colour = DESIGN_COLOURS.get(str(attrs.get("design")), UNKNOWN) if corpus else CITED
        lines = [("Reference", reference(attrs)), ("Year", attrs.get("year")),
                 ("Design", attrs.get("design")), ("Cited by (in this graph)", cited_by),
                 ("References", cites), ("PageRank", f"{rank.get(work, 0):.4f}"),
                 ("Most co-cited with", cocited.get(work)),
                 ("Shares most references with", coupled.get(work))]
        year = str(attrs.get("year") or "")
        net.add_node(
            work, label=_label(attrs), **node_style(colour, "box" if corpus else "dot"),
            size=5 + 9 * math.sqrt(rank.get(work, 0) / top), borderWidth=2 if corpus else 1,
            year=int(year) if year.isdigit() else None, rank=rank.get(work, 0),
            meta=meta("work", str(attrs.get("title", work)), lines, links(attrs, work),
                      corpus=corpus, find=finding_names(attrs, work), cite=cite(attrs),
                      row={"work": _label(attrs), "year": year, "citedBy": cited_by,
                           "design": str(attrs.get("design") or ""),
                           "title": str(attrs.get("title") or "")}),
        )
    for citing, cited in sorted(graph.edges):
        if citing in keep and cited in keep:
            net.add_edge(citing, cited, id=f"{citing} -> {cited}", color=CITES,
                         meta=meta("citation", "cites", [
                             ("From", graph.nodes[citing].get("title")),
                             ("To", graph.nodes[cited].get("title"))]))
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
        explanation=("Each arrow points from a citing work to the work it cites; works are placed "
                     "by publication year (or by their citations: Layout). Boxes are corpus "
                     "documents (coloured by study design), dots are cited works; size grows with "
                     "PageRank. Trace the chains between two works, or a work's lineage, with the "
                     "controls; click a work or a row of the list for its reference and links."),
        legend=_legend(graph, shown), note=note, controls=("trace", "layout"),
        choices={"works": works}, initial=trace.initial() if trace else None, layout="year",
        table=(("work", "Work"), ("year", "Year"), ("citedBy", "Cited by"), ("design", "Design"),
               ("title", "Title")),
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
                         trace=trace)


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
        Option("--depth", "steps of the lineage (default 2)", int),
    ),
    draw=draw,
)
