"""The registry of document layouts: each recognises its kind of page from the text alone.

A layout is a *format*, never a particular file: the PubMed layout reads any PubMed abstract page.
Order matters: more specific layouts come first, and the first that recognises a text reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.records import Document
    from graph.sources import SourceText


@dataclass(frozen=True)
class Layout:
    """A named reader: ``recognises`` looks at text, ``read`` turns the source into a record."""

    name: str
    description: str
    recognises: Callable[[str], bool]
    read: Callable[[SourceText], Document]


def _registry() -> tuple[Layout, ...]:
    from graph.layouts import (
        author_date_page,
        journal_list_page,
        markdown_article,
        news_summary,
        pubmed_page,
        springer_page,
    )

    return (
        pubmed_page.LAYOUT,
        springer_page.LAYOUT,
        journal_list_page.LAYOUT,
        author_date_page.LAYOUT,
        markdown_article.LAYOUT,
        news_summary.LAYOUT,
    )


def layouts() -> tuple[Layout, ...]:
    """All registered layouts, in the order they are tried."""
    return _registry()


def detect(text: str) -> Layout | None:
    """The first layout that recognises ``text``, or None."""
    return next((layout for layout in layouts() if layout.recognises(text)), None)
