"""Benchmark: the solver on random instances of growing size, with a fixed number of sites.

Run: ``python benchmarks/scaling.py [--quick] [--sizes 1000x300 5000x1000] [--kinds split]``.

Kinds: ``uncapacitated`` (p-median), ``split`` (capacities, demand may be split) and
``single-source`` (capacities, each group served by one site). Sizes (groups x sites, p):
1000 x 300 (p = 30), 5000 x 1000 (p = 100), 20000 x 1000 (p = 100); ``--quick`` runs
1000 x 300 only. Instances are seeded: points uniform in a 100 x 100 square, demand an
integer 1-100, cost = demand x Euclidean distance, every site's capacity 1.2 x total
demand / p. Issue 10's targets: every run returns a feasible plan within its time
limit (+10 %, +1 s); capacitated 1000 x 300 proven within 1 % in 60 s; 5000 x 1000
within 2 % under 4 GB.

Each case runs in a fresh child process (``solve(..., "auto")``, after ``warm_up``), so
the peak resident memory (``ru_maxrss``) printed is that case's alone (instance
included). The machine the figures come from may be shared: timings are noisy.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # this checkout, not another install

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

#: (groups, sites, p) of the full run.
SIZES = ((1000, 300, 30), (5000, 1000, 100), (20000, 1000, 100))
KINDS = ("uncapacitated", "split", "single-source")
#: Default time limit per size [s].
LIMITS = {1000: 60.0, 5000: 120.0, 20000: 180.0}


def instance(n: int, m: int, p: int, kind: str, seed: int = 0):
    """A seeded random instance (see the module docstring)."""
    from footprint.locate.problem import LocationProblem

    rng = np.random.default_rng(seed)
    gx, gy = rng.random(n) * 100.0, rng.random(n) * 100.0
    sx, sy = rng.random(m) * 100.0, rng.random(m) * 100.0
    demand = rng.integers(1, 101, n).astype(float)
    cost = np.hypot(gx[:, None] - sx[None, :], gy[:, None] - sy[None, :])
    cost *= demand[:, None]
    if kind == "uncapacitated":
        return LocationProblem(cost=cost, n_sites=p)
    capacity = np.full(m, 1.2 * demand.sum() / p)
    return LocationProblem(
        cost=cost,
        demand=demand,
        capacity=capacity,
        n_sites=p,
        single_source=kind == "single-source",
    )


def run_case(
    kind: str, n: int, m: int, p: int, time_limit: float, mip_gap: float
) -> dict:
    """Solve one case in this process; the figures as a dict."""
    from footprint.locate import solve, warm_up
    from footprint.locate.evaluate import solution_violations

    warm_up()
    problem = instance(n, m, p, kind)
    t = time.perf_counter()
    res = solve(problem, "auto", time_limit=time_limit, mip_gap=mip_gap)
    seconds = time.perf_counter() - t
    feasible = bool(res.feasible) and not solution_violations(
        problem, res.open_sites, res.assignment, res.allocation
    )
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "kind": kind,
        "n": n,
        "m": m,
        "p": p,
        "limit": time_limit,
        "seconds": seconds,
        "objective": res.objective,
        "bound": res.bound,
        "gap": res.gap,
        "status": res.status,
        "verdict": res.verdict(),
        "feasible": feasible,
        "open": int(res.open_sites.size),
        "rss_mb": rss_kb / 1024.0,
        "method": res.method,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1000 x 300 only")
    ap.add_argument(
        "--sizes", nargs="*", help="e.g. 1000x300 5000x1000 (default: all, or --quick)"
    )
    ap.add_argument("--kinds", nargs="*", choices=KINDS, default=list(KINDS))
    ap.add_argument(
        "--time-limit", type=float, help="seconds per case (default 60/120/180 by size)"
    )
    ap.add_argument(
        "--mip-gap",
        type=float,
        default=0.005,
        help="relative gap to stop at (default 0.5 %%)",
    )
    ap.add_argument(
        "--case", nargs=4, metavar=("KIND", "N", "M", "P"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.case:  # child: one case, JSON on stdout
        kind, n, m, p = args.case[0], *map(int, args.case[1:])
        print(json.dumps(run_case(kind, n, m, p, args.time_limit, args.mip_gap)))
        return
    sizes = [s for s in SIZES if not args.quick or s[0] == 1000]
    if args.sizes:
        want = {tuple(map(int, s.lower().split("x"))) for s in args.sizes}
        sizes = [s for s in SIZES if s[:2] in want]
    print(
        "random instances, capacity 1.2 x demand / p; each case in a fresh process; "
        "timings from a possibly shared machine are noisy"
    )
    print(
        f"{'kind':<14} {'n x m':>12} {'p':>4} {'limit s':>8} {'time s':>7} {'objective':>13} "
        f"{'bound':>13} {'gap %':>6} {'RSS MB':>7}  verdict"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    for n, m, p in sizes:
        limit = args.time_limit if args.time_limit is not None else LIMITS[n]
        for kind in args.kinds:
            cmd = [
                sys.executable,
                __file__,
                "--case",
                kind,
                str(n),
                str(m),
                str(p),
                "--time-limit",
                str(limit),
                "--mip-gap",
                str(args.mip_gap),
            ]
            out = subprocess.run(
                cmd, capture_output=True, text=True, env=env, check=False
            )
            if out.returncode != 0:
                tail = (out.stderr.strip().splitlines() or ["?"])[-1]
                print(
                    f"{kind:<14} {f'{n}x{m}':>12} {p:>4} {limit:8.0f}  failed: {tail}"
                )
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            gap = f"{100 * r['gap']:6.2f}" if r["gap"] == r["gap"] else f"{'–':>6}"
            bound = f"{r['bound']:13,.0f}" if r["bound"] == r["bound"] else f"{'–':>13}"
            ok = "" if r["feasible"] else "  NOT FEASIBLE"
            print(
                f"{kind:<14} {f'{n}x{m}':>12} {p:>4} {limit:8.0f} {r['seconds']:7.1f} "
                f"{r['objective']:13,.0f} {bound} {gap} {r['rss_mb']:7.0f}  "
                f"{r['verdict']}{ok}",
                flush=True,
            )


if __name__ == "__main__":
    main()
