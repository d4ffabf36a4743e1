"""Regenerate docs/ontology/index.html from ontology/ with pyLODE.

Run: pip install -e '.[docs]' && python docs/make_ontology_docs.py
"""

from pathlib import Path

from graph.exports.ontology_docs import render

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    out = ROOT / "docs" / "ontology" / "index.html"
    out.write_text(render(ROOT / "ontology"), encoding="utf-8")
    print(f"wrote {out}")
