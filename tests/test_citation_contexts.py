"""Citation contexts: the sentences that cite each reference entry, their section and intent."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from graph.build.add import add
from graph.citations.contexts import find_contexts
from graph.citations.intent import classify
from graph.citations.intent_score import score
from graph.cli import main
from graph.errors import GraphError
from graph.inputs.read import read_documents
from graph.records import Document
from graph.settings import Paths
from tests.checkout import CHECKOUT

COHORT = "documents/sharma-2017-cohort-article-markdown.txt"
DEVSET = Path(__file__).parent / "fixtures" / "devset"
REFERENCES = """References

1. Ge Y, Zhou H, Shi J. The efficacy of tacrolimus in patients with refractory dermatomyositis/polymyositis: a systematic review. Clin Rheumatol. 2015;34:2097-103.
2. Fathi M, Vikgren J. Interstitial lung disease in polymyositis and dermatomyositis. Arthritis Rheum. 2008;59:677-85.
3. Marie I, Hachulla E. Interstitial lung disease in polymyositis and dermatomyositis. Arthritis Rheum. 2002;47:614-22.
4. Bohan A, Peter JB. Polymyositis and dermatomyositis (second of two parts). N Engl J Med. 1975;292:403-7.
"""
HEAD = """Tacrolimus for lung disease in myositis: a second cohort

Ann Lee, Bo Kim

Journal of Tests 2021;3:1-9

Abstract

We studied twelve patients treated with tacrolimus for lung disease in myositis.

"""


def _cited(document: Document) -> dict[str, list[tuple[str | None, str]]]:
    """Entry label -> (section, sentence) of each context."""
    found: dict[str, list[tuple[str | None, str]]] = {}
    for c in find_contexts(document).found:
        found.setdefault(document.references[c.reference].label or "", []).append(
            (c.section, c.exact))
    return found


def _read(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [document] = read_documents(path, tmp_path)
    return document


def test_the_cohort_cites_the_review_in_its_introduction_and_bohan_and_peter_in_its_methods(
    documents: dict[str, Document],
) -> None:
    cited = _cited(documents[COHORT])
    review = cited["17"]
    assert review[0] == ("introduction", "A systematic review supported the benefit of tacrolimus "
                         "in treating muscle weakness, improving serum creatine kinase (CK), and "
                         "stabilization of ILD<sup>17</sup>.")
    assert [section for section, _ in review] == ["introduction", "discussion", "discussion"]
    for part in ("25", "26"):
        [(section, sentence)] = cited[part]
        assert section == "methods" and "Bohan and Peter criteria<sup>25,26</sup>" in sentence


def test_lists_of_superscripts_cite_every_entry_and_an_enumeration_cites_none(
    documents: dict[str, Document],
) -> None:
    document = documents[COHORT]
    cited = _cited(document)
    assert all(label in cited for label in ("11", "12", "13", "14", "18", "23"))
    contexts = find_contexts(document)
    assert contexts.unresolved == () and contexts.uncited == ()
    # "(1) any worsening muscle weakness ... or (2) ..." in the methods is a list, no citation
    assert not any("(1) any worsening" in sentence for sentence in
                   (c.exact for c in contexts.found))


def test_a_sentence_cut_by_a_page_break_is_quoted_whole_with_exact_offsets(
    documents: dict[str, Document],
) -> None:
    document = documents[COHORT]
    [second] = [c for c in find_contexts(document).found
                if c.reference == 16 and c.exact.startswith("This supports")]
    assert "the\n\nfindings of a systematic review" in second.exact
    assert document.text[second.start:second.sentence.end] == second.exact


def test_brackets_ranges_and_author_date_forms_resolve_in_a_plain_article(
    tmp_path: Path,
) -> None:
    body = ("Introduction\n\nA systematic review supported the benefit of tacrolimus "
            "(Ge et al. 2015). Fathi et al. (2008) found lung disease in half [2\u20133].\n\n"
            "Patients and methods\n\nMyositis was diagnosed on the criteria of Bohan and Peter "
            "(1975) [4]. Lung function was measured [7].\n\n")
    document = _read(tmp_path, "plain.txt", HEAD + body + REFERENCES)
    cited = _cited(document)
    assert cited["1"] == [("introduction", "A systematic review supported the benefit of "
                           "tacrolimus (Ge et al. 2015).")]
    assert [s for s, _ in cited["2"]] == [s for s, _ in cited["3"]] == ["introduction"]
    assert cited["4"][0][0] == "methods"
    contexts = find_contexts(document)
    assert [marker for _, marker in contexts.unresolved] == ["[7]"]
    assert contexts.uncited == ()


def _html_page() -> str:
    items = "".join(f"<li>{line[3:]}</li>" for line in REFERENCES.splitlines()[2:])
    return ("<!DOCTYPE html><html><head><meta name='citation_title' content='Tacrolimus for lung "
            "disease in myositis'></head><body><article><h1>Tacrolimus for lung disease in "
            "myositis</h1><p>Ann Lee<sup>1</sup></p><h2>Abstract</h2><p>We studied twelve "
            "patients treated with tacrolimus for lung disease.</p><h2>Introduction</h2><p>A "
            "review supported the benefit of tacrolimus<sup><a href='#r1'>1</a></sup>. Lung "
            "disease is frequent in myositis<sup>2,3</sup>. In contrast to an earlier "
            f"series<sup>9</sup>, all improved.</p><h2>References</h2><ol>{items}</ol>"
            "</article></body></html>")


def test_an_html_page_keeps_its_superscript_markers_and_reports_what_is_left_over(
    tmp_path: Path,
) -> None:
    document = _read(tmp_path, "page.html", _html_page())
    assert "Ann Lee1" in document.text  # an affiliation mark is no citation
    cited = _cited(document)
    assert cited["1"] == [("introduction", "A review supported the benefit of "
                           "tacrolimus<sup>1</sup>.")]
    contexts = find_contexts(document)
    assert [marker for _, marker in contexts.unresolved] == ["<sup>9</sup>"]
    assert [document.references[i].label for i in contexts.uncited] == ["4"]


def test_jats_body_paragraphs_are_read_with_their_section_titles() -> None:
    [document] = read_documents(DEVSET / "huapaya-2019-pmc.xml", DEVSET)
    cited = _cited(document)
    assert [s for s, _ in cited["1"]] == [s for s, _ in cited["2"]] == ["introduction"]
    assert cited["2"][0][1].startswith("Mycophenolate had improved lung function")


def test_a_page_without_body_text_reports_no_uncited_entries(
    documents: dict[str, Document],
) -> None:
    review = documents["documents/ge-2015-systematic-review-springer-page.txt"]
    assert not find_contexts(review).body


@pytest.mark.parametrize(("sentence", "section", "intent", "rule"), [
    ("A systematic review supported the benefit of tacrolimus<sup>17</sup>.", "introduction",
     "citesAsEvidence", "evidence"),
    ("We used the Bohan and Peter criteria<sup>25,26</sup>.", "methods", "citesAsAuthority",
     "authority"),
    ("Lung function was measured as before<sup>4</sup>.", "methods", "usesMethodIn", "method"),
    ("In contrast to Ge et al. (2015), no patient improved.", "discussion", "disagreesWith",
     "contrast"),
    ("They failed to replicate the effect [3].", "discussion", "disagreesWith", "contrast"),
    ("This is consistent with previous case series<sup>16</sup>.", "discussion", "confirms",
     "agreement"),
    ("This supports the findings of a systematic review<sup>17</sup>.", "discussion",
     "supports", "agreement"),
    ("Corticosteroids remain first-line therapy<sup>5</sup>.", "introduction",
     "citesForInformation", "default"),
])
def test_intent_rules_read_general_cues_and_the_section(
    sentence: str, section: str, intent: str, rule: str,
) -> None:
    found = classify(sentence, section)
    assert (found.intent, found.rule) == (intent, rule)
    assert found.decided == (rule != "default")


def test_the_committed_precision_table_is_what_the_rules_and_hand_labels_give_now() -> None:
    """Every context of the labelled files has a label, and the page is regenerated from them."""
    spec = importlib.util.spec_from_file_location("make", CHECKOUT / "docs" /
                                                  "make_citation_intent.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    committed = (CHECKOUT / "docs" / "citation-intent.md").read_text(encoding="utf-8")
    assert committed == make.page(), "stale: run python docs/make_citation_intent.py"
    assert "| `cito:citesAsEvidence` |" in committed


def test_a_context_the_hand_labels_miss_fails_the_scoring(tmp_path: Path) -> None:
    labels = tmp_path / "labels.json"
    labels.write_text('{"labels": []}', encoding="utf-8")
    with pytest.raises(GraphError, match="no label for"):
        score([DEVSET / "fischer-2013-pmc.xml"], labels, DEVSET)


def test_documents_added_later_bring_their_citing_sentences_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """An HTML page, a plain-text article and a JATS article added to the corpus: each citing
    sentence is in the graph, on the edge to the work its entry denotes, and the build reports
    the marker with no entry and the entry never cited."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CHECKOUT / "corpus", corpus)
    plain = tmp_path / "lee-2021.txt"
    plain.write_text(HEAD + "Patients and methods\n\nMyositis was diagnosed on the criteria of "
                     "Bohan and Peter (1975).\n\n" + REFERENCES, encoding="utf-8")
    page = tmp_path / "lee-2020.html"
    page.write_text(_html_page(), encoding="utf-8")
    paths = Paths(corpus=corpus, ontology=CHECKOUT / "ontology", out=tmp_path / "build")
    report = add([page, plain, DEVSET / "huapaya-2019-pmc.xml"], paths)
    assert [o.status for o in report.outcomes] == ["added"] * 3
    assert "documents/lee-2020.html:" in " ".join(report.build.unmatched_markers)
    assert any(e.startswith("documents/lee-2020.html:") and "Bohan A" in e
               for e in report.build.uncited_entries)

    def contexts(work: str) -> list[tuple[str, str, str]]:
        assert main(["--project", str(tmp_path), "query", "citation-contexts", "--param",
                     f"work={work}", "--store", str(paths.out / "store"), "--format",
                     "json"]) == 0
        rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
        return [(r["source"]["value"], r["intent"]["value"], r["sentence"]["value"])
                for r in rows]

    assert ("documents/lee-2020.html", "citesAsEvidence",
            "A review supported the benefit of tacrolimus<sup>1</sup>.") in contexts(
        "ge-2015-34-2097")
    assert ("documents/lee-2021.txt", "citesAsAuthority", "Myositis was diagnosed on the "
            "criteria of Bohan and Peter (1975).") in contexts("bohan-1975-292-403")
    [(intent, sentence)] = [(i, s) for source, i, s in contexts("10.3899/jrheum.121043")
                            if source == "documents/huapaya-2019-pmc.xml"]
    assert intent == "citesAsEvidence"
    assert sentence.startswith("Mycophenolate had improved lung function")
