"""BibTeX entries, via bibtexparser; LaTeX in titles, names and journals decoded by pylatexenc.

bibtexparser splits the file into entries and fields; each text value is then turned from LaTeX
into Unicode by pylatexenc (accents such as ``Abd{\\`\\i}-Al{\\`\\i}`` -> "Abdì-Alì", protective
braces dropped, ``\\&`` -> "&"). A bare ``%`` is literal in BibTeX, not a LaTeX comment.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.bparser import BibTexParser
from pylatexenc.latex2text import LatexNodes2Text

from graph.inputs.formats._common import (
    document,
    doi,
    pages,
    person,
    record_key,
    record_starts,
    year,
)
from graph.inputs.readers import RecordFormat
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document

NAME = "bibtex"
_START = re.compile(r"^\s*@(?!comment|string|preamble)\w+\s*[{(]", re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(r"\b(title|abstract)\s*=\s*[{\"]", re.IGNORECASE)
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_LATEX = LatexNodes2Text(math_mode="verbatim", keep_comments=False)


def recognises(text: str) -> bool:
    return bool(_START.search(text))


def _clean(value: str | None) -> str | None:
    """A field's text as Unicode, white space collapsed (no-break ``~`` included).

    >>> _clean(r"Abd{\\`\\i}-Al{\\`\\i}, L"), _clean(r"Anti-{Jo1} in 50% of {US} \\& {EU}")
    ('Abdì-Alì, L', 'Anti-Jo1 in 50% of US & EU')
    """
    if not value:
        return None
    return " ".join(_LATEX.latex_to_text(_BARE_PERCENT.sub(r"\\%", value)).split()) or None


def _value_span(text: str, opening: int, end: int) -> tuple[int, int]:
    """The inside of the value that opens at ``opening`` with a brace or a double quote."""
    if text[opening] == '"':
        close = text.find('"', opening + 1, end)
        return opening + 1, close if close != -1 else end
    depth = 0
    for i in range(opening, end):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return opening + 1, i
    return opening + 1, end


def _field_spans(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Where the title and abstract values of the entry between ``start`` and ``end`` stand."""
    return tuple(_value_span(text, m.end() - 1, end) for m in _FIELD.finditer(text, start, end))


def _check_braces(source: SourceText, start: int, end: int) -> None:
    """Refuse an entry whose braces do not balance, naming the line where it goes wrong.

    bibtexparser ends an entry at the brace that balances its first one, so in
    ``title = {Tacrolimus}} in ILD}`` the extra brace silently cuts the title (and drops every
    later field); a brace closing more than was opened, or an entry never closed, is an error.
    """
    head = _START.match(source.text, start)
    if head is None or head.group().endswith("("):  # in parentheses: bibtexparser checks those
        return
    opening = head.end() - 1
    depth, closed_at = 0, -1
    for i in range(opening, end):
        char = source.text[i]
        if char not in "{}" or source.text[i - 1] == "\\":
            continue
        depth += 1 if char == "{" else -1
        if depth == 0 and closed_at == -1:
            closed_at = i
        elif depth < 0:
            raise source.error("a '}' closes more than was opened: the entry already ended on "
                               f"line {source.line_of(closed_at)}, so a value before it has one "
                               "closing brace too many", i)
    if closed_at == -1:
        raise source.error("this entry's braces are never all closed",
                           source.text.find("@", start, end))


def read(source: SourceText) -> list[Document]:
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    try:
        entries = bibtexparser.loads(source.text, parser=parser).entries
    except Exception as exc:  # bibtexparser raises assorted errors on malformed input
        raise source.error(f"not a readable BibTeX file: {exc}") from None
    blocks = record_starts(source.text, _START)
    for start, end in blocks:
        _check_braces(source, start, end)
    if len(entries) != len(blocks):
        raise source.error(f"found {len(blocks)} @entries but bibtexparser read {len(entries)}")
    documents = []
    for index, (entry, (start, end)) in enumerate(zip(entries, blocks, strict=True), start=1):
        first, last = pages(entry.get("pages"))
        pmid = entry.get("pmid") if (entry.get("pmid") or "").isdigit() else None
        names = [n for n in re.split(r"\s+and\s+", entry.get("author", "")) if n.strip()]
        meta = Bibliographic(
            title=_clean(entry.get("title")),
            authors=tuple(person(_clean(n) or "") for n in names),
            journal=_clean(entry.get("journal") or entry.get("booktitle")),
            year=year(entry.get("year")), volume=entry.get("volume"),
            issue=entry.get("number"), page_start=first, page_end=last,
            doi=doi(entry.get("doi")), pmid=pmid,
        )
        documents.append(document(
            source, NAME, record_key(pmid, index), meta, start,
            abstract=_clean(entry.get("abstract")), spans=_field_spans(source.text, start, end),
            keywords=tuple(k.strip() for k in entry.get("keywords", "").split(",") if k.strip()),
        ))
    return documents


FORMAT = RecordFormat(NAME, "BibTeX entries", recognises, read, order=40)
