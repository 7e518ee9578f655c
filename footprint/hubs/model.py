"""Footprint's hub model: choose hubs and assign staff to minimise emissions.

The linear part (commuting, variable building energy, an optional weight on commute
burden, fixed costs of open hubs) is a capacitated p-median / facility-location
problem, solved by the generic layer (:func:`footprint.locate.solve`): exactly on
HiGHS with a proven bound, or heuristically. The full footprint adds business
travel, which couples pairs of units through meetings; it is evaluated exactly by
:func:`footprint.accounting.account` and improved by a bounded swap local search
on the full objective. The report says which objective was proven and which was
only improved heuristically.

May import :mod:`footprint.locate`, the other :mod:`footprint.hubs` modules, :mod:`footprint.inputs`,
:mod:`footprint.factors`, :mod:`footprint.accounting`, :mod:`footprint.errors` and (lazily)
:mod:`footprint.decisions.costs`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from footprint.accounting import REMOTE, Footprint, Plan, account
from footprint.accounting.plan import within_limit
from footprint.errors import InfeasibleScenario
from footprint.factors import FactorSet, load_factor_set
from footprint.hubs.costs import HubCosts, hub_costs
from footprint.hubs.infeasibility import infeasibility_reasons
from footprint.inputs import Organisation, Policy, StaffGroups
from footprint.locate.feasibility import InfeasibleProblem
from footprint.locate.heuristic.single_source import SiteSearch, positions_of, sites_of
from footprint.locate.problem import LocationProblem
from footprint.locate.result import LocationResult
from footprint.locate.solve import solve

Progress = Callable[[float, str], bool | None]

#: Share of the time limit given to the local search on the full objective.
FULL_SEARCH_SHARE = 0.2

#: The linear objective and the full footprint, in words.
LINEAR_EMISSIONS, FULL_EMISSIONS = "commuting + building energy", "full footprint incl. business travel"


def staff_group_keys(staff: StaffGroups) -> tuple[str, ...]:
    """A key for each staff group that a scenario file can name: ``"office id|mode|lat,lon"``
    (home cell to 1e-4°, about 10 m; groups are one per office, mode and cell)."""
    return tuple(f"{o}|{m}|{la:.4f},{lo:.4f}" for o, m, la, lo in
                 zip(staff.current_site_id, staff.mode, staff.home_lat, staff.home_lon, strict=True))


def objective_label(policy: Policy, commute_weight_kg_per_km: float) -> str:
    """What the linear objective adds up, in words (emissions, commute burden, money at the carbon price)."""
    parts = [LINEAR_EMISSIONS]
    if commute_weight_kg_per_km:
        parts.append(f"commute burden at {commute_weight_kg_per_km:g} kg CO2e per person-km")
    if policy.carbon_price_gbp_per_t is not None:
        parts.append(f"cost to the organisation at a carbon price of £{policy.carbon_price_gbp_per_t:,.0f}/t")
    return " + ".join(parts)


def objective_kg(org: Organisation, fp: Footprint, policy: Policy, commute_weight_kg_per_km: float) -> float:
    """The full objective of a plan's footprint: emissions + commute burden + money at the carbon price.
    [kg CO2e-equivalent/yr]"""
    return fp.total_kgco2e + _burden(fp, policy, commute_weight_kg_per_km) + _money_kg(org, fp, policy)


@dataclass(frozen=True, eq=False)
class HubReport:
    """What the optimiser chose, and how sure it is.

    Attributes
    ----------
    plan : Plan
        The hubs and the assignment (evaluate with :func:`footprint.accounting.account`).
    solver : LocationResult
        The linear problem's result: objective, proven bound, gap, status, method, time.
    footprint : Footprint
        The full footprint of ``plan``.
    linear_objective_kg : float
        The solver's objective in the model's terms. [kg CO2e/yr]
    full_objective_before_kg, full_objective_kg : float
        Full footprint (+ commute-burden weight) before and after the local search. [kg CO2e/yr]
    improving_swaps : int
        Hub swaps the local search accepted.
    site_ids : tuple of str
    n_hubs : int
    keep_offices_whole : bool
    seconds : float
    group_site : ndarray of int
        Today's office of each staff group (to map moves back to offices).
    objective_label : str
        What the linear objective adds up, in words (with a carbon price, cost too).
    budget_note : str
        Where the plan lands against ``policy.annual_budget_gbp`` ("" without a budget).
    """

    plan: Plan
    solver: LocationResult
    footprint: Footprint
    linear_objective_kg: float
    full_objective_before_kg: float
    full_objective_kg: float
    improving_swaps: int
    site_ids: tuple[str, ...]
    n_hubs: int
    keep_offices_whole: bool
    seconds: float
    group_site: np.ndarray
    objective_label: str = "commuting + building energy"  # LINEAR_EMISSIONS
    budget_note: str = ""

    @property
    def hub_ids(self) -> tuple[str, ...]:
        return tuple(self.site_ids[j] for j in np.flatnonzero(self.plan.open_sites))

    def group_to_hub(self, staff: StaffGroups, office_to_hub: dict[str, str] | None = None) -> dict[str, str]:
        """The staff groups that do not go where their office's move sends them, keyed
        as :func:`staff_group_keys` (``staff`` is the organisation's): with
        :meth:`office_to_hub` (pass it if already made), the plan exactly. Empty when
        offices move whole."""
        if self.keep_offices_whole:
            return {}
        index = {s: j for j, s in enumerate(self.site_ids)}
        moves = self.office_to_hub() if office_to_hub is None else office_to_hub
        office_hub = {index[o]: index[h] for o, h in moves.items()}
        a = self.plan.assignment
        follows = np.array([office_hub.get(int(o), -2) for o in self.group_site]) == a
        keys = staff_group_keys(staff)
        return {keys[i]: self.site_ids[a[i]] for i in np.flatnonzero(~follows & (a != REMOTE))}

    def office_to_hub(self) -> dict[str, str]:
        """Each office's hub (where most of its staff go), for saving the scenario."""
        a = self.plan.assignment
        placed = a != REMOTE
        count = self.footprint.groups.count
        out: dict[str, str] = {}
        for office in np.unique(self.group_site):
            sel = placed & (self.group_site == office)
            if sel.any():
                hubs, inverse = np.unique(a[sel], return_inverse=True)
                out[self.site_ids[office]] = self.site_ids[hubs[np.argmax(np.bincount(inverse, count[sel]))]]
        return out

    @property
    def proven_statement(self) -> str:
        """Which objective is proven, in words."""
        s = self.solver
        bound = f"; best possible {s.bound / 1000:,.1f} t" if np.isfinite(s.bound) and s.gap > 1e-6 else ""
        unit = "t CO2e-equivalent" if self.objective_label != LINEAR_EMISSIONS else "t CO2e"
        return (f"linear objective ({self.objective_label}) {s.objective / 1000:,.1f} {unit}: "
                f"{s.verdict()}{bound}; by {s.method}")

    def summary(self) -> str:
        """A few lines for the CLI and reports."""
        verb = "moved" if self.full_objective_kg > self.full_objective_before_kg else "improved"  # a budget binds
        swaps = (f"{verb} by {self.improving_swaps} hub swap(s) from {self.full_objective_before_kg / 1000:,.1f} t"
                 + (" to fit the budget" if verb == "moved" else "") if self.improving_swaps else "no improving swap found")
        priced = self.objective_label != LINEAR_EMISSIONS
        full = ("full objective (" + self.objective_label.replace(LINEAR_EMISSIONS, FULL_EMISSIONS) + ")"
                if priced else FULL_EMISSIONS)
        unit = "t CO2e-equivalent" if priced else "t CO2e"
        return "\n".join([
            f"Optimiser: {self.n_hubs} hubs, {'offices moved whole' if self.keep_offices_whole else 'staff groups assigned individually'}",
            f"  {self.proven_statement}",
            f"  {full} {self.full_objective_kg / 1000:,.1f} {unit}: {swaps} "
            "(local search on the full objective, not proven)",
            *([f"  annual cost to the organisation {self.budget_note}"] if self.budget_note else []),
            f"  total time {self.seconds:.1f} s",
        ])

    def to_dict(self) -> dict[str, Any]:
        s = self.solver
        return {
            "n_hubs": self.n_hubs,
            "hubs": list(self.hub_ids),
            "keep_offices_whole": self.keep_offices_whole,
            "status": s.status,
            "method": s.method,
            "linear_objective_tco2e": s.objective / 1000,
            "bound_tco2e": s.bound / 1000 if np.isfinite(s.bound) else None,
            "gap": s.gap if np.isfinite(s.gap) else None,
            "solver_seconds": s.seconds,
            "full_objective_before_tco2e": self.full_objective_before_kg / 1000,
            "full_objective_tco2e": self.full_objective_kg / 1000,
            "improving_swaps": self.improving_swaps,
            "seconds": self.seconds,
            "proven": self.proven_statement,
            "verdict": s.verdict(),
            "objective": self.objective_label,
            "budget": self.budget_note or None,
        }


def optimise_hubs(
    org: Organisation,
    policy: Policy,
    n_hubs: int | None,
    settings: Any,
    *,
    keep_offices_whole: bool = True,
    progress: Progress | None = None,
    factors: FactorSet | None = None,
    warm_start: np.ndarray | None = None,
    costs: HubCosts | None = None,
    enforce_budget: bool = True,
) -> HubReport:
    """Choose ``n_hubs`` hubs (or a free number, with fixed costs) and assign staff.

    Parameters
    ----------
    org, policy
    n_hubs : int or None
        Number of hubs; None = free (then ``settings.fixed_hub_tco2e`` must be > 0).
    settings : OptimiserSettings
        Method, time limit, MIP gap, commute weight, capacity, seed.
    keep_offices_whole : bool
        Move each office as a whole (single-source by office) or assign staff groups.
    progress : callable, optional
        ``progress(fraction, message)``; return True to cancel.
    warm_start : ndarray of int, optional
        Site indices to start from (e.g. the previous point of a sweep).
    costs : HubCosts, optional
        Precomputed costs (sweeps reuse them).
    enforce_budget : bool
        Hold the plan to ``policy.annual_budget_gbp`` (see :mod:`footprint.decisions.budget`);
        False returns the local search's best plan, which may be over budget.

    Raises
    ------
    footprint.errors.InfeasibleScenario
        With the reasons in words, before solving where possible.
    """
    t0 = time.perf_counter()
    fs = factors if factors is not None else load_factor_set(policy.factor_set)
    lam = settings.commute_weight_kg_per_km
    if costs is None:
        costs = hub_costs(org, policy, fs, keep_offices_whole=keep_offices_whole, commute_weight_kg_per_km=lam)
    fixed_kg = costs.fixed + settings.fixed_hub_tco2e * 1000.0
    if n_hubs is None and not np.any(fixed_kg > 0):
        raise InfeasibleScenario(["a free number of hubs (hubs.count = 0) needs a cost on each open hub "
                                  "(policy.hub_fixed_area_m2 > 0 or optimiser.fixed_hub_tco2e > 0); "
                                  "otherwise every office stays open"])
    reasons = infeasibility_reasons(org, policy, n_hubs, costs, settings.respect_capacity)
    if reasons:
        raise InfeasibleScenario(reasons)
    cand_index = {int(j): k for k, j in enumerate(costs.candidates)}
    forced = np.zeros(costs.candidates.size, dtype=bool)
    forced[[cand_index[int(j)] for j in np.flatnonzero(org.sites.must_keep)]] = True
    problem = LocationProblem(
        cost=costs.cost,
        demand=costs.demand,
        n_sites=n_hubs,
        fixed_cost=fixed_kg if np.any(fixed_kg > 0) else None,
        capacity=costs.capacity if settings.respect_capacity else None,
        single_source=True,
        forced_open=forced if forced.any() else None,
        allowed=costs.allowed,
        unassigned_cost=costs.remote_cost,
    )
    search_share = 0.0 if settings.method == "heuristic" else FULL_SEARCH_SHARE
    solve_limit = settings.time_limit_s * (1.0 - search_share)
    ws = None
    if warm_start is not None:
        ws = np.array([cand_index[int(j)] for j in warm_start if int(j) in cand_index], dtype=np.int64)

    def solver_progress(frac: float, msg: str) -> bool | None:
        return progress(frac * (1.0 - search_share), msg) if progress else None

    try:
        result = solve(problem, settings.method, time_limit=solve_limit, mip_gap=settings.mip_gap,
                       random_state=settings.random_state, warm_start=ws, progress=solver_progress)
    except InfeasibleProblem as e:
        raise InfeasibleScenario(e.reasons) from None
    if result.status == "infeasible" or result.open_sites.size == 0:
        raise InfeasibleScenario([
            f"no feasible plan was found within the time limit of {settings.time_limit_s:g} s "
            f"({result.message or result.method}); the capacity checks found no contradiction, so raise the "
            "time limit, or relax capacities (more hubs, more desk sharing, larger max_desks)"
        ])
    open_sites = costs.candidates[result.open_sites]
    plan = _plan(org, policy, costs, open_sites, result.assignment, keep_offices_whole)
    fp = account(org, policy, plan, fs)
    full_before = objective_kg(org, fp, policy, lam)
    full, swaps = full_before, 0
    if search_share > 0 and result.status != "cancelled":
        deadline = time.perf_counter() + max(0.5, settings.time_limit_s - (time.perf_counter() - t0))
        plan, fp, full, swaps = _local_search(org, policy, fs, costs, plan, fp, full, lam, settings, deadline,
                                              keep_offices_whole, progress, result.assignment)
    if progress:
        progress(1.0, "done")
    report = HubReport(plan, result, fp, result.objective, full_before, full, swaps, org.sites.site_id,
                       int(plan.open_sites.sum()), keep_offices_whole, time.perf_counter() - t0, org.group_site,
                       objective_label(policy, lam))
    if enforce_budget and policy.annual_budget_gbp is not None:
        from footprint.decisions.budget import enforce_budget as within_budget

        report = within_budget(report, org, policy, n_hubs, settings, keep_offices_whole=keep_offices_whole,
                               factors=fs)
    return report


def _burden(fp: Footprint, policy: Policy, lam: float) -> float:
    """Commute-burden term: λ × one-way person-km a year. [kg CO2e-equivalent/yr]"""
    if lam == 0:
        return 0.0
    g = fp.groups
    return float(lam * (g.count * g.distance_km).sum() * policy.office_days_per_year)


def _money_kg(org: Organisation, fp: Footprint, policy: Policy) -> float:
    """Cost to the organisation at the policy's carbon price (0 without one). [kg CO2e-equivalent/yr]"""
    if policy.carbon_price_gbp_per_t is None:
        return 0.0
    from footprint.decisions.costs import kg_per_gbp, optimiser_cost_gbp

    return optimiser_cost_gbp(org, fp, policy) * kg_per_gbp(policy)


def _over_budget(org: Organisation, fp: Footprint, policy: Policy) -> float:
    """How far the plan's annual cost exceeds ``policy.annual_budget_gbp`` (0 without one). [GBP/yr]"""
    if policy.annual_budget_gbp is None:
        return 0.0
    from footprint.decisions.budget import over_budget_gbp

    return over_budget_gbp(org, fp, policy)


def _plan(org: Organisation, policy: Policy, costs: HubCosts, open_sites: np.ndarray, unit_assignment: np.ndarray,
          keep_offices_whole: bool) -> Plan:
    """Turn the solver's unit assignment into a plan over staff groups."""
    mask = np.zeros(len(org.sites), dtype=bool)
    mask[open_sites] = True
    site_of_unit = np.where(unit_assignment >= 0, costs.candidates[np.maximum(unit_assignment, 0)], REMOTE)
    assignment = site_of_unit[costs.unit_of_group]
    limited = policy.max_commute_km is not None or policy.max_commute_minutes is not None
    if limited and policy.beyond_limit == "remote":
        placed = assignment != REMOTE
        ok = np.zeros(len(assignment), dtype=bool)
        ok[placed] = within_limit(org, policy)[np.flatnonzero(placed), assignment[placed]]
        assignment = np.where(ok, assignment, REMOTE)
    how = "offices moved whole" if keep_offices_whole else "staff groups assigned"
    return Plan(mask, assignment, False, f"{int(mask.sum())} optimised hubs, {how}")


class _SwapTrials:
    """Hub swaps re-assigned from the current plan, for :func:`_local_search`.

    With capacities the new hub takes over the old one's units (those that do not
    fit are placed by the regret greedy) and a shift search follows
    (:meth:`~footprint.locate.heuristic.single_source.SiteSearch.try_swap`): the
    trial differs from the current plan by the swap alone, so it is comparable to
    the solver's assignment (one made afresh is not: on the demo by staff group
    it costs 0.6 % more). Without capacities each unit goes to its cheapest hub.
    """

    def __init__(self, costs: HubCosts, open_cols: np.ndarray, unit_cols: np.ndarray,
                 respect_capacity: bool, deadline: float) -> None:
        self.costs = costs
        self.sites = np.asarray(open_cols, dtype=np.intp)
        self.a: np.ndarray | None = None
        if respect_capacity:
            m = costs.cost.shape[1]
            cost = costs.cost if costs.allowed is None else np.where(costs.allowed, costs.cost, np.inf)
            self.search = SiteSearch(cost, costs.demand, costs.capacity, np.zeros(m), np.zeros(m, dtype=bool),
                                     costs.remote_cost, deadline=deadline)
            self.a = positions_of(self.sites, unit_cols, m)

    def trial(self, old_col: int, new_col: int) -> tuple[tuple, np.ndarray] | None:
        """``(state, unit columns)`` with hub column ``old_col`` replaced by ``new_col``
        (-1: remote), or None when the units cannot be placed."""
        pos = int(np.flatnonzero(self.sites == old_col)[0])
        sites = self.sites.copy()
        sites[pos] = new_col
        if self.a is None:
            c = self.costs.cost[:, sites]
            if self.costs.allowed is not None:
                c = np.where(self.costs.allowed[:, sites], c, np.inf)
            cols = sites
            if self.costs.remote_cost is not None:
                c = np.column_stack([c, self.costs.remote_cost])
                cols = np.append(sites, -1)
            best = np.argmin(c, axis=1)
            if np.isinf(c[np.arange(len(c)), best]).any():
                return None
            return (sites, None), cols[best]
        out = self.search.try_swap(self.sites, self.a, pos, new_col)
        if out is None:
            return None
        sites, b, _ = out
        return (sites, b), sites_of(sites, b)

    def accept(self, state: tuple) -> None:
        """Make a trial's state the current plan."""
        self.sites, self.a = state


def _local_search(org, policy, fs, costs, plan, fp, full, lam, settings, deadline, whole, progress, unit_cols):
    """Swap an open hub for a nearby closed candidate while the full objective falls."""
    cand = costs.candidates
    col_of_site = {int(j): k for k, j in enumerate(cand)}
    trials = _SwapTrials(costs, np.array([col_of_site[int(j)] for j in np.flatnonzero(plan.open_sites)]),
                         unit_cols, settings.respect_capacity, deadline)
    swaps = 0
    trial_s = 0.0  # the longest trial so far [s]
    over = _over_budget(org, fp, policy)  # plans rank by (amount over budget, objective)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        open_sites = np.flatnonzero(plan.open_sites)
        for hub in open_sites:
            if org.sites.must_keep[hub]:
                continue
            closed = np.array([j for j in cand if not plan.open_sites[j]])
            if closed.size == 0:
                break
            near = closed[np.argsort(org.site_distance_km[hub, closed])[:3]]
            for new in near:
                # a trial that would end past the deadline is not started (the limit is a promise)
                if time.perf_counter() + trial_s > deadline:
                    return plan, fp, full, swaps
                started = time.perf_counter()
                if progress and progress(1.0 - FULL_SEARCH_SHARE, f"local search on the full footprint: trying "
                                         f"{org.sites.name[new]} for {org.sites.name[hub]} ({swaps} swaps so far)"):
                    return plan, fp, full, swaps
                out = trials.trial(col_of_site[int(hub)], col_of_site[int(new)])
                if out is None:
                    continue
                state, unit_cols = out
                trial_sites = cand[np.sort(state[0])]
                trial = _plan(org, policy, costs, trial_sites, unit_cols, whole)
                trial_fp = account(org, policy, trial, fs)
                trial_full = objective_kg(org, trial_fp, policy, lam)
                trial_over = _over_budget(org, trial_fp, policy)
                trial_s = max(trial_s, time.perf_counter() - started)
                if trial_over < over - 0.5 or (trial_over <= over and trial_full < full - 1e-6 * abs(full)):
                    plan, fp, full, over = trial, trial_fp, trial_full, trial_over
                    trials.accept(state)
                    swaps += 1
                    improved = True
                    if progress and progress(0.9, f"local search on the full footprint: {swaps} improving "
                                                  "swap(s)"):
                        return plan, fp, full, swaps
                    break
            if improved:
                break
    return plan, fp, full, swaps
