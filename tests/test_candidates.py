"""Machine-extracted candidates in the answers, and the way from a candidate to a curated finding.

One small project is built once for the module: the Ahn case report with its curation, then
``ma-ild add`` of a development-set study no one has curated (Fischer 2013, mycophenolate). The
findings questions answer with curated evidence and say how many candidates they left out, or,
with ``--include candidates``, list the candidates too, each marked; ``ma-ild curate`` turns the
study's candidates into a draft curation record that the build takes as curated evidence.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import re
import shutil
from pathlib import Path

import pytest

import graph
from graph.build.pipeline import build
from graph.cli import main
from graph.evidence.curation import check_record
from graph.evidence.draft import draft_curation
from graph.inputs.read import read_documents
from graph.query.answers import CURATED, MACHINE_EXTRACTED, ask, is_findings_question
from graph.query.catalog import catalog, prepare, work_lookup
from graph.query.endpoints import EmbeddedStore
from graph.settings import Paths
from graph.views.citation import citation_page
from graph.views.entity import entity_page
from graph.views.evidence import evidence_page
from graph.vocabulary.concepts import Vocabulary, load_vocabulary
from tests.browser import open_view, wait_until
from tests.checkout import CHECKOUT

STUDY = CHECKOUT / "tests" / "fixtures" / "devset" / "fischer-2013-pmc.xml"
NUMBERS = ("responders", "total", "percent", "count", "before", "after", "change", "pValue")
FINDINGS_QUESTIONS = ("drug-outcomes", "antibody-findings", "drugs-for-outcome", "prior-therapies")


def _project(root: Path) -> Paths:
    return Paths.of_project(root)


def _run(root: Path, *argv: str) -> tuple[int, str, str]:
    """``ma-ild --project root ...``: its status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--project", str(root), *argv])
    return status, out.getvalue(), err.getvalue()


def _json(root: Path, *argv: str) -> dict:
    status, out, err = _run(root, "query", *argv, "--format", "json")
    assert status == 0, err
    return json.loads(out)


def _clone(root: Path, to: Path) -> Path:
    gc.collect()  # let go of any store handle before its files are copied
    shutil.copytree(root, to)
    return to


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding one curated document, after ``ma-ild add`` of an uncurated study."""
    root = tmp_path_factory.mktemp("candidates")
    for folder in ("documents", "curation"):
        (root / "corpus" / folder).mkdir(parents=True)
    stem = "ahn-polymyositis-tacrolimus-case-report-journal-page"
    shutil.copy(CHECKOUT / "corpus" / "documents" / f"{stem}.txt", root / "corpus" / "documents")
    shutil.copy(CHECKOUT / "corpus" / "curation" / f"{stem}.yaml", root / "corpus" / "curation")
    status, _out, err = _run(root, "add", str(STUDY))
    assert status == 0, err
    return root


# --- point 3: candidates visible, never mistaken -------------------------------------------------

def test_after_add_the_candidates_are_listed_with_numbers_quotes_and_their_mark(added: Path
                                                                                 ) -> None:
    status, out, _err = _run(added, "query", "drug-outcomes", "--param", "drug=MMF",
                             "--include", "candidates", "--width", "0")
    assert status == 0
    rows = [line for line in out.splitlines()[2:] if line.startswith("mycophenolate")]
    assert rows and all("machine-extracted, unreviewed" in line for line in rows)
    assert "left out" not in out
    answer = _json(added, "drug-outcomes", "--param", "drug=MMF", "--include", "candidates")
    bindings = answer["results"]["bindings"]
    assert len(bindings) == len(rows)
    assert all(b["curation"]["value"] == MACHINE_EXTRACTED for b in bindings)
    assert all(b["quote"]["value"] in STUDY.read_text(encoding="utf-8") for b in bindings)
    assert any(name in b for b in bindings for name in NUMBERS)
    assert answer["left_out"] == {"candidates": 0, "counted": "findings"}


def test_by_default_the_answer_is_curated_and_says_how_many_candidates_it_left_out(
    added: Path,
) -> None:
    with_candidates = _json(added, "drug-outcomes", "--param", "drug=MMF",
                            "--include", "candidates")["results"]["bindings"]
    status, out, _err = _run(added, "query", "drug-outcomes", "--param", "drug=MMF")
    assert status == 0 and "(0 rows)" in out
    assert (f"curated evidence only: {len(with_candidates)} machine-extracted, unreviewed "
            "candidate findings left out (--include candidates lists them)") in out
    assert _json(added, "drug-outcomes", "--param", "drug=MMF")["left_out"] == {
        "candidates": len(with_candidates), "counted": "findings"}
    status, out, err = _run(added, "query", "drugs-for-outcome", "--param", "outcome=FVC",
                            "--format", "csv")
    assert out.strip() == ("drug,role,evidence,curation,direction,findings,studies,bestLevel,"
                           "maxPatients,disputed")  # a footer would be read as a row: the note is apart
    assert re.search(r"curated evidence only: \d+ rows? drawn from machine-extracted", err)


def test_curated_rows_are_marked_and_the_same_as_asking_the_query_for_curated_only(
    added: Path,
) -> None:
    """The answer sets the candidates apart from one run of the query; the query's own filter
    (include=curated, as any SPARQL client would send it) gives the same rows."""
    paths = _project(added)
    target = EmbeddedStore(paths.out / "store")
    vocabulary = load_vocabulary(paths.vocabulary)
    queries = {q.name: q for q in catalog(paths.queries).values() if is_findings_question(q)}
    assert set(queries) == set(FINDINGS_QUESTIONS)
    for name, query in queries.items():
        for example in query.examples:
            values = {k: v for k, v in example.items() if k != "include"}
            answer = ask(target, query, values, vocabulary, work_lookup(target))
            direct = target.select(prepare(query, {**values, "include": "curated"}, vocabulary,
                                           work_lookup(target)), name)
            assert answer.results.rows == direct.rows, (name, example)
            assert {r["curation"]["value"] for r in direct.rows} <= {CURATED}


def test_the_python_api_takes_the_same_option_and_counts_what_it_left_out(added: Path) -> None:
    kg = graph.open_build(project=added)
    curated = kg.ask("drug-outcomes", drug="mycophenolate-mofetil")
    everything = kg.ask("drug-outcomes", drug="mycophenolate-mofetil", include="candidates")
    assert curated == [] and curated.left_out == len(everything) > 0
    assert {row["curation"] for row in everything} == {MACHINE_EXTRACTED}
    tacrolimus = kg.ask("drug-outcomes", drug="tacrolimus")
    assert tacrolimus and {row["curation"] for row in tacrolimus} == {CURATED}


@pytest.mark.parametrize(("argv", "message"), [
    (["query", "most-cited", "--include", "candidates"],
     "--include is for findings questions; 'most-cited' lists no findings"),
    (["query", "drug-outcomes", "--param", "drug=MMF", "--param", "include=all"],
     "parameter include='all': choose one of curated, candidates"),
    (["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--include", "candidates"],
     "--include works with a named query"),
])
def test_a_wrong_include_fails_clearly(added: Path, argv: list[str], message: str) -> None:
    status, _out, err = _run(added, *argv)
    assert status == 2 and message in err


def test_curation_gaps_counts_curated_findings_only(added: Path) -> None:
    rows = _json(added, "curation-gaps")["results"]["bindings"]
    assert not any("candidate" in r.get("finding", {}).get("value", "") for r in rows)
    documents = {r["document"]["value"] for r in rows
                 if r["gap"]["value"] == "document without curated findings"}
    assert any("Mycophenolate" in d for d in documents)


def test_every_view_draws_candidates_apart_and_names_them_in_the_legend(
    added: Path, browser: object, tmp_path: Path
) -> None:
    target = EmbeddedStore(_project(added).out / "store")
    kg = graph.open_build(project=added)
    mmf = "https://w3id.org/ma-ild/vocab/mycophenolate-mofetil"
    evidence, evidence_net = evidence_page(target)
    candidate_edges = [e for e in evidence_net.edges if "candidate" in e["id"]]
    assert candidate_edges and all(e["dashes"] and e["label"].startswith("candidate: ")
                                   for e in candidate_edges)
    assert not any(e["dashes"] for e in evidence_net.edges
                   if "/finding/ahn" in e["id"] and e.get("arrows") == "to")  # curated: solid
    entity, entity_net = entity_page(target, mmf)
    hollow = [n for n in entity_net.nodes if "/candidate-" in n["id"]]
    assert hollow and all(n["color"]["background"] == "#ffffff"
                          and n["shapeProperties"]["borderDashes"] for n in hollow)
    citation, citation_net = citation_page(kg.citation_graph())
    dashed = [n for n in citation_net.nodes if n.get("shapeProperties")]
    assert [n["label"] for n in dashed] == ["Fischer 2013"]
    for page in (evidence, entity, citation):
        assert any("machine-extracted, unreviewed" in item["label"] for item in page.legend)
    status, _out, err = _run(added, "view", "entity", "--entity", "MMF",
                             "--out", str(tmp_path / "mmf.html"))
    assert status == 0, err
    with open_view(browser, tmp_path / "mmf.html") as view:  # type: ignore[arg-type]
        wait_until(view.page, "maild.state.stabilized")
        legend = view.page.inner_text("#legend")
        swatch = view.page.eval_on_selector(".swatch.hollow", "e => getComputedStyle(e).borderStyle")
        view.page.screenshot(path=str(tmp_path / "mmf.png"))
        assert view.problems() == []
    assert "Finding, machine-extracted, unreviewed (hollow, dashed)" in legend
    assert swatch == "dashed"


def test_a_drug_and_outcome_taken_from_the_study_are_marked_inferred_in_graph_and_answer(
    added: Path, tmp_path: Path
) -> None:
    """A result naming neither drug nor outcome ("Nine of the 12 patients improved") is bound to
    the study's title; the graph records where each came from, and the answer and the draft
    curation say so."""
    root = _clone(added, tmp_path / "project")
    series = tmp_path / "made-up-tacrolimus-series.txt"
    series.write_text(
        "Tacrolimus for interstitial lung disease in dermatomyositis: a case series\n\n"
        "Journal of Made-up Cases. 2021;3:1-4.\n\nMethods\nWe reviewed the charts of 12 "
        "patients.\n\nResults\nNine of the 12 patients improved after one year.\n",
        encoding="utf-8")
    status, _out, err = _run(root, "add", str(series))
    assert status == 0, err
    answer = _json(root, "drug-outcomes", "--param", "drug=tacrolimus", "--include", "candidates")
    [row] = [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]
             if "Nine of the 12" in b["quote"]["value"]]
    assert row["curation"] == (f"{MACHINE_EXTRACTED}; drug inferred from the study's title; "
                               "outcome inferred from the study's title")
    assert row["outcome"] == "ILD response"
    curated = _json(root, "drug-outcomes", "--param", "drug=tacrolimus")
    assert {b["curation"]["value"] for b in curated["results"]["bindings"]} == {CURATED}
    # the draft a person edits says the same of that finding
    status, _out, err = _run(root, "curate", series.name)
    assert status == 0, err
    draft = (root / "corpus" / "curation" / f"{series.stem}.yaml").read_text(encoding="utf-8")
    finding = draft[draft.index("Nine of the 12"):]
    assert "# GUESS: inferred from the study's title, its sentence names none; roles:" in finding
    assert "outcome: ild-response  # GUESS: inferred from the study's title" in finding


# --- point 4: from candidate to curated ----------------------------------------------------------

def test_curate_refuses_a_name_that_is_no_corpus_document(added: Path) -> None:
    status, _out, err = _run(added, "curate", "nope.txt")
    assert status == 2 and "error: nope.txt: no such document in " in err
    assert sorted(p.name for p in (added / "corpus" / "curation").iterdir()) == [
        "ahn-polymyositis-tacrolimus-case-report-journal-page.yaml"]


def test_curate_drafts_a_record_the_build_takes_as_curated_evidence(
    added: Path, tmp_path: Path
) -> None:
    root = _clone(added, tmp_path / "project")
    before = _json(root, "drug-outcomes", "--param", "drug=MMF", "--include", "candidates")
    status, out, err = _run(root, "curate", STUDY.name)
    assert status == 0, err
    draft = root / "corpus" / "curation" / "fischer-2013-pmc.yaml"
    text = draft.read_text(encoding="utf-8")
    assert out.startswith(f"wrote corpus/curation/{draft.name}: a draft curation")
    assert text.startswith("# DRAFT curation of documents/fischer-2013-pmc.xml")
    assert "candidates_reviewed: true" in text and "# GUESS" in text
    assert "design: " in text  # the design guessed from the text
    status, _out, err = _run(root, "curate", STUDY.name)
    assert status == 2 and "exists already; ma-ild curate --force overwrites it" in err
    assert draft.read_text(encoding="utf-8") == text  # refused: the person's file is untouched

    report = build(_project(root), views=False)  # the draft unchanged: checked like every record
    after = _json(root, "drug-outcomes", "--param", "drug=MMF")
    assert after["left_out"]["candidates"] == 0
    # the build report counts no candidate of a reviewed document, and none is left over where
    # every candidate was drafted or refused
    refused = {json.loads(f'"{q}"') for q in re.findall(r'(?m)^  #   quote: "(.*)"$', text)}
    assert report.per_file[f"documents/{STUDY.name}"][1] == 0
    assert report.reviewed_candidates <= len(refused)
    rows = after["results"]["bindings"]
    assert {r["curation"]["value"] for r in rows} == {CURATED}
    # every candidate is a curated finding now, but for those drafted commented out (refused)
    assert sorted(r["quote"]["value"] for r in rows) == sorted(
        b["quote"]["value"] for b in before["results"]["bindings"]
        if b["quote"]["value"] not in refused)

    # the person deletes one finding: it is gone, not back as a candidate
    blocks = re.split(r"(?m)^(?=  # candidate \d+:)", text)
    gone = next(b for b in blocks[1:] if "  - id:" in b)
    key = re.search(r"- id: (\S+)", gone)[1]  # type: ignore[index]
    draft.write_text(text.replace(gone, ""), encoding="utf-8")
    report = build(_project(root), views=False)
    # its candidate is mined again but left out of the graph, and the build report says so
    assert report.per_file[f"documents/{STUDY.name}"][1] == 0 and report.reviewed_candidates > 0
    assert f"{report.reviewed_candidates} more in documents whose candidates a person reviewed" \
        in report.summary()
    everything = _json(root, "drug-outcomes", "--param", "drug=MMF", "--include", "candidates")
    findings = {r["finding"]["value"].rsplit("/", 1)[-1]
                for r in everything["results"]["bindings"]}
    assert key not in findings and len(findings) == len(rows) - 1
    assert {r["curation"]["value"] for r in everything["results"]["bindings"]} == {CURATED}

    status, _out, err = _run(root, "curate", STUDY.name, "--force")
    assert status == 0, err
    assert draft.read_text(encoding="utf-8") == text  # drafted again from the candidates


def test_a_percent_ci_and_medians_go_from_draft_to_the_answer_with_their_quote(
    added: Path, tmp_path: Path
) -> None:
    """A PubMed abstract's "13 patients (87%; 95% CI 56-98)" is drafted with its CI, and the
    dev-set trial's "from 399 to 74.5 IU/L (medians)" with its medians; confirmed as drafted,
    the build takes both as curated evidence and drug-outcomes shows them beside their quotes."""
    root = _clone(added, tmp_path / "project")
    trial = CHECKOUT / "tests" / "fixtures" / "devset" / "allenbach-2015-saved-page.html"
    abstracts = CHECKOUT / "tests" / "fixtures" / "new_literature" / "pubmed-two-records.xml"
    for document in (trial, abstracts):
        shutil.copy(document, root / "corpus" / "documents")
    for name in (trial.name, f"{abstracts.name}#pmid-23465087"):
        status, _out, err = _run(root, "curate", name)
        assert status == 0, err
    curation = root / "corpus" / "curation"
    drafted = (curation / "pubmed-two-records-pmid-23465087.yaml").read_text(encoding="utf-8")
    assert ("result: {percent: 87, percent_ci_lower: 56, percent_ci_upper: 98, "
            "percent_ci_level: 95, count: 13}") in drafted
    record = curation / f"{trial.stem}.yaml"
    medians = record.read_text(encoding="utf-8")
    assert "result: {before: {median: 399}, after: {median: 74.5}, unit: \"IU/L\"}\n" in medians

    build(_project(root), views=False)
    rows = {r["finding"]["value"].rsplit("/", 1)[-1]: {k: v["value"] for k, v in r.items()}
            for drug in ("calcineurin-inhibitor", "rituximab")
            for r in _json(root, "drug-outcomes", "--param", f"drug={drug}")["results"]["bindings"]}
    fvc = next(r for key, r in rows.items() if key.startswith("fvc-"))
    assert (fvc["curation"], fvc["percent"], fvc["ciLower"], fvc["ciUpper"], fvc["ciLevel"]) == (
        CURATED, "87", "56", "98", "95")
    assert "13 patients (87%; 95% CI 56–98)" in fvc["quote"]
    ck = next(r for key, r in rows.items() if key.startswith("creatine-kinase-"))
    assert (ck["curation"], ck["beforeMedian"], ck["afterMedian"], ck["unit"]) == (
        CURATED, "399", "74.5", "IU/L")
    assert "before" not in ck and "from 399 to 74.5 IU/L (medians)" in ck["quote"]
    # and on the finding's edge of the KGX export
    lines = (root / "build" / "exports" / "kgx_edges.tsv").read_text(encoding="utf-8")
    header, *edges = [line.split("\t") for line in lines.splitlines()]
    [edge] = [dict(zip(header, e, strict=True)) for e in edges if e[-1] == ck["finding"]]
    assert (edge["median_before"], edge["median_after"], edge["mean_before"],
            edge["object_direction_qualifier"]) == ("399", "74.5", "", "decreased")


def test_a_candidate_the_checks_refuse_is_drafted_commented_out_with_the_reason(
    vocabulary: Vocabulary,
) -> None:
    """The draft always loads as written; what the checks would refuse waits, commented out."""
    page = CHECKOUT / "tests" / "fixtures" / "devset" / "allenbach-2015-saved-page.html"
    [document] = read_documents(page, page.parent)
    text, kept, refused = draft_curation(document, vocabulary)
    assert kept >= 1 and refused >= 1
    assert text.count("  # REFUSED by the check as drafted: ") == refused
    assert "the extractor named no outcome" in text
    curation = check_record(text, "draft", {document.path: document}, vocabulary)
    assert len(curation.findings) == kept and curation.candidates_reviewed
    assert all(f.agent == "manual_agent" for f in curation.findings)
