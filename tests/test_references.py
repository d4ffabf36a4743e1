"""Specifications of the reference parser, on reference strings copied verbatim from the corpus.

The strings are as a layout reader delivers them: list numbering removed, lines joined by one
space, but the citation style's own noise (" - PubMed", "CrossRefGoogle Scholar", "crossref",
markdown italics) still present.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.citations.references import parse_reference, render_vancouver
from graph.errors import ReferenceParseError
from graph.records import Bibliographic, ParsedReference, Person, RawReference

DOCUMENTS = Path(__file__).resolve().parent.parent / "corpus" / "documents"

# The markdown article prints reference 27 broken across two list items; joined, it is one
# reference, and each half on its own must be refused with a clear reason.
SONTHEIMER_HEAD = "Sontheimer RD. Cutaneous features of classic dermatomyositis and"
SONTHEIMER_TAIL = "amyopathic dermatomyositis. *Curr Opin Rheumatol* 1999; 11:475-82."
SONTHEIMER = f"{SONTHEIMER_HEAD} {SONTHEIMER_TAIL}"

PUBMED_PAGE = [
    (
        "Yamasaki Y, Yamada H, Yamasaki M, et al. Intravenous cyclophosphamide therapy for "
        "progressive interstitial pneumonia in patients with polymyositis/dermatomyositis. "
        "Rheumatology. 2007;46:124\u2013130. - PubMed"
    ),
    (
        "Sem M, Molberg O, Lund MB, et al. Rituximab treatment of the anti-synthetase syndrome "
        "\u2013 a retrospective case series. Rheumatology. 2009;48:968\u2013971. - PubMed"
    ),
    (
        "Wilkes MR, Sereika SM, Fertig N, et al. Treatment of antisynthetase-associated "
        "interstitial lung disease with tacrolimus. Arthritis Rheum. 2005;52:2439\u20132446. - "
        "PubMed"
    ),
    (
        "Takada K, Nagasaka K, Miyasaka N. Polymyositis/dermatomyositis and interstitial lung "
        "disease: a new therapeutic approach with T-cell-specific immunosuppressants. "
        "Autoimmunity. 2005;38:383\u2013392. - PubMed"
    ),
    (
        "Qushmaq KA, Chalmers A, Esdaile JM. Cyclosporin A in the treatment of refractory adult "
        "polymyositis/dermatomyositis: population based experience in 6 patients and literature "
        "review. J. Rheumatol. 2000;27:2855\u20132859. - PubMed"
    ),
]
JOURNAL_LIST = [
    (
        "Dalakas MC, Hohlfeld R. Polymyositis and dermatomyositis. Lancet. 2003; 362:971\u201382. "
        "crossref"
    ),
    (
        "Plotz PH, Dalakas M, Leff RL, Love LA, Miller FW, Cronin ME. Current concepts in the "
        "idiopathic inflammatory myopathies: Polymyositis, dermatomyositis and related disorders. "
        "Ann Intern Med. 1989; 111:143\u201357. crossref"
    ),
    (
        "Bohan A, Peter JB. Polymyositis and dermatomyositis (second of two parts). N Engl J Med. "
        "1975; 292:403\u20137."
    ),
    (
        "Drake LA, Dinehart SM, Farmer ER, Goltz RW, Graham GF, Hordinsky MK, et al. Guidelines of "
        "care for dermatomyositis. J Am Acad Dermatol. 1996; 34:824\u20139."
    ),
    (
        "Troyanov Y, Targoff IN, Tremblay JL, Goulet JR, Raymond Y, Senécal JL. Novel "
        "classification of idiopathic inflammatory myopathies based on overlap syndrome features "
        "and autoantibodies: analysis of 100 French Canadian patients. Medicine (Baltimore). 2005; "
        "84:231\u201349."
    ),
    (
        "Bunch TW, Worthington JW, Combs JJ, Ilstrup DM, Engel AG. Azathioprine with prednisone "
        "for polymyositis. Ann Intern Med. 1980; 92:365\u20139. crossref"
    ),
    (
        "Cherin P, Pelletier S, Teixeira A, Laforet P, Genereau T, Simon A, et al. Results and "
        "longterm followup of intravenous immunoglobulin infusions in chronic, refractory "
        "polymyositis: an open study with thirty-five adult patients. Arthritis Rheum. 2002; "
        "46:467\u201374. crossref"
    ),
    (
        "Miller FW, Leitman SF, Cronin ME, Hicks JE, Leff RL, Wesley R, et al. Controlled trial of "
        "plasma exchange and leukapheresis in polymyositis and dermatomyositis. N Engl J Med. "
        "1992; 326:1380\u20134. crossref"
    ),
    (
        "Sigurgeirsson B, Lindelof B, Edhag O, Allander E. Risk of cancer in patients with "
        "dermatomyositis or polymyositis. N Engl J Med. 1992; 326:363\u20137. crossref"
    ),
    (
        "Noss EH, Hausner-Sypek DL, Weinblatt ME. Rituximab as therapy for refractory polymyositis "
        "and dermatomyositis. J Rheumatol. 2006; 33:1021\u20136."
    ),
    (
        "Yamasaki Y, Yamada H, Yamasaki M, Ohkubo M, Azuma K, Matsuoka S, et al. Intravenous "
        "cyclophosphamide therapy for progressive interstitial pneumonia in patients with "
        "polymyositis/dermatomyositis. Rheumatology (Oxford). 2007; 46:124\u201330. crossref"
    ),
    (
        "Oddis CV, Sciurba FC, Elmagd KA, Starzl TE. Tacrolimus in refractory polymyositis with "
        "interstitial lung disease. Lancet. 1999; 353:1762\u20133."
    ),
    (
        "Takada K, Nagasaka K, Miyasaka N. Polymyositis/dermatomyositis and interstitial lung "
        "disease: a new therapeutic approach with T-cell-specific immunosuppressants. "
        "Autoimmunity. 2005; 38:383\u201392. crossref"
    ),
]
MARKDOWN = [
    (
        "Solomon J, Swigris JJ, Brown KK. Myositis-related interstitial lung disease and "
        "antisynthetase syndrome. *J Bras Pneumol* 2011;37:100-9."
    ),
    (
        "Mills ES, Mathews WH. Interstitial pneumonitis in dermatomyositis. *J Am Med Assoc* "
        "1956;160:1467-70."
    ),
    (
        "Fujisawa T, Hozumi H, Kono M, Enomoto N, Hashimoto D, Nakamura Y, et al. Prognostic "
        "factors for myositis-associated interstitial lung disease. *PLoS One* 2014;9:e98824."
    ),
    (
        "Fathi M, Vikgren J, Boijesen M, Tyles U, Jorfeldt L, Tornling G, et al. Interstitial lung "
        "disease in polymyositis and dermatomyositis: longitudinal evaluation by pulmonary "
        "function and radiology. *Arthritis Rheum* 2008;59:677-85."
    ),
    (
        "Marie I, Hachulla E, Chérin P, Dominique S, Hatron PY, Hellot MF, et al. Interstitial "
        "lung disease in polymyositis and dermatomyositis. *Arthritis Rheum* 2002;47:614-22."
    ),
    (
        "Johnson C, Pinal-Fernandez I, Parikh R, Paik J, Albayda J, Mammen AL, et al. Assessment "
        "of mortality in autoimmune myositis with and without associated interstitial lung "
        "disease. *Lung* 2016; 194:733-7."
    ),
    (
        "Airio A, Kautiainen H, Hakala M. Prognosis and mortality of polymyositis and "
        "dermatomyositis patients. *Clin Rheumatol* 2006;25:234-9."
    ),
    (
        "Douglas WW, Tazelaar HD, Hartman TE, Hartman RP, Decker PA, Schroeder DR, et al. "
        "Polymyositis-dermatomyositis-associated interstitial lung disease. *Am J Respir Crit Care "
        "Med* 2001; 164:1182-5."
    ),
    (
        "Takada K, Nagasaka K, Miyasaka N. Polymyositis/dermatomyositis and interstitial lung "
        "disease: a new therapeutic approach with T-cell-specific immunosuppressants. "
        "*Autoimmunity* 2005;38:383-92."
    ),
    "Aggarwal R, Oddis CV. Therapeutic advances in myositis. *Curr Opin Rheumatol* 2012;24:635-41.",
    (
        "Fischer A, Brown KK, Du Bois RM, Frankel SK, Cosgrove GP, Fernandez-Perez ER, et al. "
        "Mycophenolate mofetil improves lung function in connective tissue disease-associated "
        "interstitial lung disease. *J Rheumatol* 2013;40:640-6."
    ),
    (
        "Mira-Avendano IC, Parambil JG, Yadav R, Arrossi V, Xu M, Chapman JT, et al. A "
        "retrospective review of clinical features and treatment outcomes in steroid-resistant "
        "interstitial lung disease from polymyositis/dermatomyositis. *Respir Med* 2013;107:890-6."
    ),
    (
        "Mimori T, Nakashima R, Hosono Y. Interstitial lung disease in myositis: clinical subsets, "
        "biomarkers, and treatment. *Curr Rheumatol Rep* 2012;14:264-74."
    ),
    (
        "Morganroth PA, Kreider ME, Werth VP. Mycophenolate mofetil for interstitial lung disease "
        "in dermatomyositis. *Arthritis Care Res* 2010;62:1496-501."
    ),
    (
        "Cavagna L, Caporali R, Abdi-Ali L, Dore R, Meloni F, Montecucco C. Cyclosporine in "
        "anti-Jo1-positive patients with corticosteroid-refractory interstitial lung disease. *J "
        "Rheumatol* 2013;40:484-92."
    ),
    (
        "Labirua-Iturburu A, Selva-O'Callaghan A, Martínez-Gómez X, Trallero-Araguás E, "
        "Labrador-Horrillo M, Vilardell-Tarrés M. Calcineurin inhibitors in a cohort of patients "
        "with antisynthetase-associated interstitial lung disease. *Clin Exp Rheumatol* "
        "2013;31:436-9."
    ),
    (
        "Ge Y, Zhou H, Shi J, Ye B, Peng Q, Lu X, et al. The efficacy of tacrolimus in patients "
        "with refractory dermatomyositis/polymyositis: a systematic review. *Clin Rheumatol* "
        "2015;34:2097-103."
    ),
    (
        "Joki H, Yamaguchi S, Segawa F, Kuroiwa Y. [Effectiveness of tacrolimus in a case of "
        "polymyositis]. [Article in Japanese] *Rinsho Shinkeigaku* 2005;45:121-4."
    ),
    (
        "Ochi S, Nanki T, Takada K, Suzuki F, Komano Y, Kubota T, et al. Favorable outcomes with "
        "tacrolimus in two patients with refractory interstitial lung disease associated with "
        "polymyositis/dermatomyositis. *Clin Exp Rheumatol* 2005;23:707-10."
    ),
    (
        "Oddis CV, Scirba FC, Elmagd KA, Starzl TE. Tacrolimus in refractory polymyositis with "
        "interstitial lung disease. *Lancet Lond Engl* 1999;353:1762-3."
    ),
    (
        "Guglielmi S, Merz TM, Gugger M, Suter C, Nicod LP. Acute respiratory distress syndrome "
        "secondary to antisynthetase syndrome is reversible with tacrolimus. *Eur Respir J* "
        "2008;31:213-7."
    ),
    (
        "Ando M, Miyazaki E, Yamasue M, Sadamura Y, Ishii T, Takenaka R, et al. Successful "
        "treatment with tacrolimus of progressive interstitial pneumonia associated with "
        "amyopathic dermatomyositis refractory to cyclosporine. *Clin Rheumatol* 2010;29:443-5."
    ),
    (
        "Kurita T, Yasuda S, Oba K, Odani T, Kono M, Otomo K, et al. The efficacy of tacrolimus in "
        "patients with interstitial lung diseases complicated with polymyositis or "
        "dermatomyositis. *Rheumatology* 2015;54:1536."
    ),
    (
        "Wilkes MR, Sereika SM, Fertig N, Lucas MR, Oddis CV. Treatment of "
        "antisynthetase-associated interstitial lung disease with tacrolimus. *Arthritis Rheum* "
        "2005;52:2439-46."
    ),
    (
        "Bohan A, Peter JB. Polymyositis and dermatomyositis (first of two parts). *N Engl J Med* "
        "1975;292:344-7."
    ),
    (
        "Bohan A, Peter JB. Polymyositis and dermatomyositis (second of two parts). *N Engl J Med* "
        "1975;292:403-7."
    ),
    SONTHEIMER,  # printed broken across two list items (see below)
    (
        "Ghazi E, Sontheimer RD, Werth VP. The importance of including amyopathic dermatomyositis "
        "in the idiopathic inflammatory myositis spectrum. *Clin Exp Rheumatol* 2013;31:128-34."
    ),
    (
        "Raghu G, Collard HR, Egan JJ, Martinez FJ, Behr J, Brown KK, et al; ATS/ERS/JRS/ALAT "
        "Committee on Idiopathic Pulmonary Fibrosis. An official ATS/ERS/JRS/ALAT statement: "
        "idiopathic pulmonary fibrosis: evidence-based guidelines for diagnosis and management. "
        "*Am J Respir Crit Care Med* 2011;183:788-824."
    ),
    (
        "American Thoracic Society. Idiopathic pulmonary fibrosis: diagnosis and treatment. "
        "International consensus statement. American Thoracic Society (ATS), and the European "
        "Respiratory Society (ERS). *Am J Respir Crit Care Med* 2000;161:646-64."
    ),
    (
        "Fujisawa T, Suda T, Nakamura Y, Enomoto N, Ide K, Toyoshima M, et al. Differences in "
        "clinical features and prognosis of interstitial lung diseases between polymyositis and "
        "dermatomyositis. *J Rheumatol* 2005;32:58-64."
    ),
    (
        "Briani C, Doria A, Sarzi-Puttini P, Dalakas MC. Update on idiopathic inflammatory "
        "myopathies. *Autoimmunity* 2006; 39:161-70."
    ),
    (
        "La Corte R, Lo Mo Naco A, Locaputo A, Dolzani F, Trotta F. In patients with "
        "antisynthetase syndrome the occurrence of anti-Ro/SSA antibodies causes a more severe "
        "interstitial lung disease. *Autoimmunity* 2006;39:249-53."
    ),
    (
        "Mileti LM, Streck ME, Niewold TB, Curran JJ, Sweiss NJ. Clinical characteristics of "
        "patients with anti-Jo-1 antibodies: a single center experience. *J Clin Rheumatol* "
        "2009;15:254-5."
    ),
    (
        "Fischer A, du Bois R. Interstitial lung disease in connective tissue disorders. *Lancet* "
        "2012;380:689-98."
    ),
    (
        "Koreeda Y, Higashimoto I, Yamamoto M, Takahashi M, Kaji K, Fujimoto M, et al. Clinical "
        "and pathological findings of interstitial lung disease patients with anti-aminoacyl-tRNA "
        "synthetase autoantibodies. *Intern Med* 2010;49:361-9."
    ),
    (
        "Pandey AK, Wilcox P, O'Brien J, Ellis J, Brown J, Leipsic J. Significance of various "
        "pulmonary and extrapulmonary abnormalities on HRCT of the chest in scleroderma lung. "
        "*Indian J Radiol Imaging* 2013;23:304-7."
    ),
    (
        "Romei C, Tavanti L, Sbragia P, De Liperi A, Carozzi L, Aquilini F, et al. Idiopathic "
        "interstitial pneumonias: do HRCT criteria established by ATS/ERS/JRS/ALAT in 2011 predict "
        "disease progression and prognosis? *Radiol Med* 2015;120:930-40."
    ),
    (
        "Shimojima Y, Ishii W, Matsuda M, Tazawa K, Ikeda S. Coadministration of tacrolimus with "
        "corticosteroid accelerates recovery in refractory patients with polymyositis/ "
        "dermatomyositis: a retrospective study. *BMC Musculoskelet Disord* 2012;13:228."
    ),
]
SPRINGER = [
    (
        "Wallemacq PE, Verbeeck RK (2001) Comparative clinical pharmacokinetics of tacrolimus in "
        "paediatric and adult patients. Clin Pharmacol kinet 40:283\u2013295CrossRefGoogle Scholar"
    ),
    (
        "Shimojima Y, Gono T, Yamamoto K et al (2004) Efficacy of tacrolimus in treatment of "
        "polymyositis associated with myasthenia gravis. Clin Rheumatol "
        "23:262\u2013265CrossRefPubMedGoogle Scholar"
    ),
    (
        "Hassan J, van der Net JJ, van Royen-Kerkhof A (2008) Treatment of refractory juvenile "
        "dermatomyositis with tacrolimus. Clin Rheumatol 27:1469\u20131471CrossRefPubMedGoogle "
        "Scholar"
    ),
    (
        "Ando M, Miyazaki E, Yamasue M et al (2010) Successful treatment with tacrolimus of "
        "progressive interstitial pneumonia associated with amyopathic dermatomyositis refractory "
        "to cyclosporine. Clin Rheumatol 29:443\u2013445CrossRefPubMedGoogle Scholar"
    ),
    (
        "Bohan A, Peter JB (1975) Polymyositis and dermatomyositis (second of two parts). N Engl J "
        "Med 292:403\u2013407CrossRefPubMedGoogle Scholar"
    ),
    (
        "American Thoracic Society, European Respiratory Society (2000) Idiopathic pulmonary "
        "fibrosis: diagnosis and treatment. International consensus statement. Am J Respir Crit "
        "Care Med 161:646\u2013664CrossRefGoogle Scholar"
    ),
    (
        "Kurita T, Yasuda S, Oba K et al (2015) The efficacy of tacrolimus in patients with "
        "interstitial lung diseases complicated with polymyositis or dermatomyositis. Rheumatology "
        "(Oxford) 54:39\u201344CrossRefGoogle Scholar"
    ),
    (
        "Yokoyama Y, Furuta S, Ikeda K et al (2015) Corticosteroid-sparing effect of tacrolimus in "
        "the initial treatment of dermatomyositis and polymyositis. Mod Rheumatol "
        "16:1\u201322Google Scholar"
    ),
    (
        "Oddis CV, Sciurba FC, Elmagd KA et al (1999) Tacrolimus in refractory polymyositis with "
        "interstitial lung disease. Lancet 353:1762\u20131763PubMedCentralCrossRefPubMedGoogle "
        "Scholar"
    ),
    (
        "Wilkes MR, Sereika SM, Fertig N et al (2005) Treatment of antisynthetase-associated "
        "interstitial lung disease with tacrolimus. Arthritis Rheum "
        "52:2439\u20132446CrossRefPubMedGoogle Scholar"
    ),
    (
        "Mitsui T, Kuroda Y, Ueno S et al (2011) The effects of FK506 on refractory inflammatory "
        "myopathies. Acta Neurol Belg 111:188\u2013194PubMedGoogle Scholar"
    ),
    (
        "Shimojima Y, Ishii W, Matsuda M et al (2012) Coadministration of tacrolimus with "
        "corticosteroid accelerates recovery in refractory patients with "
        "polymyositis/dermatomyositis: a retrospective study. BMC Musculoskelet Disord "
        "13:228\u2013233PubMedCentralCrossRefPubMedGoogle Scholar"
    ),
    (
        "Matsubara S, Kondo K, Sugaya K et al (2012) Effects of tacrolimus on dermatomyositis and "
        "polymyositis: a prospective, open, non-randomized study of nine patients and a review of "
        "the literature. Clin Rheumatol 31:1493\u20131498CrossRefPubMedGoogle Scholar"
    ),
    (
        "Labirua-Iturburu A, Selva-O'Callaghan A, Martínez-Gómez X et al (2013) Calcineurin "
        "inhibitors in a cohort of patients with antisynthetase-associated interstitial lung "
        "disease. Clin Exp Rheumatol 31:436\u2013439PubMedGoogle Scholar"
    ),
    (
        "Ingegnoli F, Lubatti C, Ingegnoli A et al (2012) Interstitial lung disease outcomes by "
        "high-resolution computed tomography (HRCT) in Anti-Jo1 antibody-positive polymyositis "
        "patients: a single centre study and review of the literature. Autoimmun Rev "
        "11:335\u2013340CrossRefPubMedGoogle Scholar"
    ),
    (
        "Ge Y, Peng Q, Zhang S et al (2015) Cyclophosphamide treatment for idiopathic inflammatory "
        "myopathies and related interstitial lung disease: a systematic review. Clin Rheumatol "
        "34:99\u2013105CrossRefPubMedGoogle Scholar"
    ),
]
NEWS_LINE = (
    "Sharma N, Putman MS, Vij R, Strek ME, Dua A. Myositis-associated interstitial lung disease: "
    "Predictors of failure of conventional treatment and response to tacrolimus in a US cohort "
    "[published online September 1, 2017]. J Rheumatol.\xa0 doi:10.3899/jrheum.161217"
)


CORPUS = PUBMED_PAGE + JOURNAL_LIST + MARKDOWN + SPRINGER
EVERY = [*CORPUS, NEWS_LINE]


def parse(text: str, line: int = 1) -> ParsedReference:
    """Parse ``text`` as a reference starting on ``line`` of a made-up file."""
    return parse_reference(RawReference(text, line), "doc.txt")


def people(*names: str) -> tuple[Person, ...]:
    """ "Oddis CV" -> Person("Oddis", "CV"); a name without initials is corporate."""
    return tuple(
        Person(*name.rsplit(" ", 1)) if name.rsplit(" ", 1)[-1].isupper() else Person(name)
        for name in names
    )


# --- the embedded list is the corpus ------------------------------------------------------------


def test_embedded_list_holds_the_73_corpus_references() -> None:
    assert (len(PUBMED_PAGE), len(JOURNAL_LIST), len(MARKDOWN), len(SPRINGER)) == (5, 13, 39, 16)
    assert len(CORPUS) == 73


@pytest.mark.parametrize("text", EVERY)
def test_embedded_string_is_verbatim_from_a_document(text: str) -> None:
    corpus = "\n".join(path.read_text("utf-8") for path in DOCUMENTS.glob("*.txt"))
    pieces = [SONTHEIMER_HEAD, SONTHEIMER_TAIL] if text == SONTHEIMER else [text]
    for piece in pieces:
        assert piece.removesuffix(" crossref") in corpus


# --- one specification per style, every field exact ----------------------------------------------


def test_pubmed_page_vancouver_with_pubmed_suffix() -> None:
    ref = parse(PUBMED_PAGE[4])
    assert ref.style == "vancouver"
    assert ref.note is None
    assert ref.fields == Bibliographic(
        title="Cyclosporin A in the treatment of refractory adult polymyositis/dermatomyositis: "
        "population based experience in 6 patients and literature review",
        authors=people("Qushmaq KA", "Chalmers A", "Esdaile JM"),
        journal="J. Rheumatol.",
        year=2000,
        volume="27",
        page_start="2855",
        page_end="2859",
    )


def test_pubmed_page_vancouver_with_et_al() -> None:
    ref = parse(PUBMED_PAGE[0])
    assert ref.style == "vancouver"
    assert ref.fields == Bibliographic(
        title="Intravenous cyclophosphamide therapy for progressive interstitial pneumonia in "
        "patients with polymyositis/dermatomyositis",
        authors=people("Yamasaki Y", "Yamada H", "Yamasaki M"),
        et_al=True,
        journal="Rheumatology",
        year=2007,
        volume="46",
        page_start="124",
        page_end="130",
    )


def test_pubmed_citation_with_month_issue_doi_and_epub() -> None:
    # assembled from the header of the Rigby PubMed page (". 2014 Jun;2(2):70-2." and its doi)
    text = (
        "Rigby AL, et al. Tacrolimus rescue therapy for severe respiratory failure in the "
        "anti-synthetase syndrome. Respirol Case Rep. 2014 Jun;2(2):70-2. "
        "doi: 10.1002/rcr2.52. Epub 2014 Feb 25."
    )
    ref = parse(text)
    assert ref.style == "vancouver"
    assert ref.note == "Epub 2014 Feb 25"
    assert ref.fields == Bibliographic(
        title="Tacrolimus rescue therapy for severe respiratory failure in the anti-synthetase "
        "syndrome",
        authors=people("Rigby AL"),
        et_al=True,
        journal="Respirol Case Rep",
        year=2014,
        volume="2",
        issue="2",
        page_start="70",
        page_end="72",
        doi="10.1002/rcr2.52",
    )


def test_journal_list_vancouver_with_spaced_locator_and_crossref() -> None:
    ref = parse(JOURNAL_LIST[0])
    assert ref.style == "vancouver"
    assert ref.fields == Bibliographic(
        title="Polymyositis and dermatomyositis",
        authors=people("Dalakas MC", "Hohlfeld R"),
        journal="Lancet",
        year=2003,
        volume="362",
        page_start="971",
        page_end="982",
    )


def test_journal_list_vancouver_with_parenthesised_journal() -> None:
    assert parse(JOURNAL_LIST[10]).fields.journal == "Rheumatology (Oxford)"
    assert parse(JOURNAL_LIST[11]).fields.page_end == "1763"


def test_ama_with_italic_journal_and_et_al() -> None:
    ref = parse(MARKDOWN[3])
    assert ref.style == "ama"
    assert ref.fields == Bibliographic(
        title="Interstitial lung disease in polymyositis and dermatomyositis: longitudinal "
        "evaluation by pulmonary function and radiology",
        authors=people("Fathi M", "Vikgren J", "Boijesen M", "Tyles U", "Jorfeldt L", "Tornling G"),
        et_al=True,
        journal="Arthritis Rheum",
        year=2008,
        volume="59",
        page_start="677",
        page_end="685",
    )


def test_ama_electronic_page() -> None:
    ref = parse(MARKDOWN[2])
    assert ref.style == "ama"
    assert ref.fields == Bibliographic(
        title="Prognostic factors for myositis-associated interstitial lung disease",
        authors=people(
            "Fujisawa T", "Hozumi H", "Kono M", "Enomoto N", "Hashimoto D", "Nakamura Y"
        ),
        et_al=True,
        journal="PLoS One",
        year=2014,
        volume="9",
        page_start="e98824",
    )


def test_ama_language_note_is_not_part_of_the_title() -> None:
    ref = parse(MARKDOWN[17])
    assert ref.style == "ama"
    assert ref.note == "Article in Japanese"
    assert ref.fields == Bibliographic(
        title="[Effectiveness of tacrolimus in a case of polymyositis]",
        authors=people("Joki H", "Yamaguchi S", "Segawa F", "Kuroiwa Y"),
        journal="Rinsho Shinkeigaku",
        year=2005,
        volume="45",
        page_start="121",
        page_end="124",
    )


def test_ama_group_author_after_et_al() -> None:
    ref = parse(MARKDOWN[28])
    assert ref.style == "ama"
    assert ref.fields == Bibliographic(
        title="An official ATS/ERS/JRS/ALAT statement: idiopathic pulmonary fibrosis: "
        "evidence-based guidelines for diagnosis and management",
        authors=people(
            "Raghu G",
            "Collard HR",
            "Egan JJ",
            "Martinez FJ",
            "Behr J",
            "Brown KK",
            "ATS/ERS/JRS/ALAT Committee on Idiopathic Pulmonary Fibrosis",
        ),
        et_al=True,
        journal="Am J Respir Crit Care Med",
        year=2011,
        volume="183",
        page_start="788",
        page_end="824",
    )


def test_ama_corporate_author_and_title_with_full_stops() -> None:
    fields = parse(MARKDOWN[29]).fields
    assert fields.authors == (Person("American Thoracic Society"),)
    assert fields.title == (
        "Idiopathic pulmonary fibrosis: diagnosis and treatment. International consensus "
        "statement. American Thoracic Society (ATS), and the European Respiratory Society (ERS)"
    )
    assert fields.journal == "Am J Respir Crit Care Med"


def test_ama_title_ending_in_question_mark_and_single_page() -> None:
    assert parse(MARKDOWN[37]).fields.title.endswith("disease progression and prognosis?")
    assert (parse(MARKDOWN[38]).fields.page_start, parse(MARKDOWN[38]).fields.page_end) == (
        "228",
        None,
    )
    assert parse(MARKDOWN[19]).fields.journal == "Lancet Lond Engl"


@pytest.mark.parametrize(
    ("text", "family_names"),
    [
        (MARKDOWN[32], ("La Corte", "Lo Mo Naco", "Locaputo", "Dolzani", "Trotta")),
        (MARKDOWN[34], ("Fischer", "du Bois")),
        (
            MARKDOWN[10],
            ("Fischer", "Brown", "Du Bois", "Frankel", "Cosgrove", "Fernandez-Perez"),
        ),
        (SPRINGER[13], ("Labirua-Iturburu", "Selva-O'Callaghan", "Martínez-Gómez")),
        (SPRINGER[2], ("Hassan", "van der Net", "van Royen-Kerkhof")),
    ],
)
def test_family_names_with_particles_and_hyphens(text: str, family_names: tuple[str, ...]) -> None:
    assert tuple(person.family for person in parse(text).fields.authors) == family_names


def springer(text: str, **fields: object) -> tuple[str, Bibliographic]:
    """A Springer specification: the string and the fields it must give."""
    return text, Bibliographic(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        springer(  # ...CrossRefGoogle Scholar
            SPRINGER[0],
            title="Comparative clinical pharmacokinetics of tacrolimus in paediatric and adult "
            "patients",
            authors=people("Wallemacq PE", "Verbeeck RK"),
            journal="Clin Pharmacol kinet",
            year=2001,
            volume="40",
            page_start="283",
            page_end="295",
        ),
        springer(  # ...CrossRefPubMedGoogle Scholar
            SPRINGER[1],
            title="Efficacy of tacrolimus in treatment of polymyositis associated with "
            "myasthenia gravis",
            authors=people("Shimojima Y", "Gono T", "Yamamoto K"),
            et_al=True,
            journal="Clin Rheumatol",
            year=2004,
            volume="23",
            page_start="262",
            page_end="265",
        ),
        springer(  # ...PubMedCentralCrossRefPubMedGoogle Scholar
            SPRINGER[8],
            title="Tacrolimus in refractory polymyositis with interstitial lung disease",
            authors=people("Oddis CV", "Sciurba FC", "Elmagd KA"),
            et_al=True,
            journal="Lancet",
            year=1999,
            volume="353",
            page_start="1762",
            page_end="1763",
        ),
        springer(  # ...PubMedGoogle Scholar
            SPRINGER[10],
            title="The effects of FK506 on refractory inflammatory myopathies",
            authors=people("Mitsui T", "Kuroda Y", "Ueno S"),
            et_al=True,
            journal="Acta Neurol Belg",
            year=2011,
            volume="111",
            page_start="188",
            page_end="194",
        ),
        springer(  # ...Google Scholar
            SPRINGER[7],
            title="Corticosteroid-sparing effect of tacrolimus in the initial treatment of "
            "dermatomyositis and polymyositis",
            authors=people("Yokoyama Y", "Furuta S", "Ikeda K"),
            et_al=True,
            journal="Mod Rheumatol",
            year=2015,
            volume="16",
            page_start="1",
            page_end="22",
        ),
        springer(  # two corporate authors
            SPRINGER[5],
            title="Idiopathic pulmonary fibrosis: diagnosis and treatment. International "
            "consensus statement",
            authors=people("American Thoracic Society", "European Respiratory Society"),
            journal="Am J Respir Crit Care Med",
            year=2000,
            volume="161",
            page_start="646",
            page_end="664",
        ),
    ],
)
def test_springer_with_each_kind_of_link_noise(text: str, expected: Bibliographic) -> None:
    ref = parse(text)
    assert ref.style == "springer"
    assert ref.note is None
    assert ref.fields == expected


def test_news_citation_line() -> None:
    ref = parse(NEWS_LINE)
    assert ref.style == "news-citation"
    assert ref.note == "published online September 1, 2017"
    assert ref.fields == Bibliographic(
        title="Myositis-associated interstitial lung disease: Predictors of failure of "
        "conventional treatment and response to tacrolimus in a US cohort",
        authors=people("Sharma N", "Putman MS", "Vij R", "Strek ME", "Dua A"),
        journal="J Rheumatol",
        year=2017,
        doi="10.3899/jrheum.161217",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a year suffix, no issue, an en dash; the journal spelled out
            "Bohan, A. and Peter, J.B. (1975b) 'Polymyositis and dermatomyositis (second of two "
            "parts)', New England Journal of Medicine, 292, pp. 403\u2013407.",
            Bibliographic(
                title="Polymyositis and dermatomyositis (second of two parts)",
                authors=people("Bohan A", "Peter JB"), journal="New England Journal of Medicine",
                year=1975, volume="292", page_start="403", page_end="407"),
        ),
        (  # curly quotes, "et al.", an issue and a DOI; a title holding an apostrophe
            "Lima, A.-M. et al. (2015) \u2018Sj\u00f6gren's syndrome and myositis\u2019, Clinical "
            "Rheumatology, 34(2), pp. 200\u201304. doi:10.1007/S10067-014-2000-1.",
            Bibliographic(
                title="Sj\u00f6gren's syndrome and myositis", authors=people("Lima A-M"),
                et_al=True, journal="Clinical Rheumatology", year=2015, volume="34", issue="2",
                page_start="200", page_end="204", doi="10.1007/s10067-014-2000-1"),
        ),
        (  # a corporate author, "&", a single page
            "World Health Organization & Roe, R. (2010) 'A report', Bulletin, 88, p. 5.",
            Bibliographic(
                title="A report", authors=(Person("World Health Organization"), Person("Roe", "R")),
                journal="Bulletin", year=2010, volume="88", page_start="5"),
        ),
    ],
)
def test_harvard_author_date_references(text: str, expected: Bibliographic) -> None:
    ref = parse(text)
    assert ref.style == "harvard"
    assert ref.fields == expected


def test_a_harvard_reference_without_quotes_is_not_taken_for_harvard() -> None:
    with pytest.raises(ReferenceParseError, match="no known style"):
        parse("Bohan, A. and Peter, J.B. (1975) Polymyositis, NEJM, 292, pp. 403-407.")


def test_same_work_in_three_styles_gives_the_same_core_fields() -> None:
    works = [parse(JOURNAL_LIST[11]), parse(SPRINGER[8]), parse(MARKDOWN[19])]
    assert [ref.style for ref in works] == ["vancouver", "springer", "ama"]
    assert {(ref.fields.year, ref.fields.volume, ref.fields.page_end) for ref in works} == {
        (1999, "353", "1763")
    }


# --- the whole corpus -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", EVERY)
def test_every_corpus_reference_parses(text: str) -> None:
    fields = parse(text).fields
    assert fields.year and fields.journal and fields.title and fields.authors
    assert "*" not in fields.journal + fields.title
    assert not fields.title.endswith(".")


@pytest.mark.parametrize("text", EVERY)
def test_render_vancouver_round_trips(text: str) -> None:
    fields = parse(text).fields
    rendered = render_vancouver(fields)
    again = parse(rendered)
    assert again.style == "vancouver"
    assert again.fields == fields


def test_render_vancouver_prints_full_pages_and_identifiers() -> None:
    fields = Bibliographic(
        title="Title",
        authors=people("Oddis CV"),
        journal="Lancet",
        year=1999,
        volume="353",
        issue="9166",
        page_start="1762",
        page_end="1763",
        doi="10.1016/s0140-6736(99)01927-3",
        pmid="10347995",
        pmcid="PMC2987654",
    )
    rendered = render_vancouver(fields)
    assert rendered.startswith("Oddis CV. Title. Lancet. 1999;353(9166):1762-1763.")
    assert parse(rendered).fields == fields


# --- refusals -------------------------------------------------------------------------------------


def test_truncated_reference_names_its_line() -> None:
    with pytest.raises(ReferenceParseError) as caught:
        parse(SONTHEIMER_HEAD, line=291)
    assert caught.value.line == 291
    assert str(caught.value).startswith("doc.txt:291: ")
    assert "truncated" in str(caught.value)


def test_tail_of_a_broken_entry_is_refused() -> None:
    with pytest.raises(ReferenceParseError, match=r"no title.*broken across lines"):
        parse(SONTHEIMER_TAIL, line=293)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "☃ ∂∆ \U0001d518\U0001d52b\U0001d526 ✓ \u200b \u0661\u0669\u0669\u0669",
        "(2001)",
        ". 2001;",
        "*J* 2001;1:1",
        "et al. (1999) . :",
        "doi:10.1000/xyz",
        "[Article in Japanese]",
        "- PubMed",
        "CrossRefGoogle Scholar",
        "12, 34. Title. Journal. 2001;1:1.",
        "x" * 5000,
    ],
)
def test_garbage_raises_reference_parse_error(text: str) -> None:
    with pytest.raises(ReferenceParseError):
        parse(text)


def test_no_string_raises_anything_but_reference_parse_error() -> None:
    rng = random.Random(20170901)
    words = [*" ".join(EVERY).split(" "), "(", ")", "*", "[", "]", ";", ":", ".", "et al"]
    alphabet = "aZ09 .,;:()[]*-\u2013/?\u00a0\u200bé☃\U0001d518\n\t\u0661"
    for case in range(600):
        if case % 3 == 0:  # a real reference cut off anywhere
            real = rng.choice(EVERY)
            text = real[: rng.randint(0, len(real))]
        elif case % 3 == 1:  # real words in a random order
            text = " ".join(rng.choices(words, k=rng.randint(0, 40)))
        else:
            text = "".join(rng.choices(alphabet, k=rng.randint(0, 120)))
        try:
            result = parse(text)
        except ReferenceParseError:
            continue
        assert isinstance(result, ParsedReference)


# --- one reading per distinct string -------------------------------------------------------------


def test_documents_citing_a_work_in_the_same_words_share_one_record_of_its_fields() -> None:
    text = MARKDOWN[0]
    first = parse_reference(RawReference(text, 12), "documents/a.md")
    second = parse_reference(RawReference(text, 40, label="7"), "documents/b.md")
    assert second.fields is first.fields
    assert (first.source.line, second.source.line, second.source.label) == (12, 40, "7")


def test_a_string_read_before_still_fails_with_the_file_and_line_that_print_it_again() -> None:
    text = "Smith A. A title without any year or journal"
    with pytest.raises(ReferenceParseError) as first:
        parse_reference(RawReference(text, 3), "documents/a.md")
    with pytest.raises(ReferenceParseError) as again:
        parse_reference(RawReference(text, 9), "documents/b.md")
    assert (first.value.path, first.value.line) == ("documents/a.md", 3)
    assert (again.value.path, again.value.line) == ("documents/b.md", 9)
    assert again.value.reason == first.value.reason


def test_the_same_words_with_other_identifiers_beside_them_are_read_apart() -> None:
    text = MARKDOWN[0]
    plain = parse_reference(RawReference(text, 1))
    with_pmid = parse_reference(RawReference(text, 1, identifiers=(("pmid", "999"),)))
    assert with_pmid.fields.pmid == "999"
    assert plain.fields.pmid != "999"
