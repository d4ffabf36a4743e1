"""The tutorial notebook (docs/tutorial.ipynb) runs, start to end, on a fresh build.

nbclient executes it in a Jupyter kernel on this interpreter (jupyter_client starts the
``python3`` kernel with ``sys.executable``), from docs/ as Jupyter would, offline, reading a
build made here; the notebook's own asserts check its answers, and the tests check what it shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from graph.build.pipeline import build
from graph.settings import Paths
from tests.checkout import CHECKOUT

NOTEBOOK = CHECKOUT / "docs" / "tutorial.ipynb"
# Run first in the kernel: any connection the notebook's Python opens fails (the kernel's own
# messages go through ZeroMQ, not Python sockets), so a fetch cannot pass unnoticed.
OFFLINE = """import socket
def refuse(*args, **kwargs):
    raise OSError("the tutorial tried to reach the network")
socket.socket.connect = refuse
socket.create_connection = refuse"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    out = tmp_path_factory.mktemp("notebook") / "build"
    build(Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology", out=out),
          views=False, check_shapes=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(OFFLINE))
    with pytest.MonkeyPatch.context() as patch:  # the kernel inherits this environment
        patch.setenv("MA_ILD_PROJECT", str(CHECKOUT))
        patch.setenv("MA_ILD_BUILD", str(out))
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def text_of(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                     for o in outputs(notebook))


def test_the_kernel_is_this_interpreter() -> None:
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] in {
        "python", "python3", sys.executable}  # jupyter_client runs "python" as sys.executable
    assert Path(sys.executable).exists()


def test_the_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_it_runs_without_an_error(executed: nbformat.NotebookNode) -> None:
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code")
    assert executed.cells[0].source == OFFLINE


def shown(notebook: nbformat.NotebookNode, asked: str) -> list[str]:
    """The HTML tables shown by the code cells whose source contains ``asked``."""
    return [o["data"]["text/html"] for cell in notebook.cells
            if cell.cell_type == "code" and asked in cell.source
            for o in cell.outputs if "text/html" in o.get("data", {})]


def test_job_one_drug_outcomes_come_as_dataframes(executed: nbformat.NotebookNode) -> None:
    [outcomes] = shown(executed, '"drug-outcomes", drug="FK506"')
    assert "dataframe" in outcomes
    assert all(f"<th>{column}</th>" in outcomes for column in ("outcome", "responders", "total"))
    [pooled] = shown(executed, "groupby")
    assert "ILD response" in pooled
    [drugs] = shown(executed, '"drugs-for-outcome"')
    assert "tacrolimus" in drugs


def test_job_two_draws_the_citation_chains(executed: nbformat.NotebookNode) -> None:
    text = text_of(executed)
    assert "Sharma 2017 -> Ge 2015 -> Bohan 1975" in text
    assert "Sharma 2017 -> Bohan 1975" in text
    assert [o for o in outputs(executed) if "image/png" in o.get("data", {})]


def test_job_three_follows_external_identifiers(executed: nbformat.NotebookNode) -> None:
    text = text_of(executed)
    assert "http://purl.uniprot.org/uniprot/P12081" in text
    assert "http://purl.obolibrary.org/obo/CHEBI_61049 -> https://w3id.org/ma-ild/vocab/tacrolimus" \
        in text
    assert "RXCUI:42316" in text
