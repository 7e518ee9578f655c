"""Policy: the scenario's levers (the workshop sliders), validated.

Every field carries its unit, allowed range and a one-line description in its
metadata, so the scenario reader, the CLI and the app share one definition.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from footprint.errors import InputError, Problem


def _p(default: Any, lo: float | None, hi: float | None, unit: str, help: str, choices: tuple = ()) -> Any:
    return field(default=default, metadata={"lo": lo, "hi": hi, "unit": unit, "help": help, "choices": choices})


@dataclass(frozen=True)
class Policy:
    """The levers of a scenario. All values annual unless stated.

    See :data:`POLICY_FIELDS` for units and ranges; invalid values raise
    :class:`~footprint.errors.InputError` naming the field and the allowed range.
    """

    office_days_per_week: float = _p(3.0, 0, 5, "days/week", "Days a week staff work at their hub")
    working_days_per_year: float = _p(225.0, 100, 366, "days/yr", "Working days a year per full-time person")
    hours_per_day: float = _p(7.5, 1, 24, "h/day", "Working hours a day (homeworking factor basis)")
    video_share: float = _p(0.3, 0, 1, "share", "Share of cross-site meetings held by video instead of travel")
    desk_sharing_ratio: float = _p(
        0.8, 0.1, 2, "desks/peak attendee",
        "Desks provided per person present at peak, never fewer than an average day's attendees",
    )
    peak_factor: float = _p(1.2, 1, 3, "×", "Peak-day attendance relative to the average day")
    m2_per_desk: float = _p(12.0, 4, 40, "m²/desk", "Gross floor area per desk in a hub")
    hub_fixed_area_m2: float = _p(
        500.0, 0, 100_000, "m²/hub",
        "Floor area every open hub needs whatever its headcount (reception, meeting rooms, kitchens, plant)",
    )
    hub_electricity_kwh_per_m2: float = _p(75.0, 0, 500, "kWh/m²/yr", "Electricity intensity of a refurbished hub")
    hub_heating_kwh_per_m2: float = _p(80.0, 0, 500, "kWh/m²/yr", "Heating intensity of a refurbished hub")
    intensity_reference_utilisation: float = _p(
        1.0, 0.01, 1, "share",
        "Desk utilisation at which today's buildings' energy intensities were measured; 1 = at full use "
        "(design/benchmark values); set it to today's utilisation when your intensities are metered under "
        "today's attendance, in the baseline's scenario file (hubs' intensities are design values at full use)",
    )
    factor_set: str = _p("desnz-2025", None, None, "", "Emission factor set (id or path to a TOML file)")
    factor_set_baseline: str = _p(
        "same", None, None, "",
        "Factor set of the baseline: the scenario's own set, like with like (same), or the set the baseline "
        "scenario names, with the factor-set effect shown as its own line of the change (own)",
        ("same", "own"),
    )
    scope2_total: str = _p(
        "location", None, None, "",
        "Which Scope 2 figure the total uses: location-based (grid average, the default) or market-based "
        "(contracts, REGOs, residual mix); both are always reported",
        ("location", "market"),
    )
    radiative_forcing: bool = _p(True, None, None, "", "Include radiative forcing for flights (DESNZ recommends it)")
    cabin_class: str = _p(
        "average", None, None, "",
        "Cabin class of business flights (DESNZ recommends average passenger when unknown)",
        ("average", "economy", "premium_economy", "business", "first"),
    )
    well_to_tank: bool = _p(False, None, None, "", "Add well-to-tank emissions of fuels and electricity (Scope 3)")
    include_homeworking: bool = _p(True, None, None, "", "Report homeworking emissions (GHG Protocol cat. 7, optional)")
    circuity_road: float = _p(1.3, 1, 3, "×", "Road distance / great-circle distance")
    circuity_rail: float = _p(1.2, 1, 3, "×", "Rail distance / great-circle distance")
    circuity_bus: float = _p(1.5, 1, 3, "×", "Bus route distance / great-circle distance")
    car_occupancy: float = _p(1.0, 1, 7, "people/car", "People per car on a commute (1 = drives alone)")
    max_commute_km: float | None = _p(None, 1, 1000, "km", "Longest acceptable one-way commute (travel distance)")
    max_commute_minutes: float | None = _p(None, 5, 600, "min", "Longest acceptable one-way commute time")
    beyond_limit: str = _p(
        "remote", None, None, "",
        "Staff beyond the commute limit: become remote workers (remote), commute anyway and are counted "
        "(commute), or the limit is hard and such a plan is infeasible (forbid)",
        ("remote", "commute", "forbid"),
    )
    business_car_max_km: float = _p(50.0, 0, 10000, "km", "Business trips shorter than this go by car")
    business_rail_max_km: float = _p(500.0, 0, 20000, "km", "…longer trips up to this go by rail, beyond by air")
    hotel_min_km: float = _p(250.0, 0, 20000, "km", "One-way trips longer than this need a hotel night")
    commute_limit_report_minutes: float = _p(60.0, 5, 600, "min", "Threshold for 'staff over N minutes' statistics")
    npv_years: float = _p(10.0, 1, 60, "yr", "Years over which the move's costs and savings are appraised (NPV)")
    npv_discount_rate: float = _p(
        0.035, 0, 0.3, "share/yr", "Real discount rate of the NPV (HM Treasury Green Book: 3.5 % a year)"
    )
    hub_refit_share: float = _p(
        1.0, 0, 1, "share",
        "Share of a hub's existing floor area refitted (Cat B) in the move; area a hub adds is fitted out Cat A + B",
    )
    target_base_year: float = _p(2019.0, 1990, 2100, "year", "Base year of the reduction target")
    target_year: float = _p(2030.0, 1990, 2100, "year", "Year by which the reduction target is to be met")
    target_reduction: float = _p(
        0.42, 0, 1, "share", "Reduction target against the base year (0.42 = −42 %, an SBTi-style near-term target)"
    )
    carbon_price_gbp_per_t: float | None = _p(
        None, 1, 100_000, "GBP/t CO2e",
        "Carbon price for the optimiser: minimise price × emissions + cost to the organisation (empty: emissions only)",
    )
    annual_budget_gbp: float | None = _p(
        None, 1, 1e12, "GBP/yr",
        "Annual budget: the optimised plan's annual cost to the organisation (estate, energy, business travel) "
        "must not exceed it (empty: no budget)",
    )
    target_base_tco2e: float | None = _p(
        None, 0, 1e9, "t CO2e/yr", "Footprint in the base year (empty: the baseline stands in for it)"
    )

    def __post_init__(self) -> None:
        problems = validate_policy_values({f.name: getattr(self, f.name) for f in fields(self)})
        if problems:
            raise InputError(problems, "invalid policy")
        for f in fields(self):  # TOML may give 3 for 3.0: store floats, so round trips are exact
            value = getattr(self, f.name)
            if _expected_type(f) is float and value is not None:
                object.__setattr__(self, f.name, float(value))

    @property
    def office_days_per_year(self) -> float:
        """Days a year at the office. [days/yr]"""
        return self.working_days_per_year * self.office_days_per_week / 5.0

    @property
    def home_days_per_year(self) -> float:
        """Days a year working from home. [days/yr]"""
        return self.working_days_per_year - self.office_days_per_year

    def circuity(self, network: str) -> float:
        """Circuity for a network: ``"road"``, ``"rail"`` or ``"bus"``."""
        return {"road": self.circuity_road, "rail": self.circuity_rail, "bus": self.circuity_bus}[network]

    @classmethod
    def from_mapping(cls, values: dict[str, Any], source: str = "policy") -> Policy:
        """Build from a mapping (e.g. a scenario file's ``[policy]`` table).

        Unknown keys and wrong types are reported with the key's name and what
        is allowed.
        """
        known = {f.name for f in fields(cls)}
        problems = [
            Problem(f"unknown key; allowed keys: {', '.join(sorted(known))}", source, None, k)
            for k in values
            if k not in known
        ]
        problems += validate_policy_values({k: v for k, v in values.items() if k in known}, source)
        if problems:
            raise InputError(problems, f"invalid {source}")
        return cls(**values)

    def to_mapping(self) -> dict[str, Any]:
        """Plain values, omitting None (TOML has no null)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


POLICY_FIELDS = {f.name: f for f in fields(Policy)}


def _expected_type(f: Any) -> type:
    default = f.default if f.default is not MISSING else None
    if f.name in ("max_commute_km", "max_commute_minutes", "target_base_tco2e", "carbon_price_gbp_per_t",
                  "annual_budget_gbp"):
        return float
    return type(default)


def validate_policy_values(values: dict[str, Any], source: str = "policy") -> list[Problem]:
    """Check types and ranges of policy values; one :class:`Problem` per bad key."""
    problems = []
    for key, value in values.items():
        f = POLICY_FIELDS.get(key)
        if f is None:
            continue
        md, typ = f.metadata, _expected_type(f)
        if value is None and f.default is None:
            continue
        if typ is bool:
            if not isinstance(value, bool):
                problems.append(Problem(f"must be true or false, got {value!r}", source, None, key))
            continue
        if typ is str:
            if not isinstance(value, str) or not value:
                problems.append(Problem(f"must be a non-empty string, got {value!r}", source, None, key))
            elif md["choices"] and value not in md["choices"]:
                problems.append(Problem(f"must be one of {', '.join(md['choices'])}, got {value!r}", source, None, key))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(Problem(f"must be a number [{md['unit']}], got {value!r}", source, None, key))
            continue
        lo, hi = md["lo"], md["hi"]
        if value != value or (lo is not None and value < lo) or (hi is not None and value > hi):
            problems.append(
                Problem(f"{value!r} is out of range; allowed {lo:g} to {hi:g} [{md['unit']}]", source, None, key)
            )
    return problems
