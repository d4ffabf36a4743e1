"""Layouts, specified on the five corpus documents and on small synthetic pages of each format.

The synthetic pages prove each layout reads a format, not one file: other titles, DOIs, authors
and reference lists must come out as well as the corpus copies do.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from graph.errors import InputError, UnknownLayoutError
from graph.inputs.read import detect_layout, layouts, read_document
from graph.inputs.text import load_source
from graph.records import Document, Person, RawReference

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
PUBMED = "rigby-2014-case-series-pubmed-page.txt"
SPRINGER = "ge-2015-systematic-review-springer-page.txt"
JOURNAL_LIST = "ahn-polymyositis-tacrolimus-case-report-journal-page.txt"
MARKDOWN = "sharma-2017-cohort-article-markdown.txt"
NEWS = "sharma-2017-cohort-news-summary.txt"

EXPECTED_LAYOUT = {
    PUBMED: "pubmed-page",
    SPRINGER: "springer-page",
    JOURNAL_LIST: "journal-list-page",
    MARKDOWN: "markdown-article",
    NEWS: "news-summary",
}
BOILER_PLATE = (
    "Skip to main page content",
    "PubMed Disclaimer",
    "Similar articles",
    "Personalised recommendations",
    "Copyright information",
    "crossref",
    "follow @",
    "Related Articles",
    "TOOLS",
    "LinkOut",
    "Affiliations",
    "Access keys",
    "Email author",
    "Cite as",
    "Journal List",
    ".tif",
)


def read(name: str) -> Document:
    return read_document(CORPUS / name, root=CORPUS)


def write(tmp_path: Path, text: str, name: str = "page.txt", strict: bool = False) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, root=tmp_path, strict=strict)


def printed(document: Document, reference: RawReference) -> str:
    """The entry exactly as the file prints it, from the offsets the reader recorded."""
    assert reference.span is not None
    start, end = reference.span
    return document.text[start:end]


def field_strings(document: Document) -> list[str]:
    """Every string a document carries except its whole ``text``."""
    meta = document.meta
    found: list[str] = [value for value in dataclasses.astuple(meta) if isinstance(value, str)]
    found += [part for person in meta.authors for part in (person.family, person.given)]
    found += [s for s in (document.publication_type, document.abstract, document.body) if s]
    found += list(document.keywords)
    references = [*document.references]
    if document.reports_on:
        references.append(document.reports_on)
    found += [s for ref in references for s in (ref.text, printed(document, ref), ref.label or "")]
    return found


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_each_document_is_recognised_by_exactly_one_layout(name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    claiming = [layout.name for layout in layouts()
                if not layout.fallback and layout.recognises(text)]
    assert claiming == [EXPECTED_LAYOUT[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_each_document_is_read_by_its_layout(name: str) -> None:
    document = read(name)
    assert document.layout == EXPECTED_LAYOUT[name]
    assert document.path == name
    assert document.text == (CORPUS / name).read_text(encoding="utf-8")
    assert document.sha256 == load_source(CORPUS / name, CORPUS).sha256


def test_a_text_no_layout_knows_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Some notes on tacrolimus.\n\nNothing more.\n", encoding="utf-8")
    assert detect_layout(path.read_text(encoding="utf-8")) is None
    with pytest.raises(UnknownLayoutError, match=r"notes\.txt"):
        read_document(path, root=tmp_path)


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_no_boiler_plate_leaks_into_any_field(name: str) -> None:
    strings = field_strings(read(name))
    for chrome in BOILER_PLATE:
        assert not [s for s in strings if chrome in s], chrome


def test_reference_counts() -> None:
    counts = {name: len(read(name).references) for name in EXPECTED_LAYOUT}
    assert counts == {PUBMED: 5, NEWS: 0, JOURNAL_LIST: 13, MARKDOWN: 39, SPRINGER: 16}
    assert sum(counts.values()) == 73


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_reference_entry_offsets_start_at_its_line_and_hold_its_text(name: str) -> None:
    document = read(name)
    source = load_source(CORPUS / name, CORPUS)
    references = [*document.references, *([document.reports_on] if document.reports_on else [])]
    for reference in references:
        assert reference.span is not None
        assert source.line_of(reference.span[0]) == reference.line
        assert " ".join(printed(document, reference).split())[-12:] == reference.text[-12:]
        assert reference.text == reference.text.strip()
        assert "  " not in reference.text and "\n" not in reference.text


# --- PubMed page -------------------------------------------------------------------------------


def test_pubmed_page_metadata() -> None:
    document = read(PUBMED)
    meta = document.meta
    assert meta.title == (
        "Tacrolimus rescue therapy for severe respiratory failure in the anti-synthetase syndrome"
    )
    assert meta.authors == (Person("Rigby", "Amy L"),)
    assert meta.et_al is True
    assert meta.journal == "Respirol Case Rep"
    assert (meta.year, meta.volume, meta.issue) == (2014, "2", "2")
    assert (meta.page_start, meta.page_end) == ("70", "72")
    assert meta.doi == "10.1002/rcr2.52"
    assert meta.pmid is None
    assert document.publication_type == "Case Reports"
    assert document.keywords == ("Anti-synthetase syndrome", "pulmonary fibrosis", "tacrolimus")
    assert document.abstract is not None
    assert document.abstract.startswith("Interstitial lung disease (ILD) is the major determinant")
    assert document.abstract.endswith(
        "which may be associated with a dramatic and enduring response."
    )
    assert document.body is None
    assert document.reports_on is None


def test_pubmed_references_are_labelled_by_position_although_all_printed_one() -> None:
    document = read(PUBMED)
    references = document.references
    assert [ref.label for ref in references] == ["1", "2", "3", "4", "5"]
    assert [ref.line for ref in references] == [40, 41, 42, 43, 44]
    assert references[0].text == (
        "Yamasaki Y, Yamada H, Yamasaki M, et al. Intravenous cyclophosphamide therapy for "
        "progressive interstitial pneumonia in patients with polymyositis/dermatomyositis. "
        "Rheumatology. 2007;46:124\u2013130. - PubMed"
    )
    assert printed(document, references[0]) == "    1. " + references[0].text
    assert references[-1].text == (
        "Qushmaq KA, Chalmers A, Esdaile JM. Cyclosporin A in the treatment of refractory adult "
        "polymyositis/dermatomyositis: population based experience in 6 patients and literature "
        "review. J. Rheumatol. 2000;27:2855\u20132859. - PubMed"
    )


SYNTHETIC_PUBMED = """Skip to main page content
Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation
Review
. 2019 Mar 5;31(4):e123.
doi: 10.1000/ABC.2019.7. Epub 2019 Jan 2.
PMID: 30712345

Calcineurin inhibitors in myositis lung disease

Affiliations
Review

Calcineurin inhibitors in myositis lung disease

Jane Q Doe, John Smith. Curr Opin Rheumatol. 2019 Mar.

Abstract

First paragraph of the abstract.

Second paragraph of the abstract.

PubMed Disclaimer

References

    1. Doe J. A first paper. J Lung. 2001;1:1-2. - PubMed
    1. Smith J. A second paper. J Muscle. 2002;2:3-4. - PubMed

Similar articles
"""


def test_pubmed_layout_reads_another_pubmed_page(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_PUBMED)
    meta = document.meta
    assert document.layout == "pubmed-page"
    assert meta.title == "Calcineurin inhibitors in myositis lung disease"
    assert meta.authors == (Person("Doe", "Jane Q"), Person("Smith", "John"))
    assert meta.et_al is False
    assert meta.journal == "Curr Opin Rheumatol"
    assert (meta.year, meta.volume, meta.issue) == (2019, "31", "4")
    assert (meta.page_start, meta.page_end) == ("e123", None)
    assert (meta.doi, meta.pmid) == ("10.1000/abc.2019.7", "30712345")
    assert document.publication_type == "Review"
    assert document.abstract == (
        "First paragraph of the abstract.\n\nSecond paragraph of the abstract."
    )
    assert document.keywords == ()
    assert [(ref.label, ref.line) for ref in document.references] == [("1", 27), ("2", 28)]
    assert document.references[1].text == "Smith J. A second paper. J Muscle. 2002;2:3-4. - PubMed"


def test_a_pubmed_page_with_only_the_full_byline_gets_its_authors(tmp_path: Path) -> None:
    text = SYNTHETIC_PUBMED.replace("Jane Q Doe, John Smith. Curr Opin Rheumatol. 2019 Mar.\n\n", "")
    text = text.replace("Affiliations\nReview\n", "Jane Q Doe 1, John Smith 2\n\nAffiliations\n")
    document = write(tmp_path, text)
    assert document.layout == "pubmed-page"
    assert document.meta.authors == (Person("Doe", "Jane Q"), Person("Smith", "John"))


def test_pubmed_page_without_title_names_file_and_line(tmp_path: Path) -> None:
    text = SYNTHETIC_PUBMED.replace("Calcineurin inhibitors in myositis lung disease\n", "")
    text = text.replace("Affiliations\nReview\n", "")
    with pytest.raises(InputError) as caught:
        write(tmp_path, text, "untitled.txt", strict=True)
    assert caught.value.path == "untitled.txt"
    assert caught.value.line == 4
    assert "no title" in str(caught.value)


# --- Springer page -----------------------------------------------------------------------------


def test_springer_page_metadata() -> None:
    document = read(SPRINGER)
    meta = document.meta
    assert meta.title == (
        "The efficacy of tacrolimus in patients with refractory dermatomyositis/polymyositis: "
        "a systematic review"
    )
    assert meta.authors == (
        Person("Ge", "Yongpeng"),
        Person("Zhou", "Hang"),
        Person("Shi", "Jingli"),
        Person("Ye", "Bin"),
        Person("Peng", "Qinglin"),
        Person("Lu", "Xin"),
        Person("Wang", "Guochun"),
    )
    assert meta.et_al is False
    assert meta.journal == "Clinical Rheumatology"
    assert (meta.year, meta.volume, meta.issue) == (2015, "34", "12")
    assert (meta.page_start, meta.page_end) == ("2097", "2103")
    assert meta.doi is None
    assert document.publication_type == "Original Article"
    assert document.keywords == (
        "Idiopathic inflammatory myopathy",
        "Interstitial lung disease",
        "Tacrolimus",
    )
    assert document.abstract is not None
    assert document.abstract.startswith("The purpose of this study is to examine the efficacy")
    assert document.abstract.endswith("large-sample, randomized controlled studies.")
    assert document.body == (
        "This work was supported by the Science and Technology Commission Foundation of Beijing "
        "(No: Z121107001012005)."
    )


def test_springer_references_keep_link_labels_for_the_parser() -> None:
    document = read(SPRINGER)
    references = document.references
    assert [ref.label for ref in references] == [str(n) for n in range(1, 17)]
    assert (references[0].line, references[-1].line) == (29, 59)
    assert references[0].text == (
        "Wallemacq PE, Verbeeck RK (2001) Comparative clinical pharmacokinetics of tacrolimus in "
        "paediatric and adult patients. Clin Pharmacol kinet 40:283\u2013295CrossRefGoogle Scholar"
    )
    assert printed(document, references[0]) == "  1. 1.\n    " + references[0].text
    assert references[-1].text == (
        "Ge Y, Peng Q, Zhang S et al (2015) Cyclophosphamide treatment for idiopathic "
        "inflammatory myopathies and related interstitial lung disease: a systematic review. "
        "Clin Rheumatol 34:99\u2013105CrossRefPubMedGoogle Scholar"
    )


SYNTHETIC_SPRINGER = """Rheumatology International

March 2016, Volume 36, Issue\u00a03, pp 310\u201319 | Cite as

Mycophenolate in antisynthetase syndrome

  \u2022 Ana\u00a0Lopez
  \u2022 Peter J.\u00a0MillerEmail author
Review Article


An abstract of one paragraph.


Myositis\u00a0Mycophenolate\u00a0


  1. 1.
    Lopez A (2010) Earlier work. Rheumatol Int 30:1\u20139CrossRefGoogle Scholar
  2. 2.
    Miller PJ (2012) Later work. Rheumatol Int 32:10\u201320PubMedGoogle Scholar

Authors and Affiliations
"""


def test_springer_layout_reads_another_springer_page(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_SPRINGER)
    meta = document.meta
    assert document.layout == "springer-page"
    assert meta.title == "Mycophenolate in antisynthetase syndrome"
    assert meta.authors == (Person("Lopez", "Ana"), Person("Miller", "Peter J."))
    assert meta.journal == "Rheumatology International"
    assert (meta.year, meta.volume, meta.issue) == (2016, "36", "3")
    assert (meta.page_start, meta.page_end) == ("310", "319")
    assert document.publication_type == "Review Article"
    assert document.abstract == "An abstract of one paragraph."
    assert document.keywords == ("Myositis", "Mycophenolate")
    assert document.body is None
    assert [(ref.label, ref.line) for ref in document.references] == [("1", 18), ("2", 20)]
    assert document.references[1].text == (
        "Miller PJ (2012) Later work. Rheumatol Int 32:10\u201320PubMedGoogle Scholar"
    )


def test_springer_page_without_title_names_file_and_line(tmp_path: Path) -> None:
    text = SYNTHETIC_SPRINGER.replace("Mycophenolate in antisynthetase syndrome\n\n", "")
    with pytest.raises(InputError, match=r"^page\.txt:3: no title"):
        write(tmp_path, text, strict=True)
    partial = write(tmp_path, text)  # without --strict the generic reader takes what it can
    assert partial.layout == "plain-article"
    assert partial.warnings[0].startswith("springer-page could not read it (no title")


# --- journal list page -------------------------------------------------------------------------


def test_journal_list_page_metadata() -> None:
    document = read(JOURNAL_LIST)
    meta = document.meta
    assert (
        meta.title
        == "A Case of Resistant Polymyositis That Was Successfully Treated with Tacrolimus"
    )
    assert meta.authors == tuple(
        Person(family) for family in ("Ahn", "Song", "Hwang", "Yoo", "Kim", "Kim")
    )
    assert meta.et_al is False
    assert meta.journal == "J Korean Rheum Assoc"
    assert (meta.volume, meta.issue) == ("16", "4")
    assert (meta.year, meta.page_start, meta.page_end, meta.doi) == (None, None, None, None)
    assert document.publication_type is None
    assert document.keywords == ()
    assert document.abstract is not None
    assert document.abstract.startswith("Polymyositis is one form of inflammatory myopathy.")
    assert document.abstract.endswith("has been well controlled for many years.")


def test_journal_list_figure_captions_are_the_body() -> None:
    body = read(JOURNAL_LIST).body
    assert body is not None
    assert body.startswith(
        "Fig.\u00a01.\nMinimal infiltration of inflammatory cells is found in the endomysial area"
    )
    assert "Tacrolimus (2 mg/day)" in body
    assert "IVIG (400 mg/day for" in body
    assert body.endswith("\u2193: IVIG.")


def test_journal_list_references_drop_the_crossref_link_lines() -> None:
    document = read(JOURNAL_LIST)
    references = document.references
    assert [ref.label for ref in references] == [str(n) for n in range(1, 14)]
    assert (references[0].line, references[1].line, references[-1].line) == (11, 13, 30)
    assert references[0].text == (
        "Dalakas MC, Hohlfeld R. Polymyositis and dermatomyositis. Lancet. 2003; 362:971\u201382."
    )
    assert printed(document, references[0]) == "1. " + references[0].text
    assert references[-1].text == (
        "Takada K, Nagasaka K, Miyasaka N. Polymyositis/dermatomyositis and interstitial lung "
        "disease: a new therapeutic approach with T-cell-specific immunosuppressants. "
        "Autoimmunity. 2005; 38:383\u201392."
    )


SYNTHETIC_JOURNAL_LIST = """Journal List > Clin Exp Rheumatol > v.12(3) > 55

Park and Lee: Rituximab in myositis: a case

Abstract

One abstract paragraph.

References

1. Park J. First work. Lancet. 2001; 1:2\u20133.
pubmed
2. Lee K. Second work. N Engl J Med. 2002;
 4:5\u20136.
crossref

Fig. 1.
Chest CT after rituximab 375 mg/m2 weekly.
cer-12-55f1.jpg
TOOLS
Similar articles
"""


def test_journal_list_layout_reads_another_page(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_JOURNAL_LIST)
    meta = document.meta
    assert document.layout == "journal-list-page"
    assert meta.title == "Rituximab in myositis: a case"
    assert meta.authors == (Person("Park"), Person("Lee"))
    assert (meta.journal, meta.volume, meta.issue) == ("Clin Exp Rheumatol", "12", "3")
    assert meta.year is None
    assert document.abstract == "One abstract paragraph."
    assert document.body == "Fig. 1.\nChest CT after rituximab 375 mg/m2 weekly."
    assert [(ref.label, ref.line) for ref in document.references] == [("1", 11), ("2", 13)]
    assert document.references[1].text == "Lee K. Second work. N Engl J Med. 2002; 4:5\u20136."
    assert printed(document, document.references[1]) == "2. Lee K. Second work. N Engl J Med. 2002;\n 4:5\u20136."


# --- markdown article --------------------------------------------------------------------------


def test_markdown_article_metadata() -> None:
    document = read(MARKDOWN)
    meta = document.meta
    assert meta.title == (
        "Myositis-associated Interstitial Lung Disease: Predictors of Failure of Conventional "
        "Treatment and Response to Tacrolimus in a US Cohort"
    )
    assert meta.authors == (
        Person("Sharma", "Niharika"),
        Person("Putman", "Michael S."),
        Person("Vij", "Rekha"),
        Person("Streck", "Mary E."),
        Person("Dua", "Anisha"),
    )
    assert meta.et_al is False
    assert meta.journal == "J Rheumatol"
    assert meta.year == 2017
    assert meta.doi == "10.3899/jrheum.161217"
    assert (meta.volume, meta.issue, meta.page_start, meta.page_end) == (None, None, None, None)
    assert document.keywords == (
        "MYOSITIS",
        "INTERSTITIAL LUNG DISEASE",
        "TACROLIMUS",
        "POLYMYOSITIS",
        "DERMATOMYOSITIS",
    )


def test_markdown_abstract_and_body() -> None:
    document = read(MARKDOWN)
    abstract, body = document.abstract, document.body
    assert abstract is not None and body is not None
    assert abstract.startswith("Objective. Patients with myositis-associated interstitial lung")
    assert "\n\nMethods. A retrospective cohort study" in abstract
    assert "\n\nResults. Thirty-one of 54 patients" in abstract
    assert abstract.endswith(
        "both glucocorticoids and other disease-modifying antirheumatic drugs."
    )
    assert "**" not in abstract and "First Release" not in abstract
    assert body.startswith("From the Department of Clinical Immunology and Rheumatology")
    assert "## MATERIALS AND METHODS" in body and "## DISCUSSION" in body
    assert "Clinical Characteristics\tResponders, n = 13\tNo Response, n = 5\tp" in body
    assert body.endswith("earlier in the disease course may be helpful.")
    assert "REFERENCES" not in body and "Key Indexing Terms" not in body
    assert body in document.text


def test_markdown_references_join_the_split_item_and_number_by_position() -> None:
    document = read(MARKDOWN)
    references = document.references
    assert [ref.label for ref in references] == [str(n) for n in range(1, 40)]
    assert references[0].text == (
        "Solomon J, Swigris JJ, Brown KK. Myositis-related interstitial lung disease and "
        "antisynthetase syndrome. *J Bras Pneumol* 2011;37:100-9."
    )
    assert references[0].line == 265
    split = references[26]
    assert split.text == (
        "Sontheimer RD. Cutaneous features of classic dermatomyositis and amyopathic "
        "dermatomyositis. *Curr Opin Rheumatol* 1999; 11:475-82."
    )
    assert split.line == 291
    assert printed(document, split) == (
        "- Sontheimer RD. Cutaneous features of classic dermatomyositis and\n\n"
        "- amyopathic dermatomyositis. *Curr Opin Rheumatol* 1999; 11:475-82."
    )
    assert references[27].text.startswith("Ghazi E, Sontheimer RD, Werth VP.")
    assert printed(document, references[28]).startswith("  29. Raghu G")
    assert references[-1].line == 305
    assert references[-1].text == (
        "Shimojima Y, Ishii W, Matsuda M, Tazawa K, Ikeda S. Coadministration of tacrolimus with "
        "corticosteroid accelerates recovery in refractory patients with polymyositis/ "
        "dermatomyositis: a retrospective study. *BMC Musculoskelet Disord* 2012;13:228."
    )


SYNTHETIC_MARKDOWN = """# Mycophenolate for Myositis Lung Disease

Ann Lee and Bo Kim

## Abstract

One paragraph of abstract (Arthritis Res Ther 2019; doi:10.1186/S13075-019-1)

## Keywords

lung; myositis

## Methods

We did things.

## References

1. Lee A. A first work. *Lancet* 2001;1:2-3.
2. van Kim B. A second work on

- interstitial disease. *Chest* 2002;3:4-5.
- de Vries C. A third work. *Thorax* 2003;5:6-7.
"""


def test_markdown_layout_reads_another_article(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_MARKDOWN)
    meta = document.meta
    assert document.layout == "markdown-article"
    assert meta.title == "Mycophenolate for Myositis Lung Disease"
    assert meta.authors == (Person("Lee", "Ann"), Person("Kim", "Bo"))
    assert (meta.journal, meta.year, meta.doi) == (
        "Arthritis Res Ther",
        2019,
        "10.1186/s13075-019-1",
    )
    assert document.abstract == "One paragraph of abstract"
    assert document.keywords == ("lung", "myositis")
    assert document.body == "## Methods\n\nWe did things."
    references = document.references
    assert [(ref.label, ref.line) for ref in references] == [("1", 19), ("2", 20), ("3", 23)]
    assert (
        references[1].text
        == "van Kim B. A second work on interstitial disease. *Chest* 2002;3:4-5."
    )
    assert references[2].text == "de Vries C. A third work. *Thorax* 2003;5:6-7."


# --- news summary ------------------------------------------------------------------------------


def test_news_summary_reports_on_the_cited_article() -> None:
    document = read(NEWS)
    assert document.meta.title == (
        "Tacrolimus Decreases Glucocorticoid Use in Refractory Myositis-Associated Interstitial "
        "Lung Disease"
    )
    assert document.meta.authors == ()
    assert (document.meta.journal, document.meta.year, document.meta.doi) == (None, None, None)
    assert document.references == ()
    cited = document.reports_on
    assert cited is not None
    assert cited.line == 24
    assert cited.label is None
    assert cited.text == (
        "Sharma N, Putman MS, Vij R, Strek ME, Dua A. Myositis-associated interstitial lung "
        "disease: Predictors of failure of conventional treatment and response to tacrolimus in "
        "a US cohort [published online September 1, 2017]. J Rheumatol. doi:10.3899/jrheum.161217"
    )
    assert printed(document, cited).endswith("J Rheumatol.\u00a0 doi:10.3899/jrheum.161217")


def test_news_summary_body_is_the_prose() -> None:
    body = read(NEWS).body
    assert body is not None
    assert body.startswith("Factors associated with favorable treatment responses")
    assert "The mean dose of prednisone used by the participants decreased" in body
    assert body.endswith("earlier in the disease course may prove helpful.")
    assert "Sharma N" not in body


SYNTHETIC_NEWS = """Rituximab Helps in Antisynthetase Syndrome

A new series describes rituximab in refractory disease.

Related Articles

Patients improved after 2 infusions of 1 g.

Follow @SomeNewsSite

Doe J, Roe R. Rituximab in myositis. Lancet. 2020;395:100-5. doi:10.1016/S0140-6736(20)3001
"""


def test_news_layout_reads_another_summary(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_NEWS)
    assert document.layout == "news-summary"
    assert document.meta.title == "Rituximab Helps in Antisynthetase Syndrome"
    assert document.body == (
        "A new series describes rituximab in refractory disease.\n\n"
        "Patients improved after 2 infusions of 1 g."
    )
    assert document.reports_on is not None
    assert document.reports_on.line == 11
    assert document.reports_on.text.startswith("Doe J, Roe R. Rituximab")
    assert document.references == ()


@pytest.mark.parametrize(
    "text",
    [
        SYNTHETIC_PUBMED,
        SYNTHETIC_SPRINGER,
        SYNTHETIC_JOURNAL_LIST,
        SYNTHETIC_MARKDOWN,
        SYNTHETIC_NEWS,
    ],
)
def test_synthetic_pages_are_recognised_by_exactly_one_layout(text: str) -> None:
    assert len([layout for layout in layouts()
                if not layout.fallback and layout.recognises(text)]) == 1


def test_a_prose_text_ending_without_a_citation_is_not_news(tmp_path: Path) -> None:
    text = SYNTHETIC_NEWS.rsplit("\n\n", 1)[0] + "\n\nThanks for reading.\n"
    assert detect_layout(text, strict=True) is None


@pytest.mark.parametrize(
    ("text", "cut_from", "cut_to"),
    [
        (SYNTHETIC_PUBMED, "References\n", "Similar articles"),
        (SYNTHETIC_SPRINGER, "  1. 1.", "Authors and Affiliations"),
        (SYNTHETIC_JOURNAL_LIST, "References\n", "Fig. 1."),
        (SYNTHETIC_MARKDOWN, "## References\n", None),
    ],
)
def test_a_page_without_reference_list_reads_with_no_references(
    tmp_path: Path, text: str, cut_from: str, cut_to: str | None
) -> None:
    start = text.index(cut_from)
    end = text.index(cut_to) if cut_to else len(text)
    document = write(tmp_path, text[:start] + text[end:])
    assert document.references == ()
    assert document.meta.title


def test_a_markdown_article_takes_the_identifiers_its_head_prints(tmp_path: Path) -> None:
    text = ("# A Title of an Article\n\nJane Doe, Richard Roe\n\n"
            "https://doi.org/10.1234/EJR.2021.0145\nPMID: 31234567\n\n## Methods\n\n"
            "We did things (see doi:10.9999/other.1 and PMID: 1).\n")
    document = write(tmp_path, text)
    assert document.layout == "markdown-article"
    assert (document.meta.doi, document.meta.pmid) == ("10.1234/ejr.2021.0145", "31234567")
    assert document.abstract is None


def test_markdown_abstract_heading_without_paragraphs_gives_no_abstract(tmp_path: Path) -> None:
    text = "# A Title\n\n## Abstract\n\n## Methods\n\nWe did things.\n"
    document = write(tmp_path, text)
    assert document.abstract is None
    assert document.body == "## Methods\n\nWe did things."


# --- journal page with an author-date (Harvard) reference list -------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "new_literature"
AUTHOR_DATE = "cavagna-2013-journal-page.txt"

# Another site's page of this kind: no "Cite this article" box, other furniture, a body section,
# an entry broken across lines, curly quotes and "et al.", no PMID.
SYNTHETIC_AUTHOR_DATE = """Skip to content
Lung Disease Letters
Issues | Collections | About

Original Article

Rituximab for Refractory Antisynthetase Lung Disease

Ana Lima, Paul O'Neil and Mei Chen

Lung Disease Letters, 12 March 2019, 7 (2): 101-9
DOI: 10.1234/LDL.2019.0007

Abstract

Background. Rituximab was given to 12 patients with anti-Jo-1 antibodies.

Results. Eight (67%) had improvement in FVC.

Introduction

Antisynthetase syndrome is rare.

Download | Print

Reference list

Lima, A. et al. (2015) \u2018Rituximab in myositis\u2019, Clinical
Rheumatology, 34(2), pp. 200\u2013204.

Chen, M. and O'Neil, P. (2017) \u2018Lung disease in myositis\u2019, Chest, 151, pp. 10\u201315.

About the journal
\u00a9 2019 Lung Disease Letters
"""

# A page whose head gives the article only as its own citation (no locator line).
SYNTHETIC_CITED_HEAD = """Case Report

Tacrolimus in Anti-PL-7 Lung Disease

How to cite: Park, J. and Lee, K. (2020) 'Tacrolimus in anti-PL-7 lung disease', Respiratory Case Notes, 3(1), pp. 5\u20139. doi:10.5555/rcn.2020.3.

Abstract

Tacrolimus was given to 2 patients.

References

Park, J. (2018) 'An earlier case', Respiratory Case Notes, 1, pp. 1\u20132.
"""


def test_the_author_date_page_is_recognised_by_exactly_one_layout() -> None:
    text = (FIXTURES / AUTHOR_DATE).read_text(encoding="utf-8")
    for page in (text, SYNTHETIC_AUTHOR_DATE, SYNTHETIC_CITED_HEAD):
        assert [layout.name for layout in layouts()
                if not layout.fallback and layout.recognises(page)] == ["author-date-page"]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()
                                        if p.suffix in (".nbib", ".xml", ".ris", ".bib")))
def test_no_layout_claims_a_record_file(name: str) -> None:
    assert detect_layout((FIXTURES / name).read_text(encoding="utf-8")) is None


def test_the_author_date_page_keeps_furniture_out_of_every_field() -> None:
    document = read_document(FIXTURES / AUTHOR_DATE, root=FIXTURES)
    assert document.layout == "author-date-page"
    assert document.publication_type == "Research Article"
    assert document.body is None
    assert document.abstract is not None
    assert document.abstract.startswith("Objective. To describe how effective")
    assert document.abstract.endswith("prednisone could be tapered to a low dose.")
    strings = field_strings(document)
    for chrome in (*BOILER_PLATE, "Skip to main content", "Share | Tweet", "Cite this article",
                   "Figures & Data", "Current Issue", "Copyright", "No related articles",
                   "First published online", "https://doi.org"):
        assert not [s for s in strings if chrome in s], chrome
    # mining reads the title and the abstract, not the page's own citation or the references
    assert [document.text[a:b].split("\n", 1)[0] for a, b in document.spans] == [
        document.meta.title, document.abstract.split("\n", 1)[0]]


def test_author_date_layout_reads_another_page(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_AUTHOR_DATE)
    meta = document.meta
    assert (document.layout, document.path, document.record) == (
        "author-date-page", "page.txt", None)
    assert meta.title == "Rituximab for Refractory Antisynthetase Lung Disease"
    assert meta.authors == (Person("Lima", "Ana"), Person("O'Neil", "Paul"), Person("Chen", "Mei"))
    assert (meta.journal, meta.year, meta.volume, meta.issue) == (
        "Lung Disease Letters", 2019, "7", "2")
    assert (meta.page_start, meta.page_end, meta.doi) == ("101", "109", "10.1234/ldl.2019.0007")
    assert document.publication_type == "Original Article"
    assert document.abstract == (
        "Background. Rituximab was given to 12 patients with anti-Jo-1 antibodies.\n\n"
        "Results. Eight (67%) had improvement in FVC.")
    assert document.body == "Introduction\n\nAntisynthetase syndrome is rare."
    assert [(ref.label, ref.line) for ref in document.references] == [("1", 28), ("2", 31)]
    assert document.references[0].text == (
        "Lima, A. et al. (2015) \u2018Rituximab in myositis\u2019, Clinical Rheumatology, 34(2), "
        "pp. 200\u2013204.")
    assert not [s for s in field_strings(document)
                if any(c in s for c in ("Skip to", "Issues |", "Download |", "About the", "\u00a9"))]


def test_author_date_layout_reads_the_article_from_its_own_citation(tmp_path: Path) -> None:
    document = write(tmp_path, SYNTHETIC_CITED_HEAD)
    meta = document.meta
    assert meta.title == "Tacrolimus in Anti-PL-7 Lung Disease"
    assert meta.authors == (Person("Park", "J"), Person("Lee", "K"))
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end) == (
        "Respiratory Case Notes", 2020, "3", "1", "5", "9")
    assert meta.doi == "10.5555/rcn.2020.3"
    assert document.publication_type == "Case Report"
    assert len(document.references) == 1


def test_an_author_date_page_without_its_article_fields_names_the_file(tmp_path: Path) -> None:
    text = SYNTHETIC_AUTHOR_DATE.replace("Lung Disease Letters, 12 March 2019, 7 (2): 101-9\n", "")
    with pytest.raises(InputError, match=r"page\.txt.*no \"Journal, Year"):
        write(tmp_path, text, strict=True)


def test_an_author_date_page_without_an_abstract_heading_has_its_text_as_body(
    tmp_path: Path
) -> None:
    text = SYNTHETIC_AUTHOR_DATE.replace("Abstract\n\n", "")
    document = write(tmp_path, text)
    assert document.abstract is None
    assert document.body == (
        "Background. Rituximab was given to 12 patients with anti-Jo-1 antibodies.\n\n"
        "Results. Eight (67%) had improvement in FVC.\n\nIntroduction\n\n"
        "Antisynthetase syndrome is rare.")
    assert document.meta.title == "Rituximab for Refractory Antisynthetase Lung Disease"
    assert len(document.references) == 2
