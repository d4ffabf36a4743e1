"""Citation contexts as RDF: each citing sentence a CiTO citation and a Web Annotation.

A context is a ``cito:Citation`` (``cito:hasCitingEntity``, ``cito:hasCitedEntity``,
``cito:hasCitationCharacterization``: the intent) and an ``oa:Annotation`` classifying the
sentence (``oa:motivatedBy oa:classifying``, ``oa:hasBody`` the intent) whose target is the
sentence as a quote with its offsets in the file, like a curated finding's quote. The target is
``dcterms:isPartOf`` the document's section, a ``doco:Section`` typed with its DEO kind
(``deo:Introduction``, ``deo:Methods``, ``deo:Results``; discussion and conclusion are SALT's
``sro:Discussion``, ``sro:Conclusion``, which DEO reuses). The intent was machine-classified:
``prov:wasGeneratedBy`` names the rule-based classification, and ``maild:citationRule`` and
``maild:intentCue`` the rule and the words that decided. A decided intent is also stated between
the works (``citing cito:citesAsEvidence cited``) beside ``cito:cites``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph.citations.contexts import Context, Contexts
from graph.citations.intent import classify
from graph.citations.triples import Triple, reference_iri, source_path_iri, work_iri
from graph.citations.works import Citation, Resolution
from graph.evidence.triples import quote_resource
from graph.rdf.iris import iri
from graph.records import RawReference
from graph.vocabulary.namespaces import C4O, CITO, MAILD, OA

DEO = Namespace("http://purl.org/spar/deo/")
DOCO = Namespace("http://purl.org/spar/doco/")
SRO = Namespace("http://salt.semanticauthoring.org/ontologies/sro#")
SECTION_CLASS: dict[str, URIRef] = {
    "introduction": DEO.Introduction,
    "methods": DEO.Methods,
    "results": DEO.Results,
    "discussion": SRO.Discussion,
    "conclusion": SRO.Conclusion,
}
CLASSIFICATION = iri("activity", "citation-intent-rules")


def _section(source: URIRef, context: Context) -> Iterator[Triple]:
    node = URIRef(f"{source}/section/{context.section}")
    yield node, RDF.type, DOCO.Section
    if context.section in SECTION_CLASS:
        yield node, RDF.type, SECTION_CLASS[context.section]
    yield node, RDFS.label, Literal(context.section)
    if context.heading:
        yield node, DCTERMS.title, Literal(context.heading)


def _context(citation: Citation, context: Context) -> Iterator[Triple]:
    citing, cited = work_iri(citation.citing), work_iri(citation.cited)
    entry = reference_iri(citation.mention)
    source = source_path_iri(citation.mention.citing or "")
    node = URIRef(f"{entry}/context/{context.start}")
    target = URIRef(f"{node}/sentence")
    intent = classify(context.exact, context.section)
    yield node, RDF.type, CITO.Citation
    yield node, RDF.type, OA.Annotation
    yield node, CITO.hasCitingEntity, citing
    yield node, CITO.hasCitedEntity, cited
    yield node, CITO.hasCitationCharacterization, CITO[intent.intent]
    yield node, OA.motivatedBy, OA.classifying
    yield node, OA.hasBody, CITO[intent.intent]
    yield node, OA.hasTarget, target
    yield node, PROV.wasDerivedFrom, entry
    yield node, PROV.wasGeneratedBy, CLASSIFICATION
    yield node, MAILD.citationRule, Literal(intent.rule)
    if intent.cue:
        yield node, MAILD.intentCue, Literal(intent.cue)
    for marker in context.markers:
        yield node, MAILD.printedMarker, Literal(marker)
    yield from quote_resource(target, context.sentence, source)
    if context.section:
        yield target, DCTERMS.isPartOf, URIRef(f"{source}/section/{context.section}")
        yield from _section(source, context)
    if intent.decided:
        yield citing, CITO[intent.intent], cited


def context_triples(
    resolution: Resolution, contexts: Mapping[str, Contexts],
    entries: Mapping[str, Mapping[RawReference, int]],
) -> Iterator[Triple]:
    """The contexts of every citation edge whose citing document has a body text.

    ``contexts`` maps a document's path to its contexts, ``entries`` each of its reference
    entries to its index in the document's list.
    """
    if any(c.found for c in contexts.values()):
        yield CLASSIFICATION, RDF.type, PROV.Activity
        yield CLASSIFICATION, RDFS.label, Literal(
            "citation intent classified by rule from the citing sentence and its section")
    for citation in resolution.citations:
        path = citation.mention.citing
        if citation.reports_on or path not in contexts:
            continue
        index = entries[path].get(citation.reference.source)
        if index is None:
            continue
        found = contexts[path].of(index)
        if found:
            yield (reference_iri(citation.mention), C4O.hasInTextCitationFrequency,
                   Literal(len(found), datatype=XSD.nonNegativeInteger))
        for context in found:
            yield from _context(citation, context)
