"""Pooled estimates (issue 23, point 7): a random-effects estimate of a drug-outcome pair across
independent studies, checked against a published worked example, never counting patients twice,
and drawn as a self-contained forest plot.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from graph.evidence.pooling import (
    StudyResult,
    combine,
    expit,
    independent,
    logit_proportion,
    pool,
)
from graph.views._forest import Row, forest_svg

# Kacker (2004), Metrologia 41:132-136, the nine measurements of its first example (table 1):
# DerSimonian-Laird gives tau = 0.5359 there; R's metafor, rma(y, v, method="DL"), gives the
# estimate 62.3901, its 95% CI 61.9085 to 62.8718, tau^2 0.28805 and I^2 67.744% (the numbers
# statsmodels' own tests hold its combine_effects to).
KACKER_Y = [61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


def test_the_pooling_reproduces_a_published_dersimonian_laird_example() -> None:
    estimate, low, high, i2, tau2, q = combine(KACKER_Y, KACKER_V)
    assert estimate == pytest.approx(62.3901386044504, abs=1e-9)
    assert (low, high) == (pytest.approx(61.9084781058787, abs=1e-9),
                           pytest.approx(62.8717991030221, abs=1e-9))
    assert tau2 == pytest.approx(0.288049246973751, abs=1e-9)
    assert math.sqrt(tau2) == pytest.approx(0.5359, abs=1e-3)  # Kacker's table 1
    assert i2 == pytest.approx(0.67744403741711, abs=1e-9)
    assert q == pytest.approx(24.801897741835, abs=1e-9)


def test_a_proportion_of_all_or_none_gets_half_a_patient_per_cell() -> None:
    assert logit_proportion(4, 4).value == pytest.approx(math.log(4.5 / 0.5))
    assert logit_proportion(0, 4).variance == pytest.approx(1 / 0.5 + 1 / 4.5)
    with pytest.raises(ValueError, match="5 responders of 4"):
        logit_proportion(5, 4)


def result(study: str, responders: int, total: int, *, primary: bool = True,
           finding: str | None = None) -> StudyResult:
    return StudyResult(f"urn:study:{study}", study, finding or f"urn:finding:{study}",
                       responders, total, primary)


def test_two_studies_pool_to_a_proportion_between_them() -> None:
    pooled = pool([result("a", 17, 18), result("b", 4, 4)])
    assert pooled is not None
    assert pooled.ci_lower < pooled.estimate < pooled.ci_upper
    assert expit(math.log(9)) < pooled.estimate < 17 / 18  # 4 of 4 is read as 4.5 of 5
    assert [s.label for s in pooled.studies] == ["a", "b"]
    assert pooled.tau_squared == 0 and pooled.i_squared == 0  # Q < df: no heterogeneity
    assert pool([result("a", 17, 18)]) is None  # one study pools nothing


def test_a_review_and_a_study_it_includes_are_not_counted_twice() -> None:
    review, included, other = result("review", 25, 28), result("series", 4, 4), result("x", 9, 12)
    kept, left_out = independent([review, included, other],
                                 {review.study: {included.study, "urn:study:elsewhere"}})
    assert kept == [review, other]
    assert left_out == [(included, "its patients are counted in the review review")]
    pooled = pool([review, included, other], {review.study: {included.study}})
    assert pooled is not None and {s.label for s in pooled.studies} == {"review", "x"}
    assert pooled.left_out == ((included, "its patients are counted in the review review"),)


def test_a_secondary_report_restates_its_study_and_is_not_pooled_again() -> None:
    article = result("cohort", 17, 18, finding="urn:finding:article")
    news = result("cohort", 17, 18, primary=False, finding="urn:finding:news")
    kept, left_out = independent([news, article], {})
    assert kept == [article] and left_out == [(news, "restates cohort")]


def test_the_largest_result_of_a_study_stands_for_it() -> None:
    whole = result("cohort", 13, 18, finding="urn:finding:whole")
    subgroup = result("cohort", 6, 6, finding="urn:finding:anti-jo1")
    kept, _ = independent([subgroup, whole], {})
    assert kept == [whole]


def test_the_forest_plot_is_well_formed_svg_with_every_text_escaped() -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    svg = forest_svg("tacrolimus: ILD response", [Row(hostile, "17/18", 17 / 18, 0.7, 0.99)],
                     Row("pooled", "2 studies", expit(2.5), 0.8, 0.98), "I² = 0.0%")
    root = ET.fromstring(svg)  # parses: nothing unescaped broke the markup
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "<img" not in svg and "&lt;script&gt;" in svg
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert hostile in texts
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # loads nothing
