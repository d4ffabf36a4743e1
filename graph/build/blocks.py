"""The graph's triples made per unit and kept between builds: adding a paper makes the triples
of the new paper and of the units it changes, not of the whole corpus (issue 26).

A unit is a work (its class, fields and authors, its corpus document's manifestation, its
grade, the discrepancies among its mentions) or a citing document (its reference entries and
citation edges, their contexts, its mention counts and candidate findings). Each unit's lines,
sorted and distinct, are a block of the build cache (:mod:`graph.build.cache`), keyed by
everything they are made from: a work by its resolved facts, a document by its file's key
(bytes, corpus path, code), the ontology's digest, its curation, and the works its own record
and its references resolved to. A merge or an enrichment changes the key of each work it
touches and of each document citing them; an unchanged key is the same lines, so the block is
read back instead of made.

The corpus-wide triples (the ontology, the mappings, the curated evidence and what compares
records across studies, pooling, abbreviation discrepancies) are made every build. ``graph.nt``
is all of them sorted and deduplicated by the same function as before
(:func:`graph.rdf.external_sort.sorted_distinct`), so it is byte for byte the graph made in one
stream (``tests/test_incremental.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from graph.build.cache import Cache, code_digest, digest, file_of
from graph.citations.context_triples import citation_context_triples
from graph.citations.contexts import Contexts
from graph.citations.triples import Triple, citation_triples, work_triples
from graph.citations.works import Citation, Resolution, Work
from graph.evidence.findings import Curation
from graph.evidence.grading import Grade, work_grade_triples
from graph.evidence.links import document_context, document_mining_triples, works_by_path
from graph.mining.corpus import Mined
from graph.rdf.serialize import ntriples_line
from graph.records import RawReference

WORK = "work triples"  # the cache's kinds of entry, as the build report counts them
DOCUMENT = "document triples"


def _block(triples: Iterable[Triple]) -> tuple[str, ...]:
    return tuple(sorted(set(map(ntriples_line, triples))))


def _work_key(work: Work, designs: Mapping[str, str | None], graded: Mapping[str, Grade]) -> str:
    """Everything :func:`work_triples` and :func:`work_grade_triples` read of a work."""
    document = work.document
    own = None if document is None else (
        document.path, document.abstract, document.keywords, document.publication_type,
        document.media_type, document.sha256, document.layout, document.characters,
        designs.get(document.path), graded.get(document.path))
    disagreements = [(d.field, [(repr(value), [(m.citing, m.position) for m in mentions])
                                for value, mentions in d.values]) for d in work.disagreements]
    return digest(WORK, code_digest(), work.key, repr(work.fields), repr(own),
                  repr(disagreements))


def work_blocks(resolution: Resolution, designs: Mapping[str, str | None],
                graded: Mapping[str, Grade], cache: Cache) -> Iterator[tuple[str, ...]]:
    """Each work's block, read back or made."""
    for work in resolution.works:
        yield cache.fetch(WORK, _work_key(work, designs, graded), lambda w=work: _block(  # type: ignore[misc]
            [*work_triples(w, designs), *work_grade_triples(w, graded)]))


def document_blocks(
    resolution: Resolution, mined: Mapping[str, Mined], curations: Mapping[str, Curation],
    contexts: Mapping[str, Contexts], entries: Mapping[str, Mapping[RawReference, int]],
    file_keys: Mapping[str, str], ontology: str, cache: Cache,
) -> Iterator[tuple[str, ...]]:
    """Each citing or mined document's block, read back or made.

    Its key holds its file's key (the file's bytes, path and the code: its references,
    contexts and mentions are made from them), the ontology's digest (the mining), its curation
    (which candidates stand), and the works it resolved to: its own, the one it reports on, and
    each reference's.
    """
    own, primary = works_by_path(resolution)
    cites: dict[str, list[Citation]] = {}
    for citation in resolution.citations:
        assert citation.mention.citing is not None
        cites.setdefault(citation.mention.citing, []).append(citation)
    for path in sorted(cites.keys() | (mined.keys() & own.keys())):
        edges = cites.get(path, [])
        mine = own.get(path)
        study = primary.get(path)
        curation = curations.get(path)
        key = digest(DOCUMENT, file_keys[file_of(path)], ontology, path, repr(curation),
                     mine.key if mine else "", study.key if study else "",
                     repr([(c.citing.key, c.cited.key, c.mention.position, c.reports_on)
                           for c in edges]))

        def make(path: str = path, edges: list[Citation] = edges, mine: Work | None = mine,
                 study: Work | None = study, curation: Curation | None = curation
                 ) -> tuple[str, ...]:
            triples: list[Triple] = []
            for citation in edges:
                triples += citation_triples(citation)
                triples += citation_context_triples(citation, contexts, entries)
            if mine is not None and path in mined:
                reviewed = curation is not None and curation.candidates_reviewed
                triples += document_mining_triples(document_context(mine, path, study),
                                                   mined[path], reviewed)
            return _block(triples)

        yield cache.fetch(DOCUMENT, key, make)


def unit_blocks(
    resolution: Resolution, designs: Mapping[str, str | None], graded: Mapping[str, Grade],
    mined: Mapping[str, Mined], curations: Mapping[str, Curation],
    contexts: Mapping[str, Contexts], entries: Mapping[str, Mapping[RawReference, int]],
    file_keys: Mapping[str, str], ontology: str, cache: Cache,
) -> Iterator[tuple[str, ...]]:
    """The blocks of every work and document; the cache counts those made and read back."""
    yield from work_blocks(resolution, designs, graded, cache)
    yield from document_blocks(resolution, mined, curations, contexts, entries, file_keys,
                               ontology, cache)
