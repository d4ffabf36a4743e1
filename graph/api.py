"""The Python API: open a build, ask its named questions, get rows, a DataFrame or a network.

For notebooks and scripts; ``import graph`` exposes :func:`open_build` and :class:`EvidenceGraph`.
The same named queries, parameters and answers as ``ma-ild query``, without a shell::

    import graph
    kg = graph.open_build("build")                    # or open_build(endpoint="http://.../query")
    rows = kg.ask("drug-outcomes", drug="tacrolimus")  # [{"outcome": "...", "pValue": 0.03, ...}]
    rows.left_out                                     # machine-extracted candidates left out
    kg.ask("drug-outcomes", drug="tacrolimus", include="candidates")  # with them, each marked
    table = kg.frame("drug-outcomes", drug="tacrolimus")  # the same rows as a pandas DataFrame
    citations = kg.citation_graph()                   # networkx.DiGraph: works and cito:cites
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.query.answers import ask
from graph.query.catalog import NamedQuery, catalog, find, work_lookup
from graph.query.endpoints import (
    Binding,
    EmbeddedStore,
    MemoryStore,
    RemoteEndpoint,
    Results,
    Target,
)
from graph.query.network import citation_graph
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    import pandas

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {XSD + "integer": int, XSD + "int": int, XSD + "long": int,
            XSD + "nonNegativeInteger": int, XSD + "positiveInteger": int,
            XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float}


def value(binding: Binding | None) -> Any:
    """A SPARQL JSON binding as a Python value: numbers as numbers, booleans as bools, else text.

    >>> value({"type": "literal", "value": "0.03", "datatype": XSD + "decimal"})
    Decimal('0.03')
    >>> value({"type": "literal", "value": "true", "datatype": XSD + "boolean"})
    True
    >>> value({"type": "uri", "value": "https://w3id.org/ma-ild/vocab/tacrolimus"})
    'https://w3id.org/ma-ild/vocab/tacrolimus'
    >>> value(None) is None
    True
    """
    if binding is None:
        return None
    datatype = binding.get("datatype", "")
    if datatype == XSD + "boolean":
        return binding["value"] in ("true", "1")
    convert = _NUMBERS.get(datatype)
    if convert is not None:
        try:
            return convert(binding["value"])
        except (ArithmeticError, ValueError):  # a malformed number stays as it was printed
            return binding["value"]
    return binding["value"]


class Rows(list):  # type: ignore[type-arg]
    """The rows of an answer (dicts), and how many machine-extracted candidate findings (or, for
    an answer of one row per drug, rows of them) a findings question left out: see
    :mod:`graph.query.answers`. ``left_out`` is 0 when nothing was left out."""

    def __init__(self, rows: list[dict[str, Any]], left_out: int = 0) -> None:
        super().__init__(rows)
        self.left_out = left_out


class EvidenceGraph:
    """A built graph (or a SPARQL endpoint holding one) and the named questions to ask it."""

    def __init__(self, target: Target, paths: Paths) -> None:
        self.target = target
        self.paths = paths
        self._vocabulary: Vocabulary | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        """The SKOS vocabulary that resolves concept parameters (loaded when first needed)."""
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary(self.paths.vocabulary)
        return self._vocabulary

    def queries(self) -> dict[str, NamedQuery]:
        """Every named question, by name, with its parameters, columns and examples."""
        return catalog(self.paths.queries)

    def ask(self, name: str, **parameters: str | int) -> Rows:
        """The rows of the named question ``name``, each a dict of column -> Python value.

        Parameters are given as on the command line (``drug="FK506"``, ``work="Ge 2015"``); a
        column a row does not bind is None. A findings question answers with curated evidence
        unless ``include="candidates"``; the rows' ``left_out`` says how many candidates it left
        out.
        """
        query = find(self.paths.queries, name)
        vocabulary = (self.vocabulary if any(p.type == "entity" for p in query.parameters)
                      else None)
        answer = ask(self.target, query, {k: str(v) for k, v in parameters.items()}, vocabulary,
                     work_lookup(self.target))
        return Rows(_values(answer.results), answer.left_out)

    def sparql(self, query: str) -> list[dict[str, Any]]:
        """The rows of a SELECT query of your own."""
        return self._rows(query, "<sparql>")

    def frame(self, name: str, **parameters: str | int) -> pandas.DataFrame:
        """The rows of :meth:`ask` as a pandas DataFrame (``pip install pandas``)."""
        try:
            import pandas
        except ImportError:  # an optional dependency: the rest of the API works without it
            raise ImportError("EvidenceGraph.frame needs pandas: pip install pandas") from None
        query = find(self.paths.queries, name)
        rows = self.ask(name, **parameters)
        frame = pandas.DataFrame(rows, columns=list(query.columns) or None)
        frame.attrs["left_out"] = rows.left_out
        return frame

    def citation_graph(self) -> nx.DiGraph:
        """Works as nodes (with their bibliographic fields), ``cito:cites`` as directed edges."""
        return citation_graph(self.target)

    def _rows(self, text: str, source: str) -> list[dict[str, Any]]:
        return _values(self.target.select(text, source))


def _values(results: Results) -> list[dict[str, Any]]:
    """Each row of ``results`` as a dict of column -> Python value."""
    return [{name: value(row.get(name)) for name in results.variables} for row in results.rows]


def open_build(build: str | Path | None = None, *, in_memory: bool = False,
               endpoint: str | None = None, graph: str | None = None,
               project: str | Path | None = None) -> EvidenceGraph:
    """Open a built graph: its store in ``build`` (default: the project's ``build/``), read-only.

    ``in_memory`` copies the store into memory first (faster for many questions);
    ``endpoint`` (and ``graph``) asks a SPARQL 1.1 server instead of a local build.
    """
    paths = Paths.of_project(Path(project) if project else None)
    if endpoint:
        return EvidenceGraph(RemoteEndpoint(endpoint, graph), paths)
    store = (Path(build) if build else paths.out) / "store"
    return EvidenceGraph(MemoryStore.load(store) if in_memory else EmbeddedStore(store), paths)
