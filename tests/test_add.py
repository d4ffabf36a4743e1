"""``ma-ild add`` end to end, on private copies of the corpus that have been built once.

Three real builds are shared by the module (about ten seconds each): the corpus as it is
(``baseline``), after adding the Wilkes MEDLINE record and the two-record PubMed XML file
(``added``), and after adding the RIS reading list on top of that (``reading_list``). Every other
test copies one of them, so a test that goes wrong cannot spoil the others, and none of the bad
input tests needs a build of its own.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import graph.build.add
import graph.build.cache
from graph.build.cache import IDENTITIES, corpus_identities
from graph.build.journal import begin, journal_path, plan_copy
from graph.build.pipeline import DETAIL_GRAPH, build, identity
from graph.build.remove import remove
from graph.build.work_changes import WorkChanges, compare, from_difference, snapshot
from graph.cache_keys import FOLDER as CACHE
from graph.cli import main
from graph.errors import ValidationError
from graph.inputs.read import corpus_files
from graph.rdf.delta import difference
from graph.rdf.store import open_store
from graph.settings import Paths
from tests.checkout import CHECKOUT
from tests.waiting import eventually

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
FIXTURES = CHECKOUT / "tests" / "fixtures" / "new_literature"
W = "https://w3id.org/ma-ild/work/"
WILKES = W + "wilkes-2005-52-2439"
LABIRUA = W + "labirua-iturburu-2013-31-436"
SHARMA = W + "doi/10.3899/jrheum.161217"
PREFIXES = """
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX vocab: <https://w3id.org/ma-ild/vocab/>
"""
SUMMARY = re.compile(r"^(\d+) new works, (\d+) new citation edges, (\d+) entity mentions, "
                     r"(\d+) candidate findings$", re.MULTILINE)


@dataclass
class Run:
    """A state of a corpus copy and its build, and what the ``add`` that made it printed."""

    paths: Paths
    status: int = 0
    out: str = ""


def _args(paths: Paths) -> list[str]:
    return ["--corpus", str(paths.corpus), "--ontology", str(paths.ontology),
            "--out", str(paths.out)]


def _clone(paths: Paths, root: Path) -> Paths:
    """A private copy of a corpus and its build."""
    gc.collect()  # let go of any store handle before its files are copied
    shutil.copytree(paths.corpus, root / "corpus")
    shutil.copytree(paths.out, root / "build")
    return Paths(corpus=root / "corpus", ontology=ONTOLOGY, out=root / "build")


def _add(paths: Paths, *files: Path) -> Run:
    """``ma-ild add`` with its standard output captured (module fixtures cannot use capsys)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["add", *map(str, files), *_args(paths)])
    return Run(paths, status, out.getvalue())


def _corpus_state(paths: Paths) -> dict[str, str]:
    """Every file of the corpus folder with the digest of its bytes."""
    return {p.relative_to(paths.corpus).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(paths.corpus.rglob("*")) if p.is_file()}


def _build_state(paths: Paths) -> tuple[bytes, bytes]:
    return (paths.out / "graph.nt").read_bytes(), (paths.out / "build-report.json").read_bytes()


def _report(paths: Paths) -> dict:
    return json.loads((paths.out / "build-report.json").read_text())


def _select(paths: Paths, query: str) -> list[tuple[str, ...]]:
    store = open_store(paths.out / "store")
    try:
        return [tuple(t.value if t is not None else "" for t in row)
                for row in store.query(PREFIXES + query)]
    finally:
        del store


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(CORPUS, root / "corpus")
    paths = Paths(corpus=root / "corpus", ontology=ONTOLOGY, out=root / "build")
    build(paths, detail=True)  # the per-mention annotations, which every add then keeps
    return paths


@pytest.fixture(scope="module")
def added(baseline: Paths, tmp_path_factory: pytest.TempPathFactory) -> Run:
    paths = _clone(baseline, tmp_path_factory.mktemp("added"))
    return _add(paths, FIXTURES / "wilkes-2005.nbib", FIXTURES / "pubmed-two-records.xml")


@pytest.fixture(scope="module")
def reading_list(added: Run, tmp_path_factory: pytest.TempPathFactory) -> Run:
    paths = _clone(added.paths, tmp_path_factory.mktemp("reading-list"))
    return _add(paths, FIXTURES / "myositis-ild-reading-list.ris")


# --- adding records of works the graph already holds -------------------------------------------


def test_add_prints_the_files_and_what_they_brought(added: Run, baseline: Paths) -> None:
    assert added.status == 0, added.out
    lines = added.out.splitlines()
    assert "added documents/wilkes-2005.nbib" in lines
    assert "added documents/pubmed-two-records.xml" in lines
    for name in ("wilkes-2005.nbib", "pubmed-two-records.xml"):
        copied = added.paths.corpus / "documents" / name
        assert copied.read_bytes() == (FIXTURES / name).read_bytes()
    match = SUMMARY.search(added.out)
    assert match, added.out
    works, edges, mentions, candidates = map(int, match.groups())
    # Wilkes 2005 and Labirua-Iturburu 2013 were already cited, and the Sharma record is the
    # corpus article again: no new work, and no citation edge the corpus did not already give.
    assert (works, edges) == (0, 0)
    assert not [line for line in lines if line.strip().startswith("new work")]
    per_file = _report(added.paths)["per_file"]
    files = ("documents/wilkes-2005.nbib", "documents/pubmed-two-records.xml")
    assert mentions == sum(per_file[f][0] for f in files) > 0
    assert candidates == sum(per_file[f][1] for f in files) > 0
    assert per_file["documents/wilkes-2005.nbib"][0] > 0
    assert per_file["documents/wilkes-2005.nbib"][1] > 0
    assert _report(added.paths)["works"] == _report(baseline)["works"]


def test_records_of_cited_works_join_their_existing_iris(added: Run) -> None:
    rows = _select(added.paths, f"""
        SELECT ?doi WHERE {{ <{WILKES}> a maild:CorpusDocument ; bibo:doi ?doi }}""")
    assert rows == [("10.1002/art.21240",)]
    rows = _select(added.paths, f"""
        SELECT ?pmid WHERE {{ <{LABIRUA}> a maild:CorpusDocument ; bibo:pmid ?pmid }}""")
    assert rows == [("23465087",)]
    # no second work for either record
    rows = _select(added.paths, """
        SELECT ?w WHERE { { ?w bibo:doi "10.1002/art.21240" } UNION
                          { ?w bibo:pmid "23465087" } }""")
    assert sorted(set(rows)) == [(LABIRUA,), (WILKES,)]


def test_the_sharma_record_is_skipped_and_its_references_are_works_in_the_graph(
    added: Run, baseline: Paths
) -> None:
    assert any(w.startswith("documents/pubmed-two-records.xml#pmid-28864644: the same work "
                            "(doi:10.3899/jrheum.161217)") for w in _report(added.paths)["warnings"])
    expected = json.loads((FIXTURES / "pubmed-two-records.expected.json").read_text())
    cited = {i["existing_graph_work"] for i in expected["records"][1]["references"]["items"]}
    rows = set(_select(added.paths, f"SELECT ?b WHERE {{ <{SHARMA}> cito:cites ?b }}"))
    assert {(c,) for c in cited} <= rows
    edges = "SELECT ?a ?b WHERE { ?a cito:cites ?b }"
    assert set(_select(added.paths, edges)) == set(_select(baseline, edges))


# --- the done-when: a MEDLINE record in the graph with its evidence ----------------------------


def _slices_the_file(paths: Paths, source_id: str, start: str, end: str, exact: str) -> bool:
    file = paths.corpus / source_id.partition("#")[0]
    return file.read_text(encoding="utf-8")[int(start):int(end)] == exact


def test_the_medline_record_is_in_the_graph_with_mentions_candidates_and_links(
    added: Run, baseline: Paths
) -> None:
    paths = added.paths
    concepts = {c for (c,) in _select(paths, f"SELECT ?c WHERE {{ <{WILKES}> maild:mentions ?c }}")}
    assert {"https://w3id.org/ma-ild/vocab/tacrolimus",
            "https://w3id.org/ma-ild/vocab/anti-jo-1"} <= concepts

    mentions = _select(paths, f"""
        SELECT ?body ?id ?start ?end ?exact WHERE {{
            GRAPH <{DETAIL_GRAPH}> {{
              ?m a oa:Annotation ; maild:inDocument <{WILKES}> ; oa:hasBody ?body ;
                 oa:hasTarget ?t .
              VALUES ?body {{ vocab:tacrolimus vocab:anti-jo-1 }}
              ?t oa:hasSource ?file ;
                 oa:hasSelector [ oa:start ?start ; oa:end ?end ] , [ oa:exact ?exact ] . }}
            ?file dcterms:identifier ?id .
        }}""")
    assert {b.rsplit("/", 1)[1] for b, *_ in mentions} == {"tacrolimus", "anti-jo-1"}
    assert {i for _b, i, *_ in mentions} == {"documents/wilkes-2005.nbib#record-1"}
    assert all(_slices_the_file(paths, i, s, e, x) for _b, i, s, e, x in mentions)

    candidates = _select(paths, f"""
        SELECT ?f ?id ?start ?end ?exact WHERE {{
            ?f maild:agentType "text_mining_agent" ; maild:reportedIn <{WILKES}> ;
               maild:quote ?q .
            ?q oa:hasSource/dcterms:identifier ?id ;
               oa:hasSelector [ oa:start ?start ; oa:end ?end ] , [ oa:exact ?exact ] .
        }}""")
    assert len({f for f, *_ in candidates}) == _report(paths)["per_file"][
        "documents/wilkes-2005.nbib"][1] > 0
    assert all(_slices_the_file(paths, i, s, e, x) for _f, i, s, e, x in candidates)
    quotes = " ".join(" ".join(x.split()) for *_r, x in candidates)
    assert "Tacrolimus was continued for a mean of 51.2 months" in quotes

    citing = f"SELECT ?a WHERE {{ ?a cito:cites <{WILKES}> }}"
    links = set(_select(paths, citing))
    assert (SHARMA,) in links
    assert links == set(_select(baseline, citing))  # the works that cited it still do


# --- nothing to add ---------------------------------------------------------------------------------


def test_adding_the_same_file_again_changes_nothing(
    added: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _clone(added.paths, tmp_path)
    before = _corpus_state(paths), _build_state(paths)
    assert main(["add", str(FIXTURES / "wilkes-2005.nbib"), *_args(paths)]) == 0
    out = capsys.readouterr().out
    assert "already in the corpus as wilkes-2005.nbib" in out
    assert out.splitlines()[-1] == "nothing changed"
    assert (_corpus_state(paths), _build_state(paths)) == before


def test_other_bytes_holding_the_same_record_change_nothing(
    added: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _clone(added.paths, tmp_path / "state")
    copy = tmp_path / "wilkes-again.nbib"
    copy.write_bytes((FIXTURES / "wilkes-2005.nbib").read_bytes() + b"\n")
    before = _corpus_state(paths), _build_state(paths)
    assert main(["add", str(copy), *_args(paths)]) == 0
    out = capsys.readouterr().out
    assert "every record is already in the corpus (doi:10.1002/art.21240)" in out
    assert out.splitlines()[-1] == "nothing changed"
    assert (_corpus_state(paths), _build_state(paths)) == before


def test_a_file_whose_records_are_all_in_the_corpus_changes_nothing(
    reading_list: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reading_list.status == 0, reading_list.out
    assert "added documents/myositis-ild-reading-list.ris" in reading_list.out
    paths = _clone(reading_list.paths, tmp_path)
    before = _corpus_state(paths), _build_state(paths)
    assert main(["add", str(FIXTURES / "calcineurin-inhibitors.bib"), *_args(paths)]) == 0
    out = capsys.readouterr().out
    assert "every record is already in the corpus (doi:10.3899/jrheum.121026, " \
        "doi:10.3899/jrheum.161217, doi:10.1093/rheumatology/kez394)" in out
    assert out.splitlines()[-1] == "nothing changed"
    assert (_corpus_state(paths), _build_state(paths)) == before


def test_the_reading_list_brings_takada_2020_and_merges_kurita(reading_list: Run) -> None:
    rows = _select(reading_list.paths, """
        SELECT ?w WHERE { ?w a maild:CorpusDocument ; bibo:doi "10.1093/rheumatology/kez394" }""")
    assert rows == [(W + "takada-2020-59-1084",)]
    rows = _select(reading_list.paths, """
        SELECT ?w WHERE { ?w bibo:doi "10.1093/rheumatology/keu166" }""")
    assert len(rows) == 1  # one Kurita 2015, whatever page its IRI was minted from


def test_the_reading_list_reports_takada_2020_as_its_new_work(reading_list: Run) -> None:
    new = {line.split()[-1] for line in reading_list.out.splitlines()
           if line.strip().startswith("new work ")}
    assert new == {W + "takada-2020-59-1084"}


def test_the_reading_list_reports_kurita_2015_as_enriched_under_its_old_iri(
    reading_list: Run, added: Run
) -> None:
    kurita = W + "kurita-2015-54-1536"
    assert _select(added.paths, f"SELECT ?t WHERE {{ <{kurita}> dcterms:title ?t }}")
    enriched = {line.split()[2].rstrip(":"): line.split(": ", 1)[1]
                for line in reading_list.out.splitlines()
                if line.strip().startswith("enriched work ")}
    assert kurita in enriched, reading_list.out
    # the RIS record brings the DOI and issue the citing string did not print, and its first page
    assert {"doi", "issueIdentifier", "pageStart"} <= set(enriched[kurita].split(", "))
    rows = _select(reading_list.paths, """
        SELECT ?w WHERE { ?w bibo:doi "10.1093/rheumatology/keu166" }""")
    assert rows == [(kurita,)]


def test_a_reading_list_does_not_drop_the_evidence_of_a_richer_record(reading_list: Run) -> None:
    rows = _select(reading_list.paths, f"""
        SELECT ?m WHERE {{ GRAPH <{DETAIL_GRAPH}> {{
            ?m a oa:Annotation ; maild:inDocument <{WILKES}> ; oa:hasBody vocab:anti-jo-1 }} }}""")
    assert rows


# --- bad input: refused, naming the file and the reason, costing nothing ----------------------


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        chunk = b"a\n" * (1024 * 1024)
        for _ in range(25):  # 50 MiB
            handle.write(chunk)


BAD = [
    ("notes.txt", lambda p: p.write_bytes(b"Some notes about nothing in particular.\nNone.\n"),
     "no known format recognises this text"),
    ("empty.nbib", lambda p: p.write_bytes(b""), "file is empty"),
    ("figure.xml", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"),
     "file is binary"),
    ("latin1.nbib", lambda p: p.write_bytes("TI  - Caf\u00e9 au lait.\nAU  - Doe J\n"
                                            "DP  - 2020\n".encode("latin-1")),
     "not valid UTF-8"),
    ("huge.nbib", _huge, "the limit is"),
    ("untitled.nbib", lambda p: p.write_text(
        "PMID- 1\nTI  - A title.\nAU  - Doe J\nDP  - 2020\n\n"
        "PMID- 2\nAU  - Roe R\nDP  - 2021\nAB  - Tacrolimus helped 3 of 4 patients.\n"),
     "has no title"),
    # refused before a byte is read: a FIFO hung, a sparse 3 GB file filled memory
    ("pipe.ris", os.mkfifo, "not a regular file"),
    ("sparse.nbib", lambda p: (p.touch(), os.truncate(p, 3 * 1024**3)), "the limit is"),
    # copied and reported as added, then skipped by every build
    (".hidden.ris", lambda p: shutil.copyfile(FIXTURES / "myositis-ild-reading-list.ris", p),
     "never reads hidden files or READMEs"),
    ("README.ris", lambda p: shutil.copyfile(FIXTURES / "myositis-ild-reading-list.ris", p),
     "never reads hidden files or READMEs"),
]


@pytest.mark.parametrize(("name", "write", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_and_changes_nothing(
    baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, write: object, reason: str,
) -> None:
    paths = _clone(baseline, tmp_path / "state")
    bad = tmp_path / name
    write(bad)  # type: ignore[operator]
    before = _corpus_state(paths), _build_state(paths)
    status = main(["add", str(bad), *_args(paths)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.startswith(f"error: {bad}: ")
    assert reason in captured.err
    assert f"refused {bad}: " in captured.out
    assert captured.out.splitlines()[-1] == "nothing changed"
    assert "Traceback" not in captured.err + captured.out
    assert (_corpus_state(paths), _build_state(paths)) == before


def test_one_bad_file_does_not_keep_the_others_out(
    baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    paths = _clone(baseline, tmp_path / "state")
    empty, again = tmp_path / "empty.nbib", paths.documents / "rigby-2014-case-series-pubmed-page.txt"
    empty.write_bytes(b"")
    before = _corpus_state(paths)
    status = main(["add", str(empty), str(FIXTURES / "wilkes-2005.nbib"), str(again),
                   *_args(paths)])
    out = capsys.readouterr().out.splitlines()
    assert status == 2  # a file was refused; the others went in
    assert f"refused {empty}: file is empty" in out
    assert (f"unchanged {again}: already in the corpus as "
            "rigby-2014-case-series-pubmed-page.txt") in out
    assert "enriched documents/wilkes-2005.nbib: " + WILKES in out
    assert set(_corpus_state(paths)) - set(before) == {"documents/wilkes-2005.nbib"}


# --- a failing rebuild removes what was copied ---------------------------------------------------


@pytest.mark.parametrize("error", [ValidationError("shape violated"), RuntimeError("crash")],
                         ids=["graph-error", "unexpected-error"])
def test_a_failing_rebuild_removes_the_copied_files(
    baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, error: Exception,
) -> None:
    paths = _clone(baseline, tmp_path)
    before = _corpus_state(paths), _build_state(paths)
    calls: list[Paths] = []

    def failing_build(p: Paths, **_kwargs: object) -> None:
        calls.append(p)
        if not calls[1:]:
            assert (p.documents / "wilkes-2005.nbib").exists()  # copied before the rebuild
        raise error

    monkeypatch.setattr(graph.build.add, "build_changed", failing_build)
    argv = ["add", str(FIXTURES / "wilkes-2005.nbib"), str(FIXTURES / "pubmed-two-records.xml"),
            *_args(paths)]
    if isinstance(error, ValidationError):
        # a graph error: each file is tried alone, so that one bad file cannot keep the others
        # out; here each fails, and each is refused with the reason
        assert main(argv) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 2 and all("the build failed: shape violated" in e for e in err)
        assert len(calls) == 3
    else:
        with pytest.raises(RuntimeError):
            main(argv)
        assert len(calls) == 1
    assert (_corpus_state(paths), _build_state(paths)) == before



def test_two_files_of_one_stem_are_two_sources(baseline: Paths, tmp_path: Path) -> None:
    paths = _clone(baseline, tmp_path / "state")
    (tmp_path / "refs.bib").write_bytes((FIXTURES / "calcineurin-inhibitors.bib").read_bytes())
    (tmp_path / "refs.ris").write_bytes((FIXTURES / "myositis-ild-reading-list.ris").read_bytes())
    run = _add(paths, tmp_path / "refs.bib", tmp_path / "refs.ris")
    assert run.status == 0, run.out
    rows = _select(paths, """
        PREFIX fabio: <http://purl.org/spar/fabio/>
        SELECT DISTINCT ?file WHERE { ?s a fabio:DigitalManifestation ; dcterms:identifier ?id .
                                     BIND(STRBEFORE(CONCAT(?id, "#"), "#") AS ?file)
                                     FILTER(STRSTARTS(?id, "documents/refs.")) }""")
    assert sorted(rows) == [("documents/refs.bib",), ("documents/refs.ris",)]


# --- remove -------------------------------------------------------------------------------------


def test_remove_gives_back_the_graph_of_before_byte_for_byte(
    added: Run, baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _clone(added.paths, tmp_path / "state")
    assert (paths.out / "graph.nt").read_bytes() != (baseline.out / "graph.nt").read_bytes()
    # by file name as add reported it, and by corpus path
    status = main(["remove", "wilkes-2005.nbib", "documents/pubmed-two-records.xml",
                   *_args(paths)])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert "removed documents/wilkes-2005.nbib" in out
    assert "removed documents/pubmed-two-records.xml" in out
    assert _corpus_state(paths) == _corpus_state(baseline)
    assert (paths.out / "graph.nt").read_bytes() == (baseline.out / "graph.nt").read_bytes()


@pytest.mark.parametrize("cache", [True, False], ids=["change", "graph.nt diffed"])
def test_remove_reports_the_works_gone_as_two_whole_snapshots_do(
    reading_list: Run, tmp_path: Path, cache: bool
) -> None:
    """remove reports the works no longer in the graph from the graph.nt lines its build
    changed (without the cache, graph.nt is sorted whole: from the last graph.nt, kept beside
    the output while it runs, diffed with the new); the whole computation agrees."""
    paths = _clone(reading_list.paths, tmp_path / "state")
    if not cache:
        shutil.rmtree(paths.out / "cache")
    before = snapshot(paths.out / "store")
    report = remove(["myositis-ild-reading-list.ris"], paths)
    assert [o.status for o in report.outcomes] == ["removed"]
    assert report.build is not None
    assert report.build.cache["graph.nt"] == {"reused": int(cache), "made": int(not cache)}
    whole = compare(before, snapshot(paths.out / "store"))
    assert whole.gone and report.gone == whole.gone
    state = tmp_path / "state"  # the last graph.nt goes by a process of its own
    assert eventually(lambda: not [p for p in state.iterdir() if "last-graph" in p.name])


def test_remove_first_takes_out_the_copy_of_an_add_that_was_killed(
    added: Run, tmp_path: Path
) -> None:
    """An add killed before its build landed leaves its copy and journal; remove settles them
    first (it holds the add lock, so the build cannot), as the next add would."""
    paths = _clone(added.paths, tmp_path / "state")
    copy = paths.documents / "myositis-ild-reading-list.ris"
    shutil.copyfile(FIXTURES / copy.name, copy)
    begin(paths, [plan_copy(copy, hashlib.sha256(copy.read_bytes()).hexdigest())])
    report = remove(["wilkes-2005.nbib"], paths)
    assert report.rolled_back == ["documents/myositis-ild-reading-list.ris"]
    assert [o.status for o in report.outcomes] == ["removed"]
    assert not copy.exists() and not journal_path(paths).exists()
    built = {str(d["path"]).partition("#")[0] for d in _report(paths)["documents"]}
    assert "documents/pubmed-two-records.xml" in built
    assert not built & {"documents/wilkes-2005.nbib", "documents/myositis-ild-reading-list.ris"}


def test_remove_refuses_an_unknown_name_and_a_document_the_curation_needs(
    baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _clone(baseline, tmp_path / "state")
    before = _corpus_state(paths), (paths.out / "graph.nt").read_bytes()
    status = main(["remove", "no-such-file.txt", "rigby-2014-case-series-pubmed-page.txt",
                   *_args(paths)])
    captured = capsys.readouterr()
    assert status == 2
    assert "error: no-such-file.txt: no such document in " in captured.err
    assert ("error: rigby-2014-case-series-pubmed-page.txt: the graph still needs it: "
            in captured.err)
    assert captured.out.splitlines()[-1] == "nothing changed"
    assert (_corpus_state(paths), (paths.out / "graph.nt").read_bytes()) == before


def test_strict_add_refuses_what_only_the_generic_reader_can_read(
    baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _clone(baseline, tmp_path / "state")
    article = tmp_path / "letter.txt"
    article.write_bytes((CHECKOUT / "tests" / "fixtures" / "devset" /
                         "doyle-2018-journal-page.txt").read_bytes())
    before = _corpus_state(paths), _build_state(paths)
    assert main(["add", "--strict", str(article), *_args(paths)]) == 2
    captured = capsys.readouterr()
    assert f"refused {article}: no known format recognises this text" in captured.out
    assert (_corpus_state(paths), _build_state(paths)) == before


def test_add_lists_the_reference_strings_it_could_not_parse(
    baseline: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _clone(baseline, tmp_path / "state")
    article = tmp_path / "letter.txt"
    article.write_text(
        "Tacrolimus for refractory antisynthetase lung disease: a pilot cohort\n\n"
        "Jane Doe, Richard Roe\n\nExample Journal of Rheumatology 2021;12(3):145-50\n\n"
        "Abstract\n\nSeven of ten patients given tacrolimus improved.\n\nReferences\n\n"
        "1. Doe J, Roe R. An earlier cohort of treated patients. Example J Rheumatol. "
        "2019;5:1-10.\n2. Personal communication from the ward team.\n", encoding="utf-8")
    assert main(["add", str(article), *_args(paths)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "added documents/letter.txt: new works " + W + "doe-2021-12-145" in out
    assert "  not found in documents/letter.txt: doi, pmid, pmcid" in out
    assert ("  reference not parsed in documents/letter.txt, line 14: Personal communication "
            "from the ward team.") in out
    [document] = [d for d in _report(paths)["documents"] if d["path"] == "documents/letter.txt"]
    assert document["unparsed"] == ["14: Personal communication from the ward team."]


# --- the report costs what the change costs ------------------------------------------------------

# Bohan and Peter's review in two parts (NEJM 1975;292:344 and 403), which Sharma's reference list
# cites part by part, listed as one item: its title is close to both parts' titles, so the two
# parts become one work.
BOHAN_BOTH_PARTS = """TY  - JOUR
AU  - Bohan, A.
AU  - Peter, J. B.
TI  - Polymyositis and dermatomyositis (first and second of two parts)
JO  - N Engl J Med
PY  - 1975
VL  - 292
ER  -
"""


def _printed(out: str) -> WorkChanges:
    """The works an add printed as new, merged and enriched, and its new citation edges."""
    counts = SUMMARY.search(out)
    assert counts, out
    lines = [line.split(None, 2) for line in out.splitlines() if line.startswith("  ")]
    return WorkChanges(
        new=sorted(rest for kind, _w, rest in lines if kind == "new"),
        gone=sorted(rest.split(": ", 1)[0] for kind, _w, rest in lines if kind == "merged"),
        enriched={rest.split(": ")[0]: rest.split(": ")[1].split(", ")
                  for kind, _w, rest in lines if kind == "enriched"},
        citations=int(counts[2]))


@pytest.fixture(scope="module")
def merging(baseline: Paths, tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("merging")
    paths = _clone(baseline, root)
    (root / "bohan-1975.ris").write_text(BOHAN_BOTH_PARTS, encoding="utf-8")
    return _add(paths, root / "bohan-1975.ris")


@pytest.mark.parametrize(("before", "after", "kinds"), [
    ("baseline", "added", {"enriched"}),
    ("added", "reading_list", {"new", "enriched"}),
    ("baseline", "merging", {"gone"}),
])
def test_the_works_reported_from_the_change_are_those_of_two_whole_snapshots(
    request: pytest.FixtureRequest, before: str, after: str, kinds: set[str]
) -> None:
    """The add reports the works from the graph.nt lines its build changed and the works they
    name; the whole computation, every work and citation of the store before and after, agrees
    (and so does the report from the difference of the two graph.nt files, the fallback)."""
    last = request.getfixturevalue(before)
    old: Paths = last if isinstance(last, Paths) else last.paths
    run: Run = request.getfixturevalue(after)
    assert run.status == 0, run.out
    whole = compare(snapshot(old.out / "store"), snapshot(run.paths.out / "store"))
    assert {k for k in ("new", "gone", "enriched") if getattr(whole, k)} >= kinds
    assert _printed(run.out) == whole
    change = difference(old.out / "graph.nt", run.paths.out / "graph.nt", sys.maxsize)
    assert from_difference(change, run.paths.out / "store") == whole


def test_the_merged_parts_are_reported_as_merged(merging: Run) -> None:
    merged = [line.split()[2] for line in merging.out.splitlines()
              if line.startswith("  merged work ")]
    assert len(merged) == 1 and merged[0].startswith(W + "bohan-1975-292-"), merging.out


def test_an_add_whose_build_cannot_say_what_changed_reports_the_same(
    added: Run, reading_list: Run, tmp_path: Path
) -> None:
    """Without the cache, graph.nt is sorted whole: the report comes from the difference of
    the last graph.nt (kept beside the output while the add runs, then removed by a process
    of its own) and the new."""
    paths = _clone(added.paths, tmp_path)
    shutil.rmtree(paths.out / "cache")
    run = _add(paths, FIXTURES / "myositis-ild-reading-list.ris")
    assert _report(paths)["cache"]["graph.nt"] == {"reused": 0, "made": 1}  # sorted whole
    assert _printed(run.out) == _printed(reading_list.out)
    assert eventually(lambda: not [p for p in tmp_path.iterdir() if "last-graph" in p.name])


def test_the_check_against_the_corpus_reads_identities_from_the_last_builds_index(
    baseline: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build keeps its records' identities by file key: the add's check reads no record
    while the index has the file, and equals the check from every record when it has none."""
    paths = _clone(baseline, tmp_path)
    cache = paths.out / CACHE
    arguments = (paths.documents, paths.corpus, paths.out, identity)
    indexed = corpus_identities(*arguments)
    records = cache / "records"
    shutil.move(records, tmp_path / "records")
    monkeypatch.setattr(graph.build.cache, "read_documents", _no_reading)
    assert corpus_identities(*arguments) == indexed  # from the index alone
    monkeypatch.undo()
    shutil.move(tmp_path / "records", records)
    (cache / IDENTITIES).unlink()
    whole = corpus_identities(*arguments)
    assert whole == indexed
    assert whole[0] and len(whole[1]) == len(corpus_files(paths.documents))


def _no_reading(*_args: object) -> None:
    raise AssertionError("a record was read")
