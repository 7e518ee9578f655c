"""What drives the change: an exact, order-free attribution of a scenario's change.

The change between the baseline (today's estate under the baseline policy) and a
scenario is split between the *levers* the scenario moves:

==================== ==============================================================
consolidation        which sites are open and who goes where, at today's building
                     performance and today's floor area per person
building performance the hubs' energy intensities (refurbished hubs, design values at
                     full use) against each building's own intensity today (read at
                     the policy's ``intensity_reference_utilisation``)
space                the hub sizing rule (desks per peak attendee, peak factor,
                     m² per desk, fixed area per hub) against today's floor area
                     per person
ways of working      office days a week and the share of meetings held by video
factor set           the emission factor set
other assumptions    any other policy value the scenario changes
==================== ==============================================================

Each subset ``S`` of the levers defines a world: the levers in ``S`` at the
scenario's value, the others at the baseline's. Its footprint ``v(S)`` comes from
the ordinary accounting (:func:`footprint.accounting.account`) on an organisation
whose sites carry the floor areas and intensities of that world, and the effects
are the exact Shapley values of ``v`` (see :mod:`footprint.decisions.shapley`):
they add up to the total change and do not depend on the order of the levers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from footprint.accounting import CATEGORIES, Footprint, Plan, account, current_plan
from footprint.accounting.buildings import building_use
from footprint.accounting.plan import REMOTE
from footprint.decisions.shapley import shapley_values
from footprint.errors import FootprintError
from footprint.factors import FactorSet, load_factor_set
from footprint.inputs import Organisation, Policy
from footprint.inputs.columns import frozen

CONSOLIDATION = "consolidation"
BUILDING = "building"
SPACE = "space"
WAYS = "ways_of_working"
FACTORS = "factors"
OTHER = "other"

#: Reporting order and names of the levers.
LEVERS: dict[str, str] = {
    CONSOLIDATION: "Consolidation (sites and assignment)",
    BUILDING: "Building performance (hub energy intensity)",
    SPACE: "Space (desk sharing, m² per desk)",
    WAYS: "Ways of working (office days, video)",
    FACTORS: "Emission factor set",
    OTHER: "Other assumptions",
}

#: Policy fields each policy lever moves.
LEVER_FIELDS: dict[str, tuple[str, ...]] = {
    BUILDING: ("hub_electricity_kwh_per_m2", "hub_heating_kwh_per_m2"),
    SPACE: ("desk_sharing_ratio", "peak_factor", "m2_per_desk", "hub_fixed_area_m2"),
    WAYS: ("office_days_per_week", "video_share"),
    FACTORS: ("factor_set",),
}

#: Policy fields that change money or targets only, never emissions.
NON_EMISSION_FIELDS = (
    "npv_years",
    "npv_discount_rate",
    "hub_refit_share",
    "target_base_year",
    "target_year",
    "target_reduction",
    "target_base_tco2e",
    "carbon_price_gbp_per_t",
    "annual_budget_gbp",
    "commute_limit_report_minutes",
)

#: The per-organisation arrays that do not depend on floor areas or intensities
#: (copied into the modified organisation so they are not recomputed).
_CACHED = (
    "group_site",
    "group_mode",
    "_homes",
    "home_distance_km",
    "staff_distance_km",
    "site_distance_km",
)


class AttributionError(FootprintError):
    """The attribution cannot reproduce the result it is asked to explain."""


@dataclass(frozen=True)
class Effect:
    """One lever's share of the change.

    Attributes
    ----------
    key : str
        One of :data:`LEVERS`.
    name : str
    detail : str
        What the lever changes, baseline → scenario, in words.
    kgco2e : float
        Its Shapley value. [kg CO2e/yr]
    by_category_kgco2e : dict
        The same, by GHG category (:data:`~footprint.accounting.CATEGORIES`). [kg CO2e/yr]
    alone_kgco2e : float
        The change if this lever alone moved (the others at the baseline). [kg CO2e/yr]
    """

    key: str
    name: str
    detail: str
    kgco2e: float
    by_category_kgco2e: dict[str, float]
    alone_kgco2e: float

    @property
    def tco2e(self) -> float:
        """[t CO2e/yr]"""
        return self.kgco2e / 1000.0


@dataclass(frozen=True)
class Attribution:
    """The change of a scenario against its baseline, split between levers.

    ``effects`` add up to ``scenario_kgco2e − baseline_kgco2e`` (to rounding).
    """

    baseline_kgco2e: float
    scenario_kgco2e: float
    effects: tuple[Effect, ...]
    evaluations: int

    method = (
        "Exact Shapley values over the levers the scenario changes: each lever's effect is its "
        "marginal change averaged over every order of applying the levers, computed from the "
        "footprints of all 2^k combinations (k levers). The effects add up to the total change and "
        "do not depend on the order in which the levers are listed."
    )

    @property
    def change_kgco2e(self) -> float:
        """[kg CO2e/yr]"""
        return self.scenario_kgco2e - self.baseline_kgco2e

    def share(self, effect: Effect) -> float | None:
        """The effect as a share of the total change (None when there is no change). [fraction]"""
        change = self.change_kgco2e
        return (
            effect.kgco2e / change
            if abs(change) > 1e-9 * max(1.0, abs(self.baseline_kgco2e))
            else None
        )

    def rows(self) -> list[tuple[str, float, float | None, str]]:
        """Table rows: (effect, t CO2e/yr, share of the change, what it changes), then the total."""
        rows = [(e.name, e.tco2e, self.share(e), e.detail) for e in self.effects]
        rows.append(
            (
                "Total change",
                self.change_kgco2e / 1000.0,
                1.0 if self.effects else None,
                "",
            )
        )
        return rows

    def waterfall(self) -> list[tuple[str, float, float, float]]:
        """Waterfall bars: (label, start t, end t, value t): baseline, each effect, scenario."""
        b = self.baseline_kgco2e / 1000.0
        bars = [("Baseline", 0.0, b, b)]
        level = b
        for e in self.effects:
            bars.append((e.name, level, level + e.tco2e, e.tco2e))
            level += e.tco2e
        s = self.scenario_kgco2e / 1000.0
        bars.append(("Scenario", 0.0, s, s))
        return bars

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; emissions in t CO2e/yr."""
        return {
            "method": self.method,
            "baseline_tco2e": self.baseline_kgco2e / 1000.0,
            "scenario_tco2e": self.scenario_kgco2e / 1000.0,
            "change_tco2e": self.change_kgco2e / 1000.0,
            "evaluations": self.evaluations,
            "effects": [
                {
                    "key": e.key,
                    "name": e.name,
                    "detail": e.detail,
                    "tco2e": e.tco2e,
                    "share": self.share(e),
                    "alone_tco2e": e.alone_kgco2e / 1000.0,
                    "by_category_tco2e": {
                        k: v / 1000.0 for k, v in e.by_category_kgco2e.items()
                    },
                }
                for e in self.effects
            ],
        }


@dataclass(frozen=True, eq=False)
class _World:
    """Everything the value function needs, fixed for one attribution."""

    org: Organisation
    base_policy: Policy
    scen_policy: Policy
    base_factors: FactorSet
    scen_factors: FactorSet
    base_plan: Plan
    scen_plan: Plan
    hub_model: bool


def _policy_for(
    world: _World, levers: frozenset, other_fields: tuple[str, ...]
) -> Policy:
    changes: dict[str, Any] = {}
    for lever in levers:
        for f in other_fields if lever == OTHER else LEVER_FIELDS.get(lever, ()):
            changes[f] = getattr(world.scen_policy, f)
    return replace(world.base_policy, **changes)


def _site_staff(plan: Plan, count: np.ndarray, m: int) -> np.ndarray:
    a = plan.assignment
    keep = a != REMOTE
    return np.bincount(a[keep], weights=count[keep], minlength=m)


def todays_area_per_person_m2(org: Organisation) -> np.ndarray:
    """Floor area per member of staff of each office today (0 where nobody works). [m²/person]"""
    m = len(org.sites)
    staff = np.bincount(org.group_site, weights=org.staff.count, minlength=m)
    area = np.where(org.sites.is_office, org.sites.floor_area_m2, 0.0)
    return np.divide(area, staff, out=np.zeros(m), where=staff > 0)


def todays_desks_per_person(org: Organisation) -> np.ndarray:
    """Desks per member of staff of each office today (0 where nobody works). [desks/person]"""
    m = len(org.sites)
    staff = np.bincount(org.group_site, weights=org.staff.count, minlength=m)
    desks = np.where(org.sites.is_office, org.sites.desks, 0).astype(float)
    return np.divide(desks, staff, out=np.zeros(m), where=staff > 0)


def _buildings(
    world: _World, levers: frozenset, policy: Policy
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Plan]:
    """Floor area, desks, electricity and heating intensity of every site, and the plan, of one world.

    The desks are those building energy's utilisation is measured against
    (:func:`footprint.accounting.buildings.building_use`)."""
    org, s = world.org, world.org.sites
    consolidated = CONSOLIDATION in levers
    plan = world.scen_plan if consolidated else world.base_plan
    count = org.staff.count
    if world.hub_model and SPACE in levers:
        staff = _site_staff(plan, count, len(s))
        use = building_use(org, policy, plan.open_sites, staff, False)
        area, desks = use.floor_area_m2, use.utilised_desks
    elif consolidated:  # today's floor area and desks per person, moved with the people
        a = plan.assignment
        keep = a != REMOTE
        moved = {}
        for name, per_person in (("area", todays_area_per_person_m2(org)), ("desks", todays_desks_per_person(org))):
            moved[name] = np.bincount(
                a[keep], weights=(count * per_person[org.group_site])[keep], minlength=len(s)
            )
        area, desks = moved["area"], moved["desks"]
    else:
        area = np.where(plan.open_sites, s.floor_area_m2, 0.0)
        desks = s.desks
    if world.hub_model and BUILDING in levers:
        elec = np.full(len(s), policy.hub_electricity_kwh_per_m2)
        heat = np.full(len(s), policy.hub_heating_kwh_per_m2)
    else:
        elec, heat = s.electricity_kwh_per_m2, s.heating_kwh_per_m2
    return area, desks, elec, heat, plan


def _with_buildings(
    org: Organisation, area: np.ndarray, desks: np.ndarray, elec: np.ndarray, heat: np.ndarray
) -> Organisation:
    s = org.sites
    if (
        np.array_equal(area, s.floor_area_m2)
        and desks is s.desks
        and elec is s.electricity_kwh_per_m2
        and heat is s.heating_kwh_per_m2
    ):
        return org
    sites = replace(
        s,
        floor_area_m2=frozen(np.asarray(area, dtype=float)),
        desks=frozen(np.asarray(desks, dtype=float)),
        electricity_kwh_per_m2=frozen(np.asarray(elec, dtype=float)),
        heating_kwh_per_m2=frozen(np.asarray(heat, dtype=float)),
    )
    new = replace(org, sites=sites)
    for name in _CACHED:
        if name in org.__dict__:
            new.__dict__[name] = org.__dict__[name]
    return new


def world_footprint(
    world: _World, levers: frozenset, other_fields: tuple[str, ...] = ()
) -> Footprint:
    """The footprint of the world where ``levers`` take the scenario's values."""
    policy = _policy_for(world, levers, other_fields)
    area, desks, elec, heat, plan = _buildings(world, levers, policy)
    if world.hub_model and BUILDING in levers:
        # the hub intensities are design values at full use (u_ref = 1), not metered today
        policy = replace(policy, intensity_reference_utilisation=1.0)
    org = _with_buildings(world.org, area, desks, elec, heat)
    factors = world.scen_factors if FACTORS in levers else world.base_factors
    return account(
        org, policy, Plan(plan.open_sites, plan.assignment, True, plan.label), factors
    )


def _vector(fp: Footprint) -> np.ndarray:
    cats = fp.by_category()
    return np.array([cats[c] for c in CATEGORIES] + [fp.total_kgco2e])


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def changed_levers(world: _World) -> tuple[list[str], tuple[str, ...]]:
    """The levers that differ between baseline and scenario, and the 'other' policy fields that do."""
    bp, sp = world.base_policy, world.scen_policy
    levers = []
    same_plan = np.array_equal(
        world.base_plan.open_sites, world.scen_plan.open_sites
    ) and np.array_equal(world.base_plan.assignment, world.scen_plan.assignment)
    if not same_plan:
        levers.append(CONSOLIDATION)
    if world.hub_model:
        levers += [BUILDING, SPACE]
    for lever in (WAYS, FACTORS):
        if any(getattr(bp, f) != getattr(sp, f) for f in LEVER_FIELDS[lever]):
            levers.append(lever)
    if FACTORS not in levers and world.base_factors.id != world.scen_factors.id:
        levers.append(FACTORS)
    claimed = {f for fs in LEVER_FIELDS.values() for f in fs} | set(NON_EMISSION_FIELDS)
    other = tuple(
        f.name
        for f in fields(Policy)
        if f.name not in claimed and getattr(bp, f.name) != getattr(sp, f.name)
    )
    if other:
        levers.append(OTHER)
    return levers, other


def _details(world: _World, other: tuple[str, ...]) -> dict[str, str]:
    org, bp, sp = world.org, world.base_policy, world.scen_policy
    s = org.sites
    count = org.staff.count
    moved = float(count[world.scen_plan.assignment != world.base_plan.assignment].sum())
    office = s.is_office
    area = s.floor_area_m2[office]
    total = float(area.sum()) or 1.0
    e0 = float((area * s.electricity_kwh_per_m2[office]).sum()) / total
    h0 = float((area * s.heating_kwh_per_m2[office]).sum()) / total
    per_person = float(area.sum()) / float(count.sum())

    def pair(f: str, scale: float = 1.0, unit: str = "") -> str:
        a, b = getattr(bp, f), getattr(sp, f)
        return f"{_fmt(a * scale if isinstance(a, float) else a)} → {_fmt(b * scale if isinstance(b, float) else b)}{unit}"

    return {
        CONSOLIDATION: (
            f"{world.base_plan.n_open} offices → {world.scen_plan.n_open} sites open; "
            f"{moved:,.0f} staff change site"
        ),
        BUILDING: (
            f"hubs at {sp.hub_electricity_kwh_per_m2:g} kWh/m² electricity and {sp.hub_heating_kwh_per_m2:g} "
            f"kWh/m² heating, against each building's own today (estate average {e0:.1f} and {h0:.1f}"
            + (
                f", metered at {bp.intensity_reference_utilisation:g} desk utilisation)"
                if bp.intensity_reference_utilisation != 1.0
                else ")"
            )
        ),
        SPACE: (
            f"hubs sized at {sp.desk_sharing_ratio:g} desks per peak attendee (peak {sp.peak_factor:g}×), "
            f"{sp.m2_per_desk:g} m² per desk + {sp.hub_fixed_area_m2:g} m² per hub, against today's "
            f"{per_person:.1f} m² per person"
        ),
        WAYS: f"office days {pair('office_days_per_week', unit=' a week')}; video {pair('video_share', 100, ' %')}",
        FACTORS: f"{world.base_factors.id} → {world.scen_factors.id}",
        OTHER: "; ".join(f"{f.replace('_', ' ')} {pair(f)}" for f in other),
    }


def attribute_change(
    org: Organisation,
    base_policy: Policy,
    scen_policy: Policy,
    scen_plan: Plan,
    *,
    base_factors: FactorSet | None = None,
    scen_factors: FactorSet | None = None,
    baseline: Footprint | None = None,
    scenario: Footprint | None = None,
    order: Sequence[str] | None = None,
) -> Attribution:
    """Split the change from today's estate (``base_policy``) to ``scen_plan`` (``scen_policy``).

    Parameters
    ----------
    org : Organisation
    base_policy, scen_policy : Policy
    scen_plan : Plan
        The scenario's plan (hubs and assignment).
    base_factors, scen_factors : FactorSet, optional
        Default: loaded from each policy's ``factor_set``.
    baseline, scenario : Footprint, optional
        The footprints already computed; used as the two ends of the waterfall
        after checking that the attribution reproduces them (to 1e-9 relative).
    order : sequence of str, optional
        Order in which effects are reported (default :data:`LEVERS`' order). The
        values do not depend on it.

    Raises
    ------
    AttributionError
        When ``baseline``/``scenario`` are not reproduced (e.g. a baseline computed
        under another policy than ``base_policy``).
    """
    world = _World(
        org,
        base_policy,
        scen_policy,
        base_factors
        if base_factors is not None
        else load_factor_set(base_policy.factor_set),
        scen_factors
        if scen_factors is not None
        else load_factor_set(scen_policy.factor_set),
        current_plan(org),
        scen_plan,
        not scen_plan.current_estate,
    )
    levers, other = changed_levers(world)
    if order is not None:
        levers = [k for k in order if k in levers] + [
            k for k in levers if k not in order
        ]
    cache: dict[frozenset, np.ndarray] = {}

    def value(subset: frozenset) -> np.ndarray:
        if subset not in cache:
            cache[subset] = _vector(world_footprint(world, subset, other))
        return cache[subset]

    ends = {frozenset(): baseline, frozenset(levers): scenario}
    for subset, fp in ends.items():
        if fp is None:
            continue
        mine = value(subset)[-1]
        if not np.isclose(mine, fp.total_kgco2e, rtol=1e-9, atol=1e-6):
            which = "baseline" if not subset else "scenario"
            raise AttributionError(
                f"the attribution does not reproduce the {which} footprint ({mine / 1000:,.3f} against "
                f"{fp.total_kgco2e / 1000:,.3f} t CO2e): was the {which} computed under another policy or plan?"
            )
        cache[subset] = _vector(fp)
    values = shapley_values(levers, value)
    alone = {k: value(frozenset({k}))[-1] - value(frozenset())[-1] for k in levers}
    text = _details(world, other)
    effects = tuple(
        Effect(
            k,
            LEVERS[k],
            text[k],
            float(values[k][-1]),
            {c: float(values[k][i]) for i, c in enumerate(CATEGORIES)},
            float(alone[k]),
        )
        for k in (levers if order is not None else [k for k in LEVERS if k in levers])
    )
    return Attribution(
        float(value(frozenset())[-1]),
        float(value(frozenset(levers))[-1]),
        effects,
        len(cache),
    )


def attribute(result: Any, baseline: Any = None) -> Attribution:
    """The attribution of a :class:`~footprint.scenario.run.ScenarioResult`.

    ``baseline`` is the baseline :class:`~footprint.scenario.schema.Scenario` the result
    was run against; by default the one the scenario names (as
    :func:`~footprint.scenario.run.run_scenario` does), else the scenario's own policy.
    """
    scenario = result.scenario
    if baseline is None and scenario.baseline:
        from footprint.scenario.files import load_scenario

        baseline = load_scenario(scenario.resolve(scenario.baseline))
    base_scenario = baseline if baseline is not None else scenario
    return attribute_change(
        result.organisation,
        base_scenario.policy,
        scenario.policy,
        result.plan,
        base_factors=load_factor_set(_factor_path(base_scenario)),
        scen_factors=load_factor_set(_factor_path(scenario)),
        baseline=result.baseline,
        scenario=result.footprint,
    )


def _factor_path(scenario: Any) -> str | Path:
    fs = scenario.policy.factor_set
    return scenario.resolve(fs) if fs.endswith(".toml") else fs
