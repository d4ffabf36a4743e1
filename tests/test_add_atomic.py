"""``ma-ild add`` as one step: killed at any moment or run twice at once, the corpus and the build
stay in step (a file is in the corpus exactly when the build took it in) and no file is lost.

The adds run as separate processes, as a user or a scheduler runs them, and are stopped by real
signals once their copy is in the corpus.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.build.journal import (
    Copy,
    begin,
    journal_path,
    keep_last_graph,
    last_graph_path,
    settle,
)
from graph.build.pipeline import build
from graph.settings import Paths
from tests.checkout import CHECKOUT

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
WILKES = CHECKOUT / "tests" / "fixtures" / "new_literature" / "wilkes-2005.nbib"


def _ris(title: str) -> str:
    return (f"TY  - JOUR\nTI  - {title}\nAU  - Doe, Jane\nPY  - 2021\nJO  - Example Journal\n"
            "VL  - 3\nSP  - 10\nEP  - 19\nER  - \n")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(CORPUS, root / "corpus")
    paths = Paths(corpus=root / "corpus", ontology=ONTOLOGY, out=root / "build")
    build(paths, views=False)
    return paths


def _clone(paths: Paths, root: Path) -> Paths:
    shutil.copytree(paths.corpus, root / "corpus")
    shutil.copytree(paths.out, root / "build")
    return Paths(corpus=root / "corpus", ontology=ONTOLOGY, out=root / "build")


def _corpus(paths: Paths) -> dict[str, str]:
    return {p.relative_to(paths.corpus).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(paths.corpus.rglob("*")) if p.is_file()}


def _start_add(paths: Paths, *files: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "add", *map(str, files), "--corpus", str(paths.corpus),
         "--ontology", str(paths.ontology), "--out", str(paths.out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition: object, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, f"the add ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"no {what} within two minutes"
        time.sleep(0.005)


MOMENTS = {
    "right after the copy": lambda paths: (paths.documents / WILKES.name).exists(),
    "while the store is loaded": lambda paths: any(
        paths.out.parent.glob(f".{paths.out.name}.staging-*/store")),
}


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP],
                         ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_an_add_stopped_by_a_signal_lands_nothing(
    baseline: Paths, tmp_path: Path, signum: int, moment: str,
) -> None:
    paths = _clone(baseline, tmp_path)
    corpus_before, graph_before = _corpus(paths), (paths.out / "graph.nt").read_bytes()
    process = _start_add(paths, WILKES)
    _wait_for(lambda: MOMENTS[moment](paths), process, moment)
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        # the next build finds the journal of the killed add and takes its copy back out
        report = build(paths, views=False)
        assert f"documents/{WILKES.name}: removed, an add was stopped before its build " \
               "finished" in report.warnings
    else:
        assert process.returncode == 128 + signum, (out, err)
        assert err == (f"error: stopped by {signal.Signals(signum).name}; work under way was "
                       "undone, nothing was changed\n")
        assert "Traceback" not in out + err
    assert _corpus(paths) == corpus_before
    assert (paths.out / "graph.nt").read_bytes() == graph_before
    # no staging folder, no journal left: only the locks' empty files (the build's own only if
    # the signal came after the build began: on a loaded machine it can come just before)
    left = {p.name for p in tmp_path.iterdir() if p.name.startswith(".")}
    assert ".build.add.lock" in left and left <= {".build.add.lock", ".build.lock"}, left


def test_an_add_killed_after_its_build_landed_keeps_its_file(tmp_path: Path) -> None:
    """The journal is settled against the build: a copy the build took in stays."""
    paths = Paths(corpus=tmp_path / "corpus", ontology=ONTOLOGY, out=tmp_path / "build")
    paths.documents.mkdir(parents=True)
    paths.out.mkdir()
    copies = []
    for name in ("built.ris", "unbuilt.ris"):
        target = paths.documents / name
        target.write_text(_ris(name), encoding="utf-8")
        copies.append(Copy(target, target.with_name(f".{name}.partial-1"),
                           hashlib.sha256(target.read_bytes()).hexdigest()))
    (paths.documents / ".unbuilt.ris.partial-1").write_text("half a co", encoding="utf-8")
    (paths.out / "build-report.json").write_text(json.dumps(
        {"documents": [{"path": "documents/built.ris#1"}]}), encoding="utf-8")
    (paths.out / "graph.nt").write_text("<a:x> <a:p> <a:y> .\n", encoding="utf-8")
    assert keep_last_graph(paths) == last_graph_path(paths)  # kept for the add's report
    begin(paths, copies)
    assert settle(paths) == ["documents/unbuilt.ris"]
    assert sorted(p.name for p in paths.documents.iterdir()) == ["built.ris"]
    assert not journal_path(paths).exists()
    assert not last_graph_path(paths).exists()  # set aside, removed by a process of its own


def test_an_unwritten_journal_copied_nothing_and_is_dropped(tmp_path: Path) -> None:
    paths = Paths(corpus=tmp_path / "corpus", ontology=ONTOLOGY, out=tmp_path / "build")
    paths.documents.mkdir(parents=True)
    (paths.documents / "kept.ris").write_text(_ris("Kept"), encoding="utf-8")
    journal_path(paths).write_text('[{"target": "documents/kept.ris", "par', encoding="utf-8")
    assert settle(paths) == []
    assert [p.name for p in paths.documents.iterdir()] == ["kept.ris"]
    assert not journal_path(paths).exists()


def test_two_adds_at_once_of_files_with_one_name_both_land(
    baseline: Paths, tmp_path: Path,
) -> None:
    paths = _clone(baseline, tmp_path / "state")
    sources = []
    for folder, title in (("a", "Cyclosporine in myositis lung disease"),
                          ("b", "Rituximab in antisynthetase syndrome")):
        (tmp_path / folder).mkdir()
        sources.append(tmp_path / folder / "refs.ris")
        sources[-1].write_text(_ris(title), encoding="utf-8")
    processes = [_start_add(paths, source) for source in sources]
    results = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    added = [{line.split(":")[0] for line in out.splitlines() if line.startswith("added ")}
             for out, _err in results]
    assert sorted(added, key=sorted) == [{"added documents/refs-2.ris"},
                                         {"added documents/refs.ris"}]
    landed = {hashlib.sha256((paths.documents / n).read_bytes()).hexdigest()
              for n in ("refs.ris", "refs-2.ris")}
    assert landed == {hashlib.sha256(s.read_bytes()).hexdigest() for s in sources}
    report = json.loads((paths.out / "build-report.json").read_text())
    built = {str(d["path"]).partition("#")[0] for d in report["documents"]}
    assert {"documents/refs.ris", "documents/refs-2.ris"} <= built
