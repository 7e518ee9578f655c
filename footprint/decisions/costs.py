"""What an estate costs a year, what a move costs once, and whether it pays back.

Annual cost of the organisation (from a :class:`~footprint.accounting.Footprint`):

- estate: floor area × (rent + business rates + service charge), or × the site's
  own ``annual_cost_per_m2`` where the sites table gives it; London rents within
  ``london_radius_km`` of Charing Cross, regional rents elsewhere;
- energy: each site's electricity, gas and district-heat kWh × unit price;
- business travel: person-km by mode × price per km, hotel nights × price a night.

Commuting is paid by staff, not the organisation: it is reported separately.

One-off cost of a move (hub plans only): Cat A + Cat B fit-out of floor area a hub
adds, Cat B refit of ``hub_refit_share`` of the area it keeps (London prices, × a
regional factor elsewhere), dilapidations on area vacated, and relocation per person
who changes site. The same areas × kg CO2e/m² give the embodied carbon of the
fit-out (GHG Protocol Scope 3 cat. 2, capital goods), a one-off.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from footprint.accounting import Footprint, Plan
from footprint.accounting.plan import REMOTE
from footprint.accounting.result import CAT_BUSINESS_TRAVEL, CAT_COMMUTING
from footprint.decisions.defaults import CostDefaults, load_cost_defaults
from footprint.geo.distance import distance_km
from footprint.inputs import Organisation, Policy

#: Charing Cross, the conventional centre of London. [degrees]
LONDON_LAT, LONDON_LON = 51.5074, -0.1278

_COMMUTE_KEY = {
    "rail_national": "commute_rail",
    "underground": "commute_urban_rail",
    "light_rail": "commute_urban_rail",
    "bus_local": "commute_bus",
    "coach": "commute_bus",
    "walk": "commute_other",
    "cycle": "commute_other",
}


def in_london(org: Organisation, defaults: CostDefaults) -> np.ndarray:
    """Sites that pay London prices (GB sites within ``london_radius_km`` of Charing Cross)."""
    s = org.sites
    near = distance_km(s.lat, s.lon, LONDON_LAT, LONDON_LON) <= defaults.cost(
        "london_radius_km"
    )
    return near & np.array([c == "GB" for c in s.country])


@dataclass(frozen=True)
class AnnualCost:
    """Annual cost of one footprint. [GBP/yr]

    ``site_data`` is occupancy cost taken from the sites table's
    ``annual_cost_per_m2``; ``rent``, ``rates`` and ``service_charge`` are the
    defaults for the other sites. ``commuting_staff`` is paid by staff and is not
    in :attr:`organisation_total`.
    """

    rent: float
    rates: float
    service_charge: float
    site_data: float
    electricity: float
    gas: float
    district_heat: float
    travel: float
    hotels: float
    commuting_staff: float
    sites_with_data: int = 0
    sites_open: int = 0

    @property
    def estate(self) -> float:
        return self.rent + self.rates + self.service_charge + self.site_data

    @property
    def energy(self) -> float:
        return self.electricity + self.gas + self.district_heat

    @property
    def business_travel(self) -> float:
        return self.travel + self.hotels

    @property
    def organisation_total(self) -> float:
        """Estate + energy + business travel (commuting excluded). [GBP/yr]"""
        return self.estate + self.energy + self.business_travel

    def items(self) -> list[tuple[str, float]]:
        """(label, GBP/yr) lines, organisation's costs first, then staff's commuting."""
        return [
            ("Rent", self.rent),
            ("Business rates", self.rates),
            ("Service charge", self.service_charge),
            ("Occupancy cost from site data", self.site_data),
            ("Electricity", self.electricity),
            ("Gas", self.gas),
            ("District heat", self.district_heat),
            ("Business travel fares", self.travel),
            ("Hotel nights", self.hotels),
            ("Total to the organisation", self.organisation_total),
            ("Commuting (paid by staff)", self.commuting_staff),
        ]


def annual_cost(
    org: Organisation,
    fp: Footprint,
    policy: Policy,
    defaults: CostDefaults | None = None,
) -> AnnualCost:
    """The annual cost of a footprint's estate, energy and travel. [GBP/yr]"""
    d = defaults if defaults is not None else load_cost_defaults()
    st = fp.sites
    area = np.where(st.open, st.floor_area_m2, 0.0)
    own = np.isfinite(org.sites.annual_cost_per_m2)
    london = in_london(org, d)
    rent_rate = np.where(london, d.cost("rent_london"), d.cost("rent_regions"))
    service_rate = np.where(
        london, d.cost("service_charge_london"), d.cost("service_charge_regions")
    )
    default_area = np.where(own, 0.0, area)
    rent = float((default_area * rent_rate).sum())
    fuel = np.asarray(org.sites.heating_fuel)
    elec_kwh = st.electricity_kwh + np.where(fuel == "electric", st.heating_kwh, 0.0)
    travel = hotels = commute = 0.0
    for line in fp.lines:
        key = line.factor_keys[0] if line.factor_keys else ""
        if line.category == CAT_BUSINESS_TRAVEL:
            if line.item == "Hotel nights":
                hotels += line.activity * d.cost("hotel_night")
            elif key.startswith("car"):
                travel += line.activity * d.cost("travel_car")
            elif key.startswith("rail"):
                travel += line.activity * d.cost("travel_rail")
            elif key.startswith("air"):
                travel += line.activity * d.cost("travel_air")
        elif (
            line.category == CAT_COMMUTING
            and line.activity_unit == "person-km"
            and "Well-to-tank" not in line.item
        ):
            if key in _COMMUTE_KEY:
                commute += line.activity * d.cost(_COMMUTE_KEY[key])
            else:  # cars, motorbikes and taxis: a vehicle-km shared by car_occupancy people
                commute += line.activity * d.cost("commute_car") / policy.car_occupancy
    return AnnualCost(
        rent=rent,
        rates=rent * d.cost("rates_multiplier"),
        service_charge=float((default_area * service_rate).sum()),
        site_data=float(
            (
                np.where(own, area, 0.0) * np.nan_to_num(org.sites.annual_cost_per_m2)
            ).sum()
        ),
        electricity=float(
            (np.where(st.open, elec_kwh, 0.0)).sum() * d.cost("electricity")
        ),
        gas=float(
            np.where(st.open & (fuel == "gas"), st.heating_kwh, 0.0).sum()
            * d.cost("gas")
        ),
        district_heat=float(
            np.where(st.open & (fuel == "district"), st.heating_kwh, 0.0).sum()
            * d.cost("district_heat")
        ),
        travel=travel,
        hotels=hotels,
        commuting_staff=commute,
        sites_with_data=int((own & st.open).sum()),
        sites_open=int(st.open.sum()),
    )


@dataclass(frozen=True)
class MoveCost:
    """The one-off cost and embodied carbon of moving to a plan.

    Areas [m²], costs [GBP], embodied carbon [kg CO2e] with a low–high range.
    """

    new_area_m2: float = 0.0
    refit_area_m2: float = 0.0
    vacated_area_m2: float = 0.0
    people_moved: float = 0.0
    fit_out_cat_a: float = 0.0
    fit_out_cat_b: float = 0.0
    dilapidations: float = 0.0
    relocation: float = 0.0
    embodied_kgco2e: float = 0.0
    embodied_lo_kgco2e: float = 0.0
    embodied_hi_kgco2e: float = 0.0

    @property
    def total(self) -> float:
        """One-off cost. [GBP]"""
        return (
            self.fit_out_cat_a
            + self.fit_out_cat_b
            + self.dilapidations
            + self.relocation
        )

    def items(self) -> list[tuple[str, float]]:
        return [
            ("Fit-out Cat A (new area)", self.fit_out_cat_a),
            ("Fit-out Cat B (new and refitted area)", self.fit_out_cat_b),
            ("Dilapidations (area vacated)", self.dilapidations),
            ("Relocation (people moved)", self.relocation),
            ("One-off total", self.total),
        ]


def move_cost(
    org: Organisation,
    plan: Plan,
    fp: Footprint,
    baseline: Footprint,
    policy: Policy,
    defaults: CostDefaults | None = None,
) -> MoveCost:
    """One-off cost and embodied carbon of moving from today's estate to ``plan``.

    Nothing is fitted out or vacated when ``plan`` is today's estate.
    """
    d = defaults if defaults is not None else load_cost_defaults()
    if plan.current_estate:
        return MoveCost()
    before = np.where(baseline.sites.open, baseline.sites.floor_area_m2, 0.0)
    after = np.where(fp.sites.open, fp.sites.floor_area_m2, 0.0)
    new = np.maximum(after - before, 0.0)
    refit = policy.hub_refit_share * np.minimum(after, before)
    vacated = float(np.maximum(before - after, 0.0).sum())
    price = np.where(in_london(org, d), 1.0, d.cost("regional_fit_out_factor"))
    a = plan.assignment
    moved = float(org.staff.count[(a != REMOTE) & (a != org.group_site)].sum())
    ea, eb = d.embodied["fit_out_cat_a"], d.embodied["fit_out_cat_b"]
    new_m2, refit_m2 = float(new.sum()), float(refit.sum())

    def embodied(cat_a: float, cat_b: float) -> float:
        return new_m2 * (cat_a + cat_b) + refit_m2 * cat_b

    return MoveCost(
        new_area_m2=new_m2,
        refit_area_m2=refit_m2,
        vacated_area_m2=vacated,
        people_moved=moved,
        fit_out_cat_a=float((new * price).sum() * d.cost("fit_out_cat_a")),
        fit_out_cat_b=float(((new + refit) * price).sum() * d.cost("fit_out_cat_b")),
        dilapidations=vacated * d.cost("dilapidations"),
        relocation=moved * d.cost("relocation"),
        embodied_kgco2e=embodied(ea.value, eb.value),
        embodied_lo_kgco2e=embodied(ea.lo, eb.lo),
        embodied_hi_kgco2e=embodied(ea.hi, eb.hi),
    )


def annuity_factor(years: float, rate: float) -> float:
    """Present value of 1 a year for ``years`` years at ``rate`` (end of year). [yr]"""
    n = int(round(years))
    if rate == 0:
        return float(n)
    return float(sum((1.0 + rate) ** -t for t in range(1, n + 1)))


@dataclass(frozen=True)
class Appraisal:
    """Cost, payback and cost per tonne of a scenario against its baseline.

    Attributes
    ----------
    baseline, scenario : AnnualCost
    move : MoveCost
    annual_saving_gbp : float
        Baseline minus scenario cost to the organisation. [GBP/yr]
    npv_gbp : float
        −one-off + saving × annuity factor over ``years`` at ``rate``. [GBP]
    payback_years : float or None
        One-off / annual saving (None when it never pays back). [yr]
    avoided_tco2e : float
        Baseline minus scenario footprint. [t CO2e/yr]
    cost_per_tco2e_gbp : float or None
        (one-off ÷ annuity factor − annual saving) / t avoided a year: negative when
        the scenario saves money as well as carbon (None when nothing is avoided). [GBP/t CO2e]
    embodied_tco2e : float
        One-off embodied carbon of the fit-out. [t CO2e]
    carbon_payback_years : float or None
        Embodied carbon / t avoided a year (0 with no fit-out; None when nothing is avoided). [yr]
    """

    baseline: AnnualCost
    scenario: AnnualCost
    move: MoveCost
    years: float
    rate: float
    annual_saving_gbp: float
    npv_gbp: float
    payback_years: float | None
    avoided_tco2e: float
    cost_per_tco2e_gbp: float | None
    embodied_tco2e: float
    carbon_payback_years: float | None
    defaults: CostDefaults = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    embodied_interval_tco2e: tuple[float, float, float] | None = None
    carbon_payback_interval_years: tuple[float, float, float] | None = None

    def to_dict(self) -> dict:
        """JSON-ready (GBP, t CO2e, years)."""
        return {
            "currency": "GBP",
            "annual_cost_gbp": {
                "baseline": dict(self.baseline.items()),
                "scenario": dict(self.scenario.items()),
            },
            "annual_saving_gbp": self.annual_saving_gbp,
            "one_off_gbp": dict(self.move.items()),
            "areas_m2": {
                "new": self.move.new_area_m2,
                "refitted": self.move.refit_area_m2,
                "vacated": self.move.vacated_area_m2,
            },
            "people_moved": self.move.people_moved,
            "simple_payback_years": self.payback_years,
            "npv_gbp": self.npv_gbp,
            "npv_years": self.years,
            "npv_discount_rate": self.rate,
            "avoided_tco2e_per_year": self.avoided_tco2e,
            "cost_per_tco2e_avoided_gbp": self.cost_per_tco2e_gbp,
            "embodied_tco2e": self.embodied_tco2e,
            "embodied_range_tco2e": [
                self.move.embodied_lo_kgco2e / 1000,
                self.move.embodied_hi_kgco2e / 1000,
            ],
            "carbon_payback_years": self.carbon_payback_years,
            "embodied_p05_p50_p95_tco2e": self.embodied_interval_tco2e,
            "carbon_payback_p05_p50_p95_years": None
            if self.carbon_payback_interval_years is None
            else [
                None if not np.isfinite(v) else v
                for v in self.carbon_payback_interval_years
            ],
        }


def appraise(
    org: Organisation,
    plan: Plan,
    fp: Footprint,
    baseline: Footprint,
    policy: Policy,
    defaults: CostDefaults | None = None,
    baseline_policy: Policy | None = None,
) -> Appraisal:
    """Annual and one-off costs, payback, NPV, cost per tonne and carbon payback of ``plan``."""
    d = defaults if defaults is not None else load_cost_defaults()
    base_cost = annual_cost(org, baseline, baseline_policy or policy, d)
    scen_cost = annual_cost(org, fp, policy, d)
    move = move_cost(org, plan, fp, baseline, policy, d)
    saving = base_cost.organisation_total - scen_cost.organisation_total
    af = annuity_factor(policy.npv_years, policy.npv_discount_rate)
    avoided = (baseline.total_kgco2e - fp.total_kgco2e) / 1000.0
    embodied_t = move.embodied_kgco2e / 1000.0
    intervals: tuple = (None, None)
    if move.embodied_kgco2e > 0:
        from footprint.accounting.uncertainty import carbon_payback_uncertainty

        e, p = carbon_payback_uncertainty(
            fp,
            baseline,
            move.embodied_kgco2e,
            move.embodied_lo_kgco2e,
            move.embodied_hi_kgco2e,
        )
        intervals = ((e.p05, e.p50, e.p95), (p.p05, p.p50, p.p95))
    return Appraisal(
        baseline=base_cost,
        scenario=scen_cost,
        move=move,
        years=policy.npv_years,
        rate=policy.npv_discount_rate,
        annual_saving_gbp=saving,
        npv_gbp=-move.total + saving * af,
        payback_years=(0.0 if move.total == 0 else move.total / saving)
        if saving > 0
        else None,
        avoided_tco2e=avoided,
        cost_per_tco2e_gbp=(move.total / af - saving) / avoided
        if avoided > 0
        else None,
        embodied_tco2e=embodied_t,
        carbon_payback_years=(
            embodied_t / avoided if avoided > 0 else (0.0 if embodied_t == 0 else None)
        ),
        defaults=d,
        embodied_interval_tco2e=intervals[0],
        carbon_payback_interval_years=intervals[1],
    )


# --- money in the optimiser (a carbon price) ---------------------------------------------------
def occupancy_gbp_per_m2(
    org: Organisation, defaults: CostDefaults | None = None
) -> np.ndarray:
    """Occupancy cost of each site: its ``annual_cost_per_m2``, else rent + rates + service charge. [GBP/m²/yr]"""
    d = defaults if defaults is not None else load_cost_defaults()
    london = in_london(org, d)
    rent = np.where(london, d.cost("rent_london"), d.cost("rent_regions"))
    service = np.where(
        london, d.cost("service_charge_london"), d.cost("service_charge_regions")
    )
    default = rent * (1.0 + d.cost("rates_multiplier")) + service
    own = org.sites.annual_cost_per_m2
    return np.where(np.isfinite(own), own, default)


def heat_gbp_per_kwh(
    org: Organisation, defaults: CostDefaults | None = None
) -> np.ndarray:
    """Price of a kWh of heating at each site, by its heating fuel. [GBP/kWh]"""
    d = defaults if defaults is not None else load_cost_defaults()
    fuel = np.asarray(org.sites.heating_fuel)
    return np.where(
        fuel == "gas",
        d.cost("gas"),
        np.where(fuel == "electric", d.cost("electricity"), d.cost("district_heat")),
    )


def relocation_gbp_per_year(
    policy: Policy, defaults: CostDefaults | None = None
) -> float:
    """Relocation cost of one person, spread over the appraisal period (÷ annuity factor). [GBP/person/yr]"""
    d = defaults if defaults is not None else load_cost_defaults()
    return d.cost("relocation") / annuity_factor(
        policy.npv_years, policy.npv_discount_rate
    )


def optimiser_cost_gbp(
    org: Organisation,
    fp: Footprint,
    policy: Policy,
    defaults: CostDefaults | None = None,
) -> float:
    """The money the optimiser weighs for a plan's footprint: annual cost to the organisation plus
    relocation of people who change site, annualised. [GBP/yr]"""
    d = defaults if defaults is not None else load_cost_defaults()
    a = fp.groups.site
    moved = float(fp.groups.count[(a != REMOTE) & (a != org.group_site)].sum())
    return annual_cost(
        org, fp, policy, d
    ).organisation_total + moved * relocation_gbp_per_year(policy, d)


def kg_per_gbp(policy: Policy) -> float:
    """Carbon-equivalent weight of one pound under the policy's carbon price (0: no price). [kg CO2e/GBP]"""
    price = policy.carbon_price_gbp_per_t
    return 0.0 if price is None else 1000.0 / price
