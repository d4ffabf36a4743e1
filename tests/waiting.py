"""Waiting for what another process does (a build's background removal of the last output,
a server's workers starting and ending): the tests check that it happens, not that it has
happened by a given line."""

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
