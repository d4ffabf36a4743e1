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


def _distinct(lines: Iterable[str]) -> Iterator[str]:
    """Sorted lines without the repeats (a line may be in several runs)."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def sorted_distinct(lines: Iterable[str], scratch: Path,
                    run_size: int = RUN_SIZE) -> Iterator[str]:
    """``lines`` sorted, each once, holding at most ``run_size`` of them in memory.

    Past that, each run of distinct lines is sorted into a file named from ``scratch``
    (``scratch.run0``, ...; lines must not contain a newline), and the runs are merged as the
    result is read. The run files are removed when the result is exhausted or closed, or when
    reading ``lines`` fails; the order is the same either way.

    >>> list(sorted_distinct(["b", "a", "b", "c", "a"], Path("held-in-memory")))
    ['a', 'b', 'c']
    """
    runs: list[Path] = []
    held: set[str] = set()
    try:
        for line in lines:
            held.add(line)
            if len(held) >= run_size:
                runs.append(scratch.with_name(f"{scratch.name}.run{len(runs)}"))
                with runs[-1].open("w", encoding="utf-8", newline="\n") as handle:
                    handle.writelines(f"{run_line}\n" for run_line in sorted(held))
                held = set()
        yield from _distinct(heapq.merge(sorted(held), *map(_run_lines, runs)))
    finally:
        for run in runs:
            run.unlink(missing_ok=True)
