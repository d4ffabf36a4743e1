"""Regenerate what comes from the curation model, ontology/curation.linkml.yaml.

Run: pip install -e '.[docs]' && python docs/make_curation_model.py
Writes ontology/curation.schema.json, ontology/values.ttl and docs/curation-model/.
"""

from pathlib import Path

from graph.exports.curation_model import (
    MODEL,
    SCHEMA,
    VALUES,
    json_schema,
    values_turtle,
    write_docs,
)

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    model = ROOT / "ontology" / MODEL
    (ROOT / "ontology" / SCHEMA).write_text(json_schema(model), encoding="utf-8")
    (ROOT / "ontology" / VALUES).write_text(values_turtle(model), encoding="utf-8")
    write_docs(model, ROOT / "docs" / "curation-model")
    print(f"wrote ontology/{SCHEMA}, ontology/{VALUES} and docs/curation-model/ from {model.name}")
