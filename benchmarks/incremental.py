"""Adding one paper against building everything, side by side in one run (issue 26).

``python benchmarks/incremental.py --sizes 1000 10000 --keep /tmp/incr --json out.json``

For each size N, a synthetic corpus of N+1 records is generated (``generate_corpus.py``, PubMed
XML, 500 records a file); its last file, one record, is held out as the new paper (its curation
record too: a paper just added is not curated yet). Then, in this order, each in a fresh process
with the project's own command line:

1. ``ma-ild build`` of the N records into an empty folder: the full build (no cache);
2. ``ma-ild add`` of the held-out paper: the incremental add, from the build's cache and the
   last build's store (changed by the difference); which output files it changed;
3. with ``--rebuild``: ``ma-ild build`` of the same N+1 records into another empty folder, and
   whether its ``graph.nt`` is byte for byte the one ``add`` made;
4. pyoxigraph's ``bulk_load`` of the full build's ``graph.nt``, in memory and on disk: the floor
   of loading those triples (measured right after step 1, so a long run has it early);
5. with ``--detail``: a build with ``--detail mentions`` (no views, no SHACL), for the triples the
   graph held before the detail became opt-in (graph and detail together).

Wall times, each command's peak resident memory (``wait4``'s ``ru_maxrss``, taken by a small
launcher process: see :data:`LAUNCHER`) and triple counts go to the JSON file, written again
after every step, so a run stopped at N=100,000 keeps what it measured; the page's table is
written by hand from it. Files are hashed and compared in pieces: at N=100,000 ``graph.nt``
alone is larger than the memory the issue allows.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


# Runs a command and prints its peak resident KiB and exit status. Linux hands a process's peak
# on through fork and exec (the forked copy keeps the parent's high-water mark, and exec keeps
# that as the new program's), so a command started by this process, which has loaded a store of
# millions of triples for the floor, would report this process's peak as its own: the command is
# started by this launcher, a fresh interpreter whose own peak is a few MiB.
LAUNCHER = """import os, subprocess, sys
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _run(*args: str) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of ``python -m graph.cli ARGS`` in a fresh process
    (the largest of the process and its children: ``wait4``'s ``ru_maxrss``)."""
    command = [sys.executable, "-m", "graph.cli", *args]
    start = time.perf_counter()
    launched = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=CHECKOUT,
                              check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak_kib, status = map(int, launched.stdout.split())
    if status:
        raise subprocess.CalledProcessError(status, command)
    return seconds, peak_kib / 1024


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _stages(out: Path) -> dict[str, float]:
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return {s["stage"]: round(s["seconds"], 2) for s in report["stages"]}


def _digests(out: Path) -> dict[str, str]:
    """Each output file's digest (the store and the cache aside): which ones an add changed."""
    def digest(path: Path) -> str:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    return {p.relative_to(out).as_posix(): digest(p)
            for p in sorted(out.rglob("*")) if p.is_file()
            and p.relative_to(out).parts[0] not in {"store", "cache", "build-report.json"}}


def corpus(n: int, seed: int, folder: Path) -> Path:
    """N records in ``folder/corpus`` and the held-out one-record file; returns that file."""
    from generate_corpus import PER_FILE, generate

    assert n % PER_FILE == 0, "the new paper is the one record of the last file"
    files = generate(n + 1, seed, folder / "corpus")
    new = folder / files[-1].name
    files[-1].replace(new)
    for curation in (folder / "corpus" / "curation").glob(f"{files[-1].stem}-*.yaml"):
        curation.unlink()
    return new


def bulk_load_floor(nt: Path, scratch: Path, in_memory: bool = True) -> dict[str, float]:
    """pyoxigraph's own bulk load of ``nt`` into a fresh on-disk store, and in memory if asked."""
    floor: dict[str, float] = {}
    if in_memory:
        start = time.perf_counter()
        memory = ox.Store()
        memory.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        floor["bulk_load_memory_s"] = time.perf_counter() - start
        del memory
    shutil.rmtree(scratch, ignore_errors=True)
    start = time.perf_counter()
    disk = ox.Store(str(scratch))
    disk.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    disk.flush()
    floor["bulk_load_disk_s"] = time.perf_counter() - start
    del disk
    shutil.rmtree(scratch, ignore_errors=True)
    return floor


def measure(n: int, seed: int, folder: Path, rebuild: bool, detail: bool, keep_before: bool,
            memory_floor: bool, entry: dict[str, Any], save: Callable[[], None]) -> None:
    """Fill ``entry`` step by step, calling ``save`` after each."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    new = corpus(n, seed, folder)
    entry["corpus_generation_s"] = time.perf_counter() - start
    paths = ["--corpus", str(folder / "corpus")]
    out = folder / "out"
    entry["documents"] = n
    entry["full_build_s"], entry["full_build_peak_mib"] = _run("build", *paths, "--out", str(out))
    entry["full_build_stages"] = _stages(out)
    entry["triples_before_add"] = _lines(out / "graph.nt")
    print(f"N={n}: full build {entry['full_build_s']:.1f} s", file=sys.stderr, flush=True)
    save()
    entry.update(bulk_load_floor(out / "graph.nt", folder / "floor", memory_floor))
    save()
    before = _digests(out)
    if keep_before:  # for benchmarks/shacl_change.py: the build the add starts from
        shutil.copytree(out, folder / "before")
    entry["add_s"], entry["add_peak_mib"] = _run("add", str(new), *paths, "--out", str(out))
    entry["add_stages"] = _stages(out)
    entry["add_cache"] = json.loads((out / "build-report.json").read_text())["cache"]
    after = _digests(out)
    entry["outputs_changed_by_add"] = sorted(k for k in after if before.get(k) != after[k])
    entry["outputs_unchanged_by_add"] = sorted(k for k in after if before.get(k) == after[k])
    entry["triples"] = _lines(out / "graph.nt")
    entry["triples_per_document"] = entry["triples"] / (n + 1)
    print(f"N={n}: add {entry['add_s']:.1f} s", file=sys.stderr, flush=True)
    save()
    if rebuild:
        again = folder / "rebuilt"
        entry["full_build_after_s"], entry["full_build_after_peak_mib"] = _run(
            "build", *paths, "--out", str(again))
        entry["add_equals_full_build"] = filecmp.cmp(again / "graph.nt", out / "graph.nt",
                                                     shallow=False)
        shutil.rmtree(again)
        save()
    if detail:
        detailed = folder / "detailed"
        _run("build", *paths, "--out", str(detailed), "--detail", "mentions", "--no-views",
             "--no-shacl")
        entry["detail_triples"] = _lines(detailed / "detail" / "mentions.nt")
        entry["triples_with_detail_per_document"] = (
            (entry["triples"] + entry["detail_triples"]) / (n + 1))
        shutil.rmtree(detailed)
        save()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, required=True, help="folder to build in")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--rebuild", action="store_true",
                        help="also build the N+1 records from scratch and compare the graphs")
    parser.add_argument("--detail", action="store_true",
                        help="also count the triples of the opt-in detail")
    parser.add_argument("--keep-before", action="store_true",
                        help="keep a copy of the full build the add starts from (KEEP/nN/before)")
    parser.add_argument("--no-memory-floor", action="store_true",
                        help="leave out the in-memory bulk load (at N=100,000 it needs more "
                             "memory than the machine has to spare)")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}

    def save() -> None:
        args.json.write_text(json.dumps(results, indent=2) + "\n")

    for n in args.sizes:
        results[str(n)] = {}
        measure(n, args.seed, args.keep / f"n{n}", args.rebuild, args.detail, args.keep_before,
                not args.no_memory_floor, results[str(n)], save)
        print(json.dumps(results[str(n)], indent=2), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
