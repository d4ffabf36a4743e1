"""Entity mentions: every spelling of a vocabulary label, whole words only, longest match, negation.

Real snippets are taken from the corpus documents as read by the build; made-up sentences cover
the spellings the corpus does not happen to use.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from graph.mining.mentions import Mention, find_mentions, summarise
from graph.mining.sentences import MAX_SENTENCE, sentences
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary

PATHS = Paths()
COHORT = "documents/sharma-2017-cohort-article-markdown.txt"
REVIEW = "documents/ge-2015-systematic-review-springer-page.txt"


def concepts(text: str, vocabulary: Vocabulary, **kwargs: object) -> list[tuple[str, str]]:
    return [(m.concept, m.text) for m in find_mentions(text, vocabulary, **kwargs)]  # type: ignore[arg-type]


# ------------------------------------------------------------------ spellings


@pytest.mark.parametrize("spelling", [
    "anti-Jo-1", "anti-Jo1", "Jo1", "Jo-1", "anti–Jo-1", "anti\u2010Jo\u20101", "Anti Jo 1",
    "ANTI-JO-1", "anti-jo1", "Anti-Jo1", "anti-Jo-1 antibody", "Jo1 antibody",
])
def test_every_spelling_of_anti_jo_1_is_found(spelling: str, vocabulary: Vocabulary) -> None:
    text = f"Patients positive for {spelling} had ILD."
    found = [m for m in find_mentions(text, vocabulary) if m.concept == "anti-jo-1"]
    assert [m.text for m in found] == [spelling]
    assert found[0].start == text.index(spelling)
    assert not found[0].negated


@pytest.mark.parametrize("spelling", [
    "anti-MDA5", "anti–MDA5", "anti-MDA-5", "Anti MDA5", "anti MDA 5", "MDA5", "MDA-5",
    "anti-MDA5 antibody", "anti-CADM-140",
])
def test_every_spelling_of_anti_mda5_is_found(spelling: str, vocabulary: Vocabulary) -> None:
    text = f"Rapidly progressive ILD with {spelling}."
    assert ("anti-mda5", spelling) in concepts(text, vocabulary)


@pytest.mark.parametrize("spelling", ["FK506", "FK 506", "FK-506", "fk506", "Prograf", "tacrolimus",
                                      "Tacrolimus", "TAC"])
def test_fk506_and_the_brand_names_are_tacrolimus(spelling: str, vocabulary: Vocabulary) -> None:
    assert concepts(f"She received {spelling} twice daily.", vocabulary) == [("tacrolimus", spelling)]


def test_the_systematic_review_writes_tacrolimus_as_fk506(
    documents: dict[str, Document], vocabulary: Vocabulary,
) -> None:
    text = documents[REVIEW].text
    at = text.index("tacrolimus (FK506)")
    near = [m for m in find_mentions(text, vocabulary) if at <= m.start < at + 20]
    assert [(m.concept, m.text, m.start) for m in near] == [
        ("tacrolimus", "tacrolimus", at), ("tacrolimus", "FK506", at + 12)]


def test_the_cohort_table_row_names_anti_jo1(
    documents: dict[str, Document], vocabulary: Vocabulary,
) -> None:
    text = documents[COHORT].text
    at = text.index("Anti-Jo1\t27 (50.0)")
    [mention] = [m for m in find_mentions(text, vocabulary) if m.start == at]
    assert mention == Mention("anti-jo-1", at, at + 8, "Anti-Jo1", False)


def test_plural_and_label_variants(vocabulary: Vocabulary) -> None:
    assert concepts("17 (94%) showed improvements in ILD", vocabulary) == [
        ("ild-response", "improvements in ILD")]
    assert concepts("interstitial-lung disease and interstitial\nlung disease", vocabulary) == [
        ("interstitial-lung-disease", "interstitial-lung disease"),
        ("interstitial-lung-disease", "interstitial\nlung disease")]


# ------------------------------------------------------------------ offsets and order


def test_offsets_index_the_text_exactly_in_every_corpus_document(
    documents: dict[str, Document], vocabulary: Vocabulary,
) -> None:
    for document in documents.values():
        mentions = find_mentions(document.text, vocabulary)
        assert mentions, document.path
        for m in mentions:
            assert document.text[m.start:m.end] == m.text
        starts = [m.start for m in mentions]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in pairwise(mentions))


def test_offsets_of_a_made_up_sentence(vocabulary: Vocabulary) -> None:
    text = "Tacrolimus (FK-506) improved MA-ILD in anti–MDA5 DM."
    assert [(m.concept, m.start, m.end) for m in find_mentions(text, vocabulary)] == [
        ("tacrolimus", 0, 10), ("tacrolimus", 12, 18), ("myositis-associated-ild", 29, 35),
        ("anti-mda5", 39, 48), ("dermatomyositis", 49, 51)]


def test_the_result_is_deterministic(documents: dict[str, Document], vocabulary: Vocabulary) -> None:
    text = documents[COHORT].text
    assert find_mentions(text, vocabulary) == find_mentions(text, vocabulary)


def test_kinds_restrict_the_concepts(vocabulary: Vocabulary) -> None:
    text = "Tacrolimus improved ILD in anti-Jo-1 positive patients."
    assert concepts(text, vocabulary, kinds=("drug",)) == [("tacrolimus", "Tacrolimus")]
    assert concepts(text, vocabulary, kinds=("antibody", "disease")) == [
        ("interstitial-lung-disease", "ILD"), ("anti-jo-1", "anti-Jo-1")]


def test_empty_text_has_no_mentions(vocabulary: Vocabulary) -> None:
    assert find_mentions("", vocabulary) == []
    assert find_mentions("  \n\t ", vocabulary) == []


# ------------------------------------------------------------------ whole words, case, longest


@pytest.mark.parametrize("text", [
    "CHILD", "a mild case", "BUILD", "Rotterdam", "Kuroda Y", "Kumar", "CKD", "mgmt",
    "the dermatomyositiss", "anti-Jo12", "Jo1a", "PMR",
])
def test_labels_inside_other_words_are_not_mentions(text: str, vocabulary: Vocabulary) -> None:
    assert find_mentions(text, vocabulary) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Ro", [("anti-ssa-ro", "Ro")]), ("ro", []), ("RO", []),
    ("Ku", [("anti-ku", "Ku")]), ("ku", []),
    ("CK", [("creatine-kinase", "CK")]), ("ck", []),
    ("MG", [("myasthenia-gravis", "MG")]), ("mg", []),
    ("IP", [("interstitial-lung-disease", "IP")]), ("ip", []),
    ("ASS", [("anti-synthetase-syndrome", "ASS")]), ("ass", []),
])
def test_short_labels_match_only_in_their_own_case(
    text: str, expected: list[tuple[str, str]], vocabulary: Vocabulary,
) -> None:
    assert concepts(f"with {text} at 5", vocabulary) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("anti-synthetase syndrome", "anti-synthetase-syndrome"),
    ("myositis-associated interstitial lung disease", "myositis-associated-ild"),
    ("interstitial lung disease", "interstitial-lung-disease"),
    ("anti-Jo-1 antibody", "anti-jo-1"),
    ("clinically amyopathic dermatomyositis", "clinically-amyopathic-dermatomyositis"),
    ("serum creatine kinase", "creatine-kinase"),
    ("anti-SSA/Ro52", "anti-ro52"),
])
def test_the_longest_label_wins(text: str, expected: str, vocabulary: Vocabulary) -> None:
    assert concepts(f"The {text} was seen.", vocabulary) == [(expected, text)]


# ------------------------------------------------------------------ negation


def test_anti_mda5_was_not_routinely_tested_in_the_cohort(
    documents: dict[str, Document], vocabulary: Vocabulary,
) -> None:
    text = documents[COHORT].text
    sentence = ("the presence of certain antibodies including anti-MDA5 that were not routinely "
                "tested at our institution")
    at = text.index(sentence) + sentence.index("anti-MDA5")
    mentions = find_mentions(text, vocabulary)
    [mda5] = [m for m in mentions if m.concept == "anti-mda5"]
    assert (mda5.start, mda5.text, mda5.negated) == (at, "anti-MDA5", True)
    summary = summarise(mentions)
    assert summary["anti-mda5"] == (1, 1)
    assert summary["tacrolimus"][1] == 0
    assert summary["anti-jo-1"] == (summary["anti-jo-1"][0], 0)


@pytest.mark.parametrize(("text", "concept"), [
    ("The patient was not tested for anti-MDA5.", "anti-mda5"),
    ("Anti-MDA5 antibodies were not routinely tested at our institution.", "anti-mda5"),
    ("All were negative for anti-Jo-1.", "anti-jo-1"),
    ("There was no ILD on CT.", "interstitial-lung-disease"),
    ("Patients without myositis were excluded.", "idiopathic-inflammatory-myopathy"),
    ("CT showed the absence of honeycombing.", "honeycombing"),
    ("None of the patients had ILD.", "interstitial-lung-disease"),
    ("None of the 18 patients had anti-MDA5.", "anti-mda5"),
    ("Anti-Jo-1 was negative in all.", "anti-jo-1"),
])
def test_negated_mentions(text: str, concept: str, vocabulary: Vocabulary) -> None:
    [mention] = [m for m in find_mentions(text, vocabulary) if m.concept == concept]
    assert mention.negated


@pytest.mark.parametrize(("text", "concept"), [
    ("She did not respond to tacrolimus.", "tacrolimus"),
    ("There was no significant difference in FVC.", "fvc"),
    ("No data were missing. Tacrolimus was started.", "tacrolimus"),
    ("No patient stopped treatment because of rash, and all received tacrolimus.", "tacrolimus"),
    ("Anti-Jo-1 was positive in 27 patients.", "anti-jo-1"),
    ("There was no change, but ILD progressed.", "interstitial-lung-disease"),
])
def test_mentions_that_are_not_negated(text: str, concept: str, vocabulary: Vocabulary) -> None:
    [mention] = [m for m in find_mentions(text, vocabulary) if m.concept == concept]
    assert not mention.negated


def test_negation_stops_at_but(vocabulary: Vocabulary) -> None:
    found = {m.concept: m.negated
             for m in find_mentions("He had no myositis but severe ILD.", vocabulary)}
    assert found == {"idiopathic-inflammatory-myopathy": True, "interstitial-lung-disease": False}


def test_summarise_counts_mentions_and_negated_mentions(vocabulary: Vocabulary) -> None:
    text = "Tacrolimus helped. ILD improved. There was no ILD. Tacrolimus again."
    assert summarise(find_mentions(text, vocabulary)) == {
        "interstitial-lung-disease": (2, 1), "tacrolimus": (2, 0)}
    assert summarise([]) == {}


# ------------------------------------------------------------------ sentences


def test_sentences_respect_abbreviations_decimals_and_rows() -> None:
    text = ("Dr. N. Sharma et al. reported it, e.g. in Fig. 2. The CK was 2933.4 U/l. It fell.\n"
            "\n**Results.** Thirty-one of 54 (57%).\nMale\t16 (29.6)\n## Heading")
    found = [(text[s.start:s.end], s.row) for s in sentences(text)]
    assert found == [
        ("Dr. N. Sharma et al. reported it, e.g. in Fig. 2.", False),
        ("The CK was 2933.4 U/l.", False),
        ("It fell.", False),
        ("**Results.**", False),
        ("Thirty-one of 54 (57%).", False),
        ("Male\t16 (29.6)", True),
        ("## Heading", False),
    ]


# ------------------------------------------------------------------ abbreviations a text defines


def test_a_text_that_defines_cyc_as_cyclosporine_reads_every_cyc_so(vocabulary: Vocabulary) -> None:
    text = ("Patients started cyclosporine (CYC) at 3 mg/kg/day. The CYC dose was reduced in 3; "
            "cyclophosphamide was not given.")
    assert concepts(text, vocabulary, kinds=("drug",)) == [
        ("cyclosporine", "cyclosporine"), ("cyclosporine", "CYC"), ("cyclosporine", "CYC"),
        ("cyclophosphamide", "cyclophosphamide")]


def test_without_a_definition_the_vocabulary_reads_cyc(vocabulary: Vocabulary) -> None:
    assert concepts("The CYC dose was reduced.", vocabulary) == [("cyclophosphamide", "CYC")]


def test_a_definition_elsewhere_in_the_document_is_passed_in(vocabulary: Vocabulary) -> None:
    title = "CYC in anti-Jo-1 lung disease"
    assert ("cyclosporine", "CYC") in concepts(
        title, vocabulary, abbreviations={"CYC": "cyclosporine"})


def test_a_short_form_defined_as_something_else_names_no_concept(vocabulary: Vocabulary) -> None:
    text = "We used a cycle ergometer test (CYC). CYC results were normal after tacrolimus."
    assert concepts(text, vocabulary, kinds=("drug",)) == [("tacrolimus", "tacrolimus")]


def test_the_head_of_the_long_form_decides(vocabulary: Vocabulary) -> None:
    from graph.mining.mentions import defined_abbreviations

    text = ("mycophenolate mofetil therapy (MMF) and myositis-associated (MA) disease and "
            "interstitial lung disease (ILD); the results (n = 12) were (94%) good")
    assert defined_abbreviations(text, vocabulary) == {
        "MMF": "mycophenolate-mofetil", "MA": None, "ILD": "interstitial-lung-disease"}


def test_a_longer_label_still_holds_a_defined_short_form(vocabulary: Vocabulary) -> None:
    text = "myositis-associated interstitial lung disease (MA-ILD) and MA-ILD again; (MA) x"
    found = concepts(text, vocabulary, kinds=("disease",))
    assert found.count(("myositis-associated-ild", "MA-ILD")) == 2


def test_a_text_with_no_sentence_end_is_mined_in_bounded_pieces() -> None:
    """A hostile or flattened text with no full stop is cut into bounded sentences, so the work
    per sentence is bounded and mining stays linear (it was quadratic: a 985 KB title hung)."""
    text = " ".join(["tacrolimus", "improved", "FVC", "in", "12", "of", "18;"] * 3000)
    pieces = sentences(text)
    assert len(pieces) > 1 and all(s.end - s.start <= MAX_SENTENCE for s in pieces)
    assert all(text[s.end - 1] == ";" for s in pieces[:-1])  # cut after a clause mark
    assert " ".join(text[s.start:s.end] for s in pieces) == text  # nothing lost
