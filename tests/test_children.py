"""The stages run in a child let Python's cycle collector free young cycles only while they run
(no full collection walks the records), and leave it as they found it, even when they fail
(graph/build/children.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from graph.build.children import YOUNG_CYCLES, young_cycles_only


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
