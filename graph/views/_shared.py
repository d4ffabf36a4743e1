"""Rows that several views read, asked of the store once when the build draws every view, and
the queries whose rows a build keeps for the next one (an ``add`` patches them).

The evidence view and the gap map both read every outcome finding (the gap map counts them all,
the evidence view chooses its studies from them), and both read the concepts' labels. Drawn one
after the other from the store, each asked the same query again (at 2,000 documents the
findings took 4 s each time). A view names the internal queries it reads whole in
:attr:`View.reads`; :class:`Shared` keeps the rows of a query more than one view names until
its last reader takes them. Only the rows' values are kept (what these views read), interned:
a row of bindings takes several times the memory.

Each query of :data:`KEPT` is read in one order, whatever the engine's (:func:`ordered`): its
rows after an ``add`` are the last build's with those of the keys the change reaches asked again
(:mod:`graph.build.view_rows`), and a page drawn from them must be the page drawn from the whole
store, byte for byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from sys import intern

from graph.query.endpoints import Binding, Results, Target
from graph.query.texts import internal_query
from graph.vocabulary.prefixes import PREFIXES

Values = dict[str, str]  # a row as {variable: its value's text}


@dataclass(frozen=True)
class Kept:
    """A query a view reads whole, and what a changed ``graph.nt`` line can change of its rows.

    Every row names ``key``; a row depends only on lines reached from its key, so after a change
    the rows of the keys it reaches are asked again (``key`` bound to them) and the others kept:
    the changed lines' subjects; the objects of changed lines whose predicate is in ``backward``
    (a link that points at the key); and what ``near`` (``?changed`` bound to the subjects) finds
    beyond them. A changed line whose predicate is in ``whole_on`` reaches keys no query says:
    the query is asked whole. Rows are ordered by the ``first`` variables, then by every value;
    the first of them is ``key`` (each key's rows are then together).
    """

    query: str
    key: str
    near: str | None = None
    backward: frozenset[str] = frozenset()
    whole_on: frozenset[str] = frozenset()
    first: tuple[str, ...] = ()

    def head(self, row: Values) -> tuple[str, ...]:
        """The first part of :meth:`order`: the ``first`` variables' values (or ``key``'s)."""
        return tuple([row.get(v, "") for v in self.first or (self.key,)])

    def order(self, row: Values) -> tuple[object, ...]:
        return (*self.head(row), sorted(row.items()))


_M, _CITO, _SKOS = PREFIXES["maild"], PREFIXES["cito"], PREFIXES["skos"]
_POPULATIONS = internal_query("views/reach/populations")
_INSTANCES = internal_query("views/reach/instances")
KEPT: dict[str, Kept] = {k.query: k for k in (
    Kept(internal_query("network/works"), "work", internal_query("views/reach/works"),
         frozenset({_CITO + "cites", _M + "reportedIn"})),
    Kept(internal_query("network/citations"), "citing", first=("citing", "cited")),
    Kept(internal_query("views/citation-contexts"), "citing",
         internal_query("views/reach/citation-contexts"),
         frozenset({_CITO + "hasCitingEntity"})),
    Kept(internal_query("views/concept-labels"), "concept"),
    Kept(internal_query("views/evidence-findings"), "finding",
         internal_query("views/reach/evidence-findings"), first=("finding", "drug")),
    Kept(internal_query("views/evidence-antibody-subgroups"), "pop", _POPULATIONS),
    Kept(internal_query("views/gapmap-populations"), "pop", _POPULATIONS,
         whole_on=frozenset({_SKOS + "broader", _M + "definesDisease"})),
    Kept(internal_query("views/entity-types"), "node", _INSTANCES),
    Kept(internal_query("views/entity-nodes"), "node", _INSTANCES),
    Kept(internal_query("views/entity-edges"), "s", _INSTANCES, first=("s", "p", "o")),
)}


def streamed(target: Target, query: str, source: str) -> Iterator[Values]:
    """The rows of ``query`` as the engine gives them, as their values' texts (interned): made
    so by a target that can (``stream_texts``, an Oxigraph store's), else from its bindings."""
    texts = getattr(target, "stream_texts", None)
    if texts is not None:
        return texts(query, source)
    return ({k: intern(v["value"]) for k, v in row.items()} for row in target.stream(query, source))


def ordered(query: str, rows: Iterable[Values]) -> list[Values]:
    """``rows`` in the one order a view reads them in (:meth:`Kept.order`: :attr:`Kept.first`,
    then every value). Sorted by their heads (:meth:`Kept.head`) first, then each run of rows
    with one head by every value: most rows of most queries differ in their heads, and making
    every row's sorted values took most of the sort's time. The same order, ties included (both
    sorts are stable)."""
    kept = KEPT[query]
    headed = sorted(((kept.head(row), row) for row in rows), key=itemgetter(0))
    out: list[Values] = []
    start = 0
    for end in range(1, len(headed) + 1):
        if end == len(headed) or headed[end][0] != headed[start][0]:
            run = [row for _head, row in headed[start:end]]
            if len(run) > 1:
                run.sort(key=kept.order)
            out += run
            start = end
    return out


def values(target: Target, query: str, source: str) -> Iterator[Values]:
    """The rows of ``query`` as their values' texts (interned), from ``target`` or, when it is a
    :class:`Shared` target, from the rows it keeps; a query of :data:`KEPT` in its one order."""
    if isinstance(target, Shared):
        return target.values(query, source)
    if query in KEPT:
        return iter(ordered(query, streamed(target, query, source)))
    return streamed(target, query, source)


class Shared:
    """A target that reads once the rows of each query several views read (see module doc).

    ``readers`` counts, per query text, the views that read it; a query read by one view only
    is streamed from the store as before. The kept rows are let go as the last reader reads
    them, so they are never held twice over with what that view makes of them. A view that reads
    a query more often than it says only asks the store again: the rows are the same.
    ``rows``, if given, makes the rows of a query of :data:`KEPT` (the build's: patched from the
    last build's, or asked whole, and kept for the next build) in place of the store.
    """

    def __init__(self, target: Target, readers: Iterable[str],
                 rows: Callable[[str], list[Values]] | None = None) -> None:
        self.target = target
        self.left = Counter(readers)
        self.kept: dict[str, list[Values]] = {}
        self.rows = rows

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        return self.target.select(query, source, timeout)

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        return self.target.stream(query, source)

    def _made(self, query: str, source: str) -> list[Values]:
        if self.rows is not None and query in KEPT:
            return self.rows(query)
        return list(values(self.target, query, source))

    def values(self, query: str, source: str) -> Iterator[Values]:
        """The rows' values, read from the store by the first of several readers only."""
        if self.left[query] < 2 and query not in self.kept:
            self.left[query] -= 1
            if self.rows is not None and query in KEPT and self.left[query] >= 0:
                return _handed_over(self._made(query, source))
            return values(self.target, query, source)
        rows = self.kept.get(query)
        if rows is None:
            rows = self.kept[query] = self._made(query, source)
        self.left[query] -= 1
        if self.left[query] > 0:
            return iter(rows)
        del self.kept[query]
        return _handed_over(rows)


def _handed_over(rows: list[Values]) -> Iterator[Values]:
    """The rows in order, each let go once given (the last reader's copy is the only one)."""
    rows.reverse()
    while rows:
        yield rows.pop()
