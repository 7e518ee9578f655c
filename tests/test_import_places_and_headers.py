"""Issue 11, last parts: an ambiguous home town resolved by the person's office (with a note), and the
header row named by the user (``data check --header-row N``)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from footprint.cli import main
from footprint.errors import InputError
from footprint.imports import read_organisation, read_sites, read_staff
from footprint.imports.gazetteer import gazetteer
from footprint.imports.geocode import distance_km, nearest_clear_choice
from footprint.imports.organisation import site_aliases, site_locations

# Cardiff, Telford and London offices: 'Newport' is Newport (Wales) for Cardiff, Newport (Shropshire) for
# Telford, and none clearly for London (Newport, Essex 55 km; Newport, Isle of Wight 115 km).
OFFICES = (
    "site_id,name,lat,lon,headcount\n"
    "CDF,Cardiff,51.4816,-3.1791,3\n"
    "TEL,Telford,52.6784,-2.4453,2\n"
    "LON,London,51.5074,-0.1278,2\n"
)
STAFF = "employee_id,current_site_id,home_location,commute_mode\n" + "".join(
    f"e{i},{o},Newport,car\n" for i, o in enumerate(["CDF", "CDF", "TEL", "CDF", "TEL", "LON", "LON"])
)
NEWPORT_WALES = (51.58774, -2.99835)  # GeoNames 2641598, the city
NEWPORT_SHROPSHIRE = (52.76667, -2.37669)  # GeoNames, the Shropshire town (gb_places.csv)


def _newports():
    primary, _ = gazetteer().find("Newport")
    return [p for p in primary if p.country == "GB"]


def test_distance_km_london_paris():
    # published great-circle distance London (51.5074, -0.1278) – Paris (48.8566, 2.3522): about 343.5 km
    assert distance_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=0.5)
    assert distance_km(52.0, -1.0, 52.0, -1.0) == 0.0


def test_clear_choice_rule():
    options = _newports()
    cardiff = nearest_clear_choice(options, 51.4816, -3.1791)
    assert cardiff is not None
    place, km = cardiff
    assert (place.lat, place.lon) == pytest.approx(NEWPORT_WALES, abs=1e-3) and place.region == "Wales"
    assert km == pytest.approx(distance_km(51.4816, -3.1791, place.lat, place.lon)) and 15 < km < 20
    telford = nearest_clear_choice(options, 52.6784, -2.4453)
    assert telford is not None and (telford[0].lat, telford[0].lon) == pytest.approx(NEWPORT_SHROPSHIRE, abs=1e-3)
    # London: the nearest (Newport, Essex, ~55 km) is within 100 km but the next (~115 km) is not 3x as far
    assert nearest_clear_choice(options, 51.5074, -0.1278) is None
    # Aberdeen: every Newport is more than 100 km away
    assert nearest_clear_choice(options, 57.15, -2.09) is None
    # unknown office position: no choice
    assert nearest_clear_choice(options, float("nan"), -3.0) is None


def test_staff_newport_resolved_by_office_with_one_note_per_town_and_office():
    sites = read_sites(OFFICES.encode(), "offices.csv")
    rep = read_staff(STAFF.encode(), "staff.csv", site_ids=site_aliases(sites.table),
                     site_locations=site_locations(sites.table))
    taken = [n for n in rep.notes if n.startswith("'Newport'")]
    assert len(taken) == 2
    assert taken[0].startswith("'Newport' (3 rows: 2, 3, 5): taken as Newport, Wales (51.59, -3.00), 17 km from "
                               "office 'CDF', not Newport, England (50.70, -1.29), ")
    assert taken[1].startswith("'Newport' (2 rows: 4, 6): taken as Newport, England (52.77, -2.38), 11 km from "
                               "office 'TEL', not Newport, Wales (51.59, -3.00), ")
    assert "within 100 km of the person's office and every other is at least 3 times as far" in taken[0]
    # London's staff keep today's problem: once, with the row count
    (p,) = rep.problems
    assert (p.source, p.row, p.field) == ("staff.csv", 7, "home_location")
    assert p.message.startswith("'Newport' is ambiguous: it could be Newport, Wales, GB")
    assert p.message.endswith("(2 rows: 7, 8)")
    assert rep.invalid_rows == (7, 8) and rep.n_valid == 5
    # the homes are in the grid cells of the chosen towns (nothing else moved)
    g = rep.table
    cells = {(s, la, lo): c for s, la, lo, c in zip(g.current_site_id, g.home_lat, g.home_lon, g.count, strict=True)}
    cell = lambda lat, lon: (round((np.floor(lat / 0.05) + 0.5) * 0.05, 5),  # noqa: E731
                             round((np.floor(lon / 0.08) + 0.5) * 0.08, 5))
    assert cells == {("CDF", *cell(*NEWPORT_WALES)): 3.0, ("TEL", *cell(*NEWPORT_SHROPSHIRE)): 2.0}


def test_without_office_positions_newport_stays_ambiguous():
    rep = read_staff(STAFF.encode(), "staff.csv", site_ids=["CDF", "TEL", "LON"])
    (p,) = rep.problems
    assert p.row == 2 and p.message.endswith("(7 rows: 2, 3, 4, 5, 6, …)") and rep.table is None


def test_read_organisation_resolves_by_office(tmp_path: Path):
    (tmp_path / "offices.csv").write_text(OFFICES)
    (tmp_path / "staff.csv").write_text(STAFF.replace("LON,Newport", "LON,CB11 3AA"))
    org = read_organisation(tmp_path / "offices.csv", tmp_path / "staff.csv")
    assert org.staff.total == 7.0
    assert dict(zip(org.sites.site_id, org.headcount_by_site, strict=True)) == {"CDF": 3.0, "TEL": 2.0, "LON": 2.0}


def test_cli_check_prints_the_notes(tmp_path: Path):
    (tmp_path / "offices.csv").write_text(OFFICES)
    (tmp_path / "staff.csv").write_text(STAFF)
    res = CliRunner().invoke(main, ["data", "check", str(tmp_path / "offices.csv"), str(tmp_path / "staff.csv")])
    assert res.exit_code == 2  # London's Newport is still a problem
    assert "note: 'Newport' (3 rows: 2, 3, 5): taken as Newport, Wales (51.59, -3.00), 17 km from office 'CDF'" \
        in res.output
    assert "staff.csv, row 7, field 'home_location': 'Newport' is ambiguous" in res.output
    (tmp_path / "staff.csv").write_text("\n".join(STAFF.splitlines()[:6]) + "\n")
    res = CliRunner().invoke(main, ["data", "check", str(tmp_path / "offices.csv"), str(tmp_path / "staff.csv")])
    assert res.exit_code == 0, res.output


# --- the header row named by the user ----------------------------------------------------------
TITLED_CSV = (
    "Acme Ltd offices\n"
    "Exported from the property register on 2026-01-05\n"
    "Building ref,lat,lon,headcount\n"
    "A,52.48,-1.89,10\n"
    "B,53.48,-2.24,x\n"
)


def _titled_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "About"
    cover["A1"] = "Read me: offices of Acme Ltd"
    ws = wb.create_sheet("Offices")
    ws["A1"] = "Acme Ltd offices"
    ws.merge_cells("A1:D1")
    ws["A2"] = "Exported from the property register on 2026-01-05"
    for r in (["Building ref", "lat", "lon", "headcount"], ["A", 52.48, -1.89, 10], ["B", 53.48, -2.24, "x"]):
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_header_row_given(kind: str):
    data = TITLED_CSV.encode() if kind == "csv" else _titled_xlsx()
    rep = read_sites(data, f"offices.{kind}", header_row=3)
    assert rep.column_map["Building ref"] == "site_id"
    assert rep.table.site_id == ("A",) and rep.table.headcount.tolist() == [10]
    # rows keep their numbers in the file: B is on row 5
    (p,) = rep.problems
    assert (p.source, p.row, p.field) == (f"offices.{kind}", 5, "headcount")
    note = "header on row 3, as given" if kind == "csv" else "read sheet 'Offices' with the header on row 3, as given"
    assert note in rep.notes


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(("row", "says"), [
    (1, "row 1{sheet}, given as the header row, holds 'Acme Ltd offices': none of the columns Footprint needs "
        "(site_id, headcount); the header seems to be on row 3"),
    (2, "row 2{sheet}, given as the header row, holds 'Exported from the property register on 2026-01-05': none "
        "of the columns Footprint needs (site_id, headcount); the header seems to be on row 3"),
    (40, "the header row is given as row 40, but the file{sheet} ends on row 5; the header seems to be on row 3"),
])
def test_wrong_header_row_is_a_problem(kind: str, row: int, says: str):
    data = TITLED_CSV.encode() if kind == "csv" else _titled_xlsx()
    if kind == "csv" and row < 3:
        # the unpadded one-cell title rows then set the CSV's column count: a clear parse problem on row 3
        data = TITLED_CSV.replace("offices\n", "offices,,,\n").replace("05\n", "05,,,\n").encode()
    with pytest.raises(InputError) as e:
        read_sites(data, f"offices.{kind}", header_row=row)
    (p,) = e.value.problems
    assert (p.source, p.row, p.field) == (f"offices.{kind}", row, "header_row")
    sheet = " of sheet 'Offices'" if kind == "xlsx" else ""
    assert p.message.startswith(says.format(sheet=sheet))


def test_cli_header_row(tmp_path: Path):
    (tmp_path / "offices.csv").write_text(TITLED_CSV.replace(",x\n", ",8\n"))
    (tmp_path / "offices.xlsx").write_bytes(_titled_xlsx())
    res = CliRunner().invoke(main, ["data", "check", str(tmp_path / "offices.csv"), "--header-row", "3"])
    assert res.exit_code == 0, res.output
    assert "note: header on row 3, as given" in res.output
    res = CliRunner().invoke(main, ["data", "check", str(tmp_path / "offices.xlsx"), "--header-row", "3"])
    assert res.exit_code == 2 and "offices.xlsx, row 5, field 'headcount'" in res.output
    res = CliRunner().invoke(main, ["data", "check", str(tmp_path / "offices.xlsx"), "--header-row", "2"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "offices.xlsx, row 2, field 'header_row': row 2 of sheet 'Offices', given as the header row" in res.output
    res = CliRunner().invoke(main, ["data", "check", str(tmp_path / "offices.csv"), "--header-row", "0"])
    assert res.exit_code == 2 and "--header-row" in res.output
