"""The named questions of ``queries/`` on the five documents: exact rows, parameters, safety, errors.

Every query runs through the command line (``graph.cli.main``) on a graph built into a temporary
folder, with ``--format json``; parameter resolution and binding are also tested directly.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.errors import EndpointError, QueryError, QueryTimeoutError
from graph.query.binding import Term, bind, outer_group_start, values_block
from graph.query.catalog import (
    WORK_LOOKUP,
    NamedQuery,
    Parameter,
    WorkLookup,
    catalog,
    parse_query_file,
    prepare,
    resolve_work,
)
from graph.query.endpoints import EmbeddedStore, MemoryStore, Results
from graph.rdf.store import create_store
from graph.settings import Paths
from graph.vocabulary.concepts import load_vocabulary
from tests.checkout import CHECKOUT

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
QUERIES = CHECKOUT / "queries"
W = "https://w3id.org/ma-ild/work/"
F = "https://w3id.org/ma-ild/finding/"

COHORT = W + "doi/10.3899/jrheum.161217"
REVIEW = W + "ge-2015-34-2097"
NEWS = W + "anon-nd-tacrolimus-decreases-glucocorticoid-use-in-refractory"
CASE_SERIES = W + "rigby-2014-2-70"
CASE_REPORT = W + "ahn-nd-a-case-of-resistant-polymyositis-that"
BOHAN_2 = W + "bohan-1975-292-403"

COHORT_TITLE = (
    "Myositis-associated Interstitial Lung Disease: Predictors of Failure of Conventional "
    "Treatment and Response to Tacrolimus in a US Cohort"
)
NEWS_TITLE = (
    "Tacrolimus Decreases Glucocorticoid Use in Refractory Myositis-Associated Interstitial "
    "Lung Disease"
)
REVIEW_TITLE = (
    "The efficacy of tacrolimus in patients with refractory dermatomyositis/polymyositis: "
    "a systematic review"
)
CASE_SERIES_TITLE = (
    "Tacrolimus rescue therapy for severe respiratory failure in the anti-synthetase syndrome"
)
CASE_REPORT_TITLE = "A Case of Resistant Polymyositis That Was Successfully Treated with Tacrolimus"

COHORT_TREATED = (
    "patients who failed conventional treatment, received adjunctive tacrolimus and had "
    "sufficient data for analysis"
)
NEWS_TREATED = (
    "did not respond to conventional treatment, received adjunctive tacrolimus and met the "
    "inclusion criteria for the final analysis"
)
COHORT_ALL = (
    "patients with MA-ILD (PM, DM or CADM with ILD on HRCT) who met the inclusion criteria and "
    "received conventional treatment (prednisone plus AZA, MTX or MMF)"
)
CASE_REPORT_PATIENT = (
    "a single patient with resistant polymyositis that did not respond to multiple drug therapy "
    "and was then treated with tacrolimus"
)
D = "https://w3id.org/ma-ild/discrepancy/"
PREDNISONE_P_VALUE = ("https://w3id.org/ma-ild/discrepancy/sharma-2017-cohort-news-summary/"
                      "prednisone-dose-3-6-months/p-value")
REVIEW_DOSE = "0.075\xa0mg/kg/day or 1.0\u20133.5\xa0mg/d"

Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("q") / "build")
    build(paths, views=False)  # the HTML views are not queried here
    return paths.out / "store"


_ANSWERS: dict[tuple[str, ...], tuple[list[str], Rows]] = {}


def ask(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> tuple[list[str], Rows]:
    """Run ``ma-ild query ARGV --format json`` on the test store: its columns and rows as text.

    Answers are kept per store and arguments, as some queries take a second or two.
    """
    key = (str(store), *argv)
    if key not in _ANSWERS:
        status = main(["query", *argv, "--store", str(store), "--format", "json"])
        out, err = capsys.readouterr()
        assert status == 0, err
        assert err == ""
        document = json.loads(out)
        rows = [{k: v["value"] for k, v in row.items()} for row in document["results"]["bindings"]]
        _ANSWERS[key] = (document["head"]["vars"], rows)
    columns, rows = _ANSWERS[key]
    return list(columns), [dict(row) for row in rows]


def rows_of(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> Rows:
    return ask(capsys, store, *argv)[1]


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command line expecting a user error: exit 2, one ``error:`` line, no traceback."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert out == ""
    assert err.startswith("error: ")
    assert "Traceback" not in err
    return err


def triples(store: Path) -> int:
    return len(ox.Store.read_only(str(store)))


def local(finding: str) -> str:
    assert finding.startswith(F)
    return finding[len(F):]


def pick(row: dict[str, str], *keys: str) -> tuple[str | None, ...]:
    """The values of ``keys``; a list of drugs (SPARQL leaves its order to the engine) sorted."""
    def value(key: str) -> str | None:
        if key == "drugs" and row.get(key):
            return ", ".join(sorted(row[key].split(", ")))
        return row.get(key)
    return tuple(value(k) for k in keys)


# --------------------------------------------------------------------------------------------
# drug-outcomes

DRUG_OUTCOME_KEYS = ("outcome", "doseOf", "n", "responders", "total", "percent", "count", "before",
                     "after", "change", "pRelation", "pValue", "timepoint", "direction", "level")
TACROLIMUS_OUTCOMES = [
    ("ge-2015-systematic-review-springer-page/tacrolimus-creatine-kinase", "creatine kinase", None, "134", "68", "68", "100", None, None, None, None, None, None, None, "improved", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-glucocorticoid-dose", "glucocorticoid dose", "glucocorticoid", "134", None, None, None, None, "33.8", "11.5", None, None, None, None, "improved", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-hypertension", "hypertension", None, "134", None, None, None, None, None, None, None, None, None, None, "worsened", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-hypomagnesemia", "hypomagnesemia", None, "134", None, None, None, None, None, None, None, None, None, None, "worsened", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-muscle-strength", "muscle strength", None, "134", "42", "45", "93.3", None, None, None, None, None, None, None, "improved", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-nephrotoxicity", "nephrotoxicity", None, "134", None, None, None, None, None, None, None, None, None, None, "worsened", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-physical-function", "physical function", None, "134", "11", "17", "64.7", None, None, None, None, None, None, None, "improved", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-tremor", "tremor", None, "134", None, None, None, None, None, None, None, None, None, None, "worsened", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-dlco", "diffusing capacity of the lungs for carbon monoxide", None, "65", "13", "16", "81.3", None, None, None, None, None, None, None, "improved-or-stable", "3"),
    ("ge-2015-systematic-review-springer-page/tacrolimus-fvc", "forced vital capacity", None, "65", "25", "28", "89.3", None, None, None, None, None, None, None, "improved-or-stable", "3"),
    ("sharma-2017-cohort-news-summary/tacrolimus-dmard-dose-decrease", "DMARD dose", "conventional DMARD", "18", None, None, None, None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-ild-improvement", "ILD response", None, "18", "17", "18", "94", None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-news-summary/tacrolimus-ild-improvement", "ILD response", None, "18", "17", "18", "94", None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-1-year", "glucocorticoid dose", "prednisone", "18", None, None, None, None, "35.1", "6.8", "-81", "<", "0.001", "1 year", "improved", "4"),
    ("sharma-2017-cohort-news-summary/prednisone-dose-12-months", "glucocorticoid dose", "prednisone", "18", None, None, None, None, None, None, "-81", "<", "0.001", "12 months", "improved", "4"),
    ("sharma-2017-cohort-news-summary/prednisone-dose-3-6-months", "glucocorticoid dose", "prednisone", "18", None, None, None, None, None, None, "-65", "=", "0.02", "3 to 6 months", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months", "glucocorticoid dose", "prednisone", "18", None, None, None, None, "35.1", "12.4", "-65", "=", "0.002", "3–6 months", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-hospitalisation", "hospitalisation", None, "18", None, "18", None, "1", None, None, None, None, None, "1 year", "not-applicable", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-myositis-improvement", "myositis response", None, "18", "14", "18", "78", None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-news-summary/tacrolimus-myositis-improvement", "myositis response", None, "18", "14", "18", "78", None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-myositis-and-ild-improvement", "treatment response", None, "18", "13", "18", "72", None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-news-summary/tacrolimus-myositis-and-ild-improvement", "treatment response", None, "18", "13", "18", "72", None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-aza-dose-1-year", "DMARD dose", "azathioprine", "11", None, None, None, None, "143.2", "84.1", "-41.2", "=", "0.01", "1 year", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-aza-dose-3-6-months", "DMARD dose", "azathioprine", "11", None, None, None, None, "143.2", "89.6", "-37", "=", "0.04", "3–6 months", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-aza-discontinuation", "drug discontinuation", "azathioprine", "11", None, "11", None, "4", None, None, None, None, None, "1 year", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response", "treatment response", None, "6", "6", "6", None, None, None, None, None, "=", "0.09", None, "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-honeycombing-response", "treatment response", None, "6", "6", "6", None, None, None, None, None, None, None, None, "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-mtx-dose-1-year", "DMARD dose", "methotrexate", "5", None, None, None, None, "25", "23", "-8", "=", "0.7", "1 year", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-mtx-dose-3-6-months", "DMARD dose", "methotrexate", "5", None, None, None, None, "25", "17.5", "-30", "=", "0.3", "3–6 months", "improved", "4"),
    ("rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement", "ILD response", None, "4", "4", "4", None, None, None, None, None, None, None, "mean follow-up of 3 years", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-mmf-dose-1-year", "DMARD dose", "mycophenolate mofetil", "3", None, None, None, None, "2166.7", "0", None, "=", "0.006", "1 year", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-mmf-dose-3-6-months", "DMARD dose", "mycophenolate mofetil", "3", None, None, None, None, "2166.7", "1333.3", "-38.4", "=", "0.3", "3–6 months", "improved", "4"),
    ("ahn-polymyositis-tacrolimus-case-report-journal-page/tacrolimus-disease-control", "disease control", None, "1", None, None, None, None, None, None, None, None, None, "many years", "improved", "4"),
]


def by_finding(rows: Rows) -> dict[str, dict[str, str]]:
    found = {local(row["finding"]): row for row in rows}
    assert len(found) == len(rows), "one row per finding"
    return found


def test_drug_outcomes_of_tacrolimus_are_the_33_findings_in_evidence_order(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    columns, rows = ask(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus")
    assert columns == [
        "drugLabel", "role", "curation", "alongside", "dose", "outcome", "doseOf", "population", "n",
        "responders", "total",
        "percent", "count", "before", "after", "beforeMedian", "beforeIqr", "beforeRange",
        "afterMedian", "afterIqr", "afterRange", "median", "iqr", "range", "unit", "change",
        "pRelation", "pValue", "effectMeasure", "effectValue", "ciLower", "ciUpper", "ciLevel", "timepoint", "direction",
        "study", "design", "level", "reportedIn", "disputed", "quote", "finding",
    ]
    assert len(rows) == 33
    assert [(local(r["finding"]), *pick(r, *DRUG_OUTCOME_KEYS)) for r in rows] == TACROLIMUS_OUTCOMES
    assert {r["drugLabel"] for r in rows} == {"tacrolimus"}
    assert all(r["quote"] for r in rows)


def test_drug_outcomes_rows_of_each_document_carry_exact_values(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    found = by_finding(rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus"))

    # the cohort article: 17 of 18 improved in ILD (94%)
    assert found["sharma-2017-cohort-article-markdown/tacrolimus-ild-improvement"] == {
        "drugLabel": "tacrolimus", "role": "add-on", "curation": "curated",
        "dose": "1 mg twice daily", "outcome": "ILD response", "population": COHORT_TREATED, "n": "18",
        "responders": "17", "total": "18", "percent": "94", "direction": "improved",
        "study": COHORT_TITLE, "design": "retrospective cohort study", "level": "4",
        "reportedIn": COHORT_TITLE,
        "quote": "Ninety-four percent had improvements in ILD [...] response rates of 18 patients "
                 "who failed to respond to conventional treatment [...] 17 patients (94%) had "
                 "improvement in ILD",
        "finding": F + "sharma-2017-cohort-article-markdown/tacrolimus-ild-improvement",
    }
    # the cohort article: prednisone 35.1 mg -> 12.4 mg at 3-6 months, 65% decrease, p = 0.002
    assert found["sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months"] == {
        "drugLabel": "tacrolimus", "role": "add-on", "curation": "curated", "dose": "1 mg twice daily",
        "outcome": "glucocorticoid dose", "doseOf": "prednisone", "population": COHORT_TREATED,
        "n": "18", "before": "35.1", "after": "12.4", "unit": "mg", "change": "-65",
        "pRelation": "=", "pValue": "0.002", "timepoint": "3–6 months", "direction": "improved",
        "study": COHORT_TITLE, "design": "retrospective cohort study", "level": "4",
        "reportedIn": COHORT_TITLE, "disputed": PREDNISONE_P_VALUE,
        "quote": "The mean doses of prednisone decreased from baseline by 65% at 3–6 months "
                 "( $p = 0.002$ ) [...] the mean dose of prednisone at the time of initiation of "
                 "tacrolimus was  $35.1 \\text{ mg} \\pm 18.6 \\text{ mg}$ , which decreased to  "
                 "$12.4 \\text{ mg} \\pm 8.0 \\text{ mg}$  at 3–6 months (65% decrease,  "
                 "$p = 0.002$ )",
        "finding": F + "sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months",
    }
    # the news item says "3 to 6 months (P =.02)": reported in the news, about the cohort study
    assert found["sharma-2017-cohort-news-summary/prednisone-dose-3-6-months"] == {
        "drugLabel": "tacrolimus", "role": "add-on", "curation": "curated", "outcome": "glucocorticoid dose",
        "doseOf": "prednisone", "population": NEWS_TREATED, "n": "18", "change": "-65",
        "pRelation": "=", "pValue": "0.02", "timepoint": "3 to 6 months",
        "direction": "improved", "study": COHORT_TITLE, "design": "retrospective cohort study",
        "level": "4", "reportedIn": NEWS_TITLE, "disputed": PREDNISONE_P_VALUE,
        "quote": "The mean dose of prednisone used by the participants decreased from baseline by "
                 "65% at 3 to 6 months (P =.02)",
        "finding": F + "sharma-2017-cohort-news-summary/prednisone-dose-3-6-months",
    }
    # the review: muscle strength improved in 93.3% (42/45)
    assert found["ge-2015-systematic-review-springer-page/tacrolimus-muscle-strength"] == {
        "drugLabel": "tacrolimus", "role": "add-on", "curation": "curated", "dose": REVIEW_DOSE,
        "alongside": "glucocorticoid (background)", "outcome": "muscle strength",
        "population": "patients with refractory dermatomyositis/polymyositis who received "
                      "tacrolimus, pooled from eight non-randomised studies",
        "n": "134", "responders": "42", "total": "45", "percent": "93.3", "direction": "improved",
        "study": REVIEW_TITLE, "design": "systematic review", "level": "3",
        "reportedIn": REVIEW_TITLE,
        "quote": "Oral tacrolimus of " + REVIEW_DOSE + " was administered twice daily or once "
                 "daily together with glucocorticoids (GCs). [...] 93.3\xa0% (42/45) and "
                 "64.7\xa0% (11/17) of patients showed improvement in muscle strength and "
                 "physical function status",
        "finding": F + "ge-2015-systematic-review-springer-page/tacrolimus-muscle-strength",
    }
    # the case series: ILD improved in all four patients
    assert found["rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement"] == {
        "drugLabel": "tacrolimus", "role": "add-on", "curation": "curated", "outcome": "ILD response",
        "population": "consecutive patients with anti-synthetase syndrome and significant ILD "
                      "treated with tacrolimus as rescue/salvage therapy at a quaternary referral "
                      "hospital, 2009-2013",
        "n": "4", "responders": "4", "total": "4", "timepoint": "mean follow-up of 3 years",
        "direction": "improved", "study": CASE_SERIES_TITLE, "design": "case series",
        "level": "4", "reportedIn": CASE_SERIES_TITLE,
        "quote": "Tacrolimus use was associated with improvement in ILD in all four patients with "
                 "a mean follow-up of 3 years. [...] which may be associated with a dramatic and "
                 "enduring response",
        "finding": F + "rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement",
    }
    # the case report: disease controlled for many years on 2 mg/day
    assert found["ahn-polymyositis-tacrolimus-case-report-journal-page/tacrolimus-disease-control"] == {
        "drugLabel": "tacrolimus", "role": "studied", "curation": "curated", "dose": "2 mg/day",
        "outcome": "disease control",
        "population": CASE_REPORT_PATIENT, "n": "1", "timepoint": "many years",
        "direction": "improved", "study": CASE_REPORT_TITLE, "design": "case report",
        "level": "4", "reportedIn": CASE_REPORT_TITLE,
        "quote": "but it did respond to tacrolimus [...] After treatment with tacrolimus, the "
                 "patient's disease has been well controlled for many years. [...] Tacrolimus "
                 "(2 mg/day)",
        "finding": F + "ahn-polymyositis-tacrolimus-case-report-journal-page/tacrolimus-disease-control",
    }


@pytest.mark.parametrize("spelling", ["FK506", "FK-506", "fk 506", "Tacrolimus"])
def test_a_synonym_of_tacrolimus_gives_the_same_rows(
    capsys: pytest.CaptureFixture[str], store: Path, spelling: str
) -> None:
    reference = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus")
    assert rows_of(capsys, store, "drug-outcomes", "--param", f"drug={spelling}") == reference


def test_the_calcineurin_inhibitor_class_adds_the_failed_cyclosporine(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    tacrolimus = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus")
    rows = rows_of(capsys, store, "drug-outcomes", "--param", "drug=calcineurin-inhibitor")
    assert len(rows) == 34
    assert Counter(r["drugLabel"] for r in rows) == {"tacrolimus": 33, "cyclosporine": 1}
    [cyclosporine] = [r for r in rows if r["drugLabel"] == "cyclosporine"]
    assert cyclosporine == {
        "drugLabel": "cyclosporine", "role": "prior-failed", "curation": "curated",
        "dose": "100 mg/day",
        "outcome": "myositis response", "population": CASE_REPORT_PATIENT, "n": "1",
        "direction": "no-change", "study": CASE_REPORT_TITLE, "design": "case report",
        "level": "4", "reportedIn": CASE_REPORT_TITLE,
        "quote": "did not respond to multiple drug therapy [...] Cyclosporine (100",
        "finding": F + "ahn-polymyositis-tacrolimus-case-report-journal-page/cyclosporine-prior-failed",
    }
    assert [r for r in rows if r["drugLabel"] == "tacrolimus"] == tacrolimus


# --------------------------------------------------------------------------------------------
# antibody-findings

ANTIBODY_KEYS = ("antibodyLabel", "via", "kind", "drugs", "n", "responders", "total", "percent",
                 "count", "group1", "group2", "pRelation", "pValue", "direction", "level")
RESPONDED_CONVENTIONAL = "patients who responded to conventional treatment (improvement in myositis and/or ILD): "
FAILED_CONVENTIONAL = "patients who failed conventional treatment (refractory myositis and/or refractory ILD after at least 6 months): "
RESPONDED_TACROLIMUS = "tacrolimus-treated patients who responded to tacrolimus (improvement in both myositis and ILD): "
FAILED_TACROLIMUS = "tacrolimus-treated patients who did not respond to tacrolimus: "
ANTI_JO1_ROWS = [
    ("sharma-2017-cohort-article-markdown/cohort-anti-jo1", "anti-Jo-1 antibody", "measured", "characteristic", None, "54", None, "54", "50", "27", None, None, None, None, "not-applicable", "4"),
    ("sharma-2017-cohort-article-markdown/conventional-response-anti-jo1", "anti-Jo-1 antibody", "measured", "comparison", "conventional DMARD (studied), prednisone (studied)", "54", None, None, None, None, RESPONDED_CONVENTIONAL + "18", FAILED_CONVENTIONAL + "9", "=", "0.17", "not-applicable", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response", "anti-Jo-1 antibody", "population positive", "outcome", "tacrolimus (add-on)", "6", "6", "6", None, None, None, None, "=", "0.09", "improved", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-response-anti-jo1", "anti-Jo-1 antibody", "measured", "comparison", "tacrolimus (add-on)", "18", None, None, None, None, RESPONDED_TACROLIMUS + "6", FAILED_TACROLIMUS + "0", "=", "0.09", "not-applicable", "4"),
]
ANTI_PL7_ROWS = [
    ("sharma-2017-cohort-article-markdown/cohort-pl-7", "anti-PL-7 antibody", "measured", "characteristic", None, "54", None, "54", "1.9", "1", None, None, None, None, "not-applicable", "4"),
    ("sharma-2017-cohort-article-markdown/conventional-response-pl-7", "anti-PL-7 antibody", "measured", "comparison", "conventional DMARD (studied), prednisone (studied)", "54", None, None, None, None, RESPONDED_CONVENTIONAL + "0", FAILED_CONVENTIONAL + "1", "=", "0.43", "not-applicable", "4"),
    ("sharma-2017-cohort-article-markdown/tacrolimus-response-pl-7", "anti-PL-7 antibody", "measured", "comparison", "tacrolimus (add-on)", "18", None, None, None, None, RESPONDED_TACROLIMUS + "0", FAILED_TACROLIMUS + "1", "=", "0.28", "not-applicable", "4"),
]


def test_the_anti_synthetase_class_gives_the_anti_jo1_and_anti_pl7_findings(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "antibody-findings", "--param", "antibody=anti-synthetase-antibody")
    # and the two of the anti-synthetase syndrome case series (issue 23): see below
    cohort = [r for r in rows if r["study"] == COHORT_TITLE]
    assert len(cohort) == 7
    assert [(local(r["finding"]), *pick(r, *ANTIBODY_KEYS)) for r in cohort] == (
        ANTI_JO1_ROWS + ANTI_PL7_ROWS
    )
    assert {r["study"] for r in rows} == {COHORT_TITLE, CASE_SERIES_TITLE}
    table3 = by_finding(rows)["sharma-2017-cohort-article-markdown/tacrolimus-response-anti-jo1"]
    assert table3 == {
        "antibodyLabel": "anti-Jo-1 antibody", "via": "measured",
        "status": "tested: positive and negative counted", "curation": "curated",
        "kind": "comparison", "drugs": "tacrolimus (add-on)", "population": COHORT_TREATED,
        "n": "18",
        "group1": RESPONDED_TACROLIMUS + "6", "group2": FAILED_TACROLIMUS + "0",
        "pRelation": "=", "pValue": "0.09", "direction": "not-applicable",
        "study": COHORT_TITLE, "level": "4", "quote": "Anti-Jo1\t6\t0\t0.09",
        "finding": F + "sharma-2017-cohort-article-markdown/tacrolimus-response-anti-jo1",
    }
    positive = by_finding(rows)["sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response"]
    assert positive["population"] == (
        "anti-Jo1-positive patients refractory to conventional treatment who received tacrolimus"
    )
    assert positive["outcome"] == "treatment response"


@pytest.mark.parametrize("spelling", ["Jo1", "anti-Jo-1", "anti-jo-1", "Anti Jo1"])
def test_one_antibody_gives_its_own_rows_only(
    capsys: pytest.CaptureFixture[str], store: Path, spelling: str
) -> None:
    rows = rows_of(capsys, store, "antibody-findings", "--param", f"antibody={spelling}")
    assert [(local(r["finding"]), *pick(r, *ANTIBODY_KEYS)) for r in rows] == ANTI_JO1_ROWS


# --------------------------------------------------------------------------------------------
# drugs-for-outcome, studies-by-design


def test_drugs_for_ild_response(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    columns, rows = ask(capsys, store, "drugs-for-outcome", "--param", "outcome=ild-response")
    assert columns == ["drug", "role", "evidence", "curation", "direction", "findings", "studies",
                       "bestLevel", "maxPatients", "disputed"]
    # the cohort article, the news item on it (same study) and the case series
    assert rows == [{"drug": "tacrolimus", "role": "add-on", "evidence": "yes",
                     "curation": "curated", "direction": "improved", "findings": "3", "studies": "2", "bestLevel": "4",
                     "maxPatients": "18", "disputed": "0"}]
    assert rows_of(capsys, store, "drugs-for-outcome", "--param", "outcome=ILD response") == rows


def test_drugs_for_outcome_counts_the_disputed_findings_drug_outcomes_flags(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    """A ranked row says how many of its findings another statement disagrees with: the
    findings `drug-outcomes` lists with a discrepancy, for the same drug, outcome and direction."""
    ranked = rows_of(capsys, store, "drugs-for-outcome", "--param", "outcome=glucocorticoid-dose")
    [row] = [r for r in ranked if r["drug"] == "tacrolimus" and r["role"] == "add-on"]
    listed = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus")
    flagged = {r["finding"] for r in listed if r["outcome"] == "glucocorticoid dose"
               and r.get("direction") == row["direction"] and r.get("disputed")}
    assert len(flagged) >= 2  # the article's and the news summary's 3-6 month prednisone dose
    assert row["disputed"] == str(len(flagged))
    assert all(r["disputed"] == "0" for r in ranked if r["drug"] == "glucocorticoid")


def test_a_background_drug_is_listed_apart_never_as_evidence(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    """In the review, glucocorticoid was given alongside tacrolimus: not evidence for FVC."""
    rows = rows_of(capsys, store, "drugs-for-outcome", "--param", "outcome=FVC")
    assert [pick(r, "drug", "role", "evidence", "findings") for r in rows] == [
        ("tacrolimus", "add-on", "yes", "1"),
        ("glucocorticoid", "background", "no", "1"),
    ]
    evidence = [r["drug"] for r in rows if r["evidence"] == "yes"]
    assert "glucocorticoid" not in evidence


def test_every_drug_outcome_row_names_the_role_of_each_drug(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "drug-outcomes", "--param", "drug=glucocorticoid")
    roles = {r["role"] for r in rows}
    assert roles <= {"studied", "add-on", "background", "prior-failed", "comparator", "unknown"}
    fvc = [r for r in rows if r.get("outcome") == "forced vital capacity"]
    assert [pick(r, "role", "alongside") for r in fvc] == [
        ("background", "tacrolimus (add-on)")]


def test_studies_by_design_lists_the_five_documents(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "studies-by-design")
    # the cohort study had no control group for tacrolimus: graded as a case series (issue 23)
    assert [pick(r, "designLabel", "level", "controlGroup", "work", "title", "year", "patients")
            for r in rows] == [
        ("systematic review", "3", "false", REVIEW, REVIEW_TITLE, "2015", "134"),
        ("case report", "4", "false", CASE_REPORT, CASE_REPORT_TITLE, None, "1"),
        ("case series", "4", "false", CASE_SERIES, CASE_SERIES_TITLE, "2014", "4"),
        ("retrospective cohort study", "4", "false", COHORT, COHORT_TITLE, "2017", "54"),
        ("news report", "5", "false", NEWS, NEWS_TITLE, None, None),
    ]
    assert all(int(r["findings"]) > 0 for r in rows)
    [series] = rows_of(capsys, store, "studies-by-design", "--param", "design=case-series")
    assert series == next(r for r in rows if r["designLabel"] == "case series")
    assert pick(series, "work", "findings", "patients") == (CASE_SERIES, "2", "4")
    assert rows_of(capsys, store, "studies-by-design", "--param", "design=systematic review") == [
        next(r for r in rows if r["designLabel"] == "systematic review")
    ]


# --------------------------------------------------------------------------------------------
# citations


REVIEW_CITES = {
    W + "labirua-iturburu-2013-31-436", W + "shimojima-2012-13-228", W + "wallemacq-2001-40-283",
    W + "yokoyama-2015-16-1", W + "ge-2015-34-99", W + "matsubara-2012-31-1493",
    W + "shimojima-2004-23-262", W + "american-thoracic-society-2000-161-646",
    W + "ingegnoli-2012-11-335", BOHAN_2, W + "ando-2010-29-443", W + "oddis-1999-353-1762",
    W + "mitsui-2011-111-188", W + "kurita-2015-54-1536", W + "wilkes-2005-52-2439",
    W + "hassan-2008-27-1469",
}


def test_citations_of_the_review_at_depth_1_and_2(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    columns, one = ask(capsys, store, "citations-of-work", "--param", "work=ge-2015-34-2097")
    assert columns == ["direction", "steps", "other", "title", "year", "isCorpusDocument"]
    assert len(one) == 17
    assert [pick(r, "direction", "steps", "other", "year", "isCorpusDocument")
            for r in one if r["direction"] == "cited by"] == [
        ("cited by", "1", COHORT, "2017", "true"),
    ]
    cites = [r for r in one if r["direction"] == "cites"]
    assert {r["other"] for r in cites} == REVIEW_CITES
    assert {(r["steps"], r["isCorpusDocument"]) for r in cites} == {("1", "false")}

    two = rows_of(capsys, store, "citations-of-work", "--param", "work=ge-2015-34-2097",
                  "--param", "depth=2")
    assert len(two) == 18
    assert [pick(r, "direction", "steps", "other", "title", "isCorpusDocument")
            for r in two if r["direction"] == "cited by"] == [
        ("cited by", "1", COHORT, COHORT_TITLE, "true"),
        ("cited by", "2", NEWS, NEWS_TITLE, "true"),
    ]
    assert [r for r in two if r["direction"] == "cites"] == cites


def test_citation_chains_from_the_cohort_to_bohan_and_peter_part_2(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    columns, rows = ask(capsys, store, "citation-chains", "--param", "from=10.3899/jrheum.161217",
                        "--param", "to=bohan-1975-292-403")
    assert columns == ["steps", "via1", "via2", "via3"]
    assert rows == [{"steps": "1"}, {"steps": "2", "via1": REVIEW}]


def test_most_cited_works(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    rows = rows_of(capsys, store, "most-cited")
    assert [pick(r, "work", "year", "citedBy") for r in rows[:4]] == [
        (BOHAN_2, "1975", "3"),
        (W + "takada-2005-38-383", "2005", "3"),
        (W + "oddis-1999-353-1762", "1999", "3"),
        (W + "wilkes-2005-52-2439", "2005", "3"),
    ]
    assert rows[0]["title"] == "Polymyositis and dermatomyositis (second of two parts)"
    assert all(int(r["citedBy"]) < 3 for r in rows[4:])
    top = rows_of(capsys, store, "most-cited", "--limit", "4", "--columns", "citedBy,work")
    assert top == [{"citedBy": r["citedBy"], "work": r["work"]} for r in rows[:4]]


def test_shared_citations_are_exactly_ten_works(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "shared-citations")
    assert [pick(r, "work", "citingDocuments", "printedForms") for r in rows] == [
        (BOHAN_2, "3", "3"),
        (W + "takada-2005-38-383", "3", "3"),
        (W + "oddis-1999-353-1762", "3", "3"),
        (W + "wilkes-2005-52-2439", "3", "3"),
        (W + "labirua-iturburu-2013-31-436", "2", "2"),
        (W + "shimojima-2012-13-228", "2", "2"),
        (W + "american-thoracic-society-2000-161-646", "2", "2"),
        (W + "yamasaki-2007-46-124", "2", "2"),
        (W + "ando-2010-29-443", "2", "2"),
        (W + "kurita-2015-54-1536", "2", "2"),
    ]
    oddis = rows[2]
    assert set(oddis["citedBy"].split(" | ")) == {COHORT_TITLE, REVIEW_TITLE, CASE_REPORT_TITLE}
    yamasaki = rows[7]
    assert set(yamasaki["citedBy"].split(" | ")) == {CASE_REPORT_TITLE, CASE_SERIES_TITLE}


def test_citation_edges_are_the_74_printed_references(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    columns, rows = ask(capsys, store, "citation-edges")
    assert columns == ["citing", "citingTitle", "cited", "citedTitle", "reference"]
    assert len(rows) == 74
    assert Counter(r["citing"] for r in rows) == {
        COHORT: 39, REVIEW: 16, CASE_REPORT: 13, CASE_SERIES: 5, NEWS: 1,
    }
    [news] = [r for r in rows if r["citing"] == NEWS]
    assert news["cited"] == COHORT
    assert news["reference"].startswith("Sharma N, Putman MS, Vij R, Strek ME, Dua A.")
    assert len({(r["citing"], r["cited"]) for r in rows}) == 74


# --------------------------------------------------------------------------------------------
# discrepancies, curation gaps, prior therapies, external identifiers


def test_discrepancies_give_the_p_value_and_journal_conflicts(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "discrepancies")
    assert Counter(r["field"] for r in rows) == {
        "journal": 2, "p_value": 2, "pageStart": 2, "count": 6, "mean": 2, "definition": 2,
        "expansion": 2}
    p_values = [r for r in rows if r["field"] == "p_value"]
    assert [pick(r, "concerns", "statement", "statedIn") for r in p_values] == [
        (F + "sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months",
         F + "sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months",
         COHORT_TITLE),
        (F + "sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months",
         F + "sharma-2017-cohort-news-summary/prednisone-dose-3-6-months",
         NEWS_TITLE),
    ]
    assert {r["explanation"] for r in p_values} == {
        "p_value is =0.02 in the secondary report but =0.002 in the article it reports on"
    }
    assert p_values[1]["text"] == (
        "The mean dose of prednisone used by the participants decreased from baseline by 65% at "
        "3 to 6 months (P =.02)"
    )
    assert "( $p = 0.002$ )" in p_values[0]["text"]

    journals = [r for r in rows if r["field"] == "journal"]
    assert {r["concerns"] for r in journals} == {COHORT}
    assert {r["explanation"] for r in journals} == {
        "the secondary report names 'Annals of the Rheumatic Diseases' but the article appeared "
        "in 'J Rheumatol'"
    }
    assert sorted((r["statedIn"], r["text"]) for r in journals) == [
        (COHORT_TITLE, "J Rheumatol"),
        (NEWS_TITLE, "A retrospective cohort study, published in Annals of the Rheumatic Diseases"),
    ]


def test_curation_gaps_per_kind(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    rows = rows_of(capsys, store, "curation-gaps")
    assert Counter(r["gap"] for r in rows) == {
        "comparison without a p-value": 23,
        "outcome without numbers": 14,
    }
    gaps = {(r["gap"], local(r["finding"])) for r in rows}
    assert ("outcome without numbers",
            "ahn-polymyositis-tacrolimus-case-report-journal-page/tacrolimus-disease-control") in gaps
    assert ("outcome without numbers",
            "sharma-2017-cohort-news-summary/tacrolimus-dmard-dose-decrease") in gaps
    without_numbers = Counter(r["document"] for r in rows if r["gap"] == "outcome without numbers")
    assert without_numbers == {CASE_REPORT_TITLE: 9, REVIEW_TITLE: 4, NEWS_TITLE: 1}
    assert {r["document"] for r in rows if r["gap"] == "comparison without a p-value"} == {
        COHORT_TITLE
    }


def test_prior_therapies_before_tacrolimus_are_the_case_reports_failed_drugs(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "prior-therapies")
    # by drug, then dose (a finding that gives none first, as SPARQL orders unbound values)
    assert [pick(r, "priorDrug", "dose") for r in rows] == [
        ("azathioprine", None),
        ("azathioprine", "100 mg/day"),
        ("cyclophosphamide", "50 mg/day"),
        ("cyclosporine", "100 mg/day"),
        ("glucocorticoid", None),
        ("glucocorticoid", "tapering from 1 mg/kg/day"),
        ("infliximab", "300 mg"),
        ("intravenous immunoglobulin", "400 mg/day"),
        ("methotrexate", None),
        ("methotrexate", "10 mg/week"),
    ]
    assert {pick(r, "outcome", "direction", "population", "study", "design") for r in rows} == {
        ("myositis response", "no-change", CASE_REPORT_PATIENT, CASE_REPORT_TITLE, "case report")
    }
    assert rows[2]["quote"] == (
        "did not respond to multiple drug therapy [...] Cyclophosphamide (50 mg/day)"
    )
    # the default drug is tacrolimus
    assert rows_of(capsys, store, "prior-therapies", "--param", "drug=FK506") == rows


def test_external_ids_give_tacrolimus_its_chebi_drugbank_mesh_and_rxnorm_iris(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    columns, rows = ask(capsys, store, "external-ids", "--param", "entity=FK506")
    assert columns == ["via", "relation", "target", "targetLabel"]
    exact = {row["target"] for row in rows if row["relation"] == "exactMatch"}
    assert {
        "http://purl.obolibrary.org/obo/CHEBI_61049",
        "http://identifiers.org/drugbank/DB00864",
        "http://id.nlm.nih.gov/mesh/D016559",
        "http://purl.bioontology.org/ontology/RXNORM/42316",
    } <= exact


def test_external_ids_lead_from_anti_jo_1_to_its_antigens_uniprot_and_hgnc_entries(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    _columns, rows = ask(capsys, store, "external-ids", "--param", "entity=Jo-1")
    antigen = {row["target"] for row in rows
               if row["via"] == "target antigen: histidyl-tRNA synthetase"
               and row["relation"] == "exactMatch"}
    assert antigen == {"http://purl.uniprot.org/uniprot/P12081",
                       "http://identifiers.org/hgnc/4816"}


def test_the_table_format_counts_the_rows(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    status = main(["query", "drug-outcomes", "--param", "drug=tacrolimus", "--store", str(store)])
    out = capsys.readouterr().out
    assert status == 0
    assert "(33 rows)" in out.splitlines()
    assert out.splitlines()[0].split()[:4] == ["drugLabel", "role", "curation", "alongside"]


# --------------------------------------------------------------------------------------------
# the catalog


def test_the_queries_command_lists_every_file_with_question_and_parameters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    listing: dict[str, list[str]] = {}
    name = ""
    for line in out.splitlines():
        if line.startswith("    "):
            listing[name].append(line.strip())
        else:
            name, question = line.split(": ", 1)
            listing[name] = [question]
    files = sorted(QUERIES.glob("*.rq"))
    assert files
    assert list(listing) == [path.stem for path in files]
    for path in files:
        text = path.read_text(encoding="utf-8")
        question = text.splitlines()[0].removeprefix("# ")
        declared = re.findall(r"^#\s+(\w+) \(([^),]*)[^)]*\): (.*)$", text, re.MULTILINE)
        assert listing[path.stem][0] == question
        shown = listing[path.stem][1:]
        assert len(shown) == len(declared), path.stem
        for line, (name, type_part, description) in zip(shown, declared, strict=True):
            assert line.startswith(f"--param {name}=...  ({type_part}, ")
            assert line.endswith(f") {description}")
    assert listing["drug-outcomes"][1] == (
        "--param drug=...  (entity drug, required) a drug or drug class by id, label or synonym "
        "(tacrolimus, FK506)"
    )
    assert listing["citations-of-work"][2] == (
        "--param depth=...  (integer, default 1) how many citation steps to follow (1-4)"
    )
    assert listing["studies-by-design"][1].startswith("--param design=...  (entity design, optional)")
    assert listing["prior-therapies"][1].startswith("--param drug=...  (entity drug, default tacrolimus)")
    assert listing["most-cited"] == ["Which works are cited most often by the corpus?"]


def test_every_named_query_file_has_a_header_the_catalog_reads() -> None:
    for path in sorted(QUERIES.glob("*.rq")):
        query = parse_query_file(path)
        assert query.question.endswith(("?", ".")), path
        assert query.columns, path
        assert outer_group_start(query.text) > 0


# --------------------------------------------------------------------------------------------
# parameters


def _lookup(store: Path) -> WorkLookup:
    """Work titles looked up in the test store, as the command line does."""

    def lookup(piece: str, in_titles: bool) -> list[tuple[str, str]]:
        query = bind(WORK_LOOKUP, {"needle": ox.Literal(piece), "titles": ox.Literal(in_titles)})
        return [(s["work"].value, s["title"].value)
                for s in ox.Store.read_only(str(store)).query(query)]

    return lookup


@pytest.mark.parametrize(
    "given",
    [
        REVIEW,  # an IRI
        "ge-2015-34-2097",  # a work key
        "refractory dermatomyositis/polymyositis: a systematic",  # a unique piece of the title
        "DERMATOMYOSITIS/POLYMYOSITIS: A SYSTEMATIC",  # title words in any case
    ],
)
def test_a_work_resolves_from_iri_key_or_title_piece(
    capsys: pytest.CaptureFixture[str], store: Path, given: str
) -> None:
    assert resolve_work(given, _lookup(store)) == ox.NamedNode(REVIEW)
    rows = rows_of(capsys, store, "citations-of-work", "--param", f"work={given}")
    assert len(rows) == 17
    assert rows == rows_of(capsys, store, "citations-of-work", "--param", "work=ge-2015-34-2097")


@pytest.mark.parametrize(
    "given",
    ["10.3899/jrheum.161217", "doi:10.3899/jrheum.161217", "https://doi.org/10.3899/JRHEUM.161217",
     "http://dx.doi.org/10.3899/jrheum.161217", COHORT, "Predictors of Failure of Conventional"],
)
def test_a_work_resolves_from_a_doi_in_every_spelling(
    capsys: pytest.CaptureFixture[str], store: Path, given: str
) -> None:
    assert resolve_work(given, _lookup(store)) == ox.NamedNode(COHORT)
    rows = rows_of(capsys, store, "citation-chains", "--param", f"from={given}",
                   "--param", "to=Polymyositis and dermatomyositis (second of two parts)")
    assert rows == [{"steps": "1"}, {"steps": "2", "via1": REVIEW}]


def test_a_chain_passes_each_work_once_though_two_works_cite_each_other(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A cites B, B and C cite each other, B cites D: from A to D one chain, A -> B -> D, not
    also the walk A -> B -> C -> B -> D through B twice (the view lists chains the same way)."""
    a, b, c, d = (f"{W}{name}" for name in "abcd")
    lines = [f"<{w}> <http://purl.org/dc/terms/title> \"work {w[-1]}\" ." for w in (a, b, c, d)]
    lines += [f"<{x}> <http://purl.org/spar/cito/cites> <{y}> ."
              for x, y in ((a, b), (b, c), (c, b), (b, d))]
    nt = tmp_path / "cycle.nt"
    nt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    create_store(tmp_path / "store", nt)
    rows = rows_of(capsys, tmp_path / "store", "citation-chains", "--param", f"from={a}",
                   "--param", f"to={d}")
    assert rows == [{"steps": "2", "via1": b}]


def test_an_ambiguous_title_piece_lists_the_candidates(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    err = fails(capsys, "query", "citations-of-work", "--param", "work=Dermatomyositis (",
                "--store", str(store))
    assert "'Dermatomyositis (' matches 2 works: " in err
    assert f"{W}bohan-1975-292-344 (Polymyositis and dermatomyositis (first of two parts))" in err
    assert f"{BOHAN_2} (Polymyositis and dermatomyositis (second of two parts))" in err

    err = fails(capsys, "query", "citations-of-work", "--param", "work=a systematic review",
                "--store", str(store))
    assert err == (
        "error: 'a systematic review' matches 2 works: "
        f"{REVIEW} (The efficacy of tacrolimus in patients with refractory derma); "
        f"{W}ge-2015-34-99 (Cyclophosphamide treatment for idiopathic inflammatory myopa)\n"
    )
    err = fails(capsys, "query", "citations-of-work", "--param", "work=tacrolimus",
                "--store", str(store))
    assert "'tacrolimus' matches 18 works: " in err
    assert err.count("; ") == 7  # eight candidates shown
    with pytest.raises(QueryError, match="matches 18 works"):
        resolve_work("tacrolimus", _lookup(store))


@pytest.mark.parametrize(
    "given", ["10.1002/rcr2.52", "https://doi.org/10.1002/RCR2.52", "Rigby 2014", "rigby et al. 2014",
              "tacrolimus rescue therapy", "respiratory failure tacrolimus anti-synthetase"])
def test_a_work_resolves_from_the_doi_on_its_node_its_author_year_or_title_words(
    store: Path, given: str
) -> None:
    # Rigby 2014's IRI is minted from author, year, volume and page; its DOI is a fact on the node
    assert resolve_work(given, _lookup(store)) == ox.NamedNode(f"{W}rigby-2014-2-70")


@pytest.mark.parametrize(("given", "works"), [
    ("Bohan 1975", ["bohan-1975-292-344", "bohan-1975-292-403"]),
    ("Bohan & Peter 1975", ["bohan-1975-292-344", "bohan-1975-292-403"]),
    ("Ge 2015", ["ge-2015-34-2097", "ge-2015-34-99"]),
])
def test_an_author_year_naming_several_works_lists_them(
    capsys: pytest.CaptureFixture[str], store: Path, given: str, works: list[str]
) -> None:
    err = fails(capsys, "query", "citations-of-work", "--param", f"work={given}",
                "--store", str(store))
    assert f"{given!r} matches {len(works)} works: " in err
    assert all(f"{W}{work} (" in err for work in works)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["drug-outcomes", "--param", "drug=aspirinx"],
         "parameter drug='aspirinx': no drug is called 'aspirinx' in the vocabulary"),
        (["antibody-findings", "--param", "antibody=tacrolimus"],
         "no antibody is called 'tacrolimus' in the vocabulary"),
        (["drugs-for-outcome", "--param", "outcome=anti-Jo-1"],
         "no outcome is called 'anti-Jo-1' in the vocabulary"),
        (["studies-by-design", "--param", "design=meta-analysis of everything"],
         "no design is called 'meta-analysis of everything' in the vocabulary"),
        (["external-ids", "--param", "entity=unobtainium"],
         "no entity is called 'unobtainium' in the vocabulary"),
        (["citations-of-work", "--param", "work=No Such Title Anywhere"],
         "no work matches 'No Such Title Anywhere' (give an IRI, DOI, PMID, PMCID, key, "
         '"Author Year" or title words)'),
        (["citations-of-work", "--param", "work=ge-2015-34-2097", "--param", "depth=two"],
         "parameter depth='two': invalid literal for int()"),
    ],
)
def test_an_unknown_entity_names_the_kind(
    capsys: pytest.CaptureFixture[str], store: Path, argv: list[str], message: str
) -> None:
    assert message in fails(capsys, "query", *argv, "--store", str(store))


# --------------------------------------------------------------------------------------------
# injection

EVIL = '" } ; DROP ALL #'


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["drug-outcomes", "--param", "drug=tacrolimus> } ; DROP ALL ; #"],
         "no drug is called 'tacrolimus> } ; DROP ALL ; #'"),
        (["drug-outcomes", "--param", "drug=<https://w3id.org/ma-ild/vocab/tacrolimus>"],
         "no drug is called"),
        (["citations-of-work", "--param", 'work=x" } ; DROP ALL ; #'],
         "no work matches 'x\" } ; DROP ALL ; #'"),
        (["citations-of-work", "--param", "work=systematic review')) } } DROP ALL {{ #"],
         "no work matches"),
        (["citations-of-work", "--param", "work=https://w3id.org/ma-ild/work/x> } ; DROP ALL ; #"],
         "parameter work='https://w3id.org/ma-ild/work/x> } ; DROP ALL ; #': Invalid IRI"),
        (["citations-of-work", "--param", "work=ge-2015-34-2097", "--param",
          "depth=1) } DROP ALL #"], "parameter depth='1) } DROP ALL #'"),
    ],
)
def test_sparql_in_a_parameter_is_a_clear_error_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], store: Path, argv: list[str], message: str
) -> None:
    before = triples(store)
    assert message in fails(capsys, "query", *argv, "--store", str(store))
    assert triples(store) == before


@pytest.mark.parametrize(
    "work",
    ["doi:10.3899/x>}<http://a>DROP_ALL#", "10.3899/jrheum.161217>}INSERT{<a><b><c>}WHERE{"],
)
def test_sparql_in_a_doi_is_an_unknown_work_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], store: Path, work: str
) -> None:
    before = triples(store)
    with pytest.raises(QueryError, match="no work matches"):
        resolve_work(work, _lookup(store))
    assert "no work matches" in fails(capsys, "query", "citations-of-work", "--param",
                                      f"work={work}", "--store", str(store))
    assert triples(store) == before


def test_a_title_piece_with_quotes_and_braces_is_data(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    before = triples(store)
    assert _lookup(store)(EVIL, True) == []
    # braces and parentheses that are really in a title still find it
    piece = "dermatomyositis (second of two parts)"
    assert resolve_work(piece, _lookup(store)) == ox.NamedNode(BOHAN_2)
    rows = rows_of(capsys, store, "citations-of-work", "--param", f"work={piece}")
    assert {r["direction"] for r in rows} == {"cited by"}
    assert triples(store) == before


def test_bind_escapes_a_literal_so_the_query_keeps_its_shape(store: Path) -> None:
    query = bind(WORK_LOOKUP, {"needle": ox.Literal(EVIL), "titles": ox.Literal(True)})
    assert '"\\" } ; DROP ALL #"' in query
    assert query.count("VALUES") == 1
    before = triples(store)
    assert list(ox.Store.read_only(str(store)).query(query)) == []
    assert triples(store) == before
    # the whole value comes back as one literal, unchanged
    echo = bind("SELECT ?needle WHERE { }", {"needle": ox.Literal(EVIL)})
    [solution] = list(ox.Store().query(echo))
    assert solution["needle"] == ox.Literal(EVIL)


@pytest.mark.parametrize(
    "value",
    [EVIL, "a'''b\"\"\"c", "line\nbreak } #", "back\\slash\\\" }", "\u2013 dash { é }"],
)
def test_any_string_round_trips_through_a_values_block(value: str) -> None:
    assert "\n" not in values_block({"x": ox.Literal(value)})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal(value)))
    store.add(ox.Quad(ox.NamedNode("http://t"), ox.NamedNode("http://p"), ox.Literal("other")))
    # the value matches exactly the triple that holds it: it is data, not query text
    query = bind("SELECT ?s WHERE { ?s ?p ?x }", {"x": ox.Literal(value)})
    assert [solution["s"] for solution in store.query(query)] == [ox.NamedNode("http://s")]
    echo = bind("SELECT ?x WHERE { }", {"x": ox.Literal(value)})
    [solution] = list(store.query(echo))
    assert solution["x"] == ox.Literal(value)


def _query(*params: Parameter) -> NamedQuery:
    text = "# A test query.\nSELECT ?s WHERE { ?s ?p ?o }\n"
    return NamedQuery("test", Path("test.rq"), "A test query.", "", params, ("s",), text)


def test_prepare_binds_strings_as_literals_and_refuses_bad_iris() -> None:
    vocabulary = load_vocabulary(ONTOLOGY / "vocabulary")
    string = Parameter("s", "string", None, True, None, "a string")
    text = prepare(_query(string), {"s": EVIL}, vocabulary, lambda piece: [])
    assert text.startswith('# A test query.\nSELECT ?s WHERE { VALUES (?s) { ("\\" } ; DROP ALL #") }')
    assert list(ox.Store().query(text)) == []

    iri = Parameter("s", "iri", None, True, None, "an IRI")
    with pytest.raises(QueryError, match="parameter s="):
        prepare(_query(iri), {"s": "http://x/> } DROP ALL #"}, vocabulary, lambda piece: [])
    with pytest.raises(QueryError, match="parameter s="):
        prepare(_query(iri), {"s": "no scheme"}, vocabulary, lambda piece: [])


# --------------------------------------------------------------------------------------------
# outer_group_start


@pytest.mark.parametrize(
    ("query", "inside"),
    [
        ("PREFIX ex: <http://example.org/ns#>\nPREFIX f: <http://x/a?b=c&d#e>\nSELECT ?s WHERE { ?s a ex:T }",
         " ?s a ex:T }"),
        ('SELECT ?s WHERE { ?s ?p "}{" . ?s ?q \'}\' . ?s ?r """a } "b" {""" }',
         ' ?s ?p "}{" .'),
        ('SELECT ("{" AS ?b) (\'#\' AS ?c) WHERE { ?s ?p ?o }', " ?s ?p ?o }"),
        ("# SELECT * WHERE { }\nSELECT ?s # WHERE {\nWHERE # {\n{ ?s ?p ?o }", " ?s ?p ?o }"),
        ("SELECT ?s ?n WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } }",
         " { SELECT ?s (COUNT(*)"),
        ("SELECT * { { SELECT ?s WHERE { ?s ?p ?o } } }", " { SELECT ?s WHERE"),
        ('CONSTRUCT { ?s ?p "{" . ?s <http://x/#where> ?o } WHERE { ?s ?p ?o }', " ?s ?p ?o }"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
        ("ASK { ?s ?p ?o }", " ?s ?p ?o }"),
        ("SELECT ?where ?nowhere ?x_where WHERE { ?s ?p ?where }", " ?s ?p ?where }"),
        ("SELECT $where WHERE { ?s ?p $where }", " ?s ?p $where }"),
        ("SELECT * FROM <http://where.org/> WHERE{?s ?p ?o}", "?s ?p ?o}"),
        ('SELECT * WHERE { ?s ?p "a\\" } " }', ' ?s ?p "a\\" } " }'),
        ("select * where { ?s ?p ?o }", " ?s ?p ?o }"),
    ],
)
def test_outer_group_start_finds_the_where_group(query: str, inside: str) -> None:
    at = outer_group_start(query)
    assert query[at - 1] == "{"
    assert query[at:].startswith(inside)
    bound = bind(query, {"x": ox.Literal(EVIL)})
    assert bound.count("VALUES (?x)") == 1
    assert bound.count("\n") == query.count("\n")  # line numbers of errors stay true
    if not query.startswith("CONSTRUCT WHERE"):  # the short form allows triple patterns only
        ox.Store().query(bound)  # still parses


def test_outer_group_start_needs_a_group() -> None:
    with pytest.raises(ValueError, match="no WHERE group"):
        outer_group_start("DESCRIBE <http://x/#a>  # {")
    assert bind("DESCRIBE <http://x/>", {}) == "DESCRIBE <http://x/>"


# --------------------------------------------------------------------------------------------
# parameters bound again in the nested groups that use them


def _values_only(query: str, bindings: dict[str, Term]) -> str:
    """The binding as a VALUES block alone: the plain SPARQL meaning ``bind`` must keep."""
    if not bindings:
        return query
    at = outer_group_start(query)
    return f"{query[:at]} {values_block(bindings)} {query[at:]}"


X, Y = ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # "{@" marks a nested group that gets its own block; the outer group has the top block
        ("SELECT * WHERE { ?x ?p ?o { ?x ?q ?o } UNION { ?o ?q ?x } }",
         "SELECT * WHERE { ?x ?p ?o {@ ?x ?q ?o } UNION {@ ?o ?q ?x } }"),
        ("SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q $x } FILTER NOT EXISTS { ?x ?q ?s } }",
         "SELECT * WHERE { ?s ?p ?o OPTIONAL {@ ?o ?q $x } FILTER NOT EXISTS {@ ?x ?q ?s } }"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o != ?x) }", None),  # the top block binds it
        # not where the grammar wants a variable, and not in a scope of its own
        ("SELECT ?x WHERE { ?s ?p ?o { BIND(?o AS ?x) FILTER(BOUND(?x)) } }", None),
        ("SELECT * WHERE { ?s ?p ?o { VALUES ?x { <http://x/a> } } { VALUES (?o ?x) { (1 2) } } }",
         None),
        # a subquery that projects it is bound inside (its rows join the outer binding anyway),
        # one that does not project it keeps its own variable
        ("SELECT * WHERE { ?s ?p ?o { SELECT ?x WHERE { ?x ?p ?o FILTER(?x != ?o) } } }",
         "SELECT * WHERE { ?s ?p ?o { SELECT ?x WHERE {@ ?x ?p ?o FILTER(?x != ?o) } } }"),
        ("SELECT * { { SELECT ?x (COUNT(?y) AS ?n) { ?y ?p ?z } GROUP BY ?x ORDER BY ?x } }",
         "SELECT * { { SELECT ?x (COUNT(?y) AS ?n) {@ ?y ?p ?z } GROUP BY ?x ORDER BY ?x } }"),
        ("SELECT * WHERE { ?s ?p ?o { SELECT ?o WHERE { ?x ?p ?o } } }", None),
        ("SELECT * WHERE { ?s ?p ?o { SELECT (MAX(?x) AS ?m) WHERE { ?x ?p ?o } } }", None),
        ("SELECT * WHERE { ?x ?p ?o MINUS { ?x ?p ?s } }", None),
        # a variable's name is a whole token; comments, strings and IRIs are text
        ('SELECT * WHERE { ?s ?p ?o { ?xy ?p "?x" } # { ?x }\n{ ?s <http://x/?x> ?o } }', None),
    ],
)
def test_a_nested_group_that_uses_a_parameter_binds_it_again(
    query: str, expected: str | None
) -> None:
    block = values_block({"x": X})
    bound = bind(query, {"x": X})
    assert bound == _values_only((expected or query).replace("{@", f"{{ {block} "), {"x": X})
    ox.Store().query(bound)  # still parses


def test_a_nested_group_binds_only_the_parameters_it_uses() -> None:
    bound = bind("SELECT * { { ?y ?p ?o } UNION { ?x ?p ?y } }", {"x": X, "y": Y})
    assert "{ VALUES (?y) { (<http://x/b>) }  ?y ?p ?o }" in bound
    assert "{ VALUES (?x ?y) { (<http://x/a> <http://x/b>) }  ?x ?p ?y }" in bound


def test_a_hostile_string_bound_in_nested_groups_is_one_literal_each_time() -> None:
    store = ox.Store()
    for s, value in (("http://s", EVIL), ("http://t", "other")):
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode("http://p"), ox.Literal(value)))
    query = "SELECT ?s WHERE { { ?s ?p ?x } UNION { ?s ?p ?o FILTER(?o = ?x) } }"
    bound = bind(query, {"x": ox.Literal(EVIL)})
    assert bound.count(str(ox.Literal(EVIL))) == 3
    assert [solution["s"] for solution in store.query(bound)] == [ox.NamedNode("http://s")] * 2


def _every_query_once() -> list[tuple[NamedQuery, dict[str, str]]]:
    """Each named query with parameters that give it rows, and citations-of-work at each depth."""
    values = {"drug": "tacrolimus", "outcome": "ild-response", "antibody": "anti-Jo-1",
              "entity": "tacrolimus", "design": "case-series", "work": BOHAN_2,
              "from": REVIEW, "to": BOHAN_2}
    queries = catalog(QUERIES)
    runs = [(query, {p.name: values[p.name] for p in query.parameters if p.name in values})
            for query in queries.values()]
    return runs + [(queries["citations-of-work"], {"work": REVIEW, "depth": str(depth)})
                   for depth in (1, 2, 3, 4)]


def _rows(graph: ox.Store, text: str) -> list[tuple[str, ...]]:
    solutions = graph.query(text)
    names = [v.value for v in solutions.variables]
    return sorted(tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in solutions)


def test_every_named_query_means_the_same_with_its_parameters_bound_in_nested_groups(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The blocks in nested groups are an optimisation: the rows equal those of the top block
    alone."""
    vocabulary, lookup = load_vocabulary(ONTOLOGY / "vocabulary"), _lookup(store)
    graph = ox.Store.read_only(str(store))
    written = []
    for query, given in _every_query_once():
        text = prepare(query, given, vocabulary, lookup)
        with monkeypatch.context() as plain:
            plain.setattr("graph.query.catalog.bind", _values_only)
            alone = prepare(query, given, vocabulary, lookup)
        rows = _rows(graph, text)
        assert rows == _rows(graph, alone), query.name
        if text != alone:
            written.append((query.name, len(rows)))
    assert {name for name, _ in written} >= {"citations-of-work", "citation-chains"}
    assert all(count > 0 for _, count in written)  # no comparison of two empty answers


# --------------------------------------------------------------------------------------------
# failures


BAD = 'PREFIX ex: <http://example.org/#>\nSELECT ?s\nWHERE { ?s ex:p "unterminated }\n}\n'


def test_a_syntax_error_inline_names_line_and_column(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    err = fails(capsys, "query", "--sparql", BAD, "--store", str(store))
    assert err.startswith("error: <inline query>: syntax error at line 3, column 32: ")


def test_a_syntax_error_in_a_file_names_file_line_and_column(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(BAD, encoding="utf-8")
    err = fails(capsys, "query", "--file", str(path), "--store", str(store))
    assert err.startswith(f"error: {path}: syntax error at line 3, column 32: ")
    missing = tmp_path / "missing.rq"
    err = fails(capsys, "query", "--file", str(missing), "--store", str(store))
    assert f"cannot read query file {missing}" in err


def test_a_good_file_runs(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "count.rq"
    path.write_text("PREFIX cito: <http://purl.org/spar/cito/>\n"
                    "SELECT (COUNT(*) AS ?edges) WHERE { ?a cito:cites ?b }\n")
    assert rows_of(capsys, store, "--file", str(path)) == [{"edges": "74"}]


def test_an_unknown_query_name_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    err = fails(capsys, "query", "drug-outcome", "--store", str(store))
    known = ", ".join(p.stem for p in sorted(QUERIES.glob("*.rq")))
    assert err == f"error: no query is named 'drug-outcome'; known queries: {known}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["drug-outcomes"], "query 'drug-outcomes' needs parameter 'drug' (entity): a drug or "
                            "drug class by id, label or synonym (tacrolimus, FK506); "
                            "pass --param drug=VALUE"),
        (["citation-chains", "--param", "from=10.3899/jrheum.161217"],
         "needs parameter 'to' (work)"),
        (["drug-outcomes", "--param", "drug=tacrolimus", "--param", "dose=1"],
         "query 'drug-outcomes' has no parameter dose; its parameters: disease, drug, include, "
         "refractory, subgroup"),
        (["most-cited", "--param", "n=4"], "query 'most-cited' has no parameter n; its "
                                           "parameters: none"),
        (["drug-outcomes", "--param", "drug"], "--param takes NAME=VALUE, not 'drug'"),
        (["drug-outcomes", "--param", "drug=tacrolimus", "--columns", "drugLabel,nope"],
         "no column nope; the columns are: drugLabel, role, curation, alongside, dose"),
        (["--sparql", "SELECT * WHERE { ?s ?p ?o }", "--param", "x=1"],
         "--param works with a named query"),
        ([], "name a query (see `ma-ild queries`), or give --file or --sparql"),
    ],
)
def test_bad_requests_fail_clearly(
    capsys: pytest.CaptureFixture[str], store: Path, argv: list[str], message: str
) -> None:
    assert message in fails(capsys, "query", *argv, "--store", str(store))


RUNAWAY = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i .
  FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) < 0)
}"""


def test_a_timeout_stops_a_runaway_query_on_the_embedded_store(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    started = time.monotonic()
    err = fails(capsys, "query", "--sparql", RUNAWAY, "--timeout", "1", "--store", str(store))
    elapsed = time.monotonic() - started
    assert "the query ran longer than 1 s and was stopped" in err
    assert elapsed < 10
    # a quick query with a timeout still answers, from the child process
    assert rows_of(capsys, store, "most-cited", "--timeout", "5", "--limit", "1") == [
        {"work": BOHAN_2, "title": "Polymyositis and dermatomyositis (second of two parts)",
         "year": "1975", "citedBy": "3"}
    ]
    err = fails(capsys, "query", "--sparql", BAD, "--timeout", "5", "--store", str(store))
    assert "syntax error at line 3, column 32" in err


def test_a_copy_in_memory_answers_every_named_query_as_the_store_on_disk(store: Path) -> None:
    vocabulary, lookup = load_vocabulary(ONTOLOGY / "vocabulary"), _lookup(store)
    disk, memory = EmbeddedStore(store), MemoryStore.load(store)
    assert len(memory.store) == len(ox.Store.read_only(str(store))) > 1000
    for query, given in _every_query_once():
        text = prepare(query, given, vocabulary, lookup)
        ours, theirs = memory.select(text, query.name), disk.select(text, query.name)
        assert ours.variables == theirs.variables
        assert _unordered(ours, text) == _unordered(theirs, text), query.name


def test_streamed_rows_are_the_rows_of_a_select_on_disk_and_in_memory(store: Path) -> None:
    vocabulary, lookup = load_vocabulary(ONTOLOGY / "vocabulary"), _lookup(store)
    for target in (EmbeddedStore(store), MemoryStore.load(store)):
        for query, given in _every_query_once():
            text = prepare(query, given, vocabulary, lookup)
            streamed = target.stream(text, query.name)
            assert not isinstance(streamed, list)  # made as read, never held whole
            rows = target.select(text, query.name).rows
            assert list(streamed) == rows, query.name
            # the values' texts alone, as the views read them: each binding's value
            assert list(target.stream_texts(text, query.name)) == [
                {name: binding["value"] for name, binding in row.items()} for row in rows]
        with pytest.raises(QueryError, match="syntax error at line 3, column 32"):
            target.stream(BAD, "bad.rq")
        with pytest.raises(QueryError, match="only a SELECT query's rows can be streamed"):
            target.stream("ASK { ?s ?p ?o }", "ask.rq")
    with pytest.raises(EndpointError, match="no built store at"):
        EmbeddedStore(store.parent / "nothing").stream("SELECT * {}", "q")


def _unordered(results: Results, text: str) -> list[str]:
    """Rows as a sorted list, and each cell joined by one of the query's ``GROUP_CONCAT``
    separators as a sorted list of its parts: SPARQL leaves their order to the engine, and the
    two storages read them in different orders."""
    separators = re.findall(r'separator\s*=\s*"([^"]+)"', text)

    def parts(value: str) -> list[str]:
        pieces = [value]
        for separator in separators:
            pieces = [p for piece in pieces for p in piece.split(separator)]
        return sorted(pieces)

    return sorted(json.dumps({k: {**v, "value": parts(v["value"])} for k, v in row.items()},
                             sort_keys=True) for row in results.rows)


def test_a_timeout_stops_a_runaway_query_on_the_copy_in_memory(store: Path) -> None:
    memory = MemoryStore.load(store)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="longer than 1 s"):
        memory.select(RUNAWAY, "<runaway>", timeout=1)
    assert time.monotonic() - started < 10
    quick = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert memory.select(quick, "<count>", timeout=5) == memory.select(quick, "<count>")
    with pytest.raises(QueryError, match="syntax error at line 3, column 32"):
        memory.select(BAD, "bad.rq", timeout=5)


@pytest.mark.parametrize("beside", [True, False])
def test_the_copy_in_memory_holds_every_quad_of_the_store_named_graphs_included(
    tmp_path: Path, beside: bool
) -> None:
    """Loaded from the graph.nt beside the store (the fast way) or from a dump of the store,
    the copy is the store: its default graph and the named graphs enrichment adds later."""
    ex = "http://example.org/"
    triples = [ox.Triple(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p"), ox.Literal(str(i)))
               for i in range(50)]
    build_folder = tmp_path / "build"
    build_folder.mkdir()
    if beside:
        (build_folder / "graph.nt").write_text(
            "".join(f"{t} .\n" for t in triples), encoding="utf-8")
    disk = ox.Store(str(build_folder / "store"))
    disk.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    disk.add(ox.Quad(ox.NamedNode(f"{ex}s0"), ox.NamedNode(f"{ex}label"), ox.Literal("enriched"),
                     ox.NamedNode(f"{ex}graph/enrichment")))
    disk.flush()
    expected = set(disk)
    del disk
    assert set(MemoryStore.load(build_folder / "store").store) == expected


def test_no_built_store_to_copy_into_memory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EndpointError, match=r"no built store at .*: run `python build_graph\.py`"):
        MemoryStore.load(tmp_path / "nothing")


def test_no_built_store_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "nothing"
    err = fails(capsys, "query", "most-cited", "--store", str(empty))
    assert err == f"error: no built store at {empty}: run `python build_graph.py` first\n"
    assert not empty.exists()
    err = fails(capsys, "query", "studies-by-design", "--timeout", "2", "--store", str(empty))
    assert "no built store at" in err


@pytest.mark.parametrize("work", ["zebra", "bohan-1975-292-999", "10.9999/not.here", "pmid:1"])
def test_a_work_that_is_not_in_the_graph_is_an_error_not_an_empty_answer(
    capsys: pytest.CaptureFixture[str], store: Path, work: str
) -> None:
    err = fails(capsys, "query", "citations-of-work", "--param", f"work={work}",
                "--store", str(store))
    assert f"no work matches {work!r}" in err


def test_a_long_process_keeps_a_few_store_handles_not_one_per_store_it_ever_opened(
    tmp_path: Path,
) -> None:
    """Each build opens its staging store, renamed away afterwards: old handles are let go."""
    from graph.query import endpoints

    for i in range(endpoints.OPEN_LIMIT + 3):
        folder = tmp_path / f"store{i}"
        store = ox.Store(str(folder))
        store.add(ox.Quad(ox.NamedNode("https://example.org/s"),
                          ox.NamedNode("https://example.org/p"), ox.Literal(str(i))))
        store.flush()
        del store
        rows = EmbeddedStore(folder).select("SELECT ?o WHERE { ?s ?p ?o }", "<test>").rows
        assert rows == [{"o": {"type": "literal", "value": str(i)}}]
    assert len(endpoints._OPEN) <= endpoints.OPEN_LIMIT


# --------------------------------------------------------------------------------------------
# population filters (issue 23)


def test_the_anti_synthetase_ild_question_draws_on_the_subgroup_and_the_case_series(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    """"Which drugs helped in anti-synthetase syndrome?": the cohort's anti-Jo-1 subgroup (anti-Jo-1
    defines the syndrome) and the case series of anti-synthetase-syndrome patients."""
    rows = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                   "--param", "disease=anti-synthetase-syndrome")
    assert sorted(local(r["finding"]) for r in rows) == [
        "rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement",
        "sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response",
    ]
    [ranked] = rows_of(capsys, store, "drugs-for-outcome", "--param", "outcome=treatment-response",
                       "--param", "disease=anti-synthetase-syndrome")
    assert pick(ranked, "drug", "evidence", "findings", "studies") == ("tacrolimus", "yes", "2", "2")


def test_a_disease_filter_follows_the_hierarchy(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    """The review's patients have dermatomyositis or polymyositis; the cohort has MA-ILD."""
    dm = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                 "--param", "disease=dermatomyositis")
    assert {r["study"] for r in dm} == {REVIEW_TITLE}
    myopathy = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                       "--param", "disease=idiopathic-inflammatory-myopathy")
    everything = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus")
    assert {r["finding"] for r in dm} < {r["finding"] for r in myopathy}
    assert {r["finding"] for r in myopathy} <= {r["finding"] for r in everything}
    ild = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                  "--param", "disease=MA-ILD")
    assert {COHORT_TITLE, CASE_SERIES_TITLE, REVIEW_TITLE} == {r["study"] for r in ild}
    # of the review, only the findings in its patients with ILD
    assert {r["outcome"] for r in ild if r["study"] == REVIEW_TITLE} == {
        "forced vital capacity", "diffusing capacity of the lungs for carbon monoxide"}


def test_an_antibody_subgroup_and_refractory_status_narrow_the_findings(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    jo1 = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                  "--param", "subgroup=Jo1")
    assert [local(r["finding"]) for r in jo1] == [
        "sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response"]
    synthetase = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                         "--param", "subgroup=anti-synthetase-antibody")
    assert {local(r["finding"]) for r in synthetase} == {
        "sharma-2017-cohort-article-markdown/tacrolimus-anti-jo1-response",
        "rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement"}
    refractory = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                         "--param", "refractory=true")
    assert len(refractory) == 33  # every tacrolimus patient of the corpus was refractory
    assert rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus",
                   "--param", "refractory=false") == []
    conventional = rows_of(capsys, store, "drugs-for-outcome", "--param", "outcome=myositis-response",
                           "--param", "refractory=true")
    assert {r["drug"] for r in conventional} >= {"tacrolimus"}


def test_antibody_findings_for_the_class_include_the_anti_synthetase_case_series(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    """The case series names no single antibody; its patients have the syndrome the class defines."""
    rows = rows_of(capsys, store, "antibody-findings", "--param", "antibody=anti-synthetase-antibody")
    series = {local(r["finding"]): r["via"] for r in rows if r["study"] == CASE_SERIES_TITLE}
    assert series == {
        "rigby-2014-case-series-pubmed-page/significant-ild-all-patients": "disease defined by it",
        "rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement": "disease defined by it",
    }
    jo1 = rows_of(capsys, store, "antibody-findings", "--param", "antibody=Jo1")
    assert CASE_SERIES_TITLE not in {r["study"] for r in jo1}  # not every patient had anti-Jo-1


# --------------------------------------------------------------------------------------------
# testing status (issue 23)


def test_mda5_is_answered_not_tested_in_this_cohort_with_the_quote(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    [row] = rows_of(capsys, store, "antibody-findings", "--param", "antibody=MDA5")
    assert pick(row, "antibodyLabel", "status", "kind", "study") == (
        "anti-MDA5 antibody", "not tested in this cohort", "not tested", COHORT_TITLE)
    assert row["quote"] == ("the presence of certain antibodies including anti-MDA5 that were not "
                            "routinely tested at our institution")


def test_positive_negative_measured_and_not_tested_are_told_apart() -> None:
    """A population negative for an antibody is a result of its own, never a positive one."""
    query = catalog(QUERIES)["antibody-findings"]
    text = prepare(query, {"antibody": "MDA5"}, load_vocabulary(ONTOLOGY / "vocabulary"),
                   lambda piece: [])
    store = ox.Store()
    store.load(b"""@prefix m: <https://w3id.org/ma-ild/ontology#> .
        @prefix v: <https://w3id.org/ma-ild/vocab/> . @prefix e: <https://example.org/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix oa: <http://www.w3.org/ns/oa#> .
        v:anti-mda5 skos:prefLabel "anti-MDA5 antibody" .
        e:pos m:antibody v:anti-mda5 . e:neg m:negativeFor v:anti-mda5 .
        e:f1 m:findingKind "outcome" ; m:population e:pos ; m:quote e:q .
        e:f2 m:findingKind "outcome" ; m:population e:neg ; m:quote e:q .
        e:f3 m:findingKind "characteristic" ; m:characteristic v:anti-mda5 ; m:quote e:q .
        e:s a m:StudyStatement ; m:statementKind "not-tested" ; m:entity v:anti-mda5 ; m:quote e:q .
        e:q oa:hasSelector [ oa:exact "quoted" ], [ oa:start 0 ] .""", ox.RdfFormat.TURTLE)
    status = {str(row["finding"].value).rsplit("/", 1)[-1]: row["status"].value
              for row in store.query(text)}
    assert status == {"f1": "positive", "f2": "negative",
                      "f3": "tested: positive and negative counted",
                      "s": "not tested in this cohort"}


def test_both_statements_of_a_disputed_p_value_lead_to_their_discrepancy(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    """The news item's p = 0.02 and the article's p = 0.002 stand side by side, both flagged;
    so is the text's "all 6 patients with honeycombing" that Table 3 counts as 4."""
    rows = rows_of(capsys, store, "drug-outcomes", "--param", "drug=tacrolimus")
    disputed = {local(r["finding"]): (r.get("pValue"), r["disputed"])
                for r in rows if r.get("disputed")}
    honeycombing = (D + "sharma-2017-cohort-article-markdown/tacrolimus-response-honeycombing/"
                    "tacrolimus-honeycombing-response/count")
    assert disputed == {
        "sharma-2017-cohort-news-summary/prednisone-dose-3-6-months": ("0.02", PREDNISONE_P_VALUE),
        "sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months": (
            "0.002", PREDNISONE_P_VALUE),
        "sharma-2017-cohort-article-markdown/tacrolimus-honeycombing-response": (
            None, honeycombing),
    }
    discrepancies = rows_of(capsys, store, "discrepancies")
    for finding, (_p, discrepancy) in disputed.items():  # each flag leads to its discrepancy
        assert F + finding in {r["statement"] for r in discrepancies if r.get("explanation")
                               and discrepancy.endswith(r["field"].replace("_", "-"))}


def test_each_prior_therapy_row_is_one_finding_flagged_with_its_discrepancy() -> None:
    """prior-therapies gives one row per finding and failed therapy, the finding named, and
    disputed leads to the discrepancy another statement of the same fact makes with it; a
    candidate's row comes only with include=candidates, flagged all the same."""
    query = catalog(QUERIES)["prior-therapies"]
    store = ox.Store()
    store.load(b"""@prefix m: <https://w3id.org/ma-ild/ontology#> .
        @prefix v: <https://w3id.org/ma-ild/vocab/> . @prefix e: <https://example.org/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix oa: <http://www.w3.org/ns/oa#> .
        v:tacrolimus skos:prefLabel "tacrolimus" . v:azathioprine skos:prefLabel "azathioprine" .
        e:later m:study e:study ; m:intervention [ m:drug v:tacrolimus ; m:role "studied" ] .
        e:f1 m:study e:study ; m:intervention [ m:drug v:azathioprine ; m:role "prior-failed" ] ;
             m:agentType "manual_agent" ; m:quote e:q1 .
        e:f2 m:study e:study ; m:intervention [ m:drug v:azathioprine ; m:role "prior-failed" ] ;
             m:agentType "manual_agent" ; m:quote e:q2 .
        e:f3 m:study e:study ; m:intervention [ m:drug v:azathioprine ; m:role "prior-failed" ] ;
             m:agentType "text_mining_agent" ; m:quote e:q1 .
        e:d1 a m:Discrepancy ; m:conflictingStatement e:f1, e:f3, e:elsewhere .
        e:d2 a m:Discrepancy ; m:conflictingStatement e:f1 .
        e:q1 oa:hasSelector [ oa:exact "failed azathioprine" ], [ oa:start 0 ] .
        e:q2 oa:hasSelector [ oa:exact "had failed azathioprine" ], [ oa:start 9 ] .""",
               ox.RdfFormat.TURTLE)
    vocabulary = load_vocabulary(ONTOLOGY / "vocabulary")

    def rows(include: str) -> dict[str, str | None]:
        text = prepare(query, {"include": include}, vocabulary, lambda piece: [])
        answer = list(store.query(text))
        assert len(answer) == len({r["finding"] for r in answer})  # one row per finding
        return {str(r["finding"].value).rsplit("/", 1)[-1]:
                r["disputed"].value if r["disputed"] is not None else None for r in answer}

    assert rows("curated") == {"f1": "https://example.org/d1 https://example.org/d2",
                               "f2": None}
    assert rows("candidates") == {"f1": "https://example.org/d1 https://example.org/d2",
                                  "f2": None, "f3": "https://example.org/d1"}


def test_one_groups_prednisone_dose_given_as_31_2_and_31_6_flags_both_rows(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    rows = rows_of(capsys, store, "drug-outcomes", "--param", "drug=prednisone")
    mean = (D + "sharma-2017-cohort-article-markdown/conventional-nonresponders-prednisone-dose/"
            "conventional-prednisone-dose-responders-vs-nonresponders/mean")
    assert {local(r["finding"]) for r in rows if r.get("disputed") == mean} == {
        "sharma-2017-cohort-article-markdown/conventional-nonresponders-prednisone-dose",
        "sharma-2017-cohort-article-markdown/"
        "conventional-prednisone-dose-responders-vs-nonresponders"}


def test_citation_contexts_give_the_sentence_section_and_intent_of_each_citation(
    capsys: pytest.CaptureFixture[str], store: Path,
) -> None:
    rows = rows_of(capsys, store, "citation-contexts", "--param", "work=ge-2015-34-2097")
    first = rows[0]
    assert first["citing"] == COHORT
    assert first["sentence"].startswith("A systematic review supported the benefit of tacrolimus")
    assert first["sentence"].endswith("stabilization of ILD<sup>17</sup>.")
    assert (first["section"], first["intent"], first["rule"]) == (
        "introduction", "citesAsEvidence", "evidence")
    assert [r["section"] for r in rows] == ["introduction", "discussion", "discussion"]
    text = (CORPUS / first["source"]).read_text(encoding="utf-8")
    assert text[int(first["start"]):int(first["end"])] == first["sentence"]
    for part in ("bohan-1975-292-344", "bohan-1975-292-403"):
        [row] = rows_of(capsys, store, "citation-contexts", "--param", f"work={part}")
        assert (row["section"], row["intent"]) == ("methods", "citesAsAuthority")
        assert "Bohan and Peter criteria<sup>25,26</sup>" in row["sentence"]


def test_citation_tallies_count_supporting_contrasting_and_mentioning_sentences_ranked(
    capsys: pytest.CaptureFixture[str], store: Path,
) -> None:
    rows = rows_of(capsys, store, "citation-tallies")
    review = next(r for r in rows if r["work"].endswith("/ge-2015-34-2097"))
    assert (review["supporting"], review["contrasting"], review["mentioning"]) == ("3", "0", "0")
    ranks = [int(r["supporting"]) + int(r["contrasting"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True)
    assert all(int(r["supporting"]) + int(r["contrasting"]) + int(r["mentioning"])
               == int(r["contexts"]) for r in rows)
