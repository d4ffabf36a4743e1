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
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from graph.build.children import DEFERRED, start_dying_with

T = TypeVar("T")
R = TypeVar("R")

# Items per worker: more chunks than workers evens out files of unequal size; not many more,
# as each chunk's results travel back in one message. A chunk holds at most LARGEST_CHUNK
# items, and each worker is at most AHEAD chunks ahead of the results taken: the results held
# at once are a few chunks' (a document's block of graph.nt lines can be a hundred KiB).
CHUNKS_PER_WORKER = 8
LARGEST_CHUNK = 64
AHEAD = 2
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


def each(function: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """``function(item)`` of each item in turn, made over ``jobs`` forked worker processes
    when there are enough items to be worth it (:func:`spread`); the same results in the same
    order either way. Results come as they are asked for: a few chunks ahead of the one taken
    are made at a time, so the results in memory at once are those chunks', not all of them."""
    if not spread(len(items), jobs):
        yield from map(function, items)
        return
    size = max(1, min(LARGEST_CHUNK, -(-len(items) // (jobs * CHUNKS_PER_WORKER))))
    chunks = iter([(start, min(start + size, len(items)))
                   for start in range(0, len(items), size)])
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_hold, initargs=(os.getpid(), function, items)) as pool:
        ahead: deque[Future[list[R]]] = deque()

        def submit() -> None:
            bounds = next(chunks, None)
            if bounds is not None:
                ahead.append(pool.submit(_chunk, bounds))

        held = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED)
        try:
            for _ in range(jobs * AHEAD):
                submit()  # the first ``jobs`` fork the workers
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        try:
            while ahead:
                results = ahead.popleft().result()
                submit()
                yield from results
        finally:
            for future in ahead:
                future.cancel()
