"""The package's shape: stages in folders, imports that flow one way, no cycle anywhere.

Every ``import`` of a ``graph`` module counts, at module level or inside a function, so a cycle
cannot hide behind an import moved into a function body.
"""

import ast
from pathlib import Path

import networkx as nx

from tests.checkout import CHECKOUT

PACKAGE = CHECKOUT / "graph"
STAGES = {"inputs", "citations", "evidence", "mining", "vocabulary", "rdf", "build", "exports",
          "query", "server", "views", "cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CHECKOUT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def import_graph() -> nx.DiGraph:
    """Module -> module it imports, for every import of a ``graph`` module, at any depth."""
    modules = _modules()
    edges = nx.DiGraph()
    edges.add_nodes_from(modules)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: relative import (the package imports absolutely)"
                base = node.module or ""
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                # "from graph.x import y": y may be a module of package graph.x, or a name in it
                found = target if target in modules else target.rpartition(".")[0]
                if found in modules and found != name and found.startswith("graph"):
                    edges.add_edge(name, found)
    return edges


def test_the_import_graph_has_no_cycle() -> None:
    cycles = sorted(sorted(c) for c in nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles}"


def test_the_import_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The walk is ast.walk over the whole module, so function bodies are read too."""
    source = "def f():\n    from graph.errors import GraphError\n    return GraphError\n"
    imports = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)]
    assert [n.module for n in imports] == ["graph.errors"]


def test_the_top_of_the_package_holds_only_stage_folders_and_a_few_shared_modules() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert folders == STAGES | {"resources"}
    assert modules == {"__init__", "api", "cache_keys", "errors", "plugins", "records", "settings"}


def test_paths_and_settings_come_from_one_small_module() -> None:
    importers_of_build = {a for a, b in import_graph().edges if b == "graph.build.pipeline"}
    assert importers_of_build <= {"graph.build.add", "graph.build.remove", "graph.cli.build"}, (
        importers_of_build)
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    assert source.count("class Paths") == 1
    assert "Path(__file__)" not in source.replace(
        'Path(__file__).parent / "templates"', "")  # the package's own templates only
