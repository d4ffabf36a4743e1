"""The checkout the tests run from: its corpus, ontology and queries are the tests' inputs, and
its benchmarks' corpus generator makes the synthetic corpora some tests build."""

import importlib.util
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
