"""A build resolves again only the groups of mentions a changed document reaches, and its works
are those of resolving every mention from scratch: after a document that merges two works, one
that enriches a work, the removal that splits a group again, and any random run of changes; and
the works and their IRIs do not depend on the order the documents come in
(graph/citations/groups.py)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from graph.citations.groups import Kept, Outcome, resolve_kept
from graph.citations.triples import work_iri
from graph.citations.works import Mention, Resolution, printed_forms, resolve
from graph.records import Bibliographic, Document, ParsedReference, Person, RawReference

References = dict[str, Sequence[ParsedReference]]


def _doc(path: str, meta: Bibliographic) -> Document:
    return Document(path=path, sha256="0" * 64, layout="test", text="", meta=meta)


def _ref(fields: Bibliographic, line: int) -> ParsedReference:
    return ParsedReference(RawReference(text=f"ref at {line}", line=line), fields, "vancouver")


def _id(mention: Mention) -> tuple[str, int]:
    assert mention.citing is not None or mention.document is not None
    return (mention.citing or mention.document.path), mention.position  # type: ignore[union-attr]


def _described(resolution: Resolution) -> object:
    """Everything a resolution says, mentions named by where they are printed."""
    return (
        [(str(work_iri(w)), w.fields, [_id(m) for m in w.mentions],
          [(d.field, [(v, [_id(m) for m in ms]) for v, ms in d.values])
           for d in w.disagreements]) for w in resolution.works],
        [(c.citing.key, c.cited.key, _id(c.mention), c.reports_on) for c in resolution.citations],
        resolution.reference_count,
    )


def _again(documents: list[Document], references: References, last: Kept | None) -> Outcome:
    """An incremental resolution, each document signed by what it holds."""
    signatures = {d.path: repr((d, references.get(d.path))) for d in documents}
    return resolve_kept(documents, references, {}, signatures, "context", last)


def _check(documents: list[Document], references: References, last: Kept | None) -> Outcome:
    """Resolving again from ``last`` gives the resolution from scratch, and the report's part."""
    outcome = _again(documents, references, last)
    whole = resolve(documents, references)
    assert _described(outcome.resolution) == _described(whole)
    # the report's merged works: each one's printed forms, kept with its group
    assert outcome.forms == {w.key: printed_forms(w.mentions) for w in whole.merged}
    return outcome


SMITH = Bibliographic(title="Tacrolimus for interstitial lung disease in dermatomyositis",
                      authors=(Person("Smith", "J"),), journal="Rheumatology", year=2018,
                      volume="57", page_start="100")
SMITH_DOI = Bibliographic(doi="10.1093/rheumatology/kex100")  # cited by its DOI alone


def test_a_document_that_merges_two_works_and_its_removal_that_splits_them_again() -> None:
    citing = [_doc(f"c{i}.txt", Bibliographic(title=f"Citing {i}", authors=(Person(f"A{i}"),),
                                              year=2020)) for i in range(3)]
    references: References = {"c0.txt": [_ref(SMITH, 1)], "c1.txt": [_ref(SMITH_DOI, 1)],
                              "c2.txt": [_ref(replace(SMITH, title="Another paper",
                                                      page_start="200"), 1)]}
    first = _check(citing, references, None)
    assert len(first.resolution.works) == 3 + 3  # Smith by locator and by DOI are two works
    # the paper's own record prints both its locator and its DOI: the two works become one,
    # enriched by the record's fields (one group clustered again, the citing documents' taken
    # back)
    record = _doc("smith.ris", replace(SMITH, doi=SMITH_DOI.doi, issue="3"))
    added = _check([*citing, record], references, first.kept)
    [smith] = [w for w in added.resolution.works if w.document is not None
               and w.document.path == "smith.ris"]
    assert len(smith.mentions) == 3 and smith.fields.issue == "3"
    assert smith.key == "smith-2018-57-100"  # the IRI the citations gave it
    assert len(added.resolution.works) == 3 + 2
    assert (added.made, added.reused) == (1, 3)
    removed = _check(citing, references, added.kept)
    assert _described(removed.resolution) == _described(first.resolution)
    assert removed.made == 2  # the group the record joined splits in two again


def test_a_refused_merge_depends_on_the_group_not_on_the_documents_around_it() -> None:
    """Two DOIs for one locator: which mention the locator-only citation joins depends on the
    order the merges are tried, the same in a group clustered alone as among all mentions."""
    other = replace(SMITH, doi="10.1/other")
    documents = [_doc(f"d{i}.txt", Bibliographic(title=f"D {i}", authors=(Person(f"B{i}"),)))
                 for i in range(4)]
    references: References = {"d0.txt": [_ref(replace(SMITH, doi=SMITH_DOI.doi), 1)],
                              "d1.txt": [_ref(SMITH, 1)], "d2.txt": [_ref(other, 1)],
                              "d3.txt": [_ref(SMITH, 1), _ref(other, 2)]}
    first = _check(documents[:3], {k: references[k] for k in ("d0.txt", "d1.txt", "d2.txt")},
                   None)
    assert len([w for w in first.resolution.works if w.fields.doi]) == 2  # never one work
    _check(documents, references, first.kept)


def test_kept_groups_under_another_context_or_not_fitting_are_resolved_from_scratch() -> None:
    documents = [_doc("a.txt", SMITH), _doc("b.txt", replace(SMITH, authors=(Person("B"),)))]
    references: References = {"b.txt": [_ref(SMITH_DOI, 1)]}
    other = resolve_kept(documents, references, {}, {d.path: "" for d in documents}, "another",
                         _again(documents, references, None).kept)
    assert other.reused == 0
    # a signature that lies (the same, though the references changed) is caught
    kept = _again(documents, references, None).kept
    lying = resolve_kept(documents, {"b.txt": []}, {}, kept.signatures, "context", kept)
    assert lying.reused == 0
    assert _described(lying.resolution) == _described(resolve(documents, {"b.txt": []}))


def _random_fields(rng: random.Random) -> Bibliographic:
    """A record from a small world of colliding families, years, titles, pages and DOIs (now
    and then no authors, no year, no title)."""
    family = rng.choice(["Ito", "Sato", "Li", "Kim", "Roy", "Diaz", "Berg", "Moss", ""])
    title = rng.choice(["Lung disease in myositis", "Lung disease in myositis.",
                        "Tacrolimus in myositis", "Rituximab for lung disease", None])
    return Bibliographic(
        title=title, authors=(Person(family, "A"),) if family else (),
        journal=rng.choice(["Rheumatology", "Rheumatology (Oxford)", "Lancet", None]),
        year=rng.choice([2018, 2019, 2020, 2021, 2022, None]) if family else 2019,
        volume=rng.choice(["1", "2", None]), page_start=rng.choice(["10", "20", None]),
        doi=rng.choice([None, None, None, "10.1/a", "10.1/b", "10.1/c"]),
        pmid=rng.choice([None] * 5 + ["11", "12"]))


def test_any_run_of_additions_changes_and_removals_resolves_as_from_scratch() -> None:
    rng = random.Random(26)
    documents: dict[str, Document] = {}
    references: References = {}
    last: Kept | None = None
    reused = made = 0
    for _ in range(60):
        path = f"doc{rng.randrange(25):02}.txt"
        if path in documents and rng.random() < 0.3:
            del documents[path]
            references.pop(path, None)
        else:
            documents[path] = _doc(path, _random_fields(rng))
            references[path] = [_ref(_random_fields(rng), n) for n in range(rng.randrange(5))]
        listed = list(documents.values())
        rng.shuffle(listed)  # the order documents come in is no part of the resolution
        outcome = _check(listed, references, last)
        last, reused, made = outcome.kept, reused + outcome.reused, made + outcome.made
        # the groups kept, with their index, are those kept by resolving from scratch
        assert last.described() == _again(listed, references, None).kept.described()
    assert reused and made  # the run both took groups back and clustered some again


def test_the_kept_file_is_changed_in_a_copy_and_a_damaged_one_is_resolved_from_scratch(
        tmp_path: Path) -> None:
    documents = [_doc("a.txt", SMITH), _doc("b.txt", replace(SMITH, authors=(Person("B"),)))]
    references: References = {"b.txt": [_ref(SMITH_DOI, 1)]}
    first = tmp_path / "first.sqlite"
    _again(documents, references, Kept(first, "context")).kept.close()
    before = first.read_bytes()
    record = _doc("smith.ris", replace(SMITH, doi=SMITH_DOI.doi))
    added = _check([*documents, record], references, Kept.reopened(first, tmp_path / "added"))
    assert (added.reused, added.made) == (1, 1)
    assert first.read_bytes() == before  # the last build's file is never written
    # read without keeping (a cache with nowhere to write): changed in memory
    in_memory = _check([*documents, record], references, Kept.reopened(first, None))
    assert (in_memory.reused, in_memory.made) == (1, 1) and first.read_bytes() == before
    # a damaged group: everything is clustered again
    damaged = Kept.reopened(first, tmp_path / "damaged")
    assert damaged is not None
    damaged.db.execute("UPDATE groups SET works = x'00'")
    assert _check([*documents, record], references, damaged).reused == 0
    # no file, or one that is no database: nothing to take back
    (tmp_path / "garbage").write_bytes(b"not a database")
    assert Kept.reopened(tmp_path / "garbage", tmp_path / "copy") is None
    assert Kept.reopened(tmp_path / "missing", tmp_path / "copy") is None


def test_the_works_and_their_iris_do_not_depend_on_the_order_of_the_documents() -> None:
    rng = random.Random(7)
    documents = [_doc(f"doc{n:02}.txt", _random_fields(rng)) for n in range(30)]
    references: References = {d.path: [_ref(_random_fields(rng), n) for n in range(4)]
                              for d in documents}
    expected = _described(resolve(documents, references))
    for _ in range(5):
        rng.shuffle(documents)
        assert _described(resolve(documents, references)) == expected
