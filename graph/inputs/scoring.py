"""How exactly the readers take the printed bibliographic fields from files not written for them.

``python -m graph.inputs.scoring [FOLDER]`` reads every file of FOLDER (the development set,
``tests/fixtures/devset/``, by default) that has a ``NAME.expected.json`` beside it, and prints,
per document and per field, whether what came out is exact: ``=`` exact, ``x`` wrong or missing,
``.`` not printed in that file (not scored). A refused file scores nothing. The expected files hold
the fields as the documents print them (authors as family names, in order); the titles are
compared with their white space squashed, everything else as it is.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError
from graph.inputs.read import read_documents
from graph.records import Bibliographic

FIELDS = ("title", "authors", "journal", "year", "volume", "issue", "page_start", "page_end",
          "doi", "pmid", "pmcid")
DEVSET = Path("tests") / "fixtures" / "devset"


@dataclass
class Scored:
    """One document of the set: its reader, and per printed field whether it came out exact."""

    name: str
    format: str
    layout: str | None  # None: refused
    exact: dict[str, bool] = field(default_factory=dict)
    refusal: str | None = None


def _value(meta: Bibliographic, name: str) -> object:
    if name == "authors":
        return [person.family for person in meta.authors]
    if name == "title":
        return " ".join((meta.title or "").split()) or None
    return getattr(meta, name)


def score_file(path: Path, expected: dict[str, object]) -> Scored:
    """Read ``path`` and compare each field ``expected`` gives with what the reader made."""
    scored = Scored(path.name, str(expected.get("format", "")), None)
    try:
        [document] = read_documents(path, path.parent)[:1]
    except InputError as exc:
        scored.refusal = str(exc)
        scored.exact = {name: False for name in FIELDS if name in expected}
        return scored
    scored.layout = document.layout
    for name in FIELDS:
        if name in expected:
            want = expected[name]
            if name == "title":
                want = " ".join(str(want).split())
            scored.exact[name] = _value(document.meta, name) == want
    return scored


def score(folder: Path) -> list[Scored]:
    """Every document of ``folder`` with an expected-fields file, scored, in name order."""
    results = []
    for expected_file in sorted(folder.glob("*.expected.json")):
        stem = expected_file.name[: -len(".expected.json")]
        [path] = [p for p in folder.iterdir()
                  if p.name.startswith(stem + ".") and not p.name.endswith(".expected.json")]
        results.append(score_file(path, json.loads(expected_file.read_text(encoding="utf-8"))))
    return results


def totals(results: list[Scored]) -> tuple[int, int]:
    """Exact fields and printed fields over the whole set."""
    exact = sum(sum(s.exact.values()) for s in results)
    return exact, sum(len(s.exact) for s in results)


def table(results: list[Scored]) -> str:
    """The scores as a Markdown table, one row a document, one column a field, and a total."""
    short = {"page_start": "first p.", "page_end": "last p."}
    head = ["document", "format", "read by", *(short.get(f, f) for f in FIELDS), "exact"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in results:
        marks = ["." if f not in s.exact else ("=" if s.exact[f] else "x") for f in FIELDS]
        lines.append("| " + " | ".join([s.name, s.format, s.layout or "refused", *marks,
                                        f"{sum(s.exact.values())}/{len(s.exact)}"]) + " |")
    exact, printed = totals(results)
    per_field = [f"{sum(s.exact.get(f, False) for s in results)}/"
                 f"{sum(f in s.exact for s in results)}" for f in FIELDS]
    accepted = sum(s.layout is not None for s in results)
    lines.append("| " + " | ".join([f"all ({accepted}/{len(results)} accepted)", "", "",
                                    *per_field, f"{exact}/{printed} ({exact / printed:.1%})"])
                 + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEVSET
    results = score(folder)
    print(table(results))
    for s in results:
        if s.refusal:
            print(f"refused: {s.refusal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
