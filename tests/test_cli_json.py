"""``--json`` prints JSON only, also when HiGHS runs (no banner on stdout)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Each CLI call builds the demo's cost matrices first (about 35 s), whatever the time limit.
slow = pytest.mark.slow


def _cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "footprint", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@slow
def test_optimise_json_is_json() -> None:
    out = _cli("optimise", "scenarios/hubs-30.toml", "--json", "--time-limit", "5",
               "--method", "exact")
    assert out.returncode == 0, out.stderr
    assert "Running HiGHS" not in out.stdout
    assert isinstance(json.loads(out.stdout), dict)


@slow
def test_run_json_with_optimised_hubs_is_json(tmp_path: Path) -> None:
    scenario = tmp_path / "optimise.toml"
    baseline = (ROOT / "scenarios" / "baseline.toml").as_posix()
    scenario.write_text(
        "schema_version = 1\n"
        'name = "optimised hubs"\n'
        f'baseline = "{baseline}"\n'
        "\n[organisation]\n"
        'source = "demo"\n'
        "\n[hubs]\n"
        'selection = "optimise"\n'
        "count = 30\n"
        "\n[optimiser]\n"
        'method = "exact"\n'
        "time_limit_s = 5.0\n",
        encoding="utf-8",
    )
    out = _cli("run", str(scenario), "--json")
    assert out.returncode == 0, out.stderr
    assert "Running HiGHS" not in out.stdout
    assert isinstance(json.loads(out.stdout), dict)


def test_warm_up_prints_nothing() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import footprint.locate as o; o.warm_up()"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
