"""The myositis-ILD evidence graph: documents -> records -> triples -> store -> queries/views.

The public Python API (:mod:`graph.api`)::

    import graph
    kg = graph.open_build("build")
    kg.ask("drug-outcomes", drug="tacrolimus")     # rows as dicts
    kg.frame("drug-outcomes", drug="tacrolimus")   # a pandas DataFrame
    kg.citation_graph()                            # a networkx.DiGraph

They are loaded on first use, so the command line, which needs only ``__version__``, starts fast.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["EvidenceGraph", "__version__", "open_build"]


def __getattr__(name: str) -> Any:
    """``graph.open_build`` and ``graph.EvidenceGraph``, imported on first use (PEP 562)."""
    if name in ("open_build", "EvidenceGraph"):
        from graph import api

        return getattr(api, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
