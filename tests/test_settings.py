"""Where a run reads and writes: the folder the user works in, never where the package lives."""

from pathlib import Path

import pytest

from graph.cli import main
from graph.settings import Paths, bundled
from tests.checkout import CHECKOUT


def test_the_defaults_are_the_working_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.chdir(tmp_path)
    paths = Paths()
    assert (paths.corpus, paths.out, paths.store) == (
        tmp_path / "corpus", tmp_path / "build", tmp_path / "build" / "store")
    assert paths.ontology == bundled("ontology") and paths.queries == bundled("queries")


def test_a_project_with_its_own_ontology_and_queries_uses_them(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "queries").mkdir()
    paths = Paths.of_project(tmp_path)
    assert (paths.ontology, paths.queries) == (tmp_path / "ontology", tmp_path / "queries")
    assert paths.corpus == tmp_path / "corpus"


def test_a_second_checkout_answers_from_its_own_build_not_the_installed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The package is installed from this checkout; a project elsewhere has no build yet."""
    monkeypatch.chdir(tmp_path)
    assert main(["query", "most-cited"]) == 2
    assert f"no built store at {tmp_path / 'build' / 'store'}" in capsys.readouterr().err
    assert main(["--project", str(CHECKOUT), "queries"]) == 0
    assert "most-cited:" in capsys.readouterr().out


def test_the_shipped_folders_are_the_checkouts_in_a_checkout() -> None:
    assert bundled("ontology").resolve() == (CHECKOUT / "ontology").resolve()
    assert (bundled("queries") / "drug-outcomes.rq").is_file()
    with pytest.raises(ValueError, match="ships no folder"):
        bundled("corpus")
