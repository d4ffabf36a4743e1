"""Numbers bound where the sentence binds them, CIs in the graph, quotes free of markup (issue 22).

Each sentence here is made up and shows one general mechanism: a number goes to the drug, outcome
and population of its own clause (clauses split at semicolons, "whereas", "while", "but", a
coordinated clause with its own subject, a bracket naming a subgroup); a p-value goes to the
comparison it qualifies; a percent's confidence interval is written to the graph like an effect
size's; a quote mined from XML begins and ends in words, never in a tag.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.evidence.draft import draft_curation
from graph.evidence.numbers import PValue
from graph.inputs.markup import blank_markup
from graph.inputs.read import read_documents
from graph.mining import candidates as extract
from graph.mining.candidates import extract_candidates
from graph.mining.clauses import clauses
from graph.mining.corpus import mine
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary
from tests.checkout import CHECKOUT

DEVSET = CHECKOUT / "tests" / "fixtures" / "devset"


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFE", False)


# --- point 4: quotes mined from XML are verbatim words, never markup ------------------------------

def test_markup_is_read_as_blank_with_the_same_offsets(vocabulary: Vocabulary) -> None:
    text = ("<sec><title>Results</title><p>With MMF, FVC rose by 6.3% at 52 weeks "
            "(<italic>p</italic> &lt; 0.01).</p></sec>")
    assert len(blank_markup(text)) == len(text)
    [c] = extract_candidates(text, vocabulary)
    assert c.quote.exact == "With MMF, FVC rose by 6.3% at 52 weeks (<italic>p</italic> &lt; 0.01)."
    assert text[c.quote.start:c.quote.end] == c.quote.exact  # cut from the text as printed
    assert (c.result.percent_change, c.result.p_value) == (6.3, PValue("<", 0.01))
    assert (c.drugs, c.outcome, c.section) == (("mycophenolate-mofetil",), "fvc", "results")
    # a plain text's angle brackets are no markup
    assert blank_markup("p <0.05 in a <b and c> group") == "p <0.05 in a <b and c> group"


@pytest.mark.parametrize("name", ["fischer-2013-pmc.xml", "huapaya-2019-pmc.xml"])
def test_quotes_mined_from_jats_begin_and_end_in_words(name: str, vocabulary: Vocabulary) -> None:
    [document] = read_documents(DEVSET / name, DEVSET)
    mined = mine(document, vocabulary, None)
    assert mined.candidates
    for c in mined.candidates:
        assert document.text[c.quote.start:c.quote.end] == c.quote.exact
        assert not re.search(r"^\s*<|>\s*$", c.quote.exact), c.quote.exact
    for m in mined.mentions:
        assert document.text[m.start:m.end] == m.text


# --- point 1: numbers bound to the drug, outcome and population of their own clause ---------------

def test_whereas_splits_two_findings_each_with_its_drug(vocabulary: Vocabulary) -> None:
    found = extract_candidates("Patients given MMF improved in 12 of 20 (60%), whereas 4 of 15 "
                               "(27%) of those given AZA improved.", vocabulary)
    assert [(c.drugs, c.result.responders, c.result.total) for c in found] == [
        (("mycophenolate-mofetil",), 12, 20), (("azathioprine",), 4, 15)]


def test_a_coordinated_clause_with_its_own_subject_takes_its_own_outcome(
        vocabulary: Vocabulary) -> None:
    found = extract_candidates(
        "The FVC rose by 4.9% at 52 weeks (p = 0.01) and 6.1% at 104 weeks, and the DLCO by 6.3% "
        "at 52 weeks (p = 0.02) and 7.1% at 104 weeks (p = 0.03).", vocabulary)
    assert [(c.outcome, c.result.percent_change, c.result.p_value) for c in found] == [
        ("fvc", 4.9, PValue("=", 0.01)), ("fvc", 6.1, None),
        ("dlco", 6.3, PValue("=", 0.02)), ("dlco", 7.1, PValue("=", 0.03))]


def test_years_table_numbers_and_named_pairs_cut_no_clause() -> None:
    for text in ("Patients seen between January 2008 and January 2011 with MMF were studied.",
                 "Table 3 gives the characteristics and response rates of 18 patients.",
                 "Of these, 13 were seen at Brigham and Women's Hospital and 12 at Pittsburgh."):
        assert len(clauses(text, 0, len(text)).top) == 1, text


def test_a_semicolon_clause_keeps_its_drug_and_group_size(vocabulary: Vocabulary) -> None:
    found = extract_candidates("With rituximab, FVC improved in 10 of 12 patients; with "
                               "cyclophosphamide, 5 of 11 patients improved.", vocabulary)
    assert [(c.drugs, c.population_size) for c in found] == [
        (("rituximab",), 12), (("cyclophosphamide",), 11)]


def test_a_drug_whose_dose_another_clause_speaks_of_stays_there(vocabulary: Vocabulary) -> None:
    _count, strength, dose = extract_candidates(
        "Three patients received rituximab. Muscle strength improved in all three; the mean daily "
        "prednisone dose went from 16.7 mg to 4 mg.", vocabulary)
    assert (strength.outcome, strength.drugs) == ("muscle-strength", ("rituximab",))
    # the prednisone dose is an outcome of the rituximab given, the study's drug
    assert (dose.outcome, dose.drugs) == ("glucocorticoid-dose", ("rituximab",))


def test_a_bracket_naming_a_subgroup_is_a_clause_of_its_own(vocabulary: Vocabulary) -> None:
    outer, inner = extract_candidates(
        "FVC improved in 30 of 50 patients (60%) given tacrolimus (9 of 12 patients in the "
        "cyclosporine group).", vocabulary)
    assert (outer.drugs, outer.result.responders, outer.population_size) == (
        ("tacrolimus",), 30, 50)
    assert (inner.drugs, inner.result.responders, inner.population_size) == (
        ("cyclosporine",), 9, 12)


def test_the_words_of_the_next_clause_give_no_direction(vocabulary: Vocabulary) -> None:
    first, second = extract_candidates(
        "FVC rose from 62% to 71% (p = 0.01), whereas DLCO did not change (p = 0.4).", vocabulary)
    assert (first.outcome, first.direction, first.result.before_mean, first.result.after_mean,
            first.result.unit) == ("fvc", "improved", 62, 71, "%")
    assert first.result.p_value == PValue("=", 0.01)
    assert (second.pattern, second.outcome, second.direction, second.result.p_value) == (
        "p-value", "dlco", "no-change", PValue("=", 0.4))


# --- point 2: a p-value bound to the comparison it qualifies -------------------------------------

def test_a_p_value_never_reaches_into_another_clause(vocabulary: Vocabulary) -> None:
    first, second = extract_candidates(
        "FVC rose from 62% to 71%, whereas DLCO did not change (p = 0.4).", vocabulary)
    assert first.result.p_value is None  # the p-value qualifies DLCO's clause, not FVC's rise
    assert (second.outcome, second.result.p_value) == ("dlco", PValue("=", 0.4))


def test_a_p_value_after_a_pair_of_groups_goes_to_their_comparison(
        vocabulary: Vocabulary) -> None:
    [c] = extract_candidates("FVC improved in 8/10 vs 3/9 patients (p = 0.04).", vocabulary)
    assert c.pattern == "comparison" and c.result.p_value == PValue("=", 0.04)
    assert [(g.population, g.count) for g in c.groups] == [("group 1", 8), ("group 2", 3)]
    assert (c.result.responders, c.result.total) == (8, 10)


def test_a_p_value_inside_a_results_bracket_goes_to_that_result(vocabulary: Vocabulary) -> None:
    first, second = extract_candidates(
        "FVC improved more often with AZA than with MMF (67% vs 35%, p = 0.01) and DLCO in 9 "
        "of 12 patients (p = 0.2).", vocabulary)
    assert (first.pattern, first.result.p_value) == ("comparison", PValue("=", 0.01))
    assert (second.result.responders, second.result.p_value) == (9, PValue("=", 0.2))


# --- point 3: a percent's confidence interval in the graph, in the form an effect's takes -------

def test_a_percents_confidence_interval_is_written_and_answered_with_its_quote(
        tmp_path: Path, vocabulary: Vocabulary) -> None:
    documents = tmp_path / "corpus" / "documents"
    documents.mkdir(parents=True)
    (tmp_path / "corpus" / "curation").mkdir()
    sentence = ("Of 45 patients treated with mycophenolate mofetil, FVC improved in 42/45 (93.3%; "
                "95% CI 81.7-98.6).")
    (documents / "mmf-cohort.txt").write_text(
        f"Mycophenolate mofetil in myositis lung disease: a cohort\n\nResults\n\n{sentence}\n",
        encoding="utf-8")
    build(Paths.of_project(tmp_path), views=False)  # the SHACL shapes check the new triples too
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--project", str(tmp_path), "query", "drug-outcomes", "--param", "drug=MMF",
                       "--param", "include=candidates", "--format", "json"])
    assert status == 0, err.getvalue()
    [row] = [{k: v["value"] for k, v in r.items()}
             for r in json.loads(out.getvalue())["results"]["bindings"]]
    assert (row["percent"], row["ciLower"], row["ciUpper"], row["ciLevel"]) == (
        "93.3", "81.7", "98.6", "95")
    assert row["quote"] == sentence and row["curation"] == "machine-extracted, unreviewed"
    assert "effectValue" not in row  # a percent's CI, not an effect size's
    # and in the KGX export's edge of the finding
    lines = (tmp_path / "build" / "exports" / "kgx_edges.tsv").read_text(encoding="utf-8")
    header, *edges = [line.split("\t") for line in lines.splitlines()]
    [edge] = [dict(zip(header, e, strict=True)) for e in edges if row["finding"] in e[-1]]
    assert (edge["has_percentage"], edge["ci_lower"], edge["ci_upper"], edge["ci_level"]) == (
        "93.3", "81.7", "98.6", "95")
    # the draft a person curates keeps it, as the percent's CI of the finding's result
    [document] = read_documents(documents / "mmf-cohort.txt", tmp_path / "corpus")
    draft, kept, _refused = draft_curation(document, vocabulary)
    assert kept == 1 and ("percent: 93.3, percent_ci_lower: 81.7, percent_ci_upper: 98.6, "
                          "percent_ci_level: 95") in draft
