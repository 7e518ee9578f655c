"""The command line: output, exit codes, one-line errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from footprint.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_run_baseline_json(runner):
    r = runner.invoke(main, ["run", str(ROOT / "scenarios/baseline.toml"), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    fp = data["footprint"]
    assert fp["total_tco2e"] == pytest.approx(sum(fp["by_scope_tco2e"].values()))
    assert fp["sites_open"] == 320
    assert fp["factor_set"]["id"] == "desnz-2025"
    assert all({"value", "unit", "year", "source"} <= set(f) for f in fp["factors"])


def test_run_hubs_shows_change(runner):
    r = runner.invoke(main, ["run", str(ROOT / "scenarios/hubs-30.toml")])
    assert r.exit_code == 0, r.output
    assert "change against baseline (Baseline: today's estate)" in r.stdout
    assert "30 sites open" in r.stdout


def test_bad_scenario_is_one_line_exit_2(runner, tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('schema_version = 1\nname = "x"\n[policy]\nvideo_share = 2\n')
    r = runner.invoke(main, ["run", str(p)])
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        f"footprint: error: {p}, field 'policy.video_share': 2 is out of range; allowed 0 to 1 [share]")
    assert "Traceback" not in r.output


def test_missing_file_exit_2(runner, tmp_path):
    r = runner.invoke(main, ["run", str(tmp_path / "none.toml")])
    assert r.exit_code == 2
    assert "file not found" in r.stderr and "Traceback" not in r.stderr


def test_infeasible_exit_3(runner, tmp_path):
    p = tmp_path / "inf.toml"
    p.write_text('schema_version = 1\nname = "x"\n[hubs]\nselection = "largest"\ncount = 500\n')
    r = runner.invoke(main, ["run", str(p)])
    assert r.exit_code == 3
    assert r.stderr.startswith("footprint: error: The scenario is infeasible: only 320 offices can be hubs")


def test_unknown_report_extension(runner):
    r = runner.invoke(main, ["run", str(ROOT / "scenarios/baseline.toml"), "--report", "x.docx"])
    assert r.exit_code == 2 and "use a name ending in .pdf, .xlsx, .csv or .zip" in r.stderr


def test_compare_needs_two_to_six(runner):
    r = runner.invoke(main, ["compare", str(ROOT / "scenarios/baseline.toml")])
    assert r.exit_code == 2 and "compare takes 2 to 6 scenario files, got 1" in r.stderr


def test_python_dash_m_entry_point():
    out = subprocess.run([sys.executable, "-m", "footprint", "run", "scenarios/nope.toml"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert out.returncode == 2
    assert out.stderr.strip() == "footprint: error: scenarios/nope.toml: file not found; check the path"
