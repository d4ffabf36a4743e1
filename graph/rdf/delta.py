"""What changed between two canonical N-Triples files: the lines one has and the other lacks.

Both files are sorted and duplicate-free (:func:`graph.rdf.serialize.write_canonical`), so one
merge pass reads each once and holds only the difference: after adding one paper to a graph of
millions of lines, a few thousand. A file that is not in that order is refused, never diffed
wrongly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class TooLarge(Exception):
    """The difference has more lines than the caller will hold: rebuild instead."""


class Unsorted(Exception):
    """A file that should be canonical N-Triples is not sorted: it cannot be diffed by merging."""


@dataclass
class Difference:
    """The lines only the old file has, the lines only the new one has, and the new's count."""

    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    lines: int = 0  # of the new file

    def __len__(self) -> int:
        return len(self.removed) + len(self.added)


def _sorted_lines(path: Path | None) -> Iterator[str]:
    """The lines of ``path`` (none if it is None), checking they ascend strictly."""
    if path is None:
        return
    previous: str | None = None
    with path.open(encoding="utf-8", newline="\n") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if previous is not None and line <= previous:
                raise Unsorted(f"{path}: line {line[:80]!r} is out of order")
            previous = line
            yield line


def difference(old: Path | None, new: Path | None, limit: int) -> Difference:
    """The lines removed from ``old`` and added in ``new`` (None: an empty file).

    Raises :class:`TooLarge` as soon as the difference passes ``limit`` lines.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.nt").write_text("a\\nb\\nd\\n")
    >>> _ = (folder / "b.nt").write_text("b\\nc\\nd\\n")
    >>> d = difference(folder / "a.nt", folder / "b.nt", 10)
    >>> d.removed, d.added, d.lines
    (['a'], ['c'], 3)
    """
    result = Difference()
    olds, news = _sorted_lines(old), _sorted_lines(new)
    before, after = next(olds, None), next(news, None)
    while before is not None or after is not None:
        if after is None or (before is not None and before < after):
            result.removed.append(before)  # type: ignore[arg-type]
            before = next(olds, None)
        elif before is None or after < before:
            result.added.append(after)
            result.lines += 1
            after = next(news, None)
        else:
            result.lines += 1
            before, after = next(olds, None), next(news, None)
            continue
        if len(result) > limit:
            raise TooLarge(f"more than {limit} lines changed")
    return result
