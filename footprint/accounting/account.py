"""The orchestrator: the annual footprint of a plan under a policy.

Every line is an activity times a factor from the policy's factor set; the
result carries the factor trail (value, unit, year, source of each factor used).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from footprint.accounting.buildings import building_use, occupancy_shares
from footprint.accounting.business_travel import (
    AIR_DOMESTIC,
    CAR,
    RAIL_INTERNATIONAL,
    RAIL_NATIONAL,
    TRAVEL_CODES,
    hub_trips,
    travel_codes,
)
from footprint.accounting.commute import (
    KEY_LABELS,
    commute_emissions_kg,
    commute_factor_keys,
    commute_legs,
    factor_per_person_km,
    travel_distance_km,
)
from footprint.accounting.places import london_sites
from footprint.accounting.plan import REMOTE, Plan
from footprint.accounting.result import (
    CAT_BUSINESS_TRAVEL,
    CAT_COMMUTING,
    CAT_ELECTRICITY,
    CAT_ENERGY_UPSTREAM,
    CAT_HEATING,
    CAT_HOMEWORKING,
    CAT_LEASED,
    CAT_SCOPE2_MEMO,
    CAT_VIDEO,
    MEMO,
    SCOPE_1,
    SCOPE_2,
    SCOPE_3,
    EmissionLine,
    Footprint,
    GroupTable,
    SiteTable,
    over_capacity_sentence,
)
from footprint.accounting.stats import commute_stats
from footprint.factors import (
    UPSTREAM_KEYS,
    Factor,
    FactorSet,
    grid_intensity,
    hotel_night,
    load_factor_set,
    residual_mix,
    upstream_stand_in,
)
from footprint.inputs import MODES, Organisation, Policy


class _Trail:
    """Collects the factors used, keyed by a stable name."""

    def __init__(self, factors: FactorSet):
        self.factors = factors
        self.used: dict[str, Factor] = {}

    def value(self, key: str) -> float:
        f = self.factors[key]
        self.used[key] = f
        return f.value

    def add(self, name: str, factor: Factor) -> float:
        self.used[name] = factor
        return factor.value


def account(org: Organisation, policy: Policy, plan: Plan, factors: FactorSet | None = None) -> Footprint:
    """Annual footprint of ``plan`` under ``policy``, by scope and category.

    Parameters
    ----------
    org : Organisation
    policy : Policy
    plan : Plan
        Open sites and assignment (see :func:`~footprint.accounting.plan.current_plan`).
    factors : FactorSet, optional
        Defaults to ``load_factor_set(policy.factor_set)``.

    Returns
    -------
    Footprint
    """
    fs = factors if factors is not None else load_factor_set(policy.factor_set)
    trail = _Trail(fs)
    notes: list[str] = []
    lines: list[EmissionLine] = []
    n, m = len(org.staff), len(org.sites)
    count = org.staff.count
    a = plan.assignment
    remote = a == REMOTE
    site = np.where(remote, 0, a)

    # --- commuting (Scope 3 cat. 7) ------------------------------------------------
    geo_km = np.where(remote, 0.0, org.group_distance_km(site))
    legs = commute_legs(org, policy, geo_km)
    travel_km = legs.travel_km
    minutes = np.where(remote, 0.0, legs.minutes)
    current_km = travel_distance_km(org, policy, org.group_distance_km(org.group_site))
    countries = np.asarray(org.sites.country, dtype=str)
    in_london = london_sites(org.sites.lat, org.sites.lon, org.sites.country)
    key_idx, key_names = commute_factor_keys(fs, legs.mode, countries[site], in_london[site])
    n_keys = len(key_names)
    pairs = legs.mode * n_keys + key_idx
    present = np.unique(pairs[~remote]) if (~remote).any() else np.unique(legs.mode) * n_keys + np.unique(legs.mode)
    used = [(int(p // n_keys), key_names[int(p % n_keys)]) for p in present]
    for _k, key in used:
        trail.value(key)
    ef = factor_per_person_km(fs, policy, key_idx, key_names, legs.mode)
    office_days = policy.office_days_per_year
    commute_kg = np.where(remote, 0.0, commute_emissions_kg(count, travel_km, ef, office_days))
    pkm = np.where(remote, 0.0, count * office_days * 2.0 * travel_km)
    for k, key in used:
        sel = pairs == k * n_keys + key_names.index(key)
        lines.append(
            EmissionLine(SCOPE_3, CAT_COMMUTING, MODES[k].label + KEY_LABELS.get(key, ""),
                         float(commute_kg[sel].sum()), float(pkm[sel].sum()), "person-km", (key,))
        )
    switched = float(count[~remote & (legs.mode != org.group_mode)].sum())
    if switched > 0:
        notes.append(f"{switched:,.0f} staff commute beyond the range of their usual mode (walk 3 km, cycle 12 km, "
                     "bus 50 km, tram/Underground 25 km) and are counted by the mode they would switch to.")
    if policy.well_to_tank:
        wtt = factor_per_person_km(fs, policy, key_idx, key_names, legs.mode, well_to_tank=True)
        wtt_keys = [f"wtt_{key}" for _k, key in used]
        for key in wtt_keys:
            if key in fs:
                trail.value(key)
        missing = [MODES[k].label + KEY_LABELS.get(key, "") for k, key in used if f"wtt_{key}" not in fs]
        if missing:
            notes.append(f"No well-to-tank factor in {fs.id} for: {', '.join(missing)} (counted as 0).")
        lines.append(
            EmissionLine(SCOPE_3, CAT_COMMUTING, "Well-to-tank of commuting fuels",
                         float(np.where(remote, 0.0, commute_emissions_kg(count, travel_km, wtt, office_days)).sum()),
                         float(pkm.sum()), "person-km", tuple(k for k in wtt_keys if k in fs))
        )

    # sites outside the set's country: no per-country travel or homeworking factors exist in a set,
    # so its own (UK, for DESNZ) values stand in; say which, with their values
    staffed = np.zeros(m, dtype=bool)
    staffed[a[~remote]] = True
    for c in sorted({countries[j] for j in np.flatnonzero(staffed) if countries[j] != fs.country}):
        sel = ~remote & (countries[site] == c)
        stand = sorted({key_names[int(i)] for i in np.unique(key_idx[sel])})
        values = ", ".join(f"{k} {fs.value(k):g}" for k in stand if k in fs)
        home = (f"; homeworking {fs.value('homeworking'):g} kg CO2e/FTE-hour"
                if policy.include_homeworking and "homeworking" in fs else "")
        where = f"{fs.country} values" if fs.country else f"values of {fs.id}"
        notes.append(f"{float(count[sel].sum()):,.0f} staff at sites in {c}: {fs.id} has no {c} travel or "
                     f"homeworking factors, so its {where} stand in (commuting: {values}{home}).")

    # --- homeworking (Scope 3 cat. 7, optional) --------------------------------------
    home_days = np.where(remote, policy.working_days_per_year, policy.home_days_per_year)
    home_hours = count * home_days * policy.hours_per_day
    if policy.include_homeworking:
        ef_home = trail.value("homeworking")
        home_kg = home_hours * ef_home
        lines.append(EmissionLine(SCOPE_3, CAT_HOMEWORKING, "Homeworking (equipment and heating)",
                                  float(home_kg.sum()), float(home_hours.sum()), "FTE-hours", ("homeworking",)))
    else:
        home_kg = np.zeros(n)

    # --- buildings (Scopes 1, 2; T&D and WTT in Scope 3 cat. 3) ----------------------
    site_staff = np.bincount(a[~remote], weights=count[~remote], minlength=m)
    use = building_use(org, policy, plan.open_sites, site_staff, plan.current_estate,
                       occupancy_shares(trail.value))
    home_sites = np.array([c == fs.country for c in org.sites.country])
    grid, upstream, upstream_names = _electricity_factors(org, plan, fs, home_sites, policy.well_to_tank,
                                                          trail, notes)
    td = upstream["electricity_td"]
    fuel = np.asarray(org.sites.heating_fuel)
    gas_kwh = np.where(fuel == "gas", use.heating_kwh, 0.0)
    district_kwh = np.where(fuel == "district", use.heating_kwh, 0.0)
    elec_kwh = use.electricity_kwh + np.where(fuel == "electric", use.heating_kwh, 0.0)
    ef_gas = trail.value("natural_gas") if gas_kwh.any() else 0.0
    ef_district = trail.value("heat_steam") if district_kwh.any() else 0.0
    # a site leased without operational control: its energy is the lessor's Scope 1 and 2,
    # so the organisation's Scope 3 cat. 8 (GHG Protocol organisational boundary)
    own = np.asarray(org.sites.operational_control, dtype=bool)
    gas_all, elec_all, district_all = gas_kwh, elec_kwh, district_kwh
    gas_kwh, elec_kwh, district_kwh = (np.where(own, x, 0.0) for x in (gas_all, elec_all, district_all))
    scope1 = gas_kwh * ef_gas
    scope2_location = elec_kwh * grid
    scope2_heat = district_kwh * ef_district
    market_ef, market_keys = _market_factors(org, plan, fs, grid, home_sites, trail, notes)
    scope2_market = elec_kwh * market_ef
    td_kg = elec_all * td
    location_line = EmissionLine(SCOPE_2, CAT_ELECTRICITY, "Electricity (location-based)",
                                 float(scope2_location.sum()), float(elec_kwh.sum()), "kWh",
                                 upstream_names["electricity_generation"] or ("electricity_generation",))
    market_line = EmissionLine(SCOPE_2, CAT_ELECTRICITY, "Electricity (market-based)", float(scope2_market.sum()),
                               float(elec_kwh.sum()), "kWh", market_keys)
    in_total, memo = (market_line, location_line) if policy.scope2_total == "market" else (location_line, market_line)
    scope2_memo = replace(memo, scope=MEMO, category=CAT_SCOPE2_MEMO)
    scope2_elec = scope2_market if policy.scope2_total == "market" else scope2_location
    lines += [
        EmissionLine(SCOPE_1, CAT_HEATING, "Natural gas (heating)", float(scope1.sum()),
                     float(gas_kwh.sum()), "kWh", ("natural_gas",)),
        in_total,
    ]
    if district_kwh.any():
        lines.append(EmissionLine(SCOPE_2, CAT_ELECTRICITY, "District heat", float(scope2_heat.sum()),
                                  float(district_kwh.sum()), "kWh", ("heat_steam",)))
    leased = ~own & plan.open_sites
    leased_kg = np.where(leased, gas_all * ef_gas + elec_all * grid + district_all * ef_district, 0.0)
    if leased.any():
        keys = tuple(k for k, x in (("natural_gas", gas_all), ("electricity_generation", elec_all),
                                    ("heat_steam", district_all)) if x[leased].any())
        lines.append(EmissionLine(SCOPE_3, CAT_LEASED, "Leased offices without operational control (energy)",
                                  float(leased_kg.sum()), float((gas_all + elec_all + district_all)[leased].sum()),
                                  "kWh", keys))
        notes.append(f"{int(leased.sum())} open site(s) leased without operational control: their heating and "
                     "electricity are in Scope 3 cat. 8 (upstream leased assets), not Scopes 1 and 2; their T&D "
                     "losses stay in cat. 3.")
    lines.append(EmissionLine(SCOPE_3, CAT_ENERGY_UPSTREAM, "Electricity T&D losses", float(td_kg.sum()),
                              float(elec_all[td > 0].sum()), "kWh", upstream_names["electricity_td"]))
    scope3_energy = td_kg + leased_kg
    if district_all.any():  # DESNZ: district heat's distribution losses (5 %) go to Scope 3, like T&D
        if "heat_steam_distribution" in fs:
            heat_loss = district_all * trail.value("heat_steam_distribution")
            scope3_energy = scope3_energy + heat_loss
            lines.append(EmissionLine(SCOPE_3, CAT_ENERGY_UPSTREAM, "District heat distribution losses",
                                      float(heat_loss.sum()), float(district_all.sum()), "kWh",
                                      ("heat_steam_distribution",)))
        else:
            notes.append(f"No district heat distribution-loss factor in {fs.id} (counted as 0).")
    if policy.well_to_tank:
        wtt_site = np.zeros(m)
        everywhere = np.ones(m, bool)
        wtt_keys = [("wtt_natural_gas", gas_all, everywhere)]
        if district_all.any():
            wtt_keys += [("wtt_heat_steam", district_all, everywhere),
                         ("wtt_heat_steam_distribution", district_all, everywhere)]
        for key in ("wtt_electricity_generation", "wtt_electricity_td"):
            if key in fs:
                wtt_site += elec_all * upstream[key]
            else:
                notes.append(f"No {key} factor in {fs.id} (counted as 0).")
        for key, kwh, sel in wtt_keys:
            if key in fs:
                wtt_site += np.where(sel, kwh, 0.0) * trail.value(key)
            else:
                notes.append(f"No {key} factor in {fs.id} (counted as 0).")
        scope3_energy += wtt_site
        lines.append(EmissionLine(SCOPE_3, CAT_ENERGY_UPSTREAM, "Well-to-tank of building energy",
                                  float(wtt_site.sum()), float((elec_all + gas_all + district_all).sum()), "kWh",
                                  (*upstream_names["wtt_electricity_generation"],
                                   *upstream_names["wtt_electricity_td"],
                                   *(k for k, _kwh, _sel in wtt_keys if k in fs))))

    # --- business travel (Scope 3 cat. 6) and video -----------------------------------
    bt = _business_travel(org, policy, plan, trail, notes)
    lines += bt.lines

    # --- per-site and per-group tables ------------------------------------------------
    site_commute = np.bincount(a[~remote], weights=commute_kg[~remote], minlength=m)
    site_home = np.bincount(a[~remote], weights=home_kg[~remote], minlength=m)
    sites = SiteTable(
        org.sites.site_id, org.sites.name, plan.open_sites.copy(), use.staff, use.desks, use.desks_needed,
        org.sites.max_desks.astype(float), use.floor_area_m2, use.electricity_kwh, use.heating_kwh,
        scope1, scope2_elec + scope2_heat, scope3_energy, site_commute, site_home,
        scope2_location + scope2_heat, scope2_market + scope2_heat,
    )
    if not plan.current_estate and sites.over_capacity.any():
        notes.append(over_capacity_sentence(sites))
    groups = GroupTable(count, a.copy(), travel_km, minutes, current_km, commute_kg, home_kg)
    over_limit, label = _over_limit(policy, travel_km, minutes)
    stats = commute_stats(count, remote, travel_km, minutes, current_km, over_limit, label)
    return Footprint(
        lines=tuple(lines),
        sites=sites,
        groups=groups,
        commute=stats,
        factors_used=tuple(trail.used[k] for k in sorted(trail.used)),
        factor_set_id=fs.id,
        factor_set_name=fs.name,
        factor_set_year=fs.year,
        video_avoided_kgco2e=bt.video_avoided_kg,
        in_person_trips=bt.in_person_trips,
        video_meetings=bt.video_trips,
        notes=tuple(notes),
        factor_names=tuple(sorted(trail.used)),
        fallbacks=tuple(k for k in sorted(trail.used) if trail.used[k].fallback),
        memo_lines=(scope2_memo, *((bt.memo,) if bt.memo is not None else ())),
        scope2_basis=policy.scope2_total,
        scope2_location_kgco2e=float(scope2_location.sum() + scope2_heat.sum()),
        scope2_market_kgco2e=float(scope2_market.sum() + scope2_heat.sum()),
    )


def _electricity_factors(org: Organisation, plan: Plan, fs: FactorSet, home_sites: np.ndarray, well_to_tank: bool,
                         trail: _Trail, notes: list[str]
                         ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, tuple[str, ...]]]:
    """Grid, T&D and well-to-tank electricity factors of each site [kg CO2e/kWh].

    Sites in the set's country take the set's values. Elsewhere the grid intensity
    comes from the country table; T&D and well-to-tank have no per-country source,
    so the set's home share of generation stands in (:func:`upstream_stand_in`,
    flagged as a fallback), and a note names the country values and the stand-ins.
    Returns the grid factors, the upstream factors by key and the trail names used
    by key (``"electricity_generation"``: the grid factors).
    """
    m = len(org.sites)
    countries = tuple(org.sites.country)
    open_ = plan.open_sites
    grid = np.zeros(m)
    upstream = {key: np.zeros(m) for key in UPSTREAM_KEYS}
    names: dict[str, list[str]] = {key: [] for key in ("electricity_generation", *UPSTREAM_KEYS)}
    wanted = UPSTREAM_KEYS if well_to_tank else ("electricity_td",)
    if (open_ & home_sites).any():
        grid[home_sites] = trail.value("electricity_generation")
        names["electricity_generation"].append("electricity_generation")
        for key in wanted:
            if key in fs or key == "electricity_td":  # a set without T&D is an error, as before
                upstream[key][home_sites] = trail.value(key)
                names[key].append(key)
    for c in sorted({c for c, o in zip(countries, open_, strict=True) if o and c != fs.country}):
        sel = np.array([x == c for x in countries])
        f = grid_intensity(c)
        grid[sel] = trail.add(f"grid_{c}", f)
        names["electricity_generation"].append(f"grid_{c}")
        stand_ins = []
        for key in wanted:
            s = upstream_stand_in(fs, key, f, c)
            if s is not None:
                upstream[key][sel] = trail.add(f"{key}_{c}", s)
                names[key].append(f"{key}_{c}")
                stand_ins.append(f"{key} {s.value:.5f} ({fs.value(key):g} / {fs.value('electricity_generation'):g} "
                                 f"of {c}'s grid)")
        home = f"the set's country is {fs.country}" if fs.country else f"{fs.id} names no country"
        r = residual_mix(c)
        notes.append(
            f"Sites in {c} ({home}): {c} values for grid electricity {f.value:g} {f.unit} "
            f"[{f.set_id} {f.year}, {f.confidence}] {f.source}"
            + ("; a FALLBACK value (mix-derived, runs high)" if f.fallback else "")
            + (f"; and for the residual mix {r.value:g} {r.unit} ({r.source.split(':')[0]}) "
               f"[{r.set_id} {r.year}, {r.confidence}]"
               if r is not None else "")
            + (f"; the country tables have no T&D factor for {c}"
               + (" and no well-to-tank factor" if well_to_tank else "")
               + " (no per-country source was found: DESNZ no longer publishes overseas values and the IEA's "
               "are licensed), so "
               + (f"{fs.id}'s share of generation stands in (FALLBACK): " + "; ".join(stand_ins)
                  if stand_ins else f"they count as 0 ({fs.id} has none to stand in)")
               )
            + "."
        )
    return grid, upstream, {key: tuple(v) for key, v in names.items()}


def _market_factors(org: Organisation, plan: Plan, fs: FactorSet, grid: np.ndarray, home_sites: np.ndarray,
                    trail: _Trail, notes: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Market-based electricity factor of each site (GHG Protocol Scope 2 Guidance hierarchy). [kg CO2e/kWh]

    The share backed by certificates (REGOs, GOs: ``renewable_share``) counts 0;
    the rest the site's supplier-specific factor where the site table gives one,
    else the residual mix (``electricity_residual_mix`` of the set, home country
    only). Where neither exists the location-based grid factor stands in, and a
    note says so (it understates market-based emissions, since certificates sold
    elsewhere are not removed from it).
    """
    s = org.sites
    renew = np.asarray(s.renewable_share, dtype=float)
    supplier = np.asarray(s.supplier_factor_kg_per_kwh, dtype=float)
    has_supplier = np.isfinite(supplier)
    open_ = plan.open_sites
    keys: list[str] = []
    residual = np.array(grid, dtype=float)
    need_residual = open_ & ~has_supplier & (renew < 1.0)
    has_residual = np.zeros(len(s), dtype=bool)
    if (need_residual & home_sites).any() and "electricity_residual_mix" in fs:
        residual[home_sites] = trail.value("electricity_residual_mix")
        keys.append("electricity_residual_mix")
        has_residual |= home_sites
    countries = np.asarray(s.country, dtype=str)
    for c in sorted(set(countries[need_residual & ~has_residual].tolist())):
        f = residual_mix(c)  # the country table (AIB European Residual Mixes) where the set has none
        if f is not None:
            sel = countries == c
            residual[sel] = trail.add(f"residual_mix_{c}", f)
            keys.append(f"residual_mix_{c}")
            has_residual |= sel
    stand_in = need_residual & ~has_residual
    if stand_in.any():
        keys.append("electricity_generation")
        names = ", ".join(s.name[j] for j in np.flatnonzero(stand_in)[:5])
        more = f" and {int(stand_in.sum()) - 5} more" if stand_in.sum() > 5 else ""
        notes.append(f"Market-based Scope 2: {int(stand_in.sum())} open site(s) have no supplier factor and no "
                     f"residual-mix factor in {fs.id} or the country table ({names}{more}); the location-based "
                     "grid factor stands in "
                     "(GHG Protocol Scope 2 Guidance, last resort; it understates the market-based figure). Add "
                     "supplier_factor_kg_per_kwh to the sites, or electricity_residual_mix to a custom factor set, "
                     "with its source and year.")
    for j in np.flatnonzero(open_ & has_supplier):
        contract = s.electricity_contract[j] or "site table (no contract or source given)"
        name = f"supplier_{s.site_id[j]}"
        trail.add(name, Factor("electricity_supplier", float(supplier[j]), "kg CO2e/kWh", fs.year,
                               f"Supplier-specific factor of {s.name[j]}: {contract}", "sites", "A"))
        keys.append(name)
    if (open_ & (renew > 0)).any():
        keys.append("renewable_share (certificates: 0)")
    ef = (1.0 - renew) * np.where(has_supplier, supplier, residual)
    return ef, tuple(keys)


def _circuity(policy: Policy, network: str) -> float:
    # DESNZ air factors already include the 8 % great-circle uplift
    return 1.0 if network == "air" else policy.circuity(network)


def _over_limit(policy: Policy, travel_km: np.ndarray, minutes: np.ndarray) -> tuple[np.ndarray, str]:
    over = np.zeros(travel_km.shape, dtype=bool)
    labels = []
    if policy.max_commute_km is not None:
        over |= travel_km > policy.max_commute_km
        labels.append(f"{policy.max_commute_km:g} km")
    if policy.max_commute_minutes is not None:
        over |= minutes > policy.max_commute_minutes
        labels.append(f"{policy.max_commute_minutes:g} min")
    if not labels:
        over = minutes > policy.commute_limit_report_minutes
        labels.append(f"{policy.commute_limit_report_minutes:g} min")
    return over, " or ".join(labels)


class _BusinessTravel:
    def __init__(self) -> None:
        self.lines: list[EmissionLine] = []
        self.video_avoided_kg = 0.0
        self.in_person_trips = 0.0
        self.video_trips = 0.0
        self.memo: EmissionLine | None = None


def _business_travel(org: Organisation, policy: Policy, plan: Plan, trail: _Trail, notes: list[str]) -> _BusinessTravel:
    out = _BusinessTravel()
    fs = trail.factors
    ht = hub_trips(org, plan)
    off = ~np.eye(len(org.sites), dtype=bool)
    trips = np.where(off, ht.trips, 0.0)
    v = policy.video_share
    in_person = trips * (1.0 - v)
    d = org.site_distance_km
    desnz = fs.country == "GB"
    code = travel_codes(org, policy.business_car_max_km, policy.business_rail_max_km, desnz)
    # cars: one per group of travellers from one office to one meeting (vehicle-km, not person-km)
    vehicles = np.where(off, ht.vehicle_trips, 0.0)
    car_share = np.divide(vehicles, trips, out=np.ones_like(trips), where=trips > 0)
    per_person = np.where(code == CAR, car_share, 1.0)  # vehicles (or persons) per person-trip
    rf = "_rf" if policy.radiative_forcing else ""
    n_codes = len(TRAVEL_CODES)
    trips_by_code = np.bincount(code.ravel(), weights=in_person.ravel(), minlength=n_codes)
    km_matrix = 2.0 * d * np.array([_circuity(policy, c[2]) for c in TRAVEL_CODES])[code]
    km_by_code = np.bincount(code.ravel(), weights=(in_person * km_matrix * per_person).ravel(), minlength=n_codes)
    ef = np.zeros(n_codes)
    wtt = np.zeros(n_codes)
    keys: list[str] = []
    cabin = policy.cabin_class
    for k, (key, _label, network) in enumerate(TRAVEL_CODES):
        if trips_by_code[k] == 0 and k not in (CAR, RAIL_NATIONAL, AIR_DOMESTIC):
            keys.append("")
            continue  # no such trips: keep the trail to factors actually used
        base = key
        if network == "air" and cabin != "average":
            if f"{key}_{cabin}{rf}" in fs:
                base = f"{key}_{cabin}"
            else:
                notes.append(f"{fs.id} has no {cabin.replace('_', ' ')} factor for {_label.lower()}: the average "
                             "passenger factor is used (DESNZ publishes domestic flights as average only, short-haul "
                             "without premium economy and first).")
        elif k == RAIL_INTERNATIONAL and key not in fs:
            base = "rail_national"
            notes.append(f"{fs.id} has no international rail factor: cross-border rail trips use national rail.")
        full_key = base + rf if network == "air" else base
        ef[k] = trail.value(full_key)
        keys.append(full_key)
        if policy.well_to_tank:
            if f"wtt_{base}" in fs:
                wtt[k] = trail.value(f"wtt_{base}")
            elif trips_by_code[k] > 0:
                notes.append(f"No well-to-tank factor in {fs.id} for {_label.lower()} (counted as 0).")
    per_trip = km_matrix * per_person * ef[code]  # kg CO2e per person-trip (return), by pair
    wtt_per_trip = km_matrix * per_person * wtt[code]
    surface = ((CAR, "vehicle-km"), (RAIL_NATIONAL, "person-km"), (RAIL_INTERNATIONAL, "person-km"))
    for k, unit in surface:
        if k == RAIL_INTERNATIONAL and not keys[k]:
            continue  # listed only when there are cross-border rail trips
        out.lines.append(EmissionLine(SCOPE_3, CAT_BUSINESS_TRAVEL, TRAVEL_CODES[k][1], float(km_by_code[k] * ef[k]),
                                      float(km_by_code[k]), unit, (keys[k],)))
    air = slice(AIR_DOMESTIC, None)
    air_kg = float((km_by_code[air] * ef[air]).sum())
    air_label = "Air" + (" (with radiative forcing)" if policy.radiative_forcing else " (without radiative forcing)")
    out.lines.append(EmissionLine(SCOPE_3, CAT_BUSINESS_TRAVEL, air_label, air_kg, float(km_by_code[air].sum()),
                                  "person-km", tuple(k for k in keys[air] if k)))
    # hotel nights: one per trip beyond hotel_min_km, at the destination's factor (London apart)
    needs_hotel = d > policy.hotel_min_km
    nights = in_person * needs_hotel
    hotel_kg = 0.0
    countries = np.asarray(org.sites.country)
    london = london_sites(org.sites.lat, org.sites.lon, org.sites.country)
    places = np.where(london, "GB-LND", countries)
    for c in sorted(set(places.tolist())):
        dest = places == c
        n_c = float(nights[:, dest].sum())
        f = hotel_night("GB", "London") if c == "GB-LND" else hotel_night(c)
        if f is None:
            if n_c > 0:
                notes.append(f"No DESNZ hotel factor for {c} (DESNZ lists it without a value, or not at all): "
                             f"{n_c:,.0f} hotel nights counted as 0.")
            continue
        if n_c > 0 or c == fs.country:
            hotel_kg += n_c * trail.add(f"hotel_night_{c}", f)
    out.lines.append(EmissionLine(SCOPE_3, CAT_BUSINESS_TRAVEL, "Hotel nights", hotel_kg, float(nights.sum()),
                                  "room-nights", tuple(sorted(k for k in trail.used if k.startswith("hotel_night_")))))
    if policy.well_to_tank:
        out.lines.append(EmissionLine(SCOPE_3, CAT_BUSINESS_TRAVEL, "Well-to-tank of business travel",
                                      float((in_person * wtt_per_trip).sum()), float(in_person.sum()), "person-trips",
                                      tuple(sorted(f"wtt_{k.removesuffix('_rf')}" for k in keys
                                                   if k and f"wtt_{k.removesuffix('_rf')}" in fs))))
    # video meetings in place of trips
    ef_video = trail.value("video_call")
    video_hours = float((np.where(off, ht.participant_hours, 0.0) * v).sum())
    video_kg = video_hours * ef_video
    out.memo = EmissionLine(MEMO, CAT_VIDEO, "Video calls in place of trips", video_kg, video_hours,
                            "participant-hours", ("video_call",))
    hotel_per_trip = np.zeros_like(d)
    if hotel_kg > 0 and nights.sum() > 0:
        hotel_per_trip = needs_hotel * (hotel_kg / float(nights.sum()))
    avoided = trips * v * (per_trip + wtt_per_trip + hotel_per_trip)
    out.video_avoided_kg = float(avoided.sum()) - video_kg
    out.in_person_trips = float(in_person.sum())
    out.video_trips = float((trips * v).sum())
    return out
