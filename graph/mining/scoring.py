"""Score the machine extraction (:mod:`graph.mining.candidates`) against the curated findings.

For every document with a curation record, the extractor runs on the document's text and its
candidates are compared with the curated findings in two ways.

By finding
    A candidate *matches* a curated finding when their quote spans overlap (any of the finding's
    quotes) and they share at least one number. A finding's numbers are those of its result
    (:meth:`graph.evidence.findings.Result.numbers`) and of its groups (counts, percents, means,
    SDs per group), a candidate's likewise. Precision is the share of candidates that match some
    curated finding; recall is the share of curated findings *that state a number* matched by some
    candidate (a finding without any number, such as an adverse event named without a count,
    cannot be matched by numbers and is reported separately as "without numbers").

By number
    Each number of a curated finding in one of :data:`SCORED_FIELDS` (responders, count, total,
    percent, mean, before and after means and medians, percent change, p-value) is *found* when
    a candidate matching that finding has the same value in the same field (a p-value must have
    the same relation too: "< 0.001" is not "= 0.001"; an effect size counts its estimate and
    each confidence limit). Precision is the share of the candidates' numbers in
    those fields that equal the same field of a curated finding they match; recall is the share of
    curated numbers found.

The development set (``tests/fixtures/devset/``: published studies the corpus does not hold) is
scored the same way against its hand-curated findings (``tests/fixtures/devset/curation/``, the
corpus's curation format, checked by the same loader): its documents and records are copied into a
temporary corpus folder, so the quotes' offsets and checks are exactly those of a corpus.

The held-out set (``tests/fixtures/heldout/``) is scored the same way, but its studies were
curated by hand before the extractor ever ran on them and no extraction rule was written while
reading them: its first run is the honest measure of studies the extractor has not seen. That first
run is saved once, with its date and commit (``--save-heldout-first-run``), and the report keeps it
beside every later score.

``python -m graph.mining.scoring`` prints the tables and writes ``docs/extraction-score.md``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph.evidence.curation import load_curations
from graph.evidence.design import infer_design
from graph.evidence.findings import Curation, Finding, Group, Quote, Result
from graph.evidence.numbers import PValue
from graph.inputs.read import read_corpus
from graph.mining.candidates import Candidate, extract_candidates
from graph.mining.corpus import mine
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary, load_vocabulary

SCORED_FIELDS = ("responders", "count", "total", "percent", "mean", "before_mean", "after_mean",
                 "median", "before_median", "after_median", "percent_change", "effect",
                 "ci_lower", "ci_upper", "p_value")
TOLERANCE = 1e-6
OUTPUT = Path("docs") / "extraction-score.md"  # run from the checkout
BASELINE = Path("docs") / "extraction-baseline.json"  # saved with --save-baseline
DEVSET = Path("tests") / "fixtures" / "devset"  # documents, and their findings in curation/
HELDOUT = Path("tests") / "fixtures" / "heldout"  # likewise, curated before any extraction ran
HELDOUT_FIRST = Path("docs") / "extraction-heldout-first-run.json"  # saved once, never rewritten
HELDOUT_NOTES = Path("docs") / "extraction-heldout-changes.md"  # what changed after the first run
DOCUMENT_SUFFIXES = (".txt", ".xml", ".html", ".pdf")


@dataclass(frozen=True)
class Tally:
    """Counts behind one precision and one recall."""

    correct: int = 0  # predictions that are right
    predicted: int = 0
    found: int = 0  # curated items that were found
    curated: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.curated if self.curated else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.correct + other.correct, self.predicted + other.predicted,
                     self.found + other.found, self.curated + other.curated)


@dataclass(frozen=True)
class Score:
    """The scores of one document (or of several, added up)."""

    document: str
    findings: Tally
    numbers: Tally
    without_numbers: int = 0  # curated findings that state no number (not scored)
    by_field: dict[str, Tally] = field(default_factory=dict)
    missed: tuple[str, ...] = ()  # curated findings (with numbers) no candidate matched
    unmatched: tuple[str, ...] = ()  # quotes of candidates that matched no curated finding
    missed_numbers: tuple[str, ...] = ()  # "finding: field = value" not found
    wrong_numbers: tuple[str, ...] = ()  # "line N: field = value" no matched finding confirms
    linked: Tally = Tally()  # matches whose drug and outcome are the finding's too (:func:`linked`)

    def __add__(self, other: Score) -> Score:
        fields = {k: self.by_field.get(k, Tally()) + other.by_field.get(k, Tally())
                  for k in SCORED_FIELDS}
        return Score("overall", self.findings + other.findings, self.numbers + other.numbers,
                     self.without_numbers + other.without_numbers, fields,
                     self.missed + other.missed, self.unmatched + other.unmatched,
                     self.missed_numbers + other.missed_numbers,
                     self.wrong_numbers + other.wrong_numbers, self.linked + other.linked)


# ----------------------------------------------------------------------------- comparison

def _group_numbers(groups: Iterable[Group]) -> list[float]:
    return [float(v) for g in groups for v in (g.count, g.percent, g.mean, g.sd) if v is not None]


def numbers_of(result: Result, groups: Iterable[Group] = ()) -> list[float]:
    """Every number of a result and its groups.

    >>> numbers_of(Result(responders=14, total=18), (Group("a", percent=78.0),))
    [14.0, 18.0, 78.0]
    """
    return list(result.numbers().values()) + _group_numbers(groups)


def _same(a: float | PValue, b: float | PValue) -> bool:
    if isinstance(a, PValue) or isinstance(b, PValue):
        return (isinstance(a, PValue) and isinstance(b, PValue) and a.relation == b.relation
                and abs(a.value - b.value) < TOLERANCE)
    return abs(float(a) - float(b)) < TOLERANCE


def field_values(result: Result) -> dict[str, float | PValue]:
    """The result's values in :data:`SCORED_FIELDS` that are set (an effect size by its estimate
    and its confidence limits)."""
    effect = result.effect
    values = {name: getattr(result, name, None) for name in SCORED_FIELDS if name != "effect"}
    if effect is not None:
        values.update(effect=effect.value, ci_lower=effect.ci_lower, ci_upper=effect.ci_upper)
    return {k: v for k, v in values.items() if v is not None}


def _overlap(quote: Quote, quotes: Sequence[Quote]) -> bool:
    return any(quote.start < q.end and q.start < quote.end for q in quotes)


def matches(candidate: Candidate, finding: Finding) -> bool:
    """Quote spans overlap and at least one number is shared."""
    if not _overlap(candidate.quote, finding.quotes):
        return False
    ours = numbers_of(candidate.result, candidate.groups)
    theirs = numbers_of(finding.result, finding.groups)
    return any(_same(a, b) for a in ours for b in theirs)


def _related(ours: str, theirs: str, vocabulary: Vocabulary | None) -> bool:
    """The same concept, or one under the other (a candidate's "glucocorticoid" for a curated
    "prednisone", its "pulmonary function" for "FVC")."""
    if ours == theirs:
        return True
    if vocabulary is None or ours not in vocabulary or theirs not in vocabulary:
        return False
    return ours in vocabulary.ancestors(theirs) or theirs in vocabulary.ancestors(ours)


def linked(candidate: Candidate, finding: Finding, vocabulary: Vocabulary | None = None) -> bool:
    """A match that also says what the finding is about: the candidate's outcome is the
    finding's (or related through the hierarchy), and one of its drugs is one of the finding's;
    a finding with no drug is matched by a candidate with none, and a finding that is no
    outcome (a characteristic, an adverse event) is not judged by drug or outcome.

    This is the issue's own measure of a right finding: numbers, drug and outcome.
    """
    if finding.kind != "outcome":
        return True
    outcome = (finding.outcome is None or (candidate.outcome is not None
               and _related(candidate.outcome, finding.outcome, vocabulary)))
    if not finding.drugs:
        return outcome and not candidate.drugs
    return outcome and any(_related(d, f, vocabulary)
                           for d in candidate.drugs for f in finding.drugs)


def _label(candidate: Candidate) -> str:
    text = " ".join(candidate.quote.exact.split())
    short = text if len(text) <= 80 else text[:77] + "..."
    return f"line {candidate.quote.line} [{candidate.pattern}]: {short}"


def score(
    candidates: Sequence[Candidate], findings: Sequence[Finding], document: str = "",
    vocabulary: Vocabulary | None = None,
) -> Score:
    """Precision and recall of ``candidates`` against the curated ``findings`` of one document
    (``vocabulary``: the hierarchy :func:`linked` reads)."""
    scorable = [f for f in findings if numbers_of(f.result, f.groups)]
    pairs = {(i, j) for i, c in enumerate(candidates) for j, f in enumerate(scorable)
             if matches(c, f)}
    matched_candidates = {i for i, _ in pairs}
    matched_findings = {j for _, j in pairs}
    findings_tally = Tally(len(matched_candidates), len(candidates), len(matched_findings),
                           len(scorable))
    by_field = {name: Tally() for name in SCORED_FIELDS}
    missed_numbers, wrong_numbers = [], []
    for j, finding in enumerate(scorable):
        mine = [candidates[i] for i, jj in pairs if jj == j]
        for name, value in field_values(finding.result).items():
            hit = any(name in (v := field_values(c.result)) and _same(v[name], value) for c in mine)
            by_field[name] += Tally(found=int(hit), curated=1)
            if not hit:
                missed_numbers.append(f"{finding.key}: {name} = {_show(value)}")
    for i, candidate in enumerate(candidates):
        theirs = [scorable[j] for ii, j in pairs if ii == i]
        for name, value in field_values(candidate.result).items():
            hit = any(name in (v := field_values(f.result)) and _same(v[name], value)
                      for f in theirs)
            by_field[name] += Tally(correct=int(hit), predicted=1)
            if not hit:
                wrong_numbers.append(f"line {candidate.quote.line} [{candidate.pattern}]: "
                                     f"{name} = {_show(value)}")
    numbers = Tally()
    for tally in by_field.values():
        numbers += tally
    right = {(i, j) for i, j in pairs if linked(candidates[i], scorable[j], vocabulary)}
    linked_tally = Tally(len({i for i, _ in right}), len(candidates), len({j for _, j in right}),
                         len(scorable))
    missed = tuple(f.key for j, f in enumerate(scorable) if j not in matched_findings)
    unmatched = tuple(_label(c) for i, c in enumerate(candidates) if i not in matched_candidates)
    return Score(document, findings_tally, numbers, len(findings) - len(scorable), by_field,
                 missed, unmatched, tuple(missed_numbers), tuple(wrong_numbers), linked_tally)


def _show(value: float | PValue) -> str:
    if isinstance(value, PValue):
        return f"{value.relation} {value.value:g}"
    return f"{value:g}"


def _curated(paths: Paths) -> Iterator[tuple[Document, Curation, Vocabulary]]:
    """Each document of the corpus at ``paths`` that has a curation record, with the record
    (checked by the corpus's own loader) and the vocabulary."""
    documents = read_corpus(paths.documents, paths.corpus)
    vocabulary: Vocabulary = load_vocabulary(paths.ontology / "vocabulary")
    curations = load_curations(paths, documents, vocabulary)
    for document in documents:
        curation = curations.get(document.path)
        if curation is not None:
            yield document, curation, vocabulary


def score_corpus(paths: Paths | None = None) -> list[Score]:
    """Scores of every curated document of the corpus (default: the working directory's)."""
    return [score(extract_candidates(document.text, vocabulary), curation.findings,
                  document.path, vocabulary)
            for document, curation, vocabulary in _curated(paths or Paths())]


def _as_corpus(folder: Path, temporary: Path) -> Path:
    """A corpus folder under ``temporary`` holding ``folder``'s documents and curation records,
    so quotes, offsets and checks are exactly those of a corpus."""
    corpus = temporary / "corpus"
    (corpus / "documents").mkdir(parents=True)
    for path in sorted(folder.iterdir()):
        if path.suffix in DOCUMENT_SUFFIXES:
            shutil.copyfile(path, corpus / "documents" / path.name)
    shutil.copytree(folder / "curation", corpus / "curation")
    return corpus


def score_devset(folder: Path = DEVSET, ontology: Path | None = None) -> list[Score]:
    """Scores of every document of a set folder (development or held-out) that has a curation
    record."""
    ontology = ontology or Paths().ontology
    with tempfile.TemporaryDirectory() as temporary:
        corpus = _as_corpus(folder, Path(temporary))
        return score_corpus(Paths(corpus=corpus, ontology=ontology))


def load_set_curations(folder: Path, ontology: Path | None = None) -> dict[str, list[Finding]]:
    """The hand-curated findings of a set folder by document, checked by the corpus's own loader
    and without running the extractor (a held-out set is curated before extraction sees it)."""
    paths = Paths(ontology=ontology or Paths().ontology)
    with tempfile.TemporaryDirectory() as temporary:
        corpus = _as_corpus(folder, Path(temporary))
        paths = Paths(corpus=corpus, ontology=paths.ontology)
        documents = read_corpus(paths.documents, paths.corpus)
        curations = load_curations(paths, documents, load_vocabulary(paths.ontology / "vocabulary"))
        return {_name(path): list(c.findings) for path, c in sorted(curations.items())}


@dataclass(frozen=True)
class DesignRead:
    """A study's design and number of patients as read from its text, beside its curation's."""

    document: str
    curated_design: str | None
    read_design: str
    curated_sizes: tuple[int, ...]  # the n of each population that is no other's subset
    read_size: int | None

    @property
    def design_right(self) -> bool:
        return self.read_design == self.curated_design

    @property
    def size_right(self) -> bool:
        return self.read_size is not None and self.read_size in self.curated_sizes


def read_designs(folder: Path, ontology: Path | None = None) -> list[DesignRead]:
    """Design (:func:`graph.evidence.design.infer_design`) and size (:mod:`graph.mining.size`)
    read from each document of a set folder, against its curation record (issue 22, point 5)."""
    with tempfile.TemporaryDirectory() as temporary:
        paths = Paths(corpus=_as_corpus(folder, Path(temporary)),
                      ontology=ontology or Paths().ontology)
        rows = []
        for document, curation, vocabulary in _curated(paths):
            size = mine(document, vocabulary, None).size
            sizes = tuple(p.n for p in curation.populations.values()
                          if p.parent is None and p.n is not None)
            rows.append(DesignRead(_name(document.path), curation.design,
                                   infer_design(document), sizes, size.n if size else None))
        return rows


def _design_table(rows: Sequence[DesignRead]) -> list[str]:
    lines = ["| document | curated design | design read | curated n | n read |",
             "|---|---|---|---|---|"]
    for row in rows:
        sizes = ", ".join(map(str, row.curated_sizes)) or "-"
        lines.append(f"| {row.document} | {row.curated_design or '-'} | {row.read_design}"
                     f"{'' if row.design_right else ' (x)'} | {sizes} | "
                     f"{'-' if row.read_size is None else row.read_size}"
                     f"{'' if row.size_right else ' (x)'} |")
    right = sum(r.design_right for r in rows), sum(r.size_right for r in rows)
    lines.append(f"| all | | {right[0]}/{len(rows)} right | | {right[1]}/{len(rows)} right |")
    return lines


def total(scores: Sequence[Score]) -> Score:
    """All documents added up (micro-averaged)."""
    overall = Score("overall", Tally(), Tally(), 0, {k: Tally() for k in SCORED_FIELDS})
    for item in scores:
        overall = overall + item
    return overall


# ----------------------------------------------------------------------------- reports

def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _name(document: str) -> str:
    return document.removeprefix("documents/")


def _rows(scores: Sequence[Score]) -> list[list[str]]:
    rows = []
    for item in [*scores, total(scores)]:
        f, n, k = item.findings, item.numbers, item.linked
        rows.append([
            _name(item.document), str(f.predicted), f"{f.curated} (+{item.without_numbers})",
            _pct(f.precision), _pct(f.recall), _pct(k.precision), _pct(k.recall),
            f"{n.correct}/{n.predicted}", _pct(n.precision), f"{n.found}/{n.curated}",
            _pct(n.recall),
        ])
    return rows


HEADER = ["document", "candidates", "curated findings (+ without numbers)", "finding precision",
          "finding recall", "with drug and outcome: precision", "recall",
          "numbers right/extracted", "number precision", "numbers found/curated", "number recall"]


def table(scores: Sequence[Score]) -> str:
    """The scores as a plain-text table."""
    rows = [HEADER, *_rows(scores)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _details(scores: Sequence[Score]) -> list[str]:
    lines: list[str] = []
    for item in scores:
        lines += ["", f"### {_name(item.document)}", ""]
        if item.missed:
            lines.append(f"Curated findings no candidate matched ({len(item.missed)}): "
                         + ", ".join(f"`{key}`" for key in item.missed) + ".")
        else:
            lines.append("Every curated finding with a number was matched.")
        lines.append("")
        if item.unmatched:
            lines.append(f"Candidates that matched no curated finding ({len(item.unmatched)}):")
            lines.append("")
            lines += [f"* {text.replace('|', '/')}" for text in item.unmatched]
        else:
            lines.append("Every candidate matched a curated finding.")
        for title, entries in (("Curated numbers not found", item.missed_numbers),
                               ("Extracted numbers no matching finding confirms",
                                item.wrong_numbers)):
            if entries:
                lines += ["", f"{title} ({len(entries)}):", ""]
                lines += [f"* {entry.replace('|', '/')}" for entry in entries]
    return lines


def _score_table(scores: Sequence[Score]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    return lines + ["| " + " | ".join(row) + " |" for row in _rows(scores)]


def _field_table(scores: Sequence[Score]) -> list[str]:
    overall = total(scores)
    lines = ["| field | right/extracted | precision | found/curated | recall |",
             "|---|---|---|---|---|"]
    for name in SCORED_FIELDS:
        t = overall.by_field.get(name, Tally())
        lines.append(f"| {name} | {t.correct}/{t.predicted} | {_pct(t.precision)} | "
                     f"{t.found}/{t.curated} | {_pct(t.recall)} |")
    return lines


def summary(scores: Sequence[Score]) -> dict[str, list[int]]:
    """Each document's tallies (and the overall ones) as plain numbers, for a saved baseline:
    finding correct, predicted, found, curated, then the same four for numbers."""
    return {_name(item.document): [item.findings.correct, item.findings.predicted,
                                   item.findings.found, item.findings.curated,
                                   item.numbers.correct, item.numbers.predicted,
                                   item.numbers.found, item.numbers.curated]
            for item in [*scores, total(scores)]}


def _ratio(a: int, b: int) -> str:
    return _pct(a / b if b else None)


def _baseline_table(saved: Mapping[str, list[int]], scores: Sequence[Score]) -> list[str]:
    now = summary(scores)
    lines = ["| document | finding precision | finding recall | number precision | number recall |",
             "|---|---|---|---|---|"]
    for name, before in saved.items():
        after = now.get(name)
        cells = []
        for i in (0, 2, 4, 6):
            was = _ratio(before[i], before[i + 1])
            cells.append(was if after is None else f"{was} -> {_ratio(after[i], after[i + 1])}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def first_run_record(heldout: Sequence[Score], commit: str, when: datetime) -> dict[str, object]:
    """What ``--save-heldout-first-run`` keeps: when and at which commit the held-out set was
    first scored, and that run's tallies (see :func:`summary`)."""
    return {"scored_at": when.strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
            "scores": summary(heldout)}


def _heldout_section(heldout: Sequence[Score], first: Mapping[str, object] | None,
                     notes: str = "", designs: Sequence[DesignRead] = ()) -> list[str]:
    lines = ["", "## Held-out set", "",
             "Real published studies that neither the corpus nor the development set holds (`"
             + str(HELDOUT) + "/`), their findings curated by hand (`" + str(HELDOUT)
             + "/curation/`) and committed before the extractor was first run on them. No "
             "extraction rule was written while reading them before the first run below: these "
             "are held-out figures.", "", *_score_table(heldout)]
    if first:
        saved = first["scores"]
        assert isinstance(saved, Mapping)
        lines += ["", "### First run -> now", "",
                  f"First scored on {first['scored_at']} at commit `{first['commit']}` (saved in "
                  f"`{HELDOUT_FIRST}`); any change after it was made having seen the held-out "
                  "set, so only the first run is a held-out score.", "",
                  *_baseline_table(saved, heldout)]
    if notes.strip():
        lines += ["", f"Changes made after the first run, having seen the held-out set (from "
                      f"`{HELDOUT_NOTES}`):", "", notes.strip()]
    if designs:
        lines += ["", "### Design and number of patients", "",
                  "Read from each study's text (issue 22, point 5) against its curation; a size "
                  "is right when it is the n of a curated population that is no other's subset; "
                  "(x) marks a miss.", "", *_design_table(designs)]
    return lines


def markdown(scores: Sequence[Score], devset: Sequence[Score] = (),
             baseline: Mapping[str, Mapping[str, list[int]]] | None = None,
             heldout: Sequence[Score] = (), heldout_first: Mapping[str, object] | None = None,
             heldout_notes: str = "", heldout_designs: Sequence[DesignRead] = ()) -> str:
    """The scores as the markdown page ``docs/extraction-score.md``: the corpus, then the
    development set, then both against the saved baseline, then the held-out set against its
    first run."""
    lines = [
        "# Extraction score",
        "",
        "How well the machine extraction (`graph/mining/candidates.py`) finds the curated findings "
        "of the corpus (`corpus/curation/*.yaml`), of the development set (real studies the "
        "corpus does not hold, `tests/fixtures/devset/`, findings curated by hand in "
        "`tests/fixtures/devset/curation/`) and of the held-out set (more such studies, never "
        "used to develop the extraction, `tests/fixtures/heldout/`). Written by "
        "`python -m graph.mining.scoring`; do not edit by hand.",
        "",
        "* **By finding**: a candidate matches a curated finding when their quote spans overlap "
        "and they share at least one number (of the result or of a group). Precision: candidates "
        "that match some curated finding / all candidates. Recall: curated findings matched / "
        "curated findings that state a number (findings without any number cannot be matched by "
        "numbers; their count is shown as \"+N\").",
        "* **With drug and outcome**: the same, counting only matches whose candidate also names "
        "the finding's outcome (or one above or under it in the vocabulary) and one of its drugs "
        "(none where the finding has none); characteristics and adverse events are judged by "
        "their numbers alone. This is the measure issue 22 was filed with (right numbers, drug "
        "and outcome).",
        "* **By number**: a curated number (" + ", ".join(SCORED_FIELDS) + ") is found when a "
        "matching candidate has the same value in the same field (p-values: same relation too). "
        "Precision: candidate numbers in those fields equal to the same field of a curated "
        "finding they match / all candidate numbers in those fields.",
        "",
        "## Corpus",
        "",
        *_score_table(scores),
    ]
    if devset:
        lines += ["", "## Development set", "",
                  "The extraction's patterns were made general while reading these studies' "
                  "misses, so these are development figures, not held-out ones; the study that "
                  "comes next will score lower until its misses are read the same way.", "",
                  *_score_table(devset)]
    if baseline:
        lines += ["", "## Against the baseline", "",
                  "The scores before the extraction work of issue 22 (saved with `--save-baseline` "
                  "in `" + str(BASELINE) + "`) -> now."]
        for title, key, now in (("Corpus", "corpus", scores),
                                ("Development set", "devset", devset)):
            if baseline.get(key):
                lines += ["", f"### {title}", "", *_baseline_table(baseline[key], now)]
    if heldout:
        lines += _heldout_section(heldout, heldout_first, heldout_notes, heldout_designs)
    for title, group in (("corpus", scores), ("development set", devset),
                         ("held-out set", heldout)):
        if group:
            lines += ["", f"## By field ({title})", "", *_field_table(group)]
    for title, group in (("Corpus", scores), ("Development set", devset),
                         ("Held-out set", heldout)):
        if group:
            lines += ["", f"## {title}: what was missed and what was extra", *_details(group)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Score the extraction on the corpus and the development set: print the tables, write the
    markdown report."""
    parser = argparse.ArgumentParser(prog="python -m graph.mining.scoring",
                                     description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=OUTPUT,
                        help=f"markdown report to write (default {OUTPUT})")
    parser.add_argument("--devset", type=Path, default=DEVSET,
                        help=f"development set folder (default {DEVSET}; skipped if absent)")
    parser.add_argument("--heldout", type=Path, default=HELDOUT,
                        help=f"held-out set folder (default {HELDOUT}; skipped if absent)")
    parser.add_argument("--no-write", action="store_true", help="only print the table")
    parser.add_argument("--save-baseline", action="store_true",
                        help=f"also save these scores as the baseline ({BASELINE})")
    parser.add_argument("--save-heldout-first-run", action="store_true",
                        help=f"record this run as the held-out set's first ({HELDOUT_FIRST}, "
                             "with the date and the checkout's commit); refused once recorded")
    args = parser.parse_args(argv)
    first_file = args.output.parent / HELDOUT_FIRST.name
    if args.save_heldout_first_run and first_file.is_file():
        print(f"{first_file}: the held-out first run is already recorded; it is never rewritten",
              file=sys.stderr)
        return 2
    scores = score_corpus()
    devset = score_devset(args.devset) if (args.devset / "curation").is_dir() else []
    heldout = score_devset(args.heldout) if (args.heldout / "curation").is_dir() else []
    designs = read_designs(args.heldout) if heldout else []
    for group in (scores, devset, heldout):
        if group:
            print(table(group), end="\n\n")
    baseline_file = args.output.parent / BASELINE.name
    if args.save_baseline:
        baseline_file.write_text(json.dumps({"corpus": summary(scores), "devset": summary(devset)},
                                            indent=1) + "\n", encoding="utf-8")
    baseline = (json.loads(baseline_file.read_text(encoding="utf-8"))
                if baseline_file.is_file() else None)
    if args.save_heldout_first_run:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        record = first_run_record(heldout, commit, datetime.now(UTC))
        first_file.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    first = json.loads(first_file.read_text(encoding="utf-8")) if first_file.is_file() else None
    notes_file = args.output.parent / HELDOUT_NOTES.name
    notes = notes_file.read_text(encoding="utf-8") if notes_file.is_file() else ""
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(markdown(scores, devset, baseline, heldout, first, notes,
                                        designs), encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
