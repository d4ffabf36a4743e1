"""MEDLINE records (PubMed's "PubMed" text export, also saved as ``.nbib``), via Biopython."""

from __future__ import annotations

import io
import re

from Bio import Medline

from graph.inputs.formats._common import (
    Field,
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

NAME = "medline"
# A record is a block of "TAG - value" lines; records are separated by blank lines.
_START = re.compile(r"(?:\A|(?<=\n\n)|(?<=\r\n\r\n))[A-Z][A-Z0-9]{1,3} *- ")
_TAGS = re.compile(r"^(TI  |AU  |FAU |DP  |PMID|AB  |TA  )- ", re.MULTILINE)


def recognises(text: str) -> bool:
    """MEDLINE: a title line and at least two other MEDLINE tags, in MEDLINE's 4-wide layout."""
    tags = {m.group(1) for m in _TAGS.finditer(text[:20000])}
    return "TI  " in tags and len(tags) >= 3


def _doi(record: dict[str, object]) -> str | None:
    for tag in ("LID", "AID"):
        values = record.get(tag) or []
        for value in [values] if isinstance(values, str) else values:
            if str(value).endswith("[doi]"):
                return doi(str(value).removesuffix("[doi]").strip())
    return None


def _spans(fields: list[Field], *tags: str) -> tuple[tuple[int, int], ...]:
    return tuple((f.start, f.end) for f in fields if f.tag in tags)


def read(source: SourceText) -> list[Document]:
    blocks = record_starts(source.text, _START)
    records = list(Medline.parse(io.StringIO(source.text)))
    if len(records) != len(blocks):
        raise source.error(f"found {len(blocks)} PMID lines but Biopython read "
                           f"{len(records)} MEDLINE records")
    documents = []
    for index, (record, (start, end)) in enumerate(zip(records, blocks, strict=True), start=1):
        fields = tagged_fields(source.text, start, end)
        first, last = pages(first_value(record, "PG"))
        pmid = first_value(record, "PMID")
        meta = Bibliographic(
            title=first_value(record, "TI"),
            authors=tuple(person(a) for a in record.get("AU", []) or []),
            journal=first_value(record, "TA", "JT"), year=year(first_value(record, "DP")),
            volume=first_value(record, "VI"), issue=first_value(record, "IP"),
            page_start=first, page_end=last, doi=_doi(record), pmid=pmid,
            pmcid=first_value(record, "PMC"),
        )
        documents.append(document(
            source, NAME, record_key(pmid, index), meta, start,
            abstract=first_value(record, "AB"), spans=_spans(fields, "TI", "AB"),
            keywords=tuple(record.get("OT", []) or []),
            publication_type=first_value(record, "PT"),
        ))
    return documents


FORMAT = RecordFormat(NAME, "MEDLINE records (PubMed text export, .nbib)", recognises, read,
                      order=20)
