"""What the record readers share: tagged-line spans, names, pages, and building a Document."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from graph.inputs.layouts._text import clean_doi, expand_pages
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")


@dataclass(frozen=True)
class Field:
    """One tagged field of a MEDLINE or RIS record, with where its value stands in the file."""

    tag: str
    value: str
    start: int
    end: int


def tagged_fields(text: str, start: int, end: int) -> list[Field]:
    """The ``TAG - value`` fields between ``start`` and ``end``; indented lines continue a value."""
    fields: list[Field] = []
    offset = start
    for line in text[start:end].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        match = _TAG.match(body)
        if match:
            value_start = offset + match.start(2)
            fields.append(Field(match.group(1), match.group(2).strip(), value_start,
                                offset + len(body)))
        elif body.startswith(" ") and body.strip() and fields:
            last = fields[-1]
            fields[-1] = Field(last.tag, f"{last.value} {body.strip()}", last.start,
                               offset + len(body))
        offset += len(line)
    return fields


def record_starts(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of each record, a record starting where ``pattern`` matches."""
    starts = [m.start() for m in pattern.finditer(text)]
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def person(name: str) -> Person:
    """A person from "Family AB", "Family, Given" or "Given Family".

    >>> person("Wilkes MR"), person("Oddis, Chester V."), person("Amy L Rigby")
    (Person(family='Wilkes', given='MR'), Person(family='Oddis', given='Chester V.'), \
Person(family='Rigby', given='Amy L'))
    """
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return Person(family.strip(), given.strip())
    parts = name.split(" ")
    if len(parts) > 1 and _INITIALS.match(parts[-1]):
        return Person(" ".join(parts[:-1]), parts[-1])
    return Person(parts[-1], " ".join(parts[:-1]))


def pages(text: str | None) -> tuple[str | None, str | None]:
    """First and last page from "2439-46", "39-44" (any dash) or "1762--1763"."""
    if not text:
        return None, None
    return expand_pages(text.replace("--", "-"))


def year(text: str | None) -> int | None:
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", text or "")
    return int(match.group(1)) if match else None


def doi(text: str | None) -> str | None:
    return clean_doi(text) if text else None


def document(
    source: SourceText, layout: str, key: str, meta: Bibliographic, offset: int, *,
    abstract: str | None = None, spans: tuple[tuple[int, int], ...] = (),
    references: tuple[RawReference, ...] = (), keywords: tuple[str, ...] = (),
    publication_type: str | None = None,
) -> Document:
    """One record of ``source`` as a Document; a record without a title is refused."""
    if not meta.title:
        raise source.error(f"{layout} record {key} has no title", offset)
    if meta.title.endswith(".") and not meta.title.endswith(".."):
        meta = replace(meta, title=meta.title[:-1])  # MEDLINE and PubMed end titles with a period
    return Document(
        path=f"{source.path}#{key}", sha256=source.sha256, layout=layout, text=source.text,
        meta=meta, publication_type=publication_type, abstract=abstract, keywords=keywords,
        references=references, spans=spans, record=key,
    )


def first_value(record: dict[str, object], *keys: str) -> str | None:
    """The first non-empty value among ``keys`` (the first item when a value is a list).

    >>> first_value({"TI": "", "T1": ["A title"]}, "TI", "T1")
    'A title'
    """
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            return str(value)
    return None


def record_key(pmid: str | None, index: int) -> str:
    return f"pmid-{pmid}" if pmid else f"record-{index}"
