"""Commute statistics: weighted quantiles, limits, who gains and who loses."""

from __future__ import annotations

import numpy as np

from footprint.accounting.result import CommuteStats

#: A commute that changes by less than this is "unchanged". [km]
UNCHANGED_KM = 1.0


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile ``q`` of ``values`` weighted by ``weights`` (inverted CDF, no interpolation)."""
    if values.size == 0 or weights.sum() <= 0:
        return 0.0
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    k = np.searchsorted(cum, q * cum[-1], side="left")
    return float(values[order][min(k, values.size - 1)])


def commute_stats(
    count: np.ndarray,
    remote: np.ndarray,
    distance_km: np.ndarray,
    minutes: np.ndarray,
    current_distance_km: np.ndarray,
    over_limit: np.ndarray,
    limit_label: str,
) -> CommuteStats:
    """Summarise one-way commutes of the staff who commute.

    Parameters
    ----------
    count : ndarray
        People per group. [people]
    remote : ndarray of bool
        Groups that work remotely.
    distance_km, minutes : ndarray
        One-way commute under the plan. [km], [min]
    current_distance_km : ndarray
        One-way commute today. [km]
    over_limit : ndarray of bool
        Groups over the commute limit.
    limit_label : str
        What the limit is, in words.
    """
    c = ~remote
    w = count[c]
    total = float(w.sum())
    change = distance_km - current_distance_km

    def mean(x: np.ndarray) -> float:
        return float(np.average(x, weights=w)) if total > 0 else 0.0

    return CommuteStats(
        mean_km=mean(distance_km[c]),
        median_km=weighted_quantile(distance_km[c], w, 0.5),
        p90_km=weighted_quantile(distance_km[c], w, 0.9),
        mean_min=mean(minutes[c]),
        median_min=weighted_quantile(minutes[c], w, 0.5),
        p90_min=weighted_quantile(minutes[c], w, 0.9),
        staff_commuting=total,
        staff_remote=float(count[remote].sum()),
        staff_over_limit=float(count[c & over_limit].sum()),
        limit_label=limit_label,
        staff_longer=float(w[change[c] > UNCHANGED_KM].sum()),
        staff_shorter=float(w[change[c] < -UNCHANGED_KM].sum()),
        staff_unchanged=float(w[np.abs(change[c]) <= UNCHANGED_KM].sum()),
        mean_change_km=mean(change[c]),
    )
