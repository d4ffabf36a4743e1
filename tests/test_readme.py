"""Every `ma-ild query` and `ma-ild view` command, and every Python example, the README shows
works on a fresh build."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.settings import Paths
from tests.checkout import CHECKOUT

README = (CHECKOUT / "README.md").read_text(encoding="utf-8")
# Lines of the README's code blocks (continuations joined), minus a placeholder file a user writes
# and the --endpoint line, which needs `ma-ild serve` running (tests/test_server.py covers it).
BLOCKS = re.findall(r"```bash\n(.*?)```", README, re.DOTALL)
COMMANDS = [
    line.split("  #")[0].strip()
    for block in BLOCKS
    for line in block.replace("\\\n", " ").splitlines()
    if line.startswith(("ma-ild query", "ma-ild view"))
    and "my-question.rq" not in line and "--endpoint" not in line
]


PYTHON = re.findall(r"```python\n(.*?)```", README, re.DOTALL)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("readme") / "build"
    build(Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology", out=out),
          views=False)
    return out / "store"


def test_the_readme_shows_query_and_view_commands() -> None:
    assert len(COMMANDS) >= 12


@pytest.mark.parametrize("command", COMMANDS)
def test_a_readme_command_runs(
    command: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # views write their --out file here
    argv = shlex.split(command)[1:]
    assert main([*argv, "--store", str(store)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("example", PYTHON)
def test_a_readme_python_example_runs(
    capsys: pytest.CaptureFixture[str], store: Path, example: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CHECKOUT)  # the README's paths are relative to the checkout
    exec(compile(example.replace('open_build("build"', f'open_build({str(store.parent)!r}'),
                 "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) >= 5 and all(line.strip() for line in printed)  # rows, not an empty answer
