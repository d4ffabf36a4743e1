"""The Python API (``import graph``): the same questions and answers as the command line."""

import json
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.build.pipeline import build
from graph.cli import main
from graph.settings import Paths
from tests.checkout import CHECKOUT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "build"
    build(Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology", out=out),
          views=False)
    return out


def cli_rows(capsys: pytest.CaptureFixture[str], built: Path, *argv: str) -> list[dict]:
    assert main(["query", *argv, "--format", "json", "--store", str(built / "store")]) == 0
    return json.loads(capsys.readouterr().out)["results"]["bindings"]


@pytest.mark.parametrize("in_memory", [False, True])
def test_ask_gives_the_command_lines_rows_as_python_values(
    capsys: pytest.CaptureFixture[str], built: Path, in_memory: bool
) -> None:
    kg = graph.open_build(built, in_memory=in_memory)
    rows = kg.ask("drug-outcomes", drug="FK506")
    expected = cli_rows(capsys, built, "drug-outcomes", "--param", "drug=FK506")
    assert len(rows) == len(expected) > 20
    assert [r["finding"] for r in rows] == [r["finding"]["value"] for r in expected]
    counted = [r for r in rows if r["responders"] is not None]
    assert counted and all(isinstance(r["responders"], int) for r in counted)
    assert all(r["pValue"] is None or isinstance(r["pValue"], Decimal | float) for r in rows)


def test_parameters_are_resolved_as_on_the_command_line(built: Path) -> None:
    kg = graph.open_build(built)
    by_class = {r["finding"] for r in kg.ask("drug-outcomes", drug="calcineurin-inhibitor")}
    assert {r["finding"] for r in kg.ask("drug-outcomes", drug="tacrolimus")} <= by_class
    depth = kg.ask("citations-of-work", work="ge-2015-34-2097", depth=2)
    assert {r["steps"] for r in depth} == {1, 2}


def test_frame_and_citation_graph(built: Path) -> None:
    kg = graph.open_build(built)
    table = kg.frame("most-cited")
    assert list(table.columns) == ["work", "title", "year", "citedBy"]
    assert table["citedBy"].iloc[0] == max(table["citedBy"])
    network = kg.citation_graph()
    assert isinstance(network, nx.DiGraph) and network.number_of_edges() == 74
    assert network.in_degree(table["work"].iloc[0]) == table["citedBy"].iloc[0]


def test_every_named_question_is_listed(built: Path) -> None:
    kg = graph.open_build(built)
    assert set(kg.queries()) == {p.stem for p in (CHECKOUT / "queries").glob("*.rq")}
