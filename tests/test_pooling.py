"""Pooled estimates (issue 23, point 7): a random-effects estimate of a drug-outcome pair across
independent studies, checked against a published worked example, never counting patients twice,
and drawn as a self-contained forest plot.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml

from graph.build.pipeline import build
from graph.cli import main
from graph.evidence.links import scope_of
from graph.evidence.pooling import (
    StudyResult,
    combine,
    expit,
    independent,
    logit_proportion,
    pool,
)
from graph.settings import Paths
from graph.views._forest import Row, forest_svg
from tests.checkout import CHECKOUT

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


# ------------------------------------------------------------------ the built graph and the command


def _generate_corpus(documents: int, seed: int, out: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "benchmarks_generate_corpus", CHECKOUT / "benchmarks" / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    module.generate(documents, seed, out)


def _ild_response_findings(record: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [f for f in record["findings"] if f.get("outcome") == "ild-response"
            and any(i["drug"] == drug for i in f.get("interventions", []))]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A small synthetic corpus in which several studies report infliximab's ILD response, one
    of them defining ILD response by its own criteria; the build, and that study's finding."""
    folder = tmp_path_factory.mktemp("pool")
    _generate_corpus(12, 1, folder / "corpus")
    [first, *_others] = [p for p in sorted((folder / "corpus" / "curation").glob("*.yaml"))
                         if _ild_response_findings(yaml.safe_load(p.read_text("utf-8")),
                                                   "infliximab")]
    record = yaml.safe_load(first.read_text(encoding="utf-8"))
    [finding, *_more] = _ild_response_findings(record, "infliximab")
    record["statements"] = [{"id": "ild-response-definition", "kind": "definition",
                             "entity": "ild-response", "value": "ILD response",
                             "quote": finding["quote"],
                             "criteria": [{"id": "improvement", "quote": finding["quote"]}]}]
    first.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    paths = Paths(corpus=folder / "corpus", out=folder / "build")
    build(paths, views=False)
    return paths.out, f"{scope_of(record['document'])}/{finding['id']}"


def test_a_study_defining_the_outcome_by_other_criteria_is_not_pooled_with_the_rest(
    synthetic: tuple[Path, str],
) -> None:
    out, defined = synthetic
    store = ox.Store.read_only(str(out / "store"))
    pooled = {row["f"].value.removeprefix("https://w3id.org/ma-ild/finding/")
              for row in store.query("""PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?f WHERE { ?e prov:wasDerivedFrom ?f .
          FILTER(STRSTARTS(STR(?e), "https://w3id.org/ma-ild/pooled-estimate/infliximab/")) }""")}
    scope = defined.split("/")[0]
    assert pooled and not [f for f in pooled if f.startswith(f"{scope}/")]  # none of that study
    assert store.query(f"""PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        ASK {{ <https://w3id.org/ma-ild/finding/{defined}> maild:outcome ?o ;
               maild:drug <https://w3id.org/ma-ild/vocab/infliximab> ; maild:responders ?r }}""")


def test_the_command_prints_the_studies_the_estimate_and_draws_the_forest_plot(
    synthetic: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    built, _defined = synthetic
    store = ox.Store.read_only(str(built / "store"))
    findings = [(row["f"].value, int(row["r"].value), int(row["n"].value)) for row in store.query(
        """PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?f ?r ?n WHERE {
          <https://w3id.org/ma-ild/pooled-estimate/infliximab/ild-response/proportion>
              prov:wasDerivedFrom ?f .
          ?f maild:responders ?r ; maild:total ?n }""")]
    assert len(findings) >= 2  # several independent studies
    expected = pool([result(f, r, n, finding=f) for f, r, n in findings])
    assert expected is not None

    out = tmp_path / "forest.svg"
    status = main(["pool", "--drug", "infliximab", "--outcome", "ILD response",
                   "--store", str(built / "store"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert status == 0
    for finding, responders, total in findings:
        assert f"{responders}/{total}" in printed and f"<{finding}>" in printed
    assert (f"pooled {100 * expected.estimate:.1f}% (95% CI {100 * expected.ci_lower:.1f}%-"
            f"{100 * expected.ci_upper:.1f}%)") in printed
    svg = ET.fromstring(out.read_text(encoding="utf-8"))
    squares = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") != "white"]
    assert len(squares) == len(findings)
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}polygon"))) == 1  # the pooled diamond


def test_a_pair_without_two_studies_is_said_so(
    synthetic: tuple[Path, str], capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["pool", "--drug", "tacrolimus", "--outcome", "FVC",
                   "--store", str(synthetic[0] / "store")])
    assert status == 1
    assert capsys.readouterr().out.startswith(
        "no pooled estimate for tacrolimus and forced vital capacity: fewer than two")
