"""Readers of bibliographic record files: several works per file, each read into a Document.

Where :mod:`graph.layouts` recognises one article page per file, these formats hold records:
MEDLINE (PubMed's text export, ``.nbib``), PubMed XML, RIS and BibTeX. Each format is read with a
well-kept parser (Biopython's ``Medline``, ``lxml``, ``rispy``, ``bibtexparser``); this package
adds what those parsers do not give: where in the file each record's title and abstract stand, so
mentions and candidate findings quote the file with exact offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.records import Document
    from graph.sources import SourceText


@dataclass(frozen=True)
class RecordFormat:
    """A named reader of a multi-record file format."""

    name: str
    description: str
    recognises: Callable[[str], bool]
    read: Callable[[SourceText], list[Document]]


def formats() -> tuple[RecordFormat, ...]:
    """Every record format, in the order they are tried."""
    from graph.readers import bibtex, medline, pubmed_xml, ris

    return (pubmed_xml.FORMAT, medline.FORMAT, ris.FORMAT, bibtex.FORMAT)


def detect(text: str) -> RecordFormat | None:
    """The record format that recognises ``text``, or None."""
    return next((f for f in formats() if f.recognises(text)), None)
