"""The evidence layer of the built graph: findings, their provenance, discrepancies and levels.

The graph is built once for the module and queried through the Oxigraph store with SPARQL, the
way a user of the graph would ask.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from graph.build.pipeline import BuildReport, build
from graph.evidence.discrepancies import match
from graph.evidence.findings import Finding, Intervention, Result
from graph.evidence.numbers import parse_p_value, parse_timepoint
from graph.rdf.store import open_store
from graph.settings import Paths
from graph.vocabulary.namespaces import MAILD
from tests.checkout import CHECKOUT

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
W = "https://w3id.org/ma-ild/work/"
F = "https://w3id.org/ma-ild/finding/"
COHORT = W + "doi/10.3899/jrheum.161217"
NEWS = W + "anon-nd-tacrolimus-decreases-glucocorticoid-use-in-refractory"
REVIEW = W + "ge-2015-34-2097"
SERIES = W + "rigby-2014-2-70"
CASE = W + "ahn-nd-a-case-of-resistant-polymyositis-that"
DOCUMENTS = (
    "documents/ahn-polymyositis-tacrolimus-case-report-journal-page.txt",
    "documents/ge-2015-systematic-review-springer-page.txt",
    "documents/rigby-2014-case-series-pubmed-page.txt",
    "documents/sharma-2017-cohort-article-markdown.txt",
    "documents/sharma-2017-cohort-news-summary.txt",
)
PREFIXES = """
PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX vocab: <https://w3id.org/ma-ild/vocab/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, ox.Store]:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("e") / "build")
    report = build(paths)
    return report, open_store(paths.out / "store")


@pytest.fixture(scope="module")
def store(built: tuple[BuildReport, ox.Store]) -> ox.Store:
    return built[1]


def select(store: ox.Store, query: str) -> list[tuple[str | None, ...]]:
    return [tuple(None if t is None else t.value for t in row)
            for row in store.query(PREFIXES + query)]


def short(iri: str) -> str:
    """A finding IRI as document/finding, e.g. ``sharma-2017-cohort-news-summary/x``."""
    return iri.removeprefix(F)


# ------------------------------------------------------------------ 1. the "done when"

TACROLIMUS_OUTCOMES = """
SELECT ?finding ?document ?study ?reportedIn ?responders ?total ?percent ?change ?p ?relation
       ?population ?size ?timepoint ?design ?level
       (GROUP_CONCAT(?exact; separator=" || ") AS ?quotes)
WHERE {
  ?finding a maild:Finding ;
      maild:findingKind "outcome" ;
      maild:drug <https://w3id.org/ma-ild/vocab/tacrolimus> ;
      maild:study ?study ;
      maild:reportedIn ?reportedIn ;
      maild:population ?group ;
      maild:quote/oa:hasSelector/oa:exact ?exact .
  ?reportedIn frbr:embodiment/dcterms:identifier ?document .
  ?group rdfs:label ?population .
  ?study maild:studyDesign ?d .
  ?d skos:prefLabel ?design ; maild:evidenceLevel ?level .
  OPTIONAL { ?group maild:size ?size }
  OPTIONAL { ?finding maild:responders ?responders }
  OPTIONAL { ?finding maild:total ?total }
  OPTIONAL { ?finding maild:percent ?percent }
  OPTIONAL { ?finding maild:percentChange ?change }
  OPTIONAL { ?finding maild:pValue ?p ; maild:pValueRelation ?relation }
  OPTIONAL { ?finding maild:timepoint ?timepoint }
}
GROUP BY ?finding ?document ?study ?reportedIn ?responders ?total ?percent ?change ?p ?relation
         ?population ?size ?timepoint ?design ?level
"""

TACROLIMUS_18 = ("patients who failed conventional treatment, received adjunctive tacrolimus and "
                 "had sufficient data for analysis")
NEWS_18 = ("did not respond to conventional treatment, received adjunctive tacrolimus and met "
           "the inclusion criteria for the final analysis")


@pytest.fixture(scope="module")
def tacrolimus(store: ox.Store) -> dict[str, tuple[str | None, ...]]:
    """The rows of the one query, by short finding id; quotes as a sorted tuple."""
    rows = {}
    for row in select(store, TACROLIMUS_OUTCOMES):
        quotes = tuple(sorted(row[-1].split(" || ")))  # type: ignore[union-attr]
        rows[short(row[0])] = (*row[1:-1], quotes)  # type: ignore[arg-type]
    return rows


def test_one_query_lists_every_tacrolimus_outcome_of_every_document(
    tacrolimus: dict[str, tuple[str | None, ...]],
) -> None:
    per_document: dict[str | None, int] = {}
    for row in tacrolimus.values():
        per_document[row[0]] = per_document.get(row[0], 0) + 1
    assert per_document == dict(zip(DOCUMENTS, (1, 10, 1, 15, 6), strict=True))


def test_the_cohort_ild_response_row(tacrolimus: dict[str, tuple[str | None, ...]]) -> None:
    assert tacrolimus["sharma-2017-cohort-article-markdown/tacrolimus-ild-improvement"] == (
        DOCUMENTS[3], COHORT, COHORT, "17", "18", "94", None, None, None, TACROLIMUS_18, "18",
        None, "retrospective cohort study", "3",
        ("17 patients (94%) had improvement in ILD",
         "Ninety-four percent had improvements in ILD",
         "response rates of 18 patients who failed to respond to conventional treatment"),
    )


def test_the_cohort_prednisone_row_at_3_to_6_months(
    tacrolimus: dict[str, tuple[str | None, ...]],
) -> None:
    assert tacrolimus["sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months"] == (
        DOCUMENTS[3], COHORT, COHORT, None, None, None, "-65", "0.002", "=", TACROLIMUS_18, "18",
        "3–6 months", "retrospective cohort study", "3",
        ("The mean doses of prednisone decreased from baseline by 65% at 3–6 months ( $p = 0.002$ )",
         "the mean dose of prednisone at the time of initiation of tacrolimus was  $35.1 \\text{ mg} "
         "\\pm 18.6 \\text{ mg}$ , which decreased to  $12.4 \\text{ mg} \\pm 8.0 \\text{ mg}$  at "
         "3–6 months (65% decrease,  $p = 0.002$ )"),
    )


def test_the_review_pooled_muscle_strength_row(
    tacrolimus: dict[str, tuple[str | None, ...]],
) -> None:
    assert tacrolimus["ge-2015-systematic-review-springer-page/tacrolimus-muscle-strength"] == (
        DOCUMENTS[1], REVIEW, REVIEW, "42", "45", "93.3", None, None, None,
        "patients with refractory dermatomyositis/polymyositis who received tacrolimus, pooled "
        "from eight non-randomised studies", "134", None, "systematic review", "3",
        ("93.3\u00a0% (42/45) and 64.7\u00a0% (11/17) of patients showed improvement in muscle "
         "strength and physical function status",
         "Oral tacrolimus of 0.075\u00a0mg/kg/day or 1.0\u20133.5\u00a0mg/d was administered twice "
         "daily or once daily together with glucocorticoids (GCs)."),
    )


def test_the_case_report_tacrolimus_response_row(
    tacrolimus: dict[str, tuple[str | None, ...]],
) -> None:
    assert tacrolimus["ahn-polymyositis-tacrolimus-case-report-journal-page/tacrolimus-disease-control"] == (
        DOCUMENTS[0], CASE, CASE, None, None, None, None, None, None,
        "a single patient with resistant polymyositis that did not respond to multiple drug "
        "therapy and was then treated with tacrolimus", "1", "many years", "case report", "4",
        ("After treatment with tacrolimus, the patient's disease has been well controlled for "
         "many years.", "Tacrolimus (2 mg/day)", "but it did respond to tacrolimus"),
    )


def test_the_case_series_four_of_four_row(tacrolimus: dict[str, tuple[str | None, ...]]) -> None:
    assert tacrolimus["rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement"] == (
        DOCUMENTS[2], SERIES, SERIES, "4", "4", None, None, None, None,
        "consecutive patients with anti-synthetase syndrome and significant ILD treated with "
        "tacrolimus as rescue/salvage therapy at a quaternary referral hospital, 2009-2013", "4",
        "mean follow-up of 3 years", "case series", "4",
        ("Tacrolimus use was associated with improvement in ILD in all four patients with a mean "
         "follow-up of 3 years.", "which may be associated with a dramatic and enduring response"),
    )


def test_the_news_row_belongs_to_the_cohort_study_but_is_reported_in_the_news(
    tacrolimus: dict[str, tuple[str | None, ...]],
) -> None:
    assert tacrolimus["sharma-2017-cohort-news-summary/prednisone-dose-3-6-months"] == (
        DOCUMENTS[4], COHORT, NEWS, None, None, None, "-65", "0.02", "=", NEWS_18, "18",
        "3 to 6 months", "retrospective cohort study", "3",
        ("The mean dose of prednisone used by the participants decreased from baseline by 65% at "
         "3 to 6 months (P =.02)",),
    )


def test_a_less_than_p_value_keeps_its_relation(
    tacrolimus: dict[str, tuple[str | None, ...]],
) -> None:
    row = tacrolimus["sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-1-year"]
    assert row[6:9] + row[11:12] == ("-81", "0.001", "<", "1 year")


# ------------------------------------------------------------------ 2. the antibody hierarchy

ANTI_SYNTHETASE = """
SELECT DISTINCT ?finding ?antibody ?route WHERE {
  ?antibody skos:broader* vocab:anti-synthetase-antibody .
  { ?finding maild:population/maild:subsetOf* ?group . ?group maild:antibody ?antibody .
    BIND("population" AS ?route) }
  UNION
  { ?finding maild:characteristic ?antibody . BIND("characteristic" AS ?route) }
  ?finding a maild:Finding .
}
"""


def test_anti_synthetase_antibodies_find_the_anti_jo1_findings_through_the_hierarchy(
    store: ox.Store,
) -> None:
    rows = {(short(f), a.rsplit("/", 1)[-1], r) for f, a, r in select(store, ANTI_SYNTHETASE)}
    cohort = "sharma-2017-cohort-article-markdown/"
    assert rows == {
        (cohort + "tacrolimus-anti-jo1-response", "anti-jo-1", "population"),
        (cohort + "tacrolimus-response-anti-jo1", "anti-jo-1", "characteristic"),
        (cohort + "conventional-response-anti-jo1", "anti-jo-1", "characteristic"),
        (cohort + "cohort-anti-jo1", "anti-jo-1", "characteristic"),
        (cohort + "tacrolimus-response-pl-7", "anti-pl-7", "characteristic"),
        (cohort + "conventional-response-pl-7", "anti-pl-7", "characteristic"),
        (cohort + "cohort-pl-7", "anti-pl-7", "characteristic"),
    }


def test_the_anti_jo1_subgroup_outcome_is_six_of_six(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?responders ?total ?p ?size WHERE {
          ?f maild:population ?group ; maild:responders ?responders ; maild:total ?total ;
             maild:pValue ?p .
          ?group maild:antibody vocab:anti-jo-1 ; maild:size ?size }""")
    assert rows == [("6", "6", "0.09", "6")]


# ------------------------------------------------------------------ 3. provenance

PROVENANCE = """
SELECT ?finding ?source ?path ?exact ?start ?end ?derived WHERE {
  ?finding a maild:Finding ; maild:quote ?quote .
  ?quote oa:hasSource ?source ;
         oa:hasSelector [ oa:exact ?exact ] , [ oa:start ?start ; oa:end ?end ] .
  ?source dcterms:identifier ?path .
  OPTIONAL { ?finding prov:wasDerivedFrom ?derived }
}
"""


def test_every_quote_of_every_finding_slices_its_source_and_the_finding_derives_from_it(
    store: ox.Store,
) -> None:
    rows = select(store, PROVENANCE)
    curated = [row for row in rows if "/candidate-" not in row[0]]  # machine ones are checked too
    assert len(curated) == 255  # every quote of the 154 curated findings
    assert len({row[0] for row in curated}) == 154
    texts = {path: (CORPUS / path).read_text(encoding="utf-8") for path in DOCUMENTS}
    for finding, source, path, exact, start, end, derived in rows:
        assert texts[path][int(start):int(end)] == exact, (finding, exact)  # type: ignore[arg-type,index]
        assert derived == source, finding


# ------------------------------------------------------------------ 4. discrepancies

EVIDENCE_DISCREPANCIES = """
SELECT ?discrepancy ?field ?statement ?exact WHERE {
  ?discrepancy a maild:Discrepancy ; maild:field ?field ; maild:conflictingStatement ?statement .
  FILTER EXISTS {
    ?discrepancy maild:conflictingStatement ?ours .
    { ?ours a maild:Finding } UNION { ?ours a maild:StudyStatement }
    UNION { ?ours a oa:Annotation } }
  OPTIONAL { ?statement maild:quote/oa:hasSelector/oa:exact ?exact }
}
"""
D = "https://w3id.org/ma-ild/discrepancy/sharma-2017-cohort-news-summary/"
P_VALUE = D + "prednisone-dose-3-6-months/p-value"
JOURNAL = D + "venue-annals-of-the-rheumatic-diseases/journal"


def discrepancies(store: ox.Store) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(discrepancy, field) -> conflicting statement -> the quotes it leads to."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for node, field, statement, exact in select(store, EVIDENCE_DISCREPANCIES):
        quotes = found.setdefault((node, field), {}).setdefault(statement, set())  # type: ignore[arg-type]
        if exact is not None:
            quotes.add(exact)
    return found


ARTICLE_CURATION = "curation/sharma-2017-cohort-article-markdown.yaml"
NEWS_CURATION = "curation/sharma-2017-cohort-news-summary.yaml"
A = "https://w3id.org/ma-ild/discrepancy/sharma-2017-cohort-article-markdown/"
PREDNISONE_MEAN = A + ("conventional-nonresponders-prednisone-dose/"
                       "conventional-prednisone-dose-responders-vs-nonresponders/mean")
HONEYCOMBING = A + "tacrolimus-response-honeycombing/tacrolimus-honeycombing-response/count"
DEFINITION = D + ("refractory-myositis-definition/sharma-2017-cohort-article-markdown/"
                  "refractory-myositis-definition/definition")
EXPANSION = A + "expansion/fvc/sharma-2017-cohort-news-summary"


def test_every_disagreement_the_build_finds_is_reported(
    built: tuple[BuildReport, ox.Store], store: ox.Store,
) -> None:
    """The issue's cases, and the article's race counts that its Tables 1 and 2 swap."""
    report, _store = built
    assert report.discrepancies == [
        f"{ARTICLE_CURATION}: count of race-asian in population 'cohort' is stated as 2 and as 4",
        f"{ARTICLE_CURATION}: count of race-hispanic in population 'cohort' is stated as 4 and "
        "as 2",
        f"{ARTICLE_CURATION}: mean of glucocorticoid-dose prednisone in population "
        "'conventional-nonresponders' at 6-12m is stated as 31.2 and as 31.6",
        f"{ARTICLE_CURATION}: count of honeycombing in population 'tacrolimus' is stated as 4 "
        "and as 6",
        f"{NEWS_CURATION}: prednisone-dose-3-6-months p_value =0.02 "
        "vs tacrolimus-prednisone-dose-3-6-months =0.002",
        f"{NEWS_CURATION}: journal 'Annals of the Rheumatic Diseases' vs 'J Rheumatol'",
        f"{NEWS_CURATION}: the definitions of 'refractory myositis' differ: criterion "
        "'ck-not-halved' ('or decrease by > 50% from baseline') is only in "
        "documents/sharma-2017-cohort-article-markdown.txt refractory-myositis-definition",
        "sharma-2017-cohort-news-summary: FVC (fvc) is spelled out as 'forced vital capacity' "
        "and as 'functional vital capacity'",
    ]
    assert {(P_VALUE, "p_value"), (JOURNAL, "journal"), (PREDNISONE_MEAN, "mean"),
            (HONEYCOMBING, "count"), (DEFINITION, "definition"),
            (EXPANSION, "expansion")} <= set(discrepancies(store))
    [(comment,)] = select(store, f"SELECT ?c WHERE {{ <{P_VALUE}> rdfs:comment ?c }}")
    assert comment == ("p_value is =0.02 in the secondary report but =0.002 in the article it "
                       "reports on")


def test_the_article_gives_one_groups_prednisone_dose_as_31_2_and_31_6(store: ox.Store) -> None:
    linked = discrepancies(store)[(PREDNISONE_MEAN, "mean")]
    assert {short(s): len(q) for s, q in linked.items()} == {
        "sharma-2017-cohort-article-markdown/conventional-nonresponders-prednisone-dose": 1,
        "sharma-2017-cohort-article-markdown/"
        "conventional-prednisone-dose-responders-vs-nonresponders": 1}
    quotes = {q for qs in linked.values() for q in qs}
    assert any("31.2 \\text{ mg} \\pm 18.9" in q for q in quotes)
    assert any("31.6 \\text{ mg}" in q for q in quotes)


def test_six_patients_with_honeycombing_in_the_text_are_four_in_table_3(store: ox.Store) -> None:
    linked = discrepancies(store)[(HONEYCOMBING, "count")]
    assert linked == {
        F + "sharma-2017-cohort-article-markdown/tacrolimus-response-honeycombing": {
            "Honeycombing absent\t9\t5\t0.23", "Honeycombing present\t4\t0"},
        F + "sharma-2017-cohort-article-markdown/tacrolimus-honeycombing-response": {
            "all 6 patients with honeycombing who were refractory to conventional treatment "
            "improved after receiving tacrolimus"},
    }


def test_the_news_definition_of_refractory_myositis_leaves_out_an_arm(store: ox.Store) -> None:
    linked = discrepancies(store)[(DEFINITION, "definition")]
    assert {s.rsplit("/", 2)[-2] for s in linked} == {
        "sharma-2017-cohort-news-summary", "sharma-2017-cohort-article-markdown"}
    assert all(linked.values())
    [(comment,)] = select(store, f"SELECT ?c WHERE {{ <{DEFINITION}> rdfs:comment ?c }}")
    assert "'ck-not-halved' ('or decrease by > 50% from baseline')" in comment
    # refractory ILD has the same four criteria in both: no discrepancy
    assert not [d for d, _f in discrepancies(store) if "refractory-ild" in d]


def test_functional_vital_capacity_is_not_the_articles_forced_vital_capacity(
    store: ox.Store,
) -> None:
    linked = discrepancies(store)[(EXPANSION, "expansion")]
    assert sorted(q for qs in linked.values() for q in qs) == [
        "forced vital capacity", "functional vital capacity"]
    [(comment,)] = select(store, f"SELECT ?c WHERE {{ <{EXPANSION}> rdfs:comment ?c }}")
    assert comment == ("FVC (fvc) is spelled out as 'forced vital capacity' and as "
                       "'functional vital capacity'")


def test_the_p_value_discrepancy_links_both_findings_and_their_quotes(store: ox.Store) -> None:
    assert discrepancies(store)[(P_VALUE, "p_value")] == {
        F + "sharma-2017-cohort-news-summary/prednisone-dose-3-6-months": {
            "The mean dose of prednisone used by the participants decreased from baseline by 65% "
            "at 3 to 6 months (P =.02)"},
        F + "sharma-2017-cohort-article-markdown/tacrolimus-prednisone-dose-3-6-months": {
            "The mean doses of prednisone decreased from baseline by 65% at 3–6 months "
            "( $p = 0.002$ )",
            "the mean dose of prednisone at the time of initiation of tacrolimus was  $35.1 "
            "\\text{ mg} \\pm 18.6 \\text{ mg}$ , which decreased to  $12.4 \\text{ mg} \\pm 8.0 "
            "\\text{ mg}$  at 3–6 months (65% decrease,  $p = 0.002$ )"},
    }


def test_the_journal_discrepancy_links_the_news_statement_and_the_article(
    store: ox.Store,
) -> None:
    venue = ("https://w3id.org/ma-ild/statement/sharma-2017-cohort-news-summary/"
             "venue-annals-of-the-rheumatic-diseases")
    own = ("https://w3id.org/ma-ild/statement/sharma-2017-cohort-article-markdown/"
           "journal-of-record")
    linked = discrepancies(store)[(JOURNAL, "journal")]
    assert set(linked) == {venue, own}
    assert linked[venue] == {
        "A retrospective cohort study, published in Annals of the Rheumatic Diseases"}
    assert linked[own] == {"J Rheumatol"}  # where the article prints its own journal
    [(line,)] = select(store, f"""SELECT ?line WHERE {{
        <{own}> maild:quote/maild:sourceLine ?line }}""")
    assert line == "13"
    [(comment,)] = select(store, f"SELECT ?c WHERE {{ <{JOURNAL}> rdfs:comment ?c }}")
    assert comment == ("the secondary report names 'Annals of the Rheumatic Diseases' but the "
                       "article appeared in 'J Rheumatol'")


def test_both_statements_of_every_discrepancy_lead_to_quotes(store: ox.Store) -> None:
    for key, statements in discrepancies(store).items():
        assert len(statements) >= 2, key
        for statement, quotes in statements.items():
            assert quotes, (key, statement)


def finding(key: str, *, change: float | None = None, p: str | None = None,
            before: float | None = None, timepoint: str = "3-6 months") -> Finding:
    return Finding(
        key=key, kind="outcome", quotes=(), population="tacrolimus", direction="improved",
        interventions=(Intervention("tacrolimus"),), outcome="glucocorticoid-dose",
        dose_of="prednisone", timepoint=parse_timepoint(timepoint),
        result=Result(percent_change=change, before_mean=before,
                      p_value=parse_p_value(p) if p else None, p_text=p),
    )


def test_match_picks_the_candidate_sharing_the_most_numbers() -> None:
    news = finding("news", change=-65, p=".02", timepoint="3 to 6 months")
    one = finding("one", change=-65, p="0.002", before=35.1)
    two = finding("two", change=-65, p="0.02")
    elsewhere = finding("elsewhere", change=-65, p="0.02", timepoint="1 year")
    assert match(news, [one, two, elsewhere]) is two
    assert match(news, [one, elsewhere]) is one


def test_match_gives_none_on_a_tie_or_when_nothing_is_shared() -> None:
    news = finding("news", change=-65, p=".02")
    assert match(news, [finding("a", change=-65), finding("b", change=-65, p="0.5")]) is None
    assert match(news, [finding("c", change=-81, p="0.001")]) is None
    assert match(news, []) is None


# ------------------------------------------------------------------ 5. evidence levels


def test_each_document_design_carries_its_evidence_level(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?path ?design ?level WHERE {
          ?work a maild:CorpusDocument ; maild:studyDesign ?d ;
                frbr:embodiment/dcterms:identifier ?path .
          ?d skos:prefLabel ?design ; maild:evidenceLevel ?level }""")
    assert sorted(rows) == list(zip(DOCUMENTS, (
        "case report", "systematic review", "case series", "retrospective cohort study",
        "news report"), ("4", "3", "4", "3", "5"), strict=True))


def test_findings_can_be_ordered_by_evidence_level(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?level ?finding WHERE {
          ?finding maild:outcome vocab:ild-response ; maild:study/maild:studyDesign ?d .
          ?d maild:evidenceLevel ?level }
        ORDER BY ?level ?finding""")
    assert [(level, short(f)) for level, f in rows] == [  # type: ignore[arg-type]
        ("3", "sharma-2017-cohort-article-markdown/tacrolimus-ild-improvement"),
        ("3", "sharma-2017-cohort-news-summary/tacrolimus-ild-improvement"),
        ("4", "rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement"),
    ]


# ------------------------------------------------------------------ 6. the project's own terms

_TERM = re.compile(r'\bMAILD(?:\.([A-Za-z_]\w*)|\[\s*"([^"]+)"\s*\])')


def used_terms() -> set[str]:
    names = set()
    for path in sorted((CHECKOUT / "graph").rglob("*.py")):
        for m in _TERM.finditer(path.read_text(encoding="utf-8")):
            names.add(m.group(1) or m.group(2))
    return names


def test_every_project_term_used_by_the_code_is_defined_with_label_and_definition() -> None:
    ontology = Graph()
    for path in [*sorted(ONTOLOGY.glob("*.ttl")), *sorted((ONTOLOGY / "vocabulary").glob("*.ttl"))]:
        ontology.parse(path, format="turtle")
    names = used_terms()
    assert {"Finding", "quote", "pValueRelation", "evidenceLevel", "conflictingStatement",
            "count"} <= names
    undefined = sorted(n for n in names
                       if ontology.value(URIRef(MAILD[n]), RDFS.label) is None
                       or ontology.value(URIRef(MAILD[n]), SKOS.definition) is None)
    assert undefined == []


def test_the_scanner_sees_attribute_and_item_spellings() -> None:
    assert {m.group(1) or m.group(2) for m in _TERM.finditer(
        'MAILD.quote, MAILD["count"], MAILD[ "field" ], XMAILD.no')} == {"quote", "count", "field"}


def test_a_mention_count_says_how_often_and_a_count_stays_a_number_of_patients(
    store: ox.Store,
) -> None:
    """The cohort article names anti-MDA5 once, to say it was not tested; ``maild:count`` is
    defined as a number of patients (of a finding or of one of its groups), not of mentions."""
    rows = select(store, """
        SELECT ?times ?negated WHERE {
          ?summary a maild:MentionCount ; maild:concept vocab:anti-mda5 ;
                   maild:inDocument <https://w3id.org/ma-ild/work/doi/10.3899/jrheum.161217> ;
                   maild:timesMentioned ?times ; maild:negatedCount ?negated }""")
    assert rows == [("1", "1")]
    assert select(store, "SELECT ?s WHERE { ?s a maild:MentionCount ; maild:count ?n }") == []


# ------------------------------------------------------------------ 7. pooled estimates


def test_the_corpus_pools_tacrolimus_ild_response_from_two_independent_studies(
    store: ox.Store,
) -> None:
    """The cohort (17/18) and the case series (4/4); the news item restates the cohort."""
    estimate = "https://w3id.org/ma-ild/pooled-estimate/tacrolimus/ild-response/proportion"
    [(value, low, high, i2, studies)] = select(store, f"""
        SELECT ?v ?l ?u ?i ?k WHERE {{ <{estimate}> a maild:PooledEstimate ;
          a <http://purl.obolibrary.org/obo/STATO_0000085> ;
          maild:effectValue ?v ; maild:ciLower ?l ; maild:ciUpper ?u ; maild:iSquared ?i ;
          maild:studies ?k ;
          prov:wasGeneratedBy/a <http://purl.obolibrary.org/obo/STATO_0000431> }}""")
    assert (value, low, high, i2, studies) == ("0.93264", "0.724762", "0.98645", "0", "2")
    pooled = {short(f) for (f,) in select(store, f"""
        SELECT ?f WHERE {{ <{estimate}> prov:wasDerivedFrom ?f . ?f a maild:Finding }}""")}
    assert pooled == {"sharma-2017-cohort-article-markdown/tacrolimus-ild-improvement",
                      "rigby-2014-case-series-pubmed-page/tacrolimus-ild-improvement"}
    [(left_out,)] = select(store, f"SELECT ?f WHERE {{ <{estimate}> maild:leftOut ?f }}")
    assert short(left_out) == "sharma-2017-cohort-news-summary/tacrolimus-ild-improvement"  # type: ignore[arg-type]
    assert [e for (e,) in select(store, "SELECT ?e WHERE { ?e a maild:PooledEstimate }")] == [
        estimate]  # the only pair two studies of the corpus report as proportions
