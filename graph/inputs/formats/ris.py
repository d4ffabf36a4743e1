"""RIS records (reference managers' exchange format), via rispy."""

from __future__ import annotations

import re

import rispy

from graph.inputs.formats._common import (
    document,
    doi,
    first_value,
    pages,
    person,
    record_key,
    record_starts,
    tagged_fields,
    year,
)
from graph.inputs.readers import RecordFormat
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document

NAME = "ris"
_START = re.compile(r"^TY  - ", re.MULTILINE)
_PMID = re.compile(r"^(?:PMID:\s*)?(\d{1,9})$")


def recognises(text: str) -> bool:
    return bool(_START.search(text)) and bool(re.search(r"^ER  -", text, re.MULTILINE))


def _pmid(entry: dict[str, object]) -> str | None:
    for key in ("accession_number", "pubmed_id"):
        match = _PMID.match(first_value(entry, key) or "")
        if match:
            return match.group(1)
    return None


def read(source: SourceText) -> list[Document]:
    try:
        entries = rispy.loads(source.text)
    except Exception as exc:  # rispy raises plain exceptions on malformed input
        raise source.error(f"not a readable RIS file: {exc}") from None
    blocks = record_starts(source.text, _START)
    if len(entries) != len(blocks):
        raise source.error(f"found {len(blocks)} TY lines but rispy read {len(entries)} records")
    documents = []
    for index, (entry, (start, end)) in enumerate(zip(entries, blocks, strict=True), start=1):
        fields = tagged_fields(source.text, start, end)
        first = first_value(entry, "start_page")
        last = first_value(entry, "end_page")
        if first and not last:
            first, last = pages(first)
        pmid = _pmid(entry)
        pmc = first_value(entry, "custom2")  # PubMed's RIS puts the PMCID in C2
        meta = Bibliographic(
            title=first_value(entry, "title", "primary_title"),
            authors=tuple(person(a) for a in (entry.get("authors")
                                               or entry.get("first_authors") or [])),
            journal=first_value(entry, "journal_name", "secondary_title", "alternate_title3",
                          "alternate_title1"),
            year=year(first_value(entry, "year", "publication_year", "date")),
            volume=first_value(entry, "volume"), issue=first_value(entry, "number"),
            page_start=first, page_end=last, doi=doi(first_value(entry, "doi")), pmid=pmid,
            pmcid=pmc if pmc and pmc.startswith("PMC") else None,
        )
        documents.append(document(
            source, NAME, record_key(pmid, index), meta, start,
            abstract=first_value(entry, "abstract", "notes_abstract"),
            spans=tuple((f.start, f.end) for f in fields if f.tag in ("TI", "T1", "AB", "N2")),
            keywords=tuple(str(k) for k in entry.get("keywords", []) or []),
        ))
    return documents


FORMAT = RecordFormat(NAME, "RIS reference records", recognises, read, order=30)
