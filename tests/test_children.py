"""The stages run in a child let Python's cycle collector free young cycles only while they run
(no full collection walks the records), and leave it as they found it, even when they fail; the
parent does its own work meanwhile (graph/build/children.py)."""

from __future__ import annotations

import gc
import os
import time
import weakref
from pathlib import Path

import pytest

from graph.build.children import YOUNG_CYCLES, run_in_child, young_cycles_only


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
