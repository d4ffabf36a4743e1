"""A build keeps the last build's per-file entries unread and unpickles one when a document of it
is first asked for; what it needs of every document (the report's counts) comes from an index
kept beside the entries. Read back lazily, everything equals what making it again gives, and a
missing or damaged entry or index is made again, never trusted (issue 26)."""

from __future__ import annotations

import gc
import shutil
import sys
import types
from pathlib import Path

import pytest

from graph.build import pipeline
from graph.build.blocks import write_graph
from graph.build.cache import CURATED, Cache, CorpusCache
from graph.build.pipeline import CONTRIBUTIONS, build, write_records
from graph.cache_keys import FOLDER
from graph.records import Document
from graph.settings import Paths
from tests.checkout import CHECKOUT, documents_only

KIND = "lengths"
INDEX = f"{KIND} summaries.pickle"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return documents_only(tmp_path)


def _lengths(corpus: Path, old: Path | None, new: Path | None, made: list[str]
             ) -> tuple[CorpusCache, list[Document], object]:
    """Each document's references' lines, per file through the cache ``old`` -> ``new``, with
    their number as the summary; the files made are added to ``made``."""
    kept = CorpusCache(Cache(old, new), strict=False)
    documents = kept.read(corpus / "documents", corpus)

    def make(group: list[Document]) -> dict[str, tuple[int, ...]]:
        made.append(group[0].path.partition("#")[0])
        return {d.path: tuple(r.line for r in d.references) for d in group}

    return kept, documents, kept.per_file(KIND, documents, "", make, summary=len)


def test_entries_read_back_when_asked_for_equal_those_made_and_the_index_stands_for_them(
    corpus: Path, tmp_path: Path
) -> None:
    made: list[str] = []
    _, documents, first = _lengths(corpus, None, tmp_path / "c1", made)
    assert len(made) == 3
    whole = dict(first.items())  # type: ignore[attr-defined]
    assert first.summaries == {p: len(v) for p, v in whole.items()}  # type: ignore[attr-defined]

    made.clear()
    kept, _, again = _lengths(corpus, tmp_path / "c1", tmp_path / "c2", made)
    assert made == [] and kept.summary()[KIND] == {"reused": 3, "made": 0}
    assert again.summaries == first.summaries  # type: ignore[attr-defined]
    assert dict(again.items()) == whole  # type: ignore[attr-defined]
    # every entry is kept in the new cache, though none had to be read for the summaries
    assert len(list((tmp_path / "c2" / KIND).iterdir())) == 3

    # an entry damaged after the build kept it is made again when asked for, not before
    for entry in (tmp_path / "c2" / KIND).iterdir():
        entry.unlink()
        entry.write_bytes(b"not a pickle")
    made.clear()
    kept, _, damaged = _lengths(corpus, tmp_path / "c2", tmp_path / "c3", made)
    assert made == [] and damaged.summaries == first.summaries  # type: ignore[attr-defined]
    some = documents[0].path
    assert damaged[some] == whole[some]  # type: ignore[index]
    assert len(made) == 1 and kept.summary()[KIND] == {"reused": 2, "made": 1}
    assert dict(damaged.items()) == whole  # type: ignore[attr-defined]
    assert sorted(made) == sorted(set(made)) and len(made) == 3


@pytest.mark.parametrize("index", [None, b"not a pickle", b"\x80\x05}\x94."])  # gone, damaged, {}
def test_a_missing_or_damaged_index_gives_the_summaries_from_the_entries(
    corpus: Path, tmp_path: Path, index: bytes | None
) -> None:
    _, _, first = _lengths(corpus, None, tmp_path / "c1", [])
    if index is None:
        (tmp_path / "c1" / INDEX).unlink()
    else:
        (tmp_path / "c1" / INDEX).write_bytes(index)
    made: list[str] = []
    _, _, again = _lengths(corpus, tmp_path / "c1", tmp_path / "c2", made)
    assert made == [] and again.summaries == first.summaries  # type: ignore[attr-defined]
    # and the index is whole again for the next build
    _, _, third = _lengths(corpus, tmp_path / "c2", tmp_path / "c3", made)
    assert third.summaries == first.summaries  # type: ignore[attr-defined]


def _records(paths: Paths, staging: Path) -> tuple[bytes, dict[str, object]]:
    """``graph.nt`` and the report (but its cache counts) of the records' stages of a build
    into ``staging`` from the build in ``paths.out``, in this process."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    report, _, _ = write_records(paths, staging / "graph.nt", False, False, None,
                                 Cache(paths.out / FOLDER, staging / FOLDER))
    told = {k: v for k, v in report.__dict__.items() if k != "cache"}
    return (staging / "graph.nt").read_bytes(), told


def test_a_build_with_nothing_changed_reads_no_record_and_without_the_indexes_reads_them_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CHECKOUT / "corpus", tmp_path / "corpus")
    paths = Paths(corpus=tmp_path / "corpus", ontology=CHECKOUT / "ontology",
                  out=tmp_path / "build")
    build(paths, views=False, check_shapes=False, serialisations=False)
    graph = (paths.out / "graph.nt").read_bytes()
    assert b"PooledEstimate" in graph  # the corpus pools: the contributions are compared
    read: list[str] = []
    original = Cache.read

    def spy(self: Cache, kind: str, key: str) -> tuple[bool, object]:
        read.append(kind)
        return original(self, kind, key)

    monkeypatch.setattr(Cache, "read", spy)
    kept, told = _records(paths, tmp_path / "again")
    assert kept == graph
    # every block is the last build's: no mining, context or design is unpickled, and of the
    # five curation records only the two the report comparison reads (the corpus's news
    # summary and the article of the study it reports on)
    assert not {"mined", "contexts", "designs"} & set(read)
    assert read.count("curations") == 2

    # the indexes lost (or made by other code): what they held is taken from the entries
    cache = paths.out / FOLDER
    lost = [CURATED, CONTRIBUTIONS, *(f"{kind} summaries.pickle"
                                      for kind in ("mined", "contexts", "references", "designs"))]
    for name in lost:
        (cache / name).unlink()
    read.clear()
    again, told_again = _records(paths, tmp_path / "without")
    assert again == graph and told_again == told
    assert {"mined", "contexts", "designs"} <= set(read)  # read for their summaries
    assert all((tmp_path / "without" / FOLDER / name).is_file() for name in lost)


def _texts_held(*roots: object) -> list[Document]:
    """The documents with their text that ``roots`` reach (through containers, objects and
    closures; not through modules, classes or a function's globals, which other tests share)."""
    seen: set[int] = set()
    stack, found = list(roots), []
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (types.ModuleType, type)):
            continue
        seen.add(id(item))
        if type(item) is Document and item.text:
            found.append(item)
        if isinstance(item, types.FunctionType):
            stack += [cell.cell_contents for cell in item.__closure__ or ()]
            stack += list(item.__defaults__ or ())
        else:
            stack += gc.get_referents(item)
    return found


def test_once_mined_no_text_is_held_and_a_damaged_entry_reads_its_file_again(
    corpus: Path, tmp_path: Path
) -> None:
    def first_words(group: list[Document]) -> dict[str, str]:  # made from the texts
        return {d.path: d.text[:40] for d in group}

    kept = CorpusCache(Cache(None, tmp_path / "c1"), strict=False)
    whole = dict(kept.per_file(KIND, kept.read(corpus / "documents", corpus), "", first_words))
    for entry in (tmp_path / "c1" / KIND).iterdir():
        entry.write_bytes(b"not a pickle")  # damaged after the build kept it

    kept = CorpusCache(Cache(tmp_path / "c1", tmp_path / "c2"), strict=False)
    documents = kept.read(corpus / "documents", corpus)
    results = kept.per_file(KIND, documents, "", first_words)  # kept unread
    assert _texts_held(kept, results)  # held to make a damaged entry again
    lighter = kept.let_texts_go(documents, corpus)
    assert [d.path for d in lighter] == [d.path for d in documents]
    assert all(d.text == "" and d.characters > 0 for d in lighter)
    assert _texts_held(kept, results, lighter) == []
    assert dict(results) == whole  # each damaged entry made again from its file, read again


def test_the_records_stages_hold_no_document_text_once_it_is_mined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts were half the memory of the records; every one is let go before the works are
    resolved, however the cache's entries and the curation records are kept to be read."""
    held: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        records = sys._getframe(1).f_locals  # write_records's, as the triples are written
        held.append(len(_texts_held(*records.values())))
        return write_graph(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_graph", counted)
    paths = Paths(corpus=CHECKOUT / "corpus", out=tmp_path / "out")
    paths.out.mkdir()
    write_records(paths, tmp_path / "graph.nt", False, False,
                  cache=Cache(None, tmp_path / "cache"))
    assert held == [0]
