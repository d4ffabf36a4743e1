"""A build from the per-file cache is the build from scratch, byte for byte, after ``add`` and
after ``remove``; and ``add`` reads only the file it adds.

One corpus copy goes through: a build, ``add`` of a RIS reading list (whose records enrich works
the corpus cites; Turtle and JSON-LD left pending, then made), and ``remove`` of it (Turtle and
JSON-LD changed by the runs of subjects it touches). Each state
is compared with a build of the same corpus into a fresh folder, which has no cache: every file
the build writes (graph, Turtle, JSON-LD, exports, catalogue description, views) and the report
but its timings and cache counts. The cache counts say what was made again: only the units
(documents, works) an add or remove changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.build.add import add
from graph.build.pending import make_pending
from graph.build.pipeline import RESOLVED, build
from graph.build.remove import remove
from graph.cache_keys import FOLDER as CACHE
from graph.settings import Paths
from graph.views._shared import KEPT
from tests.checkout import CHECKOUT

FIXTURES = CHECKOUT / "tests" / "fixtures" / "new_literature"
READING_LIST = FIXTURES / "myositis-ild-reading-list.ris"
UNCOMPARED = {"build-report.json", "store", CACHE}  # the report is compared below, in part
VARYING = {"stages", "cache", "outputs"}  # timings, cache counts, and the folder's own paths


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file of a build folder but the store (RocksDB's files differ run to run) and cache."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] not in UNCOMPARED}


def _report(out: Path) -> dict[str, object]:
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return {k: v for k, v in report.items() if k not in VARYING}


def _from_scratch(paths: Paths, root: Path) -> Path:
    fresh = Paths(corpus=paths.corpus, ontology=paths.ontology, out=root / "fresh")
    shutil.rmtree(fresh.out, ignore_errors=True)
    build(fresh)
    return fresh.out


@pytest.fixture()
def paths(tmp_path: Path) -> Paths:
    shutil.copytree(CHECKOUT / "corpus", tmp_path / "corpus")
    return Paths(corpus=tmp_path / "corpus", ontology=CHECKOUT / "ontology",
                 out=tmp_path / "build")


def test_add_and_remove_from_the_cache_give_the_builds_from_scratch(
    paths: Paths, tmp_path: Path
) -> None:
    first = build(paths)
    assert first.cache["records"] == {"reused": 0, "made": 5}
    before = _outputs(paths.out)

    # Turtle and JSON-LD left for later: absent, not stale, until they are made
    added = add([READING_LIST], paths, serialisations=False)
    assert added.build is not None and added.build.pending == ["turtle", "jsonld", "context"]
    assert not (paths.out / "graph.ttl").exists() and not (paths.out / "graph.jsonld").exists()
    assert "graph.ttl" not in (paths.out / "void.ttl").read_text(encoding="utf-8")
    assert make_pending(paths.out) == ["turtle", "jsonld", "context"]
    assert make_pending(paths.out) == []
    assert added.added == ["documents/myositis-ild-reading-list.ris"]
    assert added.enriched  # the records bring facts the citing strings did not print
    assert added.build is not None
    # the five corpus files come from the cache; only the new one is read
    assert added.build.cache["records"] == {"reused": 5, "made": 1}
    assert added.build.cache["references"]["made"] == 1
    assert added.build.cache["curations"] == {"reused": 5, "made": 0}
    # the store is the last build's, changed by the difference of the two graph.nt files
    assert added.build.cache["store"] == {"reused": 1, "made": 0}
    # the works are clustered again only in the groups of mentions the reading list reaches
    # (graph/citations/groups.py); the others are the last build's
    assert 0 < added.build.cache["work groups"]["made"] < added.build.cache["work groups"][
        "reused"]
    # triples are made only for the changed units: the six records of the reading list (the
    # five corpus files' blocks are read back: an enrichment keeps the works' IRIs), and the
    # works it adds or enriches
    assert added.build.cache["document triples"] == {"reused": 5, "made": 6}
    # each study's block (the abbreviations its documents spell out two ways: FVC in the Sharma
    # cohort's article and news summary) is read back: the reading list is in none of them
    assert added.build.cache["study triples"]["reused"] == first.cache["study triples"]["made"]
    assert added.build.cache["work triples"]["made"] == len(added.new_works) + len(added.enriched)
    # and graph.nt is the last one changed by those blocks, not sorted from all of them
    assert added.build.cache["graph.nt"] == {"reused": 1, "made": 0}
    # most SHACL checks ran on the nodes the change concerns, not over the whole graph
    assert added.build.cache["shacl"]["reused"] > added.build.cache["shacl"]["made"]
    # the KGX files are the last build's, patched where the change reaches (the GraphML is
    # written whole: the reading list brings the first PMIDs, a new attribute shifts its keys;
    # tests/test_export_patch.py patches it)
    assert added.build.cache["exports"] == {"reused": 2, "made": 1}
    # the rows the views read whole are the last build's, patched where the change reaches
    # (graph.build.view_rows; every query of them): the pages equal those drawn from scratch
    assert added.build.cache["views"] == {"reused": len(KEPT), "made": 0}
    fresh = _from_scratch(paths, tmp_path)
    assert _outputs(paths.out) == _outputs(fresh)
    assert _report(paths.out) == _report(fresh)
    assert _outputs(paths.out) != before

    removed = remove(["myositis-ild-reading-list.ris"], paths)
    assert [o.status for o in removed.outcomes] == ["removed"]
    assert removed.build is not None and removed.build.cache["records"]["made"] == 0
    assert removed.build.cache["store"] == {"reused": 1, "made": 0}
    assert 0 < removed.build.cache["work groups"]["made"] < removed.build.cache[
        "work groups"]["reused"]
    # the works the reading list enriched are made again, as the first build had them
    assert removed.build.cache["document triples"] == {"reused": 5, "made": 0}
    assert removed.build.cache["study triples"] == {
        "reused": first.cache["study triples"]["made"], "made": 0}
    # an empty block is taken back from the index, with no cache entry carried: of the four
    # studies only the Sharma cohort's (its FVC) keeps one
    assert len(list((paths.out / CACHE / "study triples").iterdir())) == 1
    assert removed.build.cache["work triples"]["made"] == len(added.enriched)
    assert removed.build.cache["graph.nt"] == {"reused": 1, "made": 0}
    assert removed.build.cache["shacl"]["reused"] > removed.build.cache["shacl"]["made"]
    assert removed.build.cache["exports"] == {"reused": 2, "made": 1}
    assert removed.build.cache["views"] == {"reused": len(KEPT), "made": 0}
    # Turtle and JSON-LD: the runs of subjects the change touches written again, the rest
    # copied from the files the pending step wrote
    assert removed.build.cache["serialisations"] == {"reused": 1, "made": 0}
    assert _outputs(paths.out) == before
    assert _report(paths.out) == _report(_from_scratch(paths, tmp_path))


def test_a_changed_file_or_ontology_is_made_again_and_a_lost_or_damaged_entry_is_not_trusted(
    paths: Paths, tmp_path: Path
) -> None:
    quick = {"views": False, "check_shapes": False}
    build(paths, **quick)
    graph = (paths.out / "graph.nt").read_bytes()
    # blocks of the last build gone: graph.nt cannot be changed by them, so it is sorted from
    # every block made again, the same bytes, and the report says why
    for entry in (paths.out / CACHE / "work triples").iterdir():
        entry.unlink()
    (paths.out / CACHE / RESOLVED).unlink()  # and the works by groups: all clustered again
    again = build(paths, **quick)
    assert again.cache["graph.nt"] == {"reused": 0, "made": 1}
    assert again.cache["work groups"]["reused"] == 0
    assert [w for w in again.warnings if w.startswith("graph.nt sorted from every block")]
    assert (paths.out / "graph.nt").read_bytes() == graph

    document = sorted(paths.documents.iterdir())[0]
    document.write_text(document.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(paths, **quick).cache["records"] == {"reused": 4, "made": 1}

    for entry in (paths.out / CACHE / "records").iterdir():
        entry.write_bytes(b"not a pickle")
    assert build(paths, **quick).cache["records"] == {"reused": 0, "made": 5}

    shutil.copytree(paths.ontology, tmp_path / "ontology")
    with (tmp_path / "ontology" / "maild.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n# a change to the ontology\n")
    changed = build(Paths(corpus=paths.corpus, ontology=tmp_path / "ontology", out=paths.out),
                    **quick).cache
    assert changed["records"] == {"reused": 5, "made": 0}
    assert changed["mined"]["reused"] == changed["curations"]["reused"] == 0
    assert changed["work groups"]["reused"] == 0  # kept under another ontology: not used


def test_a_changed_curation_makes_its_document_and_work_again_and_equals_a_build_from_scratch(
    paths: Paths, tmp_path: Path
) -> None:
    quick = {"views": False, "check_shapes": False}
    build(paths, **quick)
    record = paths.corpus / "curation" / "rigby-2014-case-series-pubmed-page.yaml"
    text = record.read_text(encoding="utf-8")
    assert "design: case-series" in text
    record.write_text(text.replace("design: case-series", "design: case-report", 1),
                      encoding="utf-8")
    changed = build(paths, **quick)
    # the curated document's block (its curation) and its work's (its design and grade)
    assert changed.cache["document triples"] == {"reused": 4, "made": 1}
    assert changed.cache["work triples"]["made"] == 1
    assert changed.cache["study triples"]["made"] == 1  # its study's (its mining's key moved)
    assert changed.cache["graph.nt"] == {"reused": 1, "made": 0}
    assert changed.cache["serialisations"] == {"reused": 1, "made": 0}
    fresh = Paths(corpus=paths.corpus, ontology=paths.ontology, out=tmp_path / "fresh")
    build(fresh, **quick)
    for name in ("graph.nt", "graph.ttl", "graph.jsonld", "context.jsonld"):
        assert (paths.out / name).read_bytes() == (fresh.out / name).read_bytes(), name
