"""footprint.background: work in another process, with progress, cancel and errors."""

from __future__ import annotations

import time

import pytest

from footprint import background
from footprint.errors import InfeasibleScenario


def count_until_cancelled(limit_s: float, *, progress) -> int:
    """Report progress every 20 ms until cancelled or ``limit_s`` passes; return the ticks."""
    ticks = 0
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        ticks += 1
        if progress(min(ticks / 1000, 1.0), f"tick {ticks}"):
            break
        time.sleep(0.02)
    return ticks


def infeasible(*, progress) -> None:
    raise InfeasibleScenario(["no hub can hold the head office"])


def _wait(job: background.Job, seconds: float) -> None:
    end = time.monotonic() + seconds
    while not job.done and time.monotonic() < end:
        time.sleep(0.05)


def test_progress_then_cancel_returns_within_a_second():
    job = background.start(count_until_cancelled, 60.0)
    _wait_for_progress = time.monotonic() + 30
    while job.fraction == 0 and time.monotonic() < _wait_for_progress:
        job.poll()
        time.sleep(0.05)
    assert job.message.startswith("tick")
    asked = time.monotonic()
    job.cancel()
    _wait(job, 5.0)
    assert job.done and time.monotonic() - asked < 1.0
    ticks = job.result()
    assert 1 <= ticks < 3000  # stopped early, not after the 60 s


def test_an_error_in_the_worker_is_raised_as_itself():
    job = background.start(infeasible)
    _wait(job, 30.0)
    with pytest.raises(InfeasibleScenario) as e:
        job.result()
    assert e.value.reasons == ("no hub can hold the head office",)


def test_a_killed_worker_is_reported_not_hung():
    job = background.start(count_until_cancelled, 60.0)
    time.sleep(0.5)
    job.kill()
    _wait(job, 5.0)
    with pytest.raises(background.JobFailed, match="stopped without an answer"):
        job.result()


_PREPARED = False


def mark_prepared() -> None:
    """Run in a standby worker before its job (sets a flag in that process only)."""
    global _PREPARED
    _PREPARED = True


def was_prepared(*, progress) -> tuple[bool, int]:
    import os

    return _PREPARED, os.getpid()


def test_a_warm_worker_is_prepared_ahead_and_replaced_after_its_job():
    background.keep_warm(mark_prepared)
    try:
        first = background._standby_worker.process.pid
        job = background.start(was_prepared)
        _wait(job, 60.0)
        assert job.result() == (True, first)  # the job ran in the prepared process
        # the next standby was started once that job ended, and is prepared too
        second = background._standby_worker.process.pid
        assert second != first
        job = background.start(was_prepared)
        _wait(job, 60.0)
        assert job.result() == (True, second)
        # cancel works the same in a warm worker
        background._standby_worker.process.pid  # noqa: B018 - a third standby is waiting
        job = background.start(count_until_cancelled, 60.0)
        end = time.monotonic() + 30
        while job.fraction == 0 and time.monotonic() < end:
            job.poll()
            time.sleep(0.05)
        asked = time.monotonic()
        job.cancel()
        _wait(job, 5.0)
        assert job.done and time.monotonic() - asked < 1.0
    finally:
        background.stop_keeping_warm()
    assert background._standby_worker is None
    # without a standby, a job runs in a fresh, unprepared process
    job = background.start(was_prepared)
    _wait(job, 60.0)
    assert job.result()[0] is False


def keep_warm_inside(*, progress) -> bool:
    background.keep_warm(mark_prepared)
    return background._standby_worker is None


def test_a_worker_keeps_no_standby_of_its_own():
    """Only the top process (the server) keeps a standby: a worker, or a process still
    starting (multiprocessing forbids spawning then), never does."""
    job = background.start(keep_warm_inside)
    _wait(job, 60.0)
    assert job.result() is True
