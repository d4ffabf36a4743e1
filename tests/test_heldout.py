"""The held-out set: real published studies on myositis lung disease that the extractor was never
tuned on, in the layouts people hold (PubMed XML, JATS, saved HTML pages, plain-text journal
pages, a PubMed copy, a markdown article, a news summary).

Held out means: no study of the corpus, the development set or the new-literature fixtures; every
study curated by hand in the corpus's curation format and passing the corpus loader's checks
(quotes verbatim, numbers in their quotes, entities in the vocabulary); the first run's score kept
with its date and commit, never rewritten.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph.inputs.read import read_documents
from graph.mining.scoring import DOCUMENT_SUFFIXES, HELDOUT_FIRST, load_set_curations, main
from tests.checkout import CHECKOUT

FIXTURES = CHECKOUT / "tests" / "fixtures"
HELDOUT = FIXTURES / "heldout"
FILES = sorted(p for p in HELDOUT.iterdir() if p.suffix in DOCUMENT_SUFFIXES)


def _title(path: Path) -> str:
    [document] = read_documents(path, path.parent)
    return re.sub(r"\W+", " ", (document.meta.title or "").lower()).strip()


def test_the_set_holds_at_least_eight_studies_in_several_layouts() -> None:
    assert len(FILES) >= 8
    assert {p.suffix for p in FILES} == {".txt", ".xml", ".html"}
    readers = {read_documents(p, HELDOUT)[0].layout for p in FILES}
    assert readers >= {"pubmed-xml", "jats-xml", "markdown-article", "plain-article"}, readers


def test_no_study_is_one_the_extractor_was_developed_on() -> None:
    seen = [p for folder in (CHECKOUT / "corpus" / "documents", FIXTURES / "devset")
            for p in folder.iterdir() if p.suffix in DOCUMENT_SUFFIXES]
    known = {_title(p) for p in seen}
    for path in (FIXTURES / "new_literature").iterdir():  # the ten studies of issue 12
        if path.suffix not in (".json", ".md"):
            known |= {re.sub(r"\W+", " ", (d.meta.title or "").lower()).strip()
                      for d in read_documents(path, path.parent)}
    held = {p.name: _title(p) for p in FILES}
    assert all(held.values())
    assert not {name for name, title in held.items() if title in known}


def test_every_study_has_its_findings_curated_by_hand_and_they_pass_the_corpus_checks() -> None:
    records = sorted(p.stem for p in (HELDOUT / "curation").glob("*.yaml"))
    assert records == sorted(p.stem for p in FILES)
    curated = load_set_curations(HELDOUT, CHECKOUT / "ontology")
    assert len(curated) == len(FILES)
    assert all(curated.values())
    assert sum(len(findings) for findings in curated.values()) >= 40


def test_the_first_run_is_recorded_with_its_date_and_commit_for_these_studies() -> None:
    first = json.loads((CHECKOUT / HELDOUT_FIRST).read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", first["scored_at"])
    assert re.fullmatch(r"[0-9a-f]{12}", first["commit"])
    scored = set(first["scores"]) - {"overall"}
    assert {name.split("#")[0] for name in scored} == {p.name for p in FILES}


def test_the_first_run_is_never_rewritten(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / HELDOUT_FIRST.name).write_text("{}", encoding="utf-8")
    assert main(["--output", str(tmp_path / "score.md"), "--save-heldout-first-run"]) == 2
    assert "already recorded" in capsys.readouterr().err
    assert (tmp_path / HELDOUT_FIRST.name).read_text(encoding="utf-8") == "{}"
    assert not (tmp_path / "score.md").exists()
