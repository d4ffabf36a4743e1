"""Stages of a long run: a progress bar each on a terminal, and their time and memory on record.

A build of a hundred thousand documents runs for minutes; a person at a terminal should see
which stage it is in and how far along it is, and the benchmark needs each stage's seconds and
the process's peak memory after it. Both come from one place so the numbers the benchmark
reports are the numbers of the real build, not of a copy of it.

>>> stages = Stages(show=False)
>>> with stages.stage("count", total=3) as tick:
...     for _ in range(3):
...         tick()
>>> [s["stage"] for s in stages.records]
['count']
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

R = TypeVar("R")


def peak_rss_mib() -> float:
    """The peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """The processor time of this process and of its children that ended, user and system:
    a stage's over its seconds says how many cores it kept busy."""
    own, ended = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


class Stages:
    """Times each stage; shows a bar per stage when ``show`` (default: stderr is a terminal)."""

    def __init__(self, show: bool | None = None) -> None:
        self.show = sys.stderr.isatty() if show is None else show
        self.records: list[dict[str, float | str]] = []

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """Run one stage; the yielded ``tick(n=1)`` advances its bar by ``n`` items."""
        bar = tqdm(total=total, desc=f"{name:<24}", unit=" items", disable=not self.show,
                   leave=True, dynamic_ncols=True, file=sys.stderr)
        started, cpu = time.perf_counter(), cpu_seconds()
        try:
            yield lambda n=1: bar.update(n)
        finally:
            bar.close()
        self.records.append({"stage": name, "seconds": round(time.perf_counter() - started, 3),
                             "cpu_seconds": round(cpu_seconds() - cpu, 3),
                             "peak_rss_mib": round(peak_rss_mib(), 1)})


def staged(name: str, show: bool, function: Callable[..., R], *args: object
           ) -> tuple[R, list[dict[str, float | str]]]:
    """``function(*args)`` as a stage of its own, and the stage's record: for a stage run in
    another process (:class:`graph.build.children.Beside`), whose records come back with it.
    Its peak memory is that process's."""
    stages = Stages(show=show)
    with stages.stage(name):
        result = function(*args)
    return result, stages.records
