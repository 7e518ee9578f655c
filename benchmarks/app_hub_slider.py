"""Time the Workshop's hub-count slider: a quick re-optimisation (heuristic, offices whole).

Each move is to a hub count not seen before (nothing cached but the costs, which are
built once per policy). Prints each move's time in the app (AppTest: widget → rerun →
metrics) and the optimiser call alone. The target is at most 1 s a move on the demo.
The machine may be shared: the figures are noisy.

    python benchmarks/app_hub_slider.py [--counts 12 18 25 35 45]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from app_pages import state  # noqa: E402

TARGET_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[12, 18, 25, 35, 45])
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from footprint.locate import warm_up

    t = time.perf_counter()
    warm_up()
    print(f"optimiser warm-up (numba, once per install): {time.perf_counter() - t:.1f} s")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("app_pages/workshop.py").run()
    t = time.perf_counter()
    at.slider(key=state.widget_key("hubs")).set_value(args.counts[0] + 1).run()
    print(f"first move (builds the costs for this policy): {time.perf_counter() - t:.2f} s")
    times = []
    for n in args.counts:
        t = time.perf_counter()
        at.slider(key=state.widget_key("hubs")).set_value(n).run()
        times.append(time.perf_counter() - t)
        assert not at.exception and len(at.session_state.scenario.hubs.sites) == n
        total = next(m.value for m in at.metric if m.label.startswith("Total"))
        print(f"{n:4d} hubs: {times[-1]:.2f} s  total {total} t CO2e/yr")
    print(f"median {statistics.median(times):.2f} s, max {max(times):.2f} s (target ≤ {TARGET_S:.1f} s)")


if __name__ == "__main__":
    main()
