"""The rows the views read whole, kept in the build's cache and patched by a change (issue 26).

Each page draws a budgeted choice of the whole graph (the most central works, the best studies,
every finding counted), so one added paper can change any page, and the page is drawn again
from every row. What an add need not do again is ask the store for every row: for each query of
:data:`graph.views._shared.KEPT`, a build keeps its rows (:data:`FOLDER`, one file a query), and
the next build, knowing the ``graph.nt`` lines removed and added
(:class:`graph.rdf.delta.Difference`), asks again only the rows of the keys those lines reach
(:class:`graph.views._shared.Kept`: the key bound in a ``VALUES`` block) and splices them into
the kept ones, in the one order the views read them in. An unknown change (``None``), one past
:data:`CHANGE_LIMIT` lines or with blank nodes, a query's ``whole_on`` predicate changed, or
rows missing, damaged or kept by other code or query texts: that query is asked whole.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox

from graph.cache_keys import FOLDER as CACHE
from graph.cache_keys import code_digest, digest
from graph.query.binding import bind_rows_within
from graph.query.endpoints import Target
from graph.rdf.delta import Difference
from graph.views._shared import KEPT, Kept, Values, ordered, streamed

FOLDER = "views"  # in the cache folder: NAME.pickle per kept query, (key, rows)
CHANGE_LIMIT = 20_000  # changed lines past which every query is asked whole


def _name(kept: Kept) -> str:
    return hashlib.sha256(kept.query.encode()).hexdigest()[:16]


def _key(kept: Kept) -> str:
    """What the rows are made with: the code, the query and its reach, the engine."""
    return digest(code_digest(), kept.query, kept.near or "", ox.__version__)


class Change:
    """What the changed lines of ``graph.nt`` are, as the patch reads them."""

    def __init__(self, change: Difference) -> None:
        text = "\n".join(change.removed + change.added) + "\n"
        self.triples = list(ox.parse(input=text.encode("utf-8"),
                                     format=ox.RdfFormat.N_TRIPLES))
        self.blank = any(isinstance(t, ox.BlankNode) for q in self.triples
                         for t in (q.subject, q.object))
        self.subjects = {q.subject.value for q in self.triples}
        self.predicates = {q.predicate.value for q in self.triples}
        # what each reach query found beyond the subjects: several kept queries share one (the
        # entity view's three, the two of populations), and a change is read on one store
        self.near: dict[str, set[str]] = {}

    def patchable(self, kept: Kept) -> bool:
        """Whether the rows of ``kept`` this change reaches are those :func:`reached` finds."""
        return self.predicates.isdisjoint(kept.whole_on)

    def objects(self, predicates: Iterable[str]) -> set[str]:
        """The IRIs the changed lines of ``predicates`` point at."""
        wanted = set(predicates)
        return {q.object.value for q in self.triples
                if q.predicate.value in wanted and isinstance(q.object, ox.NamedNode)}


def _bound(target: Target, query: str, variable: str, bound: str, iris: Iterable[str]
           ) -> list[Values]:
    """The rows of ``query`` with ``bound`` bound to ``iris`` (none: no rows)."""
    nodes = [ox.NamedNode(i) for i in sorted(set(iris))]
    if not nodes:
        return []
    return list(streamed(target, bind_rows_within(query, bound, nodes), f"<{variable}>"))


def reached(target: Target, kept: Kept, change: Change) -> set[str]:
    """The keys of ``kept`` whose rows the change can change (see :class:`Kept`)."""
    keys = change.subjects | change.objects(kept.backward)
    if kept.near is not None:
        if kept.near not in change.near:
            # a reach query's one variable is the key, whatever its name
            change.near[kept.near] = {v for r in _bound(target, kept.near, kept.key, "changed",
                                                        change.subjects) for v in r.values()}
        keys |= change.near[kept.near]
    return keys


def _split(kept: Kept, rows: list[Values], keys: set[str]) -> tuple[list[Values], list[Values]]:
    """``rows`` (in order) without the rows of ``keys``, and those rows. Rows are ordered by
    their key first (:attr:`Kept.first`), so each key's rows are together: they are found by
    bisection and cut out as slices, not by a look at every row (a million at 10,000
    documents)."""
    of = itemgetter(kept.key)
    spans = sorted((bisect_left(rows, k, key=of), bisect_right(rows, k, key=of)) for k in keys)
    merged, gone, at = [], [], 0
    for start, end in spans:
        merged += rows[at:start]
        gone += rows[start:end]
        at = end
    return merged + rows[at:], gone


def patched(target: Target, kept: Kept, rows: list[Values], change: Change
            ) -> tuple[list[Values], bool]:
    """The rows of ``kept`` over the store ``target``, from ``rows`` (over the store before
    ``change``): the reached keys' rows asked again, the others kept; and whether any differs
    from ``rows`` (the reached keys' rows asked again may be the same rows)."""
    keys = reached(target, kept, change)
    fresh = ordered(kept.query, _bound(target, kept.query, kept.key, kept.key, keys))
    merged, gone = _split(kept, rows, keys)
    for row in fresh:  # into their places (``rows`` are in order)
        insort(merged, row, key=kept.order)
    return merged, fresh != gone


class ViewRows:
    """The rows of each kept query over ``target``: the last build's (in ``previous``) patched by
    ``change`` where they can be, else asked whole; each kept in ``staging`` for the next build.

    ``counts`` says how many queries were patched ("reused") and asked whole ("made"), ``why``
    why each query asked whole was.
    """

    def __init__(self, target: Target, previous: Path | None, staging: Path | None,
                 change: Difference | None) -> None:
        self.target, self.previous, self.staging = target, previous, staging
        self.counts: Counter[str] = Counter(reused=0, made=0)
        self.why: dict[str, str] = {}
        self.change: Change | None = None
        self.unknown: str | None = None
        if change is None:
            self.unknown = "the change to graph.nt is not known"
        elif len(change) > CHANGE_LIMIT:
            self.unknown = f"more than {CHANGE_LIMIT} lines of graph.nt changed"
        else:
            self.change = Change(change)
            if self.change.blank:
                self.unknown, self.change = "a changed line has a blank node", None

    def kept_size(self, query: str) -> int:
        """The bytes of the last build's rows of ``query`` (0: none kept, or not a kept query):
        how much drawing from them costs, roughly."""
        if self.previous is None or query not in KEPT:
            return 0
        try:
            return (self.previous / CACHE / FOLDER / f"{_name(KEPT[query])}.pickle").stat().st_size
        except OSError:
            return 0

    def _kept(self, kept: Kept) -> list[Values] | str:
        """The last build's rows of ``kept``, or why there are none to patch."""
        if self.previous is None:
            return "no last build"
        try:
            with (self.previous / CACHE / FOLDER / f"{_name(kept)}.pickle").open("rb") as handle:
                key, rows = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError,
                TypeError):
            return "the last build kept no rows of it"
        return rows if key == _key(kept) else "its rows were kept by other code or queries"

    def __call__(self, query: str) -> list[Values]:
        kept = KEPT[query]
        why = self.unknown
        rows: list[Values] | None = None
        changed = True
        if self.change is not None:
            if not self.change.patchable(kept):
                why = "a changed line's predicate reaches rows no query says"
            else:
                last = self._kept(kept)
                if isinstance(last, str):
                    why = last
                else:
                    rows, changed = patched(self.target, kept, last, self.change)
        if rows is None:
            rows = ordered(query, streamed(self.target, query, "<views>"))
            self.why[query] = why or "no change"
        self.counts["made" if query in self.why else "reused"] += 1
        self._save(kept, rows, query in self.why, changed)
        return rows

    def _save(self, kept: Kept, rows: list[Values], whole: bool, changed: bool) -> None:
        """Keep ``rows`` for the next build: rows asked ``whole`` if each names its key (else
        they cannot be patched; rows patched name it: those kept did, those asked again were
        bound to it); rows patched but not ``changed`` are the last build's file, linked."""
        if self.staging is None or (whole and not all(kept.key in r for r in rows)):
            return
        folder = self.staging / CACHE / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_name(kept)}.pickle"
        path.unlink(missing_ok=True)  # never written through a link to the last build's file
        if not changed and self.previous is not None:
            try:  # the same rows under the same key: the same bytes, not written again
                os.link(self.previous / CACHE / FOLDER / path.name, path)
                return
            except OSError:
                pass
        with path.open("wb") as handle:
            pickle.dump((_key(kept), rows), handle, protocol=pickle.HIGHEST_PROTOCOL)
