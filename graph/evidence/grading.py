"""The evidence level of a study, from its design and whether it had a control group.

The Oxford CEBM 2011 levels for "does this intervention help?" grade a "non-randomized controlled
cohort/follow-up study" 3 and "case-series, case-control studies, or historically controlled
studies" 4: a cohort of treated patients with no control group is a case series, whatever its
authors call it. A design's level (``maild:evidenceLevel``) is its level with a control group;
``maild:uncontrolledEvidenceLevel`` gives the level without one where they differ. Whether a
study had a control group is what its curation record says (``control_group``), or else whether
any of its findings has a comparator; a study without either is graded as uncontrolled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.citations.triples import work_iri
from graph.citations.works import Work
from graph.evidence.findings import Curation
from graph.evidence.triples import number
from graph.vocabulary.concepts import Vocabulary
from graph.vocabulary.namespaces import MAILD

Triple = tuple[URIRef, URIRef, Literal]


@dataclass(frozen=True)
class Grade:
    """A study's evidence level and the fact it was graded from."""

    level: int | None
    controlled: bool


def has_control_group(curation: Curation | None) -> bool:
    """Whether the record states a control group, or one of its findings names a comparator."""
    if curation is None:
        return False
    if curation.control_group is not None:
        return curation.control_group
    return any(f.comparator_drug or f.comparator_description
               or any(i.role == "comparator" for i in f.interventions)
               for f in curation.findings)


def grade(design: str, controlled: bool, vocabulary: Vocabulary) -> Grade:
    """The level of a study of ``design``: the design's own, or its uncontrolled one."""
    concept = vocabulary.concepts.get(design)
    if concept is None:
        return Grade(None, controlled)
    if not controlled and concept.uncontrolled_level is not None:
        return Grade(concept.uncontrolled_level, controlled)
    return Grade(concept.evidence_level, controlled)


def grades(designs: Mapping[str, str | None], controlled: Mapping[str, bool],
           vocabulary: Vocabulary) -> dict[str, Grade]:
    """The grade of every corpus document with a design, by document path; ``controlled``:
    :func:`has_control_group` of each curated document's record (a build keeps it, so the
    records are not read for it)."""
    return {path: grade(design, controlled.get(path, False), vocabulary)
            for path, design in designs.items() if design}


def work_grade_triples(work: Work, graded: Mapping[str, Grade]) -> Iterator[Triple]:
    """A graded study's ``maild:evidenceLevel`` and ``maild:controlGroup`` (none for a work
    that is no graded corpus document)."""
    if work.document is None or work.document.path not in graded:
        return
    found = graded[work.document.path]
    subject = work_iri(work)
    yield subject, MAILD.controlGroup, Literal(found.controlled)
    if found.level is not None:
        yield subject, MAILD.evidenceLevel, number(found.level)
