"""Write every registered view of a built graph into a folder (the build's ``views/``)."""

from __future__ import annotations

from pathlib import Path

from graph.query.endpoints import Target
from graph.views import VIEWS
from graph.views._page import render, write
from graph.views._shared import Shared
from graph.views._view import Unresolved


def write_views(target: Target, folder: Path) -> dict[str, Path]:
    """Each view of ``target`` as drawn with no options, as a self-contained HTML file; the rows
    several views read are asked of ``target`` once (:mod:`graph.views._shared`)."""
    views = VIEWS.all()
    shared = Shared(target, (query for view in views for query in set(view.reads)))
    written = {}
    for view in views:
        page, net = view.draw(shared, {}, Unresolved())
        written[view.name] = write(render(page, net), folder / f"{view.name}.html")
    return written
