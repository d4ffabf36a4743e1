"""Write every registered view of a built graph into a folder (the build's ``views/``).

The views that read the same rows are drawn together (:func:`groups`: one group asks them of
the store once); groups share nothing, so with more than one job each is drawn in a forked
worker process, the largest first: at 10,000 documents the entity page and the citation page
each took a core for two seconds of an add. The pages are the same bytes either way: each group
draws its pages from the same rows, in the same order, as one process does.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from graph.build.children import DEFERRED, start_dying_with, young_cycles_only
from graph.build.view_rows import ViewRows
from graph.build.workers import forks
from graph.query.endpoints import Target
from graph.rdf.delta import Difference
from graph.views import VIEWS
from graph.views._page import compiled, render, write
from graph.views._shared import Shared
from graph.views._view import Unresolved, View

Drawn = tuple[dict[str, Path], Counter[str], dict[str, str]]  # pages, rows' counts and why


def groups(views: Sequence[View]) -> list[list[View]]:
    """``views`` in groups that read no query in common, each group in the views' order, the
    groups in the order of their first view: two views that read the same rows are in one."""
    found: list[tuple[set[str], list[View]]] = []
    for view in views:
        reads, members = set(view.reads), [view]
        for group in [g for g in found if not g[0].isdisjoint(view.reads)]:
            found.remove(group)
            reads |= group[0]
            members = group[1] + members
        found.append((reads, sorted(members, key=views.index)))
    return sorted((members for _reads, members in found), key=lambda m: views.index(m[0]))


def _draw(target: Target, folder: Path, rows: ViewRows, views: Sequence[View]) -> Drawn:
    """The pages of ``views``, their rows made by ``rows`` (asked once for the group), and the
    counts and reasons of this group's rows alone."""
    rows.counts, rows.why = Counter(reused=0, made=0), {}
    shared = Shared(target, (query for view in views for query in set(view.reads)), rows)
    written = {}
    for view in views:
        page, net = view.draw(shared, {}, Unresolved())
        written[view.name] = write(render(page, net), folder / f"{view.name}.html")
    return written, rows.counts, rows.why


# a worker's share of the stage: what every group is drawn with, and the groups (forked workers
# have them from the start: only a group's number and its pages' paths cross between processes)
_work: tuple[Target, Path, ViewRows, list[list[View]]] | None = None


def _hold(parent: int, work: tuple[Target, Path, ViewRows, list[list[View]]]) -> None:
    global _work
    start_dying_with(parent)
    _work = work


def _draw_group(number: int) -> Drawn:
    assert _work is not None
    target, folder, rows, drawn = _work
    return _draw(target, folder, rows, drawn[number])


def _weight(rows: ViewRows, group: list[View]) -> int:
    """How much a group has to draw, as the bytes of its rows the last build kept (0 if none)."""
    return sum(map(rows.kept_size, {query for view in group for query in view.reads}))


def _in_workers(target: Target, folder: Path, rows: ViewRows, drawn: list[list[View]],
                jobs: int) -> list[Drawn]:
    """Each group drawn in one of ``jobs`` forked workers, the groups with the most rows first
    (a worker that is done takes the next); the results in the groups' order."""
    order = sorted(range(len(drawn)), key=lambda g: -_weight(rows, drawn[g]))
    compiled()  # once here, not in every worker
    with ProcessPoolExecutor(min(jobs, len(drawn)),
                             mp_context=multiprocessing.get_context("fork"), initializer=_hold,
                             initargs=(os.getpid(), (target, folder, rows, drawn))) as pool:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED)
        try:
            futures = {g: pool.submit(_draw_group, g) for g in order}  # forks the workers
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return [futures[g].result() for g in range(len(drawn))]


@young_cycles_only
def write_views(target: Target, folder: Path, previous: Path | None = None,
                staging: Path | None = None, change: Difference | None = None, jobs: int = 1
                ) -> tuple[dict[str, Path], dict[str, int], dict[str, str]]:
    """Each view of ``target`` as drawn with no options, as a self-contained HTML file; the rows
    several views read are asked of ``target`` once (:mod:`graph.views._shared`), and the rows
    they read whole are the last build's (in ``previous``) patched by ``change`` where they can
    be, kept in ``staging``'s cache (:mod:`graph.build.view_rows`); with ``jobs`` above 1 the
    groups of views (:func:`groups`) are drawn over that many forked workers. Returns the pages
    by view, how many queries' rows were patched ("reused") and asked whole ("made"), and why
    each of those was asked whole. The rows are a million objects at 10,000 documents, none in
    a cycle: full collections, which walk every one of them, come not at all (a fifth of the
    stage's time at 10,000 documents)."""
    views = VIEWS.all()
    rows = ViewRows(target, previous, staging, change)
    drawn = groups(views)
    if jobs > 1 and len(drawn) > 1 and forks():
        parts = _in_workers(target, folder, rows, drawn, jobs)
    else:
        parts = [_draw(target, folder, rows, group) for group in drawn]
    written: dict[str, Path] = {}
    counts: Counter[str] = Counter(reused=0, made=0)
    why: dict[str, str] = {}
    for pages, made, reasons in parts:
        written.update(pages)
        counts.update(made)
        why.update(reasons)
    return {view.name: written[view.name] for view in views}, dict(counts), why
