"""Staff to the nearest hub with room: a fixed set of hubs, desk capacities kept.

"Nearest hub" alone overfills popular hubs (the demo's 30 largest offices: 8 hubs
short of 4,681 desks). Here the hubs are given and the assignment is a
generalised assignment problem: minimise the person-km of commuting such that
every hub's peak desks (:func:`~footprint.hubs.costs.desks_per_person` × staff)
fit its ``max_desks``; solved by the single-source heuristic
(:func:`~footprint.locate.heuristic.single_source.gap_assign`: regret greedy, then
shift moves; the pair swaps are left out so that a Workshop slider that changes desks
per person re-plans in about 0.1 s on the demo). May import the accounting and inputs
(the hub model's layer).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from footprint.accounting import REMOTE, Plan
from footprint.accounting.commute import travel_distance_km
from footprint.accounting.plan import within_limit
from footprint.errors import InfeasibleScenario
from footprint.hubs.costs import desks_per_person
from footprint.inputs import Organisation, Policy
from footprint.locate.heuristic.single_source import gap_assign

__all__ = ["nearest_with_room"]


def nearest_with_room(
    org: Organisation,
    policy: Policy,
    open_sites: np.ndarray,
    *,
    keep_offices_whole: bool = False,
    label: str = "",
) -> Plan:
    """Assign staff to open hubs, nearest first, without exceeding any hub's desks.

    Parameters
    ----------
    org, policy
    open_sites : ndarray of bool, shape (m,)
        The hubs.
    keep_offices_whole : bool
        Move each office's staff together.
    label : str
        The plan's label.

    Returns
    -------
    Plan

    Raises
    ------
    footprint.errors.InfeasibleScenario
        When the hubs hold fewer desks than are needed at peak (by how many, in
        words), or no assignment that fits was found.
    """
    idx = np.flatnonzero(np.asarray(open_sites, dtype=bool))
    if idx.size == 0:
        raise InfeasibleScenario(["no site is open: choose at least one hub"])
    count = org.staff.count
    person_km = travel_distance_km(org, policy, org.staff_distance_km[:, idx]) * count[:, None]
    limited = policy.max_commute_km is not None or policy.max_commute_minutes is not None
    if limited and policy.beyond_limit == "forbid":
        person_km = np.where(within_limit(org, policy)[:, idx], person_km, np.inf)
    demand = count * desks_per_person(policy)
    capacity = org.sites.max_desks[idx].astype(float)
    need, have = float(demand.sum()), float(capacity.sum())
    if need > have:
        raise InfeasibleScenario([
            f"the {idx.size} hubs hold {have:,.0f} desks but {need:,.0f} are needed at peak "
            f"({policy.office_days_per_week:g} office days, peak factor {policy.peak_factor:g}, "
            f"{policy.desk_sharing_ratio:g} desks per attendee): {need - have:,.0f} desks short; add hubs, "
            "share desks more, raise max_desks, or set hubs.respect_capacity = false to see the plan "
            "that overfills them"])
    if keep_offices_whole:
        offices, unit = np.unique(org.group_site, return_inverse=True)
        agg = sp.csr_array((np.ones(count.size), (unit, np.arange(count.size))), shape=(offices.size, count.size))
        found = gap_assign(np.asarray(agg @ person_km), agg @ demand, capacity, swaps=False)
        hub_of_group = None if found is None else found[0][unit]
    else:
        found = gap_assign(person_km, demand, capacity, swaps=False)
        hub_of_group = None if found is None else found[0]
    if hub_of_group is None:
        raise InfeasibleScenario([
            f"no assignment of {'offices' if keep_offices_whole else 'staff'} to the {idx.size} hubs fits their "
            f"desks ({need:,.0f} needed, {have:,.0f} held){' within the commute limit' if limited else ''}; add "
            "hubs, assign staff groups individually, or set hubs.respect_capacity = false"])
    assignment = idx[hub_of_group]
    if limited and policy.beyond_limit == "remote":
        ok = within_limit(org, policy)[np.arange(assignment.size), assignment]
        assignment = np.where(ok, assignment, REMOTE)
    mask = np.zeros(len(org.sites), dtype=bool)
    mask[idx] = True
    return Plan(mask, assignment, False, label)
