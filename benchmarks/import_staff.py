"""Benchmark: read + validate + geocode + aggregate 200,000 staff rows.

Usage: ``python benchmarks/import_staff.py [N_ROWS]``. Writes a temporary CSV
(homes as UK postcode districts, towns and lat/lon, 12 offices, 8 modes), then
times :func:`footprint.imports.read_staff` and prints the figures. The offline
gazetteer is built first and timed separately (it is built once per process).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not another install

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from footprint.imports import read_staff  # noqa: E402
from footprint.imports.gazetteer import gazetteer  # noqa: E402


def make_csv(path: Path, n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    gaz = gazetteer()
    districts = np.array(sorted(gaz.districts))
    towns = np.array(["Leeds", "Birmingham", "Bristol", "Walsall", "York", "Reading", "Glasgow", "Cardiff"])
    offices = np.array([f"OFF{i:02d}" for i in range(12)])
    modes = np.array(["car", "Car (petrol)", "rail", "bus", "walk", "cycle", "Train", "tube"])
    kind = rng.integers(0, 10, n)
    loc = np.where(kind < 7, rng.choice(districts, n), np.where(kind < 8, rng.choice(towns, n), ""))
    lat = np.where(kind >= 8, np.round(rng.uniform(50.5, 55.5, n), 4).astype(str), "")
    lon = np.where(kind >= 8, np.round(rng.uniform(-4.5, 0.5, n), 4).astype(str), "")
    pd.DataFrame({
        "Employee ID": [f"E{i:07d}" for i in range(n)],
        "Home postcode": loc, "Home lat": lat, "Home lon": lon,
        "Base office": rng.choice(offices, n), "Commute mode": rng.choice(modes, n),
    }).to_csv(path, index=False)


def main(n: int = 200_000) -> None:
    t0 = time.perf_counter()
    gazetteer()
    t_gaz = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        make_csv(path, n)
        size = path.stat().st_size
        t0 = time.perf_counter()
        report = read_staff(path, site_ids=[f"OFF{i:02d}" for i in range(12)])
        t_read = time.perf_counter() - t0
    sys.stdout.write(
        f"rows: {report.n_rows:,} ({size / 1e6:.1f} MB CSV); valid: {report.n_valid:,}; problems: "
        f"{len(report.problems):,}; groups: {len(report.table):,}\n"
        f"gazetteer build (once per process): {t_gaz:.2f} s\n"
        f"read + validate + geocode + aggregate: {t_read:.2f} s ({report.n_rows / t_read:,.0f} rows/s)\n"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
