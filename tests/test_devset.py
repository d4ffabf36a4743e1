"""The development set: twelve real published studies the corpus does not hold, in the formats
people hold (plain text of unseen layouts, JATS XML, saved HTML pages, PDF in one and two columns).

Every document must be accepted, at least 95% of the printed bibliographic fields must come out
exact (``python -m graph.inputs.scoring`` prints the table the README shows), and every one the
corpus cites must become the corpus's existing node when ``ma-ild add`` takes them all in at once.
"""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import shutil
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.inputs.scoring import score, table, totals
from graph.mining.scoring import score_devset
from graph.rdf.store import open_store
from graph.settings import Paths
from tests.checkout import CHECKOUT
from tests.pdfs import write_pdf

DEVSET = CHECKOUT / "tests" / "fixtures" / "devset"
W = "https://w3id.org/ma-ild/work/"
EXPECTED = {p.name[: -len(".expected.json")]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(DEVSET.glob("*.expected.json"))}
FILES = sorted(p for p in DEVSET.iterdir() if p.suffix in (".txt", ".xml", ".html", ".pdf"))


def test_the_set_holds_twelve_studies_in_every_format_each_with_its_expected_fields() -> None:
    assert len(FILES) >= 12
    assert {p.suffix for p in FILES} == {".txt", ".xml", ".html", ".pdf"}
    assert sorted(p.name.rsplit(".", 1)[0] for p in FILES) == sorted(EXPECTED)


def test_every_document_is_accepted_and_95_percent_of_printed_fields_are_exact() -> None:
    results = score(DEVSET)
    assert all(s.layout is not None for s in results), table(results)
    exact, printed = totals(results)
    assert exact / printed >= 0.95, table(results)


def test_the_pdf_pages_are_made_from_the_texts_in_make_pdfs(tmp_path: Path) -> None:
    """The committed PDFs are what the script writes (reportlab's invariant mode: same bytes)."""
    script = runpy.run_path(str(DEVSET / "make_pdfs.py"))
    write_pdf(tmp_path / "y.pdf", script["YAMASAKI_HEAD"], script["YAMASAKI_BODY"], columns=2)
    assert (tmp_path / "y.pdf").read_bytes() == (DEVSET / "yamasaki-2007-two-column.pdf").read_bytes()


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, str, int]:
    """The corpus built, then ``ma-ild add`` of the whole set in one go."""
    root = tmp_path_factory.mktemp("devset")
    shutil.copytree(CHECKOUT / "corpus", root / "corpus")
    paths = Paths(corpus=root / "corpus", ontology=CHECKOUT / "ontology", out=root / "build")
    build(paths, views=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["add", *map(str, FILES), "--corpus", str(paths.corpus),
                       "--ontology", str(paths.ontology), "--out", str(paths.out)])
    return paths, out.getvalue(), status


def _select(paths: Paths, query: str) -> list[tuple[str, ...]]:
    store = open_store(paths.out / "store")
    try:
        return [tuple(t.value for t in row) for row in store.query(query)]
    finally:
        del store


def test_add_takes_in_every_file_and_says_what_each_brought(added: tuple[Paths, str, int]) -> None:
    _paths, out, status = added
    assert status == 0, out
    lines = out.splitlines()
    for path in FILES:
        cited = EXPECTED[path.name.rsplit(".", 1)[0]].get("cited_as")
        outcome = "enriched" if cited else "added"
        assert any(line.startswith(f"{outcome} documents/{path.name}: ") for line in lines), (
            path.name, out)
    # what a file did not print is reported, per document
    assert ("  not found in documents/tsuji-thesis-repository-record.txt: journal, year, volume, "
            "issue, pages, pmid, pmcid") in lines, out


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e.get("cited_as")))
def test_a_study_the_corpus_cites_becomes_its_existing_node(
    added: tuple[Paths, str, int], name: str
) -> None:
    paths, _out, _status = added
    work = W + EXPECTED[name]["cited_as"]
    [path] = [p.name for p in FILES if p.name.startswith(name + ".")]
    rows = _select(paths, f"""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX frbr: <http://purl.org/vocab/frbr/core#>
        PREFIX maild: <https://w3id.org/ma-ild/ontology#>
        PREFIX cito: <http://purl.org/spar/cito/>
        SELECT ?id (COUNT(DISTINCT ?citing) AS ?n) WHERE {{
          <{work}> a maild:CorpusDocument ; frbr:embodiment/dcterms:identifier ?id .
          ?citing cito:cites <{work}> .
        }} GROUP BY ?id""")
    assert [r[0] for r in rows] == [f"documents/{path}"]
    assert int(rows[0][1]) >= 1  # still cited by the corpus, under the same IRI
    titles = _select(paths, f"""PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?w WHERE {{ ?w dcterms:title ?t FILTER(LCASE(STR(?t)) = LCASE(
        "{EXPECTED[name]['title']}")) }}""")
    assert titles == [(work,)]  # no second node


def test_the_jats_reference_list_links_to_works_by_their_identifiers(
    added: tuple[Paths, str, int]
) -> None:
    paths, _out, _status = added
    rows = _select(paths, f"""PREFIX cito: <http://purl.org/spar/cito/>
        SELECT ?cited WHERE {{ <{W}huapaya-2019-156-896> cito:cites ?cited }} ORDER BY ?cited""")
    assert rows == [(W + "fischer-2013-40-640",), (W + "mira-avendano-2013-107-890",)]


def test_every_study_has_its_findings_curated_by_hand_and_they_pass_the_corpus_checks() -> None:
    """The gold standard of the extraction score: one curation record per document, read by the
    corpus's own loader (quotes verbatim, numbers in their quotes, entities in the vocabulary)."""
    records = sorted(p.stem for p in (DEVSET / "curation").glob("*.yaml"))
    assert records == sorted(EXPECTED)
    scores = score_devset(DEVSET, CHECKOUT / "ontology")
    assert len(scores) == len(FILES)
    assert sum(s.findings.curated for s in scores) >= 40
