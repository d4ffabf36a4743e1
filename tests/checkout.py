"""The checkout the tests run from: its corpus, ontology and queries are the tests' inputs, and
its benchmarks' corpus generator makes the synthetic corpora some tests build."""

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

CHECKOUT = Path(__file__).resolve().parents[1]


def corpus_generator() -> ModuleType:
    """``benchmarks/generate_corpus.py`` as a module (``benchmarks`` is no package)."""
    spec = importlib.util.spec_from_file_location(
        "benchmarks_generate_corpus", CHECKOUT / "benchmarks" / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def documents_only(folder: Path, count: int = 3) -> Path:
    """A corpus in ``folder/corpus`` of the checkout's first ``count`` documents and no
    curation: enough files to tell one file's cache entry from another's."""
    documents = folder / "corpus" / "documents"
    documents.mkdir(parents=True)
    for path in sorted((CHECKOUT / "corpus" / "documents").iterdir())[:count]:
        shutil.copyfile(path, documents / path.name)
    return folder / "corpus"
