"""Identity of works: one node per paper, however differently its citing documents print it."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from graph.citations import works
from graph.citations.works import journals_compatible, resolve, same_work
from graph.records import Bibliographic, Document, ParsedReference, Person, RawReference


def bib(family: str, year: int, title: str, journal: str, volume: str, page: str,
        end: str | None = None, **extra: object) -> Bibliographic:
    return Bibliographic(
        title=title, authors=(Person(family, "A"),), journal=journal, year=year,
        volume=volume, page_start=page, page_end=end, **extra,  # type: ignore[arg-type]
    )


BOHAN_1 = bib("Bohan", 1975, "Polymyositis and dermatomyositis (first of two parts)",
              "N Engl J Med", "292", "344", "347")
BOHAN_2 = bib("Bohan", 1975, "Polymyositis and dermatomyositis (second of two parts)",
              "N Engl J Med", "292", "403", "407")
GE_TACROLIMUS = bib("Ge", 2015, "The efficacy of tacrolimus in patients with refractory "
                    "dermatomyositis/polymyositis: a systematic review", "Clin Rheumatol",
                    "34", "2097", "2103")
GE_CYCLOPHOSPHAMIDE = bib("Ge", 2015, "Cyclophosphamide treatment for idiopathic inflammatory "
                          "myopathies and related interstitial lung disease: a systematic review",
                          "Clin Rheumatol", "34", "99", "105")
KURITA_AMA = bib("Kurita", 2015, "The efficacy of tacrolimus in patients with interstitial lung "
                 "diseases complicated with polymyositis or dermatomyositis", "Rheumatology",
                 "54", "1536")
KURITA_SPRINGER = bib("Kurita", 2015, "The efficacy of tacrolimus in patients with interstitial "
                      "lung diseases complicated with polymyositis or dermatomyositis",
                      "Rheumatology (Oxford)", "54", "39", "44")


def test_the_two_parts_of_bohan_and_peter_are_two_works() -> None:
    assert not same_work(BOHAN_1, BOHAN_2)


def test_one_authors_two_reviews_in_one_journal_and_year_are_two_works() -> None:
    assert not same_work(GE_TACROLIMUS, GE_CYCLOPHOSPHAMIDE)


def test_same_title_authors_journal_year_but_other_pages_is_one_work() -> None:
    assert same_work(KURITA_AMA, KURITA_SPRINGER)


def test_abbreviated_and_full_journal_names_match_word_by_word() -> None:
    assert journals_compatible("Clin Rheumatol", "Clinical Rheumatology")
    assert journals_compatible("Lancet Lond Engl", "Lancet")
    assert not journals_compatible("Arthritis Rheum", "Ann Intern Med")


def test_a_near_equal_title_with_the_same_pages_is_one_work() -> None:
    typo = bib("Oddis", 1999, "Tacrolimus in refractory polymyositis with interstitial lung dis.",
               "Lancet", "353", "1762", "1763")
    clean = bib("Oddis", 1999, "Tacrolimus in refractory polymyositis with interstitial lung "
                "disease", "Lancet Lond Engl", "353", "1762")
    assert same_work(typo, clean)


def test_different_dois_are_never_one_work_and_equal_dois_always_are() -> None:
    a = bib("Smith", 2020, "A title", "J", "1", "1", doi="10.1/a")
    b = bib("Smith", 2020, "A title", "J", "1", "1", doi="10.1/b")
    c = bib("Jones", 2019, "Another", "K", "2", "2", doi="10.1/a")
    assert not same_work(a, b)
    assert same_work(a, c)


def _ref(fields: Bibliographic, line: int) -> ParsedReference:
    raw = RawReference(text=f"ref at {line}", line=line)
    return ParsedReference(source=raw, fields=fields, style="vancouver")


def _doc(path: str, meta: Bibliographic) -> Document:
    return Document(path=path, sha256="0" * 64, layout="test", text="", meta=meta)


def test_resolution_merges_across_documents_and_records_page_disagreements() -> None:
    citing_a = _doc("a.txt", bib("Alpha", 2020, "Citing A", "J", "1", "1"))
    citing_b = _doc("b.txt", bib("Beta", 2021, "Citing B", "J", "2", "2"))
    resolution = resolve(
        [citing_a, citing_b],
        {"a.txt": [_ref(KURITA_AMA, 10), _ref(BOHAN_1, 11)],
         "b.txt": [_ref(KURITA_SPRINGER, 20), _ref(BOHAN_2, 21)]},
    )
    assert len(resolution.works) == 2 + 3  # two citing documents, Kurita once, Bohan twice
    [kurita] = resolution.merged
    assert kurita.key == "kurita-2015-54-1536"
    assert {d.field for d in kurita.disagreements} == {"page_start"}
    assert len(resolution.citations) == 4


def test_a_cited_work_that_is_a_corpus_document_is_that_documents_node() -> None:
    review = _doc("review.txt", GE_TACROLIMUS)
    cohort = _doc("cohort.txt", bib("Sharma", 2017, "Cohort", "J Rheumatol", "44", "1"))
    cited = bib("Ge", 2015, GE_TACROLIMUS.title or "", "Clinical Rheumatology", "34", "2097",
                "2103")
    resolution = resolve([review, cohort], {"cohort.txt": [_ref(cited, 5)]})
    [edge] = resolution.citations
    assert edge.cited.document is review
    assert edge.citing.document is cohort


def test_a_discrepancy_names_a_few_sources_per_value_and_counts_the_rest() -> None:
    """The comment is repeated on every row of the discrepancies query: it must stay short."""
    from rdflib.namespace import RDFS

    from graph.citations.triples import bibliography_triples

    docs = [_doc(f"d{i}.txt", bib(f"Author{i}", 2020, f"Citing {i}", "J", "1", str(i)))
            for i in range(7)]
    references = {d.path: [_ref(KURITA_AMA if i else KURITA_SPRINGER, 10)]
                  for i, d in enumerate(docs)}
    resolution = resolve(docs, references)
    comments = [str(o) for _s, p, o in bibliography_triples(resolution, {}) if p == RDFS.comment]
    assert comments == ["pageStart printed as '39' in d0.txt; "
                        "'1536' in d1.txt, d2.txt, d3.txt and 3 more"]


# --- identity without authors ------------------------------------------------------------------


def test_a_record_without_authors_is_the_work_of_its_title_year_and_journal() -> None:
    authorless = replace(GE_TACROLIMUS, authors=(), journal="Clinical Rheumatology")
    assert same_work(authorless, GE_TACROLIMUS)
    assert same_work(GE_TACROLIMUS, authorless)


def test_a_record_without_authors_needs_year_journal_volume_and_pages_to_agree() -> None:
    authorless = replace(GE_TACROLIMUS, authors=())
    assert not same_work(replace(authorless, year=2016), GE_TACROLIMUS)
    assert not same_work(replace(authorless, year=None), GE_TACROLIMUS)
    assert not same_work(replace(authorless, journal="Arthritis Rheum"), GE_TACROLIMUS)
    assert not same_work(replace(authorless, volume="35"), GE_TACROLIMUS)
    assert not same_work(replace(authorless, page_start="99"), GE_TACROLIMUS)
    assert not same_work(replace(authorless, title="Another title altogether"), GE_TACROLIMUS)


def test_resolution_merges_an_authorless_page_into_the_work_cited_under_its_authors() -> None:
    page = Document("page.txt", "", "plain-article", "", replace(GE_TACROLIMUS, authors=()))
    citing = Document("citing.txt", "", "plain-article", "", BOHAN_1)
    ref = ParsedReference(RawReference("Ge A. The efficacy ...", 1), GE_TACROLIMUS, "vancouver")
    resolution = resolve([page, citing], {"citing.txt": [ref]})
    ge = [w for w in resolution.works if w.document is page]
    assert len(ge) == 1 and len(ge[0].mentions) == 2
    assert ge[0].key == "ge-2015-34-2097"  # the IRI the corpus already gave it


def test_equal_pmcids_are_one_work_and_different_ones_never_are() -> None:
    a = Bibliographic(title="One title", pmcid="PMC123456")
    assert same_work(a, Bibliographic(title="Another title", pmcid="pmc123456"))
    assert not same_work(a, Bibliographic(title="One title", pmcid="PMC999999"))


def test_comparing_only_the_pairs_same_work_may_accept_clusters_as_comparing_every_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A block's records printing identifiers are compared only with those that may be the
    same work (issue 26: the pairs of a block grew with the square of the corpus); the clusters
    are those of comparing every pair of the block in order, merges refused included."""
    rng = random.Random(7)

    def record(n: int) -> Bibliographic:
        ids = {kind: rng.choice([None, f"{kind}-1", f"{kind}-2", f"{kind}-3"])
               for kind in ("doi", "pmid", "pmcid")}
        return bib(rng.choice(["Ge", "Kurita", ""]), rng.choice([2015, 2016]),
                   rng.choice(["Tacrolimus in ILD", "Tacrolimus in ILD.", "Rituximab"]),
                   "Rheumatology", rng.choice(["54", "55"]), rng.choice(["1", "39"]),
                   **{k: v for k, v in ids.items() if v})

    mentions = [works.Mention(replace(record(n), year=None) if n % 9 == 0 else record(n))
                for n in range(400)]
    clusters = works._cluster(mentions)

    class EveryPair(works._Comparable):
        def after(self, fields: Bibliographic, start: int) -> range:
            return range(start, self.size)

    monkeypatch.setattr(works, "_Comparable", EveryPair)
    assert works._cluster(mentions) == clusters
    assert 1 < len(clusters) < len(mentions)
