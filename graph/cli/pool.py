"""``ma-ild pool --drug D --outcome O``: the pooled estimate of a drug-outcome pair, its studies,
and a forest plot.

The build pools each drug-outcome pair that two or more independent studies report as
proportions (:mod:`graph.evidence.pooling`) and stores the estimate with provenance to its
findings; this command reads it back from the store, prints it and draws the plot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox

from graph.cli.target import add_target_options, target_of
from graph.errors import QueryError
from graph.evidence.pooling import StudyResult, study_interval
from graph.query.binding import bind
from graph.query.texts import internal_query
from graph.settings import Paths
from graph.views._forest import Row, forest_svg
from graph.vocabulary.concepts import load_vocabulary

ESTIMATE = internal_query("pool/estimate")


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _report(title: str, estimate: str, rows: list[dict[str, dict[str, str]]], out: Path
            ) -> None:
    """Print one estimate with its studies and write its forest plot."""
    first = rows[0]
    value, lower, upper = (float(first[k]["value"]) for k in ("value", "lower", "upper"))
    i2, tau2 = float(first["i2"]["value"]), float(first["tau2"]["value"])
    pooled_rows, studies = [], []
    print(f"{title}: random-effects (DerSimonian-Laird) pooled proportion <{estimate}>")
    for row in rows:
        name = (row.get("studyTitle") or row["study"])["value"]
        result = StudyResult(row["study"]["value"], name, row["finding"]["value"],
                             int(row["responders"]["value"]), int(row["total"]["value"]))
        share, low, high = study_interval(result)
        counts = f"{result.responders}/{result.total}"
        if row["role"]["value"] == "pooled":
            studies.append(result)
            pooled_rows.append(Row(name, counts, share, low, high))
            print(f"  {counts:>7}  {_percent(share):>6} ({_percent(low)}-{_percent(high)})  "
                  f"{name}  <{result.finding}>")
        else:
            why = row.get("why", {}).get("value", "left out")
            print(f"  {counts:>7}  not pooled: {why}")
    patients = sum(s.total for s in studies)
    print(f"pooled {_percent(value)} (95% CI {_percent(lower)}-{_percent(upper)}), "
          f"I\u00b2 = {i2:.1f}%, tau\u00b2 = {tau2:.4f}; {len(studies)} studies, "
          f"{patients} patients")
    pooled = Row("pooled (random effects)", f"{len(studies)} studies, {patients} patients",
                 value, lower, upper)
    svg = forest_svg(title, pooled_rows, pooled,
                     f"I\u00b2 = {i2:.1f}%, tau\u00b2 = {tau2:.4f}; logit scale, DerSimonian-Laird")
    out.write_text(svg, encoding="utf-8")
    print(f"wrote {out}")


def run(args: argparse.Namespace) -> int:
    vocabulary = load_vocabulary(args.ontology / "vocabulary")
    try:
        drug = vocabulary.resolve(args.drug, ("drug",))
        outcome = vocabulary.resolve(args.outcome, ("outcome",))
    except LookupError as exc:
        raise QueryError(str(exc)) from None
    query = bind(ESTIMATE, {"drug": ox.NamedNode(str(drug.iri)),
                            "outcome": ox.NamedNode(str(outcome.iri))})
    rows = target_of(args).select(query, "queries/internal/pool/estimate.rq").rows
    if not rows:
        print(f"no pooled estimate for {drug.label} and {outcome.label}: fewer than two "
              "independent studies report it as responders of a total")
        return 1
    estimates: dict[str, list[dict[str, dict[str, str]]]] = {}
    for row in rows:
        estimates.setdefault(row["estimate"]["value"], []).append(row)
    for number, (estimate, its_rows) in enumerate(sorted(estimates.items()), start=1):
        out = args.out or Path(f"forest-{drug.id}-{outcome.id}.svg")
        if len(estimates) > 1:  # one per definition of the outcome
            out = out.with_name(f"{out.stem}-{number}{out.suffix}")
        _report(f"{drug.label}: {outcome.label}", estimate, its_rows, out)
    return 0


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("--drug", required=True, help="a drug by id, label or synonym (FK506)")
    p.add_argument("--outcome", required=True, help="an outcome by id, label or synonym")
    p.add_argument("--out", type=Path, help="the SVG forest plot to write "
                                             "(default: forest-DRUG-OUTCOME.svg)")
    add_target_options(p, paths, "with --endpoint: the named graph to use as default graph")
    p.set_defaults(run=run)
