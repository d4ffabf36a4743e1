"""``ma-ild pool --drug D --outcome O``: the pooled estimates of a drug-outcome pair, their
studies, and a forest plot each.

The build pools each drug-outcome pair that two or more independent studies report alike as
proportions or as before-after mean changes (:mod:`graph.evidence.pooling`) and stores the
estimate with provenance to its findings; this command reads it back from the store, prints it
and draws the plot. A mean change's variance rests on an imputed within-patient correlation:
``--correlation`` pools at another one (the build's is 0.5), and the estimate is printed at 0.2
and 0.8 as well, so a reader sees how much the answer leans on the assumption.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox

from graph.cli.target import add_target_options, target_of
from graph.errors import QueryError
from graph.evidence.pooling import (
    CORRELATION,
    SENSITIVITY,
    MeanChange,
    StudyResult,
    change_interval,
    pool_changes,
    scaled,
    study_interval,
    unit_scale,
)
from graph.query.binding import bind
from graph.query.texts import internal_query
from graph.settings import Paths
from graph.views._forest import Row, difference_axis, forest_svg
from graph.vocabulary.concepts import load_vocabulary

ESTIMATE = internal_query("pool/estimate")
MEAN_CHANGES = internal_query("pool/mean-changes")
FINDINGS = internal_query("pool/findings")
Rows = list[dict[str, dict[str, str]]]


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _report(title: str, estimate: str, rows: Rows, out: Path) -> None:
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


def _value(row: dict[str, dict[str, str]], key: str) -> float | None:
    return float(row[key]["value"]) if key in row else None


def _change_of(row: dict[str, dict[str, str]]) -> MeanChange:
    """A finding's mean change as the store holds it (as printed), converted into the unit it
    was pooled in."""
    name = (row.get("studyTitle") or row["study"])["value"]
    level = _value(row, "changeLevel")
    change = MeanChange(
        row["study"]["value"], name, row["finding"]["value"],
        int(row["n"]["value"]) if "n" in row else None, _value(row, "before"),
        _value(row, "after"), _value(row, "sdBefore"), _value(row, "sdAfter"),
        None if "before" in row else _value(row, "change"),
        _value(row, "changeLower"), _value(row, "changeUpper"),
        (level or 95) / 100)
    return scaled(change, unit_scale(row.get("findingUnit", {}).get("value"))[1])


def _number(value: float) -> str:
    return f"{value:.2f}"


def _report_changes(title: str, estimate: str, rows: Rows, out: Path, correlation: float
                    ) -> None:
    """Print one pooled mean change, recomputed at ``correlation``, its studies and its
    sensitivity to the correlation, and write its forest plot."""
    first = rows[0]
    unit = first.get("unit", {}).get("value", "")
    when = first.get("timepoint", {}).get("value", "")
    whose = first.get("doseOf", {}).get("value")
    what = ", ".join(x for x in (f"dose of {whose}" if whose else "", unit, when) if x)
    pooled = [_change_of(r) for r in rows if r["role"]["value"] == "pooled"]
    result = pool_changes(pooled, correlation=correlation)
    assert result is not None  # the build stored it because two or more studies pooled
    print(f"{title} ({what}): random-effects (DerSimonian-Laird) pooled mean change "
          f"(after minus before) <{estimate}>; SD of the changes imputed at a within-patient "
          f"correlation r = {correlation:g} (Cochrane Handbook 6.5.2.8)")
    plotted = []
    for change in result.studies:
        value, low, high = change_interval(change, correlation)
        plotted.append(Row(change.label, f"n = {change.total}", value, low, high))
        print(f"  n = {change.total:>4}  {_number(value):>8} ({_number(low)} to {_number(high)}) "
              f"{unit}  {change.label}  <{change.finding}>")
    for row in rows:
        if row["role"]["value"] != "pooled":
            why = row.get("why", {}).get("value", "left out")
            print(f"  not pooled: {why}")
    patients = sum(c.total or 0 for c in result.studies)
    print(f"pooled {_number(result.estimate)} {unit} (95% CI {_number(result.ci_lower)} to "
          f"{_number(result.ci_upper)}), I\u00b2 = {100 * result.i_squared:.1f}%, "
          f"tau\u00b2 = {result.tau_squared:.4f}; {len(result.studies)} studies, "
          f"{patients} patients")
    for r in sorted({*SENSITIVITY, CORRELATION} - {correlation}):
        other = pool_changes(pooled, correlation=r)
        assert other is not None
        print(f"  sensitivity, r = {r:g}: {_number(other.estimate)} {unit} (95% CI "
              f"{_number(other.ci_lower)} to {_number(other.ci_upper)}), "
              f"I\u00b2 = {100 * other.i_squared:.1f}%")
    summary = Row("pooled (random effects)", f"{len(result.studies)} studies, {patients} patients",
                  result.estimate, result.ci_lower, result.ci_upper)
    axis = difference_axis([*plotted, summary], f"mean change, {unit or 'unit not stated'} "
                                                "(95% CI)")
    svg = forest_svg(f"{title} ({what})", plotted, summary,
                     f"I\u00b2 = {100 * result.i_squared:.1f}%, tau\u00b2 = "
                     f"{result.tau_squared:.4f}; DerSimonian-Laird, r = {correlation:g}",
                     axis, "patients")
    out.write_text(svg, encoding="utf-8")
    print(f"wrote {out}")


def _weighable(row: dict[str, dict[str, str]]) -> str:
    """What a finding offers a meta-analysis: the numbers pooling weighs, or why it has none.

    >>> _weighable({"beforeMedian": {"value": "399"}, "afterMedian": {"value": "74.5"}})
    'medians 399 to 74.5: a median is never pooled'
    """
    v = {k: c["value"] for k, c in row.items()}
    if "responders" in v:
        return f"{v['responders']}/{v['total']} responders: a proportion"
    if "sdBefore" in v:
        return (f"{v['before']} ({v['sdBefore']}) to {v['after']} ({v['sdAfter']}): a mean change "
                "with SDs")
    if "changeLower" in v:
        return f"a change of {v['change']} with its CI"
    if "before" in v:
        return f"{v['before']} to {v['after']}, no SD or CI: cannot be weighed"
    if "beforeMedian" in v:
        return f"medians {v['beforeMedian']} to {v['afterMedian']}: a median is never pooled"
    return "no responders of a total and no means before and after: cannot be pooled"


def _explain(rows: Rows) -> None:
    """Each finding of the pair and what it offers, so a reader sees why nothing pooled."""
    studies = {r["study"]["value"] for r in rows}
    findings = f"{len(rows)} finding" + ("s" if len(rows) != 1 else "")
    of = f"{len(studies)} stud" + ("ies" if len(studies) != 1 else "y")
    print(f"the graph holds {findings} of {of} in which the drug was studied or added on for "
          "this outcome:")
    for row in rows:
        title = row.get("studyTitle", row["study"])["value"]
        when = f", {row['timepoint']['value']}" if "timepoint" in row else ""
        machine = (" [machine-extracted, unreviewed]"
                   if row.get("agent", {}).get("value", "manual_agent") != "manual_agent" else "")
        print(f"  {title}{when}: {_weighable(row)}{machine}\n    <{row['finding']['value']}>")


def _grouped(rows: Rows) -> list[tuple[str, Rows]]:
    estimates: dict[str, Rows] = {}
    for row in rows:
        estimates.setdefault(row["estimate"]["value"], []).append(row)
    return sorted(estimates.items())


def run(args: argparse.Namespace) -> int:
    vocabulary = load_vocabulary(args.ontology / "vocabulary")
    try:
        drug = vocabulary.resolve(args.drug, ("drug",))
        outcome = vocabulary.resolve(args.outcome, ("outcome",))
    except LookupError as exc:
        raise QueryError(str(exc)) from None
    if not 0 <= args.correlation <= 1:
        raise QueryError(f"--correlation {args.correlation:g}: a within-patient correlation "
                         "is between 0 and 1")
    pair = {"drug": ox.NamedNode(str(drug.iri)), "outcome": ox.NamedNode(str(outcome.iri))}
    target = target_of(args)
    proportions = _grouped(target.select(bind(ESTIMATE, pair),
                                         "queries/internal/pool/estimate.rq").rows)
    changes = _grouped(target.select(bind(MEAN_CHANGES, pair),
                                     "queries/internal/pool/mean-changes.rq").rows)
    if not proportions and not changes:
        print(f"no pooled estimate for {drug.label} and {outcome.label}: fewer than two "
              "independent studies report it alike, as responders of a total or as mean "
              "changes with SDs (or CIs), in one unit at one timepoint")
        _explain(target.select(bind(FINDINGS, pair), "queries/internal/pool/findings.rq").rows)
        return 1
    title = f"{drug.label}: {outcome.label}"
    several = len(proportions) + len(changes) > 1  # one per definition, unit, timepoint, ...
    for number, (estimate, its_rows) in enumerate(proportions + changes, start=1):
        out = args.out or Path(f"forest-{drug.id}-{outcome.id}.svg")
        if several:
            out = out.with_name(f"{out.stem}-{number}{out.suffix}")
        if number <= len(proportions):
            _report(title, estimate, its_rows, out)
        else:
            _report_changes(title, estimate, its_rows, out, args.correlation)
    return 0


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("--drug", required=True, help="a drug by id, label or synonym (FK506)")
    p.add_argument("--outcome", required=True, help="an outcome by id, label or synonym")
    p.add_argument("--out", type=Path, help="the SVG forest plot to write "
                                             "(default: forest-DRUG-OUTCOME.svg)")
    p.add_argument("--correlation", type=float, default=CORRELATION,
                   help="the within-patient correlation between values before and after, to "
                        "impute the SD of a study's mean change from its SDs before and after "
                        f"(Cochrane Handbook 6.5.2.8; default {CORRELATION:g}; the estimate "
                        "is printed at 0.2 and 0.8 too)")
    add_target_options(p, paths, "with --endpoint: the named graph to use as default graph")
    p.set_defaults(run=run)
