"""HTML documentation of the project's own ontology terms, generated with pyLODE.

Only the ontology header and the terms of the ``maild:`` namespace are documented (classes and
properties, wherever in ``ontology/`` they are declared); the SKOS vocabulary is data, not schema.
pyLODE is an optional dependency (the ``docs`` and ``test`` extras).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Graph

from graph.vocabulary.namespaces import MAILD

ONTOLOGY_IRI = str(MAILD).rstrip("#")


def schema_graph(folder: Path) -> Graph:
    """The triples about the ontology and its ``maild:`` terms, from every Turtle file."""
    everything = Graph()
    for path in sorted(folder.rglob("*.ttl")):
        if path.name != "shapes.ttl":
            everything.parse(path, format="turtle")
    schema = Graph()
    for prefix, namespace in everything.namespaces():
        schema.bind(prefix, namespace)
    for s, p, o in everything:
        if str(s).startswith(str(MAILD)) or str(s) == ONTOLOGY_IRI:
            schema.add((s, p, o))
    return schema


def render(folder: Path) -> str:
    """The pyLODE HTML page documenting the ontology in ``folder``."""
    from pylode import OntPub

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "maild.ttl"
        schema_graph(folder).serialize(source, format="turtle")
        return OntPub(ontology=str(source)).make_html()
