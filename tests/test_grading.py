"""Evidence levels from the design and from whether the study had a control group (issue 23).

Oxford CEBM 2011, "does this intervention help?": a non-randomised controlled cohort is level 3,
a case series (a cohort of treated patients with no control group among them) level 4.
"""

from __future__ import annotations

import pytest

from graph.evidence.findings import Curation, Finding, Intervention
from graph.evidence.grading import Grade, grade, has_control_group
from graph.vocabulary.concepts import Vocabulary


def record(*findings: Finding, control_group: bool | None = None) -> Curation:
    return Curation("curation/x.yaml", "documents/x.txt", None, {}, findings, (), control_group)


def outcome(**fields: object) -> Finding:
    return Finding(key="f", kind="outcome", quotes=(), population="p", direction="improved",
                   outcome="fvc", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("design", "controlled", "level"), [
    ("retrospective-cohort-study", False, 4),
    ("retrospective-cohort-study", True, 3),
    ("prospective-cohort-study", False, 4),
    ("prospective-cohort-study", True, 3),
    ("case-series", False, 4),
    ("case-series", True, 4),
    ("case-report", False, 4),
    ("randomized-controlled-trial", True, 2),
    ("systematic-review", False, 3),
    ("news-report", False, 5),
])
def test_the_level_comes_from_the_design_and_the_control_group(
    vocabulary: Vocabulary, design: str, controlled: bool, level: int
) -> None:
    assert grade(design, controlled, vocabulary) == Grade(level, controlled)


def test_a_study_has_a_control_group_when_its_record_says_so_or_a_finding_has_a_comparator(
) -> None:
    treated = outcome(interventions=(Intervention("tacrolimus", role="add-on"),))
    assert not has_control_group(None)
    assert not has_control_group(record(treated))
    assert has_control_group(record(treated, control_group=True))
    assert not has_control_group(record(outcome(comparator_drug="cyclosporine"),
                                        control_group=False))
    assert has_control_group(record(outcome(comparator_drug="cyclosporine")))
    assert has_control_group(record(outcome(comparator_description="usual care")))
    assert has_control_group(record(outcome(
        interventions=(Intervention("tacrolimus"), Intervention("cyclophosphamide",
                                                                role="comparator")))))
