"""Two processes build what one builds, byte for byte (``ma-ild build --jobs``, issue 26).

With more than one job, the files the cache lacks are read, mined and parsed by worker
processes (graph/build/workers.py) and the stages that only read the store or ``graph.nt`` run
two at a time (graph/build/children.py :class:`Beside`). The workers' results come back in the
files' order whichever worker finishes first; an error raised in a worker or a stage beside
reaches the command as it was raised, naming the file and line, and the last build stays.
"""

from __future__ import annotations

import json
import pickle
import shutil
import time
from pathlib import Path

import pytest

from graph.build import workers
from graph.build.children import Beside
from graph.build.file_stats import STATS
from graph.build.pipeline import build
from graph.build.views import groups
from graph.cache_keys import FOLDER as CACHE
from graph.errors import InputError
from graph.settings import Paths
from graph.views import VIEWS
from graph.views._view import View
from tests.checkout import CHECKOUT

VARYING = {"stages", "outputs"}  # timings and memory, and the folder's own paths


def _files(out: Path) -> dict[str, bytes]:
    """Every file of a build folder, its cache's included, but the store (RocksDB's files
    differ run to run) and the report (compared apart)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] not in {"store", "build-report.json"}}


def _report(out: Path) -> dict[str, object]:
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return {k: v for k, v in report.items() if k not in VARYING}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The corpus built with one job and with two, every file given to the workers (a corpus
    this small would otherwise stay in one process)."""
    root = tmp_path_factory.mktemp("jobs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workers, "FEWEST", 1)
        for jobs in (1, 2):
            build(Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology",
                        out=root / f"jobs{jobs}"), jobs=jobs)
    return {1: root / "jobs1", 2: root / "jobs2"}


def test_two_jobs_write_every_file_and_report_line_of_one_job(built: dict[int, Path]) -> None:
    one, two = _files(built[1]), _files(built[2])
    assert sorted(one) == sorted(two)
    assert any(name.startswith("views/") for name in one)
    assert any(name.startswith("cache/records/") for name in one)
    differ = [name for name in one if one[name] != two[name]]
    # a cache entry is what it holds: pickle writes an object met twice once, and which equal
    # strings are one object depends on where the records came from (made, or unpickled)
    assert [name for name in differ if not name.startswith("cache/")] == []
    # the corpus files' stats as each build saw them (graph/build/file_stats.py) say when it
    # looked, not what it made
    assert [name for name in differ if name != f"{CACHE}/{STATS}"
            and pickle.loads(one[name]) != pickle.loads(two[name])] == []
    assert _report(built[1]) == _report(built[2])
    stages = [[s["stage"] for s in json.loads((out / "build-report.json").read_text())["stages"]]
              for out in (built[1], built[2])]
    assert stages[0] == stages[1]  # a stage run beside keeps its place in the report


def _view(name: str, *reads: str) -> View:
    return View(name, "", 0, (), lambda *_: None, reads)  # type: ignore[arg-type,return-value]


def test_views_that_read_the_same_rows_are_drawn_in_one_group() -> None:
    """With two jobs each group of views is drawn in a worker of its own (graph/build/views.py):
    a query two views read is asked once, so they are drawn together, transitively."""
    a, b, c, d, e = (_view("a", "q1"), _view("b", "q2"), _view("c", "q3", "q1"),
                     _view("d", "q4", "q2"), _view("e", "q3"))
    assert groups([a, b, c, d, e]) == [[a, c, e], [b, d]]
    assert groups([b, e, a, c]) == [[b], [e, a, c]]
    assert groups([a]) == [[a]]
    # the registered views: the evidence page and the gap map read the findings
    assert [[v.name for v in g] for g in groups(VIEWS.all())] == [
        ["citations"], ["evidence", "gapmap"], ["entity"]]


def _slower_first(item: int) -> int:
    time.sleep(0.0005 * (100 - item))  # the first items finish last
    return item * item


def test_results_come_in_the_items_order_whichever_worker_finishes_first() -> None:
    items = list(range(100))
    assert list(workers.each(_slower_first, items, 2)) == [i * i for i in items]


def _bad_input() -> None:
    raise InputError("documents/broken.txt", "text contains the control character U+0001", 3)


def test_an_error_in_a_stage_beside_crosses_whole() -> None:
    with pytest.raises(InputError, match=r"^documents/broken\.txt:3: text contains") as caught:
        Beside(_bad_input).result()
    assert (caught.value.path, caught.value.line) == ("documents/broken.txt", 3)


def test_a_workers_error_names_the_file_and_line_and_the_last_build_stays(
    built: dict[int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CHECKOUT / "corpus", tmp_path / "corpus")
    (tmp_path / "corpus" / "documents" / "broken.txt").write_text(
        "A title\n\nA sentence.\nA control character \x01 here.\n", encoding="utf-8")
    shutil.copytree(built[2], tmp_path / "build")
    before = _files(tmp_path / "build")
    monkeypatch.setattr(workers, "FEWEST", 1)
    paths = Paths(corpus=tmp_path / "corpus", ontology=CHECKOUT / "ontology",
                  out=tmp_path / "build")
    for jobs in (1, 2):
        with pytest.raises(InputError, match=r"documents/broken\.txt:4: text contains the "
                                             r"control character U\+0001"):
            build(paths, jobs=jobs)
        assert _files(tmp_path / "build") == before
