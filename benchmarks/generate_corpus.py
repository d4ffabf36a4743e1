"""A seeded, deterministic synthetic corpus of PubMed XML records, with curation, for benchmarks.

``python benchmarks/generate_corpus.py --documents N --seed 1 --out DIR`` writes
``DIR/documents/synthetic-NNNN.xml``: PubMed XML files of up to 500 records each. Every record has
a title, 3-8 authors, journal, year, volume, issue, pages, DOI, PMID, an abstract naming drugs,
antibodies and diseases from ``ontology/vocabulary/*.ttl`` with 3-8 result sentences in the usual
written forms, and a ``ReferenceList`` of 20-40 citation strings with the cited work's PMID, each
record's list in one of the styles the reference parser knows (Vancouver, AMA or Springer). Cited
works are drawn with a Zipf-like popularity from a pool holding the corpus itself and twice as
many outside works, so a few are cited thousands of times and most once or never; about one
citation string in 40 misprints the last page, as reference lists do.

Every record's result sentences are curated the way a reviewer would: ``DIR/curation/`` holds one
record per PubMed record (populations, findings with their numbers, p-values and verbatim quotes),
checked by the build against the project's curation schema, every quote and number as for the
real corpus.

One format only (PubMed XML): it carries abstracts and references together. A MEDLINE copy of
the same records would be merged away by the build (same DOI), taking the references with it.
Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

CHECKOUT = Path(__file__).resolve().parents[1]
MAILD = Namespace("https://w3id.org/ma-ild/ontology#")
VOCAB = "https://w3id.org/ma-ild/vocab/"
PER_FILE = 500
MISPRINT_EVERY = 40  # about one citation string in 40 prints the last page wrong
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


Concepts = dict[str, list[tuple[str, str]]]  # kind -> (vocabulary id, preferred label)


def concepts(ontology: Path) -> Concepts:
    """Drugs, antibodies, diseases and outcomes by id and label, sorted (so: deterministic)."""
    graph = Graph()
    for path in sorted((ontology / "vocabulary").glob("*.ttl")):
        graph.parse(path, format="turtle")
    kinds = {"drug": MAILD.Drug, "antibody": MAILD.Autoantibody, "disease": MAILD.Disease,
             "outcome": MAILD.Outcome}
    return {name: sorted((str(s)[len(VOCAB):], str(graph.value(s, SKOS.prefLabel)))
                         for s in graph.subjects(RDF.type, k)
                         if graph.value(s, SKOS.prefLabel) is not None)
            for name, k in kinds.items()}


def make_work(rng: random.Random, pmid: int, words: Concepts) -> Work:
    drug, disease = rng.choice(words["drug"])[1], rng.choice(words["disease"])[1]
    title = (f"{drug.capitalize()} for interstitial lung disease in {disease}: "
             f"{rng.choice(TOPICS)} (study {pmid}).")
    authors = tuple((rng.choice(FAMILIES), "".join(rng.choices("ABCDEFGHJKLMNPRSTW", k=2)))
                    for _ in range(rng.randint(3, 8)))
    first = rng.randint(1, 2000)
    return Work(pmid, title, authors, rng.choice(JOURNALS), rng.randint(1990, 2024),
                rng.randint(1, 80), rng.randint(1, 12), first, first + rng.randint(3, 14))


@dataclass
class Abstract:
    """An abstract's sentences and their curation: populations and findings quoting them."""

    sentences: list[str] = field(default_factory=list)
    populations: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def add(self, sentence: str, finding: dict[str, Any], population: dict[str, Any] | None = None
            ) -> None:
        """One result sentence, the finding it states and, if it names one, its own population."""
        number = len(self.sentences)
        self.sentences.append(sentence)
        if population is not None:
            self.populations[f"group-{number}"] = {**population, "quote": number}
        self.findings.append({"id": f"result-{number}", **finding, "quote": number,
                              "population": f"group-{number}" if population else "cohort"})


def results(rng: random.Random, words: Concepts, abstract: Abstract) -> None:
    """3-8 result sentences in the forms abstracts use, each curated as one finding."""
    for _ in range(rng.randint(3, 8)):
        (drug_id, drug), (antibody_id, antibody) = rng.choice(words["drug"]), rng.choice(
            words["antibody"])
        n = rng.randint(5, 120)
        k = rng.randint(1, n)
        percent = round(100 * k / n)
        before = round(rng.uniform(10, 60), 1)
        after = round(before * rng.uniform(0.2, 0.9), 1)
        given = {"interventions": [{"drug": drug_id}], "kind": "outcome", "direction": "improved"}
        form = rng.randrange(6)
        if form == 0:
            abstract.add(
                f"Of {n} patients treated with {drug}, {k} ({percent}%) had improvement in ILD.",
                {**given, "outcome": "ild-response",
                 "result": {"responders": k, "total": n, "percent": percent}},
                {"description": f"patients treated with {drug}", "n": n, "parent": "cohort"})
        elif form == 1:
            abstract.add(
                f"The daily prednisone dose decreased from {before} to {after} mg/day after {drug} "
                f"(p < 0.001).",
                {**given, "outcome": "glucocorticoid-dose", "dose_of": "prednisone",
                 "result": {"before": {"mean": before}, "after": {"mean": after},
                            "unit": "mg/day", "p_value": "<0.001"}})
        elif form == 2:
            abstract.add(
                f"{k} of {n} {antibody}-positive patients ({percent}%) had ILD.",
                {"kind": "characteristic", "characteristic": "interstitial-lung-disease",
                 "direction": "not-applicable",
                 "result": {"count": k, "total": n, "percent": percent}},
                {"description": f"{antibody}-positive patients", "n": n,
                 "antibodies": [antibody_id]})
        elif form == 3:
            change, p = round(rng.uniform(2, 20), 1), rng.randint(1, 4)
            abstract.add(
                f"FVC improved by {change}% with {drug} (p = 0.0{p}).",
                {**given, "outcome": "fvc", "result": {"percent_change": change,
                                                       "p_value": f"0.0{p}"}})
        elif form == 4:
            abstract.add(
                f"Creatine kinase fell from {int(before * 100)} to {int(after * 100)} IU/L in "
                f"{k} patients given {drug}.",
                {**given, "outcome": "creatine-kinase",
                 "result": {"before": {"mean": int(before * 100)},
                            "after": {"mean": int(after * 100)}, "unit": "IU/L"}},
                {"description": f"patients given {drug}", "n": k, "parent": "cohort"})
        else:
            prior_id, prior = rng.choice([d for d in words["drug"] if d[0] != drug_id])
            abstract.add(
                f"Before {drug}, {k} patients had failed {prior}.",
                {"kind": "outcome", "direction": "no-change", "outcome": "treatment-response",
                 "interventions": [{"drug": prior_id, "role": "prior-failed"}]},
                {"description": f"patients who had failed {prior} before {drug}", "n": k,
                 "parent": "cohort", "refractory": True})


def _quote(text: str, at: int, sentence: str) -> str | dict[str, Any]:
    """The quote of ``sentence`` standing at ``at`` in ``text``, its occurrence if it repeats."""
    starts, found = [], text.find(sentence)
    while found != -1:
        starts.append(found)
        found = text.find(sentence, found + 1)
    return sentence if len(starts) == 1 else {"text": sentence,
                                              "occurrence": starts.index(at) + 1}


def curation(path: str, title: str, abstract: Abstract) -> str:
    """The curation record of one PubMed record, quoting its file text (XML-escaped) verbatim."""
    escaped = [escape(s) for s in abstract.sentences]
    text = escape(title) + "\n" + " ".join(escaped)  # the record's prose, in reading order
    at, quotes = len(escape(title)) + 1, []
    for sentence in escaped:
        quotes.append(_quote(text, at, sentence))
        at += len(sentence) + 1
    populations = {key: {**value, "quote": quotes[value["quote"]]}
                   for key, value in abstract.populations.items()}
    record = {
        "document": path,
        "populations": populations,
        "findings": [{**f, "quote": quotes[f["quote"]]} for f in abstract.findings],
    }
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=4096)


STYLES = ("vancouver", "ama", "springer")


def article_xml(work: Work, abstract: str | None, references: list[Work], style: str) -> str:
    """One PubMed record; without ``abstract``, its citations only."""
    authors = "".join(f"<Author><LastName>{escape(f)}</LastName><Initials>{i}</Initials></Author>"
                      for f, i in work.authors)
    cited = "".join(
        f"<Reference><Citation>{escape(getattr(r, style)())}</Citation><ArticleIdList>"
        f"<ArticleId IdType=\"pubmed\">{r.pmid}</ArticleId></ArticleIdList></Reference>\n"
        for r in references)
    summary = ("" if abstract is None
               else f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>\n")
    return (
        f"<PubmedArticle>\n<MedlineCitation><PMID>{work.pmid}</PMID><Article>"
        f"<Journal><JournalIssue><Volume>{work.volume}</Volume><Issue>{work.issue}</Issue>"
        f"<PubDate><Year>{work.year}</Year></PubDate></JournalIssue>"
        f"<ISOAbbreviation>{work.journal}</ISOAbbreviation></Journal>\n"
        f"<ArticleTitle>{escape(work.title)}</ArticleTitle>\n"
        f"<Pagination><MedlinePgn>{work.first}-{work.last}</MedlinePgn></Pagination>"
        f"<ELocationID EIdType=\"doi\">{work.doi}</ELocationID>\n"
        f"{summary}"
        f"<AuthorList>{authors}</AuthorList>"
        f"<PublicationTypeList><PublicationType>Journal Article</PublicationType>"
        f"</PublicationTypeList></Article></MedlineCitation>\n"
        f"<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">{work.pmid}</ArticleId>"
        f"<ArticleId IdType=\"doi\">{work.doi}</ArticleId></ArticleIdList>\n"
        f"<ReferenceList>\n{cited}</ReferenceList></PubmedData>\n</PubmedArticle>\n"
    )


def generate(documents: int, seed: int, out: Path, ontology: Path = CHECKOUT / "ontology",
             findings: bool = True) -> list[Path]:
    """Write the corpus into ``out/documents`` and its curation into ``out/curation``.

    Without ``findings``, the same records and reference lists (the same works and citations)
    with neither abstract nor curation: what the citation view needs, for a quarter of the
    bytes and a fraction of the build.

    Returns the document files written.
    """
    rng = random.Random(seed)
    words = concepts(ontology)
    pool = [make_work(rng, PMID_BASE + i, words) for i in range(3 * documents)]
    ranks = list(range(len(pool)))
    rng.shuffle(ranks)  # popularity rank -> pool index; corpus works can be popular too
    cum_weights = list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(pool))))
    folder, curated = out / "documents", out / "curation"
    folder.mkdir(parents=True, exist_ok=True)
    curated.mkdir(exist_ok=True)
    written = []
    for number, start in enumerate(range(0, documents, PER_FILE), start=1):
        stem = f"synthetic-{number:04d}"
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n']
        for work in pool[start:min(start + PER_FILE, documents)]:
            drug, (antibody_id, antibody) = rng.choice(words["drug"])[1], rng.choice(
                words["antibody"])
            (disease_id, disease), outcome = rng.choice(words["disease"]), rng.choice(
                words["outcome"])[1]
            abstract = Abstract(
                [f"We studied {drug} in {disease} with {antibody} and interstitial lung disease "
                 f"(ILD), judging {outcome}."],
                {"cohort": {"description": f"patients with {disease} and {antibody} studied",
                            "diseases": [disease_id], "antibodies": [antibody_id], "quote": 0}})
            results(rng, words, abstract)
            picked = {ranks[i] for i in rng.choices(range(len(pool)), cum_weights=cum_weights,
                                                    k=rng.randint(20, 40))}
            references = [misprinted(pool[i]) if rng.randrange(MISPRINT_EVERY) == 0 else pool[i]
                          for i in sorted(picked) if pool[i].pmid != work.pmid]
            parts.append(article_xml(work, " ".join(abstract.sentences) if findings else None,
                                     references, rng.choice(STYLES)))
            if findings:
                (curated / f"{stem}-{work.pmid}.yaml").write_text(
                    curation(f"documents/{stem}.xml#pmid-{work.pmid}", work.title, abstract),
                    encoding="utf-8")
        parts.append("</PubmedArticleSet>\n")
        path = folder / f"{stem}.xml"
        path.write_text("".join(parts), encoding="utf-8")
        written.append(path)
    return written


def misprinted(work: Work) -> Work:
    """The work as a reference list misprints it: the last page one too high."""
    return replace(work, last=work.last + 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    files = generate(args.documents, args.seed, args.out)
    print(f"wrote {args.documents} records in {len(files)} files to {args.out / 'documents'}, "
          f"their curation to {args.out / 'curation'}")


if __name__ == "__main__":
    main()
