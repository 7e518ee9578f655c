"""The study engine for the app: a hub-count sweep and a many-draw uncertainty, in memory.

The Trade-off page can call these instead of :func:`footprint.hubs.sweep.sweep_hubs`
and :func:`footprint.accounting.uncertainty.footprint_uncertainty`, so long sweeps and
large Monte Carlos run on Dask workers (a long-lived local cluster, or the cluster at
``DASK_SCHEDULER_ADDRESS``) rather than in the server's process. Both return the types
the page already draws.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from footprint.accounting.result import CATEGORIES, Footprint
from footprint.accounting.uncertainty import Interval, UncertaintyResult
from footprint.hubs.sweep import SweepPoint, SweepResult, knee_point, pareto_front
from footprint.inputs import Organisation
from footprint.scenario.schema import Scenario
from footprint.study.draws import draw_by_category, draw_input
from footprint.study.engine import SCHEDULER_ENV, Progress, connect, run_study
from footprint.study.spec import DETERMINISTIC_METHOD, HUBS, Study

METHOD = (
    "Monte Carlo, lognormal multipliers on each factor (by confidence tag) and on each category's activity "
    "data, shared between scenario and baseline; draw d from SeedSequence(seed, spawn_key=(d,))"
)


def sweep_study(
    org: Organisation,
    scenario: Scenario,
    counts: Sequence[int],
    *,
    draws: int = 0,
    seed: int = 0,
    warm_start: bool = False,
    engine: str = "dask",
    client: Any = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> tuple[SweepResult, tuple[dict[str, Any], ...]]:
    """Optimise ``scenario`` for each number of hubs in ``counts`` on the study engine.

    Parameters
    ----------
    org : Organisation
        The organisation the app holds (sent to each worker once).
    scenario : Scenario
        The page's scenario: its policy, assignment and optimiser settings.
    counts : sequence of int
        Numbers of hubs.
    draws, seed : int
        Monte Carlo draws per point (0: none) and their seed.
    warm_start : bool
        Solve the counts in one task, ascending, each from the previous count's hubs
        (as ``sweep_hubs`` does; no parallelism between the counts). Default: one task
        per count, in parallel.
    engine, client, scheduler, progress
        As :func:`footprint.study.run_study` (``progress(done, total, message)``).

    Returns
    -------
    SweepResult
        Points by ascending hub count, with the front of (hubs, total t CO2e) and its knee,
        like :func:`footprint.hubs.sweep.sweep_hubs`.
    tuple of dict
        The study's rows (with ``total_p05``/``total_p95`` etc. when ``draws > 0``).
    """
    counts = tuple(sorted({int(k) for k in counts}))
    study = Study(
        name=f"{scenario.name}: hub sweep",
        scenario_path=scenario.base_dir or scenario.resolve("."),
        base=scenario,
        levers=((HUBS, counts),),
        draws=draws,
        seed=seed,
        draw_block=max(1, min(500, draws or 1)),
        warm_start=warm_start,
        deterministic=scenario.optimiser.method == DETERMINISTIC_METHOD,
    )
    run = run_study(
        study,
        None,
        engine=engine,
        client=client,
        scheduler=scheduler,
        organisation=org,
        progress=progress,
    )
    lam = scenario.optimiser.commute_weight_kg_per_km
    points = []
    for r in run.rows:
        ok = bool(r["feasible"])
        points.append(
            SweepPoint(
                int(r[f"lever_{HUBS}"]),
                lam,
                r["total_tco2e"],
                r["mean_commute_km"],
                r["median_commute_km"],
                r["staff_over_limit"],
                r["floor_area_m2"],
                r["linear_objective_tco2e"],
                r["gap"],
                r["status"],
                r["solve_seconds"],
                tuple(r["hubs"].split()) if ok else (),
                ok,
                r["message"],
            )
        )
    ok = [k for k, p in enumerate(points) if p.feasible]
    x = np.array([p.n_hubs for p in points], float)
    y = np.array([p.total_tco2e for p in points], float)
    front = (
        np.array(ok, dtype=np.int64)[pareto_front(x[ok], y[ok])]
        if ok
        else np.array([], dtype=np.int64)
    )
    knee = knee_point(x, y, front) if front.size else None
    result = SweepResult(
        tuple(points),
        tuple(int(i) for i in front),
        knee,
        run.seconds,
        run.cancelled,
        ("n_hubs", "total_tco2e"),
    )
    return result, run.rows


def uncertainty_study(
    footprint: Footprint,
    baseline: Footprint | None = None,
    *,
    n_draws: int = 100_000,
    seed: int = 0,
    block: int = 10_000,
    client: Any = None,
    progress: Progress | None = None,
) -> UncertaintyResult:
    """Monte Carlo percentiles of a footprint (and its change) with many draws, in blocks.

    With ``client`` (a :class:`distributed.Client`) the blocks run on its workers;
    without, in this process. Draw ``d`` comes from ``SeedSequence(seed, spawn_key=(d,))``,
    so the answer is the same either way and does not depend on ``block``.

    ``progress(draws_done, n_draws, message)`` is called after each block (in draw
    order); returning True stops there, and the result is that of the draws finished
    so far (its ``n_draws`` says how many): the same as asking for that many draws.
    """
    inp = draw_input(footprint, baseline if baseline is not None else footprint)
    ranges = [(a, min(a + block, n_draws)) for a in range(0, n_draws, block)]
    parts: list[np.ndarray] = []

    def done(b: int) -> bool:
        return bool(
            progress
            and progress(b, n_draws, f"{b:,} of {n_draws:,} draws")
            and b < n_draws
        )

    if client is None:
        for a, b in ranges:
            parts.append(draw_by_category(inp, seed, a, b))
            if done(b):
                break
    else:
        inp_f = client.scatter(inp, broadcast=True, hash=False)
        futures = [
            client.submit(draw_by_category, inp_f, seed, a, b, pure=False, retries=3)
            for a, b in ranges
        ]
        try:
            for f, (_, b) in zip(futures, ranges, strict=True):
                parts.append(f.result())  # in draw order: a stop keeps draws 0 to b - 1
                if done(b):
                    break
        finally:
            client.cancel([f for f in futures if not f.done()] + [inp_f])
    d = np.concatenate(parts) if parts else np.empty((0, 2, len(CATEGORIES)))
    if not len(d):
        raise ValueError("no draws: n_draws must be at least 1")
    totals = d.sum(axis=2)

    def interval(x: np.ndarray) -> Interval:
        p = np.percentile(x, [5, 50, 95])
        return Interval(float(p[0]), float(p[1]), float(p[2]))

    return UncertaintyResult(
        total=interval(totals[:, 0]),
        by_category={c: interval(d[:, 0, k]) for k, c in enumerate(CATEGORIES)},
        change=None if baseline is None else interval(totals[:, 0] - totals[:, 1]),
        n_draws=int(len(d)),
        seed=seed,
        method=METHOD,
    )


__all__ = ["hub_sweep", "many_draws", "sweep_study", "uncertainty_study"]


def hub_sweep(
    scenario: Scenario,
    counts: Sequence[int],
    organisation: Organisation | None = None,
    *,
    progress: Callable[[float, str], bool | None] | None = None,
) -> SweepResult:
    """The Trade-off page's sweep, as it runs in a worker process (:mod:`footprint.background`).

    The study engine, warm-started from one count to the next: serially in the
    worker, or on the Dask cluster at ``DASK_SCHEDULER_ADDRESS`` when one is set
    (a local cluster would cost more to start than a sweep of a few points takes).
    ``organisation=None`` loads the one the scenario names (the worker rebuilds the
    demo rather than receiving it). ``progress(fraction, message)`` returning True
    stops after the current point, keeping the finished ones.
    """
    from footprint.scenario.run import load_organisation

    org = organisation if organisation is not None else load_organisation(scenario)
    engine = "dask" if os.environ.get("DASK_SCHEDULER_ADDRESS") else "serial"

    def report(done: int, total: int, message: str) -> bool:
        return bool(
            progress
            and progress(done / max(total, 1), f"{done} of {total} points · {message}")
        )

    result, _ = sweep_study(
        org, scenario, counts, warm_start=True, engine=engine, progress=report
    )
    return result


def many_draws(
    footprint: Footprint,
    baseline: Footprint | None,
    n_draws: int,
    seed: int,
    *,
    progress: Callable[[float, str], bool | None] | None = None,
) -> UncertaintyResult:
    """The Report page's "More draws", as it runs in a worker process (:mod:`footprint.background`).

    :func:`uncertainty_study` on the Dask cluster at ``DASK_SCHEDULER_ADDRESS`` when one
    is set, else serially in the worker (its blocks are cheap: about 0.1 s per 1,000
    draws of the demo). ``progress(fraction, message)`` returning True stops after the
    current block, keeping the draws finished so far.
    """

    def report(done: int, total: int, message: str) -> bool:
        return bool(progress and progress(done / max(total, 1), message))

    block = max(1, min(10_000, -(-n_draws // 20)))  # about 20 progress steps
    client, cluster, _ = connect() if os.environ.get(SCHEDULER_ENV) else (None, None, "")
    try:
        return uncertainty_study(
            footprint,
            baseline,
            n_draws=n_draws,
            seed=seed,
            block=block,
            client=client,
            progress=report,
        )
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
