"""Connect each curation record to its works, and compare secondary reports with their sources.

A record's findings belong to the study of its document; a secondary report's findings belong to
the study of the article it reports on, and are compared with that article's own findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from graph.bibliography import Triple, source_iri, work_iri
from graph.discrepancies import compare_findings, compare_venue
from graph.evidence import Context, curation_triples, discrepancy_triples
from graph.findings import Curation
from graph.iris import slug
from graph.works import Resolution, Work


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


def evidence_triples(
    resolution: Resolution, curations: dict[str, Curation], summary: EvidenceSummary
) -> Iterator[Triple]:
    """The triples of every curation record and of every discrepancy found between records."""
    own, primary = _works_by_path(resolution)
    contexts: dict[str, Context] = {}
    for path, curation in sorted(curations.items()):
        work = own[path]
        document = work.document
        assert document is not None
        study = primary.get(path, work)
        contexts[path] = Context(
            study=work_iri(study), reported_in=work_iri(work), source=source_iri(document),
            scope=slug(path.rsplit("/", 1)[-1].rsplit(".", 1)[0]),
        )
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
        if source in contexts or venues:
            yield from discrepancy_triples(
                contexts[path], contexts.get(source, contexts[path]), found, venues,
                work_iri(study),
            )
