"""The per-file work of a build split over worker processes, its results in the files' order.

Reading a file, mining its documents and parsing their references need that file alone: on a
machine with two cores, half the build's records stage was one core waiting. Workers are
forked, so the function and the items they work on are theirs from the start (nothing but the
item's number and its result crosses between processes) and the results come back in the
order of the items whichever worker finishes first: the build is the same bytes with any
number of workers. A worker's exception is raised here as it was raised there (an
:class:`graph.errors.InputError` names the file and line as in one process).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from graph.build.children import DEFERRED, start_dying_with

T = TypeVar("T")
R = TypeVar("R")

# Items per worker: more chunks than workers evens out files of unequal size; not many more,
# as each chunk's results travel back in one message.
CHUNKS_PER_WORKER = 8
# Fewer items than this stay in this process: an add's one file or handful of changed blocks
# is not worth forking workers from a process of a gigabyte. An item may be a large file (the
# synthetic corpus holds 500 records a file), so the bar is low.
FEWEST = 8

_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # a worker's function and items


def _hold(parent: int, function: Callable[[T], R], items: Sequence[T]) -> None:
    global _work
    start_dying_with(parent)
    _work = (function, items)


def _chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None
    function, items = _work
    return [function(items[i]) for i in range(*bounds)]


def forks() -> bool:
    """Whether workers can be forked here (Linux): elsewhere the work stays in one process,
    as the functions a build hands out (closures over its vocabulary) do not pickle."""
    return sys.platform.startswith("linux")


def spread(items: int, jobs: int) -> bool:
    """Whether :func:`each` gives so many items to workers, not to this process."""
    return jobs > 1 and items >= FEWEST and forks()


def each(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[function(item) for item in items]``, over ``jobs`` forked worker processes when
    there are enough items to be worth it (:func:`spread`); the same list either way."""
    if not spread(len(items), jobs):
        return [function(item) for item in items]
    size = max(1, -(-len(items) // (jobs * CHUNKS_PER_WORKER)))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_hold, initargs=(os.getpid(), function, items)) as pool:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED)
        try:
            futures = [pool.submit(_chunk, b) for b in bounds]  # forks the workers
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        try:
            return [result for future in futures for result in future.result()]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
