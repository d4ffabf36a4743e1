"""Child processes that die with their parent, and a function run in one.

Python keeps the memory of freed objects for reuse rather than giving it back to the system: a
build that held a million records keeps most of their memory after letting them go (at N=1,000
synthetic documents, 300 MiB of dead records stayed resident through the store load). Running
that part in a child process gives every byte back when the child exits.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import Generic, ParamSpec, TypeVar

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def _prctl() -> Callable[..., int]:
    return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]


def die_with(parent: int) -> Callable[[], None] | None:
    """On Linux, a step run in a child that makes it get SIGKILL when ``parent`` dies.

    A parent normally ends its children itself; this covers the parent being killed outright,
    so no child is left behind working for nobody. The signal follows the *thread* that started
    the child, so children are started from a thread that lives as long as they should.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = _prctl()

    def step() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)

    return step


# signals a command stops on by raising (see graph.cli.main): held back while a child is forked,
# as Python swallows an exception raised in the fork's own callbacks
DEFERRED = {signal.SIGTERM, signal.SIGHUP}


# What a child process started here leaves to its exit (:func:`left_to_exit`), and whether this
# process is such a child.
_LEFT: list[object] = []
_IN_CHILD = False


def left_to_exit(*objects: object) -> None:
    """In a child process started here, keep ``objects`` until the child exits, instead of
    letting Python free them one by one when the function holding them returns.

    A child ends with ``os._exit`` (as :mod:`multiprocessing` ends every child it starts), so the
    system takes its pages back at once; freeing the records' child's objects first, one
    reference count at a time, was a fifth of a second at N=2,000 documents, between the last
    stage and the result reaching the command. In any other process (one job, a test calling a
    stage directly) this does nothing: the objects are freed as usual, as that process goes on.
    """
    if _IN_CHILD:
        _LEFT.extend(objects)


def start_dying_with(parent: int) -> None:
    """In a child just started: take the signals held back for the fork, and die with
    ``parent`` (:func:`die_with`); what it leaves to its exit is kept (:func:`left_to_exit`)."""
    global _IN_CHILD
    _IN_CHILD = True
    signal.pthread_sigmask(signal.SIG_UNBLOCK, DEFERRED)
    step = die_with(parent)
    if step is not None:
        step()


# Allocations between young collections, young collections between middle ones, and middle ones
# between full ones while the records are made (Python's defaults: 700, 10, 10).
YOUNG_CYCLES = (50_000, 20, 1_000_000_000)


def young_cycles_only(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` with Python's cycle collector freeing young cycles only (as it was after).

    A stage that loads a million records triggers a collection every few hundred objects it
    makes (the default thresholds), and each full one walks every record already loaded: at
    N=2,000 that was half the time of an add's stages up to the store. Paused instead, the
    collector left every cycle of garbage in place until the child exited (the YAML loader of
    each curation record, 14 KiB: 1.4 GiB at N=100,000). Here the objects made
    before are frozen (:func:`gc.freeze`: never walked again), collections of the young
    generations come every tens of thousands of objects and walk only the objects made since,
    and the full collections, the ones that walk every record, do not come at all: a cycle let go
    while young is freed, and the records, which live until the child exits, are never walked.
    """
    @functools.wraps(function)
    def collecting(*args: P.args, **kwargs: P.kwargs) -> R:
        thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(*YOUNG_CYCLES)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    return collecting


def run_in_child(function: Callable[..., R], *args: object,
                 meanwhile: Callable[[], object] | None = None) -> R:
    """``function(*args)`` in a child process; its result or its exception. ``meanwhile`` is
    run here while the child works (the command's process imports what it needs after the
    child then, on a core of its own, not before the child starts).

    On Linux the child is forked: it starts at once with this process's modules and caches
    (the Bioregistry's prefix map takes seconds to build), and its resident memory counts the
    pages it shares with this process. Elsewhere it is spawned, so ``function``, its arguments,
    its result and any exception it raises must pickle.
    """
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(1, mp_context=context, initializer=start_dying_with,
                             initargs=(os.getpid(),)) as pool:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED)
        try:
            future = pool.submit(function, *args)  # forks the child
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        if meanwhile is not None:
            meanwhile()
        return future.result()


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _run_and_send(parent: int, send: Connection, function: Callable[..., R],
                  args: tuple[object, ...]) -> None:
    start_dying_with(parent)
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except BaseException as exc:
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:
        send.send((False, RuntimeError(f"{outcome[1]!r} (could not be sent back: {exc})")))
    finally:
        send.close()


class Beside(Generic[R]):
    """``function(*args)`` run in a child process while this one goes on; :meth:`result` waits
    for it and gives its result or raises its exception, :meth:`stop` ends it early (the build
    failed elsewhere: nothing waits for a stage whose output is thrown away).

    A build's stages that only read what earlier ones wrote (the store, ``graph.nt``) run in
    one of these beside another such stage, each on a core of its own. As in
    :func:`run_in_child`, the child is forked on Linux and dies with this process.
    """

    def __init__(self, function: Callable[..., R], *args: object) -> None:
        context = multiprocessing.get_context(
            "fork" if sys.platform.startswith("linux") else "spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_and_send,
                                         args=(os.getpid(), send, function, args))
        held = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED)
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        send.close()

    def result(self) -> R:
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"a build stage's child process ended (exit code "
                               f"{self._process.exitcode}) without giving its result") from None
        finally:
            self._receive.close()
        self._process.join()
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def stop(self) -> None:
        """End the child if it is still running."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


class InProcess(Generic[R]):
    """``function(*args)`` run here when its result is asked for: :class:`Beside` with one
    job, the stage kept at its place in the order of the build."""

    def __init__(self, function: Callable[..., R], *args: object) -> None:
        self._call = functools.partial(function, *args)

    def result(self) -> R:
        return self._call()

    def stop(self) -> None:
        """Nothing runs before :meth:`result`: nothing to end."""


def started(jobs: int, function: Callable[..., R], *args: object) -> Beside[R] | InProcess[R]:
    """``function(*args)`` started beside this process when ``jobs`` allows more than one
    process, else left to run here when its result is asked for."""
    return Beside(function, *args) if jobs > 1 else InProcess(function, *args)
