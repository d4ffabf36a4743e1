"""A build killed with SIGKILL at any point costs nothing; two builds at once cannot mix.

A build is a subprocess (``python -c`` calling :func:`graph.build.pipeline.build`, views off for speed)
into a temporary output folder that already holds a complete build. It is killed at several
points - chosen by time and by what it has written so far, so that the kills land in different
stages - and each time the previous output must be intact: ``graph.nt`` byte for byte, and the
store opens read-only and answers a COUNT query; and the build's child process (which reads the
documents and writes ``graph.nt``) must die with it. Then two builds start at once into the same
folder: one is refused ("another build is writing", exit 2), the other completes, leaving no
staging folder behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.rdf.store import open_store
from graph.settings import Paths
from tests.checkout import CHECKOUT

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BUILD = ("import sys; from pathlib import Path; from graph.build.pipeline import build; from graph.settings import Paths; "
         "build(Paths(corpus=Path(sys.argv[1]), ontology=Path(sys.argv[2]), out=Path(sys.argv[3])),"
         " views=False)")


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, bytes, int]:
    """A complete build from a copy of the corpus: its paths, graph.nt bytes and store count."""
    root = tmp_path_factory.mktemp("crash")
    shutil.copytree(CORPUS, root / "corpus")
    paths = Paths(corpus=root / "corpus", ontology=ONTOLOGY, out=root / "build")
    build(paths, views=False)
    return paths, (paths.out / "graph.nt").read_bytes(), store_count(paths.out)


def store_count(out: Path) -> int:
    store = open_store(out / "store")
    try:
        [row] = list(store.query(COUNT))
        return int(row["n"].value)
    finally:
        del store


def start_build(paths: Paths) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(paths.corpus), str(paths.ontology), str(paths.out)],
        cwd=CHECKOUT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )


def staging(paths: Paths) -> list[Path]:
    return sorted(paths.out.parent.glob(f".{paths.out.name}.staging-*"))


Ready = Callable[[list[Path], float], bool]  # (this build's staging folders, seconds since start)


def after(seconds: float) -> Ready:
    return lambda _folders, elapsed: elapsed >= seconds


def once_written(name: str, seconds: float) -> Ready:
    """True ``seconds`` after ``name`` first appears in this build's staging folder (a folder
    left by an earlier killed build is not this build's)."""
    seen: list[float] = []

    def ready(folders: list[Path], elapsed: float) -> bool:
        if not seen and any((s / name).exists() for s in folders):
            seen.append(elapsed)
        return bool(seen) and elapsed >= seen[0] + seconds

    return ready


# (stage, when to kill (made afresh for each try), whether the child must be running then): interpreter start-up and
# imports; the child process reading the corpus (its records cached as it reads them), the
# ontology and curation; the child writing graph.nt; loading the store / exports.
KILLS = [
    ("start-up", lambda: after(0.2), False),
    ("the child reading the corpus", lambda: once_written("cache/records", 0.0), True),
    ("the child writing graph.nt", lambda: once_written("graph.nt", 0.0), True),
    # the store, exports and swap can take well under a second on a fast machine: kill at once
    ("loading the store and exports", lambda: once_written("store", 0.0), False),
]
# From the cache, graph.nt is written in a few milliseconds and the child exits right after:
# a kill that finds the child gone landed in the next stage (the output must still be intact),
# and the stage is tried again, this many times at most.
ATTEMPTS = 5
FIGURES = CHECKOUT / "docs" / "reliability-figures.json"


def record(section: str, values: object) -> None:
    """Merge one section into docs/reliability-figures.json (the load test writes the rest)."""
    figures = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}
    figures[section] = values
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux ``/proc``)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}


def kill_at(paths: Paths, ready: Ready) -> tuple[float, bool, set[int], set[int]]:
    """Start a build, SIGKILL it when ``ready``: the time, whether its staging folder existed
    then, its children then, and which of them outlived it by two seconds."""
    earlier = set(staging(paths))
    process = start_build(paths)
    started = time.monotonic()
    try:
        while process.poll() is None:
            elapsed = time.monotonic() - started
            folders = [s for s in staging(paths) if s not in earlier]
            if ready(folders, elapsed):
                had_staging = bool(folders)
                children = children_of(process.pid)
                process.send_signal(signal.SIGKILL)
                assert process.wait(10) == -signal.SIGKILL
                deadline = time.monotonic() + 2
                while alive(children) and time.monotonic() < deadline:
                    time.sleep(0.05)
                return elapsed, had_staging, children, alive(children)
            time.sleep(0.01)
        raise AssertionError(f"the build finished before the kill (exit {process.returncode}): "
                             f"{process.stderr.read() if process.stderr else ''}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_killed_build_leaves_the_previous_output_intact(
    previous: tuple[Paths, bytes, int],
) -> None:
    paths, ntriples, count = previous
    kills = []
    for stage, when, in_child in KILLS:
        attempts = 0
        while True:
            attempts += 1
            elapsed, had_staging, children, survivors = kill_at(paths, when())
            assert not survivors, f"{stage}: the build's child process outlived it"
            assert (paths.out / "graph.nt").read_bytes() == ntriples, stage
            assert store_count(paths.out) == count, stage
            assert not (paths.out.parent / f".{paths.out.name}.previous").exists(), stage
            if bool(children) or not in_child or attempts == ATTEMPTS:
                break
        kills.append({"stage": stage, "killed_after_s": round(elapsed, 2), "attempts": attempts,
                      "staging_existed": had_staging, "child_running": bool(children)})
    # the kills really landed in different stages: before any staging folder, and inside one
    assert [k["staging_existed"] for k in kills] == [False, True, True, True], kills
    assert [k["child_running"] for k in kills][1:3] == [True, True], kills
    record("crash_safety_kills", kills)


def test_two_builds_at_once_one_is_refused_and_the_other_completes(
    previous: tuple[Paths, bytes, int],
) -> None:
    """Also the build after the kills above: it succeeds and sweeps their staging folders."""
    paths, ntriples, count = previous
    command = [sys.executable, "-m", "graph.cli", "build", "--corpus", str(paths.corpus),
               "--out", str(paths.out), "--no-views"]
    first = subprocess.Popen(command, cwd=CHECKOUT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    second = subprocess.Popen(command, cwd=CHECKOUT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    results = []
    for process in (first, second):
        out, err = process.communicate(timeout=120)
        results.append((process.returncode, out, err))
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    [(_, _, refused)] = [r for r in results if r[0] == 2]
    assert refused.startswith(f"error: another build is writing {paths.out}"), refused
    assert "Traceback" not in refused
    [(_, report, _)] = [r for r in results if r[0] == 0]
    assert "wrote" in report
    assert (paths.out / "graph.nt").read_bytes() == ntriples  # the build is deterministic
    assert store_count(paths.out) == count
    assert (paths.out / "build-report.json").is_file()
    assert staging(paths) == []
    assert not (paths.out.parent / f".{paths.out.name}.previous").exists()
    record("crash_safety_concurrent", {"builds": 2, "refused": 1, "completed": 1})


# --- the machine says no: a full disk, a read-only output folder ---------------------------------

FILL = "dd if=/dev/zero of={mnt}/filler bs=64k 2>/dev/null || true"
READ_ONLY = "mount -o remount,ro {mnt}"


def _unshare_works() -> bool:
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not shutil.which("unshare") or not _unshare_works(),
                    reason="needs a private mount namespace (root and util-linux's unshare)")
@pytest.mark.parametrize(("then", "says"), [(FILL, "No space left on device"),
                                            (READ_ONLY, "Read-only file system")],
                         ids=["disk full", "read-only"])
def test_a_full_disk_or_read_only_folder_is_one_line_and_costs_nothing(
    previous: tuple[Paths, bytes, int], tmp_path: Path, then: str, says: str,
) -> None:
    """The output folder sits on a small file system of its own (a tmpfs in a private mount
    namespace) that holds a complete build; then the disk is filled or made read-only."""
    paths, ntriples, _count = previous
    mnt = tmp_path / "disk"
    mnt.mkdir()
    script = "\n".join([
        "set -e",
        f"mount -t tmpfs -o size=64m tmpfs {mnt}",
        f"cp -r {paths.out} {mnt}/build",
        then.format(mnt=mnt),
        f"{sys.executable} -m graph.cli build --corpus {paths.corpus} --ontology {ONTOLOGY} "
        f"--out {mnt}/build --no-views 2>{tmp_path}/err && echo status=0 || echo status=$?",
        f"sha256sum < {mnt}/build/graph.nt",
        f"ls -A {mnt}",
    ])
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                          cwd=CHECKOUT, capture_output=True, text=True, check=False, timeout=300)
    status, digest, *listing = done.stdout.split("\n")
    err = (tmp_path / "err").read_text()
    assert status == "status=2", (done.stdout, done.stderr, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert says in err and "Traceback" not in err
    assert digest.split()[0] == hashlib.sha256(ntriples).hexdigest()  # the old build is whole
    assert not [n for n in listing if ".staging" in n or ".previous" in n], listing
