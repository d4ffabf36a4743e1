"""Write every registered view of a built graph into a folder (the build's ``views/``)."""

from __future__ import annotations

from pathlib import Path

from graph.build.children import young_cycles_only
from graph.build.view_rows import ViewRows
from graph.query.endpoints import Target
from graph.rdf.delta import Difference
from graph.views import VIEWS
from graph.views._page import render, write
from graph.views._shared import Shared
from graph.views._view import Unresolved


@young_cycles_only
def write_views(target: Target, folder: Path, previous: Path | None = None,
                staging: Path | None = None, change: Difference | None = None
                ) -> tuple[dict[str, Path], dict[str, int], dict[str, str]]:
    """Each view of ``target`` as drawn with no options, as a self-contained HTML file; the rows
    several views read are asked of ``target`` once (:mod:`graph.views._shared`), and the rows
    they read whole are the last build's (in ``previous``) patched by ``change`` where they can
    be, kept in ``staging``'s cache (:mod:`graph.build.view_rows`). Returns the pages by view,
    how many queries' rows were patched ("reused") and asked whole ("made"), and why each of
    those was asked whole. The rows are a million objects at 10,000 documents, none in a cycle:
    full collections, which walk every one of them, come not at all (a fifth of the stage's
    time at 10,000 documents)."""
    views = VIEWS.all()
    rows = ViewRows(target, previous, staging, change)
    shared = Shared(target, (query for view in views for query in set(view.reads)), rows)
    written = {}
    for view in views:
        page, net = view.draw(shared, {}, Unresolved())
        written[view.name] = write(render(page, net), folder / f"{view.name}.html")
    return written, dict(rows.counts), rows.why
