"""``python -m footprint sweep --carbon-prices``: the carbon–cost front on the toy, hand-computed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from footprint.cli import main
from footprint.decisions.pricesweep import non_dominated

SITES = """site_id,name,lat,lon,headcount,desks,floor_area_m2,electricity_kwh_per_m2,heating_kwh_per_m2,heating_fuel,max_desks
A,London,51.5074,-0.1278,10,10,1000,100,150,gas,40
B,Reading,51.4543,-0.9781,4,4,400,120,100,gas,20
C,Cambridge,52.2053,0.1218,6,6,600,90,130,electric,20
"""
STAFF = """home_lat,home_lon,count,current_site_id,commute_mode
51.6,-0.20,10,A,rail
51.40,-0.90,4,B,car_petrol
52.30,0.20,5,C,car_diesel
51.50,-0.13,1,C,underground
"""
# One hub of 12 desks × 12 m² + 500 m² (see test_decisions_budget.py) at regional occupancy + hub energy
HUB_M2 = 644
READING_GBP = HUB_M2 * (
    377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.06
)  # gas heating: £446,153.54
CAMBRIDGE_GBP = HUB_M2 * (
    377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.21
)  # electric heating: £453,881.54


@pytest.fixture
def toy_scenario(tmp_path: Path) -> Path:
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    p = tmp_path / "toy.toml"
    p.write_text(
        'schema_version = 1\nname = "toy"\n[organisation]\nsource = "files"\nsites = "sites.csv"\n'
        'staff = "staff.csv"\n[policy]\nannual_budget_gbp = 450000.0\n[hubs]\nselection = "optimise"\n'
        "count = 1\n",
        encoding="utf-8",
    )
    return p


def test_price_sweep_prints_writes_and_marks_the_budget(
    toy_scenario: Path, tmp_path: Path
):
    out = tmp_path / "front.csv"
    args = [
        "sweep",
        str(toy_scenario),
        "--carbon-prices",
        "100000,0",
        "--method",
        "exact",
        "--out",
        str(out),
    ]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    # money only: Reading, the cheapest m²; £100,000/t: Cambridge, the lowest footprint, over the £450,000 budget
    assert [
        (float(x["carbon_price_gbp_per_t"]), x["hubs"], x["within_budget"])
        for x in rows
    ] == [
        (0.0, "B", "True"),
        (100000.0, "C", "False"),
    ]
    assert float(rows[0]["annual_cost_gbp"]) == pytest.approx(READING_GBP)
    assert float(rows[1]["annual_cost_gbp"]) == pytest.approx(CAMBRIDGE_GBP)
    assert float(rows[1]["total_tco2e"]) < float(rows[0]["total_tco2e"])
    assert "446,154" in r.output and "453,882     1  over budget" in r.output
    assert "No knee" in r.output and "1 of 2 are over it" in r.output

    j = CliRunner().invoke(main, [*args[:-2], "--json"])
    data = json.loads(j.output)
    assert [p["hub_ids"] for p in data["points"]] == [["B"], ["C"]]
    assert data["budget_gbp"] == 450000.0 and data["knee"] is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--carbon-prices", "0,-5"],
            "-5: each carbon price must be a number from 0 to 100,000",
        ),
        (["--carbon-prices", "50,nan"], "nan: each carbon price"),
        (["--carbon-prices", "1,x"], "is not a comma list of numbers"),
        (
            ["--carbon-prices", "1", "--hubs", "1:3"],
            "a carbon-price sweep takes one number of hubs",
        ),
        (
            ["--carbon-prices", "1", "--weights", "0,0.1"],
            "give --weights or --carbon-prices, not both",
        ),
    ],
)
def test_bad_prices_are_usage_errors(
    toy_scenario: Path, extra: list[str], message: str
):
    r = CliRunner().invoke(main, ["sweep", str(toy_scenario), *extra])
    assert r.exit_code == 2
    assert message in r.output


def test_non_dominated_and_knee_skip_a_point_beaten_on_both_axes():
    # (t, £): the third point is beaten by the second on both axes
    assert non_dominated([3.0, 1.0, 2.0, 0.5], [1.0, 2.0, 3.0, 5.0]).tolist() == [
        True,
        True,
        False,
        True,
    ]


@pytest.mark.slow
def test_report_draws_the_front_in_the_pdf(toy_scenario: Path, tmp_path: Path):
    import io

    from pypdf import PdfReader

    pdf = tmp_path / "front.pdf"
    r = CliRunner().invoke(
        main,
        [
            "sweep",
            str(toy_scenario),
            "--carbon-prices",
            "0,100000",
            "--method",
            "exact",
            "--report",
            str(pdf),
        ],
    )
    assert r.exit_code == 0, r.output
    text = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages
        ).split()
    )
    assert "Carbon–cost front of the carbon-price sweep" in text
    bad = CliRunner().invoke(
        main, ["sweep", str(toy_scenario), "--carbon-prices", "1", "--report", "x.docx"]
    )
    assert bad.exit_code == 2 and "name it .pdf" in bad.output


def test_the_knee_is_found_among_the_front_points_only():
    from footprint.decisions.pricesweep import PricePoint, _front

    # the hubs-30 sweep's points (£/t, t CO2e, £m): £50/t and £1,000/t are beaten on both axes by £100/t and £250/t;
    # among all points £1,000/t is farthest from the chord, but on the front the knee is £100/t
    pts = [
        PricePoint(p, t, m * 1e6, 30, ())
        for p, t, m in [
            (0, 100627, 392.4165),
            (50, 92736, 392.7118),
            (100, 92201, 392.6760),
            (250, 91029, 392.7032),
            (1000, 91145, 392.8115),
        ]
    ]
    front = _front(pts, None)
    assert front.on_front().tolist() == [True, False, True, True, False]
    assert front.knee == 2
