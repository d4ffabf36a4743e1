"""The stages run in a child let Python's cycle collector free young cycles only while they run
(no full collection walks the records), and leave it as they found it, even when they fail; the
parent does its own work meanwhile; a child leaves what it made to its exit instead of freeing it
object by object, and any other process frees it as usual (graph/build/children.py)."""

from __future__ import annotations

import gc
import os
import time
import weakref
from pathlib import Path

import pytest

from graph.build.children import (
    YOUNG_CYCLES,
    Beside,
    left_to_exit,
    run_in_child,
    young_cycles_only,
)


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@young_cycles_only
def _collecting(fail: bool = False) -> tuple[tuple[int, ...], int, bool]:
    if fail:
        raise ValueError("bad input")
    node = _Node()
    gone = weakref.ref(node)
    del node
    kept = [[] for _ in range(3 * YOUNG_CYCLES[0])]  # objects enough for young collections
    assert len(kept) == 3 * YOUNG_CYCLES[0]
    return gc.get_threshold(), gc.get_freeze_count(), gone() is None


def test_young_cycles_are_freed_the_objects_made_before_never_walked_and_all_restored() -> None:
    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    during, frozen, freed = _collecting()
    assert during == YOUNG_CYCLES and YOUNG_CYCLES[2] >= 10**9  # no full collection
    assert frozen > 1000  # the modules and everything made before the stages
    assert freed  # a cycle let go while young: collected, not kept until the child exits
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    with pytest.raises(ValueError, match="bad input"):
        _collecting(fail=True)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert _collecting()[0] == YOUNG_CYCLES
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()


def _pid_after(path: str) -> int:
    """This process's id once ``path`` exists (the parent's ``meanwhile`` made it); -1 if it
    does not within a minute."""
    for _ in range(6000):
        if os.path.exists(path):
            return os.getpid()
        time.sleep(0.01)
    return -1


def test_what_the_parent_does_meanwhile_runs_while_the_child_works(tmp_path: Path) -> None:
    """The child waits for a file only the parent's ``meanwhile`` writes: both ran at once."""
    signal_file = tmp_path / "meanwhile"
    child = run_in_child(_pid_after, str(signal_file), meanwhile=signal_file.touch)
    assert child not in (-1, os.getpid())


class _Made:
    """An object a weak reference can watch."""


_watched: list[weakref.ref[_Made]] = []


def _make_and_leave() -> None:
    made = _Made()
    _watched.append(weakref.ref(made))
    left_to_exit(made)


def _still_there() -> bool:
    """Whether what a function left to the exit is still there once the function returned."""
    _make_and_leave()
    return _watched[-1]() is not None


def test_a_child_keeps_what_it_leaves_to_its_exit_any_other_process_frees_it() -> None:
    assert run_in_child(_still_there)  # the records' child: kept until it ends
    assert Beside(_still_there).result()  # a stage beside the store: the same
    assert not _still_there()  # this process goes on: freed when the function returned
