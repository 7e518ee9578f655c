"""Reasons, in words and before solving, why no hub plan can exist for a scenario.

Checks the scenario's own terms (must-keep sites against the number of hubs, desks at
peak against the largest hubs, staff beyond every hub's commute limit with remote
working off) so the user reads what to change; the generic solver's own checks
(:mod:`footprint.locate.feasibility`) speak of rows and columns instead.
May import :mod:`footprint.inputs` and :mod:`footprint.hubs.costs`.
"""

from __future__ import annotations

import numpy as np

from footprint.hubs.costs import HubCosts
from footprint.inputs import Organisation, Policy

__all__ = ["infeasibility_reasons"]


def infeasibility_reasons(org: Organisation, policy: Policy, n_hubs: int | None, costs: HubCosts,
                          respect_capacity: bool) -> list[str]:
    """Reasons, in words and before solving, why no plan can exist."""
    s = org.sites
    reasons = []
    must = int(s.must_keep.sum())
    n_cand = costs.candidates.size
    if n_hubs is not None:
        if must > n_hubs:
            names = ", ".join(s.name[j] for j in np.flatnonzero(s.must_keep)[:5])
            reasons.append(f"{must} sites are must-keep ({names}…) but only {n_hubs} hubs are allowed; "
                           "raise the number of hubs or un-mark some sites")
        if n_hubs > n_cand:
            reasons.append(f"{n_hubs} hubs were asked for but only {n_cand} sites can be hubs")
    if respect_capacity:
        need = float(costs.demand.sum())
        k = n_hubs if n_hubs is not None else n_cand
        top = np.sort(costs.capacity)[::-1][:k].sum()
        if top < need:
            reasons.append(f"the {k} largest hubs hold {top:,.0f} desks but {need:,.0f} are needed at peak "
                           f"({policy.office_days_per_week:g} office days, peak factor {policy.peak_factor:g}, "
                           f"{policy.desk_sharing_ratio:g} desks per attendee); allow more hubs, share desks more, "
                           "or raise max_desks")
    if costs.allowed is not None and costs.remote_cost is None:
        stranded = ~costs.allowed.any(axis=1)
        if stranded.any():
            people = float(org.staff.count[stranded[costs.unit_of_group]].sum())
            if costs.unit_site is None:
                reasons.append(f"{people:,.0f} staff live beyond the commute limit of every possible hub and "
                               "remote working is off (beyond_limit = 'forbid'); raise the limit "
                               "or let them work remotely (beyond_limit = 'remote')")
            else:
                names = ", ".join(org.sites.name[j] for j in costs.unit_site[stranded][:5])
                reasons.append(f"{int(stranded.sum())} office(s) ({names}; {people:,.0f} staff) cannot move whole to "
                               "any hub within every member's commute limit and remote working is off "
                               "(beyond_limit = 'forbid'); raise the limit, assign staff individually, or let "
                               "them work remotely (beyond_limit = 'remote')")
    return reasons
