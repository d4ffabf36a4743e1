"""What a build changed in the works: the works it made new, merged away or enriched, and the
citation edges it added, as ``add`` and ``remove`` report them.

A work is a subject under the work base with a title; its facts are its literal values. The
store's default graph is ``graph.nt``, so a work's triples before a build are its triples after
it, less the ``graph.nt`` lines the build added, plus those it removed
(:class:`graph.rdf.delta.Difference`). Only the works those lines name can be new, merged or
enriched: :func:`from_difference` asks the store for those alone (bound in a ``VALUES`` block),
and costs what the change costs. :func:`snapshot` reads every work and citation edge of a
store; :func:`compare` of two snapshots is the whole computation, which a store without a last
build to diff against still uses, and which tests/test_add.py holds the difference to.
:func:`since_last` chooses among them for ``add`` and ``remove``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.query.binding import bind, bind_rows
from graph.query.endpoints import Binding, EmbeddedStore
from graph.query.texts import internal_query
from graph.rdf.delta import Difference, difference
from graph.rdf.iris import iri
from graph.vocabulary.prefixes import PREFIXES

EDGES = internal_query("add/citations")
WORKS = internal_query("add/work-facts")
FACTS_OF = internal_query("add/facts-of-works")
SOURCES = internal_query("add/works-of-sources")
TITLE = PREFIXES["dcterms"] + "title"
CITES = PREFIXES["cito"] + "cites"

Facts = dict[str, set[tuple[str, str]]]  # work IRI -> its (predicate, literal value) pairs


@dataclass
class WorkChanges:
    """The works new to the graph, those of the last graph no longer in it (merged into
    another, or removed), those in both that gained facts (with the predicates they gained),
    and the number of citation edges added."""

    new: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    enriched: dict[str, list[str]] = field(default_factory=dict)
    citations: int = 0


def _base() -> str:
    return str(iri("work")) + "/"


def snapshot(store: Path) -> tuple[Facts, set[tuple[str, str]]]:
    """Every work's literal facts and every citation edge of ``store`` (none without one)."""
    if not (store / "CURRENT").exists():
        return {}, set()
    target = EmbeddedStore(store)
    edges = {(r["a"]["value"], r["b"]["value"])
             for r in target.select(EDGES, "<snapshot>").rows}
    works = target.select(bind(WORKS, {"base": ox.Literal(_base())}), "<works>")
    facts: Facts = {}
    for r in works.rows:
        facts.setdefault(r["w"]["value"], set()).add((r["p"]["value"], r["o"]["value"]))
    return facts, edges


def _short(predicate: str) -> str:
    """ "http://purl.org/ontology/bibo/doi" -> "doi"."""
    return predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def compare(before: tuple[Facts, set[tuple[str, str]]],
            after: tuple[Facts, set[tuple[str, str]]]) -> WorkChanges:
    """What changed from the ``before`` snapshot to the ``after`` one."""
    (works_before, edges_before), (works_after, edges_after) = before, after
    gained = {w: works_after[w] - works_before[w] for w in works_before.keys() & works_after.keys()}
    return WorkChanges(
        new=sorted(works_after.keys() - works_before.keys()),
        gone=sorted(works_before.keys() - works_after.keys()),
        enriched={w: sorted({_short(p) for p, _o in new}) for w, new in gained.items() if new},
        citations=len(edges_after - edges_before))


@dataclass
class _Triples:
    """A work's titles (counted: a title need not be a literal) and its literal triples."""

    titles: int = 0
    literals: set[tuple[str, ox.Literal]] = field(default_factory=set)

    def add(self, predicate: str, value: object) -> None:
        self.titles += predicate == TITLE
        if isinstance(value, ox.Literal):
            self.literals.add((predicate, value))

    def facts(self) -> set[tuple[str, str]] | None:
        """The work's facts as a snapshot holds them; None if it is no work (no title)."""
        return {(p, o.value) for p, o in self.literals} if self.titles else None


def _parsed(lines: list[str]) -> tuple[dict[str, _Triples], int]:
    """The titles and literal triples of the works among the subjects of ``lines``, and how
    many of the lines are citation edges."""
    base, works, cites = _base(), {}, 0
    text = ("\n".join(lines) + "\n").encode("utf-8")
    for t in ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES):
        cites += t.predicate.value == CITES
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(base):
            works.setdefault(t.subject.value, _Triples()).add(t.predicate.value, t.object)
    return works, cites


def _term(binding: Binding) -> object:
    """The literal a query row's binding is (other terms only count as titles)."""
    if binding["type"] != "literal":
        return None
    if "xml:lang" in binding:
        return ox.Literal(binding["value"], language=binding["xml:lang"])
    datatype = binding.get("datatype")
    return ox.Literal(binding["value"], datatype=ox.NamedNode(datatype) if datatype else None)


def from_difference(change: Difference, store: Path) -> WorkChanges:
    """What changed, from the ``graph.nt`` lines ``change`` removed and added and the works
    they name as ``store`` (the new build's) holds them: the same as :func:`compare` of the
    snapshots of the last store and ``store``."""
    (added, cites), (removed, _) = _parsed(change.added), _parsed(change.removed)
    touched = sorted(added.keys() | removed.keys())
    now = {w: _Triples() for w in touched}
    if touched:
        query = bind_rows(FACTS_OF, "w", [ox.NamedNode(w) for w in touched])
        for r in EmbeddedStore(store).select(query, "<works changed>").rows:
            now[r["w"]["value"]].add(r["p"]["value"], _term(r["o"]))
    before: Facts = {}
    after: Facts = {}
    for w, triples in now.items():
        plus, minus = added.get(w, _Triples()), removed.get(w, _Triples())
        earlier = _Triples(triples.titles - plus.titles + minus.titles,
                           (triples.literals - plus.literals) | minus.literals)
        for facts, state in ((before, earlier), (after, triples)):
            if (values := state.facts()) is not None:
                facts[w] = values
    changes = compare((before, set()), (after, set()))
    changes.citations = cites  # a line added is an edge the last graph lacked
    return changes


def works_of(store: Path, paths: Iterable[str]) -> dict[str, set[str]]:
    """The works each of the corpus documents ``paths`` ("file" or "file#record") embodies,
    by its file."""
    bound = [ox.Literal(p) for p in sorted(set(paths))]
    embodied: dict[str, set[str]] = {}
    if not bound:
        return embodied
    rows = EmbeddedStore(store).select(bind_rows(SOURCES, "path", bound), "<sources>").rows
    for r in rows:
        embodied.setdefault(r["path"]["value"].partition("#")[0], set()).add(r["w"]["value"])
    return embodied


def since_last(out: Path, change: Difference | None, last: Path | None) -> WorkChanges:
    """What a build into ``out`` changed in the works: from its change of ``graph.nt``, else
    from the difference of the last build's (``last``, kept while the build ran) and the new
    one, else (no last build) every work of the store is new."""
    store = out / "store"
    if change is None and last is not None:
        change = difference(last, out / "graph.nt", sys.maxsize)
    if change is None:
        return compare(({}, set()), snapshot(store))
    return from_difference(change, store)
