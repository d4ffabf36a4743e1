"""Arithmetic checks: the numbers of a finding must agree with each other and with its direction.

Each check returns the problems it found as sentences; an empty list means the finding is
consistent. Tolerances follow printed rounding: a percent printed with ``d`` decimals may differ
from the exact ratio by half a unit of its last digit, plus 0.05 points of slack for the rounding
slips journals print (48.2% for 26/54 = 48.15%). A percent change computed from rounded means may
differ from the printed one by up to one point.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from graph.evidence.findings import SPREAD, Finding, Population, Result, field_values
from graph.vocabulary.concepts import Vocabulary

CHANGE_TOLERANCE = 1.0


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and not text.endswith(".0") else 0


def percent_problem(part: int, total: int, percent: float, what: str) -> str | None:
    """Why ``percent`` is not ``part / total`` within rounding, or None.

    >>> percent_problem(17, 18, 94, "responders/total") is None
    True
    >>> percent_problem(17, 18, 90, "responders/total")
    'percent 90 is not responders/total = 17/18 = 94.44% within rounding'
    """
    exact = 100.0 * part / total
    tolerance = 0.5 * 10 ** -_decimals(percent) + 0.05
    if abs(exact - percent) > tolerance + 1e-9:
        return f"percent {percent:g} is not {what} = {part}/{total} = {exact:.2f}% within rounding"
    return None


def result_problems(result: Result) -> list[str]:
    """Contradictions inside one result."""
    problems = []
    for part_name in ("responders", "count"):
        part = getattr(result, part_name)
        if part is not None and result.total is not None:
            if part > result.total:
                problems.append(f"{part_name} {part} is more than total {result.total}")
            elif result.percent is not None:
                problem = percent_problem(part, result.total, result.percent, f"{part_name}/total")
                problems += [problem] if problem else []
    if result.percent is not None and not 0 <= result.percent <= 100:
        problems.append(f"percent {result.percent:g} is outside 0-100")
    problems += _percent_ci_problems(result)
    problems += spread_problems(field_values(result))
    for side in ("before", "after"):
        problems += spread_problems({name: getattr(result, f"{side}_{name}") for name in SPREAD},
                                    f"{side} ")
    if result.before_mean is not None and result.after_mean is not None:
        problems += _change_problems(result)
    if result.effect is not None:
        e = result.effect
        if e.ci_lower is not None and e.ci_upper is not None and not (
            e.ci_lower <= e.value <= e.ci_upper
        ):
            problems.append(
                f"{e.measure} {e.value:g} lies outside its CI {e.ci_lower:g}-{e.ci_upper:g}"
            )
        problems += _level_problems(e.ci_level, "ci_level")
    if result.p_value is not None and not 0 <= result.p_value.value <= 1:
        problems.append(f"p-value {result.p_value.value:g} is outside 0-1")
    return problems


def _level_problems(level: float | None, name: str) -> list[str]:
    """A confidence level is written in percent, as papers print it: 95, never 0.95."""
    if level is None or 1 <= level < 100:
        return []
    if 0 < level < 1:
        return [f"{name} {level:g} is a fraction: write the level in percent ({level * 100:g})"]
    return [f"{name} {level:g} is not a confidence level (in percent, between 0 and 100)"]


def _percent_ci_problems(result: Result) -> list[str]:
    """A percent's CI needs the percent, both limits, the percent between them, and is not
    written with an effect's CI (both would be the finding's ``maild:ciLower``)."""
    lower, upper = result.percent_ci_lower, result.percent_ci_upper
    if lower is None and upper is None and result.percent_ci_level is None:
        return []
    if lower is None or upper is None:
        return ["a percent's CI needs both percent_ci_lower and percent_ci_upper"]
    problems = _level_problems(result.percent_ci_level, "percent_ci_level")
    if result.percent is None:
        problems.append("percent_ci_lower/percent_ci_upper need the percent they bound")
    elif not lower <= result.percent <= upper:
        problems.append(f"percent {result.percent:g} lies outside its CI {lower:g}-{upper:g}")
    if result.effect is not None and (result.effect.ci_lower, result.effect.ci_upper) != (
            None, None):
        problems.append("a result has one CI: the effect's or the percent's; write the other in "
                        "a finding of its own")
    return problems


def spread_problems(values: Mapping[str, Any], side: str = "") -> list[str]:
    """A median, its quartiles and its range out of order: each must be at most the next of
    min <= iqr_lower <= median <= iqr_upper <= max, and a quartile or limit comes in pairs.

    >>> spread_problems({"median": 15, "iqr_lower": 10, "iqr_upper": 20})
    []
    >>> spread_problems({"median": 25, "iqr_lower": 10, "iqr_upper": 20}, "before ")
    ['before median 25 is more than before iqr_upper 20']
    """
    present = [(name, values[name]) for name in ("min", "iqr_lower", "median", "iqr_upper", "max")
               if values.get(name) is not None]
    problems = [f"{side}{low} {a:g} is more than {side}{high} {b:g}"
                for (low, a), (high, b) in pairwise(present) if a > b]
    for first, second in (("iqr_lower", "iqr_upper"), ("min", "max")):
        if (values.get(first) is None) != (values.get(second) is None):
            problems.append(f"{side}{first} and {side}{second} go together (the interval printed)")
    return problems


def _change_problems(result: Result) -> list[str]:
    before, after = result.before_mean, result.after_mean
    assert before is not None and after is not None
    if result.percent_change is None or before == 0:
        return []
    computed = 100.0 * (after - before) / before
    if (computed < 0) != (result.percent_change < 0) or (
        abs(computed - result.percent_change) > CHANGE_TOLERANCE
    ):
        return [
            f"percent_change {result.percent_change:g} contradicts before {before:g} -> after "
            f"{after:g} ({computed:+.1f}%)"
        ]
    return []


def direction_problems(finding: Finding, vocabulary: Vocabulary) -> list[str]:
    """A stated direction that the before/after means (else medians) contradict, given the
    outcome's polarity."""
    r = finding.result
    before, after = r.before_mean, r.after_mean
    if before is None or after is None:  # medians, when the text prints no means
        before, after = r.before_median, r.after_median
    if finding.outcome is None or before is None or after is None:
        return []
    lower_is_better = vocabulary[finding.outcome].lower_is_better
    if lower_is_better is None or after == before:
        return []
    better = (after < before) == lower_is_better
    if finding.direction == "improved" and not better:
        return [f"direction 'improved' contradicts {before:g} -> {after:g} "
                f"for {finding.outcome} (lower is {'better' if lower_is_better else 'worse'})"]
    if finding.direction == "worsened" and better:
        return [f"direction 'worsened' contradicts {before:g} -> {after:g} "
                f"for {finding.outcome}"]
    return []


def size_problems(finding: Finding, populations: dict[str, Population]) -> list[str]:
    """Totals and group counts larger than the population they are drawn from."""
    problems = []
    population = populations[finding.population]
    total = finding.result.total
    if total is not None and population.n is not None and total > population.n:
        problems.append(
            f"total {total} is more than population {population.key!r} n = {population.n}"
        )
    for group in finding.groups:
        n = populations[group.population].n
        if group.count is not None and n is not None and group.count > n:
            problems.append(f"group count {group.count} is more than population "
                            f"{group.population!r} n = {n}")
        if group.count is not None and n is not None and group.percent is not None:
            problem = percent_problem(group.count, n, group.percent, "group count/n")
            problems += [problem] if problem else []
    return problems


def population_problems(populations: dict[str, Population]) -> list[str]:
    """A subset larger than its parent, or a parent that does not exist."""
    problems = []
    for population in populations.values():
        if population.parent is None:
            continue
        parent = populations.get(population.parent)
        if parent is None:
            problems.append(
                f"population {population.key!r}: parent {population.parent!r} is not defined"
            )
        elif population.n is not None and parent.n is not None and population.n > parent.n:
            problems.append(f"population {population.key!r}: n = {population.n} is more than its "
                            f"parent {parent.key!r} n = {parent.n}")
    return problems
