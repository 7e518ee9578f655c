"""Benchmark: a study of 20 grid points × 200 Monte Carlo draws on the demo, serially and on Dask.

Run: ``python benchmarks/study.py [--workers N] [--draws 200] [--time-limit 20]``.

The study optimises 20 hub counts (20, 25, …, 115) of the demo with the heuristic
(offices moved whole, desk capacities respected) and draws 200 Monte Carlo totals per
point. It runs once serially in this process, and once on a local Dask cluster of
``N`` single-threaded worker processes (default: one per core). Printed: wall time of
each, speed-up, scaling efficiency (speed-up / workers), peak memory of this process,
and whether the two results are the same bit for bit. The cluster time includes
starting the cluster and the workers' imports. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # this checkout, not another install

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from footprint.demo import demo_organisation  # noqa: E402
from footprint.locate import warm_up  # noqa: E402
from footprint.study import connect, parse_study, read_results, run_study  # noqa: E402
from footprint.study.results import TIMING_COLUMNS  # noqa: E402

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
STUDY = """
schema_version = 1
name = "benchmark: 20 hub counts x {draws} draws"
scenario = "hubs-30-optimised.toml"
draws = {draws}
seed = 2026
draw_block = 100
[grid]
hubs = "20:115:5"
[optimiser]
method = "heuristic"
time_limit_s = {time_limit}
respect_capacity = {capacity}
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument(
        "--no-capacity",
        action="store_true",
        help="ignore desk capacities (the uncapacitated heuristic stops after a fixed amount of work, "
        "so its answers do not depend on the machine's load)",
    )
    args = ap.parse_args()
    study = parse_study(
        STUDY.format(
            draws=args.draws,
            time_limit=args.time_limit,
            capacity=str(not args.no_capacity).lower(),
        ),
        "benchmark",
        base_dir=SCENARIOS,
    )
    org = demo_organisation()
    print(f"warm-up (numba kernels compiled or loaded from cache): {warm_up():.2f} s")
    print(
        f"demo: {len(org.sites)} offices, {org.staff.total:,.0f} staff; {len(study.points())} points x "
        f"{study.draws} draws; heuristic, desk capacities {'ignored' if args.no_capacity else 'respected'}, time limit {args.time_limit:g} s per point; "
        f"{os.cpu_count()} cores on this machine, {args.workers} workers"
    )
    with tempfile.TemporaryDirectory() as tmp:
        serial_out, dask_out = Path(tmp) / "serial.parquet", Path(tmp) / "dask.parquet"
        t0 = time.perf_counter()
        run_study(study, serial_out, engine="serial", organisation=org)
        serial_s = time.perf_counter() - t0
        print(f"serial:        {serial_s:8.1f} s")
        t0 = time.perf_counter()
        client, cluster, where = connect(n_workers=args.workers)
        client.wait_for_workers(args.workers)
        start_s = time.perf_counter() - t0
        try:
            t1 = time.perf_counter()
            run_study(study, dask_out, client=client, organisation=org)
            run_s = time.perf_counter() - t1
        finally:
            client.close()
            cluster.close()
        dask_s = start_s + run_s
        print(
            f"local cluster: {dask_s:8.1f} s  ({where}: start-up {start_s:.1f} s, study {run_s:.1f} s)"
        )
        a = read_results(serial_out).drop(columns=list(TIMING_COLUMNS))
        b = read_results(dask_out).drop(columns=list(TIMING_COLUMNS))
        same = a.equals(b)
        solve = read_results(serial_out)["solve_seconds"]
        solve_dask = read_results(dask_out)["solve_seconds"]
        print(
            f"speed-up {serial_s / dask_s:.2f}x; scaling efficiency {serial_s / dask_s / args.workers:.0%} "
            f"on {args.workers} workers"
        )
        print(
            f"per-point solve: serial median {solve.median():.1f} s, sum {solve.sum():.1f} s; on the cluster "
            f"median {solve_dask.median():.1f} s, sum {solve_dask.sum():.1f} s"
        )
        print(
            f"speed-up of the study alone (start-up excluded) {serial_s / run_s:.2f}x; efficiency "
            f"{serial_s / run_s / args.workers:.0%}"
        )
        print(f"results identical bit for bit (timings aside): {same}")
        if not same:
            diff = [c for c in a.columns if not a[c].equals(b[c])]
            rows = [
                int(p)
                for p, x, y in zip(a["point"], a["hubs"], b["hubs"], strict=True)
                if x != y
            ]
            print(f"  columns that differ: {diff}; points with other hubs: {rows}")
            print(
                "  (a wall-clock limit bound: the time limit per point, or the capacitated heuristic's "
                "HiGHS sub-problems' limits, on a loaded machine; raise --time-limit, or see --no-capacity)"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:,.0f} MiB (workers not included)")


if __name__ == "__main__":
    main()
