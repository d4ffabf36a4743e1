"""Hostile text end to end: markup, SPARQL and Turtle fragments, control characters, a huge line.

One more PubMed page (a copy of the Rigby page's structure) carries them in its title, its author
line and a reference. The build must succeed; every serialisation must re-parse; the named queries
must run; no view may hold an unescaped ``<script>window``; the citation view opens with no
console error and ``window.__pwned`` never set.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.build.pipeline import build
from graph.cli import main
from graph.errors import GraphError
from graph.settings import Paths
from tests.checkout import CHECKOUT

sys.path.insert(0, str(CHECKOUT))  # `tests` is no package on the path under importlib mode
from tests.browser import open_view, wait_until

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
RIGBY = CORPUS / "documents" / "rigby-2014-case-series-pubmed-page.txt"
RIGBY_TITLE = "Tacrolimus rescue therapy for severe respiratory failure in the anti-synthetase syndrome"
QUSHMAQ = "Qushmaq KA, Chalmers A, Esdaile JM. Cyclosporin A in the treatment of refractory adult"

HOSTILE = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> '
           '} ; DROP ALL ; # """ > " \\ \u2028 end')
CONTROL = " bell \u0007 escape \u001b"  # see the control-character test at the end
AUTHOR = 'Eve X Mallory<script>window.__pwned=3</script> et al.'
LONG = "x" * 20_000



def hostile_corpus(folder: Path, extra: str = "") -> Paths:
    shutil.copytree(CORPUS, folder / "corpus")
    text = RIGBY.read_text(encoding="utf-8")
    assert text.count(RIGBY_TITLE) == 2 and QUSHMAQ in text
    text = (text.replace(RIGBY_TITLE, HOSTILE + extra)
            .replace("doi: 10.1002/rcr2.52.", "doi: 10.1000/hostile.1.")
            .replace("Amy L Rigby et al.", AUTHOR)
            .replace(QUSHMAQ, f"Quill KA, Chalmers A, Esdaile JM. {HOSTILE} in the treatment of "
                              "refractory adult")
            .replace("PubMed Disclaimer", f"{LONG}\n\nPubMed Disclaimer"))
    (folder / "corpus" / "documents" / "hostile-pubmed-page.txt").write_text(text, encoding="utf-8")
    return Paths(corpus=folder / "corpus", ontology=ONTOLOGY, out=folder / "build")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = hostile_corpus(tmp_path_factory.mktemp("hostile"))
    report = build(paths)
    assert len(report.documents) == 6
    return paths


def test_the_hostile_title_reaches_the_graph_verbatim(built: Paths) -> None:
    store = ox.Store.read_only(str(built.out / "store"))
    titles = [str(row["t"].value) for row in store.query(
        "SELECT ?t WHERE { ?w <http://purl.org/dc/terms/title> ?t }")]
    del store
    piece = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> } ; DROP ALL'
    assert sum(piece in t for t in titles) == 2, titles  # the page and the reference


def test_every_serialisation_re_parses(built: Paths) -> None:
    nt = built.out / "graph.nt"
    lines = len(nt.read_text(encoding="utf-8").splitlines())
    store = ox.Store()
    store.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == lines
    assert len(Graph().parse(nt, format="nt")) == lines
    assert len(Graph().parse(built.out / "graph.ttl", format="turtle")) == lines
    assert len(Graph().parse(built.out / "graph.jsonld", format="json-ld")) == lines
    ox_ttl = ox.Store()
    ox_ttl.load(path=str(built.out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(ox_ttl) == lines


@pytest.mark.parametrize("name", ["citation-edges", "most-cited"])
def test_the_named_queries_run(capsys: pytest.CaptureFixture[str], built: Paths, name: str) -> None:
    status = main(["query", name, "--store", str(built.out / "store"), "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    rows = json.loads(out)["results"]["bindings"]
    assert rows
    if name == "citation-edges":
        assert any(HOSTILE in json.dumps(r, ensure_ascii=False)
                   or "hostile" in json.dumps(r) for r in rows)


def test_no_view_holds_an_unescaped_script(built: Paths) -> None:
    pages = sorted((built.out / "views").glob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>window" not in html, page.name
        assert "</script><img" not in html, page.name


def test_the_citation_view_opens_quietly_and_nothing_runs(browser: object, built: Paths) -> None:
    with open_view(browser, built.out / "views" / "citations.html") as view:  # type: ignore[arg-type]
        wait_until(view.page, "typeof network !== 'undefined' && network.body.data.nodes.length")
        assert view.evaluate("typeof window.__pwned") == "undefined"
        assert view.problems() == []


def test_control_characters_in_a_title_build_or_are_a_clear_input_error(tmp_path: Path) -> None:
    paths = hostile_corpus(tmp_path, CONTROL)
    try:
        build(paths, views=False, check_shapes=False)
    except GraphError as exc:  # the acceptable alternative: a clear input error
        assert "hostile-pubmed-page.txt" in str(exc)


def test_a_nul_in_a_document_is_a_clear_input_error(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """NUL makes the file binary: refused before any layout sees it."""
    paths = hostile_corpus(tmp_path)
    bad = paths.documents / "hostile-pubmed-page.txt"
    bad.write_bytes(bad.read_bytes().replace(b"} ; DROP", b"}\x00; DROP", 1))
    status = main(["build", "--corpus", str(paths.corpus), "--out", str(paths.out),
                   "--no-views", "--no-shacl"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: documents/hostile-pubmed-page.txt: file is binary"), err
    assert not paths.out.exists()


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_formula_in_an_answer_is_written_so_no_spreadsheet_runs_it(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV injection: cells beginning with = + - @ are prefixed with ' (OWASP); numbers stay."""
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/ma-ild/work/x"),
                      ox.NamedNode("http://purl.org/dc/terms/title"),
                      ox.Literal('=HYPERLINK("http://evil.example","click")')))
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/ma-ild/work/x"),
                      ox.NamedNode("https://w3id.org/ma-ild/ontology#percentChange"),
                      ox.Literal("-64.7", datatype=ox.NamedNode(
                          "http://www.w3.org/2001/XMLSchema#decimal"))))
    store.flush()
    del store
    query = ("SELECT ?t ?c WHERE { ?w <http://purl.org/dc/terms/title> ?t ; "
             "<https://w3id.org/ma-ild/ontology#percentChange> ?c }")
    assert main(["query", "--sparql", query, "--format", fmt,
                 "--store", str(tmp_path / "store")]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    cells = row.split("," if fmt == "csv" else "\t")
    assert cells[0].lstrip('"').startswith("'=HYPERLINK")
    assert cells[-1] == "-64.7"


@pytest.mark.parametrize(("query", "refusal"), [
    ("SELECT * WHERE " + "{ " * 4000 + "?s ?p ?o " + "} " * 4000,
     "the query nests groups more than 100 deep"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
     "SERVICE <http://127.0.0.1:9/sparql> is refused"),
    ("SELECT * WHERE { SERVICE SILENT <file:///etc/passwd> { ?s ?p ?o } }",
     "SERVICE <file:///etc/passwd> is refused"),
])
def test_a_query_that_would_crash_or_reach_out_is_refused_in_one_line(
    query: str, refusal: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 16 KB nesting ended in a segmentation fault; SERVICE sent a POST to any URL."""
    store = ox.Store(str(tmp_path / "store"))
    store.flush()
    del store
    assert main(["query", "--sparql", query, "--store", str(tmp_path / "store")]) == 2
    error = capsys.readouterr().err
    assert refusal in error and len(error.strip().splitlines()) == 1


def test_an_allowed_service_that_fails_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing listens on the discard port: the engine's error is the endpoint's, in one line."""
    store = ox.Store(str(tmp_path / "store"))
    store.flush()
    del store
    endpoint = "http://127.0.0.1:9/sparql"
    assert main(["query", "--sparql", f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
                 "--allow-service", endpoint, "--store", str(tmp_path / "store")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: a SERVICE endpoint of the query failed: ")
    assert len(error.strip().splitlines()) == 1


def test_an_integer_parameter_past_64_bits_is_an_error_not_an_empty_answer(
    built: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    """--param depth=9223372036854775808 answered 0 rows without a word."""
    assert main(["query", "citations-of-work", "--param", "work=ge-2015-34-2097",
                 "--param", "depth=9223372036854775808",
                 "--store", str(built.out / "store")]) == 2
    assert "parameter depth='9223372036854775808': beyond the 64-bit integers" in (
        capsys.readouterr().err)


def test_the_pages_allow_only_their_own_scripts_by_hash(
    browser: object, built: Paths, tmp_path: Path
) -> None:
    """No 'unsafe-inline' for scripts: a script smuggled into a page does not run, while the
    page's own scripts (allowed by their SHA-256) draw the view as before."""
    for page in sorted((built.out / "views").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"')[0]
        scripts = policy.split("script-src ", 1)[1].split(";")[0].split()
        assert "'unsafe-inline'" not in scripts and scripts, page.name
        assert all(s.startswith("'sha256-") for s in scripts), page.name
    html = (built.out / "views" / "citations.html").read_text(encoding="utf-8")
    smuggled = tmp_path / "smuggled.html"
    smuggled.write_text(html.replace("</body>", "<script>window.__pwned=4</script></body>"),
                        encoding="utf-8")
    with open_view(browser, smuggled) as view:  # type: ignore[arg-type]
        wait_until(view.page, "typeof network !== 'undefined' && network.body.data.nodes.length")
        assert view.evaluate("typeof window.__pwned") == "undefined"
        assert any("Content Security Policy" in e for e in view.console_errors)
