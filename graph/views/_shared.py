"""Rows that several views read, asked of the store once when the build draws every view.

The evidence view and the gap map both read every outcome finding (the gap map counts them all,
the evidence view chooses its studies from them), and both read the concepts' labels. Drawn one
after the other from the store, each asked the same query again (at 2,000 documents the
findings took 4 s each time). A view names the internal queries it reads whole in
:attr:`View.reads`; :class:`Shared` keeps the rows of a query more than one view names until
its last reader takes them. Only the rows' values are kept (what these views read), interned:
a row of bindings takes several times the memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from sys import intern

from graph.query.endpoints import Binding, Results, Target

Values = dict[str, str]  # a row as {variable: its value's text}


def values(target: Target, query: str, source: str) -> Iterator[Values]:
    """The rows of ``query`` as their values' texts (interned), from ``target`` or, when it is a
    :class:`Shared` target, from the rows it keeps."""
    if isinstance(target, Shared):
        return target.values(query, source)
    return ({k: intern(v["value"]) for k, v in row.items()} for row in target.stream(query, source))


class Shared:
    """A target that reads once the rows of each query several views read (see module doc).

    ``readers`` counts, per query text, the views that read it; a query read by one view only
    is streamed from the store as before. The kept rows are let go as the last reader reads
    them, so they are never held twice over with what that view makes of them. A view that reads
    a query more often than it says only asks the store again: the rows are the same.
    """

    def __init__(self, target: Target, readers: Iterable[str]) -> None:
        self.target = target
        self.left = Counter(readers)
        self.kept: dict[str, list[Values]] = {}

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        return self.target.select(query, source, timeout)

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        return self.target.stream(query, source)

    def values(self, query: str, source: str) -> Iterator[Values]:
        """The rows' values, read from the store by the first of several readers only."""
        if self.left[query] < 2 and query not in self.kept:
            self.left[query] -= 1
            return values(self.target, query, source)
        rows = self.kept.get(query)
        if rows is None:
            rows = self.kept[query] = list(values(self.target, query, source))
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
