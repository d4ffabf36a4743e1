"""graph.nt changed by the blocks whose key changed: a line leaves when no block holds it any
more, comes in when none held it, and the rest of the file is copied as it was, whatever the
pieces it is read in, by the kernel or not (graph/build/blocks.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.build import blocks
from graph.build.blocks import Index, Stale
from graph.rdf.delta import Difference


def _patch(folder: Path, old: list[str], change: dict[str, int], shared: dict[str, int]
           ) -> tuple[list[str], Difference, Index]:
    graph = folder / "graph.nt"
    graph.write_text("".join(f"{line}\n" for line in old), encoding="utf-8")
    index, difference = Index(), Difference()
    blocks._patch(graph, folder / "new.nt", change, Index(shared=shared, lines=len(old)),
                  index, difference)
    return (folder / "new.nt").read_text(encoding="utf-8").splitlines(), difference, index


def _no_copy_file_range(*_args: object) -> int:
    raise OSError("not on this file system")


@pytest.mark.parametrize(("piece", "kernel"), [(1, True), (3, False), (1 << 16, True)])
def test_lines_leave_and_come_in_by_their_blocks_count(
    piece: int, kernel: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(blocks, "PIECE", piece)  # a line read in pieces of 1 byte, 3, or whole
    if not kernel:
        monkeypatch.setattr(blocks.os, "copy_file_range", _no_copy_file_range)
    old = ["<a>", "<c>", "<d>", "<f>", "<h>", "<h\u00e9 long line>", "<j>"]
    # <c> leaves its only block; <d> leaves one of its two blocks; <b>, <g>, <i> come in;
    # <f> moves from one block to another (its count stays one); the last line <j> leaves and
    # <k> comes in after it
    change = {"<c>": -1, "<d>": -1, "<b>": 1, "<g>": 2, "<i>": 1, "<f>": 0, "<j>": -1, "<k>": 1}
    lines, difference, index = _patch(tmp_path, old, change, shared={"<d>": 2})
    assert lines == ["<a>", "<b>", "<d>", "<f>", "<g>", "<h>", "<h\u00e9 long line>", "<i>",
                     "<k>"]
    assert difference.removed == ["<c>", "<j>"]
    assert difference.added == ["<b>", "<g>", "<i>", "<k>"]
    assert difference.lines == len(lines)
    assert index.shared == {"<g>": 2}  # <d> is held by one block now


def test_a_graph_its_index_does_not_describe_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Stale):  # a line leaving a block that was never in the graph
        _patch(tmp_path, ["<a>"], {"<b>": -1}, shared={})
    with pytest.raises(Stale):  # a line the index says several blocks hold, missing
        _patch(tmp_path, ["<a>"], {"<b>": 1}, shared={"<b>": 2})


def test_any_change_gives_the_sorted_lines_the_blocks_hold(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Random graphs and changes: the patched file is the sorted lines whose count stays above
    none, as sorting every block would give."""
    monkeypatch.setattr(blocks, "PIECE", 5)
    rng = random.Random(26)
    for _ in range(30):
        universe = [f"<{rng.choice('abcé')}{n}>" + "x" * rng.randrange(12) for n in range(40)]
        old = sorted(set(rng.sample(universe, rng.randrange(1, 30))))
        change = {line: (-1 if line in old else 1) for line in rng.sample(universe, 12)}
        lines, _difference, _index = _patch(tmp_path, old, change, shared={})
        assert lines == sorted((set(old) | {k for k, v in change.items() if v > 0})
                               - {k for k, v in change.items() if v < 0})
