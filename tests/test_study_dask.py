"""Studies on a real Dask cluster: two single-threaded worker processes on this machine."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pandas as pd
import pytest
from test_study import comparable, write_study

from footprint.study import load_study, read_results, run_study
from footprint.study.results import TIMING_COLUMNS

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


class KillOnce(distributed.WorkerPlugin):
    """Kills its worker's process (SIGKILL) when a grid point's solve starts, once per marker file."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        name = key if isinstance(key, str) else str(key)
        if (
            finish == "executing"
            and name.startswith("solve_point")
            and not os.path.exists(self.marker)
        ):
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def serial_results(tmp_path_factory, toy_org):
    folder = tmp_path_factory.mktemp("serial")
    study = load_study(write_study(folder))
    run_study(study, folder / "r.parquet", engine="serial", organisation=toy_org)
    return study, read_results(folder / "r.parquet")


def test_distributed_equals_serial_bit_for_bit(
    tmp_path, toy_org, client, serial_results
):
    study, serial = serial_results
    run = run_study(study, tmp_path / "r.parquet", client=client, organisation=toy_org)
    assert run.computed == 16 and run.engine.startswith("Dask cluster at tcp://")
    distributed_frame = read_results(tmp_path / "r.parquet")
    pd.testing.assert_frame_equal(
        comparable(distributed_frame), comparable(serial), check_exact=True
    )
    assert set(TIMING_COLUMNS) <= set(distributed_frame.columns)


def test_a_worker_killed_mid_study_loses_only_its_task(
    tmp_path, toy_org, client, serial_results
):
    study, serial = serial_results
    marker = tmp_path / "killed"
    client.register_plugin(KillOnce(str(marker)), name="kill-once")
    try:
        run = run_study(
            study, tmp_path / "r.parquet", client=client, organisation=toy_org
        )
    finally:
        client.unregister_worker_plugin("kill-once")
    assert marker.exists()  # a worker did die
    assert run.computed == 16
    pd.testing.assert_frame_equal(
        comparable(read_results(tmp_path / "r.parquet")),
        comparable(serial),
        check_exact=True,
    )
    client.wait_for_workers(2, timeout=60)


def test_many_draws_on_the_cluster_equal_the_serial_draws(toy_org, client):
    import numpy as np

    from footprint.accounting import account, current_plan, nearest_plan
    from footprint.inputs import Policy
    from footprint.study.interactive import uncertainty_study

    policy = Policy()
    base = account(toy_org, policy, current_plan(toy_org))
    fp = account(
        toy_org, policy, nearest_plan(toy_org, policy, np.array([True, True, False]))
    )
    here = uncertainty_study(fp, base, n_draws=5_000, seed=9, block=5_000)
    there = uncertainty_study(
        fp, base, n_draws=5_000, seed=9, block=1_250, client=client
    )
    assert here == there


def test_a_study_connects_to_an_existing_scheduler_by_address(
    tmp_path, toy_org, client, serial_results
):
    study, serial = serial_results
    address = client.scheduler.address
    run = run_study(
        study, tmp_path / "r.parquet", scheduler=address, organisation=toy_org
    )
    assert run.engine == f"Dask cluster at {address}"
    pd.testing.assert_frame_equal(
        comparable(read_results(tmp_path / "r.parquet")),
        comparable(serial),
        check_exact=True,
    )


def test_warm_started_chains_on_the_cluster_equal_serial(tmp_path, toy_org, client):
    from test_study import WARM_STUDY

    study = load_study(write_study(tmp_path, WARM_STUDY))
    run_study(study, tmp_path / "serial.parquet", engine="serial", organisation=toy_org)
    run = run_study(
        study, tmp_path / "dask.parquet", client=client, organisation=toy_org
    )
    assert run.computed == 16
    pd.testing.assert_frame_equal(
        comparable(read_results(tmp_path / "dask.parquet")),
        comparable(read_results(tmp_path / "serial.parquet")),
        check_exact=True,
    )


DEMO_CAPACITY_BASE = """
schema_version = 1
name = "demo, offices whole, desks respected"
[organisation]
source = "demo"
[hubs]
selection = "optimise"
count = 20
assignment = "offices_whole"
[optimiser]
method = "auto"
time_limit_s = 120.0
respect_capacity = true
"""
DEMO_CAPACITY_STUDY = """
schema_version = 1
name = "demo with desk capacities"
scenario = "base.toml"
draws = 50
seed = 5
[grid]
hubs = [20, 40]
"""


def test_a_deterministic_study_with_desk_capacities_equals_serial_on_the_cluster(
    tmp_path, demo_org, client
):
    # the base scenario asks for "auto" (HiGHS, stopped on the clock); deterministic by default,
    # the study runs the heuristic, which stops on work: capacitated points agree bit for bit
    study = load_study(write_study(tmp_path, DEMO_CAPACITY_STUDY, DEMO_CAPACITY_BASE))
    assert study.base.optimiser.method == "heuristic"
    run_study(
        study, tmp_path / "serial.parquet", engine="serial", organisation=demo_org
    )
    run_study(study, tmp_path / "dask.parquet", client=client, organisation=demo_org)
    serial = read_results(tmp_path / "serial.parquet")
    assert serial["feasible"].all() and not serial["hit_time_limit"].any()
    assert serial["n_hubs"].tolist() == [20, 40]
    pd.testing.assert_frame_equal(
        comparable(read_results(tmp_path / "dask.parquet")),
        comparable(serial),
        check_exact=True,
    )


def test_the_report_pages_draws_use_the_cluster_at_the_address(
    toy_org, client, monkeypatch
):
    import numpy as np

    from footprint.accounting import account, current_plan, nearest_plan
    from footprint.inputs import Policy
    from footprint.study.engine import SCHEDULER_ENV
    from footprint.study.interactive import many_draws, uncertainty_study

    policy = Policy()
    base = account(toy_org, policy, current_plan(toy_org))
    fp = account(
        toy_org, policy, nearest_plan(toy_org, policy, np.array([True, False, True]))
    )
    seen = []
    monkeypatch.setenv(SCHEDULER_ENV, client.scheduler.address)
    there = many_draws(fp, base, 4_000, 3, progress=lambda f, m: seen.append(f))
    assert there == uncertainty_study(fp, base, n_draws=4_000, seed=3)
    assert seen[-1] == 1.0 and len(seen) == 20  # one report per block of 200 draws
