"""Running a study: serially in this process, or on Dask (a local cluster or an existing one).

Both engines run the same tasks (:mod:`footprint.study.tasks`) with the same
arguments: one cost model per distinct policy (shared by the points that optimise
under it), one solve per grid point and one task per block of Monte Carlo draws.
Draw ``d`` always comes from ``SeedSequence(seed, spawn_key=(d,))``, so the results
are the same bit for bit wherever they run, as long as the optimiser itself is
deterministic: a ``deterministic`` study (the default) runs the heuristic, which stops
on work, not on the clock, unless a point reaches its time limit (flagged in the row's
``hit_time_limit``); the exact method and "auto" stop on the clock.

On Dask the organisation is scattered once to every worker (``broadcast=True``) and
each cost model is computed once on the cluster and moved to the workers that need
it; tasks are submitted with ``retries``, and a task whose worker dies is run again
elsewhere (Dask's scheduler reschedules it), so a lost worker costs only its task.

Finished points are written to the results file as they complete (the whole file,
atomically). Running the same study with the same results file again skips the
points already there: an interrupted study resumes where it stopped.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from footprint.errors import FootprintError, Problem
from footprint.inputs import Organisation
from footprint.scenario.files import load_scenario
from footprint.scenario.run import load_organisation
from footprint.study import tasks
from footprint.study.draws import summarise_draws
from footprint.study.results import (
    LEVER_PREFIX,
    frame_rows,
    read_results,
    write_results,
)
from footprint.study.spec import HUBS, Study, StudyError, StudyPoint, factor_set_ref

#: ``progress(points_done, points_total, message)``; return True to stop (finished points are kept).
Progress = Callable[[int, int, str], bool | None]
ENGINES = ("serial", "dask")
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
RETRIES = 3


@dataclass(frozen=True)
class StudyRun:
    """What a run did.

    Attributes
    ----------
    rows : tuple of dict
        Every finished point's row (resumed and new), sorted by point.
    computed, reused : int
        Points computed in this run, and points taken from the results file.
    total : int
        Points in the study.
    seconds : float
        Wall time of this run. [s]
    engine : str
        Where it ran, in words.
    cancelled : bool
        The run stopped before every point was done.
    """

    rows: tuple[dict[str, Any], ...]
    computed: int
    reused: int
    total: int
    seconds: float
    engine: str
    cancelled: bool = False


def point_jobs(
    study: Study, points: Iterable[StudyPoint] | None = None
) -> list[tasks.PointJob]:
    """The solve job of each grid point (baseline resolved on this machine)."""
    base = study.base
    baseline = load_scenario(base.resolve(base.baseline)) if base.baseline else None
    jobs = []
    for p in study.points() if points is None else points:
        s = study.scenario_for(p)
        b = baseline if baseline is not None else s
        jobs.append(
            tasks.PointJob(
                p.index,
                s,
                factor_set_ref(s, s.policy.factor_set),
                b.policy,
                factor_set_ref(b, b.policy.factor_set),
            )
        )
    return jobs


def draw_blocks(study: Study) -> list[tuple[int, int]]:
    """The ``(start, stop)`` draw ranges of one point's draw tasks."""
    return [
        (a, min(a + study.draw_block, study.draws))
        for a in range(0, study.draws, study.draw_block)
    ]


def point_row(
    study: Study, point: StudyPoint, solved: tasks.PointSolve, blocks: list[np.ndarray]
) -> dict[str, Any]:
    """A point's result row from its solve and its draw blocks (in draw order)."""
    totals = np.concatenate(blocks) if blocks else np.empty((0, 2))
    return {
        "study": study.name,
        "fingerprint": study.fingerprint,
        "point": point.index,
        "point_key": point.key,
        **{LEVER_PREFIX + k: v for k, v in point.levers},
        "scenario": study.scenario_for(point).name,
        **solved.row,
        **summarise_draws(totals),
        "draws": study.draws if solved.draws is not None else 0,
        "seed": study.seed,
    }


def finished_rows(study: Study, out: Path | None) -> dict[int, dict[str, Any]]:
    """Rows already in ``out`` (empty when there is no file); refuses another study's file."""
    if out is None or not out.exists():
        return {}
    frame = read_results(out)
    others = sorted(set(frame["fingerprint"]) - {study.fingerprint})
    if others:
        raise StudyError(
            [
                Problem(
                    "holds results of another study, or of this study before its study, scenario or baseline file "
                    "changed; write to another --out file or delete this one",
                    str(out),
                    None,
                    "fingerprint",
                )
            ]
        )
    keys = {p.index: p.key for p in study.points()}
    rows = {}
    for row in frame_rows(frame):
        if keys.get(int(row["point"])) != row["point_key"]:
            raise StudyError(
                [
                    Problem(
                        f"point {row['point']} is not this study's point {row['point_key']!r}",
                        str(out),
                        int(row["point"]) + 1,
                        "point_key",
                    )
                ]
            )
        rows[int(row["point"])] = row
    return rows


def run_study(
    study: Study,
    out: str | Path | None = None,
    *,
    engine: str = "dask",
    scheduler: str | None = None,
    client: Any = None,
    n_workers: int | None = None,
    organisation: Organisation | None = None,
    progress: Progress | None = None,
    retries: int = RETRIES,
) -> StudyRun:
    """Run every grid point of ``study`` not already in ``out``.

    Parameters
    ----------
    study : Study
    out : path, optional
        Results file (``.parquet`` or ``.csv``), written after every finished point;
        points already in it are not computed again.
    engine : {"dask", "serial"}
        ``"serial"`` runs the tasks one after another in this process.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``); default the
        ``DASK_SCHEDULER_ADDRESS`` environment variable, else a local cluster of one
        single-threaded worker process per core.
    client : distributed.Client, optional
        Use this client (and its cluster) instead.
    n_workers : int, optional
        Size of the local cluster (default: the cores this process may use).
    organisation : Organisation, optional
        Use this organisation instead of loading the one the base scenario names.
    progress : callable, optional
        ``progress(done, total, message)``; return True to stop.
    retries : int
        Times a failed task is retried on Dask.

    Returns
    -------
    StudyRun
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    t0 = time.perf_counter()
    out = Path(out) if out is not None else None
    points = study.points()
    done = finished_rows(study, out)
    todo = [p for p in points if p.index not in done]
    rows = dict(done)
    state = {"computed": 0, "cancelled": False}

    def finish(point: StudyPoint, row: dict[str, Any]) -> bool:
        rows[point.index] = row
        state["computed"] += 1
        if out is not None:
            write_results(list(rows.values()), study.lever_names, out)
        stop = bool(
            progress and progress(len(rows), len(points), point.key or study.name)
        )
        state["cancelled"] = stop and len(rows) < len(points)
        return stop

    if progress:
        progress(
            len(rows),
            len(points),
            f"{len(done)} points already done" if done else "starting",
        )
    where = "nothing to do"
    if todo:
        org = (
            organisation if organisation is not None else load_organisation(study.base)
        )
        units = solve_units(study, todo, done)
        if engine == "serial":
            where = "serial (this process)"
            _run_serial(study, todo, units, org, finish)
        else:
            where = _run_dask(
                study, todo, units, org, finish, client, scheduler, n_workers, retries
            )
    ordered = tuple(rows[k] for k in sorted(rows))
    return StudyRun(
        ordered,
        state["computed"],
        len(done),
        len(points),
        time.perf_counter() - t0,
        where,
        state["cancelled"],
    )


@dataclass(frozen=True)
class SolveUnit:
    """One solve task: a single point, or a warm-started chain of hub counts.

    Attributes
    ----------
    jobs : tuple of PointJob
        The unit's points (a chain's finished points included: they pass their hubs on).
    todo : tuple of PointJob
        The points to solve.
    done_hubs : dict
        A chain's finished points: point index → hub ids (space-separated).
    chain : bool
    """

    jobs: tuple[tasks.PointJob, ...]
    todo: tuple[tasks.PointJob, ...]
    done_hubs: dict[int, str]
    chain: bool = False


def solve_units(
    study: Study, todo: list[StudyPoint], done: dict[int, dict[str, Any]]
) -> list[SolveUnit]:
    """The solve tasks of the points still to do (chains when ``study.warm_start``)."""
    if not (study.warm_start and HUBS in study.lever_names):
        return [SolveUnit((j,), (j,), {}) for j in point_jobs(study, todo)]
    todo_idx = {p.index for p in todo}
    units, groups = [], {}
    for p, j in zip(study.points(), point_jobs(study), strict=True):
        if j.optimises:
            groups.setdefault(tuple(lv for lv in p.levers if lv[0] != HUBS), []).append(
                j
            )
        elif p.index in todo_idx:
            units.append(SolveUnit((j,), (j,), {}))
    for chain in groups.values():
        left = tuple(j for j in chain if j.index in todo_idx)
        if left:
            hubs = {
                j.index: str(done[j.index]["hubs"]) for j in chain if j.index in done
            }
            units.append(SolveUnit(tuple(chain), left, hubs, True))
    return sorted(units, key=lambda u: u.todo[0].index)


def _run_serial(
    study: Study,
    todo: list[StudyPoint],
    units: list[SolveUnit],
    org: Organisation,
    finish: Callable[[StudyPoint, dict[str, Any]], bool],
) -> None:
    costs: dict[tuple, Any] = {}
    by_index = {p.index: p for p in todo}
    for unit in units:
        job = unit.todo[0]
        cost = None
        if job.optimises:
            if job.costs_key not in costs:
                costs[job.costs_key] = tasks.point_costs(org, job)
            cost = costs[job.costs_key]
        if unit.chain:
            solves = tasks.solve_chain(org, cost, unit.jobs, unit.done_hubs)
        else:
            solves = (tasks.solve_point(org, cost, job),)
        for solved in solves:
            point = by_index[solved.index]
            blocks = [
                tasks.draw_block(solved, study.seed, a, b)
                for a, b in draw_blocks(study)
            ]
            if finish(point, point_row(study, point, solved, blocks)):
                return


def local_cluster(n_workers: int | None = None) -> Any:
    """A local Dask cluster: one single-threaded worker process per core, no dashboard."""
    from distributed import LocalCluster

    if n_workers is None:
        n_workers = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,  # not the nanny's warnings about slow worker shutdowns
    )


def connect(
    scheduler: str | None = None, n_workers: int | None = None
) -> tuple[Any, Any, str]:
    """A Dask client: to ``scheduler`` (or ``$DASK_SCHEDULER_ADDRESS``), else to a new local cluster.

    Returns ``(client, cluster or None, where in words)``; close both when done.
    """
    from distributed import Client

    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if address:
        try:
            client = Client(address, timeout="15s")
        except (OSError, TimeoutError) as e:
            raise FootprintError(
                f"cannot reach the Dask scheduler at {address} ({e.__class__.__name__}: {e}); "
                "check the address, that the scheduler runs, and the firewall"
            ) from None
        return client, None, f"Dask cluster at {address}"
    cluster = local_cluster(n_workers)
    client = Client(cluster)
    n = len(client.scheduler_info().get("workers", {}))
    return client, cluster, f"Dask local cluster ({n} worker processes)"


def _run_dask(
    study: Study,
    todo: list[StudyPoint],
    units: list[SolveUnit],
    org: Organisation,
    finish: Callable[[StudyPoint, dict[str, Any]], bool],
    client: Any,
    scheduler: str | None,
    n_workers: int | None,
    retries: int,
) -> str:
    from distributed import as_completed

    own = client is None
    cluster = None
    if own:
        client, cluster, where = connect(scheduler, n_workers)
    else:
        where = f"Dask cluster at {client.scheduler.address}"
    futures: list[Any] = []
    org_f = None
    try:
        org_f = client.scatter(org, broadcast=True, hash=False)
        costs_f: dict[tuple, Any] = {}
        owner: dict[str, int] = {}  # future key -> point index
        solve_f: dict[int, Any] = {}
        block_f: dict[int, list[Any]] = {}
        chains: list[Any] = []
        for unit in units:
            job = unit.todo[0]
            if job.optimises and job.costs_key not in costs_f:
                costs_f[job.costs_key] = client.submit(
                    tasks.point_costs, org_f, job, retries=retries, pure=False
                )
        for unit in units:
            job = unit.todo[0]
            cost_f = costs_f.get(job.costs_key) if job.optimises else None
            if unit.chain:
                chain_f = client.submit(
                    tasks.solve_chain,
                    org_f,
                    cost_f,
                    unit.jobs,
                    unit.done_hubs,
                    retries=retries,
                    pure=False,
                    priority=-job.index,
                )
                chains.append(chain_f)
                members = [
                    (
                        j,
                        client.submit(
                            tasks.chain_member,
                            chain_f,
                            j.index,
                            pure=False,
                            retries=retries,
                        ),
                    )
                    for j in unit.todo
                ]
            else:
                members = [
                    (
                        job,
                        client.submit(
                            tasks.solve_point,
                            org_f,
                            cost_f,
                            job,
                            retries=retries,
                            pure=False,
                            priority=-job.index,
                        ),
                    )
                ]
            for job, f in members:
                _submit_blocks(study, client, job, f, solve_f, block_f, owner, retries)
        futures = [
            *costs_f.values(),
            *chains,
            *solve_f.values(),
            *(g for fs in block_f.values() for g in fs),
        ]
        remaining = {i: 1 + len(block_f[i]) for i in solve_f}
        by_index = {p.index: p for p in todo}
        for f in as_completed(
            [*solve_f.values(), *(g for fs in block_f.values() for g in fs)]
        ):
            i = owner[f.key]
            if f.status == "error":
                f.result()  # raises the task's own exception
            remaining[i] -= 1
            if remaining[i]:
                continue
            solved = solve_f[i].result()
            blocks = [g.result() for g in block_f[i]]
            for g in (solve_f.pop(i), *block_f.pop(i)):
                g.release()
            if finish(by_index[i], point_row(study, by_index[i], solved, blocks)):
                break
    finally:
        if futures:
            client.cancel([f for f in futures if not f.done()])
        if org_f is not None:  # let go of the organisation before any worker goes away
            client.cancel([org_f])
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    return where


def _submit_blocks(
    study: Study,
    client: Any,
    job: tasks.PointJob,
    solve: Any,
    solve_f: dict[int, Any],
    block_f: dict[int, list[Any]],
    owner: dict[str, int],
    retries: int,
) -> None:
    """Submit a point's draw blocks after its solve, and note whose futures they are."""
    solve_f[job.index] = solve
    owner[solve.key] = job.index
    block_f[job.index] = [
        client.submit(
            tasks.draw_block,
            solve,
            study.seed,
            a,
            b,
            retries=retries,
            pure=False,
            priority=1 - job.index,
        )
        for a, b in draw_blocks(study)
    ]
    for g in block_f[job.index]:
        owner[g.key] = job.index
