"""OR-Library readers and known optima (J.E. Beasley's pmed and cap sets)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from footprint.locate import solve
from footprint.locate.instances.or_library import (
    read_cap,
    read_optima,
    read_pmed,
    read_pmed_distances,
)

ORLIB = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "orlib"

pytestmark = pytest.mark.skipif(
    not ORLIB.is_dir(), reason=f"OR-Library data not found at {ORLIB} (expected ../shared)"
)


@pytest.fixture(scope="module")
def pmed_opt() -> dict[str, float]:
    return read_optima(ORLIB / "pmed" / "pmedopt.txt")


@pytest.fixture(scope="module")
def cap_opt() -> dict[str, float]:
    return read_optima(ORLIB / "cap" / "capopt.txt")


def test_optima_files(pmed_opt: dict[str, float], cap_opt: dict[str, float]) -> None:
    assert len(pmed_opt) == 40 and pmed_opt["pmed40"] == 5128
    assert len(cap_opt) == 37 + 12
    assert cap_opt["cap41"] == pytest.approx(1040444.375)
    assert cap_opt["capb-6000"] == pytest.approx(13361927.449)


def test_pmed_reader_last_duplicate_wins(tmp_path: Path) -> None:
    f = tmp_path / "g.txt"
    f.write_text("3 3 1\n1 2 5\n2 3 1\n2 1 2\n")
    d, p = read_pmed_distances(f)
    assert p == 1
    np.testing.assert_array_equal(d, [[0, 2, 3], [2, 0, 1], [3, 1, 0]])


def test_cap_reader_shapes() -> None:
    prob = read_cap(ORLIB / "cap" / "cap41.txt")
    assert prob.cost.shape == (50, 16)
    assert prob.capacity is not None and prob.fixed_cost is not None
    big = read_cap(ORLIB / "cap" / "capa.txt", capacity=8000)
    assert big.cost.shape == (1000, 100) and np.all(big.capacity == 8000)
    with pytest.raises(ValueError, match="capacity"):
        read_cap(ORLIB / "cap" / "capa.txt")


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_pmed_optimum(k: int, pmed_opt: dict[str, float]) -> None:
    name = f"pmed{k}"
    res = solve(read_pmed(ORLIB / "pmed" / f"{name}.txt"), "exact", time_limit=30,
                mip_gap=1e-6)
    assert res.proven_optimal
    assert res.objective == pytest.approx(pmed_opt[name], abs=1e-6)
    assert res.bound <= res.objective + 1e-6


@pytest.mark.parametrize("name", ["cap41", "cap51", "cap61", "cap71", "cap74", "cap101",
                                  "cap131"])
def test_cap_optimum(name: str, cap_opt: dict[str, float]) -> None:
    res = solve(read_cap(ORLIB / "cap" / f"{name}.txt"), "exact", time_limit=30,
                mip_gap=1e-7)
    assert res.proven_optimal
    # capopt prints 3 decimals
    assert res.objective == pytest.approx(cap_opt[name], abs=2e-3)
    assert res.allocation is not None


@pytest.mark.parametrize(("name", "opt"), [("cap71", 932615.750), ("cap101", 796648.437)])
def test_uncapacitated_optimum(name: str, opt: float) -> None:
    res = solve(read_cap(ORLIB / "cap" / f"{name}.txt", uncapacitated=True), "exact",
                time_limit=30, mip_gap=1e-7)
    assert res.proven_optimal and res.objective == pytest.approx(opt, abs=2e-3)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_pmed_heuristic_reaches_optimum(k: int, pmed_opt: dict[str, float]) -> None:
    res = solve(read_pmed(ORLIB / "pmed" / f"pmed{k}.txt"), "heuristic", time_limit=10)
    assert res.objective == pytest.approx(pmed_opt[f"pmed{k}"])
