"""The KGX export as GraphML, for Gephi and Cytoscape.

The GraphML is written from the two KGX files (:mod:`graph.exports.kgx`), streamed: it holds the
same nodes and edges, with typed attributes, and neither file is ever held whole. Each line's
element is written as text from its non-empty cells (:class:`Plan`), escaped as lxml escapes,
so the file is the bytes lxml made of it without an element object per row.
"""

from __future__ import annotations

import itertools
import mmap
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from graph.errors import ExportError
from graph.exports.kgx import SPREAD_COLUMNS, edge_key
from graph.exports.kgx_check import EDGE_ENDS, tsv_cells

INTEGERS = frozenset({"year", "has_count", "has_total", "size_before", "size_after"})
DECIMALS = frozenset({"has_percentage", "mean_before", "mean_after", "percent_change", "p_value",
                      *(c for c in SPREAD_COLUMNS if not c.startswith("size"))})
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE]-?\d+)?")
_INTEGER = re.compile(r"-?\d+")
# What XML 1.0 cannot hold (lxml refuses it), and what lxml escapes in text and in attributes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')


def _kind(column: str, text: str) -> type:
    """The GraphML type of ``text`` in ``column``: numbers typed, so Gephi can size and filter
    by them; the text is written as it is whatever its type."""
    if column in INTEGERS and _INTEGER.fullmatch(text):
        return int
    if column in DECIMALS and _NUMBER.fullmatch(text):
        return float
    return str


# What lxml writes for each character it escapes, ``&`` first: in element text, and in an
# attribute's value (between double quotes)
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ATTRIBUTE_ESCAPES = (*_TEXT_ESCAPES[:3], ('"', "&quot;"), ("\t", "&#9;"), ("\n", "&#10;"),
                      ("\r", "&#13;"))


def _escaped(text: str, special: re.Pattern[str], escapes: tuple[tuple[str, str], ...]) -> str:
    if special.search(text) is None:  # most texts: nothing to escape
        return text
    for character, escape in escapes:
        text = text.replace(character, escape)
    return text


def _text(text: str) -> str:
    """Element text as lxml writes it.

    >>> _text('a <b> & "c"\\r')
    'a &lt;b&gt; &amp; "c"&#13;'
    """
    return _escaped(text, _TEXT_SPECIAL, _TEXT_ESCAPES)


def _attribute(text: str) -> str:
    """An attribute's value as lxml writes it (between double quotes).

    >>> _attribute('a<"b"&\\tc')
    'a&lt;&quot;b&quot;&amp;&#9;c'
    """
    return _escaped(text, _ATTRIBUTE_SPECIAL, _ATTRIBUTE_ESCAPES)


_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_TYPES = {int: "long", float: "double", str: "string"}


Kinds = Counter[tuple[str, str, type]]  # (scope, attribute, type) -> values of that type
Keys = dict[str, dict[str, tuple[str, str]]]  # scope -> attribute -> (key id, GraphML type)
def _getter(places: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells at ``places``, as a tuple, taken at C speed."""
    if len(places) == 1:
        return lambda cells: (cells[places[0]],)
    return itemgetter(*places) if places else lambda cells: ()


class Plan:
    """How the lines of a KGX file with ``columns`` become elements of ``scope`` ("node" or
    "edge"): a node's attributes are its non-empty cells but the id, an edge's but its id and
    ends, with a ``label`` (a node's name, else its id; an edge's predicate without
    ``biolink:``) unless a non-empty ``label`` column gives one; all in name order. The places
    are worked out once per file, and the cells of a line taken and filtered by C code: an
    element is made of millions of lines."""

    def __init__(self, scope: str, columns: list[str] | tuple[str, ...]) -> None:
        at = {name: place for place, name in enumerate(columns)}  # a name twice: its last
        self.scope, self.width = scope, len(columns)
        self._own_label = at.get("label")
        self._name, self._id, self._predicate = at.get("name"), at["id"], at.get("predicate")
        self._ends = ((("id", at["id"]),) if scope == "node" else
                      (("source", at["subject"]), ("target", at["object"]), ("id", at["id"])))
        left_out = {"id", "label"} if scope == "node" else {"id", "subject", "object", "label"}
        names = sorted(name for name in at if name not in left_out)
        before, after = [n for n in names if n < "label"], [n for n in names if n > "label"]
        self._before = _getter([at[n] for n in before])
        self._after = _getter([at[n] for n in after])
        self._names = (tuple(before), tuple(after))
        self._numbers = tuple((name, at[name]) for name in names if name in INTEGERS | DECIMALS)
        self._tags: tuple[Keys | None, dict[str, str]] = (None, {})

    def cells(self, line: str) -> list[str]:
        """A line's cells; a line of another width than the columns' raises ValueError."""
        cells = line.split("\t")
        if len(cells) != self.width:
            raise ValueError(f"{len(cells)} fields, the header has {self.width}: {line[:80]!r}")
        return cells

    def data(self, cells: list[str]) -> list[tuple[str, str]]:
        """The attributes of a line's element, (name, text) in name order."""
        before, after = self._before(cells), self._after(cells)
        return [*compress(zip(self._names[0], before, strict=True), before),
                ("label", self._label(cells)),
                *compress(zip(self._names[1], after, strict=True), after)]

    def _label(self, cells: list[str]) -> str:
        if self._own_label is not None and cells[self._own_label]:
            return cells[self._own_label]
        if self.scope == "node":
            return (cells[self._name] if self._name is not None else "") or cells[self._id]
        return cells[self._predicate].removeprefix("biolink:")  # type: ignore[index]

    def ends(self, cells: list[str]) -> tuple[str, ...]:
        """The node ids a line names: a node's own, an edge's subject and object."""
        return tuple(cells[place] for name, place in self._ends if name != "id" or
                     self.scope == "node")

    def count(self, cells: list[str], kinds: Kinds, sign: int = 1) -> None:
        """Add ``sign`` times the types of a line's attribute values to ``kinds``."""
        for name, text in self.data(cells):
            kinds[self.scope, name, _kind(name, text)] += sign

    def kinds(self, lines: Iterable[list[str]]) -> Kinds:
        """:meth:`count` of every line of ``lines``: the names of the non-empty cells counted
        by C code, only the numbers' columns typed a value at a time."""
        present: Counter[str] = Counter()
        kinds: Kinds = Counter()
        for cells in lines:
            before, after = self._before(cells), self._after(cells)
            present.update(compress(self._names[0], before))
            present.update(compress(self._names[1], after))
            present["label"] += 1
            for name, place in self._numbers:
                if text := cells[place]:
                    kinds[self.scope, name, _kind(name, text)] += 1
        numbers = {name for name, _ in self._numbers}
        kinds.update({(self.scope, name, str): n for name, n in present.items()
                      if name not in numbers})
        return kinds

    def element(self, cells: list[str], keys: Keys) -> str:
        """A line's element as lxml writes it; a text XML cannot hold raises
        :class:`ExportError` (lxml raised ValueError)."""
        if self._tags[0] is not keys:
            self._tags = (keys, {name: f'<data key="{key}">'
                                 for name, (key, _) in keys[self.scope].items()})
        tags, line = self._tags[1], "".join(cells)
        if _NOT_XML.search(line):
            raise ExportError(f"a {self.scope} of the KGX export holds a character XML cannot "
                              f"hold: {line[:200]!r}")
        escape = _TEXT_SPECIAL.search(line) is not None
        data = "".join([f"{tags[name]}{_text(text) if escape else text}</data>"
                        for name, text in self.data(cells)])
        head = f"<{self.scope} " + " ".join(
            [f'{name}="{_attribute(cells[place]) if escape else cells[place]}"'
             for name, place in self._ends])
        return f"{head}>{data}</{self.scope}>" if data else f"{head}/>"


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
    kinds: Kinds = Counter()
    files = (("node", nodes, ("id",)), ("edge", edges, EDGE_ENDS))
    for scope, tsv, required in files:
        rows = tsv_cells(tsv, problems, required)
        first = next(rows, None)
        if first is None or problems:
            for _ in rows:  # read only for their problems
                pass
        else:
            kinds += Plan(scope, first[1]).kinds(
                cells for _, _, cells in itertools.chain([first], rows)
                if not problems)  # past a problem, the rest are only read for theirs
    if problems:
        raise ExportError(f"cannot write {path} from {nodes} and {edges}:\n  "
                          + "\n  ".join(problems))
    keys = _keys(kinds)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<graphml xmlns=\"{_GRAPHML}\">")
        out.writelines(f'<key id="{key}" for="{scope}" attr.name="{_attribute(name)}" '
                       f'attr.type="{kind}"/>'
                       for scope in ("node", "edge") for name, (key, kind) in keys[scope].items())
        out.write('<graph edgedefault="directed">')
        known: set[str] = set()
        for scope, tsv, _ in files:
            plan = None
            for _, header, cells in tsv_cells(tsv, []):
                plan = plan or Plan(scope, header)
                for end in plan.ends(cells):
                    if end not in known:
                        known.add(end)
                        if scope == "edge":
                            out.write(f'<node id="{_attribute(end)}"/>')
                out.write(plan.element(cells, keys))
        out.write("</graph></graphml>")
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

    plans = {scope: Plan(scope, found) for scope, found in columns.items()}
    updated = Counter(kinds)
    for scope, before, after, key in scopes:
        for gone, made in _merged(before, after, key):
            if gone is None or made is None:
                plan = plans[scope]
                plan.count(plan.cells(gone or made or ""), updated, 1 if gone is None else -1)
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
                if _write_patched(out, graphml, [*starts, end], scopes, plans, keys):
                    out.write(graphml[end:])
                    return updated
            path.unlink()
    return None


def _write_patched(out: Any, graphml: Any, starts: list[int], scopes: tuple,
                   plans: dict[str, Plan], keys: Keys) -> bool:
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
            plan = plans[scope]
            cells = plan.cells(made)
            if scope == "node":
                nodes.update(plan.ends(cells))
            elif not nodes.issuperset(plan.ends(cells)):
                return False
            out.write(plan.element(cells, keys).encode("utf-8"))
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

    plans = {scope: Plan(scope, found) for scope, found in columns.items()}
    updated = Counter(kinds)
    for scope, splice in (("node", node_splice), ("edge", edge_splice)):
        plan = plans[scope]
        for sign, lines in ((-1, splice.dropped), (1, [p for p in splice.parts
                                                       if isinstance(p, str)])):
            for line in lines:
                plan.count(plan.cells(line), updated, sign)
    keys = _keys(updated)
    if keys != _keys(kinds):
        return None
    with old.open("rb") as source:
        if os.pread(source.fileno(), 8, int(starts[-1])) != b"</graph>" or not _at_element(
                source.fileno(), int(starts[0])):
            return None
        return _spliced_elements(source.fileno(), starts, splices, plans, nodes, path, keys,
                                 updated)


def _spliced_elements(source: int, starts: np.ndarray, splices: tuple[Splice, Splice],
                      plans: dict[str, Plan], nodes: set[str], path: Path, keys: Keys,
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
                cells = plans[scope].cells(part)
                if scope == "edge" and not nodes.issuperset(plans[scope].ends(cells)):
                    break
                element = plans[scope].element(cells, keys).encode("utf-8")
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
