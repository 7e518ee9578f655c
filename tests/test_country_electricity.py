"""Electricity of sites outside the factor set's country (issue 14, items 1 and 10).

A site in Ireland under DESNZ 2025 takes the Irish grid intensity (Ember 2024) and the
Irish residual mix (AIB European Residual Mixes 2025) from the country tables; T&D and
well-to-tank have no Irish source, so the UK share of generation stands in, flagged.
Every expected value is typed by hand from the published tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TOY_SITES, TOY_STAFF, toy_collaboration

from footprint.accounting import account, current_plan
from footprint.accounting.result import CAT_ELECTRICITY, CAT_ENERGY_UPSTREAM
from footprint.factors import (
    FactorError,
    grid_intensity,
    load_factor_set,
    residual_mix,
    upstream_stand_in,
)
from footprint.factors.country_tables import _residual_table
from footprint.inputs import Organisation, Policy, Sites, StaffGroups

# DESNZ 2025 UK electricity [kg CO2e/kWh]: generation, T&D, WTT generation, WTT T&D
GB_GEN, GB_TD, GB_WTT_GEN, GB_WTT_TD = 0.17700, 0.01853, 0.04590, 0.00397
IE_GRID = 0.27091  # Ember via OWID 2024, 270.91 g/kWh
IE_RESIDUAL = 0.36874  # AIB 2025 Table 2, 368.74 g CO2/kWh
# toy electricity [kWh]: A 1000 m² × 100, B 400 × 120 (GB); C 600 × (90 + 130 electric heating)
# electricity [kWh] of the GB sites A and B and of C (electric heating included) are read
# from the result: since item 11 they follow attendance (tests/test_energy_occupancy.py checks
# that by hand); these tests check the factors applied to them.


def kwh(fp) -> tuple[float, float]:
    e, h = fp.sites.electricity_kwh, fp.sites.heating_kwh
    return float(e[0] + e[1]), float(e[2] + h[2])


POLICY = Policy(office_days_per_week=3, video_share=0.5)


def toy(**site_columns: list) -> Organisation:
    cols = {**TOY_SITES, **site_columns}
    return Organisation(
        "toy",
        Sites.from_columns(cols, source="toy sites"),
        StaffGroups.from_columns(TOY_STAFF, source="toy staff"),
        toy_collaboration(),
    )


def line(fp, category: str, item: str) -> float:
    return sum(x.kgco2e for x in fp.lines if x.category == category and x.item == item)


def irish_note(fp) -> str:
    return next(n for n in fp.notes if n.startswith("Sites in IE"))


# --- the residual-mix table ---------------------------------------------------------------------
AIB_2025 = [  # country, g CO2/kWh as printed in AIB 2025 Table 2
    ("FR", 17.11),
    ("SE", 208.56),
    ("ES", 238.28),
    ("IE", 368.74),
    ("IT", 420.20),
    ("DE", 701.47),
    ("PL", 726.96),
]


@pytest.mark.parametrize(("country", "g_per_kwh"), AIB_2025)
def test_residual_mix_values_carry_unit_year_and_source(country: str, g_per_kwh: float):
    f = residual_mix(country.lower())
    assert f is not None
    assert f.value == pytest.approx(g_per_kwh / 1000, abs=1e-12)
    assert f.key == "electricity_residual_mix" and f.unit == "kg CO2e/kWh"
    assert f.year == 2025 and f.confidence == "S" and not f.fallback
    assert "AIB European Residual Mixes 2025" in f.source
    assert "https://www.aib-net.org/facts/european-residual-mix" in f.source
    assert f"row {country}" in f.source and f"{g_per_kwh:.2f} g CO2/kWh" in f.source


def test_every_residual_mix_entry_is_sourced():
    table = _residual_table()
    assert set(table.factors) == {c for c, _g in AIB_2025}
    for f in table.factors.values():
        assert f.unit and f.year == 2025 and "Residual Mixes!Q" in f.source


@pytest.mark.parametrize("country", ["GB", "UK", "NL", "AT", "NO", "ZZ"])
def test_no_residual_mix_is_none_not_zero(country: str):
    # GB: no checked figure; NL and AT: full disclosure (AIB prints NA); NO, ZZ: not in the table
    assert residual_mix(country) is None


def test_residual_table_rejects_zero_and_contradictions(tmp_path: Path):
    head = (
        '[meta]\nname = "x"\nunit = "kg CO2e/kWh"\nyear = 2025\nconfidence = "S"\n'
        'source = "AIB"\nurl = "https://example.org"\nno_value = ["NL"]\n'
    )
    zero = tmp_path / "zero.toml"
    zero.write_text(
        head + '[countries.IE]\nname = "Ireland"\nvalue = 0\ncell = "Q19"\n'
    )
    with pytest.raises(FactorError, match=r"zero\.toml \[countries\.IE\].*no_value"):
        _residual_table(zero)
    both = tmp_path / "both.toml"
    both.write_text(head + '[countries.NL]\nname = "NL"\nvalue = 0.3\ncell = "Q27"\n')
    with pytest.raises(FactorError, match="both valued and in no_value: NL"):
        _residual_table(both)
    unit = tmp_path / "unit.toml"
    unit.write_text(head.replace("kg CO2e/kWh", "g CO2/kWh") + "[countries]\n")
    with pytest.raises(FactorError, match=r"unit\.toml \[meta\]: unit"):
        _residual_table(unit)


# --- stand-ins for T&D and well-to-tank -----------------------------------------------------------
def test_upstream_stand_in_is_the_home_share_of_generation():
    fs = load_factor_set("desnz-2025")
    f = upstream_stand_in(fs, "electricity_td", grid_intensity("IE"), "IE")
    assert f.value == pytest.approx(IE_GRID * GB_TD / GB_GEN)  # 0.02836
    assert f.fallback and f.confidence == "D" and f.unit == "kg CO2e/kWh"
    assert (
        "STAND-IN for IE" in f.source and "0.01853" in f.source and "0.177" in f.source
    )
    assert (
        upstream_stand_in(
            load_factor_set("desnz-2024"),
            "wtt_electricity_td",
            grid_intensity("IE"),
            "IE",
        )
        is None
    )
    with pytest.raises(ValueError, match="natural_gas"):
        upstream_stand_in(fs, "natural_gas", grid_intensity("IE"), "IE")


# --- a site in Ireland, accounted -----------------------------------------------------------------
def test_irish_site_takes_irish_grid_and_stand_in_td():
    org = toy(country=["GB", "GB", "IE"])
    fp = account(org, POLICY, current_plan(org), load_factor_set("desnz-2025"))
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    assert line(fp, CAT_ELECTRICITY, "Electricity (location-based)") == pytest.approx(
        GB_KWH * GB_GEN + C_KWH * IE_GRID
    )
    assert line(fp, CAT_ENERGY_UPSTREAM, "Electricity T&D losses") == pytest.approx(
        GB_KWH * GB_TD + C_KWH * IE_GRID * GB_TD / GB_GEN
    )
    td_line = next(x for x in fp.lines if x.item == "Electricity T&D losses")
    assert td_line.activity == pytest.approx(GB_KWH + C_KWH)
    assert fp.fallbacks == ("electricity_td_IE",)
    location = next(x for x in fp.lines if x.item == "Electricity (location-based)")
    assert location.factor_keys == ("electricity_generation", "grid_IE")
    assert td_line.factor_keys == ("electricity_td", "electricity_td_IE")
    note = irish_note(fp)
    assert (
        "IE values for grid electricity 0.27091" in note
        and "residual mix 0.36874" in note
    )
    # the stand-in part names T&D only: the grid is an Irish value, not a UK stand-in
    stand_in = note.split("stands in")[1]
    assert "electricity_td 0.02836" in stand_in and "grid electricity" not in stand_in
    commute_note = next(n for n in fp.notes if "staff at sites in IE" in n)
    assert (
        "GB values stand in" in commute_note and "homeworking 0.33378" in commute_note
    )


def test_irish_site_well_to_tank_uses_stand_in_shares():
    org = toy(country=["GB", "GB", "IE"])
    wtt_on = Policy(office_days_per_week=3, video_share=0.5, well_to_tank=True)
    fs = load_factor_set("desnz-2025")
    on = account(org, wtt_on, current_plan(org), fs)
    GB_KWH, C_KWH = kwh(on)  # noqa: N806
    used = on.factor_by_name()
    assert used["wtt_electricity_generation_IE"].value == pytest.approx(
        IE_GRID * GB_WTT_GEN / GB_GEN
    )
    assert used["wtt_electricity_td_IE"].value == pytest.approx(
        IE_GRID * GB_WTT_TD / GB_GEN
    )
    # the building WTT line, less its gas part (A and B heat with gas; C is electric)
    gas_kwh = float(on.sites.heating_kwh[0] + on.sites.heating_kwh[1])
    wtt = line(on, CAT_ENERGY_UPSTREAM, "Well-to-tank of building energy")
    assert wtt - gas_kwh * fs.value("wtt_natural_gas") == pytest.approx(
        GB_KWH * (GB_WTT_GEN + GB_WTT_TD)
        + C_KWH * IE_GRID * (GB_WTT_GEN + GB_WTT_TD) / GB_GEN
    )
    assert set(on.fallbacks) == {
        "electricity_td_IE",
        "wtt_electricity_generation_IE",
        "wtt_electricity_td_IE",
    }
    assert "well-to-tank" in irish_note(on)


def test_site_without_contract_uses_the_countrys_residual_mix():
    org = toy(country=["GB", "GB", "IE"])
    fp = account(org, POLICY, current_plan(org), load_factor_set("desnz-2025"))
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    # GB sites: no GB residual mix, the grid stands in; the Irish site: AIB 2025 residual mix
    assert fp.scope2_market_kgco2e == pytest.approx(
        GB_KWH * GB_GEN + C_KWH * IE_RESIDUAL
    )
    assert fp.scope2_location_kgco2e == pytest.approx(GB_KWH * GB_GEN + C_KWH * IE_GRID)
    market = next(x for x in fp.memo_lines if x.item == "Electricity (market-based)")
    assert "residual_mix_IE" in market.factor_keys
    assert fp.factor_by_name()["residual_mix_IE"].source.startswith(
        "AIB European Residual Mixes 2025"
    )
    stand = next(n for n in fp.notes if n.startswith("Market-based Scope 2"))
    assert "2 open site(s)" in stand and "London" in stand and "Cambridge" not in stand


def test_contract_and_certificates_beat_the_residual_mix():
    org = toy(
        country=["GB", "GB", "IE"],
        supplier_factor_kg_per_kwh=[None, None, None],
        renewable_share=[0.0, 0.0, 0.5],
    )
    fp = account(org, POLICY, current_plan(org), load_factor_set("desnz-2025"))
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    assert fp.scope2_market_kgco2e == pytest.approx(
        GB_KWH * GB_GEN + C_KWH * 0.5 * IE_RESIDUAL
    )
    org = toy(country=["GB", "GB", "IE"], supplier_factor_kg_per_kwh=[None, None, 0.1])
    fp = account(org, POLICY, current_plan(org), load_factor_set("desnz-2025"))
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    assert fp.scope2_market_kgco2e == pytest.approx(GB_KWH * GB_GEN + C_KWH * 0.1)
    assert "residual_mix_IE" not in fp.factor_by_name()


def test_full_disclosure_country_has_no_residual_mix_and_says_so():
    org = toy(country=["GB", "GB", "NL"])
    fp = account(org, POLICY, current_plan(org), load_factor_set("desnz-2025"))
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    assert fp.scope2_market_kgco2e == pytest.approx(fp.scope2_location_kgco2e)
    stand = next(n for n in fp.notes if n.startswith("Market-based Scope 2"))
    assert "3 open site(s)" in stand and "Cambridge" in stand
    assert "residual mix" not in next(
        n for n in fp.notes if n.startswith("Sites in NL")
    )


def test_home_set_residual_mix_wins_over_the_table():
    fs = load_factor_set("desnz-2025").with_overrides(
        {"electricity_residual_mix": 0.3}, source="Example GB residual mix (test value)"
    )
    org = toy(country=["GB", "GB", "IE"])
    fp = account(org, POLICY, current_plan(org), fs)
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    assert fp.scope2_market_kgco2e == pytest.approx(GB_KWH * 0.3 + C_KWH * IE_RESIDUAL)
    assert not any(n.startswith("Market-based Scope 2") for n in fp.notes)


def test_reports_name_the_residual_mix_source():
    from footprint.reports.tables import factor_table

    org = toy(country=["GB", "GB", "IE"])
    fp = account(org, POLICY, current_plan(org), load_factor_set("desnz-2025"))
    GB_KWH, C_KWH = kwh(fp)  # noqa: N806
    table = factor_table(list(fp.factors_used))
    labels = [c.label for c in table.columns]
    rows = [dict(zip(labels, r, strict=True)) for r in table.rows]
    residual = [r for r in rows if r["Factor"] == "electricity_residual_mix"]
    assert (
        len(residual) == 1
        and "AIB European Residual Mixes 2025" in residual[0]["Source"]
    )
    flagged = {r["Factor"] for r in rows if r["Fallback"] == "FALLBACK"}
    assert flagged == {
        "electricity_td"
    }  # the Irish T&D stand-in; the UK T&D row is not flagged
    assert "(AIB European Residual Mixes 2025, Version 1.0" in irish_note(fp)
