"""SHACL validation of the built graph, with a report a person can act on."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from graph.errors import ValidationError

MAX_LINES = 25


def _report_lines(results: Graph) -> list[str]:
    lines = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        where = f" {path.n3(results.namespace_manager)}" if path is not None else ""
        lines.append(f"{severity}: {focus}{where}: {message}")
    return sorted(lines)


def validate(data: Graph, shapes: Path) -> list[str]:
    """Check ``data`` against the shapes; raise with a readable report on any violation.

    Returns the warnings (results of severity Warning or Info), which do not fail a build.
    """
    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes_graph, inference="none",
        allow_warnings=True, advanced=True,
    )
    lines = _report_lines(results)
    violations = [line for line in lines if line.startswith("Violation")]
    if violations:
        shown = violations[:MAX_LINES]
        more = len(violations) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise ValidationError(
            f"the graph does not conform to {shapes.name} ({len(violations)} violations):\n  "
            + "\n  ".join(shown) + tail
        )
    return [line for line in lines if not line.startswith("Violation")]
