"""Uncertainty of a footprint: Monte Carlo over emission factors and activity data.

Every line of a footprint is an activity times one or more factors, so a draw of
the footprint is ``Σ_lines kg_line × m_factor(line) × m_activity(category)`` with
multiplicative lognormal multipliers. No accounting is re-run: 2,000 draws take
milliseconds. Scenario and baseline share their draws (common random numbers), so
the uncertainty of the *change* reflects only what differs between them.

Spreads (one standard deviation of the log, ≈ relative standard deviation):

- factors by confidence tag: P (read from the publisher) 5 %, S (second-hand) 10 %,
  D (derived) 10 %; A (assumption) from the factor's own low–high range taken as a
  90 % interval, else 30 %;
- activity data by category (see :data:`ACTIVITY_SPREAD`): commuting 10 %
  (distances from geodesic × circuity), buildings 10 % (floor area and intensity),
  business travel 30 % (meetings from a gravity model), homeworking 10 %, video 30 %.

These spreads are modelling assumptions, shown in reports beside the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.accounting.result import (
    CAT_BUSINESS_TRAVEL,
    CAT_COMMUTING,
    CAT_ELECTRICITY,
    CAT_ENERGY_UPSTREAM,
    CAT_HEATING,
    CAT_HOMEWORKING,
    CAT_LEASED,
    CAT_VIDEO,
    CATEGORIES,
    Footprint,
)
from footprint.factors import Factor

FACTOR_SPREAD = {"P": 0.05, "S": 0.10, "D": 0.10, "A": 0.30}
ACTIVITY_SPREAD = {
    CAT_HEATING: 0.10,
    CAT_ELECTRICITY: 0.10,
    CAT_ENERGY_UPSTREAM: 0.10,
    CAT_BUSINESS_TRAVEL: 0.30,
    CAT_COMMUTING: 0.10,
    CAT_HOMEWORKING: 0.10,
    CAT_VIDEO: 0.30,  # memo only (outside the total); kept so the other categories' draws do not move
    CAT_LEASED: 0.10,
}
Z90 = 1.6448536269514722  # standard normal quantile at 95 %


@dataclass(frozen=True)
class Interval:
    """A central estimate with its 5th and 95th percentiles. [t CO2e/yr]"""

    p05: float
    p50: float
    p95: float


@dataclass(frozen=True)
class UncertaintyResult:
    """Percentiles of the total, by category, and of the change against a baseline."""

    total: Interval
    by_category: dict[str, Interval]
    change: Interval | None
    n_draws: int
    seed: int
    method: str


def factor_sigma(f: Factor) -> float:
    """Lognormal sigma of a factor's multiplier, from its confidence and range."""
    if f.confidence == "A" and f.low is not None and f.high is not None and f.low > 0 and f.high > f.low:
        return float(np.log(f.high / f.low) / (2 * Z90))
    return FACTOR_SPREAD.get(f.confidence, 0.30)


def _draws(footprints: list[Footprint], n_draws: int, seed: int) -> list[np.ndarray]:
    """Category draws (n_draws × categories) for each footprint, with shared multipliers."""
    rng = np.random.default_rng(seed)
    trails: dict[str, Factor] = {}
    for fp in footprints:
        trails.update(fp.factor_by_name())
    names = sorted(trails)
    factor_mult = {
        name: np.exp(factor_sigma(trails[name]) * rng.standard_normal(n_draws) - factor_sigma(trails[name]) ** 2 / 2)
        for name in names
    }
    activity_mult = {
        cat: np.exp(s * rng.standard_normal(n_draws) - s**2 / 2) for cat, s in ACTIVITY_SPREAD.items()
    }
    out = []
    for fp in footprints:
        by_cat = np.zeros((n_draws, len(CATEGORIES)))
        for line in fp.lines:
            keys = [k for k in line.factor_keys if k in factor_mult]
            mult = np.mean([factor_mult[k] for k in keys], axis=0) if keys else 1.0
            by_cat[:, CATEGORIES.index(line.category)] += line.kgco2e * mult * activity_mult[line.category]
        out.append(by_cat / 1000.0)
    return out


def _interval(x: np.ndarray) -> Interval:
    p05, p50, p95 = np.percentile(x, [5, 50, 95])
    return Interval(float(p05), float(p50), float(p95))


def footprint_uncertainty(
    footprint: Footprint, baseline: Footprint | None = None, *, n_draws: int = 2000, seed: int = 0
) -> UncertaintyResult:
    """Monte Carlo percentiles of a footprint (and its change against ``baseline``).

    Parameters
    ----------
    footprint : Footprint
    baseline : Footprint, optional
        When given, the change ``footprint − baseline`` is sampled with shared draws.
    n_draws : int
        Number of Monte Carlo draws.
    seed : int
        Random seed (results are reproducible).

    Returns
    -------
    UncertaintyResult
        Intervals in t CO2e/yr.
    """
    fps = [footprint] if baseline is None else [footprint, baseline]
    draws = _draws(fps, n_draws, seed)
    totals = [d.sum(axis=1) for d in draws]
    return UncertaintyResult(
        total=_interval(totals[0]),
        by_category={c: _interval(draws[0][:, k]) for k, c in enumerate(CATEGORIES)},
        change=None if baseline is None else _interval(totals[0] - totals[1]),
        n_draws=n_draws,
        seed=seed,
        method="Monte Carlo, lognormal multipliers on each factor (by confidence tag) and on each "
               "category's activity data, shared between scenario and baseline",
    )


def carbon_payback_uncertainty(
    footprint: Footprint, baseline: Footprint, embodied_kgco2e: float, low_kgco2e: float, high_kgco2e: float,
    *, n_draws: int = 2000, seed: int = 0,
) -> tuple[Interval, Interval]:
    """Monte Carlo of a one-off embodied emission and its carbon payback.

    The embodied emission is lognormal around ``embodied_kgco2e`` with ``low``–``high``
    taken as its 90 % interval; the annual saving ``baseline − footprint`` is drawn as
    in :func:`footprint_uncertainty` (same seed, shared draws). Draws that save nothing
    never pay back (infinite years).

    Returns
    -------
    (Interval, Interval)
        Embodied emission [t CO2e] and carbon payback [yr].
    """
    draws = _draws([footprint, baseline], n_draws, seed)
    saving = draws[1].sum(axis=1) - draws[0].sum(axis=1)
    rng = np.random.default_rng([seed, 2])
    sigma = (float(np.log(high_kgco2e / low_kgco2e) / (2 * Z90))
             if low_kgco2e > 0 and high_kgco2e > low_kgco2e else 0.0)
    embodied = embodied_kgco2e / 1000.0 * np.exp(sigma * rng.standard_normal(n_draws) - sigma**2 / 2)
    with np.errstate(divide="ignore"):
        payback = np.where(saving > 0, embodied / np.where(saving > 0, saving, 1.0), np.inf)
    p05, p50, p95 = np.percentile(payback, [5, 50, 95], method="inverted_cdf")  # no interpolation across inf
    return _interval(embodied), Interval(float(p05), float(p50), float(p95))
