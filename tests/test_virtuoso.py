"""A second engine: the graph pushed into Virtuoso Open Source 7 gives every named query's rows.

One private Virtuoso (tests/virtuoso.py) on loopback ports, one ``ma-ild push`` through its Graph
Store Protocol endpoint, then every named query with each parameter set its header gives as an
example, through ``ma-ild query --endpoint ... --graph ...``, against the embedded store's answer:
row for row where the query orders its rows, as a multiset where it does not. Values compare as
RDF terms, not as one engine's spelling of them: an ``xsd:boolean`` written ``1`` is ``true``, a
number written ``94.0`` is the ``94`` of its datatype. Without ``virtuoso-t`` the tests fail, as
they must in CI, which installs it (.ci/run).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import suppress
from decimal import Decimal, InvalidOperation

import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.query.catalog import catalog
from graph.query.endpoints import DEFAULT_GRAPH, Binding
from graph.settings import Paths
from tests.checkout import CHECKOUT
from tests.virtuoso import private_virtuoso

QUERIES = CHECKOUT / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + name for name in ("integer", "decimal", "double", "float", "int", "long",
                                   "nonNegativeInteger", "positiveInteger")}
# Oxigraph answers every integer type derived from xsd:integer as xsd:integer (an offset stored as
# xsd:nonNegativeInteger, say); Virtuoso keeps the stored type: the same number either way
DERIVED_INTEGERS = {XSD + name for name in ("int", "long", "nonNegativeInteger",
                                           "positiveInteger")}
NAMED = [(query.name, [f"{name}={value}" for name, value in example.items()])
         for query in catalog(QUERIES).values() for example in query.examples]
_ORDERED = re.compile(r"^ORDER\s+BY\b", re.MULTILINE | re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology",
                  out=tmp_path_factory.mktemp("virtuoso-build") / "build")
    build(paths, views=False)  # the HTML views are not queried here
    return paths


@pytest.fixture(scope="module")
def virtuoso(built: Paths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of a private Virtuoso holding the build, pushed with ``ma-ild push``."""
    with private_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        assert main(["push", "--store-url", f"{base}/sparql-graph-crud",
                     "--ntriples", str(built.out / "graph.nt")]) == 0
        yield f"{base}/sparql"


def term(value: Binding) -> tuple[str, ...]:
    """An RDF term as compared across engines: canonical booleans, numbers by value.

    >>> term({"type": "literal", "value": "1", "datatype": XSD + "boolean"})[1]
    'true'
    >>> term({"type": "literal", "value": "94.0", "datatype": XSD + "decimal"})[1]
    '94'
    >>> term({"type": "literal", "value": "18200", "datatype": XSD + "integer"})[1]
    '18200'
    >>> term({"type": "literal", "value": "7", "datatype": XSD + "nonNegativeInteger"})[2]
    'http://www.w3.org/2001/XMLSchema#integer'
    """
    datatype = value.get("datatype", "")
    if datatype in DERIVED_INTEGERS:
        datatype = XSD + "integer"
    text = value["value"]
    if datatype == XSD + "boolean":
        text = {"1": "true", "0": "false"}.get(text, text)
    elif datatype in NUMBERS:
        with suppress(InvalidOperation):  # NaN and the like stay as written
            text = format(Decimal(text).normalize(), "f")  # 18200, never 1.82E+4
    return (value["type"], text, datatype, value.get("xml:lang", ""))


def answer(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[list[str], list[str]]:
    """The columns and rows (each as a comparable text) of ``ma-ild ARGV --format json``."""
    status = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err[:2000]
    document = json.loads(out)
    rows = [json.dumps({k: term(v) for k, v in row.items()}, sort_keys=True)
            for row in document["results"]["bindings"]]
    return document["head"]["vars"], rows


def test_every_named_query_is_asked() -> None:
    assert {name for name, _ in NAMED} == {p.stem for p in QUERIES.glob("*.rq")}


def test_the_push_put_every_triple_in_the_named_graph(
    capsys: pytest.CaptureFixture[str], built: Paths, virtuoso: str
) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    argv = ["query", "--sparql", count, "--endpoint", virtuoso, "--graph", DEFAULT_GRAPH]
    _, [row] = answer(capsys, argv)
    lines = (built.out / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert json.loads(row)["n"][1] == str(len(lines))


@pytest.mark.parametrize(("name", "params"), NAMED, ids=[" ".join([n, *p]) for n, p in NAMED])
def test_every_named_query_gives_the_embedded_rows_on_virtuoso(
    capsys: pytest.CaptureFixture[str], built: Paths, virtuoso: str, name: str,
    params: list[str],
) -> None:
    argv = ["query", name, *(arg for p in params for arg in ("--param", p))]
    columns, embedded = answer(capsys, [*argv, "--store", str(built.out / "store")])
    remote_columns, remote = answer(capsys, [*argv, "--endpoint", virtuoso,
                                             "--graph", DEFAULT_GRAPH])
    assert remote_columns == columns
    assert sorted(remote) == sorted(embedded)
    if _ORDERED.search((QUERIES / f"{name}.rq").read_text(encoding="utf-8")):
        assert remote == embedded
    if name != "enriched-labels":  # empty until an enrichment has been fetched
        assert embedded, name
