"""The KGX export as GraphML, for Gephi and Cytoscape.

The GraphML is written from the two KGX files (:mod:`graph.exports.kgx`), streamed: it holds the
same nodes and edges, with typed attributes, and neither file is ever held whole.
"""

from __future__ import annotations

import itertools
import mmap
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from lxml import etree

from graph.errors import ExportError
from graph.exports.kgx import SPREAD_COLUMNS, edge_key
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

def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="\n") as handle:
        next(handle, None)
        for line in handle:
            yield line.rstrip("\n")


def _merged(old: Path, new: Path, key: Callable[[str], str]
            ) -> Iterator[tuple[str | None, str | None]]:
    """The lines of two sorted KGX files in order, paired: (old, new) where the line is in
    both, (old, None) where it was taken out, (None, new) where it was put in."""
    olds, news = _lines(old), _lines(new)
    before, after = next(olds, None), next(news, None)
    while before is not None or after is not None:
        if before is not None and after is not None and before == after:
            yield before, after
            before, after = next(olds, None), next(news, None)
        elif after is None or (before is not None and key(before) < key(after)):
            yield before, None
            before = next(olds, None)
        else:
            yield None, after
            after = next(news, None)


def patch_graphml(old: tuple[Path, Path, Path], new: tuple[Path, Path], path: Path,
                  kinds: Kinds) -> Kinds | None:
    """The GraphML of the KGX files ``new`` into ``path``, made from the last build's
    (``old``: its KGX node and edge files and its GraphML) by making only the elements of the
    rows that changed: the same bytes as :func:`graphml_kinds` gives, whose ``kinds`` of the
    last build it returns updated. None, with nothing written, where the elements cannot be
    reused: an attribute's type or the set of attributes changed (the key ids shift), or a bare
    node (an edge's end that is no node) is in either file."""
    scopes = (("node", old[0], new[0], lambda line: line.split("\t", 1)[0]),
              ("edge", old[1], new[1], edge_key))
    columns = {scope: o.open(encoding="utf-8").readline().rstrip("\n").split("\t")
               for scope, o, _, _ in scopes}
    if columns != {scope: n.open(encoding="utf-8").readline().rstrip("\n").split("\t")
                   for scope, _, n, _ in scopes}:
        return None

    def data(scope: str, line: str) -> dict[str, str]:
        row = dict(zip(columns[scope], line.split("\t"), strict=True))
        return _node_data(row) if scope == "node" else _edge_data(row)

    updated = Counter(kinds)
    for scope, before, after, key in scopes:
        for gone, made in _merged(before, after, key):
            if gone is None or made is None:
                sign = 1 if gone is None else -1
                for kind, count in _kinds(scope, [data(scope, gone or made or "")]).items():
                    updated[kind] += sign * count
    keys = _keys(updated)
    if keys != _keys(kinds):
        return None
    with old[2].open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ
                                                ) as graphml:
        starts = [m.start() for m in re.finditer(rb"<(?:node|edge) ", graphml)]
        end = graphml.rfind(b"</graph>")
        if starts and end > starts[-1]:
            with path.open("wb") as out:
                out.write(graphml[:starts[0]])
                if _write_patched(out, graphml, [*starts, end], scopes, columns, keys):
                    out.write(graphml[end:])
                    return updated
            path.unlink()
    return None


def _write_patched(out: Any, graphml: Any, starts: list[int], scopes: tuple, columns: dict,
                   keys: Keys) -> bool:
    """The elements of :func:`patch_graphml`, each old one where its row is unchanged; False
    where that cannot be (an old element is not the row's, a bare node is needed)."""
    fragments = (graphml[a:b] for a, b in itertools.pairwise(starts))
    nodes: set[str] = set()
    removed: set[str] = set()
    for scope, before, after, key in scopes:
        prefix = f"<{scope} ".encode()
        removed -= nodes  # the ids taken out of the nodes, not put back
        for gone, made in _merged(before, after, key):
            fragment = next(fragments, b"") if gone is not None else b""
            if gone is not None and not fragment.startswith(prefix):
                return False
            if made is None:
                if scope == "node":
                    removed.add(gone.split("\t", 1)[0])  # type: ignore[union-attr]
                continue
            if gone is not None:
                if scope == "node":
                    nodes.add(made.split("\t", 1)[0])
                elif removed:
                    _, subject, _, object_, _ = made.split("\t", 4)
                    if subject in removed or object_ in removed:
                        return False
                out.write(fragment)
                continue
            row = dict(zip(columns[scope], made.split("\t"), strict=True))
            if scope == "node":
                nodes.add(row["id"])
            elif row["subject"] not in nodes or row["object"] not in nodes:
                return False
            out.write(etree.tostring(_element(scope, row, keys), encoding="utf-8"))
    return next(fragments, None) is None


# --- after a change, from the splice of the KGX files ---------------------------------------------

@dataclass
class Splice:
    """How a KGX file was made from the last build's (:func:`graph.exports.patch.patch_kgx`):
    in order, runs of the old file's data lines kept (``(first, past)``, numbered from 0) and
    the new lines put between them; the old lines left out; how many data lines the old file
    has."""

    parts: list[tuple[int, int] | str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    old: int = 0


def element_offsets(path: Path) -> bytes:
    """Where each node and edge element of the GraphML at ``path`` starts, then where
    ``</graph>`` does: int64s (:func:`splice_graphml` copies the elements by these). Empty if
    the file has no ``</graph>``."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ
                                                ) as graphml:
        starts = [m.start() for m in re.finditer(rb"<(?:node|edge) ", graphml)]
        end = graphml.rfind(b"</graph>")
    if end < 0 or (starts and end < starts[-1]):
        return b""
    return np.array([*starts, end], dtype="<i8").tobytes()


def _copy_range(source: int, target: int, start: int, end: int) -> None:
    """Bytes ``start`` to ``end`` of the file ``source`` appended to ``target`` (descriptors),
    by the kernel where it can (``os.copy_file_range``), else read and written."""
    while start < end:
        try:
            copied = os.copy_file_range(source, target, end - start, start)
        except (AttributeError, OSError):
            copied = os.write(target, os.pread(source, min(end - start, 1 << 20), start))
        if copied <= 0:
            raise OSError(f"could not copy bytes {start} to {end}")
        start += copied


def _at_element(source: int, offset: int) -> bool:
    """Whether a node's or an edge's element, or the end of the graph, starts at ``offset``."""
    return os.pread(source, 6, offset) in (b"<node ", b"<edge ", b"</grap")


def splice_graphml(old: Path, offsets: bytes, splices: tuple[Splice, Splice],
                   columns: dict[str, list[str]], nodes: set[str], path: Path, kinds: Kinds
                   ) -> tuple[Kinds, bytes] | None:
    """The GraphML of the spliced KGX files into ``path``, from the last build's (``old``,
    its elements at ``offsets``, :func:`element_offsets`): the old elements of each run of kept
    lines copied as one range of bytes, the new lines' elements made. ``splices`` are the node
    and edge files'; ``columns`` their header's columns by scope; ``nodes`` every node id of the
    new files. Returns the ``kinds`` updated and the new file's offsets: the same bytes and
    kinds as :func:`graphml_kinds` gives (tests/test_export_patch.py). None, with nothing
    written, where the elements cannot be reused: an attribute's type or the set of attributes
    changed, the offsets do not fit the old files (a bare node among them, another file), or a
    new edge ends at no node."""
    starts = np.frombuffer(offsets, dtype="<i8")
    node_splice, edge_splice = splices
    if not len(starts) or len(starts) != node_splice.old + edge_splice.old + 1:
        return None

    def data(scope: str, line: str) -> dict[str, str]:
        row = dict(zip(columns[scope], line.split("\t"), strict=True))
        return _node_data(row) if scope == "node" else _edge_data(row)

    updated = Counter(kinds)
    for scope, splice in (("node", node_splice), ("edge", edge_splice)):
        for sign, lines in ((-1, splice.dropped), (1, [p for p in splice.parts
                                                       if isinstance(p, str)])):
            for line in lines:
                for kind, count in _kinds(scope, [data(scope, line)]).items():
                    updated[kind] += sign * count
    keys = _keys(updated)
    if keys != _keys(kinds):
        return None
    with old.open("rb") as source:
        if os.pread(source.fileno(), 8, int(starts[-1])) != b"</graph>" or not _at_element(
                source.fileno(), int(starts[0])):
            return None
        return _spliced_elements(source.fileno(), starts, splices, columns, nodes, path, keys,
                                 updated)


def _spliced_elements(source: int, starts: np.ndarray, splices: tuple[Splice, Splice],
                      columns: dict[str, list[str]], nodes: set[str], path: Path, keys: Keys,
                      updated: Kinds) -> tuple[Kinds, bytes] | None:
    """:func:`splice_graphml`'s writing, from the old file open as ``source``."""
    node_splice, edge_splice = splices
    made: list[np.ndarray] = []
    with path.open("wb", buffering=0) as out:
        written = 0

        def copy(start: int, end: int) -> None:
            nonlocal written
            _copy_range(source, out.fileno(), start, end)
            written += end - start

        copy(0, int(starts[0]))
        for scope, splice, base in (("node", node_splice, 0),
                                    ("edge", edge_splice, node_splice.old)):
            prefix = f"<{scope} ".encode()
            for part in splice.parts:
                if isinstance(part, tuple):
                    first, past = part[0] + base, part[1] + base
                    if os.pread(source, len(prefix), int(starts[first])) != prefix \
                            or not _at_element(source, int(starts[past])):
                        break
                    made.append(starts[first:past] - starts[first] + written)
                    copy(int(starts[first]), int(starts[past]))
                    continue
                row = dict(zip(columns[scope], part.split("\t"), strict=True))
                if scope == "edge" and (row["subject"] not in nodes
                                        or row["object"] not in nodes):
                    break
                element = etree.tostring(_element(scope, row, keys), encoding="utf-8")
                made.append(np.array([written], dtype="<i8"))
                view = memoryview(element)
                while view:
                    view = view[os.write(out.fileno(), view):]
                written += len(element)
            else:
                continue
            break
        else:
            made.append(np.array([written], dtype="<i8"))
            copy(int(starts[-1]), os.fstat(source).st_size)
            return updated, np.concatenate(made).astype("<i8").tobytes()
    path.unlink()
    return None
