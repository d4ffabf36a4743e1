"""Random-effects pooled estimates of one drug-outcome pair across independent studies.

Where two or more studies report the share of patients who responded to a drug on one outcome
(responders of a total), the shares are pooled on the logit scale by DerSimonian and Laird's
random-effects model, as statsmodels' ``combine_effects`` computes it (its results agree with R's
metafor), and the estimate and its 95% confidence interval are turned back into a proportion.
A study with 0 or all responders gets half a patient added to both cells (metafor's default
for the logit of a proportion), since a logit of 0 or 1 is infinite.

Only independent evidence is pooled:

* one result per study: a secondary report (a news summary) restates its article, whose own
  finding is used;
* a systematic review counts the patients of the studies it includes, so a study that a pooled
  review cites is left out (and named) rather than counted twice;
* one outcome concept and one measure: proportions are never pooled with mean changes, nor one
  outcome with another.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

LEVEL = 0.95


@dataclass(frozen=True)
class StudyResult:
    """One study's result for a drug-outcome pair: responders of a total."""

    study: str  # the study's IRI
    label: str  # how to name it to a reader
    finding: str  # the finding's IRI
    responders: int
    total: int
    primary: bool = True  # stated by the study's own document, not a secondary report


@dataclass(frozen=True)
class Effect:
    """A logit proportion and its variance, as pooled."""

    value: float
    variance: float


@dataclass(frozen=True)
class Pooled:
    """A pooled estimate: proportion, confidence limits, heterogeneity, and what went in."""

    estimate: float
    ci_lower: float
    ci_upper: float
    i_squared: float  # 0..1
    tau_squared: float
    q: float
    studies: tuple[StudyResult, ...]
    left_out: tuple[tuple[StudyResult, str], ...] = field(default=())


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def logit_proportion(responders: int, total: int) -> Effect:
    """The logit of responders/total and its variance, with 0.5 added to both cells at 0 or all.

    >>> e = logit_proportion(17, 18)
    >>> round(e.value, 4), round(e.variance, 4)
    (2.8332, 1.0588)
    """
    if not 0 <= responders <= total or total == 0:
        raise ValueError(f"{responders} responders of {total} is not a proportion")
    a, b = float(responders), float(total - responders)
    if a == 0 or b == 0:
        a, b = a + 0.5, b + 0.5
    return Effect(math.log(a / b), 1 / a + 1 / b)


def combine(effects: list[float], variances: list[float]) -> tuple[float, float, float, float,
                                                                   float, float]:
    """DerSimonian-Laird random-effects pooling by statsmodels: estimate, CI, I², tau², Q."""
    import numpy as np
    from statsmodels.stats.meta_analysis import combine_effects  # slow import, used rarely

    with np.errstate(invalid="ignore"):  # the square root of a negative tau² (handled below)
        result = combine_effects(np.asarray(effects, dtype=float),
                                 np.asarray(variances, dtype=float), method_re="dl",
                                 alpha=1 - LEVEL)
        fixed, random = result.conf_int(alpha=1 - LEVEL, use_t=False)[:2]
    if result.tau2 <= 0:
        # DerSimonian and Laird truncate tau² at 0, where the model is the fixed-effect one;
        # statsmodels 0.15 returns the negative moment estimate (and NaN limits) instead
        return (float(result.mean_effect_fe), float(fixed[0]), float(fixed[1]), 0.0, 0.0,
                float(result.q))
    return (float(result.mean_effect_re), float(random[0]), float(random[1]),
            max(0.0, float(result.i2)), float(result.tau2), float(result.q))


def independent(results: Iterable[StudyResult], includes: dict[str, set[str]]
                ) -> tuple[list[StudyResult], list[tuple[StudyResult, str]]]:
    """One result per study (its own document's, its largest population's), without the
    studies a pooled review already counts.

    ``includes`` maps a review's study IRI to the studies it cites.
    """
    chosen: dict[str, StudyResult] = {}
    left_out: list[tuple[StudyResult, str]] = []
    for r in sorted(results, key=lambda r: (r.study, not r.primary, -r.total, r.finding)):
        if r.study in chosen:
            left_out.append((r, f"restates {chosen[r.study].label}"))
        else:
            chosen[r.study] = r
    for review in sorted(set(includes) & set(chosen)):
        for study in sorted(includes[review] & set(chosen)):
            if study != review:
                left_out.append((chosen.pop(study),
                                 f"its patients are counted in the review {chosen[review].label}"))
    return sorted(chosen.values(), key=lambda r: (r.label, r.study)), left_out


def pool(results: Iterable[StudyResult], includes: dict[str, set[str]] | None = None
         ) -> Pooled | None:
    """The pooled proportion of independent results, or None with fewer than two studies."""
    kept, left_out = independent(results, includes or {})
    if len(kept) < 2:
        return None
    effects = [logit_proportion(r.responders, r.total) for r in kept]
    value, low, high, i2, tau2, q = combine([e.value for e in effects],
                                            [e.variance for e in effects])
    return Pooled(expit(value), expit(low), expit(high), i2, tau2, q, tuple(kept),
                  tuple(left_out))


def study_interval(r: StudyResult) -> tuple[float, float, float]:
    """A study's proportion and its exact (Clopper-Pearson) 95% CI, as forest plots of
    proportions show each study: it holds the proportion even at 0 or all responders."""
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(r.responders, r.total, alpha=1 - LEVEL, method="beta")
    return r.responders / r.total, float(low), float(high)
