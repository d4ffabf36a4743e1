"""A store changed by the difference of two graph.nt files holds what loading the new file holds;
a last build whose files cannot be trusted is not changed but loaded again (issue 26, point 1).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.rdf.delta import TooLarge, Unsorted, difference
from graph.rdf.store import (
    StoreMismatch,
    create_store,
    differences,
    load_named_graph,
    update_store,
)
from graph.settings import Paths
from tests.checkout import CHECKOUT

DETAIL = "https://example.org/detail"
ENRICHMENT = ox.NamedNode("https://example.org/enrichment")


def _nt(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in sorted(lines)), encoding="utf-8")
    return path


def _t(s: str, o: str) -> str:
    return f"<https://example.org/{s}> <https://example.org/p> {o} ."


def _quads(folder: Path) -> set[ox.Quad]:
    store = ox.Store.read_only(str(folder))
    return set(store)


def test_the_changed_store_holds_the_quads_of_a_store_loaded_from_the_new_files(
    tmp_path: Path,
) -> None:
    old = _nt(tmp_path / "old.nt", _t("a", '"1"'), _t("b", "<https://example.org/c>"),
              _t("d", '"x"@en'))
    new = _nt(tmp_path / "new.nt", _t("a", '"1"'), _t("e", '"2"^^<http://www.w3.org/2001/'
                                                   'XMLSchema#nonNegativeInteger>'),
              _t("d", '"x"@en'))
    old_detail = _nt(tmp_path / "old-detail.nt", _t("m", '"gone"'))
    new_detail = _nt(tmp_path / "new-detail.nt", _t("m", '"kept"'), _t("n", '"new"'))
    create_store(tmp_path / "last", old)
    load_named_graph(tmp_path / "last", old_detail, DETAIL)
    last = ox.Store(str(tmp_path / "last"))
    last.add(ox.Quad(ox.NamedNode("https://example.org/z"), ox.NamedNode("https://example.org/p"),
                     ox.Literal("enriched"), ENRICHMENT))  # as `ma-ild enrich` leaves it
    del last

    changes = differences([(old, new, None), (old_detail, new_detail, DETAIL)], limit=10)
    count = update_store(tmp_path / "last", tmp_path / "changed", changes)

    create_store(tmp_path / "loaded", new)
    load_named_graph(tmp_path / "loaded", new_detail, DETAIL)
    assert count == 3
    assert _quads(tmp_path / "changed") == _quads(tmp_path / "loaded")
    assert ENRICHMENT not in set(ox.Store.read_only(str(tmp_path / "changed")).named_graphs())
    # the last build's store is left as it was
    assert len(_quads(tmp_path / "last")) == 5


def test_a_store_that_does_not_match_its_file_or_an_unsorted_file_or_a_large_change_is_refused(
    tmp_path: Path,
) -> None:
    old = _nt(tmp_path / "old.nt", _t("a", '"1"'), _t("b", '"2"'))
    new = _nt(tmp_path / "new.nt", _t("a", '"1"'))
    create_store(tmp_path / "last", _nt(tmp_path / "other.nt", _t("a", '"1"')))
    with pytest.raises(StoreMismatch):  # the store lacks a line the old file has
        update_store(tmp_path / "last", tmp_path / "changed",
                     differences([(old, new, None)], limit=10))
    (tmp_path / "unsorted.nt").write_text(f"{_t('b', '1')}\n{_t('a', '1')}\n", encoding="utf-8")
    with pytest.raises(Unsorted):
        difference(tmp_path / "unsorted.nt", new, limit=10)
    with pytest.raises(TooLarge):
        difference(None, old, limit=1)


def test_the_count_the_last_build_kept_stands_in_for_counting_the_store(tmp_path: Path) -> None:
    old = _nt(tmp_path / "old.nt", _t("a", '"1"'), _t("b", '"2"'))
    new = _nt(tmp_path / "new.nt", _t("a", '"1"'), _t("c", '"3"'), _t("d", '"4"'))
    create_store(tmp_path / "last", old)
    changes = differences([(old, new, None)], limit=10)
    assert update_store(tmp_path / "last", tmp_path / "counted", changes) == 3
    assert update_store(tmp_path / "last", tmp_path / "kept", changes, quads=2) == 3
    assert _quads(tmp_path / "kept") == _quads(tmp_path / "counted")
    with pytest.raises(StoreMismatch):  # a count that is not the last store's
        update_store(tmp_path / "last", tmp_path / "wrong", changes, quads=3)
    holding = _nt(tmp_path / "holding.nt", _t("a", '"1"'), _t("b", '"2"'), _t("c", '"3"'))
    create_store(tmp_path / "more", holding)  # holds a line the old file lacks, and is added
    with pytest.raises(StoreMismatch):
        update_store(tmp_path / "more", tmp_path / "again", changes, quads=2)


def _store_made(out: Path) -> dict[str, int]:
    return json.loads((out / "build-report.json").read_text(encoding="utf-8"))["cache"]["store"]


def test_a_build_changes_the_last_store_only_while_its_files_can_be_trusted(
    tmp_path: Path,
) -> None:
    shutil.copytree(CHECKOUT / "corpus", tmp_path / "corpus")
    paths = Paths(corpus=tmp_path / "corpus", ontology=CHECKOUT / "ontology",
                  out=tmp_path / "build")
    quick = {"views": False, "check_shapes": False}
    build(paths, **quick)
    assert _store_made(paths.out) == {"reused": 0, "made": 1}  # no store before
    loaded = _quads(paths.out / "store")
    assert build(paths, **quick).cache["store"] == {"reused": 1, "made": 0}
    assert _quads(paths.out / "store") == loaded
    kept = json.loads((paths.out / "cache" / "store.json").read_text())["quads"]
    assert kept == len(loaded) == len(graph_nt_lines := (paths.out / "graph.nt").read_text(
        encoding="utf-8").splitlines()) and graph_nt_lines

    graph_nt = paths.out / "graph.nt"
    with graph_nt.open("a", encoding="utf-8") as handle:  # a line its store does not hold
        handle.write('<https://zz.example.org/x> <https://example.org/p> "x" .\n')
    assert build(paths, **quick).cache["store"] == {"reused": 0, "made": 1}
    assert _quads(paths.out / "store") == loaded

    (paths.out / "cache" / "store.json").write_text('{"pyoxigraph": "0.0.0"}\n')  # another engine
    assert build(paths, **quick).cache["store"] == {"reused": 0, "made": 1}
    assert _quads(paths.out / "store") == loaded
