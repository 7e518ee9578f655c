"""Compare the solver layer with spopt's PMedian (HiGHS and CBC via PuLP).

spopt is not a dependency of Footprint. Install it in its own venv::

    python -m venv /tmp/peers
    /tmp/peers/bin/pip install spopt pulp highspy numba numpy scipy
    PYTHONPATH=. /tmp/peers/bin/python benchmarks/peers.py

Without spopt the script says so and exits with status 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from footprint.locate import LocationProblem, solve, warm_up  # noqa: E402
from footprint.locate.instances.or_library import read_optima, read_pmed_distances  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "orlib"
INSTALL = (
    "spopt is not installed (it is not a Footprint dependency). To run this comparison:\n"
    "  python -m venv /tmp/peers && /tmp/peers/bin/pip install spopt pulp highspy numba "
    "numpy scipy\n"
    "  PYTHONPATH=. /tmp/peers/bin/python benchmarks/peers.py"
)


def _spopt(distance: np.ndarray, p: int, solver_name: str, time_limit: float
           ) -> tuple[float, float]:
    import pulp
    from spopt.locate import PMedian

    solver = {
        "highs": lambda: pulp.HiGHS(msg=False, timeLimit=time_limit),
        "cbc": lambda: pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit),
    }[solver_name]()
    t0 = time.perf_counter()
    model = PMedian.from_cost_matrix(distance, np.ones(distance.shape[0]), p_facilities=p)
    model = model.solve(solver)
    return float(pulp.value(model.problem.objective)), time.perf_counter() - t0


def _instances(names: list[str], random_size: tuple[int, int, int]):
    for name in names:
        d, p = read_pmed_distances(DATA / "pmed" / f"{name}.txt")
        yield name, d, p
    n, m, p = random_size
    rng = np.random.default_rng(0)
    pts = rng.random((n, 2))
    sites = rng.random((m, 2))
    yield f"random-{n}x{m}-p{p}", np.sqrt(((pts[:, None] - sites[None]) ** 2).sum(-1)), p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="our solver vs spopt PMedian")
    ap.add_argument("--instances", default="pmed1,pmed2,pmed6,pmed11")
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--solvers", default="highs,cbc")
    args = ap.parse_args(argv)
    try:
        import pulp  # noqa: F401
        import spopt.locate  # noqa: F401
    except ImportError:
        print(INSTALL)
        return 0
    optima = read_optima(DATA / "pmed" / "pmedopt.txt") if DATA.is_dir() else {}
    names = [s for s in args.instances.split(",") if s] if DATA.is_dir() else []
    solvers = args.solvers.split(",")
    head = f"{'instance':<22}{'ours obj':>12}{'ours s':>9}"
    for s in solvers:
        head += f"{s + ' obj':>14}{s + ' s':>9}{'ratio':>8}"
    print(head + "   (ratio = spopt time / our time)")
    # compile (first run) or load (cached) our numba kernels outside the timings
    print(f"(our warm-up, numba kernels compiled or loaded: {warm_up():.2f} s)")
    for name, d, p in _instances(names, (1000, 100, 10)):
        ours = solve(LocationProblem.from_pmedian(d, p), "exact",
                     time_limit=args.time_limit, mip_gap=1e-6)
        line = f"{name:<22}{ours.objective:>12.2f}{ours.seconds:>9.2f}"
        for s in solvers:
            try:
                obj, sec = _spopt(d, p, s, args.time_limit)
                line += f"{obj:>14.2f}{sec:>9.2f}{sec / max(ours.seconds, 1e-9):>8.1f}"
            except Exception as exc:  # report and go on with the other solvers
                line += f"{'error: ' + type(exc).__name__:>31}"
        if name in optima:
            line += f"   known optimum {optima[name]:.0f}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
