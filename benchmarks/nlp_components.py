"""Mining's three language steps against well-kept NLP components, on the devset and the corpus.

Run ``pip install -e '.[nlp-comparison]'`` then ``python benchmarks/nlp_components.py``; add
``--medspacy-python PATH`` (the interpreter of a virtual environment with ``pip install medspacy``:
medspaCy pins spaCy below 3.8, so it cannot share ours) to measure medspaCy's ConText too. Writes
``docs/nlp-components.json`` (the numbers) and ``docs/nlp-components.md`` (the page,
:func:`render` of the numbers); ``tests/test_nlp_components.py`` checks that the page is the
numbers' and that the project's own numbers are still those the code gives.

Every component runs on ``spacy.blank("en")``: no model is downloaded. Each replaces one step of
:data:`graph.mining.language.PROJECT` through :func:`graph.mining.language.using`, so the
extractor is scored (``graph.mining.scoring``) with it in place:

* sentences: spaCy's ``sentencizer`` and pysbd, each run inside the project's blocks (paragraphs,
  table rows and headings stay the project's), boundaries compared;
* negation: negspacy's ``negex`` and medspaCy's ``ConText`` (default rules), each given the
  project's mention and its sentence; every mention on which the systems disagree is labelled by
  hand in ``tests/fixtures/nlp-labels.json`` (with why), and each system is right or wrong on it;
* abbreviations: scispaCy's ``AbbreviationDetector`` (the same Schwartz-Hearst algorithm on spaCy
  tokens), its (short form, long form) pairs compared and the differences labelled likewise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from graph.inputs.read import read_corpus, read_documents
from graph.mining import language
from graph.mining.language import PROJECT, Components, using
from graph.mining.mentions import find_mentions
from graph.mining.negation import POST_WINDOW, PRE_WINDOW
from graph.mining.scoring import DEVSET, DOCUMENT_SUFFIXES, score_corpus, score_devset, total
from graph.mining.sentences import Sentence, paragraph_blocks, split_blocks, trim
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ROOT / "docs" / "nlp-components.json"
PAGE = ROOT / "docs" / "nlp-components.md"
LABELS = ROOT / "tests" / "fixtures" / "nlp-labels.json"
NEW_LITERATURE = ROOT / "tests" / "fixtures" / "new_literature"
COMMAND = "python benchmarks/nlp_components.py --medspacy-python PATH"
# Installed in a fresh Python 3.11 virtual environment on this project's machine (2 cores), from
# the package index, wheels only: `pip install --dry-run --report` counted the distributions and
# `time pip install NAME` the seconds (2026-12-07; spaCy's 44 includes itself).
INSTALLS = {
    "spacy": (44, 89), "pysbd": (1, 3), "negspacy": (45, 92), "scispacy": (56, 174),
    "medspacy": (67, 157),
}
NOTES = {
    "medspacy": "pins spacy<3.8 (3.7.5, thinc 8.2, blis 0.7) and numpy<2, and installs pytest, "
                "nltk, PyRuSH and quicksectx at run time",
    "scispacy": "pulls scikit-learn, nmslib-metabrainz, conllu, joblib (and pins numpy<2) for its "
                "linkers; the AbbreviationDetector itself needs only spaCy",
    "negspacy": "spaCy and one small module of trigger lists",
    "pysbd": "pure Python, no dependencies",
    "spacy": "thinc, blis, srsly, pydantic, typer, weasel, numpy: about 200 MB installed",
}


# ----------------------------------------------------------------------------- the texts

def documents() -> list[Document]:
    """The development set's studies, the corpus's documents and the new-literature records
    (the last have no curated findings: they count for sentences, negation and definitions)."""
    devset = [d for p in sorted((ROOT / DEVSET).iterdir()) if p.suffix in DOCUMENT_SUFFIXES
              for d in read_documents(p, ROOT / DEVSET)]
    records = [d for p in sorted(NEW_LITERATURE.iterdir()) if p.suffix not in (".json", ".md")
               for d in read_documents(p, NEW_LITERATURE)]
    return devset + read_corpus(ROOT / "corpus" / "documents", ROOT / "corpus") + records


def regions(document: Document) -> Iterable[tuple[int, int, str]]:
    """The prose regions mining reads (records' spans, else the whole text), with their text."""
    for start, end in document.spans or ((0, len(document.text)),):
        yield start, end, document.text[start:end]


# ----------------------------------------------------------------------------- the steps measured

def boundaries(documents: list[Document]) -> set[tuple[str, int]]:
    """Where prose sentences end inside a paragraph (not at its end), by document and offset."""
    found = set()
    for document in documents:
        for start, _end, text in regions(document):
            ends = {s.end for s in language.sentences(text) if not s.row}
            for a, b, row in paragraph_blocks(text):
                found |= {(document.path, start + e) for e in ends if not row and a < e < b}
    return found


def negations(documents: list[Document],
              vocabulary: Vocabulary) -> dict[tuple[str, int, str], bool]:
    """Every mention mining finds, (document, offset, text) -> negated."""
    found = {}
    for document in documents:
        for start, _end, text in regions(document):
            for m in find_mentions(text, vocabulary):
                found[(document.path, start + m.start, m.text)] = m.negated
    return found


def definitions(documents: list[Document]) -> set[tuple[str, str, str]]:
    """Every distinct (document, short form, long form) the texts define."""
    return {(document.path, short, text[a:b]) for document in documents
            for _s, _e, text in regions(document) for short, a, b in language.definitions(text)}


def scores() -> dict[str, dict[str, list[int]]]:
    """The extraction's tallies, by finding and by number, on the development set and corpus."""
    out = {}
    for name, found in (("devset", score_devset(ROOT / DEVSET)),
                        ("corpus", score_corpus(Paths.of_project(ROOT)))):
        overall = total(found)
        out[name] = {kind: [t.correct, t.predicted, t.found, t.curated] for kind, t in
                     (("finding", overall.findings), ("number", overall.numbers))}
    return out


def steps(components: Components, step: str, docs: list[Document],
          vocabulary: Vocabulary) -> dict[str, Any]:
    """What ``components`` give on every text: boundaries, negated mentions, definitions."""
    with using(components):
        mentions = negations(docs, vocabulary)
        return {"name": components.name, "step": step,
                "boundaries": sorted(boundaries(docs)),
                "negated": sorted(k for k, v in mentions.items() if v), "mentions": len(mentions),
                "definitions": sorted(definitions(docs))}


def measure(components: Components, step: str, docs: list[Document],
            vocabulary: Vocabulary) -> dict[str, Any]:
    """:func:`steps`, and the extraction scores with ``components`` in place."""
    with using(components):
        return {**steps(components, step, docs, vocabulary), "scores": scores()}


def project_steps() -> dict[str, Any]:
    """The project's own steps on every text (what the test recomputes; the extraction scores
    are left out, so that a change of the extractor alone does not need the libraries to
    regenerate this page: ``docs/extraction-score.md`` follows those)."""
    vocabulary = load_vocabulary(ROOT / "ontology" / "vocabulary")
    return steps(PROJECT, "all", documents(), vocabulary)


# ----------------------------------------------------------------------------- the components

def _paragraphs_by(
    split: Callable[[str], list[tuple[int, int]]],
) -> Callable[[str], list[Sentence]]:
    """A library's splitter in place of the project's, paragraph for paragraph."""
    return lambda text: split_blocks(
        text, lambda text, start, end: [(start + a, start + b) for a, b in split(text[start:end])])


def alternatives() -> list[tuple[str, Components]]:
    """Each component in place of one step of the project's (spaCy blank pipelines only)."""
    import negspacy.negation  # noqa: F401  registers "negex"
    import pysbd
    import scispacy.abbreviation  # noqa: F401  registers "abbreviation_detector"
    import spacy

    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    negex = spacy.blank("en")
    negex.add_pipe("negex")
    detector = spacy.blank("en")
    detector.add_pipe("abbreviation_detector")

    def mention_doc(text: str, sentence: Sentence, start: int, end: int) -> tuple[Any, Any]:
        """The sentence as one spaCy sentence, and the mention as its only entity (or None)."""
        doc = negex.make_doc(text[sentence.start:sentence.end])
        for token in doc:
            token.is_sent_start = token.i == 0
        span = doc.char_span(start - sentence.start, end - sentence.start, label="MENTION",
                             alignment_mode="expand")
        if span is not None:
            doc.ents = [span]
        return doc, span

    def negspacy_negated(text: str, sentence: Sentence, start: int, end: int) -> bool:
        doc, span = mention_doc(text, sentence, start, end)
        return span is not None and bool(negex.get_pipe("negex")(doc).ents[0]._.negex)

    def windowed_negated(text: str, sentence: Sentence, start: int, end: int) -> bool:
        """negspacy's triggers and terminations, within the project's word windows."""
        doc, span = mention_doc(text, sentence, start, end)
        if span is None:
            return False
        before, after, ends = negex.get_pipe("negex").process_negations(doc)
        ends_at = [e[1] for e in ends]
        return any(end <= span.start and span.start - end <= PRE_WINDOW
                   and not any(end <= t < span.start for t in ends_at) for _i, _s, end in before
                   ) or any(begin >= span.end and begin - span.end <= POST_WINDOW
                            and not any(span.end <= t < begin for t in ends_at)
                            for _i, begin, _e in after)

    def scispacy_definitions(text: str) -> list[tuple[str, int, int]]:
        found = {}
        for short in detector(text)._.abbreviations:
            long = short._.long_form
            if long.end_char <= short.start_char:  # the definition, not a later use
                start, end = trim(text, long.start_char, long.end_char)  # no trailing space token
                found.setdefault(short.text, (short.text, start, end))
        return list(found.values())

    return [
        ("sentences", replace(PROJECT, name="spaCy sentencizer", sentences=_paragraphs_by(
            lambda t: [(s.start_char, s.end_char) for s in sentencizer(t).sents]))),
        ("sentences", replace(PROJECT, name="pysbd", sentences=_paragraphs_by(
            # a line break inside a paragraph is a wrapped line, not an end (same length kept)
            lambda t: [(s.start, s.end) for s in segmenter.segment(t.replace("\n", " "))]))),
        ("negation", replace(PROJECT, name="negspacy", negated=negspacy_negated)),
        ("negation", replace(PROJECT, name="negspacy in the project's windows",
                             negated=windowed_negated)),
        ("definitions", replace(PROJECT, name="scispaCy", definitions=scispacy_definitions)),
    ]


_CONTEXT = """
import json, sys, spacy
from medspacy.context import ConText
nlp = spacy.blank("en"); context = ConText(nlp, rules="default")
out = []
for sentence, start, end in json.load(sys.stdin):
    doc = nlp.make_doc(sentence)
    span = doc.char_span(start, end, label="MENTION", alignment_mode="expand")
    if span is None:
        out.append(False); continue
    doc.ents = [span]
    for token in doc:
        token.is_sent_start = token.i == 0
    out.append(bool(context(doc).ents[0]._.is_negated))
import medspacy; print(json.dumps({"version": medspacy.__version__, "negated": out}))
"""


def medspacy_negations(python: str, docs: list[Document], vocabulary: Vocabulary) -> dict[str, Any]:
    """medspaCy ConText's reading of every mention, run by another interpreter."""
    keys, jobs = [], []
    for document in docs:
        for start, _end, text in regions(document):
            spans = language.sentences(text)
            for m in find_mentions(text, vocabulary):
                sentence = next((s for s in spans if s.start <= m.start < s.end), None)
                if sentence is not None:
                    keys.append((document.path, start + m.start, m.text))
                    jobs.append((text[sentence.start:sentence.end], m.start - sentence.start,
                                 m.end - sentence.start))
    run = subprocess.run([python, "-c", _CONTEXT], input=json.dumps(jobs), text=True,
                         capture_output=True, check=True)
    answer = json.loads(run.stdout)
    return {"name": "medspaCy ConText", "step": "negation", "version": answer["version"],
            "negated": sorted(k for k, v in zip(keys, answer["negated"], strict=True) if v),
            "mentions": len(keys)}


# ----------------------------------------------------------------------------- judging

def _key(item: Iterable[Any]) -> str:
    return " | ".join(str(x) for x in item)


def judged(numbers: dict[str, Any], labels: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per system, right and wrong on the hand-labelled disagreements (each must be labelled)."""
    systems = [numbers["project"], *numbers["alternatives"]]
    out: dict[str, Any] = {}
    for field, step in (("negated", "negation"), ("definitions", "definitions")):
        compared = [s for s in systems if s["step"] in (step, "all")]
        sets = {s["name"]: {_key(x) for x in s[field]} for s in compared}
        disputed = set.union(*sets.values()) - set.intersection(*sets.values())
        missing = sorted(disputed - labels[field].keys())
        if missing:
            raise SystemExit(f"{LABELS.name}: label these {field} first: {missing}")
        truth = {k: labels[field][k]["true"] for k in disputed}
        out[field] = {name: {"right": sum((k in found) == truth[k] for k in disputed),
                             "of": len(disputed), "found": len(found),
                             "false": sum(k in found and not truth[k] for k in disputed),
                             "missed": sum(k not in found and truth[k] for k in disputed)}
                      for name, found in sets.items()}
    return out


# ----------------------------------------------------------------------------- the page

def _pct(tally: list[int]) -> str:
    correct, predicted, found, curated = tally
    return (f"{correct}/{predicted} ({100 * correct / predicted:.1f}%) · "
            f"{found}/{curated} ({100 * found / curated:.1f}%)")


def render(numbers: dict[str, Any]) -> str:
    """The page, from the numbers alone."""
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    verdict = judged(numbers, labels)
    project = numbers["project"]
    systems = [project, *numbers["alternatives"]]
    lines = [
        "# NLP components: the project's rules against well-kept libraries",
        "",
        f"Written by `{COMMAND}` from `docs/nlp-components.json`; "
        "`tests/test_nlp_components.py` fails when the project's sentences, negations or "
        "definitions no longer match the code. The extraction scores are those of the commit "
        "that wrote the page (today's: `docs/extraction-score.md`).",
        "Texts: the development set (`tests/fixtures/devset/`, 12 studies), the corpus (5 "
        "documents) and the new-literature records (`tests/fixtures/new_literature/`, for "
        "negation, definitions and sentences only: no curated findings), every prose region "
        "mining reads. Each component runs on `spacy.blank(\"en\")` "
        "(nothing downloaded) in place of one step of `graph.mining.language.PROJECT`, so the "
        "extractor is scored with it in place (`python -m graph.mining.scoring`: "
        "precision · recall).",
        "",
        "## Extraction scores with each component in place",
        "",
        "| system | step replaced | devset by finding | devset by number | corpus by finding "
        "| corpus by number |",
        "|---|---|---|---|---|---|",
    ]
    for s in systems:
        if "scores" not in s:
            lines.append(f"| {s['name']} | {s['step']} | not run (another interpreter) | | | |")
            continue
        sc = s["scores"]
        lines.append(f"| {s['name']} | {s['step']} | {_pct(sc['devset']['finding'])} | "
                     f"{_pct(sc['devset']['number'])} | {_pct(sc['corpus']['finding'])} | "
                     f"{_pct(sc['corpus']['number'])} |")
    lines += ["", "## Sentence boundaries", "",
              "Boundaries inside a paragraph (block structure, table rows and headings are the "
              "project's for all).", "",
              "| splitter | boundaries | shared with the project's | only this splitter's |",
              "|---|---|---|---|"]
    own = len(project["boundaries"])
    lines.append(f"| {project['name']} | {own} | {own} | 0 |")
    for s in numbers["alternatives"]:
        if s["step"] == "sentences":
            count, shared = s["boundaries"]["count"], s["boundaries"]["shared"]
            lines.append(f"| {s['name']} | {count} | {shared} | {count - shared} |")
    for field, title, unit in (("negated", "Negation", "mentions"),
                               ("definitions", "Abbreviation definitions", "definitions")):
        rows = verdict[field]
        disputed = next(iter(rows.values()))["of"]
        lines += ["", f"## {title}", "",
                  f"Every {unit[:-1]} on which the systems disagree ({disputed}) is labelled by "
                  f"hand in `tests/fixtures/nlp-labels.json`, with why.", "",
                  f"| system | {'negated mentions' if field == 'negated' else 'definitions'} found "
                  "| right on the disagreements | found but wrong | missed |",
                  "|---|---|---|---|---|"]
        for s in systems:
            if s["name"] in rows:
                r = rows[s["name"]]
                lines.append(f"| {s['name']} | {r['found']} | {r['right']}/{r['of']} "
                             f"| {r['false']} | {r['missed']} |")
    lines += ["", "## What installing each costs", "",
              "| package | version measured | distributions in a fresh venv | install time (s) "
              "| what it brings |", "|---|---|---|---|---|"]
    for package, (count, seconds) in INSTALLS.items():
        measured = numbers["versions"].get(package) or "not measured"
        lines.append(f"| {package} | {measured} | {count} | {seconds} | {NOTES[package]} |")
    lines += ["", "## Decision", "", *DECISION, ""]
    return "\n".join(lines)


DECISION = [
    "The project's own rules stay in every step, behind `graph.mining.language`; no component is "
    "a dependency of the package. The libraries sit in the `nlp-comparison` extra (medspaCy in a "
    "virtual environment of its own), so that this page can be regenerated.",
    "",
    "Labels cover only what the systems dispute: a mention every system reads alike is not "
    "judged. The first run on the new-literature records found two wrong negations of the "
    "project's (\"without any increase in prednisone, and PFT ...\"; \"neither clinical "
    "features nor serology predicted the response to therapy\"), where negspacy was right once; "
    "both became general pseudo-triggers (`graph/mining/negation.py`) before the numbers above.",
    "",
    "- **Negation**: negspacy and medspaCy's ConText scope a trigger to the end of its sentence "
    "(or the next terminator) with no word window, so in papers' long sentences a \"not\" early "
    "on denies every entity after it (\"23 patients did not respond to conventional therapy and "
    "received ... cyclophosphamide (CYC) or tacrolimus\"), and \"no statistically significant "
    "difference in the prevalence of honeycombing\" denies the honeycombing. ConText also "
    "misses \"anti-MDA5 that were not routinely tested\". Given the project's word windows, "
    "negspacy's trigger lists still negate where the project's pseudo-triggers (\"did not "
    "respond to\", \"no significant difference\") know better. The extraction scores do not move "
    "(no disputed mention is in a result sentence), but the graph's negated-mention counts "
    "(`maild:negatedCount`) would count every \"found but wrong\" mention above.",
    "- **Abbreviations**: scispaCy's detector is the same algorithm on spaCy tokens, so a "
    "hyphenated short form (\"MA-ILD\": three tokens) fails its length filter, a short form "
    "glued to what follows (\"(MMF)<sup>\", \"(PM)-ILD\") is not seen, and "
    "\"polymyositis (PM)/dermatomyositis (DM)\" gives \"PM)/dermatomyositis\". Its install "
    "brings scikit-learn and nmslib for entity linkers the project does not use.",
    "- **Sentences**: pysbd (given wrapped lines as spaces) cuts inside a parenthesised count, "
    "\"79% of the IVIG group (37 of | 47)\", and the development set loses that finding's "
    "numbers. spaCy's sentencizer scores the same as the project's splitter, but misses prose "
    "ends after a unit (\"2933.4 U/l. The most ...\", \"9 mg/d. All 10 ...\") and cuts "
    "reference lines after \"et al.\" and inside markdown emphasis; it is not worth spaCy's "
    "44 distributions for that.",
    "- **medspaCy** cannot share an environment with current spaCy (it pins spaCy 3.7.5 and "
    "numpy<2) and installs pytest at run time: ruled out as a dependency on that alone; its "
    "ConText, run from its own environment, reads negation much as negspacy does (above).",
]


def _summary(alternative: dict[str, Any], project: dict[str, Any]) -> dict[str, Any]:
    """An alternative's numbers with only what its step changes (boundaries as counts)."""
    kept = {"sentences": "boundaries", "negation": "negated", "definitions": "definitions"}
    out = {k: v for k, v in alternative.items()
           if k not in kept.values() or k == kept[alternative["step"]]}
    if alternative["step"] == "sentences":
        theirs = set(map(tuple, alternative["boundaries"]))
        out["boundaries"] = {"count": len(theirs),
                             "shared": len(theirs & set(map(tuple, project["boundaries"])))}
    return out


def _dumps(numbers: dict[str, Any]) -> str:
    """JSON with every innermost list on one line (a diff shows what changed, item by item)."""
    text = json.dumps(numbers, indent=1, ensure_ascii=False)
    return re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]",
                  lambda m: "[" + " ".join(line.strip() for line in m.group(1).split("\n")) + "]",
                  text) + "\n"


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--medspacy-python", help="an interpreter that can import medspacy")
    args = parser.parse_args(argv)
    docs = documents()
    vocabulary = load_vocabulary(ROOT / "ontology" / "vocabulary")
    numbers: dict[str, Any] = {"project": measure(PROJECT, "all", docs, vocabulary),
                               "alternatives": [measure(c, step, docs, vocabulary)
                                                for step, c in alternatives()]}
    if args.medspacy_python:
        numbers["alternatives"].append(medspacy_negations(args.medspacy_python, docs, vocabulary))
    numbers["alternatives"] = [_summary(a, numbers["project"]) for a in numbers["alternatives"]]
    numbers["versions"] = {p: _version(p) for p in INSTALLS}
    for alternative in numbers["alternatives"]:
        if "version" in alternative:  # measured in another interpreter
            numbers["versions"]["medspacy"] = alternative["version"]
    NUMBERS.write_text(_dumps(numbers), encoding="utf-8")
    PAGE.write_text(render(numbers), encoding="utf-8")
    print(f"wrote {NUMBERS.relative_to(ROOT)} and {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
