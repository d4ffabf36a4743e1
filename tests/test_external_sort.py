"""The external sort: sorted distinct lines, whatever the number held in memory, no files left."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from graph.rdf import external_sort
from graph.rdf.external_sort import sort_counted_into, sorted_distinct


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


@pytest.mark.parametrize("system", [True, False])
def test_sorted_into_a_file_with_the_repeated_lines_counted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system: bool) -> None:
    """The system's sort and Python's give the same bytes and counts (UTF-8 byte order is
    code point order), and leave nothing but the file."""
    if not system:
        monkeypatch.setattr(external_sort, "_system_tools", lambda: None)
    elif external_sort._system_tools() is None:
        pytest.skip("no system sort here")
    data = [*lines(), "<é> <a> \"x\" .", "<z> <a> \"x\" .", "<é> <a> \"x\" ."]
    written, repeated = sort_counted_into(iter(data), tmp_path / "graph.nt", run_size=150)
    expected = sorted(set(data))
    assert (tmp_path / "graph.nt").read_text(encoding="utf-8") == "".join(
        f"{line}\n" for line in expected)
    assert written == len(expected)
    assert repeated == {line: n for line, n in Counter(data).items() if n > 1}
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_the_system_sort_is_stopped_when_the_lines_fail(tmp_path: Path) -> None:
    def failing() -> object:
        yield from lines()[:500]
        raise ValueError("a bad line")

    if external_sort._system_tools() is None:
        pytest.skip("no system sort here")
    with pytest.raises(ValueError, match="a bad line"):
        sort_counted_into(failing(), tmp_path / "graph.nt")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_sort_that_is_not_gnu_is_not_used(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``sort`` without GNU's options (BusyBox's) leaves the sorting to Python, same bytes."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("sort", "uniq"):
        (tools / name).write_text("#!/bin/sh\necho 'BusyBox v1.36.1 multi-call binary.'\n")
        (tools / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    assert external_sort._system_tools() is None
    data = [*lines(), *lines()[:10]]
    written, repeated = sort_counted_into(iter(data), tmp_path / "graph.nt")
    assert (tmp_path / "graph.nt").read_text(encoding="utf-8") == "".join(
        f"{line}\n" for line in sorted(set(data)))
    assert written == len(set(data))
    assert repeated == {line: n for line, n in Counter(data).items() if n > 1}
