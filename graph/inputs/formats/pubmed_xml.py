"""PubMed XML (a ``PubmedArticleSet`` of ``PubmedArticle`` records), via lxml.

Entities are never resolved and nothing is fetched (no DTD, no network). References in a record's
``ReferenceList`` keep the PubMed IDs and DOIs PubMed gives beside each citation string, so they
link to works already in the graph by identifier.
"""

from __future__ import annotations

import re
import sys
from html import unescape

from lxml import etree

from graph.inputs.formats._common import document, doi, pages, record_key, record_starts, year
from graph.inputs.readers import RecordFormat
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "pubmed-xml"
_START = re.compile(r"<PubmedArticle>")
_TITLE = re.compile(r"<ArticleTitle[^>]*>(.*?)</ArticleTitle>", re.DOTALL)
_ABSTRACT = re.compile(r"<AbstractText[^>]*>(.*?)</AbstractText>", re.DOTALL)
_REFERENCE = re.compile(r"<Reference>.*?</Reference>", re.DOTALL)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def recognises(text: str) -> bool:
    head = text[:4000]
    return "<PubmedArticleSet" in head or "<PubmedArticle>" in head


def _text(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    value = " ".join("".join(node.itertext()).split())
    return value or None


def _authors(article: etree._Element) -> tuple[Person, ...]:
    people = []
    for author in article.findall("./AuthorList/Author"):
        collective = _text(author.find("CollectiveName"))
        if collective:
            people.append(Person(collective))
        elif author.find("LastName") is not None:
            people.append(Person(_text(author.find("LastName")) or "",
                                 _text(author.find("Initials")) or ""))
    return tuple(people)


def _identifier(node: etree._Element, kind: str, path: str = "./ArticleIdList") -> str | None:
    """An identifier of ``node`` itself (never one of the references it lists)."""
    return _text(node.find(f"{path}/ArticleId[@IdType='{kind}']"))


def _references(source: SourceText, item: etree._Element, start: int, end: int
                ) -> tuple[RawReference, ...]:
    raws = list(_REFERENCE.finditer(source.text, start, end))
    found = []
    for index, node in enumerate(item.findall("./PubmedData/ReferenceList/Reference"), start=1):
        raw = raws[index - 1] if index <= len(raws) else None
        citation = _text(node.find("Citation"))
        if not citation:
            continue
        ids = tuple((kind, value) for kind, value in (
            ("pmid", _identifier(node, "pubmed")), ("doi", doi(_identifier(node, "doi"))),
            ("pmcid", _identifier(node, "pmc")),
        ) if value)
        offset = raw.start() if raw else start
        found.append(RawReference(
            text=sys.intern(citation),  # a classic is cited in the same words by many records
            line=source.line_of(offset), label=str(index), identifiers=ids,
            span=raw.span() if raw else None,
        ))
    return tuple(found)


def read(source: SourceText) -> list[Document]:
    try:
        root = etree.fromstring(source.text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise source.error(f"not well-formed XML: {exc.msg}") from None
    items = root.findall(".//PubmedArticle") if root.tag != "PubmedArticle" else [root]
    blocks = record_starts(source.text, _START)
    if len(items) != len(blocks):
        raise source.error(f"found {len(blocks)} <PubmedArticle> tags but {len(items)} records")
    documents = []
    for index, (item, (start, end)) in enumerate(zip(items, blocks, strict=True), start=1):
        article = item.find("./MedlineCitation/Article")
        if article is None:
            raise source.error(f"PubMed record {index} has no Article", start)
        issue = article.find("./Journal/JournalIssue")
        first, last = pages(_text(article.find("./Pagination/MedlinePgn")))
        pmid = _text(item.find("./MedlineCitation/PMID"))
        elocation = _text(article.find("./ELocationID[@EIdType='doi']"))
        published = _text(issue.find("./PubDate")) if issue is not None else None
        meta = Bibliographic(
            title=_text(article.find("ArticleTitle")), authors=_authors(article),
            journal=_text(article.find("./Journal/ISOAbbreviation"))
            or _text(article.find("./Journal/Title")),
            year=year(published),
            volume=_text(issue.find("Volume")) if issue is not None else None,
            issue=_text(issue.find("Issue")) if issue is not None else None,
            page_start=first, page_end=last,
            doi=doi(elocation or _identifier(item, "doi", "./PubmedData/ArticleIdList")),
            pmid=pmid, pmcid=_identifier(item, "pmc", "./PubmedData/ArticleIdList"),
        )
        spans = tuple((m.start(1), m.end(1)) for pattern in (_TITLE, _ABSTRACT)
                      for m in pattern.finditer(source.text, start, end))
        parts = (_text(n) for n in article.findall("./Abstract/AbstractText"))
        abstract = " ".join(t for t in parts if t) or None
        documents.append(document(
            source, NAME, record_key(pmid, index), meta, start,
            abstract=unescape(abstract) if abstract else None, spans=spans,
            references=_references(source, item, start, end),
            keywords=tuple(t for t in (_text(k) for k in item.findall(".//KeywordList/Keyword"))
                           if t),
            publication_type=_text(article.find("./PublicationTypeList/PublicationType")),
        ))
    return documents


FORMAT = RecordFormat(NAME, "PubMed XML (PubmedArticleSet)", recognises, read, order=10)
