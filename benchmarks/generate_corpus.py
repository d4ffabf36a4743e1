"""A seeded, deterministic synthetic corpus of PubMed XML records, for the scale benchmark.

``python benchmarks/generate_corpus.py --documents N --seed 1 --out DIR`` writes
``DIR/documents/synthetic-NNNN.xml``: PubMed XML files of up to 500 records each. Every record has
a title, 3-8 authors, journal, year, volume, issue, pages, DOI, PMID, an abstract naming drugs,
antibodies and diseases from ``ontology/vocabulary/*.ttl`` with 3-8 result sentences in the usual
written forms, and a ``ReferenceList`` of 20-40 citation strings with the cited work's PMID, each
record's list in one of the styles the reference parser knows (Vancouver, AMA or Springer). Cited
works are drawn with a Zipf-like popularity from a pool holding the corpus itself and twice as
many outside works, so a few are cited thousands of times and most once or never.

One format only (PubMed XML): it carries abstracts and references together. A MEDLINE copy of
the same records would be merged away by the build (same DOI), taking the references with it.
Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MAILD = Namespace("https://w3id.org/ma-ild/ontology#")
PER_FILE = 500
PMID_BASE = 40_000_000
FAMILIES = (
    "Smith", "Jones", "Tanaka", "Muller", "Rossi", "Garcia", "Kim", "Wang", "Nguyen", "Silva",
    "Novak", "Ivanova", "Cohen", "Dubois", "Larsen", "Okafor", "Patel", "Sato", "Moreau",
    "Fischer", "Lopez", "Berg", "Costa", "Yilmaz", "Schmidt", "Ito", "Kowalski", "Horvat",
    "Andersen", "Ahmed", "Takada", "Oddis", "Aggarwal", "Fiorentino", "Selva",
)
JOURNALS = ("Arthritis Rheumatol", "Rheumatology", "Ann Rheum Dis", "Clin Exp Rheumatol",
            "Chest", "Respir Med", "J Rheumatol", "Semin Arthritis Rheum", "Eur Respir J",
            "Mod Rheumatol", "Lung", "BMC Pulm Med")
TOPICS = ("outcomes", "long-term follow-up", "a retrospective cohort", "a multicentre study",
          "treatment response", "survival", "predictors of progression", "a case series")


@dataclass(frozen=True)
class Work:
    """One synthetic work: a corpus record or an outside work that corpus records cite."""

    pmid: int
    title: str
    authors: tuple[tuple[str, str], ...]
    journal: str
    year: int
    volume: int
    issue: int
    first: int
    last: int

    @property
    def doi(self) -> str:
        return f"10.5555/synth.{self.pmid}"

    def vancouver(self) -> str:
        names = [f"{f} {i}" for f, i in self.authors[:6]]
        listed = ", ".join(names) + (", et al" if len(self.authors) > 6 else "")
        return (f"{listed}. {self.title} {self.journal}. "
                f"{self.year};{self.volume}({self.issue}):{self.first}-{self.last}.")

    def ama(self) -> str:
        """AMA: three authors then et al, the journal in (markdown) italics."""
        names = [f"{f} {i}" for f, i in self.authors[:3]]
        listed = ", ".join(names) + (", et al" if len(self.authors) > 3 else "")
        return (f"{listed}. {self.title[:-1]}. *{self.journal}*. "
                f"{self.year};{self.volume}({self.issue}):{self.first}-{self.last}.")

    def springer(self) -> str:
        """Springer: one initial, the year in parentheses, an en dash between the pages."""
        names = [f"{f} {i[0]}" for f, i in self.authors[:3]]
        listed = ", ".join(names) + (" et al" if len(self.authors) > 3 else "")
        return (f"{listed} ({self.year}) {self.title[:-1]}. {self.journal} "
                f"{self.volume}:{self.first}\u2013{self.last}")


def labels(ontology: Path) -> dict[str, list[str]]:
    """Preferred labels of drugs, antibodies, diseases and outcomes, sorted (so: deterministic)."""
    graph = Graph()
    for path in sorted((ontology / "vocabulary").glob("*.ttl")):
        graph.parse(path, format="turtle")
    kinds = {"drug": MAILD.Drug, "antibody": MAILD.Autoantibody, "disease": MAILD.Disease,
             "outcome": MAILD.Outcome}
    return {name: sorted(str(graph.value(s, SKOS.prefLabel)) for s in graph.subjects(RDF.type, k)
                         if graph.value(s, SKOS.prefLabel) is not None)
            for name, k in kinds.items()}


def make_work(rng: random.Random, pmid: int, words: dict[str, list[str]]) -> Work:
    drug, disease = rng.choice(words["drug"]), rng.choice(words["disease"])
    title = (f"{drug.capitalize()} for interstitial lung disease in {disease}: "
             f"{rng.choice(TOPICS)} (study {pmid}).")
    authors = tuple((rng.choice(FAMILIES), "".join(rng.choices("ABCDEFGHJKLMNPRSTW", k=2)))
                    for _ in range(rng.randint(3, 8)))
    first = rng.randint(1, 2000)
    return Work(pmid, title, authors, rng.choice(JOURNALS), rng.randint(1990, 2024),
                rng.randint(1, 80), rng.randint(1, 12), first, first + rng.randint(3, 14))


def results(rng: random.Random, words: dict[str, list[str]]) -> list[str]:
    """3-8 result sentences in the forms abstracts use."""
    sentences = []
    for _ in range(rng.randint(3, 8)):
        drug, antibody = rng.choice(words["drug"]), rng.choice(words["antibody"])
        n = rng.randint(5, 120)
        k = rng.randint(1, n)
        before = round(rng.uniform(10, 60), 1)
        after = round(before * rng.uniform(0.2, 0.9), 1)
        sentences.append(rng.choice((
            f"Of {n} patients treated with {drug}, {k} ({round(100 * k / n)}%) had improvement "
            f"in ILD.",
            f"The daily prednisone dose decreased from {before} to {after} mg/day after {drug} "
            f"(p < 0.001).",
            f"{k} of {n} {antibody}-positive patients ({round(100 * k / n)}%) had ILD.",
            f"FVC improved by {round(rng.uniform(2, 20), 1)}% with {drug} "
            f"(p = 0.0{rng.randint(1, 4)}).",
            f"Creatine kinase fell from {int(before * 100)} to {int(after * 100)} IU/L in "
            f"{k} patients given {drug}.",
        )))
    return sentences


STYLES = ("vancouver", "ama", "springer")


def article_xml(work: Work, abstract: str, references: list[Work], style: str) -> str:
    authors = "".join(f"<Author><LastName>{escape(f)}</LastName><Initials>{i}</Initials></Author>"
                      for f, i in work.authors)
    cited = "".join(
        f"<Reference><Citation>{escape(getattr(r, style)())}</Citation><ArticleIdList>"
        f"<ArticleId IdType=\"pubmed\">{r.pmid}</ArticleId></ArticleIdList></Reference>\n"
        for r in references)
    return (
        f"<PubmedArticle>\n<MedlineCitation><PMID>{work.pmid}</PMID><Article>"
        f"<Journal><JournalIssue><Volume>{work.volume}</Volume><Issue>{work.issue}</Issue>"
        f"<PubDate><Year>{work.year}</Year></PubDate></JournalIssue>"
        f"<ISOAbbreviation>{work.journal}</ISOAbbreviation></Journal>\n"
        f"<ArticleTitle>{escape(work.title)}</ArticleTitle>\n"
        f"<Pagination><MedlinePgn>{work.first}-{work.last}</MedlinePgn></Pagination>"
        f"<ELocationID EIdType=\"doi\">{work.doi}</ELocationID>\n"
        f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>\n"
        f"<AuthorList>{authors}</AuthorList>"
        f"<PublicationTypeList><PublicationType>Journal Article</PublicationType>"
        f"</PublicationTypeList></Article></MedlineCitation>\n"
        f"<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">{work.pmid}</ArticleId>"
        f"<ArticleId IdType=\"doi\">{work.doi}</ArticleId></ArticleIdList>\n"
        f"<ReferenceList>\n{cited}</ReferenceList></PubmedData>\n</PubmedArticle>\n"
    )


def generate(documents: int, seed: int, out: Path, ontology: Path = PROJECT_ROOT / "ontology"
             ) -> list[Path]:
    """Write the corpus into ``out/documents``; returns the files written."""
    rng = random.Random(seed)
    words = labels(ontology)
    pool = [make_work(rng, PMID_BASE + i, words) for i in range(3 * documents)]
    ranks = list(range(len(pool)))
    rng.shuffle(ranks)  # popularity rank -> pool index; corpus works can be popular too
    cum_weights = list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(pool))))
    folder = out / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, start in enumerate(range(0, documents, PER_FILE), start=1):
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n']
        for work in pool[start:min(start + PER_FILE, documents)]:
            drug, antibody = rng.choice(words["drug"]), rng.choice(words["antibody"])
            disease, outcome = rng.choice(words["disease"]), rng.choice(words["outcome"])
            abstract = " ".join([
                f"We studied {drug} in {disease} with {antibody} and interstitial lung disease "
                f"(ILD), judging {outcome}.", *results(rng, words)])
            picked = {ranks[i] for i in rng.choices(range(len(pool)), cum_weights=cum_weights,
                                                    k=rng.randint(20, 40))}
            references = [pool[i] for i in sorted(picked) if pool[i].pmid != work.pmid]
            parts.append(article_xml(work, abstract, references, rng.choice(STYLES)))
        parts.append("</PubmedArticleSet>\n")
        path = folder / f"synthetic-{number:04d}.xml"
        path.write_text("".join(parts), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    files = generate(args.documents, args.seed, args.out)
    print(f"wrote {args.documents} records in {len(files)} files to {args.out / 'documents'}")


if __name__ == "__main__":
    main()
