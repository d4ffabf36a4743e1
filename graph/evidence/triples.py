"""Curated evidence as RDF: findings, populations, study statements, quotes and discrepancies.




A finding's study is the article it reports on; for a secondary report, that is the primary
article, and ``maild:reportedIn`` names the secondary report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph.evidence.contradictions import (
    Contradiction,
    DefinitionConflict,
    ExpansionConflict,
    Source,
)
from graph.evidence.discrepancies import FindingDiscrepancy, VenueDiscrepancy
from graph.evidence.findings import (
    SPREAD,
    Curation,
    Finding,
    Intervention,
    Population,
    Quote,
    Statement,
)
from graph.evidence.pooling import LEVEL, Alike, MeanChange, Pooled, StudyResult
from graph.mining.candidates import Candidate
from graph.mining.mentions import Mention, summarise
from graph.mining.size import StudySize
from graph.rdf.iris import iri, slug
from graph.rdf.literals import literal
from graph.vocabulary.namespaces import MAILD, OA, VOCAB

Triple = tuple[URIRef, URIRef, URIRef | Literal]

RESULT_FIELDS = {
    "responders": MAILD.responders,
    "total": MAILD.total,
    "percent": MAILD.percent,
    "count": MAILD["count"],
    "mean": MAILD.mean,
    "sd": MAILD.sd,
    "before_mean": MAILD.meanBefore,
    "before_sd": MAILD.sdBefore,
    "after_mean": MAILD.meanAfter,
    "after_sd": MAILD.sdAfter,
    "percent_change": MAILD.percentChange,
    "median": MAILD.median,
    "iqr_lower": MAILD.iqrLower,
    "iqr_upper": MAILD.iqrUpper,
    "min": MAILD.minimum,
    "max": MAILD.maximum,
    "before_median": MAILD.medianBefore,
    "before_iqr_lower": MAILD.iqrLowerBefore,
    "before_iqr_upper": MAILD.iqrUpperBefore,
    "before_min": MAILD.minimumBefore,
    "before_max": MAILD.maximumBefore,
    "before_n": MAILD.sizeBefore,
    "after_median": MAILD.medianAfter,
    "after_iqr_lower": MAILD.iqrLowerAfter,
    "after_iqr_upper": MAILD.iqrUpperAfter,
    "after_min": MAILD.minimumAfter,
    "after_max": MAILD.maximumAfter,
    "after_n": MAILD.sizeAfter,
}
GROUP_FIELDS = ("count", "percent", "mean", "sd", *SPREAD)


@dataclass(frozen=True)
class Context:
    """Where a curation record's statements belong: its study, its document and its file."""

    study: URIRef  # the work whose study the findings are about
    reported_in: URIRef  # the work (document) that states them
    source: URIRef  # the file the quotes point into
    scope: str  # slug of the document, for IRIs


def number(value: float | int) -> Literal:
    """An exact literal: integers as xsd:integer, others as xsd:decimal (no float noise).

    >>> number(94).n3()
    '"94"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> number(0.013).n3()
    '"0.013"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if isinstance(value, int) or float(value).is_integer():
        return literal(str(int(value)), XSD.integer)
    return literal(str(Decimal(repr(float(value)))), XSD.decimal)


def finding_iri(scope: str, key: str) -> URIRef:
    return iri("finding", scope, key)


def population_iri(scope: str, key: str) -> URIRef:
    return iri("population", scope, key)


def _quotes(subject: URIRef, quotes: tuple[Quote, ...], source: URIRef) -> Iterator[Triple]:
    for index, quote in enumerate(quotes, start=1):
        node = URIRef(f"{subject}/quote/{index}")
        yield subject, MAILD.quote, node
        yield from quote_resource(node, quote, source)


def quote_resource(node: URIRef, quote: Quote, source: URIRef) -> Iterator[Triple]:
    """``node`` as a Web Annotation specific resource: a quote and its offsets in ``source``."""
    exact, position = URIRef(f"{node}/text"), URIRef(f"{node}/position")
    yield node, RDF.type, OA.SpecificResource
    yield node, OA.hasSource, source
    yield node, OA.hasSelector, exact
    yield node, OA.hasSelector, position
    yield node, MAILD.sourceLine, literal(quote.line)
    yield exact, RDF.type, OA.TextQuoteSelector
    yield exact, OA.exact, Literal(quote.exact)
    yield exact, OA.prefix, Literal(quote.prefix)
    yield exact, OA.suffix, Literal(quote.suffix)
    yield position, RDF.type, OA.TextPositionSelector
    yield position, OA.start, literal(quote.start, XSD.nonNegativeInteger)
    yield position, OA.end, literal(quote.end, XSD.nonNegativeInteger)


def _population(ctx: Context, p: Population) -> Iterator[Triple]:
    node = population_iri(ctx.scope, p.key)
    yield node, RDF.type, MAILD.Population
    yield node, RDFS.label, Literal(p.description)
    yield node, MAILD.study, ctx.study
    yield node, PROV.wasDerivedFrom, ctx.source
    if p.n is not None:
        yield node, MAILD.size, number(p.n)
    if p.parent:
        yield node, MAILD.subsetOf, population_iri(ctx.scope, p.parent)
    for disease in p.diseases:
        yield node, MAILD.disease, VOCAB[disease]
    for antibody in p.antibodies:
        yield node, MAILD.antibody, VOCAB[antibody]
    for antibody in p.negative_for:
        yield node, MAILD.negativeFor, VOCAB[antibody]
    for characteristic in p.characteristics:
        yield node, MAILD.characteristic, VOCAB[characteristic]
    if p.refractory is not None:
        yield node, MAILD.refractory, Literal(p.refractory)
    if p.treatment_naive is not None:
        yield node, MAILD.treatmentNaive, Literal(p.treatment_naive)
    yield from _quotes(node, p.quotes, ctx.source)


def finding_triples(ctx: Context, f: Finding) -> Iterator[Triple]:
    """One finding: what, in whom, which numbers, which way, with its quotes."""
    node = finding_iri(ctx.scope, f.key)
    yield node, RDF.type, MAILD.Finding
    yield node, RDFS.label, Literal(f"{ctx.scope}: {f.key}")
    yield node, MAILD.findingKind, Literal(f.kind)
    yield node, MAILD.study, ctx.study
    yield node, MAILD.reportedIn, ctx.reported_in
    if f.population:
        yield node, MAILD.population, population_iri(ctx.scope, f.population)
    if f.direction:
        yield node, MAILD.direction, Literal(f.direction)
    yield node, MAILD.agentType, Literal(f.agent)
    yield node, PROV.wasDerivedFrom, ctx.source
    for index, i in enumerate(f.interventions, start=1):
        treatment = URIRef(f"{node}/intervention/{index}")
        yield node, MAILD.drug, VOCAB[i.drug]
        yield node, MAILD.intervention, treatment
        yield treatment, RDF.type, MAILD.Intervention
        yield treatment, MAILD.drug, VOCAB[i.drug]
        for predicate, value in ((MAILD.dose, i.dose), (MAILD.route, i.route),
                                 (MAILD.schedule, i.schedule), (MAILD.role, i.role)):
            if value:
                yield treatment, predicate, Literal(value)
    for predicate, entity in ((MAILD.comparatorDrug, f.comparator_drug), (MAILD.outcome, f.outcome),
                              (MAILD.doseOf, f.dose_of), (MAILD.characteristic, f.characteristic)):
        if entity:
            yield node, predicate, VOCAB[entity]
    if f.comparator_description:
        yield node, MAILD.comparatorDescription, Literal(f.comparator_description)
    yield from _result(node, f)
    for index, group in enumerate(f.groups, start=1):
        arm = URIRef(f"{node}/group/{index}")
        yield node, MAILD.group, arm
        yield arm, RDF.type, MAILD.GroupResult
        yield arm, MAILD.position, Literal(index)
        yield arm, MAILD.population, population_iri(ctx.scope, group.population)
        for name in GROUP_FIELDS:
            value = getattr(group, name)
            if value is not None:
                yield arm, RESULT_FIELDS[name], number(value)
    if f.timepoint:
        yield node, MAILD.timepoint, Literal(f.timepoint.text)
        if f.timepoint.months_from is not None and f.timepoint.months_to is not None:
            yield node, MAILD.timepointMonthsFrom, number(f.timepoint.months_from)
            yield node, MAILD.timepointMonthsTo, number(f.timepoint.months_to)
    if f.note:
        yield node, RDFS.comment, Literal(f.note)
    yield from _quotes(node, f.quotes, ctx.source)


def _result(node: URIRef, f: Finding) -> Iterator[Triple]:
    r = f.result
    for name, predicate in RESULT_FIELDS.items():
        value = getattr(r, name)
        if value is not None:
            yield node, predicate, number(value)
    if r.unit:
        yield node, MAILD.unit, Literal(r.unit)
    if r.p_value is not None:
        yield node, MAILD.pValue, number(r.p_value.value)
        yield node, MAILD.pValueRelation, Literal(r.p_value.relation)
    if r.effect is not None:
        yield node, MAILD.effectMeasure, Literal(r.effect.measure)
        yield node, MAILD.effectValue, number(r.effect.value)
        yield from _interval(node, r.effect.ci_lower, r.effect.ci_upper, r.effect.ci_level)
    # the check lets a result carry one CI: its effect's or its percent's (as a candidate's)
    yield from _interval(node, r.percent_ci_lower, r.percent_ci_upper, r.percent_ci_level)


def _interval(node: URIRef, lower: float | None, upper: float | None, level: float | None
              ) -> Iterator[Triple]:
    """A confidence interval (STATO) of the finding's estimate: its effect, else its percent."""
    for predicate, value in ((MAILD.ciLower, lower), (MAILD.ciUpper, upper),
                             (MAILD.ciLevel, level)):
        if value is not None:
            yield node, predicate, number(value)


def statement_iri(scope: str, key: str) -> URIRef:
    return iri("statement", scope, key)


def statement_triples(ctx: Context, s: Statement) -> Iterator[Triple]:
    """A fact about the study itself, with its quotes."""
    node = statement_iri(ctx.scope, s.key)
    yield node, RDF.type, MAILD.StudyStatement
    yield node, MAILD.statementKind, Literal(s.kind)
    yield node, MAILD.study, ctx.study
    yield node, MAILD.reportedIn, ctx.reported_in
    yield node, PROV.wasDerivedFrom, ctx.source
    if s.entity:
        yield node, MAILD.entity, VOCAB[s.entity]
        if s.kind == "not-tested":
            yield ctx.study, MAILD.notTestedFor, VOCAB[s.entity]
    if s.value:
        yield node, MAILD.value, Literal(s.value)
    yield from _quotes(node, s.quotes, ctx.source)
    for criterion in s.criteria:
        part = URIRef(f"{node}/criterion/{slug(criterion.key)}")
        yield node, MAILD.criterion, part
        yield part, RDFS.label, Literal(criterion.key)
        yield from _quotes(part, criterion.quotes, ctx.source)


def curation_triples(curation: Curation, ctx: Context) -> Iterator[Triple]:
    """The triples of one document's curated evidence."""
    for population in curation.populations.values():
        yield from _population(ctx, population)
    for finding in curation.findings:
        yield from finding_triples(ctx, finding)
    for statement in curation.statements:
        yield from statement_triples(ctx, statement)


def discrepancy_triples(
    secondary: Context, primary: Context, findings: list[FindingDiscrepancy],
    venues: list[VenueDiscrepancy], primary_venue: URIRef,
) -> Iterator[Triple]:
    """A ``maild:Discrepancy`` per disagreement, linking both statements (and so both quotes).

    ``primary_venue`` is the primary article's own statement of its journal (or, when its text
    does not print the journal name, the article itself).
    """
    for d in findings:
        node = iri("discrepancy", secondary.scope, d.secondary.key, slug(d.field))
        ours = finding_iri(secondary.scope, d.secondary.key)
        theirs = finding_iri(primary.scope, d.primary.key)
        yield node, RDF.type, MAILD.Discrepancy
        yield node, MAILD.concerns, theirs
        yield node, MAILD.field, Literal(d.field)
        yield node, MAILD.conflictingStatement, ours
        yield node, MAILD.conflictingStatement, theirs
        yield node, RDFS.comment, Literal(
            f"{d.field} is {d.secondary_value} in the secondary report but {d.primary_value} "
            "in the article it reports on"
        )
    for v in venues:
        node = iri("discrepancy", secondary.scope, v.statement.key, "journal")
        yield node, RDF.type, MAILD.Discrepancy
        yield node, MAILD.concerns, primary.study
        yield node, MAILD.field, Literal("journal")
        yield node, MAILD.conflictingStatement, statement_iri(secondary.scope, v.statement.key)
        yield node, MAILD.conflictingStatement, primary_venue
        yield node, RDFS.comment, Literal(
            f"the secondary report names {v.stated!r} but the article appeared in {v.actual!r}"
        )


def _source_iri(scope: str, source: Source) -> URIRef:
    if source.kind == "population":
        return population_iri(scope, source.key)
    return finding_iri(scope, source.key)


def contradiction_triples(ctx: Context, found: list[Contradiction]) -> Iterator[Triple]:
    """A ``maild:Discrepancy`` per fact a document states with two values, linking every
    statement of either value; it concerns the population the fact is about."""
    for c in found:
        node = iri("discrepancy", ctx.scope, c.first.sources[0].key, c.second.sources[0].key,
                   slug(c.field))
        yield node, RDF.type, MAILD.Discrepancy
        yield node, MAILD.concerns, population_iri(ctx.scope, c.first.key[0])
        yield node, MAILD.field, Literal(c.field)
        for source in (*c.first.sources, *c.second.sources):
            yield node, MAILD.conflictingStatement, _source_iri(ctx.scope, source)
        yield node, RDFS.comment, Literal(c.explanation())


def definition_triples(first: Context, second: Context, found: list[DefinitionConflict]
                       ) -> Iterator[Triple]:
    """A ``maild:Discrepancy`` per pair of definitions of one term with different criteria."""
    for d in found:
        node = iri("discrepancy", first.scope, d.first.key,
                   *(() if first.scope == second.scope else (second.scope,)), d.second.key,
                   "definition")
        yield node, RDF.type, MAILD.Discrepancy
        yield node, MAILD.concerns, second.study
        yield node, MAILD.field, Literal("definition")
        yield node, MAILD.conflictingStatement, statement_iri(first.scope, d.first.key)
        yield node, MAILD.conflictingStatement, statement_iri(second.scope, d.second.key)
        yield node, RDFS.comment, Literal(d.explanation())


STATO = "http://purl.obolibrary.org/obo/STATO_"
EFFECT_SIZE_ESTIMATE = URIRef(STATO + "0000085")  # STATO: effect size estimate
MEAN_DIFFERENCE = URIRef(STATO + "0000457")  # STATO: mean difference
DL_META_ANALYSIS = URIRef(STATO + "0000431")  # STATO: meta analysis by DerSimonian and L. method


def pooled_iri(drug: str, outcome: str, definition: tuple[str, ...] = ()) -> URIRef:
    """One estimate per drug, outcome and curated definition of the outcome (if any)."""
    if not definition:
        return iri("pooled-estimate", drug, outcome, "proportion")
    digest = hashlib.sha256("|".join(definition).encode("utf-8")).hexdigest()[:12]
    return iri("pooled-estimate", drug, outcome, "proportion", f"defined-{digest}")


def _rounded(value: float) -> Literal:
    """Six decimals: enough for a proportion, and stable across platforms' last float bits."""
    return Literal(f"{value:.6f}", datatype=XSD.decimal)


def _estimate_triples(node: URIRef, drug: str, outcome: str, measure: str,
                      definition: tuple[str, ...], p: Pooled[Any], method: str
                      ) -> Iterator[Triple]:
    """What every pooled estimate states: a STATO effect size estimate of a drug and outcome
    derived from its findings (and not from those left out, each with why), made by a
    DerSimonian-Laird meta-analysis (STATO) described by ``method``, with its CI, I² and tau²."""
    activity = URIRef(f"{node}/analysis")
    yield node, RDF.type, MAILD.PooledEstimate
    yield node, RDF.type, EFFECT_SIZE_ESTIMATE
    yield node, MAILD.drug, VOCAB[drug]
    yield node, MAILD.outcome, VOCAB[outcome]
    yield node, MAILD.effectMeasure, Literal(measure)
    yield node, MAILD.effectValue, _rounded(p.estimate)
    yield node, MAILD.ciLower, _rounded(p.ci_lower)
    yield node, MAILD.ciUpper, _rounded(p.ci_upper)
    yield node, MAILD.ciLevel, number(LEVEL * 100)
    yield node, MAILD.iSquared, _rounded(p.i_squared * 100)
    yield node, MAILD.tauSquared, _rounded(p.tau_squared)
    yield node, MAILD.studies, number(len(p.studies))
    yield node, MAILD.total, number(sum(s.total or 0 for s in p.studies))
    if definition:
        yield node, RDFS.comment, Literal(
            f"{outcome} as its studies define it, by the criteria {', '.join(definition)}")
    yield node, PROV.wasGeneratedBy, activity
    yield activity, RDF.type, DL_META_ANALYSIS
    yield activity, RDF.type, PROV.Activity
    yield activity, RDFS.label, Literal(method)
    for s in p.studies:
        yield node, PROV.wasDerivedFrom, URIRef(s.finding)
    for s, reason in p.left_out:
        yield node, MAILD.leftOut, URIRef(s.finding)
        yield node, RDFS.comment, Literal(f"left out {s.label} ({s.finding}): {reason}")


def pooled_triples(drug: str, outcome: str, definition: tuple[str, ...],
                   p: Pooled[StudyResult]) -> Iterator[Triple]:
    """A pooled proportion, pooled on the logit scale."""
    node = pooled_iri(drug, outcome, definition)
    yield node, RDFS.label, Literal(f"pooled proportion: {drug}, {outcome}")
    yield from _estimate_triples(
        node, drug, outcome, "proportion", definition, p,
        "random-effects meta-analysis of logit proportions (DerSimonian-Laird, statsmodels "
        "combine_effects)")


def pooled_change_iri(drug: str, outcome: str, like: Alike) -> URIRef:
    """One estimate per drug, outcome, whose dose, unit, timepoint and curated definition."""
    unit = like.unit.replace("%", " percent ").replace("/", " per ")
    parts = [slug(like.dose_of) or "any-dose", slug(unit) or "no-unit",
             slug(like.timepoint) or "no-timepoint"]
    if like.definition:
        parts.append("defined-" + hashlib.sha256(
            "|".join(like.definition).encode("utf-8")).hexdigest()[:12])
    return iri("pooled-estimate", drug, outcome, "mean-difference", *parts)


def pooled_change_triples(drug: str, outcome: str, like: Alike, p: Pooled[MeanChange]
                          ) -> Iterator[Triple]:
    """A pooled mean change (STATO mean difference), with the within-patient correlation
    imputed and what its studies share: unit, timepoint and whose dose."""
    assert p.correlation is not None
    node = pooled_change_iri(drug, outcome, like)
    yield node, RDF.type, MEAN_DIFFERENCE
    yield node, RDFS.label, Literal(f"pooled mean change: {drug}, {outcome}")
    if like.dose_of:
        yield node, MAILD.doseOf, VOCAB[like.dose_of]
    if like.unit:
        yield node, MAILD.unit, Literal(like.unit)
    if like.timepoint_text:
        yield node, MAILD.timepoint, Literal(like.timepoint_text)
    yield node, MAILD.imputedCorrelation, _rounded(p.correlation)
    yield from _estimate_triples(
        node, drug, outcome, "MD", like.definition, p,
        "random-effects meta-analysis of before-after mean changes (DerSimonian-Laird, "
        "statsmodels combine_effects), the SD of the changes imputed from the SDs before and "
        f"after at a within-patient correlation of {p.correlation:g} (Cochrane Handbook 6.5.2.8)")


def mention_iri(scope: str, concept: str, number: int) -> URIRef:
    """The ``number``-th mention of ``concept`` in a document."""
    return iri("mention", scope, concept, str(number))


def expansion_triples(contexts: dict[str, Context], found: list[ExpansionConflict]
                      ) -> Iterator[Triple]:
    """A ``maild:Discrepancy`` per abbreviation spelled out two ways in one study, linking the
    first mention of each spelling; a mention in a discrepancy carries its quote (with its
    offsets: in the graph, not only in the opt-in detail) and document as statements do."""
    for d in found:
        first, second = d.first, d.second
        node = iri("discrepancy", first.scope, "expansion", slug(d.abbreviation),
                   *(() if first.scope == second.scope else (second.scope,)))
        yield node, RDF.type, MAILD.Discrepancy
        yield node, MAILD.concerns, VOCAB[first.concept]
        yield node, MAILD.field, Literal("expansion")
        yield node, RDFS.comment, Literal(d.explanation())
        for use in (first, second):
            mention = mention_iri(use.scope, use.concept, use.number)
            yield node, MAILD.conflictingStatement, mention
            yield mention, RDF.type, OA.Annotation
            yield mention, MAILD.quote, URIRef(f"{mention}/target")
            yield mention, MAILD.reportedIn, contexts[use.scope].reported_in
            m = use.mention
            yield from quote_resource(URIRef(f"{mention}/target"),
                                      Quote(m.text, m.start, m.end, "", "", 0),
                                      contexts[use.scope].source)


def mention_triples(ctx: Context, mentions: tuple[Mention, ...]) -> Iterator[Triple]:
    """Per concept the document mentions, a count of its mentions (and negated ones)."""
    for concept, (count, negated) in summarise(list(mentions)).items():
        summary = iri("mention-count", ctx.scope, concept)
        yield ctx.reported_in, MAILD.mentions, VOCAB[concept]
        yield summary, RDF.type, MAILD.MentionCount
        yield summary, MAILD.inDocument, ctx.reported_in
        yield summary, MAILD.concept, VOCAB[concept]
        yield summary, MAILD.timesMentioned, number(count)
        yield summary, MAILD.negatedCount, number(negated)


def annotation_triples(ctx: Context, mentions: tuple[Mention, ...]) -> Iterator[Triple]:
    """Each mention as an ``oa:Annotation`` identifying a concept at a place in the file: the
    opt-in detail (``--detail mentions``), 18 triples a mention that no question reads."""
    numbers: dict[str, int] = {}
    for m in mentions:
        numbers[m.concept] = numbers.get(m.concept, 0) + 1
        node = mention_iri(ctx.scope, m.concept, numbers[m.concept])
        target = URIRef(f"{node}/target")
        yield node, RDF.type, OA.Annotation
        yield node, OA.motivatedBy, OA.identifying
        yield node, OA.hasBody, VOCAB[m.concept]
        yield node, OA.hasTarget, target
        yield node, MAILD.negated, Literal(m.negated)
        yield node, MAILD.inDocument, ctx.reported_in
        quote = Quote(m.text, m.start, m.end, "", "", 0)
        yield from quote_resource(target, quote, ctx.source)


def candidate_triples(ctx: Context, candidate: Candidate, index: int) -> Iterator[Triple]:
    """A machine-extracted finding: its numbers, links and quote, marked ``text_mining_agent``."""
    kind = ("characteristic" if candidate.kind == "characteristic"
            else "outcome" if candidate.drugs or candidate.outcome else "characteristic")
    finding = Finding(
        key=f"candidate-{index}", kind=kind, quotes=(candidate.quote,), population="",
        direction=candidate.direction or "", agent="text_mining_agent",
        interventions=tuple(Intervention(d) for d in candidate.drugs),
        outcome=candidate.outcome, result=candidate.result, timepoint=candidate.timepoint,
        characteristic=candidate.characteristic,
    )
    yield from finding_triples(ctx, finding)
    node = finding_iri(ctx.scope, finding.key)
    yield node, MAILD.extractionPattern, Literal(candidate.pattern)
    if candidate.percent_ci is not None:
        # a percent's CI, quoted with it: the form an effect's and a pooled estimate's CI take
        yield from _interval(node, *candidate.percent_ci)
    if candidate.population_size is not None:
        yield node, MAILD.statedPopulationSize, number(candidate.population_size)
    # a drug or outcome its sentence did not name, taken from the study as a whole: said so
    if candidate.drugs_inferred is not None:
        yield node, MAILD.drugInferredFrom, Literal(candidate.drugs_inferred)
    if candidate.outcome_inferred is not None:
        yield node, MAILD.outcomeInferredFrom, Literal(candidate.outcome_inferred)


STUDY_POPULATION = "study-population"  # key of the population a study's text gives a size to


def size_triples(ctx: Context, size: StudySize) -> Iterator[Triple]:
    """The study's patients, machine-read: a population with the size its text states and the
    quote it is read from, marked ``text_mining_agent`` like a candidate finding."""
    node = population_iri(ctx.scope, STUDY_POPULATION)
    yield node, RDF.type, MAILD.Population
    yield node, RDFS.label, Literal("the study's patients, as its text states their number")
    yield node, MAILD.study, ctx.study
    yield node, PROV.wasDerivedFrom, ctx.source
    yield node, MAILD.size, number(size.n)
    yield node, MAILD.agentType, Literal("text_mining_agent")
    yield from _quotes(node, (size.quote,), ctx.source)
