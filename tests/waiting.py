"""Waiting for what the build leaves to a process of its own (the removal of a last build's
folder or graph): the tests check that it happens, not that it has happened by a given line."""

import time
from collections.abc import Callable


def eventually(holds: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Whether ``holds()`` became true within ``seconds``, asked every 20 ms."""
    deadline = time.monotonic() + seconds
    while not holds():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
