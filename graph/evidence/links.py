"""Connect each curation record to its works, and compare secondary reports with their sources.

A record's findings belong to the study of its document; a secondary report's findings belong to
the study of the article it reports on, and are compared with that article's own findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass, field

from graph.citations.triples import Triple, source_iri, work_iri
from graph.citations.works import Resolution, Work
from graph.evidence.contradictions import (
    TermUse,
    contradictions,
    definition_conflicts,
    expansion_conflicts,
    spelling,
    term_uses,
)
from graph.evidence.discrepancies import compare_findings, compare_venue
from graph.evidence.findings import Curation, Finding, Quote, Statement
from graph.evidence.pooling import (
    LEVEL,
    Alike,
    MeanChange,
    Remembered,
    StudyResult,
    alike,
    pool,
    pool_changes,
    scaled,
)
from graph.evidence.quotes import locate
from graph.evidence.triples import (
    Context,
    annotation_triples,
    candidate_triples,
    contradiction_triples,
    curation_triples,
    definition_triples,
    discrepancy_triples,
    expansion_triples,
    finding_iri,
    mention_triples,
    pooled_change_triples,
    pooled_triples,
    size_triples,
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

    def add(self, other: EvidenceSummary) -> None:
        """Count in what ``other`` (one document's part, say) made."""
        self.findings += other.findings
        self.populations += other.populations
        self.discrepancies += other.discrepancies
        self.unmatched += other.unmatched


def works_by_path(resolution: Resolution) -> tuple[dict[str, Work], dict[str, Work]]:
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


def document_context(work: Work, path: str, study: Work | None = None) -> Context:
    """Where the statements of the document at ``path`` (the work ``work``) belong."""
    assert work.document is not None
    return Context(study=work_iri(study or work), reported_in=work_iri(work),
                   source=source_iri(work.document), scope=scope_of(path))


def document_mining_triples(ctx: Context, found: Mined, reviewed: bool) -> Iterator[Triple]:
    """One document's mention counts per concept, its candidate findings (none when a person
    reviewed them: ``candidates_reviewed``; those kept are curated, the others were rejected)
    and the study's number of patients as the text states it. Each mention as a Web Annotation
    is the opt-in detail (:func:`mention_detail_triples`)."""
    yield from mention_triples(ctx, found.mentions)
    for index, candidate in enumerate(() if reviewed else found.candidates, start=1):
        yield from candidate_triples(ctx, candidate, index)
    if found.size is not None:
        yield from size_triples(ctx, found.size)


def expansion_discrepancy_triples(
    documents: Iterable[tuple[Context, Mined]], summary: EvidenceSummary | None = None,
) -> Iterator[Triple]:
    """Where a study spells out an abbreviation it defines in other words, across the study's
    ``documents`` (each document's context and what was mined of it, in the order of their
    paths; added to ``summary``)."""
    uses: list[TermUse] = []
    defined: dict[str, set[str]] = {}  # short form -> spellings defined
    contexts: dict[str, Context] = {}
    for ctx, found in documents:
        contexts[ctx.scope] = ctx
        uses.extend(term_uses(ctx.scope, found.mentions))
        for short, long in found.definitions:
            defined.setdefault(short, set()).add(spelling(long))
    conflicts = expansion_conflicts(uses, defined)
    if summary is not None:
        summary.discrepancies += [f"{d.second.scope}: {d.explanation()}" for d in conflicts]
    yield from expansion_triples(contexts, conflicts)


def mention_detail_triples(resolution: Resolution, mined: dict[str, Mined]) -> Iterator[Triple]:
    """Every mention as a Web Annotation: the opt-in detail (``--detail mentions``)."""
    own, primary = works_by_path(resolution)
    for path, found in sorted(mined.items()):
        if path in own:
            yield from annotation_triples(document_context(own[path], path, primary.get(path)),
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


def curation_evidence_triples(curation: Curation, ctx: Context, summary: EvidenceSummary
                              ) -> Iterator[Triple]:
    """The triples of one curation record, and of the contradictions and definition conflicts
    within it (added to ``summary``, with its findings and populations)."""
    summary.findings += len(curation.findings)
    summary.populations += len(curation.populations)
    yield from curation_triples(curation, ctx)
    inner = contradictions(curation)
    definitions = definition_conflicts(curation)
    summary.discrepancies += [f"{curation.path}: {c.explanation()}" for c in inner] + [
        f"{curation.path}: {d.explanation()}" for d in definitions]
    yield from contradiction_triples(ctx, inner)
    yield from definition_triples(ctx, ctx, definitions)


def report_comparison_triples(
    resolution: Resolution, curations: dict[str, Curation], summary: EvidenceSummary,
    text_of: Callable[[Document], str],
) -> Iterator[Triple]:
    """The discrepancies between a secondary report's curation record and the record of the
    study it reports on (added to ``summary``).

    ``text_of`` gives a document's file text (the build lets texts go once they are mined, and
    reads back only the articles whose journal a secondary report misquotes).
    """
    own, primary = works_by_path(resolution)

    def context(path: str) -> Context:  # made for the reports and their studies only
        return document_context(own[path], path, primary.get(path))

    for path, study in sorted(primary.items()):
        secondary = curations.get(path)
        source = study.document.path if study.document else None
        if secondary is None:
            continue
        venues = compare_venue(secondary, study.fields.journal)
        found, unmatched = ([], []) if source not in curations else compare_findings(
            secondary, curations[source]
        )
        definitions = [] if source not in curations else definition_conflicts(
            secondary, curations[source])
        summary.discrepancies += [
            f"{secondary.path}: {d.secondary.key} {d.field} {d.secondary_value} vs "
            f"{d.primary.key} {d.primary_value}" for d in found
        ] + [f"{secondary.path}: journal {v.stated!r} vs {v.actual!r}" for v in venues] + [
            f"{secondary.path}: {d.explanation()}" for d in definitions]
        summary.unmatched += [f"{secondary.path}: {f.key}" for f in unmatched]
        primary_ctx = context(source) if source in curations else document_context(study, path)
        venue = work_iri(study)
        if venues and study.document is not None and study.fields.journal:
            statement = _journal_statement(text_of(study.document), study.fields.journal)
            if statement is not None:
                yield from statement_triples(primary_ctx, statement)
                venue = statement_iri(primary_ctx.scope, statement.key)
        report = context(path)
        yield from discrepancy_triples(report, primary_ctx, found, venues, venue)
        yield from definition_triples(report, primary_ctx, definitions)


POOLED_ROLES = ("studied", "add-on")  # the drugs a finding is evidence about
REVIEW_DESIGNS = ("systematic-review",)


def work_label(work: Work) -> str:
    """A work as a reader names it: first author and year, else its title, else its key."""
    f = work.fields
    if f.authors and f.year:
        return f"{f.authors[0].family} {f.year}"
    return f.title or work.key


def definitions_of(curation: Curation) -> dict[str, tuple[str, ...]]:
    """The criteria by which a record defines each vocabulary concept it defines (its study's
    definitions, for the pooling, when it is the study's own document)."""
    return {s.entity: tuple(sorted(c.key for c in s.criteria)) for s in curation.statements
            if s.kind == "definition" and s.entity}


MEAN_DIFFERENCES = ("md", "mean difference", "mean change")  # a change printed with its CI


def mean_change(f: Finding, study: StudyResult, n: int | None) -> MeanChange | None:
    """A finding's mean change in one group as printed, or None: a finding without a mean before
    and after (or a printed mean difference) in one group is no before-after change; a
    difference between arms is not one either."""
    r = f.result
    if f.groups or f.comparator_drug or f.comparator_description:
        return None
    if r.before_mean is not None and r.after_mean is not None:
        return MeanChange(study.study, study.label, study.finding, n, r.before_mean,
                          r.after_mean, r.before_sd, r.after_sd, primary=study.primary)
    if r.effect is not None and r.effect.measure.casefold() in MEAN_DIFFERENCES:
        e = r.effect
        return MeanChange(study.study, study.label, study.finding, n, change_value=e.value,
                          ci_lower=e.ci_lower, ci_upper=e.ci_upper,
                          ci_level=(e.ci_level or 100 * LEVEL) / 100, primary=study.primary)
    return None


Proportion = tuple[tuple[str, str, tuple[str, ...]], StudyResult]  # (drug, outcome, definition)
Change = tuple[tuple[str, str, Alike], MeanChange]  # (drug, outcome, alike)


@dataclass(frozen=True)
class Contribution:
    """What one curated record gives the pooling, in its findings' order: the proportions and
    the mean changes, each with the pair (and what must be alike) it is pooled under."""

    proportions: tuple[Proportion, ...] = ()
    changes: tuple[Change, ...] = ()


def contribution(path: str, curation: Curation, study: Work,
                 defined: Mapping[str, tuple[str, ...]], stated_by_study: bool) -> Contribution:
    """The record of document ``path`` as the pooling takes it: its findings' results under
    ``study`` (the study's IRI and label, the finding's IRI in the document's scope), with the
    outcome's definition as the study ``defined`` it."""
    # the study and scope of the document's context (:func:`document_context`), and only
    # those: made once per record, not per finding
    study_iri, scope, label = str(work_iri(study)), scope_of(path), work_label(study)
    proportions: list[Proportion] = []
    changes: list[Change] = []
    for f in curation.findings:
        r = f.result
        if f.kind != "outcome" or f.outcome is None:
            continue
        drugs = sorted({i.drug for i in f.interventions if i.role in POOLED_ROLES})
        definition = defined.get(f.outcome, ())
        result = StudyResult(study_iri, label, str(finding_iri(scope, f.key)),
                             r.responders or 0, r.total or 0, primary=stated_by_study)
        if r.responders is not None and r.total:
            proportions += [((drug, f.outcome, definition), result) for drug in drugs]
        population = curation.populations.get(f.population)
        change = mean_change(f, result, population.n if population else None)
        if change is None:
            continue
        like, factor = alike(definition, f.dose_of, r.unit, f.timepoint)
        changes += [((drug, f.outcome, like), scaled(change, factor)) for drug in drugs]
    return Contribution(tuple(proportions), tuple(changes))


# A record's contribution, from its path, its study, the study's definitions and whether it is
# the study's own document (the build keeps them between builds: graph.build.pipeline)
Contributing = Callable[[str, Work, dict[str, tuple[str, ...]], bool], Contribution]


def pooling_triples(resolution: Resolution, curations: Mapping[str, Curation],
                    designs: Mapping[str, str | None], remembered: Remembered | None = None,
                    definitions: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
                    contributing: Contributing | None = None) -> Iterator[Triple]:
    """A pooled estimate per drug-outcome pair reported alike by two or more studies: as
    proportions, with the outcome defined alike (by the same criteria, or neither by curated
    criteria); or as mean changes, also in one unit (after exact conversions), at one timepoint
    and of one drug's dose (for a dose outcome).

    ``definitions`` (each record's :func:`definitions_of`, by document path) and
    ``contributing`` (each record's :func:`contribution`) may come from what a build kept: then
    no record is read for them; the triples are the same."""
    own, primary = works_by_path(resolution)
    found: dict[tuple[str, str, tuple[str, ...]], list[StudyResult]] = {}
    changes: dict[tuple[str, str, Alike], list[MeanChange]] = {}
    reviews: set[str] = set()  # their work keys: looked up per citation, no IRI made
    defined: dict[str, dict[str, tuple[str, ...]]] = {}  # study's key -> concept -> criteria
    for path in sorted(curations, key=lambda path: path in primary):
        if path in own:  # a study's own document first: its definitions stand for the study
            study_key = (primary.get(path) or own[path]).key
            stated = (definitions[path] if definitions is not None
                      else definitions_of(curations[path]))
            for concept, criteria in stated.items():
                defined.setdefault(study_key, {}).setdefault(concept, criteria)
    for path in sorted(curations):
        if path not in own:
            continue
        study = primary.get(path) or own[path]
        if path not in primary and designs.get(path) in REVIEW_DESIGNS:
            reviews.add(study.key)
        given = (contributing(path, study, defined.get(study.key, {}), path not in primary)
                 if contributing is not None else
                 contribution(path, curations[path], study, defined.get(study.key, {}),
                              path not in primary))
        for key, result in given.proportions:
            found.setdefault(key, []).append(result)
        for like, change in given.changes:
            changes.setdefault(like, []).append(change)
    includes: dict[str, set[str]] = {}
    for c in resolution.citations:
        if c.citing.key in reviews:
            includes.setdefault(str(work_iri(c.citing)), set()).add(str(work_iri(c.cited)))
    for (drug, outcome, definition), results in sorted(found.items()):
        pooled = pool(results, includes, remembered)
        if pooled is not None:
            yield from pooled_triples(drug, outcome, definition, pooled)
    for (drug, outcome, like), measured in sorted(changes.items(), key=lambda item: (
            item[0][:2], astuple(item[0][2]))):
        pooled_change = pool_changes(measured, includes, remembered=remembered)
        if pooled_change is not None:
            yield from pooled_change_triples(drug, outcome, like, pooled_change)
