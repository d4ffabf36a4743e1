"""The KGX export as GraphML, for Gephi and Cytoscape.

The GraphML is written from the two KGX files (:mod:`graph.exports.kgx`), streamed: it holds the
same nodes and edges, with typed attributes, and neither file is ever held whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from graph.errors import ExportError
from graph.exports.kgx import SPREAD_COLUMNS
from graph.exports.kgx_check import EDGE_ENDS, tsv_rows

INTEGERS = frozenset({"year", "has_count", "has_total", "size_before", "size_after"})
DECIMALS = frozenset({"has_percentage", "mean_before", "mean_after", "percent_change", "p_value",
                      *(c for c in SPREAD_COLUMNS if not c.startswith("size"))})
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE]-?\d+)?")


def _scalar(column: str, text: str) -> str | int | float:
    """A GraphML attribute value: numbers typed, so Gephi can size and filter by them."""
    if column in INTEGERS and re.fullmatch(r"-?\d+", text):
        return int(text)
    if column in DECIMALS and _NUMBER.fullmatch(text):
        return float(text)
    return text


def _node_data(row: dict[str, str]) -> dict[str, str]:
    return {"label": row.get("name") or row["id"],
            **{column: text for column, text in row.items() if column != "id" and text}}


def _edge_data(row: dict[str, str]) -> dict[str, str]:
    return {"label": row["predicate"].removeprefix("biolink:"),
            **{column: text for column, text in row.items()
               if column not in ("id", "subject", "object") and text}}


_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_TYPES = {int: "long", float: "double", str: "string"}


def _graphml_keys(scope: str, data: Iterable[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Each attribute name of ``scope`` with its key id and GraphML type (text where a column
    holds both numbers and text)."""
    types: dict[str, type] = {}
    for values in data:
        for name, text in values.items():
            kind = type(_scalar(name, text))
            if types.setdefault(name, kind) is not kind:
                types[name] = str
    return {name: (f"{scope[0]}{index}", _GRAPHML_TYPES[types[name]])
            for index, name in enumerate(sorted(types))}


def write_graphml(nodes: Path, edges: Path, path: Path) -> Path:
    """Write the KGX files ``nodes`` and ``edges`` as GraphML, streamed: each file is read twice
    (the attribute types, then the elements) and never held.

    Attributes are typed (numbers as numbers, so Gephi can size and filter by them) and keep
    their KGX text; ``networkx.read_graphml`` reads the file back as the KGX graph. An edge
    whose end is not a node adds that node bare, as networkx would. Files it cannot be written
    from (a missing column, a line with the wrong number of fields) raise :class:`ExportError`
    naming each file and line, before anything is written.
    """
    problems: list[str] = []

    def checked(tsv: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
        for _, row in tsv_rows(tsv, problems, required):
            if not problems:  # past the first problem, the rest are only read for theirs
                yield row

    keys = {"node": _graphml_keys("node", map(_node_data, checked(nodes, ("id",)))),
            "edge": _graphml_keys("edge", map(_edge_data, checked(edges, EDGE_ENDS)))}
    if problems:
        raise ExportError(f"cannot write {path} from {nodes} and {edges}:\n  "
                          + "\n  ".join(problems))
    path.parent.mkdir(parents=True, exist_ok=True)

    def write_data(xml: Any, scope: str, values: dict[str, str]) -> None:
        for name, text in sorted(values.items()):
            element = etree.Element("data", key=keys[scope][name][0])
            element.text = text
            xml.write(element)

    with etree.xmlfile(str(path), encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("graphml", xmlns=_GRAPHML):
            for scope in ("node", "edge"):
                for name, (key, kind) in keys[scope].items():
                    xml.write(etree.Element("key", {"id": key, "for": scope, "attr.name": name,
                                                    "attr.type": kind}))
            with xml.element("graph", edgedefault="directed"):
                known = set()
                for _, row in tsv_rows(nodes, []):
                    known.add(row["id"])
                    with xml.element("node", id=row["id"]):
                        write_data(xml, "node", _node_data(row))
                for _, row in tsv_rows(edges, []):
                    for end in (row["subject"], row["object"]):
                        if end not in known:
                            known.add(end)
                            xml.write(etree.Element("node", id=end))
                    with xml.element("edge", source=row["subject"], target=row["object"],
                                     id=row["id"]):
                        write_data(xml, "edge", _edge_data(row))
    return path
