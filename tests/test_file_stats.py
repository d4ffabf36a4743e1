"""A build takes back the digest of a corpus file whose stat is unchanged and settled, and reads
every other file again: the keys it gives are those of hashing every file (issue 26)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.build import file_stats
from graph.build.cache import DIGESTS, Cache, CorpusCache
from graph.build.file_stats import STATS
from tests.checkout import documents_only


def _read(corpus: Path, old: Path | None, new: Path | None) -> tuple[dict[str, str], dict]:
    """The corpus files' keys as a build into ``new`` from the cache ``old`` finds them, and
    how many digests it took back and how many files it hashed."""
    kept = CorpusCache(Cache(old, new), strict=False)
    kept.read(corpus / "documents", corpus)
    kept.keep_stats()
    return kept.file_keys, kept.summary()[DIGESTS]


def _hashing_every_file(corpus: Path) -> dict[str, str]:
    return _read(corpus, None, None)[0]


def _same_size_edit(path: Path) -> None:
    """``path`` edited in place: its size, modification time and inode kept."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[0] = ord("X") if data[0] != ord("X") else ord("Y")
    with path.open("r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return documents_only(tmp_path)


def test_a_settled_file_is_not_read_again_and_an_edit_keeping_its_size_and_time_is_seen(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_stats, "SETTLED", 0)  # every file written before the build looked
    first, counts = _read(corpus, None, tmp_path / "c1")
    assert counts == {"reused": 0, "made": 3}
    again, counts = _read(corpus, tmp_path / "c1", tmp_path / "c2")
    assert counts == {"reused": 3, "made": 0}
    assert again == first == _hashing_every_file(corpus)

    edited = sorted((corpus / "documents").iterdir())[1]
    _same_size_edit(edited)  # its change time moves: the stat differs, the file is read
    changed, counts = _read(corpus, tmp_path / "c2", tmp_path / "c3")
    assert counts == {"reused": 2, "made": 1}
    assert changed == _hashing_every_file(corpus)
    assert [name for name in changed if changed[name] != again[name]] == [
        edited.relative_to(corpus).as_posix()]

    (tmp_path / "c3" / STATS).write_bytes(b"not a pickle")  # damaged: every file hashed
    assert _read(corpus, tmp_path / "c3", tmp_path / "c4") == (changed, {"reused": 0, "made": 3})


def test_a_file_changed_within_the_settling_time_of_the_last_build_is_read_again(
    corpus: Path, tmp_path: Path
) -> None:
    _read(corpus, None, tmp_path / "c1")
    edited = sorted((corpus / "documents").iterdir())[0]
    _same_size_edit(edited)  # within the same second as the build's index
    keys, counts = _read(corpus, tmp_path / "c1", tmp_path / "c2")
    assert counts == {"reused": 0, "made": 3}  # written just now: no stat is trusted yet
    assert keys == _hashing_every_file(corpus)
