"""graph.nt changed by the blocks whose key changed: a line leaves when no block holds it any
more, comes in when none held it, and the rest of the file is passed on as it was, whatever
the pieces it is read in (graph/build/blocks.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import blocks
from graph.build.blocks import Index, Stale, _patched
from graph.rdf.delta import Difference


def _patch(folder: Path, old: list[str], change: dict[str, int], shared: dict[str, int]
           ) -> tuple[list[str], Difference, Index]:
    graph = folder / "graph.nt"
    graph.write_text("".join(f"{line}\n" for line in old), encoding="utf-8")
    index, difference = Index(), Difference()
    text = "".join(_patched(graph, change, Index(shared=shared, lines=len(old)), index,
                            difference))
    return text.splitlines(), difference, index


@pytest.mark.parametrize("chunk", [1, 7, 1 << 22])  # a piece per line, a few lines, the file
def test_lines_leave_and_come_in_by_their_blocks_count(
    chunk: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(blocks, "CHUNK", chunk)
    old = ["<a>", "<c>", "<d>", "<f>", "<h>"]
    # <c> leaves its only block; <d> leaves one of its two blocks; <b>, <g>, <i> come in;
    # <f> moves from one block to another (its count stays one)
    change = {"<c>": -1, "<d>": -1, "<b>": 1, "<g>": 2, "<i>": 1, "<f>": 0}
    lines, difference, index = _patch(tmp_path, old, change, shared={"<d>": 2})
    assert lines == ["<a>", "<b>", "<d>", "<f>", "<g>", "<h>", "<i>"]
    assert difference.removed == ["<c>"]
    assert difference.added == ["<b>", "<g>", "<i>"]
    assert difference.lines == len(lines)
    assert index.shared == {"<g>": 2}  # <d> is held by one block now


def test_a_graph_its_index_does_not_describe_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Stale):  # a line leaving a block that was never in the graph
        _patch(tmp_path, ["<a>"], {"<b>": -1}, shared={})
    with pytest.raises(Stale):  # a line the index says several blocks hold, missing
        _patch(tmp_path, ["<a>"], {"<b>": 1}, shared={"<b>": 2})
