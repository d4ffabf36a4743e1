"""What is generated from the curation model (``ontology/curation.linkml.yaml``), the one source.

The model is LinkML, the convention of this field (Biolink, SSSOM, OAK and KG-Hub are written in
it). From it come, with LinkML's own generators:

* ``ontology/curation.schema.json``: the JSON Schema every curation record is checked against
  (``gen-json-schema``, closed classes, no explicit nulls);
* ``docs/curation-model/``: the documentation of every class, slot and enum (``gen-doc``);
* ``ontology/values.ttl``: each enum value as a SKOS concept, the ``meaning`` IRI the model gives
  it, with the printed value as its ``skos:notation``, so a literal such as
  ``maild:direction "improved"`` leads to a defined concept.

LinkML is an optional dependency (the ``docs`` and ``test`` extras): the build reads the generated
files and never the model. ``python docs/make_curation_model.py`` rewrites them; a test fails when
one is stale.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from graph.vocabulary.prefixes import PREFIXES

MODEL = "curation.linkml.yaml"
SCHEMA = "curation.schema.json"
VALUES = "values.ttl"


def _view(model: Path) -> Any:
    from linkml_runtime.utils.schemaview import SchemaView

    return SchemaView(str(model))


def json_schema(model: Path) -> str:
    """The JSON Schema of a curation record, as written to ``ontology/curation.schema.json``."""
    from linkml.generators.jsonschemagen import JsonSchemaGenerator

    text = JsonSchemaGenerator(str(model), include_null=False, metadata=False).serialize()
    return json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def enum_values(model: Path) -> dict[str, list[str]]:
    """Each enum of the model with its permissible values, in the model's order."""
    view = _view(model)
    return {name: list(enum.permissible_values) for name, enum in view.all_enums().items()}


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def values_turtle(model: Path) -> str:
    """Every enum value as a SKOS concept in a scheme per enum, as Turtle (sorted, stable)."""
    view = _view(model)
    lines = [
        "# Generated from ontology/curation.linkml.yaml by python docs/make_curation_model.py:",
        "# do not edit. Each value a curation record may take, as the concept its `meaning` names.",
        f"@prefix skos: <{PREFIXES['skos']}> .",
        "",
    ]
    for name in sorted(enum_values(model)):
        enum = view.get_enum(name)
        scheme = f"<{PREFIXES['vocab']}values/{name}>"
        lines += [f"{scheme} a skos:ConceptScheme ;",
                  f"    skos:prefLabel {_literal(name)}@en ;",
                  f"    skos:definition {_literal(enum.description or name)}@en .", ""]
        for value, permissible in enum.permissible_values.items():
            if not permissible.meaning:
                raise ValueError(f"{model.name}: enum {name} value {value!r} has no meaning IRI")
            lines += [f"<{_expand(permissible.meaning)}> a skos:Concept ;",
                      f"    skos:inScheme {scheme} ;",
                      f"    skos:notation {_literal(value)} ;",
                      f"    skos:prefLabel {_literal(value)}@en ;",
                      f"    skos:definition {_literal(permissible.description or value)}@en .",
                      ""]
    return "\n".join(lines)


def write_docs(model: Path, folder: Path) -> None:
    """The model's documentation (``gen-doc``, Markdown, one page per element) into ``folder``."""
    from linkml.generators.docgen import DocGenerator

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    DocGenerator(str(model), mergeimports=False).serialize(directory=str(folder))


def docs(model: Path) -> dict[str, str]:
    """The documentation pages, by file name, as :func:`write_docs` writes them."""
    with tempfile.TemporaryDirectory() as scratch:
        write_docs(model, Path(scratch))
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(scratch).glob("*.md"))}
