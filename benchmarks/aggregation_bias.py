"""Home aggregation bias: commutes from ~5.5 km grid cells against the people's exact homes.

Run: ``python benchmarks/aggregation_bias.py``. Builds the synthetic city of
``tests/test_aggregation_bias.py`` (8 towns, 600 people each around an office,
lognormal distance, walk / cycle / car by distance) at several median commutes,
and prints, for the people's own office and for an office 3 km east of it:

- the truth (one group per person at their exact home),
- the groups measured from their cell centres (what Footprint did before), and
- the groups with their members' mean distance to the office kept (now),

as mean straight-line distance [km], walk + cycle share and commute emissions
[t CO2e/yr]. Then the demo organisation's baseline commute, both ways, and the
time and peak memory of the (groups × sites) distance matrix. Timings are noisy:
the machine is shared.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout, not another install
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
from test_aggregation_bias import (  # noqa: E402
    N_TOWNS,
    POLICY,
    aggregated,
    commute_kg,
    mean_km,
    moved,
    per_person,
    synthetic_city,
    walk_cycle_share,
)

from footprint.accounting import current_plan  # noqa: E402
from footprint.inputs import Organisation, StaffGroups  # noqa: E402


def cell_centres_only(org: Organisation) -> Organisation:
    """The same groups without the kept distance: measured from the cell centres, as before."""
    cols = {
        k: v for k, v in org.staff.to_columns().items() if k != "office_distance_km"
    }
    return Organisation(
        org.name, org.sites, StaffGroups.from_columns(cols), org.collaboration
    )


def row(label: str, truth: float, before: float, after: float, unit: str) -> str:
    def rel(v: float) -> str:
        return f"{100 * (v / truth - 1):+6.1f} %"

    return (
        f"  {label:<34} truth {truth:9.3f} {unit:<4}  cell centre {before:9.3f} ({rel(before)})"
        f"  kept distance {after:9.3f} ({rel(after)})"
    )


def synthetic() -> None:
    for median in (2.0, 5.0, 10.0):
        city = synthetic_city(median_km=median)
        truth, after = per_person(city), aggregated(city)
        before = cell_centres_only(after)
        print(
            f"Synthetic city, median commute {median:g} km: {len(truth.staff):,} people in "
            f"{len(after.staff):,} groups"
        )
        for shift, where in ((0, "own office"), (N_TOWNS, "office 3 km east")):
            print(
                row(
                    f"mean distance, {where}",
                    *(mean_km(o, shift) for o in (truth, before, after)),
                    "km",
                )
            )
            print(
                row(
                    f"walk + cycle share, {where}",
                    *(walk_cycle_share(o, shift) for o in (truth, before, after)),
                    "",
                )
            )
        print(
            row(
                "commute, own office",
                *(
                    commute_kg(o, current_plan(o)) / 1000
                    for o in (truth, before, after)
                ),
                "t",
            )
        )
        print(
            row(
                "commute, all to office 3 km east",
                *(
                    commute_kg(o, moved(o, N_TOWNS)) / 1000
                    for o in (truth, before, after)
                ),
                "t",
            )
        )


def demo() -> None:
    from footprint.demo import demo_organisation

    org = demo_organisation()
    old = cell_centres_only(org)
    w = org.staff.count
    for label, o in (("cell centre", old), ("kept distance", org)):
        km = float(np.sum(w * o.group_distance_km(o.group_site)) / w.sum())
        print(
            f"Demo baseline, {label:<13}: mean distance to own office {km:6.2f} km, "
            f"walk + cycle share {walk_cycle_share(o):.4f}, commute {commute_kg(o, current_plan(o)) / 1000:,.1f} t"
        )
    org.home_distance_km  # noqa: B018  (the cell-centre matrix, cached as the app does)
    tracemalloc.start()
    t = time.perf_counter()
    d = org.distance_to_sites_km(np.arange(len(org.sites)))
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"Demo (groups × sites) distances {d.shape}: {seconds:.2f} s, peak {peak / 2**20:.0f} MiB "
        f"(the result itself {d.nbytes / 2**20:.0f} MiB)"
    )


if __name__ == "__main__":
    print(f"policy: {POLICY.office_days_per_week} office days a week")
    synthetic()
    demo()
