"""Sorting more lines than memory should hold: sorted runs on disk, merged (external merge sort).

The canonical N-Triples and the KGX edge file are both sorted, duplicate-free lines whose number
grows with the corpus (113 million triples, 2.4 million citation edges at 100,000 documents);
holding them all would make the build's memory grow with the corpus too.
"""

from __future__ import annotations

import heapq
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN_SIZE = 2_000_000  # distinct lines held in memory before a sorted run goes to disk
CHUNK = 100_000  # lines written at a time
SORT_MEMORY = "512M"  # the system sort's buffer; past it, it sorts runs on disk and merges them


def _run_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="\n") as handle:
        for line in handle:
            yield line.rstrip("\n")


def _counted(lines: Iterable[str]) -> Iterator[tuple[str, int]]:
    """Sorted lines without the repeats, each with how many times it came (a line may be in
    several runs)."""
    previous, count = None, 0
    for line in lines:
        if line == previous:
            count += 1
            continue
        if previous is not None:
            yield previous, count
        previous, count = line, 1
    if previous is not None:
        yield previous, count


def sorted_counted(lines: Iterable[str], scratch: Path,
                   run_size: int = RUN_SIZE) -> Iterator[tuple[str, int]]:
    """``lines`` sorted, each once with the number of times it came, holding at most
    ``run_size`` distinct lines in memory.

    Past that, each run is sorted into a file named from ``scratch`` (``scratch.run0``, ...;
    lines must not contain a newline), a line as many times as it came, and the runs are merged
    as the result is read. The run files are removed when the result is exhausted or closed, or
    when reading ``lines`` fails; the order and the counts are the same either way.

    >>> list(sorted_counted(["b", "a", "b", "c", "a", "b"], Path("held-in-memory")))
    [('a', 2), ('b', 3), ('c', 1)]
    """
    runs: list[Path] = []
    held: dict[str, int] = {}
    try:
        for line in lines:
            held[line] = held.get(line, 0) + 1
            if len(held) >= run_size:
                runs.append(scratch.with_name(f"{scratch.name}.run{len(runs)}"))
                with runs[-1].open("w", encoding="utf-8", newline="\n") as handle:
                    handle.writelines(f"{run_line}\n" * held[run_line]
                                      for run_line in sorted(held))
                held = {}
        memory = (line for line in sorted(held) for _ in range(held[line]))
        yield from _counted(heapq.merge(memory, *map(_run_lines, runs)))
    finally:
        for run in runs:
            run.unlink(missing_ok=True)


def sorted_distinct(lines: Iterable[str], scratch: Path,
                    run_size: int = RUN_SIZE) -> Iterator[str]:
    """``lines`` sorted, each once, holding at most ``run_size`` distinct lines in memory
    (:func:`sorted_counted` without the counts).

    >>> list(sorted_distinct(["b", "a", "b", "c", "a"], Path("held-in-memory")))
    ['a', 'b', 'c']
    """
    for line, _count in sorted_counted(lines, scratch, run_size):
        yield line


def chunks(lines: Iterable[str], size: int = CHUNK) -> Iterator[tuple[str, int]]:
    """``lines`` as texts of up to ``size`` lines, each with a newline, and their number: a
    write per chunk, not per line.

    >>> list(chunks(["a", "b", "c"], 2))
    [('a\\nb\\n', 2), ('c\\n', 1)]
    """
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "\n".join(batch) + "\n", size
            batch = []
    if batch:
        yield "\n".join(batch) + "\n", len(batch)


def _system_tools() -> tuple[str, str] | None:
    """The system's ``sort`` and ``uniq`` when they are GNU coreutils' (the sort's ``-S`` and
    ``--parallel`` are GNU's own: a BusyBox ``sort`` would refuse them), or None."""
    if not sys.platform.startswith("linux"):
        return None
    sort, uniq = shutil.which("sort"), shutil.which("uniq")
    if sort is None or uniq is None:
        return None
    try:
        version = subprocess.run([sort, "--version"], capture_output=True, text=True,
                                 timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return (sort, uniq) if "GNU coreutils" in version else None


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb", buffering=0) as handle:
        while piece := handle.read(1 << 24):
            count += piece.count(b"\n")
    return count


def sort_counted_into(lines: Iterable[str], target: Path, run_size: int = RUN_SIZE
                      ) -> tuple[int, dict[str, int]]:
    """``lines`` written to ``target`` sorted, each once, with a newline; returns how many were
    written, and each line that came more than once with the number of times it came.

    On Linux the system's ``sort`` (in the C locale: byte order, which for UTF-8 is the order
    of the code points Python sorts by) sorts them in another process as they come, on the
    other core, and merges its runs in C; ``uniq`` writes the distinct lines and counts the
    repeated ones: 0.77 of the time of Python's sort and merge of runs (:func:`sorted_counted`)
    at 3.3M lines, 0.44 at 13.2M (benchmarks/full_build_parts.py), and no line held in this
    process. Elsewhere, or without the tools, :func:`sorted_counted` does it; the bytes are the same
    (tests/test_external_sort.py)."""
    tools = _system_tools()
    scratch = target.with_name(f".{target.name}")
    if tools is None:
        repeated: dict[str, int] = {}

        def distinct() -> Iterator[str]:
            for line, times in sorted_counted(lines, scratch, run_size):
                if times > 1:
                    repeated[line] = times
                yield line

        written = 0
        with target.open("w", encoding="utf-8", newline="\n") as handle:
            for text, count in chunks(distinct()):
                handle.write(text)
                written += count
        return written, repeated
    sort, uniq = tools
    environment = {**os.environ, "LC_ALL": "C"}
    sorted_path = scratch.with_name(f"{scratch.name}.sorted")
    try:
        with sorted_path.open("wb") as out:
            process = subprocess.Popen(
                [sort, "-T", str(target.parent), "-S", SORT_MEMORY,
                 f"--parallel={min(2, os.cpu_count() or 1)}"],
                stdin=subprocess.PIPE, stdout=out, env=environment)
            assert process.stdin is not None
            try:
                for text, _count in chunks(lines):
                    process.stdin.write(text.encode("utf-8"))
                process.stdin.close()
            except BaseException:
                process.kill()
                process.wait()
                raise
            if process.wait():
                raise OSError(f"sort of {target.name}'s lines failed ({process.returncode})")
        distinct = subprocess.Popen([uniq, str(sorted_path), str(target)], env=environment)
        counted = subprocess.run([uniq, "-dc", str(sorted_path)], env=environment, check=True,
                                 capture_output=True).stdout.decode("utf-8")
        if distinct.wait():
            raise OSError(f"uniq of {target.name}'s lines failed ({distinct.returncode})")
    finally:
        sorted_path.unlink(missing_ok=True)
    repeated = {}
    for row in counted.splitlines():
        times, _, line = row.lstrip(" ").partition(" ")
        repeated[line] = int(times)
    return _count_lines(target), repeated
