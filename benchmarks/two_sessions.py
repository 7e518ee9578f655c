"""Two sessions: one optimises (the Consolidate defaults), the other moves Workshop sliders.

Streamlit serves every browser session from one process. The optimiser runs in a
worker process (:mod:`footprint.background`), so the other session's reruns only
compete for the CPU, not for the interpreter. This prints the second session's
slider latency (median, p95) with nothing else running, then while the first
session's job runs: the demo by staff group, 30 hubs, desk capacities, "auto",
30 s, started exactly as the Consolidate page starts it.

    python benchmarks/two_sessions.py [--changes 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app_slider import open_workshop, policy_pairs, slider_latencies_ms  # noqa: E402

from app_pages import cached, state  # noqa: E402
from footprint.scenario import HubChoice, OptimiserSettings  # noqa: E402


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def line(label: str, xs: list[float]) -> str:
    return f"  {label:<34} median {statistics.median(xs):6.0f} ms, p95 {p95(xs):6.0f} ms, max {max(xs):6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    at = open_workshop()
    quiet = slider_latencies_ms(at, policy_pairs(args.changes))

    s = at.session_state.scenario
    todo = replace(s, name="30 hubs (optimised)", optimiser=OptimiserSettings(time_limit_s=args.time_limit),
                   hubs=HubChoice(selection="optimise", count=30, assignment="nearest"))
    t0 = time.perf_counter()
    job = cached.start_optimise(state.DEMO, todo, at.session_state.baseline)
    busy: list[float] = []
    skip = args.changes
    while not job.done and len(busy) < 10 * args.changes:
        busy += slider_latencies_ms(at, policy_pairs(5, skip))
        skip += 5
    during = time.perf_counter() - t0
    job.kill()
    print("Second session's Workshop slider (AppTest rerun, demo: 320 sites, 23,636 staff groups):")
    print(line("alone", quiet))
    print(line(f"while a solve runs ({len(busy)} changes)", busy))
    print(f"  the solve ran for {during:.0f} s of its {args.time_limit:g} s limit in a worker process")


if __name__ == "__main__":
    main()
