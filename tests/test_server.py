"""The named queries over HTTP: the served store on loopback gives the embedded store's rows.

The built store is served with ``ma-ild serve`` itself (:func:`graph.cli.serve.serve_command`):
a front that passes each query to one of a pool of read-only oxigraph workers, holds it to a
deadline, and kills and replaces the worker of a query that outlives it. A separate writable
oxigraph server receives ``ma-ild push``. Every server is started by the test on 127.0.0.1 and
stopped at the end, whatever happens; no worker process may outlive its front.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.client import HTTPConnection
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.cli.serve import serve_command
from graph.errors import QueryTimeoutError
from graph.exports.kgx import kgx_export
from graph.query.binding import bind
from graph.query.catalog import WORK_LOOKUP, catalog
from graph.query.endpoints import DEFAULT_GRAPH, RemoteEndpoint
from graph.server.workers import oxigraph_binary
from graph.settings import Paths
from tests.checkout import CHECKOUT
from tests.servers import HOST, answers, free_port, stop
from tests.waiting import eventually

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
QUERIES = CHECKOUT / "queries"
W = "https://w3id.org/ma-ild/work/"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }}"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

# every named query, with each parameter set its header gives as an example
NAMED = [(query.name, [f"{name}={value}" for name, value in example.items()])
         for query in catalog(QUERIES).values() for example in query.examples]
ROW_COUNTS = {"drug-outcomes drug=tacrolimus": 33, "citation-edges": 74, "shared-citations": 10,
              "studies-by-design": 5, "citations-of-work work=ge-2015-34-2097 depth=2": 18}


def wait_until_up(url: str, process: subprocess.Popen, limit: float = 10) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before answering")
        if answers(url):
            return
        time.sleep(0.05)
    raise AssertionError(f"{url} did not answer within {limit} s")


def wait_until_down(url: str, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not answers(url):
            return True
        time.sleep(0.1)
    return False


@contextmanager
def server(command: list[str], url: str, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=CHECKOUT)  # this checkout
        try:
            wait_until_up(url, process)
            yield process
        finally:
            stop(process)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("s") / "build")
    build(paths, views=False)  # the HTML views are not queried here
    return paths


@pytest.fixture(scope="module")
def endpoint(built: Paths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built store served with ``ma-ild serve`` and a 30 s timeout; its query URL."""
    port = free_port()
    command = serve_command(built.out / "store", HOST, port, 30)
    assert command[1:] == ["-m", "graph.cli", "serve", "--store", str(built.out / "store"),
                           "--host", HOST, "--port", str(port), "--timeout", "30"]
    url = f"http://{HOST}:{port}/query"
    with server(command, url, tmp_path_factory.mktemp("logs") / "read-only.log"):
        yield url


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A separate, empty, writable oxigraph server; its base URL."""
    port = free_port()
    location = tmp_path_factory.mktemp("writable")
    base = f"http://{HOST}:{port}"
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"{HOST}:{port}"]
    with server(command, f"{base}/query", tmp_path_factory.mktemp("logs") / "writable.log"):
        yield base


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    """``ma-ild ARGV --format json``: the SPARQL results JSON document."""
    status = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    return json.loads(out)


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert err.startswith("error: ")
    assert "Traceback" not in err
    return err


def sorted_rows(document: dict) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in document["results"]["bindings"])


def count(url: str, query: str, graph: str | None = None) -> int:
    [row] = RemoteEndpoint(url, graph).select(query, "<count>").rows
    return int(row["n"]["value"])


def http(method: str, url: str, data: bytes | None = None, content_type: str | None = None) -> int:
    """The HTTP status of one request."""
    headers = {"Content-Type": content_type} if content_type else {}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


# --------------------------------------------------------------------------------------------
# the read-only server


def test_the_list_of_cases_covers_every_named_query() -> None:
    assert {name for name, _ in NAMED} == {p.stem for p in QUERIES.glob("*.rq")}
    assert ("citations-of-work", ["work=ge-2015-34-2097", "depth=2"]) in NAMED


@pytest.mark.filterwarnings("error::RuntimeWarning")  # SPARQLWrapper must read each as a SELECT
@pytest.mark.parametrize(
    ("name", "params"), NAMED, ids=[" ".join([n, *p]) for n, p in NAMED]
)
def test_every_named_query_gives_the_same_rows_over_http(
    capsys: pytest.CaptureFixture[str], built: Paths, endpoint: str, name: str, params: list[str]
) -> None:
    argv = ["query", name, *(arg for p in params for arg in ("--param", p))]
    embedded = run(capsys, *argv, "--store", str(built.out / "store"))
    remote = run(capsys, *argv, "--endpoint", endpoint)
    assert remote["head"] == embedded["head"]
    assert sorted_rows(remote) == sorted_rows(embedded)
    assert remote["results"]["bindings"] == embedded["results"]["bindings"]  # ORDER BY holds too
    key = " ".join([name, *params])
    if key in ROW_COUNTS:
        assert len(embedded["results"]["bindings"]) == ROW_COUNTS[key]
    if name != "enriched-labels":  # empty until an enrichment has been fetched
        assert embedded["results"]["bindings"], key


def test_streamed_rows_over_http_are_the_rows_of_a_select(endpoint: str) -> None:
    remote = RemoteEndpoint(endpoint)
    query = "SELECT ?a ?b WHERE { ?a <http://purl.org/spar/cito/cites> ?b } ORDER BY ?a ?b"
    rows = remote.select(query, "<cites>").rows
    assert len(rows) == 74
    assert list(remote.stream(query, "<cites>")) == rows


def test_the_exports_read_over_http_are_the_builds(
    built: Paths, endpoint: str, tmp_path: Path
) -> None:
    for path in kgx_export(RemoteEndpoint(endpoint), tmp_path):
        assert path.read_bytes() == (built.out / "exports" / path.name).read_bytes(), path.name


def test_the_read_only_server_refuses_updates_and_graph_store_writes(
    built: Paths, endpoint: str
) -> None:
    base = endpoint.removesuffix("/query")
    before = count(endpoint, COUNT_DEFAULT)
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    assert http("POST", f"{base}/update", form, "application/x-www-form-urlencoded") == 403
    assert http("POST", f"{base}/update", b"DROP ALL", "application/sparql-update") == 403
    triple = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    graph = urllib.parse.quote(DEFAULT_GRAPH, safe="")
    assert http("PUT", f"{base}/store?graph={graph}", triple, "application/n-triples") == 403
    assert http("POST", f"{base}/store?default", triple, "application/n-triples") == 403
    assert http("DELETE", f"{base}/store?default") == 403
    assert count(endpoint, COUNT_DEFAULT) == before
    lines = (built.out / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert before == len(lines)


def test_an_update_sent_as_a_query_is_refused(
    capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    before = count(endpoint, COUNT_DEFAULT)
    fails(capsys, "query", "--sparql", "DROP ALL", "--endpoint", endpoint)
    assert count(endpoint, COUNT_DEFAULT) == before


def test_a_syntax_error_from_the_server_names_line_and_column(
    capsys: pytest.CaptureFixture[str], endpoint: str, tmp_path: Path
) -> None:
    bad = 'PREFIX ex: <http://example.org/#>\nSELECT ?s\nWHERE { ?s ex:p "unterminated }\n}\n'
    err = fails(capsys, "query", "--sparql", bad, "--endpoint", endpoint)
    assert err.startswith("error: <inline query>: syntax error at line 3, column 32: ")
    path = tmp_path / "bad.rq"
    path.write_text(bad, encoding="utf-8")
    err = fails(capsys, "query", "--file", str(path), "--endpoint", endpoint)
    assert err.startswith(f"error: {path}: syntax error at line 3, column 32: ")


def test_a_commented_query_file_gives_the_same_rows_over_http(
    capsys: pytest.CaptureFixture[str], built: Paths, endpoint: str, tmp_path: Path
) -> None:
    path = tmp_path / "edges.rq"
    path.write_text("# How many citation edges are there?\n"
                    "# Loaded from the reference lists of the five documents.\n"
                    "PREFIX cito: <http://purl.org/spar/cito/>\n"
                    "SELECT (COUNT(*) AS ?edges) WHERE { ?a cito:cites ?b }\n", encoding="utf-8")
    embedded = run(capsys, "query", "--file", str(path), "--store", str(built.out / "store"))
    assert embedded["results"]["bindings"][0]["edges"]["value"] == "74"
    assert run(capsys, "query", "--file", str(path), "--endpoint", endpoint) == embedded


def test_a_trailing_comment_before_select_gives_the_same_rows_over_http(
    capsys: pytest.CaptureFixture[str], built: Paths, endpoint: str
) -> None:
    query = ("PREFIX cito: <http://purl.org/spar/cito/>  # added for the citation edges\n"
             "SELECT (COUNT(*) AS ?edges) WHERE { ?a cito:cites ?b }\n")
    embedded = run(capsys, "query", "--sparql", query, "--store", str(built.out / "store"))
    assert embedded["results"]["bindings"][0]["edges"]["value"] == "74"
    assert run(capsys, "query", "--sparql", query, "--endpoint", endpoint) == embedded


def test_an_unreachable_endpoint_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], built: Paths
) -> None:
    url = f"http://{HOST}:{free_port()}/query"
    started = time.monotonic()
    err = fails(capsys, "query", "most-cited", "--endpoint", url)
    assert err.startswith(f"error: cannot reach the SPARQL endpoint {url}: ")
    err = fails(capsys, "query", "citations-of-work", "--param", "work=some title words",
                "--endpoint", url)  # the title lookup is the first request
    assert "cannot reach" in err
    store_url = f"http://{HOST}:{free_port()}/store"
    err = fails(capsys, "push", "--store-url", store_url,
                "--ntriples", str(built.out / "graph.nt"))
    assert err.startswith(f"error: cannot reach the graph store {store_url}: ")
    assert time.monotonic() - started < 10


def test_injection_through_the_endpoint_changes_nothing(
    capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    before = count(endpoint, COUNT_DEFAULT)
    assert "no drug is called" in fails(
        capsys, "query", "drug-outcomes", "--param", "drug=tacrolimus> } ; DROP ALL ; #",
        "--endpoint", endpoint)
    assert "no work matches" in fails(
        capsys, "query", "citations-of-work", "--param", 'work=x" } ; DROP ALL ; #',
        "--endpoint", endpoint)
    evil = bind(WORK_LOOKUP, {"needle": ox.Literal('" } ; DROP ALL #'), "titles": ox.Literal(True)})
    assert RemoteEndpoint(endpoint).select(evil, "<test>").rows == []
    assert count(endpoint, COUNT_DEFAULT) == before


# --------------------------------------------------------------------------------------------
# `ma-ild serve` itself

# every triple with every triple with every triple: oxigraph's own --timeout-s never stops it
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
           "FILTER(STR(?a) != STR(?g) && STR(?c) != STR(?f)) }")


@contextmanager
def ma_ild_serve(store: Path, port: int, *options: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """``ma-ild serve`` as a subprocess in its own process group, and its first line of output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", str(port), "--store", str(store),
         *options],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
        cwd=CHECKOUT, start_new_session=True,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=10), "ma-ild serve printed nothing within 10 s"
        yield process, process.stdout.readline()
    finally:
        stop(process)
        # its workers, should one have outlived it: same group, started by us
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        if process.stdout is not None:
            process.stdout.close()


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat: the command name, then the rest; None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, rest = text.split("(", 1)[1].rsplit(")", 1)
    return [name, *rest.split()]


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie has stopped computing: it is not)."""
    fields = _stat(pid)
    return fields is not None and fields[1] != "Z"


def workers_of(pid: int) -> set[int]:
    """The running oxigraph child processes of ``pid``: the front's workers."""
    found = set()
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields and fields[0] == "oxigraph" and fields[1] != "Z" and int(fields[2]) == pid:
            found.add(int(entry.name))
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of ``pid`` so far, in clock ticks (0 once it is gone)."""
    fields = _stat(pid)
    return int(fields[12]) + int(fields[13]) if fields else 0


def ask(url: str, query: str) -> tuple[int, str, float]:
    """POST one query as a form: (HTTP status, body text, seconds); the client waits up to 60 s."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads worker processes from /proc")


def test_ma_ild_serve_announces_its_url_answers_and_stops_on_ctrl_c(
    capsys: pytest.CaptureFixture[str], built: Paths
) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port) as (process, first_line):
        assert first_line == (
            f"serving {built.out / 'store'} read-only at http://{HOST}:{port}/ (query page); "
            f"SPARQL endpoint {url}\n"
        )
        wait_until_up(url, process)
        remote = run(capsys, "query", "most-cited", "--endpoint", url)
        embedded = run(capsys, "query", "most-cited", "--store", str(built.out / "store"))
        assert remote == embedded
        assert http("POST", f"http://{HOST}:{port}/update", b"DROP ALL",
                    "application/sparql-update") == 403
        process.send_signal(signal.SIGINT)  # Ctrl-C: the front stops its workers, then exits
        assert process.wait(5) == 0
        assert wait_until_down(url, 5)


def test_the_query_page_is_served_through_the_front(built: Paths) -> None:
    port = free_port()
    base = f"http://{HOST}:{port}"
    with ma_ild_serve(built.out / "store", port) as (process, _first_line):
        wait_until_up(f"{base}/query", process)
        with urllib.request.urlopen(f"{base}/", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/html")
            page = response.read().decode()
        assert "<title>Oxigraph server</title>" in page
        for script in ("yasgui.min.js", "yasgui.min.css"):  # the page's own files, offline
            assert f"./{script}" in page
            assert http("GET", f"{base}/{script}") == 200


def test_a_sparql_query_body_and_a_get_are_answered_and_writes_refused(built: Paths) -> None:
    port = free_port()
    base = f"http://{HOST}:{port}"
    with ma_ild_serve(built.out / "store", port) as (process, _first_line):
        wait_until_up(f"{base}/query", process)
        assert http("POST", f"{base}/query", b"ASK {}", "application/sparql-query") == 200
        assert http("GET", f"{base}/query?query=ASK%7B%7D") == 200
        for method, path in (("POST", "/update"), ("PUT", "/store?default"),
                             ("POST", "/store?default"), ("DELETE", "/store?default")):
            assert http(method, f"{base}{path}", b"", "application/n-triples") == 403, path
        status, body, _ = ask(f"{base}/query", "SELEC")
        assert status == 400 and body.startswith("error at 1:"), body  # the worker's own message


@needs_proc
def test_a_runaway_query_gets_a_503_and_only_its_worker_is_killed_and_replaced(
    built: Paths,
) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port, "--timeout", "2", "--workers", "2") as (
        process, _first_line
    ):
        wait_until_up(url, process)
        before = workers_of(process.pid)
        assert len(before) == 2
        ticks = {pid: cpu_ticks(pid) for pid in before}
        runaway: list[tuple[int, str, float]] = []
        thread = threading.Thread(target=lambda: runaway.append(ask(url, RUNAWAY)))
        thread.start()
        time.sleep(0.6)
        burnt = {pid: cpu_ticks(pid) - ticks[pid] for pid in before}
        busy = max(before, key=burnt.__getitem__)  # the worker running the runaway
        assert burnt[busy] >= 5, burnt  # it is burning CPU (at least 0.05 s in 0.6 s)
        others = []
        while thread.is_alive() and len(others) < 100:  # answered by the other worker meanwhile
            others.append(ask(url, COUNT_DEFAULT)[0])
        thread.join(10)

        [(status, body, seconds)] = runaway
        assert (status, body) == (503, "the query ran longer than 2 s and was stopped\n")
        assert 1.9 <= seconds < 3, seconds
        assert others and set(others) == {200}, others
        assert not running(busy)  # the computation is over, not merely abandoned
        assert eventually(lambda: len(workers_of(process.pid)) == 2, 5)
        after = workers_of(process.pid)
        assert busy not in after and before - {busy} < after  # the other one kept its place
        assert count(url, COUNT_DEFAULT) > 0  # and the replacement answers


def test_the_query_command_reports_a_stopped_runaway_as_a_timeout(built: Paths) -> None:
    """Not as "cannot reach the endpoint": the server answered, and said why it stopped."""
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port, "--timeout", "1", "--workers", "1") as (
        process, _first_line
    ):
        wait_until_up(url, process)
        with pytest.raises(QueryTimeoutError) as caught:
            RemoteEndpoint(url).select(RUNAWAY, "<runaway>")
        assert str(caught.value) == (f"{url} stopped the query: the query ran longer than 1 s "
                                     "and was stopped")


@needs_proc
def test_a_query_queued_behind_a_runaway_is_answered_once_the_runaway_is_stopped(
    built: Paths,
) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port, "--timeout", "3", "--workers", "1") as (
        process, _first_line
    ):
        wait_until_up(url, process)
        runaway: list[tuple[int, str, float]] = []
        thread = threading.Thread(target=lambda: runaway.append(ask(url, RUNAWAY)))
        thread.start()
        time.sleep(1)
        status, body, seconds = ask(url, COUNT_DEFAULT)  # the only worker is busy: it waits
        thread.join(10)
        assert runaway[0][0] == 503
        assert status == 200 and '"n"' in body, body
        assert 1.5 < seconds < 3, seconds  # it waited for the runaway to be stopped


@needs_proc
def test_a_worker_that_dies_while_idle_is_replaced_before_a_query_reaches_it(
    built: Paths,
) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port, "--workers", "1") as (process, _first_line):
        wait_until_up(url, process)
        before = workers_of(process.pid)
        assert len(before) == 1, before
        [worker] = before
        os.kill(worker, signal.SIGKILL)  # a worker of the server this test started
        assert eventually(lambda: not running(worker), 3)
        status, body, _ = ask(url, COUNT_DEFAULT)
        assert status == 200, body
        after = workers_of(process.pid)
        assert len(after) == 1 and worker not in after, (before, after)


@needs_proc
def test_a_query_sent_the_moment_its_worker_is_killed_is_still_answered(built: Paths) -> None:
    """The dying worker resets the connection; a read is asked again of its replacement."""
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port, "--workers", "1") as (process, _first_line):
        wait_until_up(url, process)
        for _ in range(3):
            [worker] = workers_of(process.pid)
            os.kill(worker, signal.SIGKILL)  # a worker of the server this test started
            status, body, _ = ask(url, COUNT_DEFAULT)
            assert status == 200, body
            assert eventually(lambda: len(workers_of(process.pid)) == 1, 5)


def test_a_post_without_a_usable_length_is_refused_and_not_read_past(built: Paths) -> None:
    port = free_port()
    with ma_ild_serve(built.out / "store", port, "--workers", "1") as (process, _first_line):
        wait_until_up(f"http://{HOST}:{port}/query", process)
        for headers, status in (({"Transfer-Encoding": "chunked"}, 411),
                                ({"Content-Length": "-1"}, 411),
                                ({"Content-Length": str(17 * 1024 * 1024)}, 413)):
            connection = HTTPConnection(HOST, port, timeout=10)
            connection.putrequest("POST", "/query")
            for name, value in {"Content-Type": "application/sparql-query", **headers}.items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            assert (response.status, response.getheader("Connection")) == (status, "close")
            connection.close()


@needs_proc
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_stopping_ma_ild_serve_leaves_no_worker_behind(built: Paths, signum: int) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with ma_ild_serve(built.out / "store", port) as (process, _first_line):
        wait_until_up(url, process)
        workers = workers_of(process.pid)
        assert len(workers) == 4  # the default pool
        process.send_signal(signum)  # SIGKILL: the kernel kills the workers (PR_SET_PDEATHSIG)
        process.wait(5)
        assert eventually(lambda: not any(running(pid) for pid in workers), 3), [
            pid for pid in workers if running(pid)]
        assert wait_until_down(url, 3)


def test_ma_ild_serve_without_a_store_fails_clearly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    err = fails(capsys, "serve", "--port", str(free_port()), "--store", str(tmp_path / "none"))
    assert err == f"error: no built store at {tmp_path / 'none'}: run `python build_graph.py` first\n"


def test_ma_ild_serve_on_a_port_in_use_fails_clearly(
    capsys: pytest.CaptureFixture[str], built: Paths
) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = fails(capsys, "serve", "--port", str(port), "--store", str(built.out / "store"))
    assert err == f"error: cannot listen on {HOST}:{port}: Address already in use\n"


# --------------------------------------------------------------------------------------------
# push to a writable server


def test_push_round_trip_and_a_second_push_replaces(
    capsys: pytest.CaptureFixture[str], built: Paths, writable: str
) -> None:
    store_url, query_url = f"{writable}/store", f"{writable}/query"
    ntriples = built.out / "graph.nt"
    lines = len(ntriples.read_text(encoding="utf-8").splitlines())
    argv = ["push", "--store-url", store_url, "--graph", DEFAULT_GRAPH, "--ntriples", str(ntriples)]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        f"replaced graph <{DEFAULT_GRAPH}> at {store_url} with {ntriples}\n"
    )
    assert count(query_url, COUNT_NAMED) == lines

    remote = run(capsys, "query", "drug-outcomes", "--param", "drug=tacrolimus",
                 "--endpoint", query_url, "--graph", DEFAULT_GRAPH)
    embedded = run(capsys, "query", "drug-outcomes", "--param", "drug=tacrolimus",
                   "--store", str(built.out / "store"))
    assert len(remote["results"]["bindings"]) == 33
    assert remote == embedded
    # a work looked up by title goes through the endpoint and its graph too
    chains = run(capsys, "query", "citation-chains", "--param", "from=Predictors of Failure",
                 "--param", "to=dermatomyositis (second of two parts)",
                 "--endpoint", query_url, "--graph", DEFAULT_GRAPH)
    assert chains["results"]["bindings"] == [
        {"steps": {"type": "literal", "value": "1",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
        {"steps": {"type": "literal", "value": "2",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
         "via1": {"type": "uri", "value": W + "ge-2015-34-2097"}},
    ]

    assert main(argv) == 0
    capsys.readouterr()
    assert count(query_url, COUNT_NAMED) == lines  # replaced, not doubled
    assert count(query_url, COUNT_QUADS) == lines  # and nothing went to another graph
    assert count(query_url, COUNT_DEFAULT) == 0  # the default graph stays empty


def test_injection_on_the_writable_server_changes_nothing(
    capsys: pytest.CaptureFixture[str], built: Paths, writable: str
) -> None:
    query_url = f"{writable}/query"
    assert main(["push", "--store-url", f"{writable}/store", "--ntriples",
                 str(built.out / "graph.nt")]) == 0
    capsys.readouterr()
    before = count(query_url, COUNT_QUADS)
    assert before > 0
    for argv in (
        ["drug-outcomes", "--param", "drug=tacrolimus> } ; DROP ALL ; #"],
        ["citations-of-work", "--param", 'work=x" } ; DROP ALL ; #'],
        ["citations-of-work", "--param", "work=Dermatomyositis\" } } ; CLEAR ALL ; #{"],
    ):
        fails(capsys, "query", *argv, "--endpoint", query_url, "--graph", DEFAULT_GRAPH)
    evil = bind(WORK_LOOKUP, {"needle": ox.Literal('" } ; DROP ALL #'), "titles": ox.Literal(True)})
    assert RemoteEndpoint(query_url, DEFAULT_GRAPH).select(evil, "<test>").rows == []
    assert count(query_url, COUNT_QUADS) == before


def test_pushing_a_missing_graph_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, writable: str
) -> None:
    missing = tmp_path / "graph.nt"
    err = fails(capsys, "push", "--store-url", f"{writable}/store", "--ntriples", str(missing))
    assert err == f"error: no built graph at {missing}: run `python build_graph.py` first\n"


def test_the_query_command_never_sends_an_update(
    capsys: pytest.CaptureFixture[str], built: Paths, writable: str
) -> None:
    query_url = f"{writable}/query"
    assert main(["push", "--store-url", f"{writable}/store", "--ntriples",
                 str(built.out / "graph.nt")]) == 0
    capsys.readouterr()
    before = count(query_url, COUNT_QUADS)
    assert before > 0
    try:
        fails(capsys, "query", "--sparql", "DROP ALL", "--endpoint", f"{writable}/update")
    finally:
        after = count(query_url, COUNT_QUADS)
    assert after == before, "`ma-ild query` ran an update"
