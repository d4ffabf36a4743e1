"""The one entry from a file to records: detect what the text is, then read it with that.

Record formats (several works a file) are tried before page layouts (one article a file); each
kind is a registry of plug-ins (:mod:`graph.plugins`), so a new layout or format is one new module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.errors import UnknownLayoutError
from graph.inputs.formats import FORMATS
from graph.inputs.layouts import LAYOUTS
from graph.inputs.readers import Layout, RecordFormat
from graph.inputs.text import load_source
from graph.records import Document


def layouts() -> tuple[Layout, ...]:
    """Every page layout, in the order they are tried."""
    return LAYOUTS.all()


def formats() -> tuple[RecordFormat, ...]:
    """Every record format, in the order they are tried."""
    return FORMATS.all()


def detect_layout(text: str) -> Layout | None:
    """The first layout that recognises ``text``, or None."""
    return next((layout for layout in layouts() if layout.recognises(text)), None)


def detect_format(text: str) -> RecordFormat | None:
    """The first record format that recognises ``text``, or None."""
    return next((f for f in formats() if f.recognises(text)), None)


def _unknown() -> str:
    return (f"no known format recognises this text: not an article page "
            f"({', '.join(LAYOUTS.names())}) nor a record file ({', '.join(FORMATS.names())})")


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read one article page with the layout that recognises its text."""
    source = load_source(path, root)
    layout = detect_layout(source.text)
    if layout is None:
        raise UnknownLayoutError(source.path, _unknown())
    return layout.read(source)


def read_documents(path: Path, root: Path | None = None) -> list[Document]:
    """Every work a file holds: the records of a record file, or the one article of a page."""
    source = load_source(path, root)
    record_format = detect_format(source.text)
    if record_format is not None:
        return record_format.read(source)
    layout = detect_layout(source.text)
    if layout is None:
        raise UnknownLayoutError(source.path, _unknown())
    return [layout.read(source)]


def corpus_files(folder: Path) -> list[Path]:
    """The document files of a corpus folder, in a stable order (hidden files and READMEs aside)."""
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.stem.upper() != "README"
    )


def read_corpus(
    folder: Path, root: Path, tick: Callable[[], None] = lambda: None
) -> list[Document]:
    """Every document of a corpus folder: article pages and the records of record files."""
    documents: list[Document] = []
    for path in corpus_files(folder):
        documents += read_documents(path, root)
        tick()
    return documents
