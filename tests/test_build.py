"""The build end to end: its outputs, its determinism, and bad input costing nothing."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import publish
from graph.build.pipeline import BuildReport, build, write_records
from graph.build.publish import build_lock, recover, swap_into_place
from graph.cli import main
from graph.errors import BuildLockedError, ValidationError
from graph.rdf.store import open_store
from graph.settings import Paths
from tests.checkout import CHECKOUT
from tests.waiting import eventually

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
W = "https://w3id.org/ma-ild/work/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, BuildReport]:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("b") / "build")
    return paths, build(paths)


def _select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in row) for row in store.query(query)]


def copy_corpus(tmp_path: Path) -> Paths:
    """A private copy of the corpus, to add bad files to."""
    shutil.copytree(CORPUS / "documents", tmp_path / "corpus" / "documents")
    return Paths(corpus=tmp_path / "corpus", ontology=ONTOLOGY, out=tmp_path / "build")


def test_the_build_reads_every_reference_and_merges_shared_works(built: tuple) -> None:
    _paths, report = built
    assert len(report.documents) == 5
    assert report.reference_strings == 74  # 73 reference-list entries and the news citation line
    assert report.works == 63
    merged = {w["iri"]: w["strings"] for w in report.merged}
    assert merged[W + "oddis-1999-353-1762"] == 3  # the 1999 Lancet letter, in three styles
    [oddis] = [w["forms"] for w in report.merged if w["iri"] == W + "oddis-1999-353-1762"]
    assert [f["printed"] for f in oddis] == [1, 1, 1]
    assert all(f["first"].startswith("documents/") and f["text"].startswith("Oddis CV")
               for f in oddis)
    assert merged[W + "bohan-1975-292-403"] == 3
    assert W + "bohan-1975-292-344" not in merged  # the other part of Bohan & Peter
    assert merged[W + "ge-2015-34-2097"] == 2  # the review document and the cohort's ref 17
    assert report.disagreements == [
        f"{W}kurita-2015-54-1536: page_start printed as '39', '1536'"
    ]


def test_the_build_report_is_the_report_in_json_a_line_per_item(built: tuple) -> None:
    """Written a line per key and per list item (Python indents JSON slowly), it reads back as
    the report encoded whole does."""
    paths, report = built
    text = (paths.out / "build-report.json").read_text()
    whole = json.dumps(report.__dict__, indent=2, sort_keys=True, default=str)
    assert json.loads(text) == json.loads(whole)
    assert len(text.splitlines()) == 2 + sum(
        len(v) + 2 if isinstance(v, list) and v else 1 for v in report.__dict__.values())


def test_the_output_folder_holds_every_format_and_a_store(built: tuple) -> None:
    paths, report = built
    for name in ("graph.nt", "graph.ttl", "graph.jsonld", "context.jsonld", "build-report.json"):
        assert (paths.out / name).stat().st_size > 0, name
    lines = (paths.out / "graph.nt").read_text().splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == report.triples


def test_the_store_loaded_leniently_holds_what_a_checking_load_of_graph_nt_holds(
    built: tuple, tmp_path: Path,
) -> None:
    """The build loads its own graph.nt without checking the IRIs again (Oxigraph wrote every
    term of it): the quads are those of a load that checks everything."""
    paths, _report = built
    checked = ox.Store(str(tmp_path / "checked"))
    checked.bulk_load(path=str(paths.out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    built_store = open_store(paths.out / "store")
    assert set(built_store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == set(checked)


def test_every_citation_edge_is_queryable_with_shared_works_merged(built: tuple) -> None:
    paths, _report = built
    store = open_store(paths.out / "store")
    edges = _select(store, """
        PREFIX cito: <http://purl.org/spar/cito/>
        SELECT ?citing ?cited WHERE { ?citing cito:cites ?cited }""")
    assert len(edges) == 74
    citing_oddis = {c for c, d in edges if d == W + "oddis-1999-353-1762"}
    assert len(citing_oddis) == 3
    cohort = W + "doi/10.3899/jrheum.161217"
    review = W + "ge-2015-34-2097"
    assert (cohort, review) in edges
    [(kind,)] = _select(store, f"""
        PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        SELECT ?design WHERE {{ <{review}> a maild:CorpusDocument ; maild:studyDesign ?design }}""")
    assert kind.endswith("/systematic-review")


def test_the_news_summary_is_linked_to_the_article_it_reports_on(built: tuple) -> None:
    paths, _report = built
    store = open_store(paths.out / "store")
    rows = _select(store, """
        PREFIX cito: <http://purl.org/spar/cito/>
        PREFIX fabio: <http://purl.org/spar/fabio/>
        SELECT ?news ?article WHERE { ?news a fabio:NewsItem ; cito:citesAsSourceDocument ?article }""")
    assert [article for _news, article in rows] == [W + "doi/10.3899/jrheum.161217"]


def test_each_corpus_document_has_its_design_type(built: tuple) -> None:
    paths, _report = built
    store = open_store(paths.out / "store")
    rows = dict(_select(store, """
        PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?path ?design WHERE {
          ?work maild:studyDesign ?design ; <http://purl.org/vocab/frbr/core#embodiment> ?file .
          ?file dcterms:identifier ?path }"""))
    designs = {path.split("/")[-1]: iri.rsplit("/", 1)[-1] for path, iri in rows.items()}
    assert designs == {
        "ahn-polymyositis-tacrolimus-case-report-journal-page.txt": "case-report",
        "ge-2015-systematic-review-springer-page.txt": "systematic-review",
        "rigby-2014-case-series-pubmed-page.txt": "case-series",
        "sharma-2017-cohort-article-markdown.txt": "retrospective-cohort-study",
        "sharma-2017-cohort-news-summary.txt": "news-report",
    }


def test_each_source_file_records_its_length_in_characters(built: tuple) -> None:
    paths, _ = built
    store = open_store(paths.out / "store")
    counts = dict(_select(store, """SELECT ?id ?n WHERE {
        ?s <http://purl.org/dc/terms/identifier> ?id ;
           <https://w3id.org/ma-ild/ontology#characterCount> ?n }"""))
    assert counts and counts == {
        name: str(len((paths.documents.parent / name).read_bytes().decode("utf-8")))
        for name in counts}


def test_rebuilding_gives_byte_identical_ntriples(built: tuple, tmp_path: Path) -> None:
    paths, _report = built
    again = build(Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path / "again"))
    assert again.triples > 0
    assert (tmp_path / "again" / "graph.nt").read_bytes() == (paths.out / "graph.nt").read_bytes()


STAGES = ["read documents", "ontology and curation", "mine mentions", "parse references",
          "resolve works", "triples to N-Triples", "load the store", "validate (SHACL)",
          "Turtle and JSON-LD", "exports (KGX, GraphML)", "views"]


def test_the_report_times_every_stage_in_order(built: tuple) -> None:
    _paths, report = built
    assert [s["stage"] for s in report.stages] == STAGES
    assert all(s["seconds"] >= 0 and s["peak_rss_mib"] > 0 for s in report.stages)


def test_the_records_are_written_in_a_child_process_that_is_gone_after(tmp_path: Path) -> None:
    """Python keeps freed memory; the records' process ends, so the store load never pays it."""
    script = ("import resource, sys; from pathlib import Path; from graph.build.pipeline import build; from graph.settings import Paths;"
              "build(Paths(out=Path(sys.argv[1])), views=False);"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], cwd=CHECKOUT,
                          capture_output=True, text=True, check=True)
    assert int(done.stdout.split()[-1]) > 50  # MiB: a Python child process ran, and ended
    assert (tmp_path / "out" / "graph.nt").exists()


def test_write_records_alone_writes_the_builds_ntriples(built: tuple, tmp_path: Path) -> None:
    paths, report = built
    partial, stages, _change = write_records(paths, tmp_path / "graph.nt", strict=False,
                                             show=False)
    assert (tmp_path / "graph.nt").read_bytes() == (paths.out / "graph.nt").read_bytes()
    assert [s["stage"] for s in stages] == STAGES[:6]
    assert (partial.works, partial.citations, partial.findings) == (
        report.works, report.citations, report.findings)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"   \n", "documents/empty.txt: file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "documents/image.txt: file is binary"),
        ("latin1.txt", b"Title\nline two\nna\xefve\n", "documents/latin1.txt:3: text is not valid UTF-8"),
        ("prose.txt", b"Just a sentence.\n", "documents/prose.txt: no known format recognises"),
    ],
)
def test_bad_input_fails_clearly_and_keeps_the_previous_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    paths = copy_corpus(tmp_path)
    build(paths)
    before = (paths.out / "graph.nt").read_bytes()
    (paths.documents / name).write_bytes(content)
    status = main(["build", "--corpus", str(paths.corpus), "--out", str(paths.out)])
    err = capsys.readouterr().err
    assert status == 2
    assert message in err
    assert "Traceback" not in err
    assert (paths.out / "graph.nt").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build", "corpus"]


PUBMED_PAGE_WITH_TRUNCATED_REFERENCE = """\
Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation
Case Reports
. 2020 Jan;1(1):1-2.
doi: 10.1000/example.1.

A made-up case of myositis

Jane Q Doe et al. Example J. 2020 Jan.

Abstract

A short abstract.

PubMed Disclaimer

References

    1. Oddis CV, Sciurba FC, Elmagd KA, et al. Tacrolimus in refractory polymyositis with interstitial lung disease. Lancet. 1999;353:1762-1763. - PubMed
    1. Sontheimer RD. Cutaneous features of classic dermatomyositis and - PubMed

Publication types
"""


def test_a_truncated_reference_is_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    paths = copy_corpus(tmp_path)
    (paths.documents / "new-page.txt").write_text(PUBMED_PAGE_WITH_TRUNCATED_REFERENCE)
    report = build(paths)
    [warning] = [w for w in report.warnings if "new-page" in w]
    assert warning.startswith("documents/new-page.txt:19: ")
    assert "truncated" in warning
    assert report.reference_strings == 75  # the good reference of the new page was kept


def test_strict_mode_fails_on_a_truncated_reference(tmp_path: Path) -> None:
    paths = copy_corpus(tmp_path)
    (paths.documents / "new-page.txt").write_text(PUBMED_PAGE_WITH_TRUNCATED_REFERENCE)
    status = main(["build", "--strict", "--corpus", str(paths.corpus), "--out", str(paths.out)])
    assert status == 2
    assert not paths.out.exists()


def test_what_the_documents_folder_holds_besides_documents_is_named(tmp_path: Path) -> None:
    """A subfolder, a broken link and a FIFO were skipped without a word."""
    paths = copy_corpus(tmp_path)
    (paths.documents / "more").mkdir()
    (paths.documents / "gone.ris").symlink_to(tmp_path / "nowhere.ris")
    os.mkfifo(paths.documents / "pipe.ris")
    (paths.documents / ".notes.txt").write_text("mine")  # notes beside documents: by design
    report, _stages, _change = write_records(paths, tmp_path / "graph.nt", strict=False,
                                             show=False)
    assert [w for w in report.warnings if "skipped" in w] == [
        "documents/gone.ris: skipped, a link to a file that does not exist",
        "documents/more: skipped, a folder (documents are the files directly in documents/)",
        "documents/pipe.ris: skipped, not a regular file (a FIFO, socket or device)",
    ]


def test_a_second_build_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    paths = copy_corpus(tmp_path)
    with build_lock(paths.out), pytest.raises(BuildLockedError, match="another build"):
        build(paths)


def test_a_swap_interrupted_between_its_two_renames_is_recovered(tmp_path: Path) -> None:
    paths = copy_corpus(tmp_path)
    build(paths)
    before = (paths.out / "graph.nt").read_bytes()
    paths.out.rename(tmp_path / ".build.previous")  # killed after the first rename
    (tmp_path / ".build.staging-999").mkdir()  # and a half-written staging folder
    build(paths)
    assert (paths.out / "graph.nt").read_bytes() == before
    assert not (tmp_path / ".build.previous").exists()
    assert not (tmp_path / ".build.staging-999").exists()


def test_a_build_leaves_no_store_open_for_the_cycle_collector_to_close(tmp_path: Path) -> None:
    """A store a build opened is closed when the build is done, not when Python's cycle
    collector next runs: a second build in the same process stages in the same folder and opens
    the store there (a parser's cycles once kept the SHACL stage's frames, and its store, open)."""
    paths = copy_corpus(tmp_path)
    gc.disable()
    try:
        build(paths, views=False)
        paths.out.rename(tmp_path / ".build.previous")  # the next build stages where this one did
        build(paths, views=False)
        build(paths, views=False)  # and from a last build: SHACL on the change
    finally:
        gc.enable()
    assert (paths.out / "graph.nt").exists()


def test_an_old_output_removed_later_is_gone_and_a_stopped_removal_is_swept(
        tmp_path: Path) -> None:
    """``add`` leaves the removal of the last build's folder to a process of its own: the new
    output is in place at once, the old one goes, and what a stopped removal left (a
    ``.discarded-*`` folder) the next build sweeps away."""
    out, staging = tmp_path / "build", tmp_path / ".build.staging-1"
    for folder, text in ((out, "old"), (staging, "new")):
        (folder / "cache" / "kind").mkdir(parents=True)
        (folder / "cache" / "kind" / "entry").write_text(text)
    swap_into_place(staging, out, remove_later=True)
    assert (out / "cache" / "kind" / "entry").read_text() == "new"
    assert not staging.exists() and not (tmp_path / ".build.previous").exists()
    # the removal runs on its own: wait for it, at most ten seconds
    assert eventually(lambda: sorted(p.name for p in tmp_path.iterdir()) == ["build"])
    (tmp_path / ".build.discarded-999" / "cache").mkdir(parents=True)  # a removal stopped
    (tmp_path / ".build.discarded-998-last-graph").write_text("a file an add set aside")
    recover(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_an_old_output_is_removed_at_once_when_no_process_can_remove_it_later(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new build stands even when the shell that would remove the old one cannot start."""
    def no_shell(*_args: object, **_kwargs: object) -> None:
        raise FileNotFoundError("sh")

    monkeypatch.setattr(publish.subprocess, "run", no_shell)
    out, staging = tmp_path / "build", tmp_path / ".build.staging-1"
    (out / "cache").mkdir(parents=True)
    (staging / "cache").mkdir(parents=True)
    swap_into_place(staging, out, remove_later=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_shape_violation_fails_with_a_readable_report(tmp_path: Path) -> None:
    shapes = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, shapes)
    text = (shapes / "shapes.ttl").read_text()
    (shapes / "shapes.ttl").write_text(text.replace(
        'sh:path bibo:doi ; sh:maxCount 1 ;', 'sh:path bibo:doi ; sh:maxCount 1 ; sh:minCount 1 ;'
    ))
    paths = Paths(corpus=CORPUS, ontology=shapes, out=tmp_path / "build")
    with pytest.raises(ValidationError) as caught:
        build(paths)
    message = str(caught.value)
    assert "does not conform to shapes.ttl" in message
    assert f"{W}aggarwal-2012-24-635 bibo:doi: a DOI is one lower-case string" in message
    assert not paths.out.exists()


def test_the_printed_summary_stays_short_for_a_large_corpus() -> None:
    """A hundred thousand documents print a few hundred lines, not one line each."""
    report = BuildReport(documents=[{"path": f"d{i}.xml", "layout": "pubmed-xml", "references": 3}
                                    for i in range(10_000)],
                         warnings=[f"w{i}" for i in range(500)],
                         merged=[{"iri": "w:classic", "strings": 5000, "forms": [
                             {"text": "Bohan A. Classic. 1975", "printed": 4999, "first": "d1:3"},
                             {"text": "Bohan A (1975) Classic", "printed": 1}]}])
    lines = report.summary().splitlines()
    assert len(lines) < 200
    at = lines.index("  w:classic <- 5000 strings:")  # a work's distinct forms, not every string
    assert lines[at + 1:at + 3] == ["    d1:3: Bohan A. Classic. 1975 (printed 4999 times)",
                                    "    Bohan A (1975) Classic"]
    assert "  ... and 9950 more (all of them in build-report.json)" in lines
    assert "  ... and 450 more (all of them in build-report.json)" in lines
