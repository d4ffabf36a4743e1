"""Where queries run: the embedded Oxigraph store, or any SPARQL 1.1 endpoint via SPARQLWrapper.

Both return results in the shape of the SPARQL 1.1 Query Results JSON format, so every output
format, and every test comparing the two, works on one representation.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException

from graph.errors import EndpointError, QueryError, QueryTimeoutError
from graph.query.binding import query_form, vet

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)

# {"type": "uri" | "literal" | "bnode", "value": ..., optional "datatype" or "xml:lang"}
Binding = dict[str, str]
Row = TypeVar("Row")  # a streamed row: bindings by variable, or values' texts


DEFAULT_GRAPH = "https://w3id.org/ma-ild/graph"  # where `push` puts the graph by default


@dataclass
class Results:
    """A SELECT's variables and rows, or an ASK's answer."""

    variables: list[str]
    rows: list[dict[str, Binding]] = field(default_factory=list)
    boolean: bool | None = None

    def to_json(self) -> dict[str, Any]:
        """The SPARQL 1.1 Query Results JSON document."""
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        return {"head": {"vars": self.variables}, "results": {"bindings": self.rows}}


def syntax_message(source: str, message: str) -> str:
    """An engine's syntax error as "SOURCE: line L, column C: what".

    >>> syntax_message("q.rq", "error at 3:17: expected IRI")
    'q.rq: syntax error at line 3, column 17: expected IRI'
    """
    match = _POSITION.search(message)
    if match is None:
        return f"{source}: syntax error: {message.strip()}"
    line, column, what = match.groups()
    return f"{source}: syntax error at line {line}, column {column}: {what.strip()}"


def _binding(term: Any) -> Binding:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        binding["datatype"] = term.datatype.value
    return binding


def _normalise(row: dict[str, Binding]) -> dict[str, Binding]:
    """Drop the xsd:string datatype some servers add, so equal results compare equal."""
    out = {}
    for name, value in row.items():
        value = dict(value)
        if value.get("datatype") == XSD_STRING:
            del value["datatype"]
        if value["type"] == "typed-literal":
            value["type"] = "literal"
        out[name] = value
    return out


_OPEN: dict[str, tuple[tuple[int, int], ox.Store]] = {}
OPEN_LIMIT = 4  # handles kept; a build opens its staging store, which is then renamed away


def _read_only(store_path: str) -> ox.Store:
    """The store at ``store_path``, opened read-only once per process and kept open.

    Opening RocksDB costs more than most of the named queries, so the handle is reused; it is
    reopened when a build has swapped a new store into the same path (its CURRENT file is then
    another file), so a long-lived process never answers from a store that was replaced.
    """
    stat = os.stat(os.path.join(store_path, "CURRENT"))
    version = (stat.st_ino, stat.st_mtime_ns)
    cached = _OPEN.get(store_path)
    if cached is None or cached[0] != version:
        _OPEN.pop(store_path, None)
        while len(_OPEN) >= OPEN_LIMIT:  # the least recently opened goes first
            del _OPEN[next(iter(_OPEN))]
        _OPEN[store_path] = cached = (version, ox.Store.read_only(store_path))
    return cached[1]


def _solutions(answer: ox.QuerySolutions) -> Iterator[dict[str, Binding]]:
    variables = [v.value for v in answer.variables]
    for solution in answer:
        yield {name: _binding(value) for name, value in zip(variables, solution, strict=True)
               if value is not None}


def _texts(answer: ox.QuerySolutions) -> Iterator[dict[str, str]]:
    """Each solution as its values' texts (a binding's ``value``), interned: no binding dict is
    made only to be read for its value (a fifth of the time of reading the views' rows)."""
    variables = [v.value for v in answer.variables]
    for solution in answer:
        yield {name: intern(value.value) for name, value in zip(variables, solution, strict=True)
               if value is not None}


def run_embedded(store: ox.Store, query: str) -> Results:
    """Run ``query`` on an open store, as SPARQL results.

    The engine reports a remote endpoint it could not reach (an allowed SERVICE) as an
    ``OSError`` while the answer is read: that is the endpoint's failure, said in one line.
    """
    try:
        answer = store.query(query)
        if isinstance(answer, ox.QueryBoolean):
            return Results([], boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            return Results([v.value for v in answer.variables], list(_solutions(answer)))
    except OSError as exc:
        raise EndpointError(f"a SERVICE endpoint of the query failed: {exc}") from None
    raise QueryError("only SELECT and ASK queries can be shown as a table; use CONSTRUCT elsewhere")


@contextmanager
def _syntax_named(source: str) -> Iterator[None]:
    """The engine's syntax error as a :class:`QueryError` naming the query's file and line."""
    try:
        yield
    except SyntaxError as exc:
        raise QueryError(syntax_message(source, str(exc))) from None


def _streamed(store: ox.Store, query: str, source: str,
              rows: Callable[[ox.QuerySolutions], Iterator[Row]] = _solutions) -> Iterator[Row]:
    """The rows of a SELECT as the engine makes them (see :meth:`Target.stream`), each made by
    ``rows``: bindings, or :func:`_texts`."""
    with _syntax_named(source):
        answer = store.query(query)
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError(f"{source}: only a SELECT query's rows can be streamed")
    return rows(answer)


def _child(conn: Any, open_store: Callable[[], ox.Store], query: str) -> None:
    """A forked query on the store ``open_store`` gives it (a RocksDB handle does not survive a
    fork, so the on-disk store is opened again in the child)."""
    try:
        conn.send(("ok", run_embedded(open_store(), query)))
    except Exception as exc:  # sent back and re-raised in the parent
        conn.send(("error", exc))


def _answer(open_store: Callable[[], ox.Store], query: str, source: str,
            timeout: float | None) -> Results:
    """Run ``query``; with a timeout, in a forked child that is killed when time runs out."""
    with _syntax_named(source):
        if timeout is None:
            return run_embedded(open_store(), query)
        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(child, open_store, query), daemon=True)
        process.start()
        child.close()
        if not parent.poll(timeout):
            process.kill()
            process.join()
            raise QueryTimeoutError(f"the query ran longer than {timeout:g} s and was stopped")
        status, payload = parent.recv()
        process.join()
        if status == "error":
            raise payload
        return payload


def _require_built(path: Path) -> None:
    """A missing store is named as such, not left to RocksDB's own error."""
    if not (path / "CURRENT").exists():
        raise EndpointError(f"no built store at {path}: run `python build_graph.py` first")


class Target(Protocol):
    """Anything a query can be run against."""

    def select(self, query: str, source: str, timeout: float | None = None) -> Results: ...

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        """A SELECT's rows one at a time, for results too large to hold (the exports' millions
        of citations); no timeout, as the reader decides how long to read."""
        ...


@dataclass(frozen=True)
class EmbeddedStore:
    """The built Oxigraph store on disk; no server needed."""

    path: Path
    services: frozenset[str] = frozenset()  # remote SERVICE endpoints a query may name

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        """Run a query; with a timeout, in a child process that is killed when time runs out."""
        vet(query, source, self.services)
        _require_built(self.path)
        if timeout is None:
            return _answer(lambda: _read_only(str(self.path)), query, source, None)
        return _answer(lambda: ox.Store.read_only(str(self.path)), query, source, timeout)

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        """A SELECT's rows one at a time, read from the store as they are asked for."""
        vet(query, source, self.services)
        _require_built(self.path)
        return _streamed(_read_only(str(self.path)), query, source)

    def stream_texts(self, query: str, source: str) -> Iterator[dict[str, str]]:
        """:meth:`stream`'s rows as their values' texts, interned (see :func:`_texts`)."""
        vet(query, source, self.services)
        _require_built(self.path)
        return _streamed(_read_only(str(self.path)), query, source, _texts)


@dataclass(frozen=True)
class MemoryStore:
    """The built store copied into memory, for a session that asks many questions.

    Oxigraph answers most named queries from memory 1.5-7x faster than from its on-disk store
    (docs/benchmark.md); the copy costs a load (about 3 s per million triples, the speed of
    pyoxigraph's own bulk load: benchmarks/memory_load.py) and the memory to hold the graph.
    The rows are those of :class:`EmbeddedStore` (quotes joined by ``GROUP_CONCAT`` may come in
    another order, which SPARQL leaves to the engine); the copy does not see a later build.
    """

    store: ox.Store
    services: frozenset[str] = frozenset()  # remote SERVICE endpoints a query may name

    @classmethod
    def load(cls, path: Path) -> MemoryStore:
        """A copy in memory of the built store at ``path``.

        The default graph is bulk-loaded from the build's ``graph.nt`` beside the store, the
        store's own source (Oxigraph's parser is about 3.6x faster than copying the store quad
        by quad); named graphs added later (enrichment) are copied from the store. Without a
        ``graph.nt``, the store is dumped as N-Quads and loaded.
        """
        _require_built(path)
        disk = _read_only(str(path))
        memory = ox.Store()
        source = path.parent / "graph.nt"
        if source.is_file():
            memory.bulk_load(path=str(source), format=ox.RdfFormat.N_TRIPLES)
            for graph in disk.named_graphs():
                memory.bulk_extend(disk.quads_for_pattern(None, None, None, graph))
        else:
            memory.bulk_load(disk.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
        return cls(memory)

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        """Run a query; with a timeout, in a forked child that is killed when time runs out."""
        vet(query, source, self.services)
        return _answer(lambda: self.store, query, source, timeout)

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        """A SELECT's rows one at a time."""
        vet(query, source, self.services)
        return _streamed(self.store, query, source)

    def stream_texts(self, query: str, source: str) -> Iterator[dict[str, str]]:
        """:meth:`stream`'s rows as their values' texts, interned (see :func:`_texts`)."""
        vet(query, source, self.services)
        return _streamed(self.store, query, source, _texts)


@dataclass(frozen=True)
class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint, reached with SPARQLWrapper."""

    url: str
    default_graph: str | None = None
    services: frozenset[str] = frozenset()  # remote SERVICE endpoints a query may name

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        vet(query, source, self.services)
        form = query_form(query)
        if form not in ("SELECT", "ASK"):
            raise QueryError(f"{source}: only SELECT and ASK queries are run here; "
                             "updates and graph queries are refused")
        wrapper = SPARQLWrapper(self.url)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        with warnings.catch_warnings():  # its own guess of the form is replaced just below
            warnings.simplefilter("ignore")
            wrapper.setQuery(query)
        wrapper.queryType = form
        if self.default_graph:
            wrapper.addDefaultGraph(self.default_graph)
        if timeout is not None:
            wrapper.setTimeout(max(1, round(timeout)))
        try:
            document = wrapper.queryAndConvert()
        except QueryBadFormed as exc:
            detail = str(exc).split("Response:", 1)[-1].strip().strip("b'\"")
            raise QueryError(syntax_message(source, detail)) from None
        except EndPointNotFound:
            raise EndpointError(f"{self.url} answered 404: it is not a SPARQL endpoint") from None
        except urllib.error.HTTPError as exc:  # it answered: say what, not "cannot reach"
            detail = exc.read().decode("utf-8", "replace").strip()[:300] or exc.reason
            if exc.code in (503, 504) and "longer than" in detail:
                raise QueryTimeoutError(f"{self.url} stopped the query: {detail}") from None
            raise EndpointError(f"{self.url} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise QueryTimeoutError(
                    f"{self.url} did not answer within {timeout:g} s; the query was abandoned"
                ) from None
            raise EndpointError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from None
        except SPARQLWrapperException as exc:
            raise EndpointError(f"{self.url} refused the query: {exc}") from None
        if not isinstance(document, dict):
            raise EndpointError(f"{self.url} did not answer with SPARQL results JSON")
        if "boolean" in document:
            return Results([], boolean=bool(document["boolean"]))
        rows = [_normalise(row) for row in document["results"]["bindings"]]
        return Results(list(document["head"]["vars"]), rows)

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        """A SELECT's rows (the JSON results document is read whole, then given row by row)."""
        return iter(self.select(query, source).rows)


def push(store_url: str, graph: str, ntriples: Path, timeout: float = 60) -> None:
    """Replace ``graph`` on a Graph Store Protocol endpoint with the triples of ``ntriples``."""
    request = urllib.request.Request(
        f"{store_url}?graph={urllib.request.quote(graph, safe='')}",
        data=ntriples.read_bytes(), method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()
        raise EndpointError(f"{store_url} refused the upload ({exc.code}): {detail}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"cannot reach the graph store {store_url}: {reason}") from None


def dumps(results: Results) -> str:
    """The results as SPARQL 1.1 Query Results JSON text."""
    return json.dumps(results.to_json(), indent=2, ensure_ascii=False)
