"""Pooled estimates (issue 23, point 7): a random-effects estimate of a drug-outcome pair across
independent studies, checked against a published worked example, never counting patients twice,
and drawn as a self-contained forest plot.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml

from graph.build.pipeline import build
from graph.cli import main
from graph.evidence.links import scope_of
from graph.evidence.numbers import parse_timepoint
from graph.evidence.pooling import (
    Alike,
    MeanChange,
    Remembered,
    StudyResult,
    alike,
    change_sd,
    ci_variance,
    combine,
    expit,
    independent,
    logit_proportion,
    pool,
    pool_changes,
    scaled,
)
from graph.query.binding import bind
from graph.query.texts import internal_query
from graph.settings import Paths
from graph.views._forest import LABEL_WIDTH, PLOT_WIDTH, Row, difference_axis, forest_svg
from tests.checkout import corpus_generator

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


def test_a_pooled_estimate_remembered_from_an_earlier_build_is_the_one_computed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    studies = [result("a", 17, 18), result("b", 4, 4)]
    first = Remembered()
    computed = pool(studies, remembered=first)
    assert computed is not None and computed == pool(studies)
    assert len(first.used) == 1  # the inputs of the one estimate, and what it gave

    def unavailable(*_args: object) -> object:
        raise AssertionError("statsmodels was called for inputs a build had pooled")

    monkeypatch.setattr("graph.evidence.pooling.combine", unavailable)
    again = Remembered(first.used)
    assert pool(studies, remembered=again) == computed
    assert again.used == first.used  # kept for the next build, as used


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


def _ild_response_findings(record: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [f for f in record["findings"] if f.get("outcome") == "ild-response"
            and any(i["drug"] == drug for i in f.get("interventions", []))]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A small synthetic corpus in which several studies report infliximab's ILD response, one
    of them defining ILD response by its own criteria; the build, and that study's finding."""
    folder = tmp_path_factory.mktemp("pool")
    corpus_generator().generate(12, 1, folder / "corpus")
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
    _mean_changes_with_sds(folder / "corpus")
    paths = Paths(corpus=folder / "corpus", out=folder / "build")
    build(paths, views=False)
    return paths.out, f"{scope_of(record['document'])}/{finding['id']}"


# The synthetic abstracts print prednisone doses before and after without SDs. Four are given
# SDs and a number of patients in their text and records: two on methotrexate alike (mg/day, no
# timepoint), a third on methotrexate at 6 months, and two on plasma exchange, one in mg/day and
# one in mg: only the first two are alike.
WITH_SDS = [  # record, finding, SD before, SD after, patients, unit, drug now, timepoint
    ("40000004", "result-1", 6.1, 5.2, 14, "mg/day", None, None),
    ("40000010", "result-5", 9.8, 7.5, 22, "mg/day", None, None),
    ("40000001", "result-4", 8.0, 4.4, 30, "mg/day", ("cyclosporine", "methotrexate"), "6 months"),
    ("40000006", "result-7", 3.3, 2.9, 11, "mg/day", None, None),
    ("40000011", "result-2", 7.7, 5.0, 17, "mg", None, None),
]


def _mean_changes_with_sds(corpus: Path) -> None:
    for record_id, finding_id, sd_before, sd_after, n, unit, drug, when in WITH_SDS:
        [path] = corpus.glob(f"curation/*-{record_id}.yaml")
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        [finding] = [f for f in record["findings"] if f["id"] == finding_id]
        result, old = finding["result"], finding["quote"]
        before, after = result["before"]["mean"], result["after"]["mean"]
        new = old.replace(f"from {before} to {after} mg/day after",
                          f"from {before} \u00b1 {sd_before} to {after} \u00b1 {sd_after} {unit} in "
                          f"{n} patients after")
        if drug is not None:
            new = new.replace(f"after {drug[0]}", f"after {drug[1]}")
            finding["interventions"] = [{"drug": drug[1]}]
        if when is not None:
            new = new.replace(" (p", f" at {when} (p")
            finding["timepoint"] = when
        assert new != old
        document = corpus / record["document"].split("#")[0]
        text = document.read_text(encoding="utf-8")
        assert text.count(old) == 1
        document.write_text(text.replace(old, new), encoding="utf-8")
        finding["quote"] = new
        result["before"]["sd"], result["after"]["sd"], result["unit"] = sd_before, sd_after, unit
        record["populations"][f"{finding_id}-patients"] = {
            "description": "patients whose prednisone dose was followed", "n": n,
            "parent": "cohort", "quote": new}
        finding["population"] = f"{finding_id}-patients"
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")


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
    printed = capsys.readouterr().out
    assert printed.startswith(
        "no pooled estimate for tacrolimus and forced vital capacity: fewer than two")
    # and why: every finding of the pair in which tacrolimus was studied, with what it offers
    store = ox.Store.read_only(str(synthetic[0] / "store"))
    rows = [(row["f"].value, row["r"]) for row in store.query(
        """PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        PREFIX v: <https://w3id.org/ma-ild/vocab/>
        SELECT ?f ?r WHERE { ?f maild:findingKind "outcome" ; maild:outcome v:fvc ;
          maild:intervention [ maild:drug v:tacrolimus ; maild:role ?role ] .
          FILTER(?role IN ("studied", "add-on")) OPTIONAL { ?f maild:responders ?r } }""")]
    assert rows
    assert f"the graph holds {len(rows)} finding" in printed
    for finding, _responders in rows:
        assert f"<{finding}>" in printed
    assert printed.count("responders: a proportion") == sum(r is not None for _f, r in rows)


# ------------------------------------------------------------------ mean changes

# Normand (1999), Statistics in Medicine 18:321-359, Table VIII: length of hospital stay, nine
# trials of specialist against routine stroke care (metafor's dat.normand1999): n, mean, SD per
# arm. With the pooled SD of each trial, the mean differences pooled by DerSimonian-Laird give
# -14.10 days (95% CI -24.45 to -3.75), tau^2 218.72 (Table IX; metafor's test of the example).
NORMAND = [(155, 55, 47, 156, 75, 64), (31, 27, 7, 32, 29, 4), (75, 64, 17, 71, 119, 29),
           (18, 66, 20, 18, 137, 48), (8, 14, 8, 13, 18, 11), (57, 19, 7, 52, 18, 4),
           (34, 52, 45, 33, 41, 34), (110, 21, 16, 183, 31, 27), (60, 30, 27, 52, 23, 20)]


def test_mean_differences_pool_as_the_published_random_effects_example() -> None:
    effects, variances = [], []
    for n1, m1, sd1, n2, m2, sd2 in NORMAND:
        pooled_sd = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))
        effects.append(m1 - m2)
        variances.append(pooled_sd ** 2 * (1 / n1 + 1 / n2))
    assert [round(v, 2) for v in variances] == [40.59, 2.05, 15.28, 150.22, 20.19, 1.22, 95.38,
                                                8.03, 20.69]  # Table VIII
    estimate, low, high, _i2, tau2, _q = combine(effects, variances)
    assert (round(estimate, 2), round(low, 2), round(high, 2)) == (-14.10, -24.45, -3.75)
    assert round(tau2, 2) == 218.72


def test_the_sd_of_the_changes_is_imputed_from_a_within_patient_correlation() -> None:
    # the Cochrane Handbook's paired example (5.1, 16.4.6.4): SDs 2.38 and 2.21 in 10
    # patients at r = 0.68 give a standard error of 0.583
    assert change_sd(2.38, 2.21, 0.68) / math.sqrt(10) == pytest.approx(0.583, abs=5e-4)
    change = MeanChange("urn:s", "s", "urn:f", 10, before=6.5, after=7.0, sd_before=2.21,
                        sd_after=2.38)
    assert change.change == pytest.approx(0.5)
    assert math.sqrt(change.variance(0.68)) == pytest.approx(0.583, abs=5e-4)
    # r = 0: the variances add; r = 1 with equal SDs: every patient changed alike
    assert change_sd(3.0, 4.0, 0.0) == pytest.approx(5.0)
    assert change_sd(3.0, 3.0, 1.0) == 0.0
    # the higher the correlation, the narrower the change's interval
    assert change.variance(0.8) < change.variance(0.5) < change.variance(0.2)
    with pytest.raises(ValueError, match=r"1\.5 is not between -1 and 1"):
        change_sd(1.0, 1.0, 1.5)


def test_a_change_printed_with_its_ci_is_weighted_by_it_with_the_t_distribution() -> None:
    t_9 = 2.2621571627982  # the 97.5% quantile of t with 9 degrees of freedom
    assert ci_variance(-t_9, t_9, 10) == pytest.approx(1.0)
    printed = MeanChange("urn:s", "s", "urn:f", 10, change_value=-4.0, ci_lower=-4.0 - t_9,
                         ci_upper=-4.0 + t_9)
    assert printed.unweighable() is None and printed.variance(0.2) == pytest.approx(1.0)


def change(study: str, before: float, after: float, sds: tuple[float, float] | None = (8.0, 6.0),
           n: int | None = 20) -> MeanChange:
    return MeanChange(f"urn:study:{study}", study, f"urn:finding:{study}", n, before, after,
                      *(sds or (None, None)))


def test_changes_without_an_sd_or_a_number_of_patients_are_left_out_with_the_reason() -> None:
    kept = [change("a", 35.1, 12.4), change("b", 44.7, 31.2)]
    no_sd, no_n = change("c", 33.8, 11.5, sds=None), change("d", 30.0, 10.0, n=None)
    pooled = pool_changes([*kept, no_sd, no_n])
    assert pooled is not None and [s.label for s in pooled.studies] == ["a", "b"]
    assert pooled.left_out == (
        (no_sd, "no SD before and after, nor a CI of the change, is stated"),
        (no_n, "the number of patients is not stated"))
    assert pooled.ci_lower < pooled.estimate < pooled.ci_upper < 0
    assert pool_changes([kept[0], no_sd]) is None  # one weighable study pools nothing


def test_only_like_changes_are_pooled_together() -> None:
    def key(unit: str | None, when: str | None = "3-6 months", dose_of: str = "prednisone",
            definition: tuple[str, ...] = ()) -> Alike:
        return alike(definition, dose_of, unit, parse_timepoint(when) if when else None)[0]

    # one unit spelled two ways, one timepoint written two ways: alike
    assert key("mg/d", "3–6 months") == key("mg/day", "3 to 6 months")
    assert key("mL", "1 year") == key("L", "12 months")
    # a unit converts only by an exact factor: g into mg, mL into L
    assert alike((), None, "g", None)[1] == 1000.0 and alike((), None, "mL", None)[1] == 0.001
    # otherwise never together: % predicted and litres, mg and mg/day (per day is not said),
    # another timepoint, another drug's dose, another definition of the outcome
    assert len({key("% predicted"), key("L"), key("mg"), key("mg/day"), key(None)}) == 5
    assert len({key("mg"), key("mg", "1 year"), key("mg", None)}) == 3
    assert key("mg", dose_of="glucocorticoid") != key("mg")
    assert key("mg", definition=("criterion",)) != key("mg")
    converted = scaled(change("a", 1.5, 2.0, sds=(0.5, 0.25)), 1000.0)
    assert (converted.change, converted.sd_before, converted.sd_after) == (500.0, 500.0, 250.0)


def test_the_difference_axis_fits_the_estimates_and_draws_the_line_of_no_change() -> None:
    rows = [Row("a", "n = 20", -22.7, -31.5, -13.9), Row("b", "n = 23", -13.5, -21.6, -5.4)]
    pooled = Row("pooled", "2 studies", -18.0, -27.0, -9.1)
    axis = difference_axis([*rows, pooled], "mean change, mg (95% CI)")
    assert axis.low <= -31.5 and axis.high >= 0 and axis.high - axis.low <= 50
    svg = forest_svg("tacrolimus: <dose>", rows, pooled, "r = 0.5", axis, "patients")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "mean change, mg (95% CI)" in texts and "tacrolimus: <dose>" in texts
    assert [t for t in texts if t in {"-40", "-30", "-20", "-10", "0"}] == [
        "-40", "-30", "-20", "-10", "0"]
    zero = axis.x(0.0)
    assert any(line.get("x1") == line.get("x2") == f"{zero:.1f}"
               and line.get("stroke") == "#555555"
               for line in root.iter("{http://www.w3.org/2000/svg}line"))  # no change
    # every study's interval lies inside the plot, none clipped
    for row in rows:
        assert LABEL_WIDTH < axis.x(row.lower) < axis.x(row.upper) <= LABEL_WIDTH + PLOT_WIDTH


MD = "http://purl.obolibrary.org/obo/STATO_0000457"


def _stored_changes(store: ox.Store) -> dict[str, set[str]]:
    """Each stored pooled mean change and the findings it derives from."""
    found: dict[str, set[str]] = {}
    for row in store.query(f"""PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?e ?f WHERE {{ ?e a <{MD}> ; prov:wasDerivedFrom ?f }}"""):
        found.setdefault(row["e"].value, set()).add(row["f"].value.rsplit("/", 1)[-1])
    return found


def _expected(correlation: float) -> Any:
    changes = [change(record, before, after, (sd_b, sd_a), n)
               for record, before, after, sd_b, sd_a, n in (
                   ("a", 22.3, 17.1, 6.1, 5.2, 14), ("b", 44.4, 22.7, 9.8, 7.5, 22))]
    return pool_changes(changes, correlation=correlation)


def test_the_build_pools_only_alike_mean_changes_and_stores_the_estimate(
    synthetic: tuple[Path, str],
) -> None:
    store = ox.Store.read_only(str(synthetic[0] / "store"))
    estimate = ("https://w3id.org/ma-ild/pooled-estimate/methotrexate/glucocorticoid-dose/"
                "mean-difference/prednisone/mg-per-day/no-timepoint")
    # the two methotrexate changes alike; not the one at 6 months, nor plasma exchange's (mg/day
    # and mg), nor any change without an SD
    assert _stored_changes(store) == {estimate: {"result-1", "result-5"}}
    [row] = store.query(f"""PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        SELECT ?v ?l ?u ?r ?unit WHERE {{ <{estimate}> maild:effectValue ?v ; maild:ciLower ?l ;
          maild:ciUpper ?u ; maild:imputedCorrelation ?r ; maild:unit ?unit ;
          maild:effectMeasure "MD" }}""")
    expected = _expected(0.5)
    assert [round(float(row[k].value), 4) for k in ("v", "l", "u")] == [
        round(expected.estimate, 4), round(expected.ci_lower, 4), round(expected.ci_upper, 4)]
    assert float(row["r"].value) == 0.5 and row["unit"].value == "mg/day"


def test_the_command_prints_the_mean_change_its_sensitivity_and_a_fitted_forest_plot(
    synthetic: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    store = str(synthetic[0] / "store")
    for correlation, others in ((None, (0.2, 0.8)), (0.8, (0.2, 0.5))):
        out = tmp_path / f"forest-{correlation}.svg"
        status = main(["pool", "--drug", "methotrexate", "--outcome", "glucocorticoid-dose",
                       "--store", store, "--out", str(out),
                       *(["--correlation", str(correlation)] if correlation else [])])
        printed = capsys.readouterr().out
        assert status == 0
        r = correlation or 0.5
        assert f"correlation r = {r:g}" in printed
        expected = _expected(r)
        assert (f"pooled {expected.estimate:.2f} mg/day (95% CI {expected.ci_lower:.2f} to "
                f"{expected.ci_upper:.2f})") in printed
        for other in others:
            at = _expected(other)
            assert (f"sensitivity, r = {other:g}: {at.estimate:.2f} mg/day (95% CI "
                    f"{at.ci_lower:.2f} to {at.ci_upper:.2f})") in printed
        svg = ET.fromstring(out.read_text(encoding="utf-8"))
        texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert "mean change, mg/day (95% CI)" in texts and "0" in texts
        ticks = [float(t) for t in texts if t and t.lstrip("-").isdigit()]
        # fitted to the intervals, with 0 (no change) on it: not the 0-1 of a proportion
        assert min(ticks) <= expected.ci_lower < expected.ci_upper <= max(ticks)
        assert min(ticks) < -1 and 0.0 in ticks
    status = main(["pool", "--drug", "plasma-exchange", "--outcome", "glucocorticoid-dose",
                   "--store", store])
    assert status == 1 and capsys.readouterr().out.startswith("no pooled estimate")
    assert main(["pool", "--drug", "methotrexate", "--outcome", "glucocorticoid-dose",
                 "--store", store, "--correlation", "1.5"]) == 2
    assert "--correlation 1.5: a within-patient correlation is between 0 and 1" in (
        capsys.readouterr().err)


MEAN_CHANGES = internal_query("pool/mean-changes")


def test_a_left_out_finding_shows_a_change_ci_only_with_its_change() -> None:
    """``maild:ciLower`` is an effect's CI or a percent's: without an effect value it is not the
    interval of a mean change, and the pooled estimate's table must not show it as one."""
    store = ox.Store()
    store.load(("""@prefix maild: <https://w3id.org/ma-ild/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <urn:e> a maild:PooledEstimate ; maild:effectMeasure "MD" ; maild:drug <urn:d> ;
          maild:outcome <urn:o> ; maild:effectValue -3.5 ; maild:ciLower -5.0 ;
          maild:ciUpper -2.0 ; maild:iSquared 0.0 ; maild:tauSquared 0.0 ;
          maild:imputedCorrelation 0.5 ; prov:wasDerivedFrom <urn:change> ;
          maild:leftOut <urn:percent> .
        <urn:change> maild:study <urn:s1> ; maild:effectValue -3.0 ; maild:ciLower -4.0 ;
          maild:ciUpper -2.0 ; maild:ciLevel 95 .
        <urn:percent> maild:study <urn:s2> ; maild:ciLower 40.0 ; maild:ciUpper 80.0 ;
          maild:ciLevel 95 ."""), format=ox.RdfFormat.TURTLE)
    rows = {str(row["finding"].value): row for row in store.query(
        bind(MEAN_CHANGES, {"drug": ox.NamedNode("urn:d"), "outcome": ox.NamedNode("urn:o")}))}
    change = rows["urn:change"]
    assert [float(change[k].value) for k in ("change", "changeLower", "changeUpper")] == [
        -3.0, -4.0, -2.0]
    percent = rows["urn:percent"]
    assert percent["role"].value == "left out"
    assert all(percent[k] is None for k in ("change", "changeLower", "changeUpper",
                                            "changeLevel"))
