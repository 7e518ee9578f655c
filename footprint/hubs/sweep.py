"""Sweeps: the footprint against the number of hubs (or the commute weight), with the Pareto front.

Each point is optimised with the scenario's optimiser settings; costs are built once
and each point starts from the previous point's hubs (a warm start), so a sweep
reuses work between points.

The Pareto front is the set of points not dominated on the sweep's two axes, both
minimised; its knee is the front point farthest from the straight line between the
front's two ends, in normalised coordinates (the point of diminishing returns).

- Over the number of hubs, the axes are (hubs, total t CO2e): fewer sites against
  lower emissions. With hubs sized from desks, more hubs shorten commutes and
  usually lower emissions, so (t CO2e, commute) has no trade-off there; the knee
  says where extra hubs stop paying.
- Over the commute weight λ at a fixed number of hubs, the axes are
  (total t CO2e, mean one-way commute km): emissions against commute burden.

May import :mod:`footprint.hubs`, :mod:`footprint.inputs`, :mod:`footprint.factors` and :mod:`footprint.errors`.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from footprint.errors import InfeasibleScenario
from footprint.factors import load_factor_set
from footprint.hubs.costs import hub_costs
from footprint.hubs.model import optimise_hubs
from footprint.inputs import Organisation, Policy

Progress = Callable[[float, str], bool | None]


#: Fronts of emissions against commute burden reported for every sweep (name: point field).
COMMUTE_FRONTS = {"tco2e_vs_mean_commute": "mean_commute_km", "tco2e_vs_over_60_min": "staff_over_60_min"}


@dataclass(frozen=True)
class SweepPoint:
    """One optimised point of a sweep."""

    n_hubs: int
    commute_weight_kg_per_km: float
    total_tco2e: float
    mean_commute_km: float
    median_commute_km: float
    staff_over_60_min: float
    floor_area_m2: float
    linear_objective_tco2e: float
    gap: float
    status: str
    seconds: float
    hub_ids: tuple[str, ...]
    feasible: bool = True
    message: str = ""


@dataclass(frozen=True)
class SweepResult:
    """The points of a sweep, its Pareto front and knee."""

    points: tuple[SweepPoint, ...]
    pareto: tuple[int, ...]
    knee_index: int | None
    seconds: float
    cancelled: bool = False
    axes: tuple[str, str] = ("total_tco2e", "mean_commute_km")

    def front(self, x: str, y: str) -> tuple[tuple[int, ...], int | None]:
        """Pareto front and knee of the feasible points on any two point fields.

        Parameters
        ----------
        x, y : str
            :class:`SweepPoint` field names, both minimised (e.g.
            ``"total_tco2e"`` and ``"staff_over_60_min"``).

        Returns
        -------
        tuple
            Indices of the front's points (sorted by ``x``) and the knee's
            index (None with fewer than three front points).
        """
        front, knee = _front(list(self.points), (x, y))
        return tuple(int(i) for i in front), knee

    def to_rows(self) -> list[dict[str, Any]]:
        """Rows for tables and CSV (hub ids joined by spaces).

        Besides the sweep's own front (``on_pareto_front``, ``is_knee``), each
        row says whether it is on the front of emissions against each commute
        burden: mean one-way km and staff over 60 minutes.
        """
        extra = {name: self.front("total_tco2e", field) for name, field in COMMUTE_FRONTS.items()}
        rows = []
        for k, p in enumerate(self.points):
            rows.append({
                "n_hubs": p.n_hubs, "commute_weight_kg_per_km": p.commute_weight_kg_per_km,
                "total_tco2e": p.total_tco2e, "mean_commute_km": p.mean_commute_km,
                "median_commute_km": p.median_commute_km, "staff_over_60_min": p.staff_over_60_min,
                "floor_area_m2": p.floor_area_m2, "linear_objective_tco2e": p.linear_objective_tco2e,
                "gap": p.gap, "status": p.status, "seconds": p.seconds,
                "on_pareto_front": k in self.pareto, "is_knee": k == self.knee_index,
                **{f"on_front_{name}": k in front for name, (front, _) in extra.items()},
                **{f"knee_{name}": k == knee for name, (_, knee) in extra.items()},
                "feasible": p.feasible, "message": p.message, "hubs": " ".join(p.hub_ids),
            })
        return rows

    def to_csv(self) -> bytes:
        """The sweep as UTF-8 CSV with a header row."""
        rows = self.to_rows()
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["n_hubs"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().encode("utf-8")


def pareto_front(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of points not dominated when minimising both ``x`` and ``y``, sorted by ``x``."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    order = np.lexsort((y, x))
    front, best_y = [], np.inf
    for i in order:
        if y[i] < best_y - 1e-12:
            front.append(int(i))
            best_y = y[i]
    return np.array(front, dtype=np.int64)


def knee_point(x: np.ndarray, y: np.ndarray, front: np.ndarray) -> int | None:
    """The front point farthest from the chord between its ends (normalised axes)."""
    if front.size < 3:
        return None
    fx, fy = np.asarray(x, float)[front], np.asarray(y, float)[front]
    span_x, span_y = np.ptp(fx) or 1.0, np.ptp(fy) or 1.0
    px, py = (fx - fx.min()) / span_x, (fy - fy.min()) / span_y
    x0, y0, x1, y1 = px[0], py[0], px[-1], py[-1]
    dist = np.abs((y1 - y0) * px - (x1 - x0) * py + x1 * y0 - y1 * x0) / np.hypot(x1 - x0, y1 - y0)
    return int(front[int(np.argmax(dist))])


def _front(points: list[SweepPoint], axes: tuple[str, str]) -> tuple[np.ndarray, int | None]:
    ok = [k for k, p in enumerate(points) if p.feasible]
    x_all = np.array([float(getattr(p, axes[0])) for p in points])
    y_all = np.array([float(getattr(p, axes[1])) for p in points])
    front = np.array(ok, dtype=np.int64)[pareto_front(x_all[ok], y_all[ok])] if ok else np.array([], dtype=np.int64)
    return front, (knee_point(x_all, y_all, front) if front.size else None)


def _finish(points: list[SweepPoint], t0: float, cancelled: bool, axes: tuple[str, str]) -> SweepResult:
    front, knee = _front(points, axes)
    return SweepResult(tuple(points), tuple(int(i) for i in front), knee, time.perf_counter() - t0, cancelled, axes)


def _point(report: Any, n_hubs: int, lam: float) -> SweepPoint:
    fp = report.footprint
    over = fp.commute.staff_over_limit if fp.commute.limit_label == "60 min" else float(
        fp.groups.count[(fp.groups.minutes > 60) & (fp.groups.site >= 0)].sum())
    s = report.solver
    return SweepPoint(n_hubs, lam, fp.total_tco2e, fp.commute.mean_km, fp.commute.median_km, over,
                      fp.floor_area_m2, s.objective / 1000, float(s.gap), s.status, report.seconds,
                      report.hub_ids)


def sweep_hubs(
    org: Organisation,
    policy: Policy,
    counts: Sequence[int],
    settings: Any,
    *,
    keep_offices_whole: bool = True,
    progress: Progress | None = None,
) -> SweepResult:
    """Optimise for each number of hubs in ``counts`` (ascending), warm-starting each from the last.

    ``progress(fraction, message)`` is called per point; return True to stop (the
    points done so far are returned, ``cancelled=True``).
    """
    t0 = time.perf_counter()
    fs = load_factor_set(policy.factor_set)
    costs = hub_costs(org, policy, fs, keep_offices_whole=keep_offices_whole,
                      commute_weight_kg_per_km=settings.commute_weight_kg_per_km)
    counts = sorted({int(k) for k in counts})
    axes = ("n_hubs", "total_tco2e")
    points: list[SweepPoint] = []
    previous: np.ndarray | None = None
    for idx, k in enumerate(counts):
        if progress and progress(idx / len(counts), f"{k} hubs ({idx + 1} of {len(counts)})"):
            return _finish(points, t0, True, axes)
        warm = _resize(org, previous, k) if previous is not None else None
        try:
            report = optimise_hubs(org, policy, k, settings, keep_offices_whole=keep_offices_whole, factors=fs,
                                   warm_start=warm, costs=costs)
        except InfeasibleScenario as e:
            points.append(SweepPoint(k, settings.commute_weight_kg_per_km, np.nan, np.nan, np.nan, np.nan, np.nan,
                                     np.nan, np.nan, "infeasible", 0.0, (), False, "; ".join(e.reasons)))
            continue
        points.append(_point(report, k, settings.commute_weight_kg_per_km))
        previous = np.flatnonzero(report.plan.open_sites)
    if progress:
        progress(1.0, "sweep done")
    return _finish(points, t0, False, axes)


def sweep_commute_weight(
    org: Organisation,
    policy: Policy,
    n_hubs: int,
    weights: Sequence[float],
    settings: Any,
    *,
    keep_offices_whole: bool = True,
    progress: Progress | None = None,
) -> SweepResult:
    """Optimise ``n_hubs`` hubs for each commute-burden weight λ [kg CO2e per person-km]."""
    t0 = time.perf_counter()
    fs = load_factor_set(policy.factor_set)
    axes = ("total_tco2e", "mean_commute_km")
    points: list[SweepPoint] = []
    previous = None
    for idx, lam in enumerate(sorted(float(w) for w in weights)):
        if progress and progress(idx / len(weights), f"λ = {lam:g} ({idx + 1} of {len(weights)})"):
            return _finish(points, t0, True, axes)
        s = replace(settings, commute_weight_kg_per_km=lam)
        report = optimise_hubs(org, policy, n_hubs, s, keep_offices_whole=keep_offices_whole, factors=fs,
                               warm_start=previous)
        points.append(_point(report, n_hubs, lam))
        previous = np.flatnonzero(report.plan.open_sites)
    if progress:
        progress(1.0, "sweep done")
    return _finish(points, t0, False, axes)


def _resize(org: Organisation, open_sites: np.ndarray, k: int) -> np.ndarray:
    """A warm start of exactly ``k`` hubs from the previous point's hubs."""
    s = org.sites
    sites = list(open_sites)
    if len(sites) > k:
        keep = sorted(sites, key=lambda j: (not s.must_keep[j], -s.headcount[j]))
        return np.array(keep[:k])
    extra = [j for j in np.argsort(-s.headcount) if j not in set(sites) and s.can_be_hub[j]]
    return np.array(sites + extra[: k - len(sites)])
