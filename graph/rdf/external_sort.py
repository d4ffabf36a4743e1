"""Sorting more lines than memory should hold: sorted runs on disk, merged (external merge sort).

The canonical N-Triples and the KGX edge file are both sorted, duplicate-free lines whose number
grows with the corpus (113 million triples, 2.4 million citation edges at 100,000 documents);
holding them all would make the build's memory grow with the corpus too.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN_SIZE = 2_000_000  # distinct lines held in memory before a sorted run goes to disk


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
