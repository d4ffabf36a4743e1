"""Query results as text: an aligned table for the terminal, CSV, TSV or SPARQL results JSON."""

from __future__ import annotations

import csv
import io

from graph.errors import QueryError
from graph.query.endpoints import Binding, Results, dumps
from graph.vocabulary.prefixes import BASE, PREFIXES

FORMATS = ("table", "csv", "tsv", "json")
DISPLAY_PREFIXES = {
    **{name: BASE + f"{name}/" for name in ("work", "finding", "population", "source",
                                               "statement", "discrepancy")},
    **PREFIXES,
}


def compact(iri: str) -> str:
    """An IRI as prefix:local when a display prefix covers it.

    >>> compact("https://w3id.org/ma-ild/vocab/tacrolimus")
    'vocab:tacrolimus'
    """
    best = max((ns for ns in DISPLAY_PREFIXES.values() if iri.startswith(ns)), key=len, default="")
    if not best:
        return iri
    prefix = next(name for name, ns in DISPLAY_PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def _cell(value: Binding | None, width: int | None) -> str:
    if value is None:
        return ""
    text = compact(value["value"]) if value["type"] == "uri" else value["value"]
    text = " ".join(text.split())
    if width is not None and len(text) > width:
        return text[: width - 1] + "\u2026"
    return text


def table(results: Results, width: int | None = 48) -> str:
    """An aligned plain-text table; long cells are cut to ``width`` characters.

    Columns empty in every row are left out, to keep wide answers readable.
    """
    if results.boolean is not None:
        return "yes" if results.boolean else "no"
    shown = [v for v in results.variables if any(v in row for row in results.rows)]
    shown = shown or results.variables
    cells = [[_cell(row.get(v), width) for v in shown] for row in results.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(shown)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(shown, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run: text that begins like a formula gets a leading ``'``.

    OWASP's advice against CSV injection; a number (``-64.7``) is left as it is.

    >>> print(spreadsheet_safe('=HYPERLINK("http://x","y")'), spreadsheet_safe("-64.7"))
    '=HYPERLINK("http://x","y") -64.7
    >>> print(spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("tacrolimus"))
    '@SUM(A1) tacrolimus
    """
    if not text.startswith(_FORMULA_START):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def delimited(results: Results, delimiter: str) -> str:
    """CSV or TSV with a header row and full IRIs, every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([spreadsheet_safe(row[v]["value"]) if v in row else ""
                         for v in results.variables])
    return out.getvalue().rstrip("\n")


def select_columns(results: Results, columns: list[str]) -> Results:
    """Only ``columns`` of the results, in that order; an unknown column is an error."""
    unknown = [c for c in columns if c not in results.variables]
    if unknown:
        raise QueryError(f"no column {', '.join(unknown)}; the columns are: "
                         f"{', '.join(results.variables)}")
    rows = [{c: row[c] for c in columns if c in row} for row in results.rows]
    return Results(columns, rows, results.boolean)


def render(results: Results, fmt: str, width: int | None = 48) -> str:
    """The results in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return dumps(results)
    if fmt == "csv":
        return delimited(results, ",")
    if fmt == "tsv":
        return delimited(results, "\t")
    return table(results, width)
