"""Readers of offices and staff files: exact problems and row numbers, formats, units, mapping."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from footprint.errors import InputError
from footprint.imports import (
    GRID_DEG_LAT,
    GRID_DEG_LON,
    read_organisation,
    read_sites,
    read_staff,
    template_bytes,
)

DATA = Path(__file__).parent / "data" / "imports"


def _by_row(report):
    return {(p.row, p.field): p.message for p in report.problems}


def test_latitude_out_of_range_names_swap_or_typo(tmp_path):
    f = tmp_path / "offices.csv"
    f.write_text("site_id,name,lat,lon,headcount,floor_area_m2\nA1,Alpha,95,2,10,100\nA2,Beta,52.5,200,10,100\n")
    got = _by_row(read_sites(f))
    assert got[(2, "lat")] == ("95 is out of range (latitude must be from -90 to 90 degrees); if 'lat' and 'lon' "
                               "are swapped in this row exchange them, otherwise correct the latitude")
    assert got[(3, "lon")] == "200 is out of range; longitude must be from -180 to 180 degrees"


def test_offices_errors_exact_messages_and_rows():
    r = read_sites(DATA / "offices_errors.csv")
    got = _by_row(r)
    assert got[(3, "lat")] == "'abc' is not a number; enter a number, e.g. 52.4862"
    assert got[(4, "lat")] == ("latitude -1.9 and longitude 52.48 look swapped; exchange the values of 'lat' "
                               "and 'lon' in this row")
    assert got[(5, "headcount")] == "-5 is out of range; 'headcount' must be ≥ 0 [people]"
    assert got[(6, "site_id")] == "'A1' is a duplicate of row 2; ids must be unique"
    assert got[(7, "site_id")] == "is empty; every office needs a unique id"
    assert got[(8, "location")].startswith("'Newport' is ambiguous: it could be Newport, Wales, GB")
    assert got[(9, "location")].startswith("'Xyzzyville' is not a town, city or UK postcode district")
    assert got[(11, "lon")] == "is empty but 'lat' is given; give both or neither"
    assert got[(12, "headcount")] == "is empty; enter a number [people], e.g. 120"
    assert got[(12, "floor_area_m2")] == "-20 is out of range; 'floor_area_m2' must be ≥ 0 [m²]"
    assert got[(13, "location")].startswith("has no location")
    assert r.n_rows == 12 and r.n_valid == 1
    assert r.invalid_rows == tuple(range(3, 14))
    assert r.table.site_id == ("A1",)
    # the message as the user reads it names file, spreadsheet row and column
    assert str(r.problems[0]).startswith("offices_errors.csv, row 3, field 'lat': ")
    assert "the header is row 1" in r.headline()
    with pytest.raises(InputError):
        r.raise_if_problems()


def test_staff_errors_exact_messages_and_rows():
    r = read_staff(DATA / "staff_errors.csv", site_ids=["A1"])
    got = _by_row(r)
    assert got[(4, "office")] == ("office 'ZZ' is not in the offices file; add it there or correct the id "
                                  "(ids and office names are both accepted)")
    assert got[(5, "employee_id")].startswith("'1' is a duplicate of row 2")
    assert got[(6, "mode")].startswith("'hovercraft' is not a commute mode Footprint knows")
    assert got[(7, "home_postcode")].startswith("has no location")
    assert got[(8, "fte")] == "-1 is out of range; 'fte' must be > 0 [people]"
    assert got[(9, "home_postcode")].startswith("'Newport' is ambiguous")
    assert r.invalid_rows == (4, 5, 6, 7, 8, 9)
    assert r.n_valid == 2 and r.table.total == 2.0
    assert r.column_map["office"] == "current_site_id" and r.column_map["fte"] == "count"


@pytest.mark.parametrize(("name", "text"), [
    ("empty.csv", "the file is empty"),
    ("not_really.xlsx", "this is not an Excel .xlsx file"),
    ("broken.xlsx", "this .xlsx file is damaged"),
    ("binary.csv", "this is not a text CSV file"),
])
def test_unreadable_files(name, text):
    with pytest.raises(InputError) as e:
        read_sites(DATA / name)
    assert e.value.problems[0].source == name
    assert e.value.problems[0].message.startswith(text)


def test_huge_file_is_refused(monkeypatch):
    import footprint.imports.tables as tables

    monkeypatch.setattr(tables, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="above the limit"):
        read_sites(b"site_id,lat,lon,headcount\n" + b"A,1,1,1\n" * 20, "big.csv")
    monkeypatch.setattr(tables, "MAX_BYTES", 10**6)
    monkeypatch.setattr(tables, "MAX_ROWS", 5)
    with pytest.raises(InputError, match="more than 5 data rows"):
        read_sites(b"site_id,lat,lon,headcount\n" + b"A,1,1,1\n" * 20, "big.csv")


def test_encodings_delimiters_units():
    r = read_sites(DATA / "semicolon_ft2.csv")
    assert r.ok and r.units == {"floor_area": "ft2"}
    assert r.table.lat[0] == pytest.approx(52.48) and r.table.lon[0] == pytest.approx(-1.90)
    assert r.table.floor_area_m2[0] == pytest.approx(1076 * 0.09290304)
    assert read_sites(DATA / "cp1252.csv").table.name == ("Café Zürich £",)
    bom = read_sites(DATA / "bom.csv")
    assert bom.ok and bom.column_map == {"Site ID": "site_id", "Name": "name", "Latitude": "lat",
                                         "Longitude": "lon", "Head count": "headcount"}
    tab = read_sites(b"id\tlatitude\tlongitude\tstaff\tArea\nA\t52\t-1\t3\t100\n", "t.tsv", area_unit="ft2")
    assert tab.ok and tab.table.floor_area_m2[0] == pytest.approx(9.290304)


def test_mapping_and_unmatched_columns():
    data = b"Key,Where,People,Colour\nX1,Leeds,4,blue\n"
    r = read_sites(data, "o.csv")
    assert not r.ok and any("required column 'site_id'" in p.message for p in r.problems)
    r = read_sites(data, "o.csv", mapping={"Key": "site_id", "Where": "location"})
    assert r.ok and r.unmatched_columns == ("Colour",)
    assert r.table.lat[0] == pytest.approx(53.80, abs=0.05)
    bad = read_sites(data, "o.csv", mapping={"Key": "nonsense"})
    assert any("not a column Footprint reads" in p.message for p in bad.problems)


def test_xlsx_and_csv_give_the_same_result():
    csv_bytes = (DATA / "offices_errors.csv").read_bytes()
    frame = pd.read_csv(io.BytesIO(csv_bytes), dtype=str, keep_default_na=False)
    buf = io.BytesIO()
    frame.replace("", None).to_excel(buf, index=False)
    a = read_sites(csv_bytes, "offices.csv")
    b = read_sites(buf.getvalue(), "offices.xlsx")
    assert a.table == b.table
    assert [(p.row, p.field, p.message) for p in a.problems] == [(p.row, p.field, p.message) for p in b.problems]
    staff = (DATA / "staff_errors.csv").read_bytes()
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(staff), dtype=str, keep_default_na=False).to_excel(buf, index=False)
    sa = read_staff(staff, "s.csv", site_ids=["A1"])
    sb = read_staff(buf.getvalue(), "s.xlsx", site_ids=["A1"])
    assert sa.table == sb.table and sa.invalid_rows == sb.invalid_rows


@pytest.mark.parametrize("kind", ["offices", "staff"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_import_cleanly(kind, fmt):
    data = template_bytes(kind, fmt)
    if kind == "offices":
        r = read_sites(data, f"t.{fmt}")
    else:
        r = read_staff(data, f"t.{fmt}", site_ids=["LON01", "BHM01", "CDF01"])
    assert r.ok, r.to_text()


def test_aggregation_keeps_no_individual_home():
    rows = "home_lat,home_lon,current_site_id,commute_mode\n" + "".join(
        f"{52.4 + i * 0.0013:.5f},{-1.9 + i * 0.0007:.5f},A,car\n" for i in range(40))
    r = read_staff(rows.encode(), "s.csv")
    g = r.table
    assert g.total == 40 and len(g) < 10
    assert np.allclose((g.home_lat / GRID_DEG_LAT) % 1, 0.5) and np.allclose((g.home_lon / GRID_DEG_LON) % 1, 0.5)


def test_read_organisation_and_scenario(tmp_path):
    ex = Path(__file__).parents[1] / "examples" / "own-data"
    org = read_organisation(ex / "offices.csv", ex / "staff.csv", name="x")
    assert len(org.sites) == 12 and org.staff.total == 500
    assert "aggregated" in org.data_card
    (tmp_path / "o.csv").write_bytes((DATA / "offices_errors.csv").read_bytes())
    (tmp_path / "s.csv").write_bytes((DATA / "staff_errors.csv").read_bytes())
    with pytest.raises(InputError) as e:
        read_organisation(tmp_path / "o.csv", tmp_path / "s.csv")
    # staff offices are checked against the valid offices even when some offices are invalid ('ZZ' is unknown)
    assert len(e.value.problems) == 12 + 6
    assert "header is row 1" in str(e.value)


def test_cli_run_and_check(tmp_path):
    from click.testing import CliRunner

    from footprint.cli import main

    ex = Path(__file__).parents[1] / "examples" / "own-data"
    runner = CliRunner()
    res = runner.invoke(main, ["run", str(ex / "my-scenario.toml")])
    assert res.exit_code == 0, res.output
    assert "12 sites, 500 staff" in res.output
    res = runner.invoke(main, ["data", "check", str(DATA / "offices_errors.csv")])
    assert res.exit_code == 2 and "row 3, field 'lat'" in res.output
    out = tmp_path / "o.xlsx"
    res = runner.invoke(main, ["data", "template", "offices", "--format", "xlsx", "-o", str(out)])
    assert res.exit_code == 0 and out.read_bytes()[:2] == b"PK"
