"""The KGX export as GraphML, for Gephi and Cytoscape.

The GraphML is written from the two KGX files (:mod:`graph.exports.kgx`), streamed: it holds the
same nodes and edges, with typed attributes, and neither file is ever held whole.
"""

from __future__ import annotations

import mmap
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
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


Kinds = Counter[tuple[str, str, type]]  # (scope, attribute, type) -> values of that type
Keys = dict[str, dict[str, tuple[str, str]]]  # scope -> attribute -> (key id, GraphML type)


def _kinds(scope: str, data: Iterable[dict[str, str]]) -> Kinds:
    """How many values of each type each attribute of ``scope`` has."""
    return Counter((scope, name, type(_scalar(name, text)))
                   for values in data for name, text in values.items())


def _keys(kinds: Kinds) -> Keys:
    """Each attribute name of each scope with its key id and GraphML type (text where a
    column holds both numbers and text)."""
    types: dict[str, dict[str, type]] = {"node": {}, "edge": {}}
    for (scope, name, kind), count in sorted(kinds.items(), key=lambda k: k[0][:2]):
        if count > 0 and types[scope].setdefault(name, kind) is not kind:
            types[scope][name] = str
    return {scope: {name: (f"{scope[0]}{index}", _GRAPHML_TYPES[found[name]])
                    for index, name in enumerate(sorted(found))}
            for scope, found in types.items()}


def _element(scope: str, row: dict[str, str], keys: Keys) -> Any:
    """A node's or an edge's element, with its attributes' data in name order."""
    if scope == "node":
        element, values = etree.Element("node", id=row["id"]), _node_data(row)
    else:
        element = etree.Element("edge", source=row["subject"], target=row["object"],
                                id=row["id"])
        values = _edge_data(row)
    for name, text in sorted(values.items()):
        etree.SubElement(element, "data", key=keys[scope][name][0]).text = text
    return element


def write_graphml(nodes: Path, edges: Path, path: Path) -> Path:
    """Write the KGX files ``nodes`` and ``edges`` as GraphML (see :func:`graphml_kinds`)."""
    graphml_kinds(nodes, edges, path)
    return path


def graphml_kinds(nodes: Path, edges: Path, path: Path) -> Kinds:
    """Write the KGX files ``nodes`` and ``edges`` as GraphML, streamed: each file is read twice
    (the attribute types, then the elements) and never held. Returns how many values of each
    type each attribute has (:func:`patch_graphml` keeps the types from them).

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

    kinds = (_kinds("node", map(_node_data, checked(nodes, ("id",))))
             + _kinds("edge", map(_edge_data, checked(edges, EDGE_ENDS))))
    if problems:
        raise ExportError(f"cannot write {path} from {nodes} and {edges}:\n  "
                          + "\n  ".join(problems))
    keys = _keys(kinds)
    path.parent.mkdir(parents=True, exist_ok=True)
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
                    xml.write(_element("node", row, keys))
                for _, row in tsv_rows(edges, []):
                    for end in (row["subject"], row["object"]):
                        if end not in known:
                            known.add(end)
                            xml.write(etree.Element("node", id=end))
                    xml.write(_element("edge", row, keys))
    return kinds


# --- after a change ------------------------------------------------------------------------------

def _read(path: Path) -> tuple[list[str], list[str]]:
    """A KGX file's columns and lines (its bytes split in C: a million lines at 10,000
    documents, which a loop over the lines took seconds to read and pair)."""
    header, _, body = path.read_bytes().decode("utf-8").partition("\n")
    lines = body.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return header.split("\t"), lines


@dataclass
class _Changed:
    """What a change did to one KGX file: its old and new lines, which old ones are gone and
    which new ones are made (a line in both is kept, the same element)."""

    old: list[str]
    new: list[str]
    gone: np.ndarray
    made: np.ndarray


def _changed(old: list[str], new: list[str]) -> _Changed | None:
    """The lines of a KGX file before and after a change, told apart by set membership; None
    where the kept lines are not in one order in both or a file holds a line twice (then an
    old element cannot be told by its line)."""
    olds, news = set(old), set(new)
    if len(olds) != len(old) or len(news) != len(new):
        return None
    gone = np.fromiter((line not in news for line in old), dtype=bool, count=len(old))
    made = np.fromiter((line not in olds for line in new), dtype=bool, count=len(new))
    kept = (np.asarray(old, dtype=object)[~gone], np.asarray(new, dtype=object)[~made])
    if not np.array_equal(*kept):
        return None
    return _Changed(old, new, gone, made)


def _element_starts(graphml: Any) -> tuple[np.ndarray, np.ndarray]:
    """Where each ``<node `` and each ``<edge `` element of a GraphML file starts (its text
    and attributes are escaped: a ``<`` is always a tag)."""
    data = np.frombuffer(graphml, dtype=np.uint8)
    opening = np.flatnonzero(data[:max(len(data) - 5, 0)] == ord("<"))
    starts = []
    for tag in (b"node ", b"edge "):
        at = opening
        for offset, byte in enumerate(tag, 1):
            at = at[data[at + offset] == byte]
        starts.append(at)
    return starts[0], starts[1]


def patch_graphml(old: tuple[Path, Path, Path], new: tuple[Path, Path], path: Path,
                  kinds: Kinds) -> Kinds | None:
    """The GraphML of the KGX files ``new`` into ``path``, made from the last build's
    (``old``: its KGX node and edge files and its GraphML) by making only the elements of the
    rows that changed and copying the old elements between them in runs: the same bytes as
    :func:`graphml_kinds` gives, whose ``kinds`` of the last build it returns updated. None,
    with nothing written, where the elements cannot be reused: an attribute's type or the set
    of attributes changed (the key ids shift), the files' lines cannot be paired, the old
    GraphML has not an element per old line, or a bare node (an edge's end that is no node)
    would be needed."""
    files = {}
    for scope, before, after in (("node", old[0], new[0]), ("edge", old[1], new[1])):
        (columns, olds), (now, news) = _read(before), _read(after)
        changed = _changed(olds, news) if columns == now else None
        if changed is None:
            return None
        files[scope] = (columns, changed)

    def data(scope: str, line: str) -> dict[str, str]:
        row = dict(zip(files[scope][0], line.split("\t"), strict=True))
        return _node_data(row) if scope == "node" else _edge_data(row)

    updated = Counter(kinds)
    for scope, (_columns, changed) in files.items():
        for sign, lines, which in ((-1, changed.old, changed.gone), (1, changed.new, changed.made)):
            for index in np.flatnonzero(which).tolist():
                for kind, count in _kinds(scope, [data(scope, lines[index])]).items():
                    updated[kind] += sign * count
    keys = _keys(updated)
    if keys != _keys(kinds) or not _ends_are_nodes(files["node"][1], *files["edge"][::-1]):
        return None
    with old[2].open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ
                                                ) as graphml:
        node_starts, edge_starts = _element_starts(graphml)
        end = graphml.rfind(b"</graph>")
        nodes = len(files["node"][1].old)
        starts = np.concatenate((node_starts, edge_starts))
        # an element per old line, every node before every edge (a bare node is among edges)
        if (len(node_starts) != nodes or len(edge_starts) != len(files["edge"][1].old)
                or not len(starts) or np.any(np.diff(starts) <= 0) or end < starts[-1]):
            return None
        bounds = [*starts.tolist(), end]
        with path.open("wb") as out:
            out.write(graphml[:bounds[0]])
            for offset, scope in ((0, "node"), (nodes, "edge")):
                columns, changed = files[scope]
                _write_changed(out, graphml, bounds, offset, changed, lambda line, c=columns,
                               s=scope: etree.tostring(_element(s, dict(zip(
                                   c, line.split("\t"), strict=True)), keys), encoding="utf-8"))
            out.write(graphml[end:])
    return updated


def _ends_are_nodes(nodes: _Changed, edges: _Changed, columns: list[str]) -> bool:
    """Whether every end of the new edges (``columns`` of the edge file) is a new node: the
    made edges' ends, and, where a node was taken out, every edge's (else the GraphML needs a
    bare node, made whole)."""
    ids = {line.split("\t", 1)[0] for line in nodes.new}
    removed = {nodes.old[i].split("\t", 1)[0] for i in np.flatnonzero(nodes.gone).tolist()}
    checked = (range(len(edges.new)) if removed - ids
               else np.flatnonzero(edges.made).tolist())
    ends = [columns.index(end) for end in ("subject", "object")]
    for index in checked:
        fields = edges.new[index].split("\t")
        if any(fields[end] not in ids for end in ends):
            return False
    return True


def _write_changed(out: Any, graphml: Any, bounds: list[int], offset: int, changed: _Changed,
                   element: Callable[[str], bytes]) -> None:
    """The elements of one KGX file's new lines in order: a made line's element made, the old
    elements of kept lines copied, a run of them at once (the old element of old line ``i`` is
    ``graphml[bounds[offset + i]:bounds[offset + i + 1]]``)."""
    kept_old = np.flatnonzero(~changed.gone)  # the old line of each kept line, in order
    kept = 0
    position = 0
    made = np.flatnonzero(changed.made).tolist()
    for index in [*made, len(changed.new)]:
        run = index - position  # kept lines before this made one
        if run:
            olds = kept_old[kept:kept + run]
            # runs of consecutive old lines (a gone line breaks a run)
            breaks = np.flatnonzero(np.diff(olds) != 1) + 1
            for first, last in zip([0, *breaks.tolist()], [*breaks.tolist(), run], strict=True):
                out.write(graphml[bounds[offset + int(olds[first])]:
                                  bounds[offset + int(olds[last - 1]) + 1]])
            kept += run
        if index < len(changed.new):
            out.write(element(changed.new[index]))
        position = index + 1
