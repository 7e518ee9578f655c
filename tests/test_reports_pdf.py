"""PDF reports: headline numbers, factor sources, glyphs, zero lines, rendering, CLI."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from footprint.reports import comparison_report, scenario_report
from footprint.reports.tables import factors_used
from footprint.scenario import load_scenario, run_scenario, with_policy
from footprint.scenario.summary import result_to_dict

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def result():
    return run_scenario(load_scenario(SCENARIOS / "hubs-30.toml"))


@pytest.fixture(scope="module")
def pdf_bytes(result):
    return scenario_report(result, "pdf")


@pytest.fixture(scope="module")
def text(pdf_bytes):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_is_a_pdf_with_pages(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf_bytes)).pages) >= 8


def test_headline_numbers_match_result_to_dict(result, text):
    d = result_to_dict(result)
    for value in (d["footprint"]["total_tco2e"], d["baseline"]["total_tco2e"], d["change"]["total_tco2e"]):
        assert f"{abs(value):,.1f}" in text
    for cat, value in d["change"]["by_category_tco2e"].items():
        assert f"{value:+,.1f}" in text, cat
    for scope, value in d["footprint"]["by_scope_tco2e"].items():
        assert f"{value:,.1f}" in text, scope
    assert f"{d['footprint']['commute']['mean_km']:,.1f} km" in text
    assert f"{d['footprint']['floor_area_m2']:,.0f} m²" in text
    assert "290 offices closed" in text and "30 offices kept" in text


def test_glyphs_and_embedded_fonts(pdf_bytes, text):
    assert "CO₂e" in text
    assert "m²" in text
    assert b"DejaVuSans" in pdf_bytes  # embedded (subset) font names
    assert b"FontFile2" in pdf_bytes


def test_factor_table_lists_every_factor_with_source(result, text):
    flat = _flat(text)
    for f in factors_used(result):
        assert f.key in flat, f.key
        assert f"{f.value:g}" in flat, f.key
    assert "DESNZ 2025 conversion factors" in flat
    assert "Methodology" in text and "H = Sᵀ · T · S" in text
    assert "Data card" in text


def test_zero_business_travel_keeps_the_lines():
    res = run_scenario(with_policy(load_scenario(SCENARIOS / "hubs-30.toml"), video_share=1.0))
    bt = [ln for ln in res.footprint.lines if ln.category == "Scope 3 cat. 6: business travel"]
    assert bt and all(ln.kgco2e == 0 for ln in bt)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(scenario_report(res, "pdf"))).pages)
    page = next(t for t in text.split("Business travel and emission lines")[1:])
    for item in ("Car (unknown fuel)", "National rail", "Air (with radiative forcing)", "Hotel nights"):
        line = next(ln for ln in page.splitlines() if ln.startswith(item))
        assert line.split()[-2] == "0.0", line  # scenario column is zero
    assert "Scope 3 cat. 6: business travel" in text


class _Sweep:
    def __init__(self):
        self.points = [{"n_hubs": n, "total_tco2e": 90_000 - 400 * n + 6 * n * n, "mean_commute_km": 40 - 0.7 * n}
                       for n in (10, 20, 30, 40)]
        self.knee_index = 2


def test_pareto_chart_only_with_a_sweep(result, text):
    assert "Pareto front" not in text
    with_sweep = scenario_report(result, "pdf", sweep=_Sweep())
    assert "Pareto front" in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(with_sweep)).pages)


def test_unknown_format_is_a_clear_error(result):
    with pytest.raises(ValueError, match="unknown report format 'docx'"):
        scenario_report(result, "docx")
    with pytest.raises(ValueError, match="2 to 6 scenarios"):
        comparison_report([result], "pdf")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_first_pages_render_to_png(pdf_bytes, tmp_path):
    src = tmp_path / "r.pdf"
    src.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "3", str(src), str(tmp_path / "p")],
                   check=True, capture_output=True, timeout=60)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 3
    from PIL import Image

    with Image.open(pngs[2]) as im:  # the charts page is not blank
        lo, hi = im.convert("L").getextrema()
        assert hi - lo > 100


def test_cli_run_and_compare_write_reports(tmp_path, monkeypatch):
    from footprint.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "r.pdf"
    res = CliRunner().invoke(main, ["run", "scenarios/hubs-30.toml", "--report", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"%PDF-")
    cmp = tmp_path / "cmp.pdf"
    res = CliRunner().invoke(main, ["compare", "scenarios/hubs-30.toml", "scenarios/hybrid-video.toml",
                                    "--report", str(cmp)])
    assert res.exit_code == 0, res.output
    text = "\n".join(p.extract_text() for p in PdfReader(cmp).pages)
    assert "2 scenarios side by side" in text and "CO₂e" in text
    assert "30 hubs, 2 office days, 70 % video" in _flat(text)
