"""What the package declares is what it uses: dependencies, packages, data and version.

A fresh virtual environment installs only what ``pyproject.toml`` declares, so an import that no
declared distribution provides fails there and nowhere else; these tests find it on any machine.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import graph
from tests.checkout import CHECKOUT

PROJECT = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = PROJECT["project"]["dependencies"]
PROGRAMS = {"oxigraph"}  # distributions that give a program the code runs, not a module


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _imported_tops() -> dict[str, Path]:
    """Every top-level module the package imports (at any depth), with a file that imports it."""
    found: dict[str, Path] = {}
    for path in sorted((CHECKOUT / "graph").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path)
    return found


def test_every_module_the_package_imports_comes_from_a_declared_dependency() -> None:
    extras = PROJECT["project"]["optional-dependencies"]
    # an extra's package is imported only where its feature is asked for (pandas by .frame)
    declared = {_name(r) for r in [*RUNTIME, *extras["docs"], *extras["notebook"]]}
    providers = packages_distributions()
    undeclared = {}
    for top, where in _imported_tops().items():
        if top in sys.stdlib_module_names or top == "graph":
            continue
        given_by = {_name(d) for d in providers.get(top, [])}
        if not given_by & declared:
            undeclared[top] = where.relative_to(CHECKOUT).as_posix()
    assert not undeclared, f"imported, but no declared dependency provides them: {undeclared}"


def test_every_declared_dependency_is_used() -> None:
    providers = packages_distributions()
    used = {_name(d) for top in _imported_tops() for d in providers.get(top, [])}
    unused = {_name(r) for r in RUNTIME} - used - PROGRAMS
    assert not unused, f"declared but never imported: {sorted(unused)}"


def test_the_server_program_is_declared() -> None:
    source = (CHECKOUT / "graph" / "server" / "workers.py").read_text(encoding="utf-8")
    assert '"oxigraph"' in source
    assert "oxigraph" in {_name(r) for r in RUNTIME}


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    listed = set(PROJECT["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(CHECKOUT).parts)
               for p in (CHECKOUT / "graph").rglob("__init__.py")}
    mapped = set(PROJECT["tool"]["setuptools"]["package-dir"])
    assert listed == folders | mapped


def test_the_version_is_kept_in_one_place() -> None:
    assert PROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PROJECT["project"]
    assert PROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "graph.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", graph.__version__)


def test_the_licence_file_matches_the_declared_licence() -> None:
    licence = (CHECKOUT / "LICENSE").read_text(encoding="utf-8")
    assert PROJECT["project"]["license"] == {"text": "MIT"}
    assert licence.startswith("MIT License")
