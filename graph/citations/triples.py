"""Works, documents, reference entries and citations as RDF triples in standard vocabularies.

Vocabulary choices (see ``ontology/README.md``):

* a work is a FaBiO expression (``fabio:JournalArticle`` when a journal is known; the corpus
  documents get the class of their design) with DCTERMS title and date, BIBO volume, issue, pages,
  DOI and PMID, PRISM journal name, ``dcterms:creator`` for each author and ``bibo:authorList``
  (an ``rdf:Seq``) for their order;
* the file a corpus document was read from is its ``fabio:DigitalManifestation``
  (``frbr:embodiment``), which findings later point into;
* each printed reference is a ``biro:BibliographicReference`` whose ``c4o:hasContent`` is the string
  as printed and whose ``biro:references`` is the work it denotes; ``cito:cites`` links the works;
  a secondary report also ``cito:citesAsSourceDocument`` the article it reports on; as opt-in
  detail (:func:`reference_detail_triples`, read by no question, view or export), the entries
  of a reference list follow BiRO's pattern (``frbr:part`` a ``biro:ReferenceList``, ``co:item``
  list items with ``co:index`` and ``co:itemContent``) and carry their line, citation style and
  printed label;
* where the mentions of one work print a field differently, a ``maild:Discrepancy`` names them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from graph.citations.works import Citation, Disagreement, Mention, Resolution, Work
from graph.rdf.iris import iri, slug
from graph.rdf.literals import literal
from graph.records import Bibliographic, Document, Person
from graph.vocabulary.namespaces import (
    BIBO,
    BIRO,
    C4O,
    CITO,
    CO,
    FABIO,
    FRBR,
    MAILD,
    MESH,
    PRISM,
    VOCAB,
)

Triple = tuple[URIRef, URIRef, URIRef | Literal]

DESIGN_CLASS: dict[str, URIRef] = {
    "systematic-review": FABIO.SystematicReview,
    "randomized-controlled-trial": FABIO.ResearchPaper,
    "retrospective-cohort-study": FABIO.ResearchPaper,
    "prospective-cohort-study": FABIO.ResearchPaper,
    "case-series": FABIO.CaseReport,
    "case-report": FABIO.CaseReport,
    "news-report": FABIO.NewsItem,
    "single-arm-trial": FABIO.ResearchPaper,
    "post-marketing-surveillance": FABIO.ResearchPaper,
}
MESH_PUBLICATION_TYPE: dict[str, URIRef] = {
    "systematic-review": MESH.D000078182,
    "randomized-controlled-trial": MESH.D016449,
    "retrospective-cohort-study": MESH.D064888,
    "prospective-cohort-study": MESH.D064888,
    "case-series": MESH.D002363,
    "case-report": MESH.D002363,
    "news-report": MESH.D016433,
    "single-arm-trial": MESH.D016430,  # Clinical Trial
    "post-marketing-surveillance": MESH.D064888,  # Observational Study
}
FIELD_NAMES = {
    "year": "issued",
    "volume": "volume",
    "issue": "issue",
    "page_start": "pageStart",
    "page_end": "pageEnd",
}


def work_iri(work: Work) -> URIRef:
    return iri("work", work.key)


def source_iri(document: Document) -> URIRef:
    """The manifestation (the text file) a corpus document was read from."""
    return source_path_iri(document.path)


def source_path_iri(path: str) -> URIRef:
    """The IRI of a source file, or of one record ("file#record") of a multi-record file.

    The extension is part of it: ``refs.bib`` and ``refs.ris`` are two sources.

    >>> str(source_path_iri("documents/two.xml#pmid-1"))
    'https://w3id.org/ma-ild/source/documents-two-xml/pmid-1'
    >>> source_path_iri("documents/refs.bib") != source_path_iri("documents/refs.ris")
    True
    """
    file, _, record = path.partition("#")
    base = iri("source", slug(file))
    return URIRef(f"{base}/{slug(record)}") if record else base


def reference_iri(mention: Mention) -> URIRef:
    """A printed reference entry: the citing file and the entry's place in its list."""
    assert mention.citing is not None
    return URIRef(f"{source_path_iri(mention.citing)}/reference/{mention.position}")


def reference_list_iri(citing_path: str) -> URIRef:
    return URIRef(f"{source_path_iri(citing_path)}/reference-list")


def _lit(value: str) -> Literal:
    return literal(value)


def _fields(subject: URIRef, fields: Bibliographic) -> Iterator[Triple]:
    if fields.title:
        yield subject, DCTERMS.title, _lit(fields.title)
    if fields.year:
        yield subject, DCTERMS.issued, literal(str(fields.year), XSD.gYear)
    if fields.journal:
        yield subject, PRISM.publicationName, _lit(fields.journal)
    for value, predicate in (
        (fields.volume, BIBO.volume),
        (fields.issue, PRISM.issueIdentifier),
        (fields.page_start, BIBO.pageStart),
        (fields.page_end, BIBO.pageEnd),
        (fields.doi, BIBO.doi),
        (fields.pmid, BIBO.pmid),
        (fields.pmcid, FABIO.hasPubMedCentralId),
    ):
        if value:
            yield subject, predicate, _lit(value)
    if fields.et_al:
        yield subject, MAILD.authorListTruncated, Literal(True)
    yield from _authors(subject, fields.authors)


def _authors(subject: URIRef, authors: tuple[Person, ...]) -> Iterator[Triple]:
    if not authors:
        return
    seq = URIRef(f"{subject}/authors")
    yield subject, BIBO.authorList, seq
    yield seq, RDF.type, RDF.Seq
    for position, person in enumerate(authors, start=1):
        agent = URIRef(f"{subject}/author/{position}")
        yield subject, DCTERMS.creator, agent
        yield seq, RDF[f"_{position}"], agent
        yield agent, RDF.type, FOAF.Agent
        if person.given:
            yield agent, RDF.type, FOAF.Person
        yield agent, FOAF.name, _lit(person.display)
        yield agent, FOAF.familyName, _lit(person.family)
        if person.given:
            yield agent, FOAF.givenName, _lit(person.given)


def work_triples(work: Work, designs: Mapping[str, str | None]) -> Iterator[Triple]:
    """A work's triples: its class, fields, authors, its corpus document's manifestation and
    the discrepancies among its mentions."""
    subject = work_iri(work)
    document = work.document
    design = designs.get(document.path) if document else None
    if design:
        yield subject, MAILD.studyDesign, VOCAB[design]
    if design in DESIGN_CLASS:
        yield subject, RDF.type, DESIGN_CLASS[design]
        yield subject, DCTERMS.type, MESH_PUBLICATION_TYPE[design]
    else:  # no design, or one the text does not reveal (unknown-design)
        yield subject, RDF.type, FABIO.JournalArticle if work.fields.journal else FABIO.Expression
    yield from _fields(subject, work.fields)
    if document is not None:
        yield from _document(subject, document)
    for disagreement in work.disagreements:
        yield from _discrepancy(work, disagreement)


def _document(work: URIRef, document: Document) -> Iterator[Triple]:
    source = source_iri(document)
    yield work, RDF.type, MAILD.CorpusDocument
    yield work, FRBR.embodiment, source
    if document.abstract:
        yield work, DCTERMS.abstract, _lit(document.abstract)
    for keyword in document.keywords:
        yield work, PRISM.keyword, _lit(keyword)
    if document.publication_type:
        yield work, MAILD.printedPublicationType, _lit(document.publication_type)
    yield source, RDF.type, FABIO.DigitalManifestation
    yield source, DCTERMS.identifier, _lit(document.path)
    yield source, DCTERMS["format"], _lit(document.media_type)
    yield source, MAILD.sha256, _lit(document.sha256)
    yield source, MAILD.layout, _lit(document.layout)
    yield source, MAILD.characterCount, Literal(document.characters)


def citation_triples(citation: Citation) -> Iterator[Triple]:
    """The cites edge, and the printed entry: its string, the work it denotes, its source."""
    citing, cited = work_iri(citation.citing), work_iri(citation.cited)
    mention = citation.mention
    assert mention.citing is not None
    entry = reference_iri(mention)
    yield citing, CITO.cites, cited
    if citation.reports_on:
        yield citing, CITO.citesAsSourceDocument, cited
        yield entry, RDF.type, MAILD.ReportedArticleCitation
    yield entry, RDF.type, BIRO.BibliographicReference
    yield entry, C4O.hasContent, _lit(citation.reference.source.text)
    yield entry, BIRO.references, cited
    yield entry, PROV.wasDerivedFrom, source_path_iri(mention.citing)


def _citation_detail(citation: Citation) -> Iterator[Triple]:
    """The entry's place in its reference list (reference list -> item (index) -> reference),
    the line it starts on, its citation style and printed label: read by no question."""
    mention = citation.mention
    assert mention.citing is not None
    raw = citation.reference.source
    entry = reference_iri(mention)
    if not citation.reports_on:
        reference_list = reference_list_iri(mention.citing)
        item = URIRef(f"{reference_list}/item/{mention.position}")
        yield work_iri(citation.citing), FRBR.part, reference_list
        yield reference_list, RDF.type, BIRO.ReferenceList
        yield reference_list, CO.item, item
        yield item, RDF.type, CO.ListItem
        yield item, CO["index"], literal(mention.position, XSD.positiveInteger)
        yield item, CO.itemContent, entry
    yield entry, MAILD.sourceLine, literal(raw.line)
    yield entry, MAILD.citationStyle, _lit(citation.reference.style)
    if raw.label:
        yield entry, MAILD.printedLabel, _lit(raw.label)


def _discrepancy(work: Work, disagreement: Disagreement) -> Iterator[Triple]:
    name = FIELD_NAMES[disagreement.field]
    node = iri("discrepancy", work.key, name)
    subject = work_iri(work)
    yield node, RDF.type, MAILD.Discrepancy
    yield node, MAILD.concerns, subject
    yield node, MAILD.field, _lit(name)
    parts = []
    for value, mentions in disagreement.values:
        for mention in mentions:
            statement = reference_iri(mention) if mention.citing else subject
            yield node, MAILD.conflictingStatement, statement
        parts.append(f"{value!r} in {_sources(mentions)}")
    yield node, RDFS.comment, _lit(f"{name} printed as " + "; ".join(parts))


def _sources(mentions: Sequence[Mention], shown: int = 3) -> str:
    """Where a value was printed: a few sources, then how many more.

    The comment is repeated on every row of the discrepancies query, one row per conflicting
    statement: listing all 5,000 citers of a popular work made each row 100 KB.
    """
    names = [m.citing or "the document itself" for m in mentions]
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more:,} more" if more > 0 else "")


def bibliography_triples(
    resolution: Resolution, designs: Mapping[str, str | None]
) -> Iterator[Triple]:
    """Every triple of the works, documents, reference entries, citations and discrepancies.

    ``designs`` maps a corpus document's path to its study design id (or None).
    """
    for work in resolution.works:
        yield from work_triples(work, designs)
    for citation in resolution.citations:
        yield from citation_triples(citation)


def reference_detail_triples(resolution: Resolution) -> Iterator[Triple]:
    """The opt-in detail of every reference entry (``--detail mentions``): see
    :func:`_citation_detail`."""
    for citation in resolution.citations:
        yield from _citation_detail(citation)
