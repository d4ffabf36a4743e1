"""The external sort: sorted distinct lines, whatever the number held in memory, no files left."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.rdf.external_sort import sorted_distinct


def lines(count: int = 2000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.randint(0, 700)}\t{rng.choice(['a', 'β', 'c c'])}" for _ in range(count)]


@pytest.mark.parametrize("run_size", [1, 7, 150, 10_000])
def test_any_run_size_gives_the_sorted_distinct_lines(tmp_path: Path, run_size: int) -> None:
    data = lines()
    assert list(sorted_distinct(data, tmp_path / "scratch", run_size)) == sorted(set(data))
    assert list(tmp_path.iterdir()) == []


def test_runs_go_to_disk_while_the_result_is_read(tmp_path: Path) -> None:
    result = sorted_distinct(lines(), tmp_path / "edges", run_size=100)
    first = next(result)
    assert first == min(lines())
    assert sorted(p.name for p in tmp_path.iterdir())[:2] == ["edges.run0", "edges.run1"]
    result.close()  # a reader that stops early leaves nothing behind
    assert list(tmp_path.iterdir()) == []


def test_the_runs_are_removed_when_the_lines_fail(tmp_path: Path) -> None:
    def failing() -> object:
        yield from lines()[:500]
        raise ValueError("a bad line")

    with pytest.raises(ValueError, match="a bad line"):
        list(sorted_distinct(failing(), tmp_path / "x", run_size=50))  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
