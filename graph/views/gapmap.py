"""The evidence gap map: drugs by outcomes, each cell the findings in which the drug was studied
for the outcome, as EPPI-Mapper's intervention-by-outcome maps draw a body of evidence.

Rows are every drug of the vocabulary and columns every outcome, both in their SKOS hierarchy
(a class above its members; outcomes under their top concept), so an empty cell is a gap. A
cell counts the findings (and the patients of their distinct populations) in which the drug was
studied or added on, as ``drugs-for-outcome`` counts evidence; a "role" filter counts every
role instead. Its colour says the direction of its findings and the best level of evidence among
them; a symbol repeats the direction for readers who do not tell the colours apart. Filters by
antibody, disease and design work in the page (``templates/gapmap.js``); a click lists the
cell's findings with their quotes, and the pooled estimate of the cell where one is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from graph.query.endpoints import Target
from graph.query.texts import internal_query
from graph.views._page import Page
from graph.views._shared import values as shared_values
from graph.views._view import Drawing, Resolve, View
from graph.views.evidence import FINDINGS, STUDIED_ROLES, UNGRADED, result_label

AXES = internal_query("views/gapmap-axes")
POPULATIONS = internal_query("views/gapmap-populations")
LABELS = internal_query("views/concept-labels")
POOLED = internal_query("views/gapmap-pooled")

# Okabe-Ito hues (distinguishable with every common colour-vision deficiency), three shades each:
# the strongest evidence (levels 1-2) darkest, then level 3, then levels 4-5 or not graded.
DIRECTIONS = {
    "improved": ("\u25b2", ("#0072b2", "#56b4e9", "#cfe8f7")),
    "worsened": ("\u25bc", ("#a64700", "#e69f00", "#f8dfb0")),
    "mixed": ("\u25c6", ("#8e3b6e", "#cc79a7", "#f0d4e4")),
    "no change": ("\u25cf", ("#4d4d4d", "#999999", "#e0e0e0")),
    "unclear": ("\u25cb", ("#5e5a00", "#c9c136", "#f5f1b8")),
}
DETAILED = 10  # findings a cell carries with their quotes; the page counts the rest
LEVELS = ("levels 1\u20132", "level 3", "levels 4\u20135 or not graded")
DIRECTION_OF = {"improved": "improved", "improved-or-stable": "improved", "worsened": "worsened",
                "no-change": "no change"}  # not-applicable and unknown say nothing: "unclear"


def luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour (WCAG 2.1).

    >>> round(luminance("#ffffff"), 3), round(luminance("#000000"), 3)
    (1.0, 0.0)
    """
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21.

    >>> round(contrast("#767676", "#ffffff"), 2)
    4.54
    """
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return max(("#000000", "#ffffff"), key=lambda t: contrast(t, background))


def palette() -> dict[str, dict[str, Any]]:
    """Each direction's symbol and, by evidence band, its cell colour and text colour."""
    return {d: {"symbol": symbol, "fill": [[c, text_colour(c)] for c in shades]}
            for d, (symbol, shades) in DIRECTIONS.items()}


def ordered(concepts: dict[str, tuple[str, list[str]]]) -> list[tuple[str, str, int, str]]:
    """Concepts in their hierarchy, depth first and by label: (IRI, label, depth, top concept).

    A concept under several broader ones is listed under the first by label only. Labels sort
    regardless of case ("DMARD dose" among the d's).

    >>> ordered({"a": ("A", []), "b": ("B", ["a"]), "c": ("C", [])})
    [('a', 'A', 0, 'a'), ('b', 'B', 1, 'a'), ('c', 'C', 0, 'c')]
    """
    children: dict[str, list[str]] = defaultdict(list)
    roots = []
    for iri, (_label, broader) in concepts.items():
        parents = sorted((p for p in broader if p in concepts),
                         key=lambda p: concepts[p][0].lower())
        (children[parents[0]] if parents else roots).append(iri)
    out: list[tuple[str, str, int, str]] = []
    seen: set[str] = set()

    def visit(iri: str, depth: int, top: str) -> None:
        if iri in seen:
            return
        seen.add(iri)
        out.append((iri, concepts[iri][0], depth, top))
        for child in sorted(children[iri], key=lambda c: (concepts[c][0].lower(), c)):
            visit(child, depth + 1, top)

    for root in sorted(roots, key=lambda c: (concepts[c][0].lower(), c)):
        visit(root, 0, root)
    return out


def _axes(target: Target) -> dict[str, dict[str, tuple[str, list[str]]]]:
    axes: dict[str, dict[str, tuple[str, list[str]]]] = {"drug": {}, "outcome": {}}
    for row in target.stream(AXES, "<gap map>"):
        _label, broader = axes[row["axis"]["value"]].setdefault(
            row["concept"]["value"], (row["label"]["value"], []))
        if "broader" in row:
            broader.append(row["broader"]["value"])
    return axes


def _facets(target: Target) -> dict[str, dict[str, list[str]]]:
    """Each population's antibodies and diseases, with every concept above them."""
    facets: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"antibody": [], "disease": []})
    for row in shared_values(target, POPULATIONS, "<gap map>"):
        facets[row["pop"]][row["facet"]].append(row["concept"])
    # sorted here, not by the query (an on-disk store reads each IRI's text to compare it), and
    # each population's list alone, not every row (236,544 at 10,000 documents)
    for found in facets.values():
        for concepts in found.values():
            concepts.sort()
    return facets


def findings(target: Target) -> list[dict[str, Any]]:
    """Every outcome finding with a drug and its quote (one record per finding and drug), with
    what the page shows, counts and filters by."""
    facets = _facets(target)
    out = []
    for values in shared_values(target, FINDINGS, "<gap map>"):
        pop = facets.get(values["pop"], {"antibody": [], "disease": []})
        out.append({
            "finding": values["finding"], "drug": values["drug"], "outcome": values["outcome"],
            "drugLabel": values["drugLabel"], "outcomeLabel": values["outcomeLabel"],
            "role": values["role"],
            "evidence": values["role"] in STUDIED_ROLES,
            "direction": values["direction"],
            "summary": DIRECTION_OF.get(values["direction"], "unclear"),
            "level": int(values["level"]) if values["level"].isdigit() else None,
            "design": values["design"], "pop": values["pop"],
            "n": int(values["n"]) if values.get("n", "").isdigit() else None,
            "population": values["population"], "result": result_label(values),
            "timepoint": values.get("timepoint", ""), "study": values["studyTitle"],
            "quote": values["quote"], "antibodies": pop["antibody"], "diseases": pop["disease"],
        })
    return out


def _axis(concepts: dict[str, tuple[str, list[str]]], found: dict[str, str]) -> list[list[Any]]:
    """An axis in its hierarchy, then any concept a finding names that the vocabulary does not
    type as one of its kind (so no finding is left without its row or column)."""
    axis = [list(c) for c in ordered(concepts)]
    axis += [[c, label, 0, c] for c, label in sorted(found.items(), key=lambda p: p[1])
             if c not in concepts]
    return axis


def carried(rows: list[dict[str, Any]]) -> set[int]:
    """The findings the page carries with their quotes: in each cell, up to :data:`DETAILED`,
    evidence about the drug first, then the best level, the most patients, by IRI."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        cells[(r["drug"], r["outcome"])].append(i)
    return {i for found in cells.values() for i in sorted(found, key=lambda i: (
        not rows[i]["evidence"], rows[i]["level"] or UNGRADED, -(rows[i]["n"] or 0),
        rows[i]["finding"]))[:DETAILED]}


def pack(rows: list[dict[str, Any]], drugs: list[list[Any]], outcomes: list[list[Any]]
         ) -> dict[str, list[Any]]:
    """The findings as compact arrays (a page of 2,000 documents' findings with every quote
    took 10 MB): [drug, outcome, evidence, direction, level, design, population, n, details],
    the first ones indices into the axes and the ``designs``, ``directions`` and ``pops``
    tables, ``details`` an index into ``details`` (what a click lists) or -1."""
    drug_at = {d[0]: i for i, d in enumerate(drugs)}
    outcome_at = {o[0]: i for i, o in enumerate(outcomes)}
    designs = sorted({r["design"] for r in rows})
    directions = list(DIRECTIONS)
    pops: dict[str, int] = {}
    pop_rows: list[list[Any]] = []
    details: list[dict[str, Any]] = []
    keep = carried(rows)
    packed = []
    for i, r in enumerate(rows):
        if r["pop"] not in pops:
            pops[r["pop"]] = len(pop_rows)
            pop_rows.append([r["pop"], r["antibodies"], r["diseases"]])
        detail = -1
        if i in keep:
            detail = len(details)
            details.append({k: r[k] for k in ("finding", "role", "direction", "result",
                                              "population", "timepoint", "study", "quote")})
        packed.append([drug_at[r["drug"]], outcome_at[r["outcome"]], int(r["evidence"]),
                       directions.index(r["summary"]), r["level"], designs.index(r["design"]),
                       pops[r["pop"]], r["n"], detail])
    return {"findings": packed, "designs": designs, "directions": directions, "pops": pop_rows,
            "details": details}


def gapmap_page(target: Target, pooled: Mapping[tuple[str, str], Mapping[str, str]] | None = None
                ) -> Drawing:
    """The gap map of ``target``.

    ``pooled`` gives a pooled estimate by (drug IRI, outcome IRI): its fields (estimate,
    interval, method, studies...) are listed above the cell's findings, each as a line of text.
    """
    axes = _axes(target)
    rows = findings(target)
    labels = {r["concept"]: r["label"] for r in shared_values(target, LABELS, "<labels>")}
    outcomes = _axis(axes["outcome"], {r["outcome"]: r["outcomeLabel"] for r in rows})
    for column in outcomes:
        column[3] = labels.get(column[3], column[1])  # the top concept's label heads its group
    facet_values = {facet: sorted({c for r in rows for c in r[facet]},
                                  key=lambda c: labels.get(c, c).lower())
                    for facet in ("antibodies", "diseases")}
    drugs = _axis(axes["drug"], {r["drug"]: r["drugLabel"] for r in rows})
    classes = {a[0] for a, b in pairwise(drugs) if b[2] > a[2]}
    data = {
        "drugs": [[iri, label, depth, iri in classes] for iri, label, depth, _top in drugs],
        "outcomes": outcomes,
        **pack(rows, drugs, outcomes),
        "palette": palette(),
        "levels": list(LEVELS),
        "detailed": DETAILED,
        "pooled": {f"{d} {o}": dict(v) for (d, o), v in sorted((pooled or {}).items())},
    }
    choices = {
        "antibodies": [[c, labels.get(c, c)] for c in facet_values["antibodies"]],
        "diseases": [[c, labels.get(c, c)] for c in facet_values["diseases"]],
        "designs": [[d, d] for d in sorted({r["design"] for r in rows})],
    }
    legend = [{"label": f"{symbol} {direction}, {level}", "color": fill[0], "text": fill[1]}
              for direction, (symbol, shades) in DIRECTIONS.items()
              for level, fill in zip(LEVELS, ([c, text_colour(c)] for c in shades), strict=True)]
    page = Page(
        kind="gapmap",
        title="Evidence gap map: drugs by outcomes",
        explanation=("Each row is a drug, each column an outcome (grouped under its broader "
                     "outcome). A cell gives the number of findings in which the drug was "
                     "studied for the outcome and, below, the patients of their populations; "
                     "its colour and symbol give the direction of the findings, its shade the "
                     "best level of evidence among them (darker is stronger). An empty cell is "
                     "a gap. Filter by antibody, disease, design or the drug's role; click a "
                     "cell for its findings and their quotes."),
        legend=legend, choices=choices, data=data, template="gapmap.html",
    )
    return page, None


def _figure(value: float, unit: str = "") -> str:
    """A computed number as the page prints it: one decimal, a true minus sign.

    >>> _figure(-22.74, " mg")
    '\u221222.7 mg'
    """
    return f"{value:.1f}".replace("-", "\u2212") + unit


def pooled_estimates(target: Target) -> dict[tuple[str, str], dict[str, str]]:
    """Every stored pooled estimate as the gap map's cell panel lists it, by (drug, outcome):
    one line per estimate (a cell can hold several: mean changes at different timepoints or in
    different units), saying what was pooled, the estimate with its interval, how many studies
    and patients, the heterogeneity and the method, all computed numbers, never quoted ones."""
    found: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in target.stream(POOLED, "<pooled estimates>"):
        r = {k: v["value"] for k, v in row.items()}
        x = {k: float(r[k]) for k in ("value", "lower", "upper", "i2")}
        level = f"{float(r['level']):.0f}% CI" if "level" in r else "CI"
        if r["measure"] == "proportion":
            what = "Pooled proportion"
            value = (f"{_figure(100 * x['value'], '%')} ({level} {_figure(100 * x['lower'])}"
                     f"\u2013{_figure(100 * x['upper'], '%')})")
        else:
            unit = f" {r['unit']}" if "unit" in r else ""
            what = "Pooled mean change" + (f" at {r['timepoint']}" if "timepoint" in r else "")
            value = (f"{_figure(x['value'], unit)} ({level} {_figure(x['lower'])} to "
                     f"{_figure(x['upper'], unit)})")
        parts = [value, f"{r['studies']} studies"
                 + (f", {r['total']} patients" if "total" in r else ""),
                 f"I\u00b2 {_figure(x['i2'], '%')}, \u03c4\u00b2 {float(r['tau2']):.3g}"]
        if "correlation" in r:
            parts.append(f"before-after correlation imputed as {float(r['correlation']):g}")
        if "method" in r:
            parts.append(r["method"])
        found[(r["drug"], r["outcome"])][what] = "; ".join(parts)
    return dict(found)


def draw(target: Target, options: Mapping[str, Any], resolve: Resolve) -> Drawing:
    """The gap map of ``target`` with the pooled estimates the build stored (it takes no options:
    its filters are in the page)."""
    return gapmap_page(target, pooled_estimates(target))


VIEW = View(
    name="gapmap",
    description="an evidence gap map: drugs by outcomes, findings and patients in each cell",
    order=40,
    options=(),
    draw=draw,
    reads=(FINDINGS, LABELS, POPULATIONS),
)
