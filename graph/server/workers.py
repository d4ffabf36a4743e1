"""A pool of ``oxigraph serve-read-only`` processes over one store, one query at a time each.

oxigraph's own ``--timeout-s`` does not stop every query (a COUNT over a triple cross product
runs on, holding a core), and nothing outside a process can stop one of its threads. A process
can be stopped: so each query gets a worker process to itself, and a worker whose query outlives
its deadline is killed, which ends that computation and no other, and replaced. Several read-only
oxigraph processes can open one RocksDB store at once.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from graph.build.children import die_with
from graph.errors import EndpointError

LOOPBACK = "127.0.0.1"
START_LIMIT_S = 10.0  # oxigraph answers in about 0.03 s; a worker silent for 10 s is broken


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary from the PyPI package, next to this Python or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise EndpointError("the oxigraph server is not installed: pip install oxigraph")
    return found


def worker_command(store: Path, port: int) -> list[str]:
    """One worker: the store served read-only on a loopback port, with no timeout of its own."""
    return [oxigraph_binary(), "serve-read-only", "--location", str(store),
            "--bind", f"{LOOPBACK}:{port}"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class Worker:
    """One oxigraph process on its own loopback port."""

    def __init__(self, store: Path) -> None:
        self.port = _free_port()
        self.killed = False
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            worker_command(store, self.port), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self._log, preexec_fn=die_with(os.getpid()))

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        """Running and not killed: a process SIGKILLed a moment ago may not have exited yet."""
        return not self.killed and self.process.poll() is None

    def ready(self, limit: float = START_LIMIT_S) -> bool:
        """Wait until it answers an ASK; False if it exited first (say, its port was taken)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not self.alive():
                return False
            try:
                with urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1):
                    return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.01)
        return False

    def kill(self) -> None:
        """Stop it now (SIGKILL): safe from any thread, reaped by :meth:`stop`."""
        self.killed = True
        if self.process.returncode is None:
            self.process.kill()

    def stop(self, grace: float = 0.0) -> None:
        """Stop it (SIGTERM, then SIGKILL after ``grace`` seconds) and reap it."""
        if self.process.poll() is None and grace > 0:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(grace)
        self.kill()
        self.process.wait()
        self._log.close()

    def why_it_failed(self) -> str:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return text.splitlines()[-1] if text else f"exit status {self.process.returncode}"


def start_worker(store: Path, tries: int = 3) -> Worker:
    """A worker that answers, trying another port if the one picked was taken meanwhile."""
    reason = "no answer"
    for _ in range(tries):
        worker = Worker(store)
        if worker.ready():
            return worker
        reason = worker.why_it_failed() if not worker.alive() else "no answer within 10 s"
        worker.stop()
    raise EndpointError(f"cannot start an oxigraph worker on {store}: {reason}")


class Pool:
    """``size`` workers; a query borrows one, and a worker that died or was killed is replaced.

    Replacements are started by the thread that owns the pool (it calls :meth:`replenish` in a
    loop), never by the request threads, so that each worker's parent thread outlives it.
    """

    def __init__(self, store: Path, size: int) -> None:
        if size < 1:
            raise EndpointError("a pool needs at least one worker")
        self.store = store
        self.size = size
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._wanted: queue.Queue[None] = queue.Queue()
        self._workers: set[Worker] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        """Start every worker; raises :class:`EndpointError` if one cannot start."""
        for _ in range(self.size):
            self._add(start_worker(self.store))

    def pids(self) -> set[int]:
        with self._lock:
            return {worker.pid for worker in self._workers}

    def acquire(self, timeout: float) -> Worker | None:
        """An idle, live worker, waiting at most ``timeout`` seconds; None if all stayed busy.

        A worker that died while idle (crashed, killed by someone else) is replaced, not lent.
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if worker.alive():
                return worker
            self.release(worker)

    def release(self, worker: Worker) -> None:
        """Give a worker back; one that is dead (killed at its deadline, crashed) is replaced."""
        if worker.alive():
            self._idle.put(worker)
            return
        worker.stop()
        with self._lock:
            self._workers.discard(worker)
        self._wanted.put(None)

    def replenish(self, wait: float) -> None:
        """Start the replacements asked for within ``wait`` seconds (the owner thread's loop)."""
        try:
            self._wanted.get(timeout=wait)
        except queue.Empty:
            return
        try:
            self._add(start_worker(self.store))
        except EndpointError as exc:
            print(f"error: {exc}; trying again in 1 s", file=sys.stderr, flush=True)
            time.sleep(1)
            self._wanted.put(None)

    def _add(self, worker: Worker) -> None:
        with self._lock:
            if self._stopped:
                worker.stop()
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def stop(self) -> None:
        """Stop every worker (a SIGTERM, then SIGKILL after 2 s) and reap them all."""
        with self._lock:
            self._stopped = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            if worker.alive():
                worker.process.terminate()
        for worker in workers:
            worker.stop(grace=2)
