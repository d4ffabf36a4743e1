"""The record readers against real-study fixtures: every field, every mention, every finding.

Each ``tests/fixtures/new_literature/STEM.expected.json`` states what a correct reader extracts
from its file (see that folder's README). The tests are parametrized over those expected files, one
test per (file, field), so a reader bug fails exactly the fields it gets wrong; each known bug is
an ``xfail(strict=True)`` with its reason, and each finding phrase the extractor does not get is
listed in :data:`KNOWN_FINDING_MISSES`.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from graph.build.pipeline import load_ontology
from graph.citations.references import parse_reference
from graph.errors import InputError
from graph.inputs.read import read_documents
from graph.inputs.text import load_source, reread
from graph.mining.corpus import Mined, mine
from graph.records import Bibliographic, Document, Person, RawReference
from graph.vocabulary.concepts import Vocabulary, vocabulary_from_graph
from tests.checkout import CHECKOUT

FIXTURES = CHECKOUT / "tests" / "fixtures" / "new_literature"
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))
FIELDS = ("records", "title", "authors", "journal", "year", "volume", "issue", "pages", "doi",
          "pmid", "pmcid", "publication_type", "references", "reference_pmcids")

# --- known bugs, as (fixture stem, field) -> reason ----------------------------------------------

BUGS: dict[tuple[str, str], str] = {}


def _case(path: Path, field: str) -> object:
    stem = path.name.removesuffix(".expected.json")
    reason = BUGS.get((stem, field))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(path, field, id=f"{stem}-{field}", marks=marks)


FIELD_CASES = [_case(p, f) for p in EXPECTED for f in FIELDS]
FILE_CASES = [pytest.param(p, id=p.name.removesuffix(".expected.json")) for p in EXPECTED]

# --- extraction misses -----------------------------------------------------------------------------

# Finding phrases of the expected files that no mined candidate quotes (graph.mining.candidates does not
# recognise the sentence). The test asserts the misses are exactly these: a new miss fails, and so
# does a phrase the extractor learns to find (then delete it here).
KNOWN_FINDING_MISSES: dict[str, set[str]] = {
    "wilkes-2005.nbib#record-1": {
        # counts written as "N ... of whom M carried" / "the 15 ... who were given": no pattern
        "a myositis cohort of 536 patients, 98 carried an anti-ARS antibody",
        "the 15 anti-ARS ILD patients who were given tacrolimus between 1992 and 2003",
        "so 13 patients were analysed",
        # a significant change without a number
        "The corticosteroid dose could be lowered significantly",
    },
    "takada-2020.nbib#pmid-31539061": {
        "Only 16 historical controls",
    },
    "pubmed-two-records.xml#pmid-23465087": {
        # medians and averages with an IQR in brackets
        "an average of 19 (IQR 14–30) months",
        "Median age at ILD onset was 42.3 (IQR 32.4–56.8) years",
        "a median of 11 (IQR 5–49) months",
        "median follow-up was 24 (IQR 12–32) months",
        "Thirteen patients were anti-Jo-1 positive and 2 were anti-PL-12 positive",
    },
    "cavagna-2013-journal-page.txt#pmid-23418387": {
        "All 17 failed prednisone within 12 months",
        "a median of 96 months (IQR 57–120)",
        "the median FVC was 60% (IQR 56%–70%)",
        "the median DLCO 60% (IQR 50%–62.75%)",
        "the median Kazerooni score 16 (IQR 7–18)",
    },
}

# Expected mentions that mining does not give, by record.
KNOWN_MENTION_MISSES: dict[str, set[str]] = {
    # "corticosteroid dose" is matched whole, as the outcome vocab:glucocorticoid-dose (longest
    # label wins), so the drug itself is not mentioned on its own anywhere in the abstract.
    "wilkes-2005.nbib#record-1": {"glucocorticoid"},
}


# --- helpers -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return vocabulary_from_graph(load_ontology(CHECKOUT / "ontology"))


def _expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _read(path: Path) -> tuple[list[Document], list[dict]]:
    expected = _expected(path)
    documents = read_documents(FIXTURES / expected["file"], FIXTURES)
    return documents, expected["records"]


def _initials(given: str) -> str:
    """ "C. V." -> "CV", "Michael S." -> "MS", "MR" -> "MR", "Lorenzo" -> "L"."""
    parts = [p for p in re.split(r"[\s.]+", given) if p]
    return "".join(p if p.isupper() and len(p) <= 4 else p[0].upper() for p in parts)


def _name(person: Person) -> str:
    return f"{person.family} {_initials(person.given)}".strip()


def _norm(text: str) -> str:
    """Entity-decoded, whitespace-collapsed: a quote of the file compared with a phrase."""
    return " ".join(unescape(text).split())


def _ids(reference: RawReference, kind: str) -> list[str]:
    """The ``kind`` identifiers of a reference: given beside it, or parsed from its text."""
    found = [v for k, v in reference.identifiers if k == kind]
    if not found:
        try:
            value = getattr(parse_reference(reference).fields, kind)
        except InputError:
            value = None
        found = [value] if value else []
    return found


def _check_item(reference: RawReference, item: dict) -> None:
    """One reference against its expected item (ids, and the fields when the item has them)."""
    if "citation_contains" in item:
        assert item["citation_contains"] in reference.text
    for kind in ("pmid", "doi"):
        assert _ids(reference, kind) == ([item[kind]] if item.get(kind) else []), kind
    if "title" not in item:
        return
    fields: Bibliographic = parse_reference(reference).fields
    assert [_name(a) for a in fields.authors] == item["authors"]
    assert fields.year == item["year"]
    assert fields.title == item["title"]
    assert fields.journal == item["journal"]
    assert (fields.volume, fields.issue) == (item["volume"], item["issue"])
    assert (fields.page_start, fields.page_end) == (item["pages"]["first"], item["pages"]["last"])


def _check(document: Document, record: dict, field: str, file: str) -> None:
    meta = document.meta
    if field == "records":
        if record.get("pmid"):
            assert document.record == f"pmid-{record['pmid']}"
        assert document.path == (f"{file}#{document.record}" if document.record else file)
    elif field == "title":
        assert meta.title == record["title"]
    elif field == "authors":
        assert [_name(a) for a in meta.authors] == record["authors"]
    elif field == "journal":
        # A Document has one journal field: the full title or the abbreviation are both right.
        names = {record.get("journal"), record.get("journal_abbrev")} - {None}
        assert meta.journal in names if names else meta.journal is None
    elif field == "year":
        assert meta.year == record["year"]
    elif field in ("volume", "issue", "doi", "pmid", "pmcid"):
        assert getattr(meta, field) == record[field], field
    elif field == "pages":
        assert (meta.page_start, meta.page_end) == (record["pages"]["first"],
                                                   record["pages"]["last"])
    elif field == "publication_type":
        types = record.get("publication_types")
        if types:
            assert document.publication_type == types[0]
    elif field == "references":
        expected = record["references"]
        assert len(document.references) == expected["count"]
        assert [i for r in document.references for i in _ids(r, "pmid")] == expected["pmids"]
        assert [i for r in document.references for i in _ids(r, "doi")] == expected["dois"]
        for reference, item in zip(document.references, expected.get("items", []), strict=True):
            _check_item(reference, item)
    elif field == "reference_pmcids":
        expected = record["references"]
        pmcids = [v for r in document.references for k, v in r.identifiers if k in ("pmc", "pmcid")]
        assert pmcids == expected["pmcids"]


# --- every field of every record ---------------------------------------------------------------


@pytest.mark.parametrize(("path", "field"), FIELD_CASES)
def test_each_record_has_the_expected_field(path: Path, field: str) -> None:
    documents, records = _read(path)
    assert len(documents) == len(records), "one Document per record"
    for document, record in zip(documents, records, strict=True):
        assert document.text == (FIXTURES / _expected(path)["file"]).read_text(encoding="utf-8")
        _check(document, record, field, _expected(path)["file"])


def test_every_fixture_has_an_expected_file() -> None:
    data = {p.name for p in FIXTURES.iterdir()} - {"README.md"}
    stems = {n.removesuffix(".expected.json") for n in data if n.endswith(".expected.json")}
    assert {Path(n).stem for n in data if not n.endswith(".json")} == stems
    assert len(stems) == 6


# --- mentions, findings, offsets -----------------------------------------------------------------


def _mined(path: Path, vocabulary: Vocabulary) -> list[tuple[Document, dict, Mined]]:
    documents, records = _read(path)
    assert len(documents) == len(records)
    return [(d, r, mine(d, vocabulary, None)) for d, r in zip(documents, records, strict=True)]


@pytest.mark.parametrize("path", FILE_CASES)
def test_the_expected_drugs_and_antibodies_are_mentioned(path: Path, vocabulary: Vocabulary
                                                         ) -> None:
    for document, record, mined in _mined(path, vocabulary):
        concepts = {m.concept for m in mined.mentions}
        wanted = set(record["mentions"]["drugs"]) | set(record["mentions"]["antibodies"])
        missed = wanted - concepts
        assert missed == KNOWN_MENTION_MISSES.get(document.path, set()), document.path
        absent = set(record.get("mentions_absent", {}).get("drugs", []))
        assert not absent & concepts, f"{document.path}: {absent & concepts} must not be mentioned"
        linked = {d for c in mined.candidates for d in c.drugs}
        assert not absent & linked, f"{document.path}: a candidate names {absent & linked}"


@pytest.mark.parametrize("path", FILE_CASES)
def test_the_expected_findings_are_quoted_by_candidates(path: Path, vocabulary: Vocabulary
                                                        ) -> None:
    for document, record, mined in _mined(path, vocabulary):
        quotes = [_norm(c.quote.exact) for c in mined.candidates]
        missed = {p for p in record["findings"] if not any(_norm(p) in q for q in quotes)}
        known = KNOWN_FINDING_MISSES.get(document.path, set())
        assert missed == known, (
            f"{document.path}: newly missed {sorted(missed - known)}; "
            f"now found (remove from KNOWN_FINDING_MISSES) {sorted(known - missed)}")
        if record["findings"]:
            assert len(missed) < len(record["findings"]), "at least one finding is extracted"


@pytest.mark.parametrize("path", FILE_CASES)
def test_every_mention_and_quote_slices_the_file_exactly(path: Path, vocabulary: Vocabulary
                                                         ) -> None:
    text = (FIXTURES / _expected(path)["file"]).read_text(encoding="utf-8")
    for document, _record, mined in _mined(path, vocabulary):
        spans = document.spans or ((0, len(text)),)
        for m in mined.mentions:
            assert text[m.start:m.end] == m.text, (document.path, m)
            assert any(a <= m.start and m.end <= b for a, b in spans), "inside the record"
        for c in mined.candidates:
            q = c.quote
            assert text[q.start:q.end] == q.exact, (document.path, q)
            assert q.line == text.count("\n", 0, q.start) + 1
            assert any(a <= q.start and q.end <= b for a, b in spans), "inside the record"


def test_the_records_of_one_file_do_not_share_prose(vocabulary: Vocabulary) -> None:
    """Each record of a multi-record file is mined only in its own title and abstract."""
    documents = read_documents(FIXTURES / "pubmed-two-records.xml", FIXTURES)
    first, second = (mine(d, vocabulary, None) for d in documents)
    assert {m.start for m in first.mentions}.isdisjoint({m.start for m in second.mentions})
    assert "calcineurin-inhibitor" in {m.concept for m in first.mentions}
    assert "calcineurin-inhibitor" not in {m.concept for m in second.mentions}


def test_a_record_that_let_go_of_its_text_keeps_its_length_and_reads_it_back() -> None:
    """The build drops file texts once mined; offsets still point into the file."""
    first, _second = read_documents(FIXTURES / "pubmed-two-records.xml", FIXTURES)
    light = first.without_text()
    assert light.text == "" and light.characters == len(first.text)
    assert (light.meta, light.spans, light.references) == (first.meta, first.spans,
                                                            first.references)
    assert reread(light, FIXTURES) == first.text


def test_reading_back_a_file_changed_since_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "records.xml").write_bytes((FIXTURES / "pubmed-two-records.xml").read_bytes())
    [document, *_] = read_documents(tmp_path / "records.xml", tmp_path)
    (tmp_path / "records.xml").write_text(document.text.replace("Tacrolimus", "Cyclosporine"))
    with pytest.raises(InputError, match=r"^records\.xml: the file changed"):
        reread(document.without_text(), tmp_path)


def test_the_cyc_trap_mines_cyclosporine_not_cyclophosphamide(vocabulary: Vocabulary) -> None:
    """The Cavagna abstract, mined directly (whatever layout reads the page)."""
    source = load_source(FIXTURES / "cavagna-2013-journal-page.txt", FIXTURES)
    start, end = source.text.index("Abstract\n"), source.text.index("Share | Tweet")
    document = Document(path=source.path, sha256=source.sha256, layout="test", text=source.text,
                        meta=Bibliographic(title="Cyclosporine"), spans=((start, end),))
    mined = mine(document, vocabulary, None)
    cyc = [m.concept for m in mined.mentions if m.text == "CYC"]
    assert cyc and set(cyc) == {"cyclosporine"}
    assert "cyclophosphamide" not in {d for c in mined.candidates for d in c.drugs}


def _harvard_items() -> list[object]:
    expected = _expected(FIXTURES / "cavagna-2013-journal-page.expected.json")
    text = (FIXTURES / "cavagna-2013-journal-page.txt").read_text(encoding="utf-8")
    section = text[text.index("References\n\n"):text.index("Related Articles")]
    entries = [e.strip() for e in section.split("\n\n")[1:] if e.strip()]
    items = expected["records"][0]["references"]["items"]
    assert len(entries) == len(items) == 5
    return [pytest.param(e, i, id=i["label"]) for e, i in zip(entries, items, strict=True)]


@pytest.mark.parametrize(("entry", "item"), _harvard_items())
def test_harvard_references_parse_into_their_fields(entry: str, item: dict) -> None:
    _check_item(RawReference(entry, 1), item)


# --- malformed input --------------------------------------------------------------------------


def _error(tmp_path: Path, name: str, content: str) -> InputError:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_documents(path, tmp_path)
    assert caught.value.path == name
    assert str(caught.value).startswith(name)
    return caught.value


def test_xml_that_is_not_well_formed_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, "bad.xml", '<?xml version="1.0"?>\n<PubmedArticleSet>\n'
                   "<PubmedArticle>\n<MedlineCitation>\n</PubmedArticle>\n")
    assert "not well-formed XML" in error.reason


def test_a_medline_record_without_a_title_is_refused_with_its_line(tmp_path: Path) -> None:
    error = _error(tmp_path, "two.nbib", "PMID- 1\nTI  - A title.\nAU  - Doe J\nDP  - 2020\n\n"
                   "PMID- 2\nAU  - Roe R\nDP  - 2021\nAB  - Some text.\n")
    assert "pmid-2 has no title" in error.reason
    assert error.line == 6


def test_a_lone_medline_record_without_a_title_is_refused(tmp_path: Path) -> None:
    _error(tmp_path, "one.nbib", "PMID- 2\nAU  - Roe R\nDP  - 2021\nAB  - Some text.\n")


def test_ris_without_an_end_of_record_is_refused(tmp_path: Path) -> None:
    _error(tmp_path, "open.ris", "TY  - JOUR\nTI  - A title\nAU  - Doe, J\nPY  - 2020\n")
    error = _error(tmp_path, "half.ris", "TY  - JOUR\nTI  - A title\nAU  - Doe, J\nPY  - 2020\n"
                   "ER  - \n\nTY  - JOUR\nTI  - Second\nAU  - Roe, R\nPY  - 2021\n")
    assert "2 TY lines" in error.reason


def test_a_bibtex_entry_without_a_title_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, "x.bib", "@article{x,\n  author = {Doe, J},\n  year = {2020}\n}\n")
    assert "has no title" in error.reason
    assert error.line == 1


def test_a_bibtex_brace_too_many_is_refused_not_a_title_cut_short(tmp_path: Path) -> None:
    error = _error(tmp_path, "x.bib", "@article{x,\n  title = {Tacrolimus}} in ILD},\n"
                   "  author = {Doe, J},\n  year = {2020}\n}\n")
    assert "closes more than was opened" in error.reason
    assert error.line == 2


def test_a_bibtex_entry_never_closed_is_refused_with_its_line(tmp_path: Path) -> None:
    error = _error(tmp_path, "x.bib", "@article{a,\n  title = {First},\n  year = {2020}\n}\n\n"
                   "@article{b,\n  title = {Second {open},\n  year = {2021}\n}\n")
    assert "never all closed" in error.reason
    assert error.line == 6


def test_bibtex_braces_that_balance_pass_the_check(tmp_path: Path) -> None:
    path = tmp_path / "ok.bib"
    path.write_text("@string{jr = {J Rheumatol}}\n@article{a,\n  title = {{Anti-Jo1} \\{x\\}},\n"
                    "  journal = jr,\n  year = {2020}\n}\n@comment{ a note }\n", encoding="utf-8")
    [document] = read_documents(path, tmp_path)
    assert document.meta.title == "Anti-Jo1 {x}"


def test_a_pubmed_record_does_not_take_the_identifiers_of_its_references(tmp_path: Path) -> None:
    path = tmp_path / "leak.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation>'
        "<PMID>1</PMID><Article><Journal><JournalIssue><Volume>1</Volume><PubDate><Year>2020"
        "</Year></PubDate></JournalIssue><Title>J</Title></Journal>\n<ArticleTitle>A record "
        "without a DOI</ArticleTitle></Article></MedlineCitation>\n<PubmedData><ArticleIdList>"
        '<ArticleId IdType="pubmed">1</ArticleId></ArticleIdList>\n<ReferenceList><Reference>'
        "<Citation>Doe J. Cited work. J 2019;1:1-2.</Citation><ArticleIdList>"
        '<ArticleId IdType="doi">10.1000/cited</ArticleId><ArticleId IdType="pmc">PMC1'
        "</ArticleId></ArticleIdList></Reference></ReferenceList>\n</PubmedData>\n"
        "</PubmedArticle>\n</PubmedArticleSet>\n", encoding="utf-8")
    [document] = read_documents(path, tmp_path)
    assert (document.meta.doi, document.meta.pmcid) == (None, None)
    assert ("doi", "10.1000/cited") in document.references[0].identifiers
    [start, end] = document.references[0].span or (0, 0)
    assert document.text[start:end].startswith("<Reference><Citation>Doe J. Cited work.")
    assert document.text[start:end].endswith("</Reference>")
