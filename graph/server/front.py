"""The server ``ma-ild serve`` runs: a small HTTP front that holds every query to a deadline.

It speaks the SPARQL 1.1 protocol's query endpoint (``GET``/``POST /query``, form-encoded or
``application/sparql-query``) and passes every read (the query page at ``/`` included) to an idle
oxigraph worker of a :class:`graph.server.workers.Pool`. When a request's deadline passes, the front
answers 503 naming the timeout and kills that worker, which is the only way to stop some queries
(oxigraph's ``--timeout-s`` lets a COUNT over a cross product run on); the other workers keep
answering. Writes (``/update``, Graph Store Protocol PUT/POST/DELETE) are refused with 403 here.

Before a worker sees a query, the front refuses (400) one nested deeper than the engine's stack
holds or one that names a ``SERVICE`` the operator did not allow (no request forgery through this
machine), and a request whose ``Host`` is not the address the server is bound to (no DNS
rebinding). A query whose worker crashes (abort, segfault) answering it is not asked again of
another worker.
"""

from __future__ import annotations

import contextlib
import http.client
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs, urlsplit

from graph.errors import EndpointError, QueryError
from graph.query.binding import vet
from graph.server.workers import Pool, Worker

MAX_BODY = 16 * 1024 * 1024  # a query, not an upload
CRASH_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE}
HELD = 1024 * 1024  # an answer up to this size is held whole; a larger one is streamed
CHUNK = 64 * 1024
PASSED_ON = ("Accept", "Content-Type")  # the request headers a query needs
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "server",
              "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade"}


@dataclass
class Answer:
    """A worker's answer: its status and headers, and its body whole (``response`` None) or its
    first :data:`HELD` bytes with the rest still to read from ``response``."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    head: bytes
    response: http.client.HTTPResponse | None = None
    connection: http.client.HTTPConnection | None = None

    @property
    def complete(self) -> bool:
        return self.response is None


class Lease:
    """One query's hold on one worker: either it finishes, or its deadline kills the worker."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._lock = threading.Lock()
        self._state = "running"

    def expire(self) -> None:
        """The deadline passed: kill the worker unless the answer is already in."""
        with self._lock:
            if self._state == "running":
                self._state = "expired"
                self.worker.kill()

    def finish(self) -> bool:
        """The answer is in (or the worker failed); False if the deadline came first."""
        with self._lock:
            if self._state == "running":
                self._state = "done"
            return self._state == "done"


class Front(ThreadingHTTPServer):
    """The listening server: its request threads share one pool and one timeout."""

    daemon_threads = True  # a client holding a connection open never delays a stop
    request_queue_size = 128  # the listen backlog: as deep as the workers' own (5 reset clients)

    def __init__(self, host: str, port: int, pool: Pool, timeout: float,
                 services: frozenset[str] = frozenset()) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.pool = pool
        self.timeout_s = timeout
        self.services = services
        self.hosts = allowed_hosts(host, port)
        try:
            super().__init__((host, port), Handler)
        except OSError as exc:
            raise EndpointError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The ``Host`` headers a request may carry: the bound address, by name or number, with its
    port; None (any) when bound to every address, where no one name is the server's.

    >>> sorted(allowed_hosts("127.0.0.1", 7878))
    ['127.0.0.1:7878', '[::1]:7878', 'localhost:7878']
    >>> allowed_hosts("0.0.0.0", 7878) is None
    True
    """
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {host if ":" not in host else f"[{host}]"}
    if host in LOOPBACK:
        names |= {"127.0.0.1", "localhost", "[::1]"}
    with_port = frozenset(f"{name}:{port}" for name in names)
    return with_port | frozenset(names) if port == 80 else with_port


def query_of(path: str, content_type: str, body: bytes | None) -> str | None:
    """The query text of a SPARQL protocol request: ``?query=``, a form, or the body."""
    if body is None:
        return next(iter(parse_qs(urlsplit(path).query).get("query", [])), None)
    text = body.decode("utf-8", errors="replace")
    if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return next(iter(parse_qs(text).get("query", [])), None)
    return text


class Handler(BaseHTTPRequestHandler):
    """One client connection: reads are passed to a worker, writes refused."""

    server: Front
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a client may sit idle on its connection before it is closed

    def do_GET(self) -> None:
        self._pass_on(None)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path != "/query":
            self._refuse()
            return
        length = self.headers.get("Content-Length", "0")
        if "Transfer-Encoding" in self.headers or not length.isdigit() or int(length) > MAX_BODY:
            self.close_connection = True  # whatever body follows cannot be skipped safely
            self._reply(413 if length.isdigit() and int(length) > MAX_BODY else 411,
                        f"send the query with a Content-Length of at most {MAX_BODY} bytes\n")
            return
        self._pass_on(self.rfile.read(int(length)))

    def _refuse(self) -> None:
        self._reply(403, "this server is read-only: updates and graph store writes are refused\n")

    do_PUT = do_DELETE = do_PATCH = _refuse

    def _vetted(self, body: bytes | None) -> bool:
        """Refuse (and say why) a request from a foreign Host or with a query no worker may see."""
        hosts = self.server.hosts
        if hosts is not None and (self.headers.get("Host") or "").lower() not in hosts:
            self.close_connection = True
            self._reply(421, "this server answers only requests addressed to "
                        f"{sorted(hosts)[0]}\n")
            return False
        query = query_of(self.path, self.headers.get("Content-Type", ""), body)
        if query is not None:
            try:
                vet(query, "the query", self.server.services)
            except QueryError as exc:
                self._reply(400, f"{exc}\n")
                return False
        return True

    def _pass_on(self, body: bytes | None) -> None:
        """Ask an idle worker, within the deadline; answer 503 if it passes."""
        if not self._vetted(body):
            return
        timeout = self.server.timeout_s
        deadline = time.monotonic() + timeout
        for attempt in (1, 2):
            worker = self.server.pool.acquire(max(0.0, deadline - time.monotonic()))
            left = deadline - time.monotonic()
            if worker is None or left <= 0:  # the wait for a worker counts in the timeout
                if worker is not None:
                    self.server.pool.release(worker)
                self._reply(503, f"every worker stayed busy for {timeout:g} s; try again later\n")
                return
            lease = Lease(worker)
            timer = threading.Timer(left, lease.expire)
            timer.daemon = True
            timer.start()
            try:
                answer = self._ask(worker, body, timeout)
            except (OSError, http.client.HTTPException) as exc:
                answer = exc
            if isinstance(answer, Answer) and not answer.complete:
                self._stream(answer, lease)  # the rest goes out as it comes, within the deadline
                timer.cancel()
                self.server.pool.release(worker)
                return
            timer.cancel()
            in_time = lease.finish()
            if in_time and isinstance(answer, ConnectionError) and attempt == 1:
                # a worker that died while idle resets the connection before it exits; a read
                # is safe to ask again, of another worker, once this one is replaced, unless the
                # worker crashed (abort, segfault) on this very query: it would crash the next
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(1)
                if -(worker.process.returncode or 0) not in CRASH_SIGNALS:
                    self.server.pool.release(worker)
                    continue
            self.server.pool.release(worker)  # a killed worker is replaced, not reused
            break
        if not in_time:
            print(f"stopped a query after {timeout:g} s; its worker (pid {worker.pid}) was "
                  "killed and is being replaced", file=sys.stderr, flush=True)
            why = f"the query ran longer than {timeout:g} s and was stopped"
            self._reply(503, why + "\n", reason=why)  # the reason phrase reaches urllib users
        elif isinstance(answer, Exception):
            self._reply(502, f"the oxigraph worker failed: {answer}\n")
        else:
            self._relay(answer)

    def _ask(self, worker: Worker, body: bytes | None, timeout: float) -> Answer:
        """The worker's answer, its body read up to :data:`HELD` bytes.

        An answer that fits is held whole before any of it is relayed, so a query stopped
        half-way is a clean 503, never a truncated 200. A larger one is streamed on by
        :meth:`_stream`, so the front's memory stays bounded whatever the query asks for.
        """
        connection = http.client.HTTPConnection("127.0.0.1", worker.port, timeout=timeout + 5)
        try:
            headers = {name: self.headers[name] for name in PASSED_ON if self.headers[name]}
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            head = response.read(HELD)
            if len(head) < HELD or response.isclosed():
                head += response.read()  # what is left of an answer of exactly HELD bytes
                connection.close()
                return Answer(response.status, response.reason, response.getheaders(), head)
            return Answer(response.status, response.reason, response.getheaders(), head,
                          response, connection)
        except BaseException:
            connection.close()
            raise

    def _headers(self, answer: Answer) -> None:
        self.send_response(answer.status, answer.reason)
        for name, value in answer.headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)

    def _relay(self, answer: Answer) -> None:
        self._headers(answer)
        self.send_header("Content-Length", str(len(answer.head)))
        self.end_headers()
        self.wfile.write(answer.head)

    def _stream(self, answer: Answer, lease: Lease) -> None:
        """Relay a large answer in chunks as the worker writes it; if the deadline stops the
        query on the way, the connection is closed without the final chunk, so the client sees
        a broken answer, never a short one taken for whole."""
        assert answer.response is not None and answer.connection is not None
        self._headers(answer)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        whole = False
        try:
            piece = answer.head
            while piece:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                piece = answer.response.read(CHUNK)
            whole = answer.response.isclosed()
        except (OSError, http.client.HTTPException):
            whole = False
        finally:
            answer.connection.close()
        in_time = lease.finish()
        if in_time and whole:
            self.wfile.write(b"0\r\n\r\n")
            return
        self.close_connection = True
        if not in_time:
            print(f"stopped a query after {self.server.timeout_s:g} s while its answer was "
                  f"streamed; its worker (pid {lease.worker.pid}) was killed and is being "
                  "replaced", file=sys.stderr, flush=True)

    def _reply(self, status: int, text: str, reason: str | None = None) -> None:
        body = text.encode("utf-8")
        self.send_response(status, reason)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a line per request would drown the one message that matters (a timeout)."""


def serve(store: Path, host: str, port: int, timeout: float, workers: int,
          announce: Callable[[], None], services: frozenset[str] = frozenset()) -> None:
    """Serve ``store`` until SIGINT or SIGTERM, then stop every worker.

    The calling (main) thread owns the pool: it starts the workers and their replacements, and
    receives the signals; the front's requests are answered on other threads.
    """
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    front = Front(host, port, Pool(store, workers), timeout, services)
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    listening = threading.Thread(target=front.serve_forever, args=(0.1,), name="front", daemon=True)
    try:
        front.pool.start()
        listening.start()
        announce()
        while not stopping.is_set():
            front.pool.replenish(0.2)
    finally:
        if listening.is_alive():
            front.shutdown()
        front.server_close()
        front.pool.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
