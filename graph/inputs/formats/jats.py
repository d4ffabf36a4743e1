"""JATS XML: one journal article (PMC Open Access, publishers' XML), via lxml.

Entities are never resolved and nothing is fetched (no DTD, no network). The article's fields come
from ``<article-meta>``, its abstract and body from ``<abstract>`` and ``<body>``, and its
reference list from ``<ref-list>``: a ``<mixed-citation>`` as printed, an ``<element-citation>``
written out in Vancouver order, each with the DOI, PMID and PMCID its ``<pub-id>`` elements give,
so references link to works already in the graph by identifier. Offsets point into the XML text
as it is in the file, like the other record formats'.
"""

from __future__ import annotations

import re
import sys

from lxml import etree

from graph.inputs.formats._common import doi, pages
from graph.inputs.readers import RecordFormat
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "jats-xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_REF = re.compile(r"<ref\b[^>]*>.*?</ref>", re.DOTALL)
_PROSE = (re.compile(r"<article-title[^>]*>(.*?)</article-title>", re.DOTALL),
          re.compile(r"<abstract\b[^>]*>(.*?)</abstract>", re.DOTALL),
          re.compile(r"<body\b[^>]*>(.*?)</body>", re.DOTALL))
_ID_TYPES = {"doi": "doi", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid"}


def recognises(text: str) -> bool:
    """An ``<article>`` root with the JATS ``<front>``/``<article-meta>`` (or its DTD named)."""
    head = text[:6000]
    return "<article" in head and ("<article-meta" in text[:20000] or "JATS" in head)


def _text(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    value = " ".join("".join(node.itertext()).split())
    return value or None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _strip_namespaces(root: etree._Element) -> None:
    """Drop namespace prefixes from tags (publishers differ), so plain paths find elements."""
    for node in root.iter():
        if isinstance(node.tag, str):
            node.tag = _local(node.tag)


def _people(node: etree._Element) -> tuple[Person, ...]:
    people = []
    for name in node.findall(".//name"):
        family = _text(name.find("surname"))
        if family:
            people.append(Person(family, _text(name.find("given-names")) or ""))
    for collab in node.findall(".//collab"):
        if _text(collab):
            people.append(Person(_text(collab) or ""))
    return tuple(people)


def _ids(node: etree._Element, tag: str) -> dict[str, str]:
    """Identifiers of ``node`` given by its ``tag`` children (article-id or pub-id)."""
    found: dict[str, str] = {}
    for child in node.findall(tag):
        kind = _ID_TYPES.get((child.get("pub-id-type") or "").lower())
        value = _text(child)
        if kind and value:
            if kind == "pmcid" and not value.upper().startswith("PMC"):
                value = f"PMC{value}"
            found.setdefault(kind, doi(value) if kind == "doi" else value)  # type: ignore[arg-type]
    return found


def _year(meta: etree._Element) -> int | None:
    """The year of print publication if given, else of any other publication date."""
    dates = meta.findall("pub-date")
    ranked = sorted(dates, key=lambda d: (d.get("pub-type") or d.get("date-type") or "")
                    not in ("ppub", "pub", "collection", "epub-ppub"))
    for date in ranked:
        year = _text(date.find("year"))
        if year and year.isdigit():
            return int(year)
    return None


def _element_citation(citation: etree._Element) -> str:
    """An ``<element-citation>`` written out as a Vancouver string the parser can read."""
    names = [f"{_text(n.find('surname'))} {_text(n.find('given-names')) or ''}".strip()
             for n in citation.findall(".//name") if _text(n.find("surname"))]
    authors = ", ".join(names) + (", et al" if citation.find(".//etal") is not None else "")
    title = _text(citation.find("article-title")) or _text(citation.find("chapter-title"))
    source = _text(citation.find("source"))
    year, volume, issue = (_text(citation.find(t)) for t in ("year", "volume", "issue"))
    first, last = _text(citation.find("fpage")), _text(citation.find("lpage"))
    where = f"{year or ''}" + (f";{volume}" if volume else "") + (f"({issue})" if issue else "")
    where += (f":{first}" + (f"-{last}" if last else "")) if first else ""
    parts = [authors, title, source, where]
    return " ".join(f"{p.rstrip('.')}." for p in parts if p)


def _references(source: SourceText, root: etree._Element) -> tuple[RawReference, ...]:
    spans = [m.span() for m in _REF.finditer(source.text)]
    found = []
    for index, ref in enumerate(root.findall(".//back//ref-list//ref"), start=1):
        mixed = ref.find(".//mixed-citation")
        element = ref.find(".//element-citation") if mixed is None else None
        citation = mixed if mixed is not None else element
        if citation is None:
            continue
        ids = tuple(sorted((_ids(citation, ".//pub-id") or _ids(ref, ".//pub-id")).items()))
        if mixed is not None:
            for child in mixed.findall(".//pub-id"):  # identifiers go beside the string, not in it
                child.getparent().remove(child)  # type: ignore[union-attr]
        text = _text(mixed) if mixed is not None else _element_citation(citation)
        if not text:
            continue
        span = spans[index - 1] if index <= len(spans) else None
        found.append(RawReference(
            text=sys.intern(text), line=source.line_of(span[0]) if span else ref.sourceline or 1,
            label=_text(ref.find("label")) or str(index),
            identifiers=ids,
            span=span,
        ))
    return tuple(found)


def read(source: SourceText) -> list[Document]:
    try:
        root = etree.fromstring(source.text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise source.error(f"not well-formed XML: {exc.msg}") from None
    _strip_namespaces(root)
    meta = root.find(".//front/article-meta")
    if meta is None:
        raise source.error("a JATS article without <front>/<article-meta>")
    journal = root.find(".//front/journal-meta")
    journal_name = None
    if journal is not None:
        journal_name = (_text(journal.find(".//journal-title"))
                        or _text(journal.find("journal-id[@journal-id-type='iso-abbrev']"))
                        or _text(journal.find("abbrev-journal-title")))
    ids = _ids(meta, "article-id")
    first, last = pages(f"{_text(meta.find('fpage'))}-{_text(meta.find('lpage'))}"
                        if meta.find("lpage") is not None else _text(meta.find("fpage")))
    fields = Bibliographic(
        title=_text(meta.find("title-group/article-title")),
        authors=_people(meta.find("contrib-group") if meta.find("contrib-group") is not None
                        else meta),
        journal=journal_name, year=_year(meta),
        volume=_text(meta.find("volume")), issue=_text(meta.find("issue")),
        page_start=first or _text(meta.find("elocation-id")), page_end=last,
        doi=ids.get("doi"), pmid=ids.get("pmid"), pmcid=ids.get("pmcid"),
    )
    if not fields.title:
        raise source.error("the JATS article has no <article-title>")
    abstract = " ".join(t for t in (_text(a) for a in meta.findall("abstract")) if t) or None
    body = root.find(".//body")
    sections = [_text(p) for p in body.iter("p", "title")] if body is not None else []
    spans = tuple((m.start(1), m.end(1)) for pattern in _PROSE
                  for m in [pattern.search(source.text)] if m)
    return [Document(
        path=source.path, sha256=source.sha256, layout=NAME, text=source.text, meta=fields,
        publication_type=root.get("article-type"), abstract=abstract,
        body="\n\n".join(s for s in sections if s) or None,
        keywords=tuple(t for t in (_text(k) for k in meta.findall(".//kwd")) if t),
        references=_references(source, root), spans=spans,
    )]


FORMAT = RecordFormat(NAME, "JATS XML (one journal article)", recognises, read, order=15)
