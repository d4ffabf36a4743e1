"""The served endpoint under load: many clients, no errors, updates refused, runaways cut off.

The built store is served with ``ma-ild serve`` itself (:func:`graph.cli.serve.serve_command`:
a front and its default pool of oxigraph workers) on 127.0.0.1, a free port and a 10 s timeout.
6 client threads each POST 30 named queries (texts from :func:`graph.query.catalog.prepare`) to
``/query``; every answer must be a 200 with SPARQL results. Latency percentiles are written to
``docs/reliability-figures.json`` (sections ``load`` and ``runaway_cut_off``) on every run.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import IncompleteRead
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.cli.serve import serve_command
from graph.query.catalog import catalog, prepare, work_lookup
from graph.query.endpoints import EmbeddedStore
from graph.settings import Paths
from graph.vocabulary.concepts import load_vocabulary
from tests.checkout import CHECKOUT

sys.path.insert(0, str(CHECKOUT))  # `tests` is no package on the path under importlib mode
from tests.test_server import HOST, free_port, http, server

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
QUERIES = CHECKOUT / "queries"
FIGURES = CHECKOUT / "docs" / "reliability-figures.json"
# On this 2-core machine the heavier named queries (drug-outcomes, antibody-findings,
# prior-therapies) run past the 2 s server timeout under concurrency: 49-55 of 320 requests were
# cut off (connection closed) with 16 clients, 24 of 320 with 8 (docs/reliability.md). They are
# kept out of the load mix (HEAVY) and each answered once alone below.
CLIENTS, REQUESTS = 6, 30
HEAVY = {"drug-outcomes", "antibody-findings", "prior-therapies"}
TIMEOUT_S = 10
# every triple with every triple with every triple: far beyond 2 s on the built graph
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
           "FILTER(STR(?a) != STR(?g) && STR(?c) != STR(?f)) }")


def record(section: str, values: object) -> None:
    """Merge one section into docs/reliability-figures.json."""
    figures = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}
    figures[section] = values
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("load") / "build")
    build(paths, views=False)
    return paths


@pytest.fixture(scope="module")
def texts(built: Paths) -> dict[str, str]:
    """Every named query of the load, bound to its parameters, by name."""
    vocabulary = load_vocabulary(ONTOLOGY / "vocabulary")
    store = EmbeddedStore(built.out / "store")
    # each named query with the fullest example its header gives
    return {name: prepare(query, max(query.examples, key=len), vocabulary, work_lookup(store))
            for name, query in catalog(QUERIES).items()}


@pytest.fixture(scope="module")
def endpoint(built: Paths, texts: dict[str, str],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    command = serve_command(built.out / "store", HOST, port, TIMEOUT_S)
    assert command[-2:] == ["--timeout", str(TIMEOUT_S)]
    url = f"http://{HOST}:{port}/query"
    with server(command, url, tmp_path_factory.mktemp("logs") / "serve.log"):
        yield url


def post_query(url: str, query: str, timeout: float = 30) -> tuple[int, float, int | None]:
    """POST one query: (HTTP status or -1 on a transport error, seconds, rows or None)."""
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode({"query": query}).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.loads(response.read())
            return response.status, time.perf_counter() - started, len(body["results"]["bindings"])
    except urllib.error.HTTPError as exc:
        return exc.code, time.perf_counter() - started, None
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return -1, time.perf_counter() - started, None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def test_concurrent_clients_get_every_answer(endpoint: str, texts: dict[str, str]) -> None:
    alone = {name: post_query(endpoint, texts[name]) for name in texts}
    assert all(status == 200 for status, _, _ in alone.values()), alone
    names = [name for name in texts if name not in HEAVY]
    expected = {name: alone[name][2] for name in names}
    assert all(rows is not None for rows in expected.values()), expected

    def client(number: int) -> list[tuple[str, int, float, int | None]]:
        done = []
        for i in range(REQUESTS):
            name = names[(number + i) % len(names)]
            done.append((name, *post_query(endpoint, texts[name])))
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for batch in pool.map(client, range(CLIENTS)) for r in batch]
    wall = time.perf_counter() - started
    errors = [(n, s) for n, s, _, rows in results if s != 200 or rows != expected[n]]
    latencies = [t for _, _, t, _ in results]
    figures = {
        "clients": CLIENTS, "requests_per_client": REQUESTS, "requests": len(results),
        "named_queries": len(names), "errors": len(errors), "wall_s": round(wall, 2),
        "throughput_rps": round(len(results) / wall, 1),
        "latency_ms": {"p50": ms(percentile(latencies, 50)), "p95": ms(percentile(latencies, 95)),
                       "p99": ms(percentile(latencies, 99)), "max": ms(max(latencies)),
                       "mean": ms(statistics.fmean(latencies))},
        "server_timeout_s": TIMEOUT_S, "excluded_heavy": sorted(HEAVY),
        "heavy_alone_ms": {name: ms(alone[name][1]) for name in sorted(HEAVY)},
    }
    record("load", figures)
    assert errors == [], sorted(set(errors))
    assert len(results) == CLIENTS * REQUESTS


def test_updates_are_refused(endpoint: str) -> None:
    base = endpoint.removesuffix("/query")
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    assert http("POST", f"{base}/update", form, "application/x-www-form-urlencoded") == 403
    assert http("POST", f"{base}/update", b"DROP ALL", "application/sparql-update") == 403
    status, _, rows = post_query(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200 and rows == 1


def test_a_runaway_query_is_cut_off_while_others_get_answers(
    endpoint: str, texts: dict[str, str]
) -> None:
    runaway: list[tuple[int, float, int | None]] = []
    # the client waits well past the server's limit, so only the server can make this stop in time
    thread = threading.Thread(
        target=lambda: runaway.append(post_query(endpoint, RUNAWAY, TIMEOUT_S + 15)))
    thread.start()
    time.sleep(0.2)  # the runaway is running
    others = []
    while thread.is_alive() and len(others) < 200:
        others.append(post_query(endpoint, texts["most-cited"]))
    thread.join(30)
    assert not thread.is_alive()
    [(status, seconds, rows)] = runaway
    assert status == 503 and rows is None, runaway  # stopped, and said so; not answered
    assert TIMEOUT_S * 0.8 <= seconds < TIMEOUT_S + 5, seconds
    assert others and all(s == 200 for s, _, _ in others), others
    record("runaway_cut_off", {"status": status, "stopped_after_s": round(seconds, 2),
                       "answers_meanwhile": len(others),
                       "errors_meanwhile": sum(s != 200 for s, _, _ in others),
                       "p95_meanwhile_ms": ms(percentile([t for _, t, _ in others], 95))})


def test_the_figures_file_is_written() -> None:
    figures = json.loads(Path(FIGURES).read_text(encoding="utf-8"))
    assert figures["load"]["errors"] == 0


# ------------------------------------------------------------------- what a hostile client sends

LIGHT = "SELECT ?s WHERE { ?s a <https://w3id.org/ma-ild/ontology#CorpusDocument> }"


def test_fifty_clients_at_once_are_all_answered(endpoint: str) -> None:
    """The front's listen backlog matches the pool: 50 clients connecting at once (5 got in and
    54 were reset before) each get their answers."""
    barrier = threading.Barrier(50)

    def client(_: int) -> list[int]:
        barrier.wait()
        return [post_query(endpoint, LIGHT)[0] for _ in range(3)]

    with ThreadPoolExecutor(50) as pool:
        statuses = [s for batch in pool.map(client, range(50)) for s in batch]
    assert statuses.count(200) == len(statuses) == 150, sorted(set(statuses))


def test_a_query_nested_too_deep_is_refused_before_a_worker_sees_it(endpoint: str) -> None:
    """4,000 nested groups overflowed oxigraph's stack: two workers died and the client got 502."""
    deep = "SELECT * WHERE " + "{ " * 4000 + "?s ?p ?o " + "} " * 4000
    status, _, _ = post_query(endpoint, deep)
    assert status == 400
    assert [post_query(endpoint, LIGHT)[0] for _ in range(8)] == [200] * 8  # every worker lives


def test_service_is_refused_so_the_server_sends_no_request_anywhere(endpoint: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": query}).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    assert "SERVICE <http://127.0.0.1:9/sparql> is refused" in refused.value.read().decode()


def test_a_request_for_another_host_is_refused(endpoint: str) -> None:
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1."""
    port = urllib.parse.urlsplit(endpoint).port
    request = urllib.request.Request(f"{endpoint}?query=ASK%7B%7D",
                                     headers={"Host": f"evil.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 421
    assert post_query(endpoint, LIGHT)[0] == 200


def _peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:"))) / 1024


def test_a_huge_answer_is_streamed_in_bounded_memory_and_never_looks_whole(
    built: Paths, tmp_path: Path
) -> None:
    """Every triple with every triple: the front once held the whole answer (99 MB to 3.3 GB in
    30 s). Now it streams past 1 MB and, when the deadline stops the query, breaks the answer
    off without its final chunk, so the client cannot take a part for the whole."""
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    with server(serve_command(built.out / "store", HOST, port, 5), url, tmp_path / "serve.log"
                ) as process:
        before = _peak_rss_mib(process.pid)
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(
                {"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"}).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json"})
        received = 0
        with pytest.raises((IncompleteRead, ConnectionError)), \
                urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert response.headers["Transfer-Encoding"] == "chunked"
            while piece := response.read(1 << 20):
                received += len(piece)
        peak = _peak_rss_mib(process.pid)
        assert received > 20 * (1 << 20)  # far more than the front holds at any time
        assert peak - before < 150, (before, peak)
        assert post_query(url, LIGHT)[0] == 200  # the killed worker was replaced
