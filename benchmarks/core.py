"""Benchmark of the core: demo load, distance matrix, one accounting pass.

Run: ``python benchmarks/core.py``. Prints medians over repeats; targets from the
issue: distance matrix under 0.5 s, accounting pass under 100 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not another install

import statistics
import time

import numpy as np
from geopy.distance import geodesic

from footprint.accounting import account, current_plan, nearest_plan  # noqa: E402
from footprint.demo import demo_organisation  # noqa: E402
from footprint.geo import distance_matrix_km  # noqa: E402
from footprint.inputs import Policy  # noqa: E402


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    def load():
        demo_organisation.cache_clear()
        return demo_organisation()

    t_load = timed(load, 3)
    org = demo_organisation()
    homes = np.unique(np.stack([org.staff.home_lat, org.staff.home_lon], axis=1), axis=0)
    s = org.sites
    n_pairs_groups = len(org.staff) * len(s)
    t_homes = timed(lambda: distance_matrix_km(homes[:, 0], homes[:, 1], s.lat, s.lon), 3)
    t_groups = timed(lambda: distance_matrix_km(org.staff.home_lat, org.staff.home_lon, s.lat, s.lon), 3)
    sample = 2000
    rng = np.random.default_rng(0)
    i = rng.integers(0, len(org.staff), sample)
    j = rng.integers(0, len(s), sample)
    t0 = time.perf_counter()
    for a, b in zip(i, j, strict=True):
        geodesic((org.staff.home_lat[a], org.staff.home_lon[a]), (s.lat[b], s.lon[b]))
    per_pair = (time.perf_counter() - t0) / sample
    geopy_all = per_pair * n_pairs_groups

    policy = Policy()
    org.home_distance_km, org.collaboration  # noqa: B018  (warm the caches, as the app does)
    base_plan = current_plan(org)
    hubs = np.zeros(len(s), dtype=bool)
    hubs[np.argsort(-s.headcount)[:30]] = True
    hub_plan = nearest_plan(org, policy, hubs)
    account(org, policy, hub_plan)
    t_acc_hubs = timed(lambda: account(org, policy, hub_plan), 20)
    t_acc_base = timed(lambda: account(org, policy, base_plan), 20)
    t_nearest = timed(lambda: nearest_plan(org, policy, hubs), 10)

    print(f"demo: {len(s)} sites, {org.staff.total:,.0f} staff in {len(org.staff):,} groups "
          f"({len(homes):,} distinct home cells)")
    print(f"load demo organisation                 {t_load * 1000:8.1f} ms")
    print(f"distance matrix, home cells × sites    {t_homes * 1000:8.1f} ms  ({len(homes) * len(s):,} pairs)")
    print(f"distance matrix, groups × sites        {t_groups * 1000:8.1f} ms  ({n_pairs_groups:,} pairs)")
    print(f"geopy.geodesic per pair                {per_pair * 1e6:8.1f} µs  (sample of {sample})")
    print(f"geopy for all groups × sites (scaled)  {geopy_all:8.1f} s   → vectorised is "
          f"{geopy_all / t_groups:,.0f}× faster per pair-set ({geopy_all / t_homes:,.0f}× with home cells)")
    print(f"accounting pass, 30 hubs               {t_acc_hubs * 1000:8.1f} ms  (median of 20)")
    print(f"accounting pass, today's 320 offices   {t_acc_base * 1000:8.1f} ms  (median of 20)")
    print(f"nearest-hub assignment, 30 hubs        {t_nearest * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
