"""Plans: which sites are open and where each staff group goes.

A plan is what the optimiser chooses and what the accounting evaluates. The
baseline plan is today's estate with today's assignment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.accounting.commute import commute_legs, travel_distance_km
from footprint.errors import InfeasibleScenario
from footprint.inputs import Organisation, Policy
from footprint.inputs.columns import frozen

REMOTE = -1


@dataclass(frozen=True, eq=False)
class Plan:
    """Open sites and the assignment of staff groups to them.

    Attributes
    ----------
    open_sites : ndarray of bool, shape (m,)
    assignment : ndarray of int, shape (n,)
        Site index of each staff group; :data:`REMOTE` (−1) for remote workers.
    current_estate : bool
        True for today's estate: buildings keep their real floor area and energy
        intensity. False for hubs: floor area is sized from desks needed.
    label : str
        How the plan was made (shown in reports).
    """

    open_sites: np.ndarray
    assignment: np.ndarray
    current_estate: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "open_sites", frozen(np.asarray(self.open_sites, dtype=bool)))
        object.__setattr__(self, "assignment", frozen(np.asarray(self.assignment, dtype=np.int64)))
        a = self.assignment
        assigned = a[a != REMOTE]
        if assigned.size and (assigned.min() < 0 or assigned.max() >= self.open_sites.size):
            raise ValueError("assignment names a site index out of range")
        if assigned.size and not np.all(self.open_sites[assigned]):
            raise ValueError("assignment sends staff to a closed site")

    @property
    def n_open(self) -> int:
        return int(self.open_sites.sum())


def current_plan(org: Organisation) -> Plan:
    """Today's estate: every office open, everyone at their current office."""
    return Plan(org.sites.is_office.copy(), org.group_site.copy(), True, "today's estate")


def within_limit(org: Organisation, policy: Policy) -> np.ndarray:
    """Which (group, site) pairs are within the policy's commute limit, shape (n, m)."""
    ok = np.ones(org.staff_distance_km.shape, dtype=bool)
    if policy.max_commute_km is None and policy.max_commute_minutes is None:
        return ok
    legs = commute_legs(org, policy, org.staff_distance_km)
    if policy.max_commute_km is not None:
        ok &= legs.travel_km <= policy.max_commute_km
    if policy.max_commute_minutes is not None:
        ok &= legs.minutes <= policy.max_commute_minutes
    return ok


def nearest_plan(
    org: Organisation,
    policy: Policy,
    open_sites: np.ndarray,
    *,
    keep_offices_whole: bool = False,
    label: str = "",
) -> Plan:
    """Assign every staff group to its nearest open site (one-way travel distance).

    Parameters
    ----------
    open_sites : ndarray of bool, shape (m,)
    keep_offices_whole : bool
        Move each office's staff together, to the open site nearest the office.

    Staff whose nearest open site is beyond the policy's commute limit become
    remote workers when ``policy.beyond_limit == "remote"``; otherwise they
    commute anyway (and are counted over the limit).

    Raises
    ------
    footprint.errors.InfeasibleScenario
        If no site is open.
    """
    open_sites = np.asarray(open_sites, dtype=bool)
    if not open_sites.any():
        raise InfeasibleScenario(["no site is open: choose at least one hub"])
    idx = np.flatnonzero(open_sites)
    if keep_offices_whole:
        near = idx[np.argmin(org.site_distance_km[:, idx], axis=1)]
        assignment = near[org.group_site]
    else:
        travel = travel_distance_km(org, policy, org.staff_distance_km[:, idx])
        assignment = idx[np.argmin(travel, axis=1)]
    if policy.beyond_limit != "commute" and (
        policy.max_commute_km is not None or policy.max_commute_minutes is not None
    ):
        ok = within_limit(org, policy)[np.arange(len(assignment)), assignment]
        if policy.beyond_limit == "forbid" and not ok.all():
            people = float(org.staff.count[~ok].sum())
            raise InfeasibleScenario([
                f"{people:,.0f} staff would commute beyond the limit to their nearest hub and the limit is hard "
                "(beyond_limit = 'forbid'); add hubs near them, raise the limit, or let them work remotely"
            ])
        assignment = np.where(ok, assignment, REMOTE)
    return Plan(open_sites, assignment, False, label or f"{len(idx)} hubs, staff to the nearest hub")
