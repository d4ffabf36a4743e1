"""The generic reader: an article in a layout no specific reader knows goes in with its fields.

The texts here are synthetic (names and journals made up); the development set
(``tests/fixtures/devset/``, scored by ``python -m graph.inputs.scoring``) holds real studies.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.errors import InputError, UnknownLayoutError
from graph.inputs.read import detect_layout, read_document, read_documents
from graph.records import Person
from graph.settings import Paths
from tests.checkout import CHECKOUT

LETTER = """RESEARCH LETTER

Tacrolimus for refractory antisynthetase lung disease: a pilot cohort

Jane Doe1, Richard Roe2* and Mary Major1

1 Department of Rheumatology, Example University
Example Journal of Rheumatology 2021;12(3):145-50
https://doi.org/10.1234/EJR.2021.0145

Abstract
Background: Lung disease drives mortality in antisynthetase syndrome.
Methods: We followed ten patients given tacrolimus.
Results: Seven of 10 patients improved.
Conclusions: Tacrolimus may help.

Keywords: tacrolimus; interstitial lung disease

Introduction
Antisynthetase syndrome is rare and its lung disease is often refractory to steroids.

Methods
Ten patients were treated at one centre.

References
[1] Doe J, Roe R. An earlier cohort of treated patients. Example J Rheumatol. 2019;5:1-10.
[2] Major M, Doe J. Calcineurin inhibitors in myositis lung disease. Lung Example.
2018;33(2):201-9.
"""

RECORD = """Repository record

Title: Outcomes of calcineurin inhibitors in dermatomyositis lung disease
Authors: Doe, Jane; Roe, Richard A.
Journal: Example Lung Journal
Year: 2020
Volume: 8
Issue: 2
Pages: 77-84
DOI: 10.5555/elj.2020.77
PMID: 31234567

Abstract: Twelve patients were given cyclosporine; nine improved.
"""

ELSEVIER = """Example Respiratory Medicine
Volume 53, Issue 7, July 2014, Pages 1234-1240

Original article

Rituximab in refractory myositis lung disease

Anna Smith, Bo Chen, Carla Gomez

Abstract

We report eleven patients treated with rituximab.

1. Introduction

Refractory disease is common.

References

Smith, A. and Chen, B. (2010) 'A first report', Example Lung, 3(1), pp. 1-5.

Gomez, C. (2012) 'A second report on treatment of refractory lung
disease', Example Chest, 9, pp. 10-20.
"""


def _read(tmp_path: Path, text: str, name: str = "article.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, root=tmp_path)


def test_a_research_letter_gives_every_printed_field(tmp_path: Path) -> None:
    document = _read(tmp_path, LETTER)
    meta = document.meta
    assert document.layout == "plain-article"
    assert meta.title == "Tacrolimus for refractory antisynthetase lung disease: a pilot cohort"
    assert meta.authors == (Person("Doe", "Jane"), Person("Roe", "Richard"),
                            Person("Major", "Mary"))
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end) == (
        "Example Journal of Rheumatology", 2021, "12", "3", "145", "150")
    assert meta.doi == "10.1234/ejr.2021.0145"
    assert document.abstract is not None and document.abstract.startswith("Background:")
    assert document.abstract.endswith("Tacrolimus may help.")
    assert document.body is not None and "Ten patients were treated" in document.body
    assert "Keywords" not in document.body
    assert [r.label for r in document.references] == ["1", "2"]
    assert document.references[1].text.endswith("2018;33(2):201-9.")
    assert document.unread() == ("pmid", "pmcid")


def test_a_labelled_record_gives_its_fields_and_family_given_names(tmp_path: Path) -> None:
    document = _read(tmp_path, RECORD)
    meta = document.meta
    assert meta.title == "Outcomes of calcineurin inhibitors in dermatomyositis lung disease"
    assert meta.authors == (Person("Doe", "Jane"), Person("Roe", "Richard A."))
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end,
            meta.doi, meta.pmid) == ("Example Lung Journal", 2020, "8", "2", "77", "84",
                                     "10.5555/elj.2020.77", "31234567")
    assert document.abstract == "Twelve patients were given cyclosporine; nine improved."


def test_a_volume_issue_pages_locator_and_an_author_date_list(tmp_path: Path) -> None:
    document = _read(tmp_path, ELSEVIER)
    meta = document.meta
    assert meta.title == "Rituximab in refractory myositis lung disease"
    assert [p.family for p in meta.authors] == ["Smith", "Chen", "Gomez"]
    assert (meta.journal, meta.year, meta.volume, meta.issue, meta.page_start, meta.page_end) == (
        "Example Respiratory Medicine", 2014, "53", "7", "1234", "1240")
    assert document.publication_type == "Original article"
    assert len(document.references) == 2
    assert document.references[1].text.startswith("Gomez, C. (2012)")
    assert document.references[1].text.endswith("pp. 10-20.")


def test_a_missing_field_is_reported_not_guessed(tmp_path: Path) -> None:
    document = _read(tmp_path, LETTER.replace("Example Journal of Rheumatology 2021;12(3):145-50\n",
                                              ""))
    assert document.meta.journal is None and document.meta.volume is None
    assert {"journal", "year", "volume", "issue", "pages"} <= set(document.unread())


def test_strict_reading_leaves_the_generic_reader_out(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    assert detect_layout(LETTER).name == "plain-article"  # type: ignore[union-attr]
    assert detect_layout(LETTER, strict=True) is None
    with pytest.raises(UnknownLayoutError, match=r"letter\.txt"):
        read_documents(path, tmp_path, strict=True)


def test_a_page_a_specific_layout_cannot_read_goes_to_the_generic_reader(tmp_path: Path) -> None:
    # its author-date reference list makes it look like the author-date layout, which needs a
    # "Journal, Year, Vol (Issue) pages" line or the article's own citation; it is read anyway,
    # and says so
    document = _read(tmp_path, ELSEVIER)
    assert document.layout == "plain-article"
    assert document.meta.volume == "53"
    assert any("author-date-page could not read it" in w for w in document.warnings)
    with pytest.raises(InputError):
        read_documents(tmp_path / "article.txt", tmp_path, strict=True)


@pytest.mark.parametrize("text", ["\n\n", "Some notes on tacrolimus.\n\nNothing more.\n"])
def test_text_with_no_article_in_it_is_still_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.txt"):
        read_documents(path, tmp_path)


def test_a_strict_build_refuses_a_page_only_the_generic_reader_can_read(tmp_path: Path) -> None:
    shutil.copytree(CHECKOUT / "corpus", tmp_path / "corpus")
    (tmp_path / "corpus" / "documents" / "letter.txt").write_text(LETTER, encoding="utf-8")
    paths = Paths(corpus=tmp_path / "corpus", ontology=CHECKOUT / "ontology",
                  out=tmp_path / "build")
    with pytest.raises(UnknownLayoutError, match=r"documents/letter\.txt"):
        build(paths, strict=True, views=False)
    assert not (tmp_path / "build" / "graph.nt").exists()


def test_an_unnumbered_reference_list_is_one_entry_a_line(tmp_path: Path) -> None:
    text = LETTER.split("References\n")[0] + (
        "References\n"
        "Doe J, Roe R. An earlier cohort of treated patients. Example J Rheumatol. 2019;5:1-10.\n"
        "Major M, Doe J. Calcineurin inhibitors in lung disease. Lung Example. 2018;33:201-9.\n"
        "Roe R. A third report on the same patients. Example Chest. 2020;7:11-19.\n"
    )
    document = _read(tmp_path, text)
    assert [r.label for r in document.references] == ["1", "2", "3"]
    assert [r.text[:8] for r in document.references] == ["Doe J, R", "Major M,", "Roe R. A"]
