"""Helpers for tests that start a real SPARQL server: loopback only, bounded waits."""

from __future__ import annotations

import socket
import subprocess
import urllib.error
import urllib.request

HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback port nobody listens on (it is closed again before it is used)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def answers(url: str) -> bool:
    """Whether a SPARQL endpoint at ``url`` answers an ASK within a second."""
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen) -> None:
    """Stop a server process a test started, by its id; kill it if it does not stop in 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
