"""The carbon–cost front: optimise the hubs at a range of carbon prices and find the knee.

At a carbon price *P* [GBP/t CO2e] the optimiser minimises *P* × emissions + cost to the
organisation (see :mod:`footprint.hubs.costs`). A low price buys the cheapest estate,
a high one the lowest footprint; in between, each price gives one point (t CO2e/yr, GBP/yr).
The *knee* is the point farthest from the straight line joining the two ends, both axes
scaled to 0–1: past it, cutting carbon costs much more per tonne.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True)
class PriceFront:
    """The optimised points, by price, and the knee of the carbon–cost front."""

    points: tuple[PricePoint, ...]
    knee: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": [p.__dict__ | {"hub_ids": list(p.hub_ids)} for p in self.points],
            "knee": self.knee,
        }


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
) -> PriceFront:
    """Optimise at each carbon price and return the (t CO2e, GBP) points and the knee.

    Parameters
    ----------
    org, policy
    n_hubs : int or None
        Number of hubs, or None for a free number (priced by the hubs' fixed costs).
    settings : OptimiserSettings
    prices : sequence of float
        Carbon prices to try. [GBP/t CO2e]
    """
    from footprint.hubs.model import optimise_hubs

    points = []
    warm = None
    for price in sorted(prices):
        p = replace(policy, carbon_price_gbp_per_t=float(price))
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
        points.append(
            PricePoint(
                float(price),
                fp.total_tco2e,
                annual_cost(org, fp, p).organisation_total,
                report.n_hubs,
                report.hub_ids,
            )
        )
    return PriceFront(
        tuple(points),
        knee_index([q.tco2e for q in points], [q.cost_gbp for q in points]),
    )
