"""Benchmark: the demo's 30-hub consolidation (issue targets: exact within 0.5 % in < 30 s; heuristic < 1 s).

Run: ``python benchmarks/demo_optimise.py [--hubs 30] [--time-limit 30]``. Prints, for
each method: status, linear objective, best bound, gap, solver seconds, total seconds
(including the full-footprint evaluation and local search), and the full footprint.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not another install

import argparse
import time
from dataclasses import replace

from footprint.demo import demo_organisation  # noqa: E402
from footprint.inputs import Policy  # noqa: E402
from footprint.optimise import warm_up  # noqa: E402
from footprint.optimise.model import optimise_hubs  # noqa: E402
from footprint.scenario.schema import OptimiserSettings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hubs", type=int, default=30)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--by-group", action="store_true", help="assign staff groups instead of whole offices")
    args = ap.parse_args()
    org = demo_organisation()
    org.home_distance_km, org.collaboration  # noqa: B018  (caches, as the app warms them)
    policy = Policy()
    base = OptimiserSettings(time_limit_s=args.time_limit, mip_gap=0.005, respect_capacity=True)
    print(f"warm-up (numba kernels compiled or loaded from cache): {warm_up():.2f} s")
    print(f"demo: {len(org.sites)} offices, {org.staff.total:,.0f} staff; {args.hubs} hubs, desk capacities, "
          f"{'staff groups' if args.by_group else 'single-source by office'}; time limit {args.time_limit:g} s")
    print(f"{'method':<10} {'status':<11} {'linear t':>10} {'bound t':>10} {'gap %':>7} {'solver s':>9} "
          f"{'total s':>8} {'footprint t':>12}")
    for method in ("heuristic", "exact", "auto"):
        t = time.perf_counter()
        r = optimise_hubs(org, policy, args.hubs, replace(base, method=method),
                          keep_offices_whole=not args.by_group)
        total = time.perf_counter() - t
        s = r.solver
        bound = f"{s.bound / 1000:10,.1f}" if s.bound == s.bound else f"{'–':>10}"
        gap = f"{100 * s.gap:7.2f}" if s.gap == s.gap else f"{'–':>7}"
        print(f"{method:<10} {s.status:<11} {s.objective / 1000:10,.1f} {bound} {gap} {s.seconds:9.2f} "
              f"{total:8.2f} {r.full_objective_kg / 1000:12,.1f}")


if __name__ == "__main__":
    main()
