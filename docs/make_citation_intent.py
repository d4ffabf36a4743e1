"""Regenerate docs/citation-intent.md: precision of the citation intent rules on the hand labels.

Run: python docs/make_citation_intent.py
"""

from pathlib import Path

from graph.citations.intent_score import render, score
from graph.inputs.read import corpus_files

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "python docs/make_citation_intent.py"
LABELS = ROOT / "tests" / "fixtures" / "citation-intents.json"


def labelled_files() -> list[Path]:
    """The corpus documents and the development set's articles (their expected answers aside)."""
    devset = ROOT / "tests" / "fixtures" / "devset"
    return [*corpus_files(ROOT / "corpus" / "documents"),
            *sorted(p for p in devset.iterdir()
                    if p.is_file() and p.suffix not in (".json", ".py"))]


def page() -> str:
    files = labelled_files()
    return render(score(files, LABELS, ROOT), COMMAND, len(files))


if __name__ == "__main__":
    out = ROOT / "docs" / "citation-intent.md"
    out.write_text(page(), encoding="utf-8")
    print(f"wrote {out}")
