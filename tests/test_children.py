"""The stages run in a child pause Python's cycle collector while they run, and leave it as
they found it, even when they fail (graph/build/children.py)."""

from __future__ import annotations

import gc

import pytest

from graph.build.children import without_cycle_collector


@without_cycle_collector
def _collecting(fail: bool = False) -> bool:
    if fail:
        raise ValueError("bad input")
    return gc.isenabled()


def test_the_collector_is_paused_while_the_stages_run_and_as_it_was_after() -> None:
    assert gc.isenabled()
    assert _collecting() is False
    assert gc.isenabled()
    with pytest.raises(ValueError, match="bad input"):
        _collecting(fail=True)
    assert gc.isenabled()
    gc.disable()
    try:
        assert _collecting() is False
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()
