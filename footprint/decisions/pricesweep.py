"""The carbon–cost front: optimise the hubs at a range of carbon prices and find the knee.

At a carbon price *P* [GBP/t CO2e] the optimiser minimises *P* × emissions + cost to the
organisation (see :mod:`footprint.hubs.costs`). A low price buys the cheapest estate,
a high one the lowest footprint; in between, each price gives one point (t CO2e/yr, GBP/yr).
The *knee* is the point farthest from the straight line joining the two ends, both axes
scaled to 0–1: past it, cutting carbon costs much more per tonne.

A price of 0 (money only) is run at :data:`COST_ONLY_PRICE_GBP_PER_T`, the lowest price the
policy takes, where a tonne weighs as much as £1: the cheapest estate in effect, with emissions
only breaking near-ties. With ``policy.annual_budget_gbp`` set, the points are optimised without
it and those over it are marked (``within_budget``): the budget is a horizontal line on the front.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from footprint.decisions.costs import annual_cost
from footprint.inputs import Organisation, Policy


@dataclass(frozen=True)
class PricePoint:
    """One optimised plan at one carbon price.

    ``tco2e`` [t CO2e/yr], ``cost_gbp`` (annual cost to the organisation) [GBP/yr].
    """

    price_gbp_per_t: float
    tco2e: float
    cost_gbp: float
    n_hubs: int
    hub_ids: tuple[str, ...]
    within_budget: bool | None = None


@dataclass(frozen=True)
class PriceFront:
    """The optimised points, by price, and the knee of the carbon–cost front (of the non-dominated points)."""

    points: tuple[PricePoint, ...]
    knee: int | None
    budget_gbp: float | None = None
    cancelled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": [p.__dict__ | {"hub_ids": list(p.hub_ids)} for p in self.points],
            "knee": self.knee,
            "on_front": [bool(b) for b in self.on_front()],
            "budget_gbp": self.budget_gbp,
            "cost_only_price_gbp_per_t": COST_ONLY_PRICE_GBP_PER_T,
        }

    def on_front(self) -> np.ndarray:
        """Mask of the points on the front (not beaten on both carbon and cost by another)."""
        return non_dominated(
            [p.tco2e for p in self.points], [p.cost_gbp for p in self.points]
        )

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per price: [GBP/t CO2e], [t CO2e/yr], [GBP/yr], the knee, the budget, the hubs."""
        front = self.on_front()
        return [
            {
                "carbon_price_gbp_per_t": p.price_gbp_per_t,
                "total_tco2e": p.tco2e,
                "annual_cost_gbp": p.cost_gbp,
                "n_hubs": p.n_hubs,
                "on_front": bool(front[k]),
                "is_knee": k == self.knee,
                "within_budget": "" if p.within_budget is None else p.within_budget,
                "hubs": " ".join(p.hub_ids),
            }
            for k, p in enumerate(self.points)
        ]

    def to_csv(self) -> bytes:
        """The front as UTF-8 CSV with a header row."""
        buf = io.StringIO()
        w = csv.DictWriter(
            buf,
            fieldnames=[
                "carbon_price_gbp_per_t",
                "total_tco2e",
                "annual_cost_gbp",
                "n_hubs",
                "on_front",
                "is_knee",
                "within_budget",
                "hubs",
            ],
            lineterminator="\n",
        )
        w.writeheader()
        w.writerows(self.to_rows())
        return buf.getvalue().encode("utf-8")


#: The price a point at 0 GBP/t (money only) runs at: the lowest the policy takes. [GBP/t CO2e]
COST_ONLY_PRICE_GBP_PER_T = 1.0


def knee_index(tco2e: Sequence[float], cost: Sequence[float]) -> int | None:
    """Index of the point farthest from the chord between the two ends (axes scaled to 0–1).

    None with fewer than three points or when all points coincide on an axis.
    """
    x, y = np.asarray(tco2e, dtype=float), np.asarray(cost, dtype=float)
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    xs, ys = (x - x.min()) / np.ptp(x), (y - y.min()) / np.ptp(y)
    i0, i1 = int(np.argmin(xs)), int(np.argmax(xs))
    dx, dy = xs[i1] - xs[i0], ys[i1] - ys[i0]
    dist = np.abs(dx * (ys - ys[i0]) - dy * (xs - xs[i0])) / np.hypot(dx, dy)
    k = int(np.argmax(dist))
    return k if dist[k] > 1e-12 else None


def carbon_price_front(
    org: Organisation,
    policy: Policy,
    n_hubs: int | None,
    settings: Any,
    prices: Sequence[float],
    *,
    keep_offices_whole: bool = True,
    progress: Callable[[float, str], bool | None] | None = None,
) -> PriceFront:
    """Optimise at each carbon price and return the (t CO2e, GBP) points and the knee.

    Parameters
    ----------
    org, policy
    n_hubs : int or None
        Number of hubs, or None for a free number (priced by the hubs' fixed costs).
    settings : OptimiserSettings
    prices : sequence of float
        Carbon prices to try, 0 for money only (see the module docstring). [GBP/t CO2e]
    progress : callable, optional
        ``progress(fraction, message)`` per point; return True to stop (the points so far are
        returned, ``cancelled=True``).
    """
    from footprint.hubs.model import optimise_hubs

    points = []
    warm = None
    budget = policy.annual_budget_gbp
    todo = sorted({float(q) for q in prices})
    for idx, price in enumerate(todo):
        if progress and progress(
            idx / len(todo), f"£{price:g}/t ({idx + 1} of {len(todo)})"
        ):
            return _front(points, budget, cancelled=True)
        run_at = max(price, COST_ONLY_PRICE_GBP_PER_T)
        p = replace(policy, carbon_price_gbp_per_t=run_at, annual_budget_gbp=None)
        report = optimise_hubs(
            org,
            p,
            n_hubs,
            settings,
            keep_offices_whole=keep_offices_whole,
            warm_start=warm,
        )
        fp = report.footprint
        warm = np.flatnonzero(report.plan.open_sites)
        cost = annual_cost(org, fp, p).organisation_total
        points.append(
            PricePoint(
                price,
                fp.total_tco2e,
                cost,
                report.n_hubs,
                report.hub_ids,
                None if budget is None else bool(cost <= budget),
            )
        )
    if progress:
        progress(1.0, "sweep done")
    return _front(points, budget)


def non_dominated(tco2e: Sequence[float], cost: Sequence[float]) -> np.ndarray:
    """Mask of the points no other point beats on both carbon and cost (both minimised).

    A dominated point is a plan the optimiser found at one price that another price's plan
    beats on both axes (a heuristic's or a time limit's doing): it is not on the front.
    """
    x, y = np.asarray(tco2e, dtype=float), np.asarray(cost, dtype=float)
    le = (x[None, :] <= x[:, None]) & (y[None, :] <= y[:, None])
    lt = (x[None, :] < x[:, None]) | (y[None, :] < y[:, None])
    return ~(le & lt).any(axis=1)


def _front(
    points: list[PricePoint], budget: float | None, cancelled: bool = False
) -> PriceFront:
    on = np.flatnonzero(
        non_dominated([q.tco2e for q in points], [q.cost_gbp for q in points])
    )
    k = knee_index([points[i].tco2e for i in on], [points[i].cost_gbp for i in on])
    return PriceFront(
        tuple(points), None if k is None else int(on[k]), budget, cancelled
    )
