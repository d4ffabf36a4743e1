"""SPARQL has one home, ``queries/``, and one set of prefixes, :mod:`graph.vocabulary.prefixes`.

The named questions sit at the top of ``queries/``; what the views, exports, network analytics,
``add`` and the work lookup ask sits under ``queries/internal/``; what ``enrich`` asks remote
endpoints sits under ``queries/enrichment/``. Python code binds values into them but writes none.
"""

import ast
import re
from pathlib import Path

import pytest

from graph.query.texts import internal_query
from graph.vocabulary.prefixes import PREFIXES, declared, prologue, used
from tests.checkout import CHECKOUT

QUERY_FILES = sorted((CHECKOUT / "queries").rglob("*.rq"))
# A query written in Python: a prologue, or a SELECT/CONSTRUCT/ASK with its pattern.
_SPARQL = re.compile(r"PREFIX\s+[\w-]*:\s*<|\b(?:SELECT|CONSTRUCT)\s+(?:DISTINCT\s+)?[?(*]|\bASK\s*\{")
# SHACL shapes compiled to SPARQL are generated, not written: graph/rdf/validate.py is a compiler.
COMPILERS = {"graph/rdf/validate.py"}


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
                  and ast.get_docstring(node) is not None}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_no_python_module_holds_a_query_of_its_own() -> None:
    found = []
    for path in sorted((CHECKOUT / "graph").rglob("*.py")):
        where = path.relative_to(CHECKOUT).as_posix()
        if where in COMPILERS:
            continue
        found += [f"{where}:{line}" for line, text in _strings(path) if _SPARQL.search(text)]
    assert not found, f"SPARQL written in Python (move it to queries/internal/): {found}"


def test_the_check_finds_a_query_in_python(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""SELECT ?x in a docstring is prose."""\n'
                      'Q = "PREFIX cito: <http://purl.org/spar/cito/>\\nSELECT ?a { ?a cito:cites ?b }"\n')
    assert [line for line, text in _strings(module) if _SPARQL.search(text)] == [2]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.relative_to(CHECKOUT).as_posix())
def test_every_query_file_declares_the_project_prefixes_it_uses_and_no_others(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours = {name: iri for name, iri in declared(text).items() if name in PREFIXES}
    assert ours == {name: PREFIXES[name] for name in used(text)}
    theirs = set(declared(text)) - set(PREFIXES)
    if path.parent.name == "enrichment":  # remote endpoints' own vocabularies
        assert theirs <= {"meshv", "oboInOwl", "up"}
    else:
        assert not theirs
        assert "".join(f"{line}\n" for line in text.splitlines()
                       if line.startswith("PREFIX ")) == prologue(text)


def test_every_internal_query_is_read_by_the_code() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (CHECKOUT / "graph").rglob("*.py"))
    internal = CHECKOUT / "queries" / "internal"
    for path in sorted(internal.rglob("*.rq")):
        name = path.relative_to(internal).with_suffix("").as_posix()
        assert f'internal_query("{name}")' in source, f"{name}.rq is read by no module"
        assert internal_query(name) == path.read_text(encoding="utf-8")
