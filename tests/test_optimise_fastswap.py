"""Compiled interchange / iterated local search (footprint.locate.heuristic.interchange)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.locate import LocationProblem
from footprint.locate.evaluate import evaluate, nearest_assignment
from footprint.locate.heuristic.interchange import FastSwap
from footprint.locate.instances.brute_force import brute_force

ORLIB = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "orlib"


def _objective(c: np.ndarray, u: np.ndarray, f: np.ndarray, is_open: np.ndarray) -> float:
    """From scratch: opening costs + each row's cheapest open site or unassigned."""
    best = np.minimum(c[:, is_open].min(axis=1, initial=np.inf), u)
    return float(f[is_open].sum() + best.sum())


def _check_state(fs: FastSwap, c, u, f, forced) -> None:
    """Incremental objective and every move's delta against brute force."""
    is_open = fs.is_open.copy()
    obj = _objective(c, u, f, is_open)
    assert fs.objective == pytest.approx(obj, rel=1e-12, abs=1e-9)
    add, drop, swap = fs.deltas()
    for x in range(c.shape[1]):
        trial = is_open.copy()
        if is_open[x] and not forced[x]:
            trial[x] = False
            assert drop[x] == pytest.approx(_objective(c, u, f, trial) - obj, abs=1e-9)
            for y in np.flatnonzero(~is_open):
                trial2 = trial.copy()
                trial2[y] = True
                assert swap[x, y] == pytest.approx(_objective(c, u, f, trial2) - obj, abs=1e-9)
        elif not is_open[x]:
            trial[x] = True
            assert add[x] == pytest.approx(_objective(c, u, f, trial) - obj, abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), free=st.booleans(), integer=st.booleans(),
       moves=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**6),
                                st.integers(0, 10**6)), max_size=25))
def test_incremental_state_matches_scratch(seed, free, integer, moves) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 12)), int(rng.integers(1, 9))
    c = rng.integers(0, 15, (n, m)).astype(float) if integer else rng.uniform(0, 10, (n, m))
    u = rng.uniform(3, 30, n)
    f = rng.uniform(0, 8, m) if rng.random() < 0.7 else np.zeros(m)
    forced = rng.random(m) < 0.2
    p = None if free else int(rng.integers(max(1, forced.sum()), m + 1))
    # a short sorted prefix exercises the unsorted-tail code paths too
    fs = FastSwap(c, u, f, p, forced, seed=seed, sorted_prefix=int(rng.integers(1, m + 1)))
    start = forced.copy()
    if p is not None:
        free_sites = np.flatnonzero(~forced)
        start[rng.permutation(free_sites)[: p - forced.sum()]] = True
    fs.reset(np.flatnonzero(start))
    _check_state(fs, c, u, f, forced)
    for kind, a, b in moves:
        is_open = fs.is_open
        closable = np.flatnonzero(is_open & ~forced)
        closed = np.flatnonzero(~is_open)
        if p is not None or kind == 0:  # swap
            if closable.size and closed.size:
                fs.apply(add=closed[a % closed.size], drop=closable[b % closable.size])
        elif kind == 1 and closed.size:
            fs.apply(add=closed[a % closed.size])
        elif kind == 2 and closable.size:
            fs.apply(drop=closable[b % closable.size])
        _check_state(fs, c, u, f, forced)
    # the same open set rebuilt from scratch gives the same objective
    again = FastSwap(c, u, f, p, forced)
    again.reset(fs.open_sites())
    assert again.objective == pytest.approx(fs.objective, rel=1e-12, abs=1e-9)
    # a descent ends in a local optimum that keeps the forced sites and p
    fs.descend()
    _, add, drop = fs.best_move()
    assert add is None and drop is None
    assert np.all(fs.is_open[forced])
    if p is not None:
        assert fs.is_open.sum() == p
    _check_state(fs, c, u, f, forced)


@pytest.mark.parametrize("seed", range(20))
def test_forced_sites_never_close(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 40, 12
    c = rng.uniform(0, 10, (n, m))
    forced = np.zeros(m, dtype=bool)
    forced[rng.choice(m, 3, replace=False)] = True
    f = rng.uniform(0, 5, m)
    f[forced] = 1000.0  # closing a forced site would pay off a lot
    c[:, forced] += 50.0
    p = None if seed % 2 else 5
    fs = FastSwap(c, np.full(n, 1e6), f, p, forced, seed=seed)
    fs.greedy(top=3)
    assert np.all(fs.is_open[forced])
    fs.descend()
    fs.iterate(200)
    assert np.all(fs.best_open[forced]) and np.all(fs.is_open[forced])
    if p is not None:
        assert fs.best_open.sum() == p
    assert fs.best_obj[0] == pytest.approx(_objective(c, np.full(n, 1e6), f, fs.best_open))


def test_free_p_add_drop_hand_computed() -> None:
    # groups 0, 1 sit at sites 0, 1 (4 apart); group 2 at site 2, 9 away
    c = np.array([[0.0, 4.0, 9.0], [4.0, 0.0, 9.0], [9.0, 9.0, 0.0]])
    f = np.array([3.0, 5.0, 3.0])
    u = np.full(3, 1e6)
    fs = FastSwap(c, u, f, None, np.zeros(3, dtype=bool))
    fs.reset([0])  # 3 + 0 + 4 + 9
    assert fs.objective == pytest.approx(16.0)
    add, drop, _ = fs.deltas()
    # open 1: pay 5, group 1 saves 4; open 2: pay 3, group 2 saves 9
    np.testing.assert_allclose(add[1:], [1.0, -6.0])
    assert fs.best_move() == (pytest.approx(-6.0), 2, None)
    fs.reset([0, 1, 2])  # 11 in fixed costs, everyone at distance 0
    assert fs.objective == pytest.approx(11.0)
    _, drop, _ = fs.deltas()
    # close 0: group 0 moves 4 (+4 - 3); close 1: +4 - 5; close 2: +9 - 3
    np.testing.assert_allclose(drop, [1.0, -1.0, 6.0])
    assert fs.best_move() == (pytest.approx(-1.0), None, 1)
    assert fs.descend() == 1
    np.testing.assert_array_equal(fs.open_sites(), [0, 2])
    assert fs.objective == pytest.approx(10.0)
    # leaving group 2 unserved costs 2 < opening site 2 (3): drop it too
    fs = FastSwap(c, np.array([20.0, 20.0, 2.0]), f, None, np.zeros(3, dtype=bool))
    fs.reset([0, 2])
    _, drop, _ = fs.deltas()
    # close 0: groups 0, 1 go to site 2 (+9, +5); close 2: group 2 unserved (+2)
    np.testing.assert_allclose(drop, [9.0 + 5.0 - 3.0, np.nan, 2.0 - 3.0])
    fs.descend()
    np.testing.assert_array_equal(fs.open_sites(), [0])
    assert fs.objective == pytest.approx(3.0 + 0.0 + 4.0 + 2.0)
    # forced site 2 stays although dropping it would save 1
    fs = FastSwap(c, np.array([20.0, 20.0, 2.0]), f, None, np.array([False, False, True]))
    fs.reset([0, 2])
    fs.descend()
    np.testing.assert_array_equal(fs.open_sites(), [0, 2])


@pytest.mark.parametrize("seed", range(10))
def test_search_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(4, 10)), int(rng.integers(3, 8))
    problem = LocationProblem(
        cost=rng.uniform(0, 10, (n, m)),
        n_sites=int(rng.integers(1, m + 1)) if seed % 2 else None,
        fixed_cost=None if seed % 2 else rng.uniform(0, 6, m),
        unassigned_cost=rng.uniform(2, 12, n) if seed % 3 == 0 else None,
    )
    u = problem.unassigned_cost if problem.unassigned_cost is not None else np.full(n, 1e6)
    fs = FastSwap(problem.cost, u, problem.fixed_or_zeros(), problem.n_sites,
                  problem.forced_or_none(), seed=seed)
    fs.greedy()
    fs.descend()
    fs.iterate(300)
    sites = fs.best_sites()
    value = evaluate(problem, sites, nearest_assignment(problem, sites))
    assert fs.best_obj[0] == pytest.approx(value)
    assert value == pytest.approx(brute_force(problem))


def test_deterministic_and_stoppable() -> None:
    rng = np.random.default_rng(5)
    pts = rng.random((120, 2))
    c = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    runs = []
    for _ in range(2):
        fs = FastSwap(c, np.full(120, 1e6), np.zeros(120), 12, np.zeros(120, dtype=bool),
                      seed=42)
        fs.greedy()
        fs.descend()
        its = fs.iterate(150)
        runs.append((its, fs.best_sites().tolist(), fs.best_obj[0]))
    assert runs[0] == runs[1]
    assert runs[0][0] <= 150
    calls: list[float] = []

    def stop(done: float) -> bool:
        calls.append(done)
        return True

    fs = FastSwap(c, np.full(120, 1e6), np.zeros(120), 12, np.zeros(120, dtype=bool), seed=1)
    fs.greedy()
    fs.descend()
    start = fs.objective
    its = fs.iterate(10_000, stop=stop)
    assert len(calls) == 1 and its <= 4  # stopped after the first chunk
    assert fs.best_obj[0] <= start + 1e-9
    assert fs.objective == pytest.approx(fs.best_obj[0])


@pytest.mark.skipif(not (ORLIB / "pmed").is_dir(), reason=f"OR-Library data not at {ORLIB}")
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_pmed_known_optimum(k: int) -> None:
    from footprint.locate.instances.or_library import read_optima, read_pmed

    problem = read_pmed(ORLIB / "pmed" / f"pmed{k}.txt")
    opt = read_optima(ORLIB / "pmed" / "pmedopt.txt")[f"pmed{k}"]
    fs = FastSwap(problem.cost, np.full(problem.n_groups, 1e9), problem.fixed_or_zeros(),
                  problem.n_sites, problem.forced_or_none(), seed=k)
    fs.greedy()
    fs.descend()
    fs.iterate(1000)
    sites = fs.best_sites()
    assert sites.size == problem.n_sites
    assert fs.best_obj[0] == pytest.approx(opt)
    assert evaluate(problem, sites, nearest_assignment(problem, sites)) == pytest.approx(opt)
