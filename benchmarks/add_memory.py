"""Peak memory of ``ma-ild add``, in the command's process and in the records' child, before
against after, side by side in one run (issue 26).

``python benchmarks/add_memory.py --paper /tmp/incr/n10000/new.xml --python
main=/venv-main/bin/python=/tmp/incr/n10000 branch=/venv/bin/python=/tmp/branch --repeat 2``

Each ``LABEL=PYTHON=FOLDER`` names an interpreter (each with the package installed from a
different checkout) and a folder holding a corpus (``corpus/``) and its full build made by that
interpreter's code (``before/``, as ``incremental.py --keep-before`` leaves it: the build's cache
is keyed by the code, so each code adds to its own build); ``--paper`` is the paper to add. Each
interpreter adds the paper with ``python -m graph.cli add`` in a fresh process, on a fresh copy
of the build (which is never changed); the interpreters take turns, so the machine's load falls
on both alike, and the paper's copy is taken out of the corpus after each add. While it runs,
the resident memory of the command's process and of each of its children is read from
``/proc`` every 50 ms.
Recorded: the wall time, the peak of the command (``wait4``'s ``ru_maxrss``, what
``incremental.py`` reports as ``add_peak_mib``: the largest of the process and its children),
the sampled peaks of the process, of its children and of both at once, each stage's seconds and
peak so far (``build-report.json``: the stages up to ``graph.nt`` are the child's), and the
sha256 of the ``graph.nt`` written (the same for every interpreter, or the change altered the
graph).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20


def _rss(pid: int) -> float:
    """A process's resident MiB (0 once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_MIB
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return [d for c in found for d in (c, *_children(c))]


class Sampler(threading.Thread):
    """The peaks of a process, of its descendants, and of both at once, sampled."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.peaks = {"process": 0.0, "children": 0.0, "together": 0.0}

    def run(self) -> None:
        while not self.done.wait(0.05):
            own = _rss(self.pid)
            children = sum(_rss(c) for c in _children(self.pid))
            for name, value in (("process", own), ("children", children),
                                ("together", own + children)):
                self.peaks[name] = max(self.peaks[name], value)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def one_add(python: str, build: Path, corpus: Path, paper: Path, out: Path) -> dict[str, Any]:
    """Add ``paper`` with ``python`` to a fresh copy of ``build`` in ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(build, out, symlinks=True)
    start = time.perf_counter()
    process = subprocess.Popen([python, "-m", "graph.cli", "add", str(paper), "--corpus",
                                str(corpus), "--out", str(out)], cwd=out.parent,
                               stdout=subprocess.DEVNULL)
    sampler = Sampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    sampler.done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    (corpus / "documents" / paper.name).unlink(missing_ok=True)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{python}: add failed")
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    result = {"seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024, 1),
              "sampled_mib": {k: round(v, 1) for k, v in sampler.peaks.items()},
              "stages": {s["stage"]: [s["seconds"], s["peak_rss_mib"]] for s in report["stages"]},
              "graph.nt": _sha256(out / "graph.nt")}
    shutil.rmtree(out)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", type=Path, required=True)
    parser.add_argument("--python", nargs="+", required=True, metavar="LABEL=PYTHON=FOLDER",
                        help="an interpreter and the folder with its corpus/ and before/")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, Any]]] = {}
    for _ in range(args.repeat):
        for labelled in args.python:
            label, python, folder = labelled.split("=", 2)
            keep = Path(folder)
            result = one_add(python, keep / "before", keep / "corpus", args.paper.resolve(),
                             keep / f"out-add-{label}")
            runs.setdefault(label, []).append(result)
            print(label, json.dumps(result), flush=True)
            if args.json:
                args.json.write_text(json.dumps(runs, indent=2) + "\n")


if __name__ == "__main__":
    main()
