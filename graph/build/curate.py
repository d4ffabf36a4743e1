"""Write the draft curation record of a corpus document, from its machine-extracted candidates.

The draft (:mod:`graph.evidence.draft`) goes to ``corpus/curation/`` under the document's name,
or over the record that already curates the document, and only with ``force``: a person's
curation is never overwritten by accident. The corpus and the build are otherwise left as they
are; the next build takes the record, as edited, as curated evidence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.build.remove import corpus_document
from graph.errors import CurationError, GraphError
from graph.evidence.curation import parse_yaml
from graph.evidence.draft import draft_curation
from graph.evidence.links import scope_of
from graph.inputs.read import read_documents
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import load_vocabulary


@dataclass(frozen=True)
class Drafted:
    """Where the draft went and what it holds."""

    path: Path
    document: str
    findings: int  # candidates written as findings
    refused: int  # candidates written commented out, for a person to correct

    def summary(self, corpus: Path) -> str:
        where = self.path.relative_to(corpus.parent) if self.path.is_relative_to(
            corpus.parent) else self.path
        return (f"wrote {where}: a draft curation of {self.document} from "
                f"{self.findings + self.refused} candidate findings ({self.findings} as findings, "
                f"{self.refused} commented out for correction); confirm, correct or delete each, "
                "then rebuild")


def _record(name: str, paths: Paths) -> Document:
    """The document ``name`` means: a file of the documents folder (as ``add`` named it, or a
    corpus path), and for a file of several records, one of them by ``#pmid-N``/``#record-N``."""
    file, _, record = name.partition("#")
    path = corpus_document(file, paths)
    if path is None:
        raise GraphError(f"{name}: no such document in {paths.documents}")
    every = read_documents(path, paths.corpus.resolve(), False)
    records = [d for d in every if d.path.partition("#")[2] == record] if record else every
    if len(records) != 1:
        raise GraphError(f"{name}: name one record of the file: "
                         f"{', '.join(d.path for d in every)}")
    return records[0]


def _existing(document: str, paths: Paths) -> Path | None:
    """The curation record that already curates ``document``, if one does."""
    for file in sorted(paths.curation.glob("*.yaml")) if paths.curation.is_dir() else ():
        try:
            data = parse_yaml(file.read_text(encoding="utf-8"), str(file))
        except (CurationError, OSError, UnicodeDecodeError):
            continue  # a broken record is the build's to report; it curates nothing here
        if data.get("document") == document:
            return file
    return None


def curate(name: str, paths: Paths, force: bool = False) -> Drafted:
    """Write the draft curation record of the document ``name``; see the module docstring."""
    document = _record(name, paths)
    target = _existing(document.path, paths) or paths.curation / f"{scope_of(document.path)}.yaml"
    if target.exists() and not force:
        raise GraphError(f"{target}: a curation record of {document.path} exists already; "
                         "ma-ild curate --force overwrites it")
    text, findings, refused = draft_curation(document, load_vocabulary(paths.vocabulary))
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.draft")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, target)  # whole or not at all
    return Drafted(target, document.path, findings, refused)
