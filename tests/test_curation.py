"""Curation records: what the loader reads out of them, and every way a record is refused.

A record is checked against the schema, its document and the vocabulary; a refused record raises
one :class:`CurationError` naming the YAML file, the line and the finding (or population) for every
problem at once.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import CurationError
from graph.evidence.consistency import result_problems
from graph.evidence.curation import load_curation
from graph.evidence.findings import Curation, Finding, Group, Intervention, Result
from graph.evidence.numbers import PValue, Timepoint
from graph.inputs.read import read_corpus
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary
from tests.checkout import CHECKOUT

PATHS = Paths()
RECORDS = sorted(p.name for p in PATHS.curation.glob("*.yaml"))


@pytest.fixture(scope="module")
def real(vocabulary: Vocabulary, documents: dict[str, Document]) -> dict[str, Curation]:
    """The five real records, loaded, by file name."""
    return {name: load_curation(PATHS.curation / name, PATHS.corpus, documents, vocabulary)
            for name in RECORDS}


def finding(curation: Curation, key: str) -> Finding:
    [found] = [f for f in curation.findings if f.key == key]
    return found


COHORT = "sharma-2017-cohort-article-markdown.yaml"


# ------------------------------------------------------------------ what a record gives


def test_there_are_five_records() -> None:
    assert RECORDS == [
        "ahn-polymyositis-tacrolimus-case-report-journal-page.yaml",
        "ge-2015-systematic-review-springer-page.yaml",
        "rigby-2014-case-series-pubmed-page.yaml",
        "sharma-2017-cohort-article-markdown.yaml",
        "sharma-2017-cohort-news-summary.yaml",
    ]


def test_an_outcome_gives_responders_total_and_percent(real: dict[str, Curation]) -> None:
    f = finding(real[COHORT], "tacrolimus-ild-improvement")
    assert (f.kind, f.population, f.outcome, f.direction) == (
        "outcome", "tacrolimus", "ild-response", "improved")
    assert f.result == Result(responders=17, total=18, percent=94)
    assert f.interventions == (Intervention("tacrolimus", "1 mg twice daily", "oral",
                                            "adjusted to trough 5–10 ng/ml", "add-on"),)


def test_an_outcome_gives_means_sds_change_and_p_value_at_a_timepoint(
    real: dict[str, Curation],
) -> None:
    f = finding(real[COHORT], "tacrolimus-prednisone-dose-3-6-months")
    r = f.result
    assert (r.before_mean, r.before_sd, r.after_mean, r.after_sd) == (35.1, 18.6, 12.4, 8.0)
    assert (r.unit, r.percent_change) == ("mg", -65)
    assert r.p_value == PValue("=", 0.002)
    assert r.p_text == "0.002"
    assert f.timepoint == Timepoint("3–6 months", 3.0, 6.0)
    assert (f.outcome, f.dose_of, f.direction) == ("glucocorticoid-dose", "prednisone", "improved")


def test_a_p_value_keeps_its_less_than_relation(real: dict[str, Curation]) -> None:
    f = finding(real[COHORT], "tacrolimus-prednisone-dose-1-year")
    assert f.result.p_value == PValue("<", 0.001)
    assert (f.result.after_mean, f.result.after_sd, f.result.percent_change) == (6.8, 6.8, -81)
    assert f.timepoint == Timepoint("1 year", 12.0, 12.0)


def test_a_characteristic_gives_count_total_and_percent(real: dict[str, Curation]) -> None:
    f = finding(real[COHORT], "cohort-anti-jo1")
    assert (f.kind, f.population, f.characteristic) == ("characteristic", "cohort", "anti-jo-1")
    assert f.result == Result(count=27, total=54, percent=50.0)


def test_a_comparison_gives_its_groups_and_p_value(real: dict[str, Curation]) -> None:
    f = finding(real[COHORT], "tacrolimus-response-anti-jo1")
    assert (f.kind, f.characteristic) == ("comparison", "anti-jo-1")
    assert f.groups == (Group("tacrolimus-responders", count=6),
                        Group("tacrolimus-nonresponders", count=0))
    assert f.result == Result(p_value=PValue("=", 0.09), p_text="0.09")
    assert [q.exact for q in f.quotes] == ["Anti-Jo1\t6\t0\t0.09"]


def test_a_systematic_review_gives_a_pooled_rate(real: dict[str, Curation]) -> None:
    f = finding(real["ge-2015-systematic-review-springer-page.yaml"], "tacrolimus-muscle-strength")
    assert f.result == Result(responders=42, total=45, percent=93.3)
    assert f.population == "patients"
    assert real["ge-2015-systematic-review-springer-page.yaml"].populations["patients"].n == 134


def test_a_case_report_gives_a_drug_that_failed_before(real: dict[str, Curation]) -> None:
    curation = real["ahn-polymyositis-tacrolimus-case-report-journal-page.yaml"]
    f = finding(curation, "glucocorticoid-prior-failed")
    assert f.interventions == (
        Intervention("glucocorticoid", dose="tapering from 1 mg/kg/day", role="prior-failed"),)
    assert (f.outcome, f.direction) == ("myositis-response", "no-change")
    assert curation.populations["patient"].n == 1


def test_a_statement_says_the_cohort_did_not_test_anti_mda5(real: dict[str, Curation]) -> None:
    [statement] = [s for s in real[COHORT].statements if s.kind == "not-tested"]
    assert (statement.key, statement.kind, statement.entity) == (
        "anti-mda5-not-tested", "not-tested", "anti-mda5")
    assert [q.exact for q in statement.quotes] == [
        "the presence of certain antibodies including anti-MDA5 that were not routinely tested "
        "at our institution"
    ]


@pytest.mark.parametrize("name", RECORDS)
def test_every_quote_offset_slices_its_exact_text_out_of_the_document(
    real: dict[str, Curation], documents: dict[str, Document], name: str
) -> None:
    curation = real[name]
    text = documents[curation.document].text
    quotes = [q for p in curation.populations.values() for q in p.quotes]
    quotes += [q for f in curation.findings for q in f.quotes]
    quotes += [q for s in curation.statements for q in s.quotes]
    assert quotes
    for q in quotes:
        assert text[q.start:q.end] == q.exact
        assert q.end - q.start == len(q.exact)
        assert text[:q.start].endswith(q.prefix) and text[q.end:].startswith(q.suffix)
        assert q.line == text.count("\n", 0, q.start) + 1


def test_a_quote_knows_the_line_it_stands_on(real: dict[str, Curation]) -> None:
    [quote] = finding(real[COHORT], "tacrolimus-response-anti-jo1").quotes
    assert quote.line == 218
    lines = (PATHS.documents / "sharma-2017-cohort-article-markdown.txt").read_text().splitlines()
    assert lines[217] == "Anti-Jo1\t6\t0\t0.09"


# ------------------------------------------------------------------ refusals

HEADER = r"""document: documents/sharma-2017-cohort-article-markdown.txt
populations:
  cohort:
    description: patients with MA-ILD
    n: 54
    quote: "Clinical characteristics of patients with MA-ILD (n = 54)"
  tacrolimus:
    description: refractory patients given tacrolimus
    n: 18
    quote: "Twenty-three patients failed conventional treatment, 18 of whom subsequently received adjunctive tacrolimus"
    parent: cohort
findings:
"""

ILD = r"""  - id: ild
    kind: outcome
    quote:
      - "17 patients (94%) had improvement in ILD"
      - "response rates of 18 patients who failed to respond to conventional treatment"
    population: tacrolimus
    interventions: [{drug: tacrolimus, role: add-on}]
    outcome: ild-response
    result: {responders: 17, total: 18, percent: 94}
    direction: improved
"""

PREDNISONE = r"""  - id: prednisone
    kind: outcome
    quote:
      - "the mean dose of prednisone at the time of initiation of tacrolimus was  $35.1 \\text{ mg} \\pm 18.6 \\text{ mg}$ , which decreased to  $12.4 \\text{ mg} \\pm 8.0 \\text{ mg}$  at 3–6 months (65% decrease,  $p = 0.002$ )"
    population: tacrolimus
    interventions: [{drug: tacrolimus, role: add-on}]
    outcome: glucocorticoid-dose
    dose_of: prednisone
    result: {before: {mean: 35.1, sd: 18.6}, after: {mean: 12.4, sd: 8.0}, unit: mg, percent_change: -65, p_value: "0.002"}
    timepoint: 3–6 months
    direction: improved
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``text`` containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


class Records:
    """Writes records into a copy of the corpus and loads them the way the build does."""

    def __init__(self, corpus: Path, documents: dict[str, Document], vocabulary: Vocabulary,
                 name: str) -> None:
        self.corpus, self.documents, self.vocabulary = corpus, documents, vocabulary
        self.display = f"curation/{name}.yaml"

    def load(self, text: str) -> Curation:
        path = self.corpus / self.display
        path.write_text(text, encoding="utf-8")
        return load_curation(path, self.corpus, self.documents, self.vocabulary)

    def refuse(self, text: str) -> str:
        with pytest.raises(CurationError) as caught:
            self.load(text)
        return str(caught.value)


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Document]]:
    root = tmp_path_factory.mktemp("curation") / "corpus"
    shutil.copytree(PATHS.documents, root / "documents")
    (root / "curation").mkdir()
    return root, {d.path: d for d in read_corpus(root / "documents", root)}


@pytest.fixture
def records(corpus_copy: tuple[Path, dict[str, Document]], vocabulary: Vocabulary,
            request: pytest.FixtureRequest) -> Records:
    root, documents = corpus_copy
    return Records(root, documents, vocabulary, re.sub(r"\W+", "-", request.node.name))


def test_a_good_record_loads(records: Records) -> None:
    curation = records.load(HEADER + ILD + PREDNISONE)
    assert curation.path == records.display
    assert [f.key for f in curation.findings] == ["ild", "prednisone"]
    assert finding(curation, "ild").line == line_of(HEADER + ILD, "- id: ild")


def test_a_quote_not_in_the_document_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace('    population:',
                                '      - "17 patients (95%) had improvement in ILD"\n    population:')
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': quote 3 "
        "'17 patients (95%) had improvement in ILD': quote is not in the document verbatim "
        "(no such text in the document)"
    )


def test_a_quote_differing_only_in_white_space_gets_a_hint(records: Records) -> None:
    text = HEADER + r"""  - id: anti-jo1
    kind: characteristic
    quote:
      - "Anti-Jo1 27 (50.0)"
      - "anti-Jo1 (50.0%)"
      - "Clinical characteristics of patients with MA-ILD (n = 54)"
    population: cohort
    characteristic: anti-jo-1
    result: {total: 54, percent: 50.0}
    direction: not-applicable
"""
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: anti-jo1')}: finding 'anti-jo1': quote 1 "
        "'Anti-Jo1 27 (50.0)': quote is not in the document verbatim (it is there with different "
        "white space (tabs, double or non-breaking spaces))"
    )
    assert records.load(text.replace('"Anti-Jo1 27', r'"Anti-Jo1\t27'))


def test_a_quote_occurring_twice_needs_an_occurrence(records: Records) -> None:
    text = HEADER + ILD.replace('    population:', '      - "Twenty-three patients"\n    population:')
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': quote 3 "
        "'Twenty-three patients': quote occurs 2 times in the document; say which with "
        "{text: ..., occurrence: N}"
    )
    chosen = text.replace('"Twenty-three patients"', '{text: "Twenty-three patients", occurrence: 2}')
    quote = finding(records.load(chosen), "ild").quotes[2]
    document = records.documents["documents/sharma-2017-cohort-article-markdown.txt"].text
    assert quote.start == document.find("Twenty-three patients", document.find("Twenty-three patients") + 1)


def test_responders_more_than_total_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace("{responders: 17, total: 18, percent: 94}",
                                "{responders: 18, total: 17}")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': "
        "responders 18 is more than total 17"
    )


def test_a_percent_that_is_not_responders_over_total_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace(
        '"17 patients (94%) had improvement in ILD"',
        '"Fourteen patients (78%) had improvement in myositis, 17 patients (94%) had improvement in ILD"',
    ).replace("responders: 17,", "responders: 14,")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': "
        "percent 94 is not responders/total = 14/18 = 77.78% within rounding"
    )


def test_a_percent_change_of_the_wrong_sign_is_refused(records: Records) -> None:
    text = HEADER + PREDNISONE.replace("percent_change: -65", "percent_change: 65")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: prednisone')}: finding 'prednisone': "
        "percent_change 65 contradicts before 35.1 -> after 12.4 (-64.7%)"
    )


def test_a_percent_change_more_than_a_point_off_is_refused(records: Records) -> None:
    text = HEADER + PREDNISONE.replace("percent_change: -65", "percent_change: -81").replace(
        "    population:", '      - "and 81% at 1 year ( $p < 0.001$ )"\n    population:')
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: prednisone')}: finding 'prednisone': "
        "percent_change -81 contradicts before 35.1 -> after 12.4 (-64.7%)"
    )


def test_improved_with_a_rising_steroid_dose_is_refused(records: Records) -> None:
    text = HEADER + PREDNISONE.replace(
        "before: {mean: 35.1, sd: 18.6}, after: {mean: 12.4, sd: 8.0}",
        "before: {mean: 12.4, sd: 8.0}, after: {mean: 35.1, sd: 18.6}",
    ).replace(" percent_change: -65,", "")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: prednisone')}: finding 'prednisone': "
        "direction 'improved' contradicts 12.4 -> 35.1 for glucocorticoid-dose (lower is better)"
    )


def test_a_number_not_stated_in_any_quote_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace("percent: 94}", 'percent: 94, p_value: "0.02"}')
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': "
        "p_value 0.02 is not stated in its quotes"
    )


def test_an_unknown_entity_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace("drug: tacrolimus", "drug: tacrolimos")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': "
        "unknown entity 'tacrolimos': it is not in ontology/vocabulary/"
    )


def test_an_entity_of_the_wrong_kind_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace("drug: tacrolimus", "drug: anti-jo-1")
    message = records.refuse(text)
    assert message.startswith(f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': ")
    assert re.search(r"'anti-jo-1' is an? antibody, but a drug is expected$", message)


def test_an_undefined_population_is_refused(records: Records) -> None:
    text = HEADER + ILD.replace("population: tacrolimus", "population: refractory")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild')}: finding 'ild': "
        "population 'refractory' is not defined"
    )


def test_a_population_size_not_in_its_quote_is_refused(records: Records) -> None:
    text = HEADER.replace("n: 18", "n: 19") + ILD
    # a population's problems are reported on the line that names the population
    line = line_of(text, "  tacrolimus:")
    assert records.refuse(text) == (
        f"{records.display}:{line}: population 'tacrolimus': n 19 is not stated in its quotes"
    )


def test_a_finding_id_used_twice_is_refused(records: Records) -> None:
    text = HEADER + ILD + ILD
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, '- id: ild', occurrence=2)}: finding 'ild': "
        "id is used twice"
    )


def test_a_misspelled_key_is_a_schema_violation_on_its_line(records: Records) -> None:
    text = HEADER + ILD.replace("    interventions: [{drug: tacrolimus, role: add-on}]",
                                "    interventions:\n      - {drug: tacrolimus, rol: add-on}")
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, 'rol: add-on')}: finding 'ild' "
        "(findings/0/interventions/0): Additional properties are not allowed ('rol' was unexpected)"
    )


def test_invalid_yaml_is_refused_with_its_line(records: Records) -> None:
    text = HEADER + ILD.replace("direction: improved", "direction: improved: yes")
    assert records.refuse(text).startswith(  # "... here" (PyYAML) or "... in this context"
        f"{records.display}:{line_of(text, 'improved: yes')}: "  # (libyaml)
        "not valid YAML: mapping values are not allowed "
    )


def test_a_yaml_alias_bomb_is_refused_before_anything_walks_it(records: Records) -> None:
    """Nine levels of ten aliases: a few hundred bytes that expand to a billion quotes."""
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    text = "\n".join(levels) + "\n" + HEADER + ILD
    assert len(text) < 5_000
    assert records.refuse(text) == (
        f"{records.display}: not valid YAML: its aliases expand to more than 200,000 nodes "
        "(an alias bomb?)")


def test_a_duplicate_yaml_key_is_refused(records: Records) -> None:
    text = HEADER + ILD + "    direction: worsened\n"
    # reported on the line of the repeated key
    assert records.refuse(text) == (
        f"{records.display}:{line_of(text, 'direction: worsened')}: not valid YAML: "
        "duplicate key 'direction'"
    )


def test_every_problem_of_a_file_is_reported_in_one_error(records: Records) -> None:
    text = (HEADER + ILD.replace("drug: tacrolimus", "drug: tacrolimos")
            + PREDNISONE.replace("percent_change: -65", "percent_change: 65")
            + ILD.replace("population: tacrolimus", "population: refractory"))
    first, second, third = (line_of(text, "- id: ild"), line_of(text, "- id: prednisone"),
                            line_of(text, "- id: ild", occurrence=2))
    assert records.refuse(text) == (
        f"{records.display}:{first}: finding 'ild': unknown entity 'tacrolimos': it is not in "
        "ontology/vocabulary/ (4 problems)\n"
        f"  line {second}: finding 'prednisone': percent_change 65 contradicts before 35.1 -> "
        "after 12.4 (-64.7%)\n"
        f"  line {third}: finding 'ild': id is used twice\n"
        f"  line {third}: finding 'ild': population 'refractory' is not defined"
    )


# ------------------------------------------------------------------ tolerances


def test_a_journal_rounding_slip_of_26_of_54_printed_48_2_passes(records: Records) -> None:
    text = HEADER + r"""  - id: black
    kind: characteristic
    quote:
      - "Black\t26 (48.2)"
      - "Clinical characteristics of patients with MA-ILD (n = 54)"
    population: cohort
    characteristic: race-black
    result: {count: 26, total: 54, percent: 48.2}
    direction: not-applicable
"""
    assert finding(records.load(text), "black").result == Result(count=26, total=54, percent=48.2)
    assert result_problems(Result(count=26, total=54, percent=48.2)) == []


def test_17_of_18_printed_as_90_percent_fails() -> None:
    assert result_problems(Result(responders=17, total=18, percent=90)) == [
        "percent 90 is not responders/total = 17/18 = 94.44% within rounding"
    ]
    assert result_problems(Result(responders=17, total=18, percent=94)) == []
    assert result_problems(Result(responders=17, total=18, percent=94.4)) == []


def test_a_number_written_in_words_counts_as_stated(records: Records) -> None:
    text = HEADER + r"""  - id: conventional
    kind: outcome
    quote: "Thirty-one of 54 patients (57%) responded to conventional treatment"
    population: cohort
    interventions: [{drug: prednisone, role: studied}]
    outcome: treatment-response
    result: {responders: 31, total: 54, percent: 57}
    direction: improved
"""
    assert finding(records.load(text), "conventional").result.responders == 31


def test_a_case_counts_as_one_patient(records: Records) -> None:
    text = r"""document: documents/ahn-polymyositis-tacrolimus-case-report-journal-page.txt
populations:
  patient:
    description: one patient
    n: 1
    quote: "We report here on a case of polymyositis that did not respond to multiple drug therapy"
findings: []
"""
    assert records.load(text).populations["patient"].n == 1
    assert records.refuse(text.replace("n: 1", "n: 2")).endswith(
        "population 'patient': n 2 is not stated in its quotes")


# ------------------------------------------------------------------ the checker command

COUNTS = {
    "ahn-polymyositis-tacrolimus-case-report-journal-page.yaml": "1 populations, 9 findings, 0 statements",
    "ge-2015-systematic-review-springer-page.yaml": "2 populations, 11 findings, 0 statements",
    "rigby-2014-case-series-pubmed-page.yaml": "3 populations, 2 findings, 0 statements",
    "sharma-2017-cohort-article-markdown.yaml": "16 populations, 124 findings, 3 statements",
    "sharma-2017-cohort-news-summary.yaml": "6 populations, 8 findings, 3 statements",
}


@pytest.mark.parametrize("name", RECORDS)
def test_the_checker_command_passes_every_real_record(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph.evidence.curation", f"corpus/curation/{name}"],
        cwd=CHECKOUT, capture_output=True, text=True, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"curation/{name}: ok ({COUNTS[name]})\n"


def test_the_checker_command_names_a_record_outside_the_corpus_in_one_line(tmp_path: Path) -> None:
    stray = tmp_path / "elsewhere.yaml"
    stray.write_text("document: documents/x.txt\nfindings: []\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "graph.evidence.curation", str(stray)],
                          cwd=CHECKOUT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {stray}: is not in the corpus folder")
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


# ------------------------------------------------------------------ records of a multi-record file

TWO_RECORDS = """<?xml version="1.0" encoding="UTF-8"?>
<PubmedArticleSet>
{records}</PubmedArticleSet>
"""
RECORD = """<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>
<Journal><JournalIssue><Volume>1</Volume><PubDate><Year>2020</Year></PubDate></JournalIssue>
<ISOAbbreviation>Lung</ISOAbbreviation></Journal>
<ArticleTitle>Tacrolimus in antisynthetase syndrome, cohort {pmid}.</ArticleTitle>
<Abstract><AbstractText>{abstract}</AbstractText></Abstract>
</Article></MedlineCitation></PubmedArticle>
"""
SHARED = "Of 20 patients treated with tacrolimus, 12 (60%) had improvement in ILD."


def record_curation(pmid: str, quote: str) -> str:
    return f"""document: documents/two-records.xml#pmid-{pmid}
populations:
  treated:
    description: patients treated with tacrolimus
    n: 20
    quote: "{quote}"
findings:
  - id: ild
    kind: outcome
    quote: "{quote}"
    population: treated
    interventions: [{{drug: tacrolimus}}]
    outcome: ild-response
    result: {{responders: 12, total: 20, percent: 60}}
    direction: improved
"""


@pytest.fixture(scope="module")
def two_records(tmp_path_factory: pytest.TempPathFactory, vocabulary: Vocabulary) -> Records:
    """A PubMed XML file of two records that print the same result sentence."""
    root = tmp_path_factory.mktemp("records") / "corpus"
    (root / "documents").mkdir(parents=True)
    (root / "curation").mkdir()
    records = "".join(RECORD.format(pmid=pmid, abstract=abstract) for pmid, abstract in (
        ("101", f"Only the first record says this. {SHARED}"), ("102", SHARED)))
    (root / "documents" / "two-records.xml").write_text(TWO_RECORDS.format(records=records))
    documents = {d.path: d for d in read_corpus(root / "documents", root)}
    return Records(root, documents, vocabulary, "two-records")


def test_a_record_is_quoted_from_its_own_text_even_when_a_neighbour_prints_the_same(
    two_records: Records,
) -> None:
    curation = two_records.load(record_curation("102", SHARED))
    text = two_records.documents["documents/two-records.xml#pmid-102"].text
    quote = finding(curation, "ild").quotes[0]
    assert text.count(SHARED) == 2  # no occurrence needed: the record prints it once
    assert quote.start == text.rindex(SHARED) and text[quote.start:quote.end] == SHARED


def test_a_quote_from_another_record_of_the_same_file_is_refused(two_records: Records) -> None:
    text = record_curation("102", "Only the first record says this.")
    assert ("line 8: finding 'ild': quote 'Only the first record says this.': quote is in the "
            "file but not in this record's own text") in two_records.refuse(text)
