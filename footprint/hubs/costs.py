"""Cost matrices of Footprint's hub model, built from the accounting.

For a unit *u* (a staff group, or a whole office) at candidate hub *j* [kg CO2e/yr]::

    c_uj = Σ_{i∈u} n_i · D_office · [ 2 · d_ij · k_i · EF_i            (commuting)
                                      + λ · d_ij · k_i ]               (commute burden, optional)
           + Σ_{i∈u} n_i · b_j                                         (variable building energy)

and a fixed cost ``f_j`` per open hub for its fixed floor area (``hub_fixed_area_m2``).

The building terms are the accounting's (:mod:`footprint.accounting.buildings`) made linear
in people: a hub of *s* people has ``g · s`` desks (``g`` = :func:`desks_per_person`, before
rounding up), so its desk utilisation ``u = (days/5) / g`` does not depend on *s*, and for
each energy carrier *f* (electricity; heating) with intensity ``I_f`` [kWh/m²], emissions
``K_f`` per kWh at *j* and occupancy-driven share ``φ_f``::

    b_j = Σ_f I_f · K_f · a · ((1 − φ_f) · g + φ_f · days/5)
    f_j = Σ_f I_f · K_f · A_hub · (1 − φ_f + φ_f · u)

which add up to the accounting's ``area · I_f · (1 − φ_f + φ_f · u)`` exactly wherever the
desks need no rounding. Staff beyond the commute limit (when the policy makes them remote)
cost their extra homeworking instead: ``n_i · D_office · hours/day · EF_homeworking``.

With a carbon price *P* (``policy.carbon_price_gbp_per_t``) the objective is
*P* × emissions + cost to the organisation, written in kg CO2e-equivalent (money × 1000/*P*):
``b_j`` and ``f_j`` add the same terms with a kWh's price in place of ``K_f`` plus each m²'s
occupancy cost (the site's ``annual_cost_per_m2``, or rent, rates and service charge), and
``c_uj`` adds the annualised relocation cost of people who change site
(see :mod:`footprint.decisions.costs`).

This is the *linear* part of the footprint. Business travel couples pairs of
units (meetings between hubs) and is evaluated exactly afterwards.

May import :mod:`footprint.inputs`, :mod:`footprint.factors`, :mod:`footprint.accounting` and (lazily) :mod:`footprint.decisions.costs` and :mod:`footprint.decisions.defaults`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from footprint.accounting.buildings import (
    OccupancyShares,
    desks_per_person,
    occupancy_factor,
    occupancy_shares,
)
from footprint.accounting.commute import (
    RANGED_MODES,
    effective_mode,
    mode_circuity,
    mode_factor_per_person_km,
)
from footprint.accounting.plan import within_limit
from footprint.factors import FactorSet, grid_intensity
from footprint.factors.country_electricity import upstream_stand_in
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


def building_kg_per_kwh(org: Organisation, factors: FactorSet) -> tuple[np.ndarray, np.ndarray]:
    """Emissions per kWh of electricity and per kWh of heating at each site. [kg CO2e/kWh]"""
    s = org.sites
    grid = np.empty(len(s))
    td = np.zeros(len(s))
    for k, c in enumerate(s.country):
        if c == factors.country:
            grid[k], td[k] = factors.value("electricity_generation"), factors.value("electricity_td")
        else:  # the country table's grid; T&D as the accounting's stand-in (the set's share)
            g = grid_intensity(c)
            grid[k] = g.value
            stand_in = upstream_stand_in(factors, "electricity_td", g, c)
            td[k] = stand_in.value if stand_in is not None else 0.0
    fuel = np.asarray(s.heating_fuel)
    heat_factor = np.where(fuel == "gas", factors.value("natural_gas"),
                           np.where(fuel == "electric", grid + td,
                                    factors.value("heat_steam") if "heat_steam" in factors else 0.0))
    return grid + td, heat_factor


def hub_energy_terms(policy: Policy, shares: OccupancyShares, per_elec_kwh: np.ndarray, per_heat_kwh: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """A hub's energy, weighed per kWh, per assigned person and per open hub (``b_j``, ``f_j``).

    Parameters
    ----------
    per_elec_kwh, per_heat_kwh : ndarray
        Weight of a kWh of electricity and of heating at each site (kg CO2e, or money).

    Returns
    -------
    per_person : ndarray
        Weight per assigned person. [weight/person/yr]
    fixed : ndarray
        Weight of an open hub's fixed floor area. [weight/yr]
    """
    g = desks_per_person(policy)
    average = policy.office_days_per_week / 5.0
    u = average / g if g > 0 else 0.0
    per_person = np.zeros(np.shape(per_elec_kwh))
    fixed = np.zeros(np.shape(per_elec_kwh))
    for intensity, share, weight in ((policy.hub_electricity_kwh_per_m2, shares.electricity, per_elec_kwh),
                                     (policy.hub_heating_kwh_per_m2, shares.heating, per_heat_kwh)):
        per_person = per_person + intensity * weight * policy.m2_per_desk * ((1.0 - share) * g + share * average)
        fixed = fixed + intensity * weight * policy.hub_fixed_area_m2 * occupancy_factor(share, np.float64(u))
    return per_person, fixed


def building_kg_terms(org: Organisation, policy: Policy, factors: FactorSet) -> tuple[np.ndarray, np.ndarray]:
    """Building emissions at each site: per assigned person (``b_j``) [kg CO2e/person/yr] and
    of an open hub's fixed floor area (``f_j``) [kg CO2e/yr]."""
    return hub_energy_terms(policy, occupancy_shares(factors.value), *building_kg_per_kwh(org, factors))


def building_kg_per_person(org: Organisation, policy: Policy, factors: FactorSet) -> np.ndarray:
    """Variable building emissions per assigned person at each site (``b_j``). [kg CO2e/person/yr]"""
    return building_kg_terms(org, policy, factors)[0]


def _site_terms(org: Organisation, policy: Policy, factors: FactorSet, candidates: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, float]:
    """The candidates' costs that do not depend on distance: per assigned person (building
    energy, and space and energy money under a carbon price) [kg/person/yr], per open hub
    [kg/yr], and per person who changes site (0 without a price) [kg/person/yr]."""
    per_person, fixed = building_kg_terms(org, policy, factors)
    per_person, fixed = per_person[candidates], fixed[candidates]
    money = money_terms(org, policy, factors, candidates)
    if money is None:
        return per_person, fixed, 0.0
    return per_person + money[0], fixed + money[1], money[2]


def money_terms(org: Organisation, policy: Policy, factors: FactorSet, candidates: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Cost terms under the policy's carbon price, in kg CO2e-equivalent (None without a price):
    per person at each candidate [kg/person/yr], fixed per open candidate [kg/yr], per person
    who changes site [kg/person/yr]."""
    if policy.carbon_price_gbp_per_t is None:
        return None
    from footprint.decisions.costs import (
        heat_gbp_per_kwh,
        kg_per_gbp,
        occupancy_gbp_per_m2,
        relocation_gbp_per_year,
    )
    from footprint.decisions.defaults import load_cost_defaults

    d = load_cost_defaults()
    w = kg_per_gbp(policy)
    elec_price = np.full(len(org.sites), d.cost("electricity"))
    energy_person, energy_fixed = hub_energy_terms(
        policy, occupancy_shares(factors.value), elec_price, heat_gbp_per_kwh(org, d))
    rent = occupancy_gbp_per_m2(org, d)
    per_person = (desks_per_person(policy) * policy.m2_per_desk * rent + energy_person)[candidates] * w
    fixed = (policy.hub_fixed_area_m2 * rent + energy_fixed)[candidates] * w
    return per_person, fixed, relocation_gbp_per_year(policy, d) * w


#: Costs built ahead of their request by :func:`build_ahead`: the arguments and the costs.
_ahead: tuple[tuple, HubCosts] | None = None


def build_ahead(org: Organisation, policy: Policy, factors: FactorSet, *, keep_offices_whole: bool,
                commute_weight_kg_per_km: float = 0.0) -> None:
    """Build :func:`hub_costs` now and keep them for the next call with the same arguments.

    One set is kept (the organisation, policy and factor set by identity or
    equality). A worker process started ahead of time prepares its likely job
    this way: the demo's costs by staff group take 1-2 s to build.
    """
    global _ahead
    args = (org, policy, factors, bool(keep_offices_whole), float(commute_weight_kg_per_km))
    _ahead = (args, hub_costs(org, policy, factors, keep_offices_whole=keep_offices_whole,
                              commute_weight_kg_per_km=commute_weight_kg_per_km))


def _built_ahead(org: Organisation, policy: Policy, factors: FactorSet, keep_offices_whole: bool,
                 commute_weight_kg_per_km: float) -> HubCosts | None:
    if _ahead is None:
        return None
    (o, p, f, whole, lam), costs = _ahead
    same = (o is org and f is factors and whole == bool(keep_offices_whole)
            and lam == float(commute_weight_kg_per_km) and p == policy)
    return costs if same else None


def hub_costs(
    org: Organisation,
    policy: Policy,
    factors: FactorSet,
    *,
    keep_offices_whole: bool,
    commute_weight_kg_per_km: float = 0.0,
) -> HubCosts:
    """Build the linear hub model's costs (see the module docstring)."""
    ahead = _built_ahead(org, policy, factors, keep_offices_whole, commute_weight_kg_per_km)
    if ahead is not None:
        return ahead
    s = org.sites
    candidates = np.flatnonzero(s.can_be_hub | s.must_keep)
    n = len(org.staff)
    count = org.staff.count
    od = policy.office_days_per_year
    circ_m = mode_circuity(policy)
    # cost per km of geodesic distance for one person-day, by mode [kg/km]
    coef = 2.0 * circ_m * mode_factor_per_person_km(factors, policy) + commute_weight_kg_per_km * circ_m
    limited = policy.max_commute_km is not None or policy.max_commute_minutes is not None
    if keep_offices_whole and not limited:
        return _office_costs(org, policy, factors, candidates, coef)
    dist = org.staff_distance_km[:, candidates]  # (n, c), as the accounting measures it (cached per organisation)
    own = org.group_mode
    w = count * od
    group_cost = dist * (w * coef[own])[:, None]
    ranged = np.flatnonzero(np.isin(own, RANGED_MODES))  # only these can switch mode with distance
    if ranged.size:
        sub = dist[ranged]
        group_cost[ranged] = sub * w[ranged, None] * coef[effective_mode(own[ranged], sub)]
    per_person, fixed, per_move = _site_terms(org, policy, factors, candidates)
    group_cost += count[:, None] * per_person[None, :]
    if per_move:
        group_cost += (candidates[None, :] != org.group_site[:, None]) * (count * per_move)[:, None]
    remote = None
    allowed = None
    if limited:
        allowed = within_limit(org, policy)[:, candidates]
        if policy.beyond_limit == "remote":
            remote = count * od * policy.hours_per_day * factors.value("homeworking")
        elif policy.beyond_limit == "commute":
            allowed = None  # beyond the limit, people commute anyway (and are counted)
    demand = count * desks_per_person(policy)
    capacity = s.max_desks[candidates].astype(float)
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


def _office_costs(org: Organisation, policy: Policy, factors: FactorSet, candidates: np.ndarray,
                  coef: np.ndarray) -> HubCosts:
    """:func:`hub_costs` for offices moved whole with no commute limit, summed per office first.

    The same numbers as summing the groups' ``(n, c)`` cost matrix over each office, in
    one pass over the distances: the groups whose mode cannot change with distance enter
    through one sparse ``(offices, n) @ (n, c)`` product weighted by their person-days
    and mode factor; only walkers' and cyclists' rows (whose mode falls back with
    distance) are costed row by row. Memory ``O(offices · c)`` besides those rows.
    """
    count = org.staff.count
    n = count.size
    od = policy.office_days_per_year
    own = org.group_mode
    w = count * od
    offices, unit_of_group = np.unique(org.group_site, return_inverse=True)
    dist = org.staff_distance_km  # (n, m), cached per organisation
    ranged = np.isin(own, RANGED_MODES)
    fixed_mode = np.flatnonzero(~ranged)
    weights = sp.csr_array((w[fixed_mode] * coef[own[fixed_mode]], (unit_of_group[fixed_mode], fixed_mode)),
                           shape=(offices.size, n))
    cost = np.asarray(weights @ dist)[:, candidates]
    rows = np.flatnonzero(ranged)
    if rows.size:
        sub = dist[np.ix_(rows, candidates)]
        part = sub * w[rows, None] * coef[effective_mode(own[rows], sub)]
        np.add.at(cost, unit_of_group[rows], part)
    staff = np.bincount(unit_of_group, weights=count, minlength=offices.size)
    per_person, fixed, per_move = _site_terms(org, policy, factors, candidates)
    cost += staff[:, None] * per_person[None, :]
    if per_move:  # an office's whole staff move unless its hub is the office itself
        cost += (candidates[None, :] != offices[:, None]) * (staff * per_move)[:, None]
    demand = np.bincount(unit_of_group, weights=count * desks_per_person(policy), minlength=offices.size)
    capacity = org.sites.max_desks[candidates].astype(float)
    return HubCosts(candidates, cost, demand, capacity, None, None, fixed, unit_of_group, offices)
