"""The two kinds of input plug-in: a page layout (one article a file) and a record format (many).

A layout or format is a *format*, never a particular file: the PubMed layout reads any PubMed
abstract page. Each lives in its own module of :mod:`graph.inputs.layouts` or
:mod:`graph.inputs.formats` (found by :class:`graph.plugins.Registry`); the first, by ``order``,
that recognises a text reads it, so more specific ones take lower numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.inputs.text import SourceText
from graph.records import Document


@dataclass(frozen=True)
class Layout:
    """A page layout: ``recognises`` looks at the text, ``read`` makes the one record."""

    name: str
    description: str
    recognises: Callable[[str], bool]
    read: Callable[[SourceText], Document]
    order: int
    # The generic reader, tried last and also when a specific layout cannot read a page it
    # recognised; ``--strict`` leaves it out, so only the specific layouts' refusals stand.
    fallback: bool = False


@dataclass(frozen=True)
class RecordFormat:
    """A record file format: ``recognises`` looks at the text, ``read`` makes every record."""

    name: str
    description: str
    recognises: Callable[[str], bool]
    read: Callable[[SourceText], list[Document]]
    order: int
