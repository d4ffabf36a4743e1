"""The evidence view: drugs, outcomes, antibody subgroups and studies, joined by findings.

Each outcome finding is an arrow from a drug to an outcome, labelled with n/N (percent) or the
change, and the p-value; its width grows with the number of patients and its colour says the
direction. Studies link to the drugs they report on; antibody subgroups link to the drug given
to them. Filters keep one drug, antibody or design.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from graph.query.endpoints import Target
from graph.query.texts import internal_query
from graph.views._page import Page, meta, network
from graph.views._shared import values as shared_values
from graph.views._style import OKABE_ITO, legend_item, node_style, shortened
from graph.views._view import Drawing, Option, Resolve, View

FINDINGS = internal_query("views/evidence-findings")
POSITIVE = internal_query("views/evidence-antibody-subgroups")
LABELS = internal_query("views/concept-labels")

DIRECTION_COLOURS = {
    "improved": OKABE_ITO["bluish green"],
    "improved-or-stable": OKABE_ITO["sky blue"],
    "no-change": "#777777",
    "worsened": OKABE_ITO["vermillion"],
    "not-applicable": OKABE_ITO["blue"],
    "unknown": "#BBBBBB",
}
STUDIED_ROLES = ("studied", "add-on")  # the roles a finding is evidence about
CURATED = "curated"  # a finding's curation; any other is a machine-extracted, unreviewed candidate
CANDIDATE_DASHES = [2, 5]  # a candidate's arrow: short dashes, apart from the study links
UNGRADED = 9  # ranks a study of no known evidence level after every graded one
KIND_STYLE = {  # colour, shape, column (left to right: who reports, the drug, the outcome)
    "study": (OKABE_ITO["grey"], "diamond", 0),
    "antibody": (OKABE_ITO["reddish purple"], "triangle", 0),
    "drug": (OKABE_ITO["orange"], "ellipse", 1),
    "outcome": (OKABE_ITO["yellow"], "box", 2),
}
STUDY_EDGE = "#999999"


def _number(text: str | None) -> str:
    return "" if text is None else text


def result_label(row: dict[str, str]) -> str:
    """The numbers of a finding as an edge label: "17/18 (94%)", "35.1→12.4 (-65%)", "median
    399→74.5", "p<0.001".

    >>> result_label({"responders": "17", "total": "18", "percent": "94", "pValue": "0.09",
    ...               "pRelation": "="})
    '17/18 (94%) p=0.09'
    >>> result_label({"beforeMedian": "399", "afterMedian": "74.5"})
    'median 399\u219274.5'
    """
    parts = []
    if "responders" in row and "total" in row:
        pct = f" ({row['percent']}%)" if "percent" in row else ""
        parts.append(f"{row['responders']}/{row['total']}{pct}")
    elif "count" in row:
        parts.append(f"{row['count']}" + (f"/{row['total']}" if "total" in row else ""))
    elif "percent" in row:
        parts.append(f"{row['percent']}%")
    change = f" ({row['change']}%)" if "change" in row else ""
    if "before" in row and "after" in row:
        parts.append(f"{row['before']}\u2192{row['after']}{change}")
    elif "beforeMedian" in row and "afterMedian" in row:
        parts.append(f"median {row['beforeMedian']}\u2192{row['afterMedian']}{change}")
    elif "change" in row:
        parts.append(f"{row['change']}%")
    if "pValue" in row:
        parts.append(f"p{row.get('pRelation', '=')}{row['pValue']}")
    return " ".join(parts)


def _curve(nth: int) -> dict[str, object] | bool:
    """Parallel findings between one drug and one outcome fan out instead of overlapping."""
    if nth == 1:
        return False
    side = "curvedCW" if nth % 2 == 0 else "curvedCCW"
    return {"enabled": True, "type": side, "roundness": 0.15 * (nth // 2)}


def _positive(target: Target) -> dict[str, str]:
    """Each population's antibodies, space-separated, from its own and its parents' criteria."""
    positive: dict[str, set[str]] = defaultdict(set)
    for row in shared_values(target, POSITIVE, "<evidence view>"):
        positive[row["pop"]].add(row["antibody"])
    return {pop: " ".join(sorted(antibodies)) for pop, antibodies in positive.items()}


def _rows(target: Target, positive: dict[str, str]) -> list[dict[str, str]]:
    """One row per outcome finding and drug, with the antibodies its population is positive for.

    Every finding of the graph is read whole (the gap map reads the same rows, and a build asks
    the store once for both); values are interned, as thousands of findings share a few thousand
    studies, drugs, outcomes and designs.
    """
    rows = []
    for values in shared_values(target, FINDINGS, "<evidence view>"):
        antibodies = positive.get(values["pop"])
        rows.append({**values, "antibodies": antibodies} if antibodies else values)
    return rows


def _matches(row: dict[str, str], wanted: dict[str, str]) -> bool:
    """Whether a finding passes the page's initial filter (drug IRI, antibody IRI, design)."""
    return (wanted.get("drug", row["drug"]) == row["drug"]
            and wanted.get("design", row["design"]) == row["design"]
            and ("antibody" not in wanted
                 or wanted["antibody"] in row.get("antibodies", "").split()))


def within_budget(rows: list[dict[str, str]], budget: int, wanted: dict[str, str] | None = None
                  ) -> tuple[list[dict[str, str]], int, int]:
    """The findings of the studies that fit in ``budget`` nodes; studies and findings left out.

    Studies are taken best level of evidence first, then most findings, then by IRI, and studies
    with a finding that passes the initial filter before all others, so a view opened on one drug
    shows that drug's findings. A study costs its own node and those of the drugs, outcomes and
    antibodies it brings that no study taken before it drew; one that does not fit is passed
    over for later ones that may. At least one study is drawn.

    >>> rows = [{"study": s, "level": l, "drug": d, "outcome": "o", "design": "x",
    ...          "finding": f} for s, l, d, f in [("a", "4", "d", "1"), ("b", "2", "d", "2"),
    ...                                          ("b", "2", "d", "3"), ("c", "3", "e", "4")]]
    >>> kept, studies, findings = within_budget(rows, budget=4)
    >>> [r["finding"] for r in kept], studies, findings
    (['1', '2', '3'], 1, 1)
    """
    wanted = wanted or {}
    findings: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)
    level: dict[str, int] = {}
    chosen: set[str] = set()
    for row in rows:
        findings[row["study"]].add(row["finding"])
        uses[row["study"]].update((row["drug"], row["outcome"],
                                   *row.get("antibodies", "").split()))
        level[row["study"]] = int(row["level"]) if row["level"].isdigit() else UNGRADED
        if _matches(row, wanted):
            chosen.add(row["study"])
    if len(findings) + len(set().union(*uses.values())) <= budget:
        return rows, 0, 0
    ranked = sorted(findings, key=lambda s: (s not in chosen, level[s], -len(findings[s]), s))
    kept, drawn, nodes = {ranked[0]}, set(uses[ranked[0]]), 1 + len(uses[ranked[0]])
    for study in ranked[1:]:
        cost = 1 + len(uses[study] - drawn)
        if nodes + cost <= budget:
            kept.add(study)
            drawn |= uses[study]
            nodes += cost
    shown = [r for r in rows if r["study"] in kept]
    left = {r["finding"] for r in rows} - {r["finding"] for r in shown}
    return shown, len(findings) - len(kept), len(left)


def _node(net: Any, node_id: str, kind: str, name: str, lines: list[tuple[str, object]],
          links: list[tuple[str, str]] | None = None) -> None:
    """A node labelled with ``name`` cut to 40 characters; its details and search keep it whole."""
    if node_id in net.get_nodes():
        return
    colour, shape, column = KIND_STYLE[kind]
    net.add_node(node_id, label=shortened(name), **node_style(colour, shape), size=14,
                 column=column, meta=meta(kind, name, lines, links))


def evidence_page(target: Target, initial: dict[str, str] | None = None, budget: int = 500
                  ) -> tuple:
    """The page and pyvis network of the evidence view, with at most ``budget`` nodes."""
    # The studies are chosen from every finding, and the chosen ones' findings drawn: the rows
    # the gap map reads too, so a build asks for them once (graph.views._shared).
    rows, left_studies, left_findings = within_budget(
        _rows(target, _positive(target)), budget, initial)
    labels = {r["concept"]: r["label"] for r in shared_values(target, LABELS, "<labels>")}
    net = network()
    study_edges: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"findings": 0, "antibodies": set()})
    parallel: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        drug, outcome, study = row["drug"], row["outcome"], row["study"]
        parallel[(drug, outcome)] += 1
        antibodies = sorted(row.get("antibodies", "").split())
        patients = int(row.get("total") or row.get("n") or 1)
        _node(net, drug, "drug", row["drugLabel"], [("Kind", "drug")], [("IRI", drug)])
        _node(net, outcome, "outcome", row["outcomeLabel"], [("Kind", "outcome")],
              [("IRI", outcome)])
        _node(net, study, "study", row["studyTitle"],
              [("Study", row["studyTitle"]), ("Design", row["design"]),
               ("Evidence level (CEBM 2011)", row["level"])], [("IRI", study)])
        facts = {"drug": drug, "antibodies": antibodies, "design": row["design"],
                 "direction": row["direction"]}
        # a drug the finding is not evidence about says its role on the arrow itself; a candidate
        # says it is one (its role is unknown: the extractor does not read roles)
        candidate = row["curation"] != CURATED
        label = (f"candidate: {result_label(row)}" if candidate
                 else result_label(row) if row["role"] in STUDIED_ROLES
                 else f"{row['role']}: {result_label(row)}".strip())
        net.add_edge(drug, outcome, id=f"{row['finding']} {drug}", label=label,
                     width=1 + 2 * math.log10(patients + 1), arrows="to",
                     smooth=_curve(parallel[(drug, outcome)]),
                     color=DIRECTION_COLOURS[row["direction"]],
                     dashes=CANDIDATE_DASHES if candidate else False,
                     meta=meta("finding", f"{row['drugLabel']} \u2192 {row['outcomeLabel']}", [
                         ("Curation", row["curation"]),
                         ("Result", result_label(row)), ("Dose of", row.get("doseOf")),
                         ("Role", row.get("role")), ("Population", row["population"]),
                         ("Patients", row.get("n")), ("Timepoint", row.get("timepoint")),
                         ("Direction", row["direction"]), ("Study", row["studyTitle"]),
                         ("Design", row["design"]), ("Evidence level", row["level"]),
                         ("Stated in", row["reported"]), ("Quote", row["quote"]),
                     ], [("Finding IRI", row["finding"])], **facts,
                         row={"drug": row["drugLabel"], "outcome": row["outcomeLabel"],
                              "result": label, "patients": row.get("n") or row.get("total") or "",
                              "direction": row["direction"], "level": row["level"],
                              "study": row["studyTitle"]}))
        for antibody in antibodies:
            name = labels.get(antibody, antibody)
            _node(net, antibody, "antibody", name, [("Kind", "antibody subgroup")],
                  [("IRI", antibody)])
            net.add_edge(antibody, drug, id=f"{row['finding']} {antibody}", dashes=True,
                         label=f"{name} subgroup: {result_label(row)}",
                         color=KIND_STYLE["antibody"][0],
                         meta=meta("finding", f"{name} subgroup given {row['drugLabel']}",
                                   [("Result", result_label(row)),
                                    ("Population", row["population"])], **facts))
        entry = study_edges[(study, drug)]
        entry["findings"] += 1
        entry["antibodies"].update(antibodies)
        entry.update(design=row["design"], drugLabel=row["drugLabel"], title=row["studyTitle"])
    for (study, drug), entry in sorted(study_edges.items()):
        net.add_edge(study, drug, id=f"{study} studied {drug}", dashes=True, color=STUDY_EDGE,
                     label=f"{entry['findings']} findings",
                     meta=meta("finding", f"{entry['title'][:60]} reports on {entry['drugLabel']}",
                               [("Findings", entry["findings"])], drug=drug,
                               antibodies=sorted(entry["antibodies"]), design=entry["design"]))
    choices = {
        "drugs": sorted({(r["drug"], r["drugLabel"]) for r in rows}, key=lambda p: p[1]),
        "antibodies": sorted({(a, labels.get(a, a)) for r in rows
                              for a in r.get("antibodies", "").split()}, key=lambda p: p[1]),
        "designs": sorted({(r["design"], r["design"]) for r in rows}),
    }
    kinds = {n["meta"]["kind"] for n in net.nodes}
    directions = {r["direction"] for r in rows if r["curation"] == CURATED}
    candidate_directions = {r["direction"] for r in rows if r["curation"] != CURATED}
    legend = ([legend_item(kind, colour, shape) for kind, (colour, shape, _c) in KIND_STYLE.items()
               if kind in kinds]
              + [legend_item(f"finding: {d}", c, "line") for d, c in DIRECTION_COLOURS.items()
                 if d in directions]
              + [legend_item(f"finding: {d}, machine-extracted, unreviewed", c, "line",
                             dashes=True)
                 for d, c in DIRECTION_COLOURS.items() if d in candidate_directions]
              + ([legend_item("finding in an antibody subgroup", KIND_STYLE["antibody"][0],
                              "line", dashes=True)] if "antibody" in kinds else [])
              + ([legend_item("study reports on the drug", STUDY_EDGE, "line", dashes=True)]
                 if "study" in kinds else []))
    page = Page(
        kind="evidence",
        title="Evidence map: drugs, outcomes, antibody subgroups and studies",
        explanation=("Each arrow from a drug (middle) to an outcome (right) is one finding; hover "
                     "or select it for n/N (percent) or the change and the p-value. Thicker "
                     "arrows mean more patients, colour gives the direction; a dashed arrow is a "
                     "machine-extracted candidate no person has reviewed. Dashed lines join "
                     "studies and antibody subgroups (left) to the drugs. Filter by drug, "
                     "antibody or design; click an arrow or a row of the list for the quote."),
        legend=legend, controls=("filter",), choices=choices, layout="columns",
        table=(("drug", "Drug"), ("outcome", "Outcome"), ("result", "Result"),
               ("patients", "Patients"), ("direction", "Direction"), ("level", "Level"),
               ("study", "Study")), listing="edges",
        note=(f"Showing the findings of {len({r['study'] for r in rows})} of "
              f"{len({r['study'] for r in rows}) + left_studies} studies ("
              f"{'those matching the filter first, then ' if initial else ''}the best level of "
              "evidence, then the most findings, passing over a study whose drugs, outcomes and "
              "antibodies would not fit); "
              f"{left_findings} findings of {left_studies} studies left out; "
              "ma-ild query drug-outcomes --param drug=DRUG lists every one of a drug's findings, "
              "whatever its study's design." if left_studies else None),
        initial={"filter": initial} if initial else None,
    )
    return page, net


def draw(target: Target, options: Mapping[str, Any], resolve: Resolve) -> Drawing:
    """The evidence view of ``target``, opened on the drug, antibody or design asked for."""
    chosen = {"drug": resolve.concept(options.get("drug"), "drug"),
              "antibody": resolve.concept(options.get("antibody"), "antibody"),
              "design": options.get("design")}
    return evidence_page(target, {k: v for k, v in chosen.items() if v} or None,
                         budget=options.get("budget") or 500)


VIEW = View(
    name="evidence",
    description="drugs, outcomes, antibody subgroups and studies, joined by findings",
    order=20,
    options=(
        Option("--budget", "at most this many nodes, the findings of the best studies "
               "(default 500)", int),
        Option("--drug", "show only this drug's findings"),
        Option("--antibody", "show only findings in this antibody subgroup"),
        Option("--design", "show only findings of this design (its label)"),
    ),
    draw=draw,
    reads=(FINDINGS, POSITIVE, LABELS),
)
