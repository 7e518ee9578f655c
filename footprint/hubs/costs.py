"""Cost matrices of Footprint's hub model, built from the accounting.

For a unit *u* (a staff group, or a whole office) at candidate hub *j* [kg CO2e/yr]::

    c_uj = Σ_{i∈u} n_i · D_office · [ 2 · d_ij · k_i · EF_i            (commuting)
                                      + λ · d_ij · k_i ]               (commute burden, optional)
           + Σ_{i∈u} n_i · b_j                                         (variable building energy)

and a fixed cost ``f_j`` per open hub: its fixed floor area (``hub_fixed_area_m2``) ×
the building emissions per m² at *j*.

With a carbon price *P* (``policy.carbon_price_gbp_per_t``) the objective is
*P* × emissions + cost to the organisation, written in kg CO2e-equivalent (money × 1000/*P*):
``c_uj`` adds each person's hub floor area × the annual cost of a m² at *j* (occupancy, or
the site's ``annual_cost_per_m2``, + energy) and the annualised relocation cost of people
who change site; ``f_j`` adds the fixed floor area × the cost of a m² at *j*
(see :mod:`footprint.decisions.costs`).

with ``b_j`` the building emissions per person at hub *j*: desks per person
(office days/5 × peak factor, at most 1, × desk-sharing ratio) × m² per desk ×
(electricity intensity × (grid + T&D) + heating intensity × heating factor).
Staff beyond the commute limit (when the policy makes them remote) cost their
extra homeworking instead: ``n_i · D_office · hours/day · EF_homeworking``.

This is the *linear* part of the footprint. Business travel couples pairs of
units (meetings between hubs) and is evaluated exactly afterwards.

May import :mod:`footprint.inputs`, :mod:`footprint.factors`, :mod:`footprint.accounting` and (lazily) :mod:`footprint.decisions.costs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from footprint.accounting.commute import (
    RANGED_MODES,
    effective_mode,
    mode_circuity,
    mode_factor_per_person_km,
)
from footprint.accounting.plan import within_limit
from footprint.factors import FactorSet, grid_intensity
from footprint.inputs import Organisation, Policy


@dataclass(frozen=True, eq=False)
class HubCosts:
    """Per-unit costs for the candidate hubs.

    Attributes
    ----------
    candidates : ndarray of int
        Site indices that may become hubs (columns of the matrices).
    cost : ndarray, shape (units, candidates)
        Linear cost of each unit at each candidate. [kg CO2e/yr]
    demand : ndarray, shape (units,)
        Desks each unit needs at peak. [desks]
    capacity : ndarray, shape (candidates,)
        Desk capacity of each candidate. [desks]
    remote_cost : ndarray or None, shape (units,)
        Cost of a unit working remotely (group mode with remote workers). [kg CO2e/yr]
    allowed : ndarray of bool or None, shape (units, candidates)
    fixed : ndarray, shape (candidates,)
        Emissions of an open hub's fixed floor area (``policy.hub_fixed_area_m2``). [kg CO2e/yr]
    unit_of_group : ndarray of int, shape (n,)
        Unit of each staff group.
    unit_site : ndarray of int or None
        Office of each unit (office mode).
    """

    candidates: np.ndarray
    cost: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    remote_cost: np.ndarray | None
    allowed: np.ndarray | None
    fixed: np.ndarray
    unit_of_group: np.ndarray
    unit_site: np.ndarray | None


def building_kg_per_m2(org: Organisation, policy: Policy, factors: FactorSet) -> np.ndarray:
    """Building emissions per m² of hub floor area at each site. [kg CO2e/m²/yr]"""
    s = org.sites
    grid = np.empty(len(s))
    td = np.zeros(len(s))
    for k, c in enumerate(s.country):
        if c == factors.country:
            grid[k], td[k] = factors.value("electricity_generation"), factors.value("electricity_td")
        else:
            grid[k] = grid_intensity(c).value
    fuel = np.asarray(s.heating_fuel)
    heat_factor = np.where(fuel == "gas", factors.value("natural_gas"),
                           np.where(fuel == "electric", grid + td,
                                    factors.value("heat_steam") if "heat_steam" in factors else 0.0))
    return policy.hub_electricity_kwh_per_m2 * (grid + td) + policy.hub_heating_kwh_per_m2 * heat_factor


def building_kg_per_person(org: Organisation, policy: Policy, factors: FactorSet) -> np.ndarray:
    """Variable building emissions per assigned person at each site. [kg CO2e/person/yr]"""
    return desks_per_person(policy) * policy.m2_per_desk * building_kg_per_m2(org, policy, factors)


def desks_per_person(policy: Policy) -> float:
    """Desks needed per assigned person (before rounding up per hub). [desks/person]"""
    return min(1.0, policy.office_days_per_week / 5.0 * policy.peak_factor) * policy.desk_sharing_ratio


def money_terms(org: Organisation, policy: Policy, candidates: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Cost terms under the policy's carbon price, in kg CO2e-equivalent (None without a price):
    per person at each candidate [kg/person/yr], fixed per open candidate [kg/yr], per person
    who changes site [kg/person/yr]."""
    if policy.carbon_price_gbp_per_t is None:
        return None
    from footprint.decisions.costs import (
        hub_gbp_per_m2,
        kg_per_gbp,
        relocation_gbp_per_year,
    )

    w = kg_per_gbp(policy)
    per_m2 = hub_gbp_per_m2(org, policy)[candidates] * w
    return (desks_per_person(policy) * policy.m2_per_desk * per_m2, policy.hub_fixed_area_m2 * per_m2,
            relocation_gbp_per_year(policy) * w)


def hub_costs(
    org: Organisation,
    policy: Policy,
    factors: FactorSet,
    *,
    keep_offices_whole: bool,
    commute_weight_kg_per_km: float = 0.0,
) -> HubCosts:
    """Build the linear hub model's costs (see the module docstring)."""
    s = org.sites
    candidates = np.flatnonzero(s.can_be_hub | s.must_keep)
    n = len(org.staff)
    count = org.staff.count
    od = policy.office_days_per_year
    dist = org.staff_distance_km[:, candidates]  # (n, c), as the accounting measures it (cached per organisation)
    circ_m = mode_circuity(policy)
    # cost per km of geodesic distance for one person-day, by mode [kg/km]
    coef = 2.0 * circ_m * mode_factor_per_person_km(factors, policy) + commute_weight_kg_per_km * circ_m
    own = org.group_mode
    w = count * od
    group_cost = dist * (w * coef[own])[:, None]
    ranged = np.flatnonzero(np.isin(own, RANGED_MODES))  # only these can switch mode with distance
    if ranged.size:
        sub = dist[ranged]
        group_cost[ranged] = sub * w[ranged, None] * coef[effective_mode(own[ranged], sub)]
    group_cost += count[:, None] * building_kg_per_person(org, policy, factors)[candidates]
    money = money_terms(org, policy, candidates)
    if money is not None:
        group_cost += count[:, None] * money[0][None, :]
        group_cost += (candidates[None, :] != org.group_site[:, None]) * (count * money[2])[:, None]
    remote = None
    allowed = None
    limited = policy.max_commute_km is not None or policy.max_commute_minutes is not None
    if limited:
        allowed = within_limit(org, policy)[:, candidates]
        if policy.beyond_limit == "remote":
            remote = count * od * policy.hours_per_day * factors.value("homeworking")
        elif policy.beyond_limit == "commute":
            allowed = None  # beyond the limit, people commute anyway (and are counted)
    demand = count * desks_per_person(policy)
    capacity = s.max_desks[candidates].astype(float)
    fixed = policy.hub_fixed_area_m2 * building_kg_per_m2(org, policy, factors)[candidates]
    if money is not None:
        fixed = fixed + money[1]
    if not keep_offices_whole:
        return HubCosts(candidates, group_cost, demand, capacity, remote, allowed, fixed, np.arange(n), None)
    offices, unit_of_group = np.unique(org.group_site, return_inverse=True)
    if remote is not None and allowed is not None:
        group_cost = np.where(allowed, group_cost, remote[:, None])
    elif allowed is not None:  # a hard limit: an office may only go where all its staff are within it
        group_cost = np.where(allowed, group_cost, np.inf)
    agg = sp.csr_array((np.ones(n), (unit_of_group, np.arange(n))), shape=(offices.size, n))
    cost = agg @ group_cost
    cost = np.asarray(cost)
    office_allowed = np.isfinite(cost) if allowed is not None and remote is None else None
    cost = np.where(np.isfinite(cost), cost, 0.0)
    return HubCosts(candidates, cost, agg @ demand, capacity, None, office_allowed, fixed, unit_of_group, offices)
