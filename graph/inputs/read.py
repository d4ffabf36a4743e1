"""The one entry from a file to records: detect what the text is, then read it with that.

Record formats (several works a file) are tried before page layouts (one article a file); each
kind is a registry of plug-ins (:mod:`graph.plugins`), so a new layout or format is one new module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from graph.errors import InputError, UnknownLayoutError
from graph.inputs.formats import FORMATS
from graph.inputs.layouts import LAYOUTS
from graph.inputs.readers import Layout, RecordFormat
from graph.inputs.text import PLAIN, SourceText, load_source
from graph.records import Document


def layouts() -> tuple[Layout, ...]:
    """Every page layout, in the order they are tried."""
    return LAYOUTS.all()


def formats() -> tuple[RecordFormat, ...]:
    """Every record format, in the order they are tried."""
    return FORMATS.all()


def detect_layout(text: str, strict: bool = False) -> Layout | None:
    """The first layout that recognises ``text`` (the fallback reader left out when strict)."""
    return next((layout for layout in layouts()
                 if not (strict and layout.fallback) and layout.recognises(text)), None)


def detect_format(text: str) -> RecordFormat | None:
    """The first record format that recognises ``text``, or None."""
    return next((f for f in formats() if f.recognises(text)), None)


def _unknown() -> str:
    specific = [layout.name for layout in layouts() if not layout.fallback]
    return (f"no known format recognises this text: not an article page "
            f"({', '.join(specific)}) nor a record file ({', '.join(FORMATS.names())}), "
            "and no title with a year, identifier or article heading was found")


def _read_page(source: SourceText, strict: bool) -> Document:
    """The one article of a page; a specific layout that cannot read it hands it to the fallback.

    A page may look like a known site's and still lack what that layout needs (a title where it
    expects one); partial beats refused, so the generic reader then takes it, and the document
    says why in its warnings. ``strict`` keeps the specific layout's refusal.
    """
    layout = detect_layout(source.text, strict)
    if layout is None:
        raise UnknownLayoutError(source.path, _unknown())
    try:
        return layout.read(source)
    except InputError as exc:
        fallback = next((f for f in layouts() if f.fallback), None)
        if strict or layout.fallback or fallback is None:
            raise
        document = fallback.read(source)
        return replace(document, warnings=(*document.warnings,
                                           f"{layout.name} could not read it ({exc.reason}); "
                                           f"read by {fallback.name}"))


def read_document(path: Path, root: Path | None = None, strict: bool = False) -> Document:
    """Read one article page with the layout that recognises its text."""
    source = load_source(path, root)
    return replace(_read_page(source, strict), media_type=source.media_type)


def read_documents(path: Path, root: Path | None = None, strict: bool = False) -> list[Document]:
    """Every work a file holds: the records of a record file, or the one article of a page."""
    source = load_source(path, root)
    record_format = detect_format(source.text)
    documents = (record_format.read(source) if record_format is not None
                 else [_read_page(source, strict)])
    if source.media_type == PLAIN:
        return documents
    return [replace(d, media_type=source.media_type) for d in documents]


def is_document_name(name: str) -> bool:
    """Whether a corpus holds a file of this name as a document: hidden files and READMEs are
    notes beside the documents, never read.

    >>> [is_document_name(n) for n in ("refs.ris", ".hidden.ris", "README.ris")]
    [True, False, False]
    """
    return not name.startswith(".") and Path(name).stem.upper() != "README"


def corpus_files(folder: Path) -> list[Path]:
    """The document files of a corpus folder, in a stable order (hidden files and READMEs aside)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and is_document_name(p.name))


def skipped_entries(folder: Path, root: Path) -> list[str]:
    """What ``folder`` holds that no build reads as a document, each with why: said, never silent.

    Hidden files and READMEs are notes beside the documents by design and go unmentioned.
    """
    skipped = []
    for path in sorted(folder.iterdir()):
        if not is_document_name(path.name) or path.is_file():
            continue
        if path.is_symlink() and not path.exists():
            why = "a link to a file that does not exist"
        elif path.is_dir():
            why = f"a folder (documents are the files directly in {folder.name}/)"
        else:
            why = "not a regular file (a FIFO, socket or device)"
        skipped.append(f"{path.relative_to(root).as_posix()}: skipped, {why}")
    return skipped


def read_corpus(
    folder: Path, root: Path, tick: Callable[[], None] = lambda: None, strict: bool = False,
) -> list[Document]:
    """Every document of a corpus folder: article pages and the records of record files."""
    documents: list[Document] = []
    for path in corpus_files(folder):
        documents += read_documents(path, root, strict)
        tick()
    return documents
