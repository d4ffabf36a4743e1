"""Files people hold, beyond text: PDF (its text layer), saved HTML pages and JATS XML.

The articles here are synthetic (made-up names and journals); the development set holds real
studies in these formats.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from graph.inputs.read import read_documents
from graph.inputs.text import load_source, reread
from graph.records import Person
from tests.pdfs import write_image_only_pdf, write_pdf

HEAD = [
    "Cyclosporine for refractory myositis lung disease: a two-centre cohort",
    "Jane Doe, Richard Roe and Mary Major",
    "Example Journal of Rheumatology 2019;41(2):210-18",
    "https://doi.org/10.5555/EJR.2019.0210",
]
BODY = [
    "Abstract",
    "Objective: To describe cyclosporine in refractory disease. Methods: Twenty patients were "
    "followed for one year. Results: Fourteen of 20 patients improved. Conclusions: "
    "Cyclosporine may be useful.",
    "Introduction",
    "Interstitial lung disease is a frequent and serious manifestation of myositis, and "
    "many patients do not respond to glucocorticoids alone. " * 4,
    "Methods",
    "We reviewed the records of every patient treated between two dates at two centres. " * 5,
    "References",
    "1. Doe J, Roe R. An earlier cohort of treated patients. Example J Rheumatol. 2015;37:1-10.",
    "2. Major M. Calcineurin inhibitors in lung disease. Lung Example. 2016;12(3):201-9.",
]


@pytest.mark.parametrize("columns", [1, 2])
def test_a_pdf_is_read_from_its_text_layer_in_column_order(tmp_path: Path, columns: int) -> None:
    path = write_pdf(tmp_path / "article.pdf", HEAD, BODY, columns)
    [document] = read_documents(path, tmp_path)
    meta = document.meta
    assert document.media_type == "application/pdf"
    assert meta.title == HEAD[0]
    assert meta.authors == (Person("Doe", "Jane"), Person("Roe", "Richard"),
                            Person("Major", "Mary"))
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end,
            meta.doi) == ("Example Journal of Rheumatology", 2019, "41", "2", "210", "218",
                          "10.5555/ejr.2019.0210")
    assert "Fourteen of 20 patients improved" in " ".join((document.abstract or "").split())
    assert [r.label for r in document.references] == ["1", "2"]
    assert document.references[1].text.startswith("Major M. Calcineurin")
    # offsets point into the extracted text, which reading the file again gives back
    assert reread(document, tmp_path) == document.text
    for reference in document.references:
        start, end = reference.span  # type: ignore[misc]
        assert reference.text[:20] in document.text[start:end]


def test_a_pdf_without_a_text_layer_is_refused_saying_so(tmp_path: Path) -> None:
    path = write_image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match=r"^scan\.pdf: the PDF has no text layer"):
        read_documents(path, tmp_path)


def test_a_broken_pdf_is_refused_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01 not really a pdf")
    with pytest.raises(InputError, match=r"^broken\.pdf: "):
        read_documents(path, tmp_path)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="windows-1252">
<title>Cyclosporine for refractory myositis lung disease | Example Journal</title>
<meta name="citation_title" content="Cyclosporine for refractory myositis lung disease: a cohort">
<meta name="citation_author" content="Doe, Jane">
<meta name="citation_author" content="Roe, Richard">
<meta name="citation_journal_title" content="Example Journal of Rheumatology">
<meta name="citation_publication_date" content="2019/02/01">
<meta name="citation_volume" content="41"><meta name="citation_issue" content="2">
<meta name="citation_firstpage" content="210"><meta name="citation_lastpage" content="218">
<meta name="citation_doi" content="10.5555/ejr.2019.0210">
<meta name="citation_pmid" content="30123456">
<script>var tracking = "Skip to main content";</script><style>p {color: red}</style>
</head><body>
<header><nav><a href="/">Home</a> | <a href="/issues">Issues</a> | Sign in</nav></header>
<main><article>
<h1>Cyclosporine for refractory myositis lung disease: a cohort</h1>
<p class="byline">Jane Doe, Richard Roe</p>
<section><h2>Abstract</h2><p>Fourteen of 20 patients improved on cyclosporine \u2013 a caf\u00e9 fact.</p>
</section>
<section><h2>Introduction</h2><p>Lung disease is frequent in myositis.</p></section>
<section><h2>References</h2><ol>
<li>Doe J, Roe R. An earlier cohort of treated patients. Example J Rheumatol. 2015;37:1-10.</li>
<li>Major M. Calcineurin inhibitors in lung disease. Lung Example. 2016;12(3):201-9.</li>
</ol></section>
</article></main>
<footer>Copyright 2019 Example Publisher. Cookie settings.</footer>
</body></html>
"""


def test_a_saved_html_page_gives_its_meta_fields_and_its_article_text(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_bytes(PAGE.encode("windows-1252"))  # a page in its declared character set
    [document] = read_documents(path, tmp_path)
    meta = document.meta
    assert document.media_type == "text/html"
    assert meta.title == "Cyclosporine for refractory myositis lung disease: a cohort"
    assert meta.authors == (Person("Doe", "Jane"), Person("Roe", "Richard"))
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end,
            meta.doi, meta.pmid) == ("Example Journal of Rheumatology", 2019, "41", "2", "210",
                                     "218", "10.5555/ejr.2019.0210", "30123456")
    assert document.abstract == "Fourteen of 20 patients improved on cyclosporine \u2013 a caf\u00e9 fact."
    assert [r.text[:8] for r in document.references] == ["Doe J, R", "Major M."]
    for furniture in ("tracking", "color: red", "Sign in", "Cookie settings", "Issues"):
        assert furniture not in document.text
    assert load_source(path, tmp_path).text == document.text


JATS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN"
 "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
<front>
<journal-meta><journal-title-group><journal-title>Example Journal of Rheumatology</journal-title>
</journal-title-group></journal-meta>
<article-meta>
<article-id pub-id-type="pmid">30123456</article-id>
<article-id pub-id-type="pmc">6543210</article-id>
<article-id pub-id-type="doi">10.5555/EJR.2019.0210</article-id>
<title-group><article-title>Cyclosporine for refractory myositis lung disease</article-title>
</title-group>
<contrib-group>
<contrib contrib-type="author"><name><surname>Doe</surname><given-names>Jane</given-names></name></contrib>
<contrib contrib-type="author"><name><surname>Roe</surname><given-names>Richard</given-names></name></contrib>
</contrib-group>
<pub-date pub-type="epub"><year>2018</year></pub-date>
<pub-date pub-type="ppub"><month>2</month><year>2019</year></pub-date>
<volume>41</volume><issue>2</issue><fpage>210</fpage><lpage>218</lpage>
<abstract><p>Fourteen of 20 patients improved on cyclosporine.</p></abstract>
<kwd-group><kwd>cyclosporine</kwd></kwd-group>
</article-meta>
</front>
<body><sec><title>Introduction</title><p>Lung disease is frequent in myositis.</p></sec></body>
<back><ref-list><title>References</title>
<ref id="r1"><label>1</label><mixed-citation publication-type="journal">Doe J, Roe R. An earlier
cohort of treated patients. <source>Example J Rheumatol</source>. 2015;37:1-10.
<pub-id pub-id-type="pmid">25000001</pub-id></mixed-citation></ref>
<ref id="r2"><label>2</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Major</surname><given-names>M</given-names>
</name></person-group><article-title>Calcineurin inhibitors in lung disease</article-title>
<source>Lung Example</source><year>2016</year><volume>12</volume><issue>3</issue>
<fpage>201</fpage><lpage>209</lpage><pub-id pub-id-type="doi">10.5555/LE.2016.201</pub-id>
</element-citation></ref>
</ref-list></back>
</article>
"""


def test_a_jats_article_gives_its_fields_and_references_with_their_identifiers(
    tmp_path: Path
) -> None:
    path = tmp_path / "article.xml"
    path.write_text(JATS, encoding="utf-8")
    [document] = read_documents(path, tmp_path)
    meta = document.meta
    assert document.layout == "jats-xml"
    assert meta.title == "Cyclosporine for refractory myositis lung disease"
    assert meta.authors == (Person("Doe", "Jane"), Person("Roe", "Richard"))
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end,
            meta.doi, meta.pmid, meta.pmcid) == (
        "Example Journal of Rheumatology", 2019, "41", "2", "210", "218",
        "10.5555/ejr.2019.0210", "30123456", "PMC6543210")
    assert document.abstract == "Fourteen of 20 patients improved on cyclosporine."
    assert document.keywords == ("cyclosporine",)
    first, second = document.references
    assert first.identifiers == (("pmid", "25000001"),)
    assert "25000001" not in first.text
    assert second.text == ("Major M. Calcineurin inhibitors in lung disease. Lung Example. "
                           "2016;12(3):201-209.")
    assert second.identifiers == (("doi", "10.5555/le.2016.201"),)
    start, end = second.span  # type: ignore[misc]
    assert document.text[start:end].startswith('<ref id="r2">')


# --- text as Windows tools and reference managers write it ------------------------------------

RIS = "TY  - JOUR\nTI  - Tacrolimus in myositis lung disease\nAU  - Doe, Jane\nPY  - 2019\nER  - \n"
NBIB = "PMID- 123\nTI  - Tacrolimus in myositis lung disease.\nAU  - Doe J\nDP  - 2019\n"


@pytest.mark.parametrize("encode", [
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),  # with its byte-order mark
    lambda t: t.encode("utf-16-le"),
    lambda t: t.encode("utf-16-be"),
], ids=["utf-8 with a byte-order mark", "utf-16 with a mark", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(("name", "text"), [("refs.ris", RIS), ("refs.nbib", NBIB)])
def test_a_byte_order_mark_and_utf16_text_are_read_as_text(
    tmp_path: Path, name: str, text: str, encode: object,
) -> None:
    path = tmp_path / name
    path.write_bytes(encode(text))  # type: ignore[operator]
    [document] = read_documents(path, tmp_path)
    assert document.meta.title.startswith("Tacrolimus in myositis lung disease")
    assert load_source(path, tmp_path).text == text  # the mark is no character of the text


def test_broken_utf16_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "refs.ris"
    path.write_bytes(b"\xff\xfe" + "TY  - JOUR\nTI  - A\n".encode("utf-16-le") + b"\x00\xd8A\x00")
    with pytest.raises(InputError) as caught:
        load_source(path, tmp_path)
    assert (caught.value.path, caught.value.line) == ("refs.ris", 3)
    assert "not valid UTF-16" in caught.value.reason
