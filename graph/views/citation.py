"""The citation view: works as nodes, citations as arrows, with tracing of chains and lineage.

The page opens on a year axis (x = publication year, as Litmaps draws it), or lays the works out
by their citations. Corpus documents are boxes coloured by study design; cited works are grey
dots, whose size grows with PageRank. Past a node budget only the most central works are drawn
(corpus documents first), and the works left out are drawn as a few group nodes (citation
communities, decades or journals) joined by arrows that count the citations between them, so a
big graph never becomes a hairball or a disc of thousands of nodes. The works a trace or lineage
asks for are drawn first, whatever the budget. The page carries the whole citation graph in
compact form (``templates/chains.js``): chains and lineages are followed through every work,
drawn or not, and the page lists the chains and says which works on them are in a group. An
arrow whose citing document has a body text carries the sentences that cite (its citation
contexts) and is coloured by their CiTO intent; ``templates/contexts.js`` filters arrows by
intent and lists, under a traced chain, the sentence by which each work cites the next.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from graph.query.endpoints import Target
from graph.query.network import (
    EDGES,
    WORKS,
    Indexed,
    chain_members,
    communities,
    degrees,
    graph_of,
    indexed,
    nodes_and_arrays,
    pagerank,
    top_partners,
)
from graph.query.texts import internal_query
from graph.views._page import PHYSICS_NODE_LIMIT, Page, meta, network
from graph.views._shared import values
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
CANDIDATES_ONLY = "machine-extracted, unreviewed"  # a document whose findings are all candidates
GROUP_COLOUR = "#fdd49e"
MAX_STEPS = 4  # the longest chain queries/citation-chains.rq follows
DRAWN_LIMIT = PHYSICS_NODE_LIMIT  # past it vis-network lays nodes on a circle: a grey disc
GROUP_LIMIT = 24  # group nodes at most; the smallest groups past it are drawn as one
COMMUNITY_EDGE_LIMIT = 500_000  # Louvain in Python past this many citations: decades instead
CARRIED_LIMIT = 300_000  # citations the page carries whole (about 3 MB); past it, the drawn ones
GROUPINGS = ("community", "decade", "journal")
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

    def required(self, graph: nx.DiGraph, rank: dict[str, float]) -> list[str]:
        """The works the trace or lineage needs drawn, most needed first: the ends, then the
        works on the chains (nearest the source first), or the lineage nearest first."""
        if self.source and self.target:
            return [self.source, self.target, *chain_members(graph, self.source, self.target,
                                                             MAX_STEPS)]
        if not self.work or self.work not in graph:
            return []
        reached: dict[str, int] = {}
        for view in ([graph] if self.direction == "builds-on" else [graph.reverse(copy=False)]
                     if self.direction == "built-upon" else [graph, graph.reverse(copy=False)]):
            for node, steps in nx.single_source_shortest_path_length(
                    view, self.work, cutoff=self.depth).items():
                reached[node] = min(steps, reached.get(node, steps))
        return sorted(reached, key=lambda n: (reached[n], -rank.get(n, 0), n))

    def initial(self) -> dict[str, object] | None:
        if self.source and self.target:
            return {"trace": [self.source, self.target]}
        if self.work:
            return {"lineage": {"work": self.work, "depth": self.depth,
                                "direction": self.direction}}
        return None


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
    for row in values(target, CONTEXTS, "<citation contexts>"):
        found.setdefault((row["citing"], row["cited"]), []).append(Sentence(
            int(row["start"]), row.get("section", "no section"),
            row["intent"].removeprefix(CITO), row["rule"], row["sentence"]))
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


def select_nodes(graph: nx.DiGraph, rank: dict[str, float], budget: int,
                 required: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The ``required`` works, then corpus documents, then the most central works, up to
    ``budget`` nodes in all; the budget grows to take every required work, up to
    :data:`DRAWN_LIMIT`.

    Corpus documents come first, by PageRank too, so a corpus larger than the budget (a
    hundred thousand PubMed records) is cut like everything else instead of drawn whole.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b"), ("d", "c")])
    >>> select_nodes(g, pagerank(g), 1, required=["d", "a"])
    ['a', 'd']
    """
    def central(nodes: list[str]) -> list[str]:
        return sorted(nodes, key=lambda n: (-rank.get(n, 0), n))

    first = list(dict.fromkeys(n for n in required if n in graph))[:DRAWN_LIMIT]
    taken = set(first)
    corpus = [n for n, a in graph.nodes(data=True) if a.get("corpus") and n not in taken]
    taken.update(corpus)
    others = [n for n in graph if n not in taken]
    budget = min(max(budget, len(first)), DRAWN_LIMIT)
    return sorted((first + central(corpus) + central(others))[:budget])


def group_works(graph: nx.DiGraph, works: list[str], by: str, at: Indexed | None = None
                ) -> dict[str, tuple[str, list[str]]]:
    """The works left out of the drawing in at most :data:`GROUP_LIMIT` groups, by citation
    community (Louvain on the whole graph, seeded), decade or journal: group id -> (name,
    members). The smallest groups past the limit are one group, "other works".

    >>> g = nx.DiGraph([("a", "b")]); g.nodes["a"]["year"] = "1991"
    >>> group_works(g, ["a", "b"], "decade")
    {'group:decade:1990s': ('1990s', ['a']), 'group:decade:no year': ('no year', ['b'])}
    """
    if by == "community":
        key = {n: f"{i + 1}" for i, members in enumerate(communities(graph, at=at))
               for n in members}
        name = "community {}".format
    elif by == "decade":
        key = {n: f"{int(str(graph.nodes[n]['year'])) // 10 * 10}s"
               if str(graph.nodes[n].get("year") or "").isdigit() else "no year" for n in works}
        name = "{}".format
    else:
        key = {n: str(graph.nodes[n].get("journal") or "no journal") for n in works}
        name = "{}".format
    members: dict[str, list[str]] = {}
    for work in sorted(works):
        members.setdefault(key[work], []).append(work)
    ranked = sorted(members, key=lambda k: (-len(members[k]), k))
    named = ranked if len(ranked) <= GROUP_LIMIT else ranked[:GROUP_LIMIT - 1]
    groups = {f"group:{by}:{k}": (name(k), members[k]) for k in named}
    rest = sorted(w for k in ranked[len(named):] for w in members[k])
    if rest:
        groups[f"group:{by}:other"] = ("other works", rest)
    return dict(sorted(groups.items()))


def _partners(graph: nx.DiGraph, works: list[str], kind: str, at: Indexed
              ) -> dict[str, str]:
    """For each drawn work, its three strongest partners of ``kind`` as text."""
    return {work: "; ".join(f"{_label(graph.nodes[o])} ({c})" for c, o in found)
            for work, found in top_partners(graph, works, kind, at=at).items()}


def _legend(graph: nx.DiGraph, shown: list[str], intents: set[str | None]
            ) -> list[dict[str, str]]:
    """One entry for each design of the drawn corpus documents, one for cited works, one for each
    citation intent drawn."""
    designs = {graph.nodes[n].get("design") for n in shown if graph.nodes[n].get("corpus")}
    return ([legend_item(f"corpus document: {d}", c, "box")
             for d, c in DESIGN_COLOURS.items() if d in designs]
            + ([legend_item("corpus document: design not known", UNKNOWN, "box")]
               if designs - set(DESIGN_COLOURS) else [])
            + ([legend_item("corpus document whose findings are machine-extracted, unreviewed "
                            "(hollow, dashed)", UNKNOWN, "box hollow")]
               if any(graph.nodes[n].get("evidence") == CANDIDATES_ONLY for n in shown) else [])
            + [legend_item("cited work (size: PageRank)", CITED, "dot")]
            + [legend_item(f"cites: {label}", colour, "line")
               for intent, (colour, label) in INTENT_COLOURS.items() if intent in intents]
            + [legend_item("cites (arrow from citing to cited work; no citing sentence)",
                           NO_SENTENCE, "line")])


def cite(attrs: dict[str, object]) -> dict[str, str]:
    """The fields a reference manager needs (exported as RIS) besides the title and year, which
    the node's heading and list row hold already."""
    return {k: str(attrs[k]) for k in ("first", "journal", "volume", "pages", "doi", "pmid")
            if attrs.get(k)}


def _group_nodes(net: object, graph: nx.DiGraph, groups: dict[str, tuple[str, list[str]]],
                 where: dict[str, str], degree: dict[str, tuple[int, int]], at: Indexed
                 ) -> None:
    """One node per group, sized by its works, and one arrow per pair of drawn things that
    citations join through a group (a group and a group, or a drawn work and a group), counting
    them; each group keeps its ten heaviest arrows to drawn works, each way."""
    largest = max((len(m) for _name, m in groups.values()), default=1)
    for gid, (name, members) in groups.items():
        years = sorted(str(graph.nodes[w]["year"]) for w in members if graph.nodes[w].get("year"))
        journals = Counter(str(graph.nodes[w]["journal"]) for w in members
                           if graph.nodes[w].get("journal"))
        cited = sorted(members, key=lambda w: (-degree[w][0], w))[:5]
        net.add_node(  # type: ignore[attr-defined]
            gid, label=f"{name}\n{len(members)} works", shape="hexagon", color=GROUP_COLOUR,
            size=14 + 26 * math.sqrt(len(members) / largest),
            meta=meta("group", f"A group of {len(members)} works not drawn: {name}", [
                ("Works", len(members)),
                ("Years", f"{years[0]}\u2013{years[-1]}" if years else None),
                ("Journals", "; ".join(f"{j} ({c})" for j, c in journals.most_common(3))),
                ("Most cited", "; ".join(f"{_label(graph.nodes[w])} ({degree[w][0]})"
                                         for w in cited)),
            ], group=True))
    counts = _between(where, at)
    heaviest: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    for (a, b), count in counts.items():
        if not (a.startswith("group:") and b.startswith("group:")):
            gid, side = (a, "out") if a.startswith("group:") else (b, "in")
            heaviest[(gid, side)].append((-count, a, b))
    kept = {(a, b) for (a, b) in counts if a.startswith("group:") and b.startswith("group:")}
    kept |= {(a, b) for found in heaviest.values() for _c, a, b in sorted(found)[:10]}
    for a, b in sorted(kept):
        net.add_edge(  # type: ignore[attr-defined]
            a, b, id=f"{a} -> {b}", label=str(counts[(a, b)]), color=GROUP_COLOUR,
            width=1 + 2 * math.log10(counts[(a, b)]), dashes=True,
            meta=meta("aggregate", f"{counts[(a, b)]} citations", [
                ("From", net.get_node(a)["label"].replace("\n", ", ")),  # type: ignore[attr-defined]
                ("To", net.get_node(b)["label"].replace("\n", ", "))],  # type: ignore[attr-defined]
                aggregate=True))


def _between(where: dict[str, str], at: Indexed) -> Counter[tuple[str, str]]:
    """The citations between two places of the page (a drawn work or a group) that are not
    the same and not both drawn works, counted by (citing place, cited place): each work's
    place numbered, every citation's pair of places counted at once.

    >>> at = indexed(nx.DiGraph([("a", "b"), ("c", "b"), ("c", "a"), ("a", "c")]))
    >>> _between({"a": "a", "b": "group:x", "c": "group:x"}, at)
    Counter({('a', 'group:x'): 2, ('group:x', 'a'): 1})
    """
    places = sorted(set(where.values()))
    number = {place: i for i, place in enumerate(places)}
    place = np.array([number[where[n]] for n in at.nodes], dtype=np.int64)
    grouped = np.array([p.startswith("group:") for p in places])
    a, b = place[at.citing], place[at.cited]
    pairs, counts = np.unique((a * len(places) + b)[(a != b) & (grouped[a] | grouped[b])],
                              return_counts=True)
    return Counter({(places[pair // len(places)], places[pair % len(places)]): count
                    for pair, count in zip(pairs.tolist(), counts.tolist(), strict=True)})


def compact_graph(graph: nx.DiGraph, where: dict[str, str], at: Indexed | None = None
                  ) -> dict[str, object]:
    """The whole citation graph for the page's chains and lineages: every work (IRI, short
    label, and its group when it is not drawn) and, by index, the works each one cites.

    Past :data:`CARRIED_LIMIT` citations, only the drawn works and their citations, marked
    ``partial`` so the page says its chains run through drawn works only.
    """
    at = at or indexed(graph)
    partial = len(at.citing) > CARRIED_LIMIT
    carried = np.array([not partial or where[w] == w for w in at.nodes], dtype=bool)
    order = [w for w, kept in zip(at.nodes, carried.tolist(), strict=True) if kept]
    # each carried work's number among the carried, and the citations between carried works
    # sorted by citing work then cited work: each work's list is one slice
    number = np.cumsum(carried) - 1
    both = carried[at.citing] & carried[at.cited]
    citing, cited = number[at.citing[both]], number[at.cited[both]]
    ranked = np.lexsort((cited, citing))
    bounds = np.searchsorted(citing[ranked], np.arange(len(order) + 1)).tolist()
    cites = cited[ranked].tolist()
    return {
        "works": [[w, _label(graph.nodes[w]), "" if where[w] == w else where[w]] for w in order],
        "cites": [cites[bounds[i]:bounds[i + 1]] for i in range(len(order))],
        "maxSteps": MAX_STEPS,
        "partial": partial,
    }


def citation_page(graph: nx.DiGraph, budget: int = 1000, trace: Trace | None = None,
                  group_by: str = "community", sentences: Sentences | None = None,
                  at: Indexed | None = None) -> tuple:
    """The page and pyvis network of the citation view; ``sentences`` by (citing, cited).
    Given ``at``, the citations are its arrays and ``graph`` need hold only the works
    (:func:`graph.query.network.nodes_and_arrays`; a trace needs the edges too)."""
    sentences = sentences or {}
    at = at or indexed(graph)
    rank = pagerank(graph, at)
    degree = degrees(graph, at)
    required = trace.required(graph, rank) if trace else []
    shown = select_nodes(graph, rank, budget, required)
    cocited, coupled = (_partners(graph, shown, kind, at) for kind in ("cocitation", "coupling"))
    keep = set(shown)
    left = [w for w in graph if w not in keep]
    if group_by == "community" and len(at.citing) > COMMUNITY_EDGE_LIMIT:
        group_by = "decade"  # Louvain in Python would take minutes at this size
    groups = group_works(graph, left, group_by, at) if left else {}
    where = {w: w for w in shown} | {w: gid for gid, (_n, ms) in groups.items() for w in ms}
    top = max(rank.values(), default=1.0)
    net = network()
    for work in shown:
        attrs = graph.nodes[work]
        cited_by, cites = degree[work]
        corpus = bool(attrs.get("corpus"))
        colour = DESIGN_COLOURS.get(str(attrs.get("design")), UNKNOWN) if corpus else CITED
        lines = [("Reference", reference(attrs)), ("Year", attrs.get("year")),
                 ("Design", attrs.get("design")), ("Findings", attrs.get("evidence")),
                 ("Cited by (in this graph)", cited_by),
                 ("References", cites), ("PageRank", f"{rank.get(work, 0):.4f}"),
                 ("Most co-cited with", cocited.get(work)),
                 ("Shares most references with", coupled.get(work))]
        year = str(attrs.get("year") or "")
        style = node_style(colour, "box" if corpus else "dot")
        if attrs.get("evidence") == CANDIDATES_ONLY:  # findings no person has reviewed: hollow
            style.update(color={"background": "#ffffff", "border": colour},
                         font={"color": "#222222"}, shapeProperties={"borderDashes": [5, 4]})
        net.add_node(
            work, label=_label(attrs), **style,
            size=5 + 9 * math.sqrt(rank.get(work, 0) / top), borderWidth=2 if corpus else 1,
            year=int(year) if year.isdigit() else None, rank=rank.get(work, 0),
            meta=meta("work", str(attrs.get("title", work)), lines, links(attrs, work),
                      corpus=corpus, find=finding_names(attrs, work), cite=cite(attrs),
                      row={"work": _label(attrs), "year": year, "citedBy": cited_by,
                           "design": str(attrs.get("design") or "")}),
        )
    intents: set[str | None] = set()
    # the citations between drawn works, in order (not every citation sorted to find them)
    drawn = np.zeros(len(at.nodes), dtype=bool)
    drawn[[at.index[w] for w in shown]] = True
    both = drawn[at.citing] & drawn[at.cited]
    for citing, cited in sorted((at.nodes[a], at.nodes[b]) for a, b in zip(
            at.citing[both].tolist(), at.cited[both].tolist(), strict=True)):
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
    _group_nodes(net, graph, groups, where, degree, at)
    asked = len([w for w in dict.fromkeys(required) if w in graph])
    note = (f"Showing the {len(shown)} most central of {graph.number_of_nodes()} works "
            f"(corpus documents and the highest PageRank); the {len(left)} others are drawn as "
            f"{len(groups)} groups by {'citation ' if group_by == 'community' else ''}{group_by}"
            ", each arrow to or from a group counting its citations."
            + (f" The {asked} works the trace or lineage needs come first"
               + (f"; {asked - len(keep & set(required))} of them are in groups."
                  if not set(required) <= keep else ".") if asked else "")
            if left else None)
    works = sorted(
        ((w, f"{_label(graph.nodes[w])} \u2013 {str(graph.nodes[w].get('title', ''))[:70]}")
         for w in shown),
        key=lambda pair: (not graph.nodes[pair[0]].get("corpus"), pair[1]),
    )
    legend = _legend(graph, shown, intents) + ([
        legend_item("a group of works not drawn (the number of works)", GROUP_COLOUR, "hexagon")]
        if groups else [])
    page = Page(
        kind="citation",
        title="Citation network of the MA-ILD evidence corpus",
        explanation=("Each arrow points from a citing work to the work it cites; works are placed "
                     "by publication year (or by their citations: Layout). Boxes are corpus "
                     "documents (coloured by study design), dots are cited works; size grows with "
                     "PageRank. Trace the chains between two works, or a work's lineage, with the "
                     "controls; click a work or a row of the list for its reference and links; "
                     "an arrow's colour is why the work cites (its CiTO intent), hover it for "
                     "the citing sentences."),
        legend=legend, note=note, controls=("trace", "layout"),
        choices={"works": works, "intents": [
            [intent, label] for intent, (_, label) in INTENT_COLOURS.items() if intent in intents]},
        initial=trace.initial() if trace else None, layout="year",
        table=(("work", "Work"), ("year", "Year"), ("citedBy", "Cited by"), ("design", "Design"),
               ("heading", "Title")),
        data={"graph": compact_graph(graph, where, at)}, extras=("chains", "contexts"),
    )
    return page, net


def draw(target: Target, options: Mapping[str, Any], resolve: Resolve) -> Drawing:
    """The citation view of ``target``, tracing what the options ask for."""
    trace = Trace(source=resolve.work(options.get("trace_from")),
                  target=resolve.work(options.get("trace_to")),
                  work=resolve.work(options.get("lineage")),
                  depth=options.get("depth") or 2,
                  direction=options.get("direction") or "built-upon")
    works, edges = (values(target, WORKS, "<citation graph>"),
                    values(target, EDGES, "<citation graph>"))
    if trace.initial():  # the trace walks networkx's edges
        graph, at = graph_of(works, edges), None
    else:
        graph, at = nodes_and_arrays(works, edges)
    return citation_page(graph, budget=options.get("budget") or 1000,
                         trace=trace, group_by=options.get("group_by") or "community",
                         sentences=citation_sentences(target), at=at)


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
        Option("--group-by", "how the works past the budget are grouped", default="community",
               choices=GROUPINGS),
    ),
    draw=draw,
    reads=(WORKS, EDGES, CONTEXTS),
)
