"""Who moves where: staff flows from today's office to their hub, one row per pair.

A plan moves staff groups from their current office to a hub. For a map or a
table the groups are summed per (office, hub) pair, with the staff-weighted mean
change in one-way commute time, so a planner reads "Leeds → Manchester: 420
staff, +18 min each way" instead of thousands of group lines.

Examples
--------
>>> import numpy as np
>>> f = office_flows(office=np.array([0, 0, 1, 2]), hub=np.array([2, 2, 2, 2]),
...                  staff=np.array([3.0, 1.0, 4.0, 5.0]),
...                  minutes_before=np.array([10.0, 30.0, 20.0, 15.0]),
...                  minutes_after=np.array([40.0, 40.0, 25.0, 15.0]))
>>> f.office.tolist(), f.hub.tolist(), f.staff.tolist(), f.added_minutes.tolist()
([0, 1], [2, 2], [4.0, 4.0], [25.0, 5.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.accounting import Footprint
from footprint.inputs import Organisation

__all__ = ["CommuteTimes", "Flows", "commute_times", "office_flows", "plan_flows"]


@dataclass(frozen=True, eq=False)
class Flows:
    """Staff moving from an office to another site, aggregated per pair, largest first.

    Attributes
    ----------
    office, hub : ndarray of int
        Site indices of today's office and of the hub [index into the sites].
    staff : ndarray of float
        Staff moving on that pair [people].
    added_minutes : ndarray of float
        Staff-weighted mean change of the one-way commute time [min per person],
        positive when the commute gets longer.
    """

    office: np.ndarray
    hub: np.ndarray
    staff: np.ndarray
    added_minutes: np.ndarray

    def __len__(self) -> int:
        return int(self.office.size)

    @property
    def total_staff(self) -> float:
        """All staff who move office [people]."""
        return float(self.staff.sum())

    def top(self, n: int) -> Flows:
        """The ``n`` largest pairs (all of them when ``n`` is larger)."""
        k = max(int(n), 0)
        return Flows(self.office[:k], self.hub[:k], self.staff[:k], self.added_minutes[:k])


def office_flows(
    office: np.ndarray,
    hub: np.ndarray,
    staff: np.ndarray,
    minutes_before: np.ndarray,
    minutes_after: np.ndarray,
) -> Flows:
    """Aggregate staff-group moves into one row per (office, hub) pair.

    Parameters
    ----------
    office : ndarray of int, shape (n,)
        Each group's current office [site index].
    hub : ndarray of int, shape (n,)
        Each group's site under the plan [site index]; −1 for remote workers.
    staff : ndarray of float, shape (n,)
        People in each group [people].
    minutes_before, minutes_after : ndarray of float, shape (n,)
        One-way commute time today and under the plan [min].

    Returns
    -------
    Flows
        Only groups that change site (``hub >= 0`` and ``hub != office``) with
        staff > 0, sorted by staff (largest first), ties by office then hub.
    """
    office = np.asarray(office, dtype=np.int64)
    hub = np.asarray(hub, dtype=np.int64)
    staff = np.asarray(staff, dtype=np.float64)
    added = np.asarray(minutes_after, dtype=np.float64) - np.asarray(minutes_before, dtype=np.float64)
    moving = (hub >= 0) & (hub != office) & (staff > 0)
    if not moving.any():
        empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0)
        return Flows(empty_i, empty_i.copy(), empty_f, empty_f.copy())
    pairs, key = np.unique(np.stack([office[moving], hub[moving]], axis=1), axis=0, return_inverse=True)
    key = key.reshape(-1)
    w = staff[moving]
    total = np.bincount(key, weights=w, minlength=len(pairs))
    minutes = np.bincount(key, weights=w * added[moving], minlength=len(pairs)) / total
    order = np.lexsort((pairs[:, 1], pairs[:, 0], -total))
    return Flows(pairs[order, 0], pairs[order, 1], total[order], minutes[order])


def plan_flows(org: Organisation, footprint: Footprint, baseline: Footprint) -> Flows:
    """The office → hub flows of a scenario's footprint against today's (same organisation).

    Parameters
    ----------
    org : Organisation
    footprint : Footprint
        The scenario (its groups' assigned sites and commute times).
    baseline : Footprint
        Today's estate (the commute times the change is measured from).
    """
    g, b = footprint.groups, baseline.groups
    return office_flows(org.group_site, g.site, g.count, b.minutes, g.minutes)


@dataclass(frozen=True)
class CommuteTimes:
    """One-way commute times as people feel them, today and under a plan.

    Staff who commute in either case are counted; "gain" means a shorter commute.
    Times [min], staff [people].
    """

    mean_min_before: float
    mean_min_after: float
    staff_gaining: float
    staff_losing: float
    minutes_gained: float
    minutes_lost: float
    over_60_before: float
    over_60_after: float
    over_90_before: float
    over_90_after: float


def commute_times(footprint: Footprint, baseline: Footprint, *, same_within_min: float = 1.0) -> CommuteTimes:
    """Who gains and who loses commute minutes, and staff over 60 and 90 minutes one way.

    Parameters
    ----------
    footprint, baseline : Footprint
        The scenario and today's estate (same organisation, same staff groups).
    same_within_min : float
        Changes smaller than this count as neither gain nor loss [min].

    Returns
    -------
    CommuteTimes
        ``minutes_gained``/``minutes_lost`` are the staff-weighted means of the
        change among those who gain / lose [min per person, positive].
    """
    g, b = footprint.groups, baseline.groups
    w = np.asarray(g.count, dtype=np.float64)
    after, before = np.asarray(g.minutes, dtype=np.float64), np.asarray(b.minutes, dtype=np.float64)
    on_after, on_before = np.asarray(g.site) >= 0, np.asarray(b.site) >= 0
    both = on_after & on_before
    change = after - before
    gain = both & (change <= -same_within_min)
    lose = both & (change >= same_within_min)

    def mean(values: np.ndarray, sel: np.ndarray) -> float:
        total = float(w[sel].sum())
        return float((w[sel] * values[sel]).sum() / total) if total > 0 else 0.0

    return CommuteTimes(
        mean_min_before=mean(before, on_before), mean_min_after=mean(after, on_after),
        staff_gaining=float(w[gain].sum()), staff_losing=float(w[lose].sum()),
        minutes_gained=-mean(change, gain), minutes_lost=mean(change, lose),
        over_60_before=float(w[on_before & (before > 60.0)].sum()),
        over_60_after=float(w[on_after & (after > 60.0)].sum()),
        over_90_before=float(w[on_before & (before > 90.0)].sum()),
        over_90_after=float(w[on_after & (after > 90.0)].sum()),
    )
