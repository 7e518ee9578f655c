"""GHG reporting rules an auditor checks (issue 14): no silent fallbacks, like with like,
categories, dual Scope 2 and method text that matches the code.

Factor values are DESNZ 2025 typed by hand; the toy is the three-office one of conftest.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import TOY_SITES, TOY_STAFF, toy_collaboration

from footprint.accounting import account, current_plan
from footprint.accounting.result import CAT_ELECTRICITY, CAT_ENERGY_UPSTREAM
from footprint.factors import FactorError, load_factor_set
from footprint.inputs import Organisation, Policy, Sites, StaffGroups

ELEC, TD = (
    0.17700,
    0.01853,
)  # DESNZ 2025 UK electricity generation and T&D [kg CO2e/kWh]
# At 3 office days the toy's offices (one desk each) run at desk utilisation 0.6, so electricity is
# × (1 − 0.5 + 0.5 × 0.6) = 0.8 and heating × (1 − 0.1 + 0.1 × 0.6) = 0.96 of area × intensity
# (see test_accounting_toy.test_buildings_today)
OCC_ELEC, OCC_HEAT = 0.8, 0.96
TOY_ELEC_KWH = 236_480  # (100,000 + 48,000 + 54,000) × 0.8 + 78,000 × 0.96 (C heats electrically)
POLICY = Policy(office_days_per_week=3, video_share=0.5)


def line(fp, category: str, item: str) -> float:
    return sum(x.kgco2e for x in fp.lines if x.category == category and x.item == item)


def toy(**site_columns: list) -> Organisation:
    cols = {**TOY_SITES, **site_columns}
    return Organisation(
        "toy",
        Sites.from_columns(cols, source="toy sites"),
        StaffGroups.from_columns(TOY_STAFF, source="toy staff"),
        toy_collaboration(),
    )


NO_COUNTRY = """
[set]
id = "acme-overrides"
name = "ACME: DESNZ 2025 with our own car factor"
year = 2025
inherits = ["desnz-2025"]

[factors.car_petrol]
value = 0.15
unit = "kg CO2e/vehicle-km"
source = "ACME fleet survey 2025"
confidence = "A"
"""


# --- 2. no silent fallbacks ---------------------------------------------------------------------
def test_custom_set_without_country_keeps_its_parents_grid(tmp_path: Path, toy_org):
    path = tmp_path / "acme.toml"
    path.write_text(NO_COUNTRY, encoding="utf-8")
    fs = load_factor_set(path)
    assert fs.country == "GB" and "taken from 'desnz-2025'" in fs.notes
    fp = account(toy_org, POLICY, current_plan(toy_org), fs)
    # DESNZ 0.177 and T&D, not the 0.2376 codecarbon fallback with no T&D
    assert line(fp, CAT_ELECTRICITY, "Electricity (location-based)") == pytest.approx(
        TOY_ELEC_KWH * ELEC
    )
    assert line(fp, CAT_ENERGY_UPSTREAM, "Electricity T&D losses") == pytest.approx(
        TOY_ELEC_KWH * TD
    )
    assert fp.fallbacks == ()


def test_custom_grid_factor_without_country_is_an_error(tmp_path: Path):
    text = NO_COUNTRY.replace("car_petrol", "electricity_generation").replace(
        "vehicle-km", "kWh"
    )
    path = tmp_path / "grid.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactorError, match=r"grid\.toml \[set\]: 'country' is missing"):
        load_factor_set(path)


def test_fallback_grid_value_is_named_and_flagged():
    # the UK offices under the US set: the country table's GB value is a codecarbon fallback
    org = toy()
    fp = account(org, POLICY, current_plan(org), load_factor_set("epa-2025"))
    # T&D: the US share of generation stands in
    assert fp.fallbacks == ("electricity_td_GB", "grid_GB")
    grid = fp.factor_by_name()["grid_GB"]
    assert grid.fallback and grid.value == pytest.approx(0.2376)
    note = next(n for n in fp.notes if n.startswith("Sites in GB"))
    assert "FALLBACK" in note and "0.2376" in note and "no T&D factor for GB" in note
    assert line(fp, CAT_ELECTRICITY, "Electricity (location-based)") == pytest.approx(
        TOY_ELEC_KWH * 0.2376
    )


def test_reports_flag_fallback_factors(toy_org):
    from footprint.reports.tables import factor_table

    org = toy()
    fp = account(org, POLICY, current_plan(org), load_factor_set("epa-2025"))
    table = factor_table(list(fp.factors_used))
    flags = dict(zip(table.column("Factor"), table.column("Fallback"), strict=True))
    assert flags["electricity_generation"] == "FALLBACK"  # the GB grid stand-in
    assert flags["natural_gas"] == ""


# --- 3. like with like --------------------------------------------------------------------------
SCENARIO = """
schema_version = 1
name = "{name}"
[organisation]
source = "demo"
[policy]
office_days_per_week = 3.0
factor_set = "{fs}"
{extra}
[hubs]
selection = "{selection}"
{hubs}
"""


def _scenarios(extra: str = ""):
    from footprint.scenario.files import parse_scenario

    hub = parse_scenario(
        SCENARIO.format(
            name="one hub",
            fs="desnz-2025",
            extra=extra,
            selection="explicit",
            hubs='sites = ["A"]',
        )
    )
    base = parse_scenario(
        SCENARIO.format(
            name="old baseline", fs="desnz-2024", extra="", selection="current", hubs=""
        )
    )
    return hub, base


def test_baseline_is_compared_on_the_scenarios_factor_set(toy_org):
    from footprint.scenario.run import run_scenario

    hub, base = _scenarios()
    r = run_scenario(hub, baseline=base, organisation=toy_org)
    assert r.baseline.factor_set_id == "desnz-2025"
    expected = account(
        toy_org, base.policy, current_plan(toy_org), load_factor_set("desnz-2025")
    )
    assert r.baseline.total_kgco2e == pytest.approx(expected.total_kgco2e)
    assert r.factor_effect_kgco2e == 0.0
    assert "names factor set desnz-2024" in r.baseline_factor_note


def test_different_factor_sets_show_the_factor_effect(toy_org):
    from footprint.scenario.run import run_scenario
    from footprint.scenario.summary import format_summary, result_to_dict

    hub, base = _scenarios('factor_set_baseline = "own"')
    r = run_scenario(hub, baseline=base, organisation=toy_org)
    assert r.baseline.factor_set_id == "desnz-2024"
    on_2025 = account(
        toy_org, base.policy, current_plan(toy_org), load_factor_set("desnz-2025")
    ).total_kgco2e
    on_2024 = account(
        toy_org, base.policy, current_plan(toy_org), load_factor_set("desnz-2024")
    ).total_kgco2e
    assert r.factor_effect_kgco2e == pytest.approx(on_2025 - on_2024)
    assert (
        r.factor_effect_kgco2e < 0
    )  # 2025 factors are lower (UK grid −15 %, air −16 to −42 %)
    d = result_to_dict(r)["change"]
    assert d["factor_effect_tco2e"] + d[
        "plan_and_policy_effect_tco2e"
    ] == pytest.approx(d["total_tco2e"])
    assert "factor-set change alone (desnz-2024 → desnz-2025)" in format_summary(r)


# --- 4. categories: video as a memo line, leased sites without operational control --------------
def test_video_calls_are_a_memo_line_outside_the_total(toy_org):
    from footprint.accounting.result import CATEGORIES, VIDEO_MEMO_REASON

    fp = account(toy_org, POLICY, current_plan(toy_org))
    assert not any("video" in c.lower() for c in CATEGORIES)
    assert not any("video" in x.item.lower() for x in fp.lines)
    from footprint.accounting.result import CAT_VIDEO

    (memo,) = [x for x in fp.memo_lines if x.category == CAT_VIDEO]
    assert memo.scope == "Memo" and memo.kgco2e == pytest.approx(
        50 * 0.05
    )  # 50 participant-hours × 0.05
    assert fp.total_kgco2e == pytest.approx(sum(x.kgco2e for x in fp.lines))
    assert "Scope 3 cat. 1" in VIDEO_MEMO_REASON


def test_leased_site_without_operational_control_is_scope3_cat8():
    from footprint.accounting.result import CAT_HEATING, CAT_LEASED

    GAS = 0.18296
    org = toy(
        operational_control=[True, False, True]
    )  # Reading (B) is leased, the landlord runs it
    fp = account(org, POLICY, current_plan(org))
    # B: 400 m² × 100 kWh/m² gas, 400 × 120 kWh/m² electricity
    assert line(fp, CAT_HEATING, "Natural gas (heating)") == pytest.approx(
        1000 * 150 * OCC_HEAT * GAS
    )
    assert line(fp, CAT_ELECTRICITY, "Electricity (location-based)") == pytest.approx(
        (TOY_ELEC_KWH - 48_000 * OCC_ELEC) * ELEC
    )
    b = 40_000 * OCC_HEAT * GAS + 48_000 * OCC_ELEC * ELEC
    assert line(
        fp, CAT_LEASED, "Leased offices without operational control (energy)"
    ) == pytest.approx(b)
    assert fp.by_category()[CAT_LEASED] == pytest.approx(b)
    assert line(fp, CAT_ENERGY_UPSTREAM, "Electricity T&D losses") == pytest.approx(
        TOY_ELEC_KWH * TD
    )
    base = account(toy(), POLICY, current_plan(toy()))
    assert fp.total_kgco2e == pytest.approx(
        base.total_kgco2e
    )  # moved between scopes, not changed
    assert any("operational control" in n for n in fp.notes)


def test_operational_control_column_is_read_by_the_importer(tmp_path: Path):
    from footprint.imports import read_organisation

    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,lat,lon,headcount,operational_control,supplier_factor_kg_per_kwh,renewable_share,"
        "electricity_contract\nA,51.5,-0.12,2,yes,0.05,0.25,Acme 2025\nB,53.48,-2.24,1,no,,,\n",
        encoding="utf-8",
    )
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "home_lat,home_lon,current_site_id,commute_mode\n51.52,-0.1,A,rail\n53.5,-2.2,B,bus\n"
        "51.49,-0.2,A,car\n",
        encoding="utf-8",
    )
    org = read_organisation(sites, staff)
    assert org.sites.operational_control.tolist() == [True, False]
    assert org.sites.supplier_factor_kg_per_kwh[0] == 0.05 and np.isnan(
        org.sites.supplier_factor_kg_per_kwh[1]
    )
    assert org.sites.renewable_share.tolist() == [0.25, 0.0]
    assert org.sites.electricity_contract == ("Acme 2025", "")


# --- 14. method text = code -------------------------------------------------------------------
def _evaluate(formulas: tuple[str, ...], values: dict[str, float]) -> dict[str, float]:
    """Evaluate the method text's formulas (its own notation) one after another."""
    import math
    import re

    env = dict(values, min=min, max=max, ceil=math.ceil, round=round)
    for text in formulas:
        name, expr = (x.strip() for x in text.split("=", 1))
        expr = expr.replace("·", "*").replace("−", "-")
        expr = re.sub(r"⌈(.*?)⌉", r"ceil(round(\1, 9))", expr)
        env[name] = eval(expr, {"__builtins__": {}}, env)  # noqa: S307 - our own constant strings
    return env


@pytest.mark.parametrize("days", [2.0, 3.0, 5.0])
@pytest.mark.parametrize("staff", [0.0, 7.0, 20.0, 300.0])
def test_hub_formulas_in_the_method_text_match_the_code(toy_org, staff, days):
    from footprint.accounting.buildings import (
        ENERGY_FORMULAS,
        ENERGY_SYMBOLS,
        HUB_FORMULAS,
        HUB_SYMBOLS,
        SHARE_KEYS,
        OccupancyShares,
        building_use,
    )

    policy = Policy(
        office_days_per_week=days,
        peak_factor=1.2,
        desk_sharing_ratio=0.8,
        m2_per_desk=11.0,
        hub_fixed_area_m2=450.0,
    )
    values = {sym: getattr(policy, name) for sym, name in HUB_SYMBOLS.items()}
    got = _evaluate(HUB_FORMULAS, {**values, "s_j": staff, "max_desks_j": 40.0})
    shares = OccupancyShares(0.5, 0.1)
    use = building_use(
        toy_org,
        policy,
        np.array([True, False, False]),
        np.array([staff, 0.0, 0.0]),
        False,
        shares,
    )
    assert use.desks[0] == got["desks_j"]
    assert use.desks_needed[0] == math.ceil(round(got["need_j"], 9))  # before the capacity cap
    assert use.floor_area_m2[0] == pytest.approx(got["area_j"])
    assert use.floor_area_m2[0] >= 450.0  # the fixed area of an open hub is in both
    energy = {sym: getattr(policy, name) for sym, name in ENERGY_SYMBOLS.items()}
    assert set(SHARE_KEYS) == {"φ_elec", "φ_heat"}
    got = _evaluate(
        ENERGY_FORMULAS,
        {
            **energy,
            "s_j": staff,
            "need_j": got["need_j"],
            "max_desks_j": 40.0,
            "area_j": got["area_j"],
            "I_elec_j": policy.hub_electricity_kwh_per_m2,
            "I_heat_j": policy.hub_heating_kwh_per_m2,
            "φ_elec": shares.electricity,
            "φ_heat": shares.heating,
        }
        if staff
        else {**energy, "s_j": 0.0, "need_j": 1.0, "max_desks_j": 40.0, "area_j": 450.0,
              "I_elec_j": 75.0, "I_heat_j": 80.0, "φ_elec": 0.5, "φ_heat": 0.1},
    )
    assert use.utilisation[0] == pytest.approx(got["u_j"])
    assert use.electricity_kwh[0] == pytest.approx(got["elec_j"])
    assert use.heating_kwh[0] == pytest.approx(got["heat_j"])


def test_energy_formulas_hold_for_todays_offices(toy_org):
    from footprint.accounting.buildings import (
        ENERGY_FORMULAS,
        ENERGY_SYMBOLS,
        OccupancyShares,
        building_use,
    )

    policy = Policy(office_days_per_week=2.5)
    staff = np.array([10.0, 3.0, 9.0])  # B half empty, C over its 6 desks
    use = building_use(toy_org, policy, np.ones(3, bool), staff, True, OccupancyShares(0.4, 0.2))
    s = toy_org.sites
    for j in range(3):
        got = _evaluate(
            ENERGY_FORMULAS,
            {
                **{sym: getattr(policy, name) for sym, name in ENERGY_SYMBOLS.items()},
                "s_j": staff[j],
                "need_j": float(s.desks[j]),
                "max_desks_j": float(s.desks[j]),
                "area_j": float(s.floor_area_m2[j]),
                "I_elec_j": float(s.electricity_kwh_per_m2[j]),
                "I_heat_j": float(s.heating_kwh_per_m2[j]),
                "φ_elec": 0.4,
                "φ_heat": 0.2,
            },
        )
        assert use.electricity_kwh[j] == pytest.approx(got["elec_j"])
        assert use.heating_kwh[j] == pytest.approx(got["heat_j"])
    assert use.utilisation.tolist() == pytest.approx([0.5, 0.375, 0.75])


def test_method_texts_print_the_codes_formulas():
    from footprint.accounting.buildings import ENERGY_FORMULAS, HUB_FORMULAS
    from footprint.reports.methodology import SECTIONS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "methodology.md").read_text(
        encoding="utf-8"
    )
    pdf_text = [p.strip() for _title, paras in SECTIONS for p in paras]
    for formula in (*HUB_FORMULAS, *ENERGY_FORMULAS):
        assert f"    {formula}\n" in doc
        assert formula in pdf_text
    assert (
        "min(desks_j, max_desks_j) · a   [m²]" not in doc
    )  # the old text without the fixed area
    assert "⌈peak_j · r⌉" not in doc  # the old desk rule (0.8 desks a person at five days)
    common = load_factor_set("common")
    for key in ("occupancy_share_electricity", "occupancy_share_heating"):
        value = common.value(key)
        assert f"| `{key}` | {value:g} (" in doc  # the docs' table gives the shipped value
        assert any(f"{value:g} of" in p for p in pdf_text)


# --- 1. Scope 2 dual reporting ------------------------------------------------------------------
CONTRACTS = {
    "supplier_factor_kg_per_kwh": [0.05, None, None],
    "renewable_share": [0.0, 1.0, 0.0],
    "electricity_contract": ["Acme Energy fuel mix disclosure 2024-25", "", ""],
}
# electricity kWh at 3 office days (× 0.8, electric heating × 0.96): A 1000 m² × 100 × 0.8 = 80,000;
# B 400 × 120 × 0.8 = 38,400; C 600 × (90 × 0.8 + 130 × 0.96) = 118,080
C_ELEC_KWH = 600 * (90 * OCC_ELEC + 130 * OCC_HEAT)


def test_market_based_scope2_by_contract():
    from footprint.accounting.result import CAT_SCOPE2_MEMO

    org = toy(**CONTRACTS)
    fp = account(org, POLICY, current_plan(org))
    market = (
        100_000 * OCC_ELEC * 0.05 + 48_000 * OCC_ELEC * 0.0 + C_ELEC_KWH * ELEC
    )  # C: no contract, no residual mix: grid stands in
    assert fp.scope2_location_kgco2e == pytest.approx(TOY_ELEC_KWH * ELEC)
    assert fp.scope2_market_kgco2e == pytest.approx(market)
    assert fp.scope2_basis == "location" and fp.by_scope()["Scope 2"] == pytest.approx(
        TOY_ELEC_KWH * ELEC
    )
    memo = {x.item: x for x in fp.memo_lines if x.category == CAT_SCOPE2_MEMO}
    assert memo["Electricity (market-based)"].kgco2e == pytest.approx(market)
    assert fp.factor_by_name()["supplier_A"].source.endswith(
        "Acme Energy fuel mix disclosure 2024-25"
    )
    assert any(
        "location-based grid factor stands in" in n and "Cambridge" in n
        for n in fp.notes
    )


def test_market_based_total_and_residual_mix():
    org = toy(**CONTRACTS)
    fs = load_factor_set("desnz-2025").with_overrides(
        {"electricity_residual_mix": 0.3},
        source="Example residual mix 2024 (test value)",
    )
    fp = account(
        org,
        Policy(office_days_per_week=3, video_share=0.5, scope2_total="market"),
        current_plan(org),
        fs,
    )
    market = 100_000 * OCC_ELEC * 0.05 + C_ELEC_KWH * 0.3
    assert fp.by_scope()["Scope 2"] == pytest.approx(market)
    assert [x.item for x in fp.lines if x.scope == "Scope 2"] == [
        "Electricity (market-based)"
    ]
    assert any(x.item == "Electricity (location-based)" for x in fp.memo_lines)
    assert (
        fp.factor_by_name()["electricity_residual_mix"].source
        == "Example residual mix 2024 (test value)"
    )
    assert not any("stands in" in n for n in fp.notes)


def test_dual_scope2_in_cli_json_and_tables():
    from footprint.reports.tables import scope_table
    from footprint.scenario.files import parse_scenario
    from footprint.scenario.run import run_scenario
    from footprint.scenario.summary import format_summary, result_to_dict

    org = toy(**CONTRACTS)
    sc = parse_scenario(
        SCENARIO.format(
            name="today", fs="desnz-2025", extra="", selection="current", hubs=""
        )
    )
    r = run_scenario(sc, organisation=org)
    text = format_summary(r)
    assert "Scope 2 dual reporting (the total uses location-based)" in text
    assert "Scope 2, market-based" in text
    d = result_to_dict(r)["footprint"]["scope2"]
    assert d["total_uses"] == "location-based"
    assert d["market_based_tco2e"] == pytest.approx((100_000 * OCC_ELEC * 0.05 + C_ELEC_KWH * ELEC) / 1000)
    rows = {row[0]: row for row in scope_table(r).rows}
    assert rows["Scope 2, location-based"][2] == pytest.approx(
        TOY_ELEC_KWH * ELEC / 1000
    )
    assert rows["Scope 2, market-based"][2] == pytest.approx(
        (100_000 * OCC_ELEC * 0.05 + C_ELEC_KWH * ELEC) / 1000
    )
