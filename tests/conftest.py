"""Fixtures shared by test modules: one real browser, the corpus documents and the vocabulary.

Playwright's sync API runs its own event loop on the main thread, so two browsers started by
two modules' session fixtures cannot coexist: every module uses this one. The documents and the
vocabulary are read once for the session (records are frozen; tests only read them).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests` is no package here

from graph.inputs.read import read_corpus
from graph.records import Document
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary, load_vocabulary
from tests.browser import browser_fixture

browser = browser_fixture()


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    """The project's SKOS vocabulary (a module may override this name with its own)."""
    return load_vocabulary(Paths().ontology / "vocabulary")


@pytest.fixture(scope="session")
def documents() -> dict[str, Document]:
    """The five corpus documents by corpus path."""
    paths = Paths()
    return {d.path: d for d in read_corpus(paths.documents, paths.corpus)}
