"""Connect each curation record to its works, and compare secondary reports with their sources.

A record's findings belong to the study of its document; a secondary report's findings belong to
the study of the article it reports on, and are compared with that article's own findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from graph.citations.triples import Triple, source_iri, work_iri
from graph.citations.works import Resolution, Work
from graph.evidence.discrepancies import compare_findings, compare_venue
from graph.evidence.findings import Curation, Quote, Statement
from graph.evidence.quotes import locate
from graph.evidence.triples import (
    Context,
    annotation_triples,
    candidate_triples,
    curation_triples,
    discrepancy_triples,
    mention_triples,
    statement_iri,
    statement_triples,
)
from graph.inputs.lines import line_at
from graph.mining.corpus import Mined
from graph.rdf.iris import slug
from graph.records import Document


@dataclass
class EvidenceSummary:
    """What the evidence stage made, for the build report."""

    findings: int = 0
    populations: int = 0
    discrepancies: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def _works_by_path(resolution: Resolution) -> tuple[dict[str, Work], dict[str, Work]]:
    """Each corpus document's work, and for secondary reports the work they report on."""
    own = {w.document.path: w for w in resolution.works if w.document is not None}
    primary = {
        c.citing.document.path: c.cited
        for c in resolution.citations
        if c.reports_on and c.citing.document is not None
    }
    return own, primary


def scope_of(path: str) -> str:
    """The slug naming a document's findings: its file name, and its record if it has one.

    >>> scope_of("documents/a-page.txt"), scope_of("documents/two.xml#pmid-1")
    ('a-page', 'two-pmid-1')
    """
    file, _, record = path.partition("#")
    base = slug(file.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return f"{base}-{slug(record)}" if record else base


def _context(work: Work, path: str, study: Work | None = None) -> Context:
    """Where the statements of the document at ``path`` (the work ``work``) belong."""
    assert work.document is not None
    return Context(study=work_iri(study or work), reported_in=work_iri(work),
                   source=source_iri(work.document), scope=scope_of(path))


def mining_triples(resolution: Resolution, mined: dict[str, Mined]) -> Iterator[Triple]:
    """Mention counts per document and concept, and candidate findings."""
    own, primary = _works_by_path(resolution)
    for path, found in sorted(mined.items()):
        if path not in own:
            continue
        ctx = _context(own[path], path, primary.get(path))
        yield from mention_triples(ctx, found.mentions)
        for index, candidate in enumerate(found.candidates, start=1):
            yield from candidate_triples(ctx, candidate, index)


def mention_detail_triples(resolution: Resolution, mined: dict[str, Mined]) -> Iterator[Triple]:
    """Every mention as a Web Annotation: the opt-in detail (``--detail mentions``)."""
    own, primary = _works_by_path(resolution)
    for path, found in sorted(mined.items()):
        if path in own:
            yield from annotation_triples(_context(own[path], path, primary.get(path)),
                                          found.mentions)


def _journal_statement(text: str, journal: str) -> Statement | None:
    """The article's own statement of its journal: where its text first prints the name."""
    try:
        hit = locate(text, journal, occurrence=1)
    except LookupError:
        return None
    line = line_at(text, hit.start)
    quote = Quote(hit.exact, hit.start, hit.end, hit.prefix, hit.suffix, line)
    return Statement("journal-of-record", "venue", (quote,), value=journal)


def evidence_triples(
    resolution: Resolution, curations: dict[str, Curation], summary: EvidenceSummary,
    text_of: Callable[[Document], str],
) -> Iterator[Triple]:
    """The triples of every curation record and of every discrepancy found between records.

    ``text_of`` gives a document's file text (the build lets texts go once they are mined, and
    reads back only the articles whose journal a secondary report misquotes).
    """
    own, primary = _works_by_path(resolution)
    contexts: dict[str, Context] = {}
    for path, curation in sorted(curations.items()):
        contexts[path] = _context(own[path], path, primary.get(path))
        summary.findings += len(curation.findings)
        summary.populations += len(curation.populations)
        yield from curation_triples(curation, contexts[path])
    for path, study in sorted(primary.items()):
        secondary = curations.get(path)
        source = study.document.path if study.document else None
        if secondary is None:
            continue
        venues = compare_venue(secondary, study.fields.journal)
        found, unmatched = ([], []) if source not in curations else compare_findings(
            secondary, curations[source]
        )
        summary.discrepancies += [
            f"{secondary.path}: {d.secondary.key} {d.field} {d.secondary_value} vs "
            f"{d.primary.key} {d.primary_value}" for d in found
        ] + [f"{secondary.path}: journal {v.stated!r} vs {v.actual!r}" for v in venues]
        summary.unmatched += [f"{secondary.path}: {f.key}" for f in unmatched]
        primary_ctx = contexts.get(source) or _context(study, path)
        venue = work_iri(study)
        if venues and study.document is not None and study.fields.journal:
            own = _journal_statement(text_of(study.document), study.fields.journal)
            if own is not None:
                yield from statement_triples(primary_ctx, own)
                venue = statement_iri(primary_ctx.scope, own.key)
        yield from discrepancy_triples(contexts[path], primary_ctx, found, venues, venue)
