"""Plain records that flow from the readers to the triple writer.

Records hold text exactly as the document prints it (after the reader dropped boiler-plate), plus
where it came from (file and 1-based line), so that every later error and every triple can point
back to its source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

R = TypeVar("R", bound=type)


def unpickled_by_slots(cls: R) -> R:
    """``cls``, a frozen dataclass with slots, pickled as its fields' values (as dataclasses
    pickle it) and unpickled by setting them through its slots.

    The dataclasses module's own ``__setstate__`` calls :func:`dataclasses.fields` for every
    object it unpickles: reading back the cached curation records of 10,000 documents (330,000
    objects), that call was two thirds of the unpickling (benchmarks/unpickle_records.py).
    """
    names = tuple(f.name for f in fields(cls))
    setters: tuple[Callable[[Any, Any], None], ...] = tuple(
        getattr(cls, name).__set__ for name in names)

    def getstate(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def setstate(self: Any, state: list[Any]) -> None:
        for set_slot, value in zip(setters, state, strict=True):
            set_slot(self, value)

    cls.__getstate__ = getstate  # type: ignore[attr-defined]
    cls.__setstate__ = setstate  # type: ignore[attr-defined]
    return cls


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Person:
    """An author as printed: family name and given names or initials ("Oddis", "CV").

    Corporate authors ("American Thoracic Society") have ``family`` set and ``given`` empty.
    """

    family: str
    given: str = ""

    @property
    def display(self) -> str:
        return f"{self.family} {self.given}".strip()


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Bibliographic:
    """The bibliographic fields of one work, as far as a text gives them."""

    title: str | None = None
    authors: tuple[Person, ...] = ()
    et_al: bool = False  # the printed author list was cut short ("et al")
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    page_start: str | None = None
    page_end: str | None = None
    doi: str | None = None  # lower-cased, without "doi:" or resolver prefix
    pmid: str | None = None
    pmcid: str | None = None


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class RawReference:
    """One entry of a document's reference list, as printed (lines joined, list numbering removed).

    ``text`` is the reference string with the layout's noise removed (for instance Springer's
    ``CrossRef PubMed Google Scholar`` link labels or PubMed's `` - PubMed`` suffix); ``span``
    holds the character offsets of the entry exactly as it stands in the file (offsets, not a
    copy: a corpus of many documents holds millions of entries). ``line`` is the 1-based line
    where it starts.
    """

    text: str
    line: int
    label: str | None = None  # the number printed before it, if any ("17", "1.")
    identifiers: tuple[tuple[str, str], ...] = ()  # ("pmid", "123"), ("doi", ...) given beside it
    span: tuple[int, int] | None = None  # [start, end) in the file's text, where a reader knows it


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class ParsedReference:
    """A reference string split into fields; ``style`` names the citation style recognised."""

    source: RawReference
    fields: Bibliographic
    style: str
    note: str | None = None  # text that belongs to none of the fields ("[Article in Japanese]")


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Document:
    """One input document read by its layout.

    ``text`` is the whole decoded file; character offsets of quotes point into it.
    ``reports_on`` is set for secondary reports (a news summary) to the citation of the article
    they report on.
    """

    path: str  # relative to the corpus folder, POSIX separators; "file#record" for a record
    sha256: str
    layout: str  # registry name of the layout that read it
    text: str
    meta: Bibliographic
    publication_type: str | None = None  # as printed by the source ("Case Reports"), if it says
    abstract: str | None = None
    body: str | None = None
    keywords: tuple[str, ...] = ()
    references: tuple[RawReference, ...] = ()
    reports_on: RawReference | None = None
    warnings: tuple[str, ...] = field(default=())
    # Character ranges of ``text`` holding this record's prose (title, abstract), where mentions
    # and candidate findings are looked for; empty means the whole text. A file of several
    # records (MEDLINE, PubMed XML, RIS, BibTeX) gives one Document per record, all sharing the
    # file's text, so offsets always point into the file as it is.
    spans: tuple[tuple[int, int], ...] = ()
    record: str | None = None  # which record of a multi-record file ("PMID 16052580")
    characters: int = -1  # len(text); kept when the text is let go (see ``without_text``)
    # what the file is; for PDF and HTML, ``text`` is the text extracted from it
    media_type: str = "text/plain; charset=utf-8"

    def __post_init__(self) -> None:
        if self.characters < 0:
            object.__setattr__(self, "characters", len(self.text))

    def unread(self) -> tuple[str, ...]:
        """The bibliographic fields this record's source did not give (reported, never guessed).

        >>> Document("a.txt", "", "x", "", Bibliographic(title="T", year=2020)).unread()
        ('authors', 'journal', 'volume', 'issue', 'pages', 'doi', 'pmid', 'pmcid', 'abstract')
        """
        meta = self.meta
        found = {"title": meta.title, "authors": meta.authors, "journal": meta.journal,
                 "year": meta.year, "volume": meta.volume, "issue": meta.issue,
                 "pages": meta.page_start, "doi": meta.doi, "pmid": meta.pmid,
                 "pmcid": meta.pmcid, "abstract": self.abstract}
        return tuple(name for name, value in found.items() if not value)

    def without_text(self) -> Document:
        """This record with the file's text let go and its length kept.

        Once a document is mined, the build needs its text only for its length, so a large
        corpus need not hold every file at once (the texts were nearly half the memory of
        100,000 records). Offsets still point into the file; :func:`graph.inputs.text.reread` gives
        its text back.

        >>> document = Document("a.txt", "", "markdown", "two words", Bibliographic())
        >>> document.characters, document.without_text().characters, document.without_text().text
        (9, 9, '')
        """
        return replace(self, text="")
