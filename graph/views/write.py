"""Write every view of a built graph into a folder (the build's ``views/``)."""

from __future__ import annotations

from pathlib import Path

from graph.analytics import citation_graph
from graph.endpoints import Target
from graph.views.citation import citation_page
from graph.views.entity import entity_page
from graph.views.evidence import evidence_page
from graph.views.page import render, write


def write_views(target: Target, folder: Path, budget: int = 1000) -> dict[str, Path]:
    """The citation, evidence and entity views of ``target``, as self-contained HTML files."""
    pages = {
        "citations": citation_page(citation_graph(target), budget=budget),
        "evidence": evidence_page(target),
        "entity": entity_page(target),
    }
    return {name: write(render(page, net), folder / f"{name}.html")
            for name, (page, net) in pages.items()}
