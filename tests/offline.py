"""A guard for tests that must not reach the network: opening a connection fails loudly."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def no_network() -> Iterator[None]:
    """Any attempt to open a connection fails, so a fetch cannot pass unnoticed."""
    def refuse(*_: Any, **__: Any) -> None:
        raise OSError("a test tried to reach the network")

    original = socket.socket.connect
    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]
