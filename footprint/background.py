"""Long work (optimiser runs, sweeps) in a separate process, with progress and cancel.

Streamlit runs every browser session in one server process; a solve on a
session's script thread holds the interpreter for seconds to minutes and every
other session's sliders wait. :func:`start` runs a function in a fresh
``spawn`` process instead, so the server only polls a pipe.

The function is called as ``fn(*args, progress=report)`` where ``report(fraction,
message)`` sends progress to the parent and returns True once the parent asked to
cancel (the solvers then stop and return their best plan so far). It must be a
module-level function (it is pickled by name), and its arguments and result
must pickle.

This module imports nothing of the app and nothing heavy: the child imports what
``fn`` needs. :func:`keep_warm` keeps one worker started ahead of time, with the
libraries imported and whatever a preparation function loads (the app: the
compiled kernels and the demo organisation), so that a click does not wait for
them: a process takes one job and ends, and the next standby starts once the
job is over (not during it, when it would take CPU from the solve).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["Job", "keep_warm", "start", "stop_keeping_warm"]

_CTX = mp.get_context("spawn")
_START_LOCK = threading.Lock()


class JobFailed(RuntimeError):
    """The child raised an exception that could not be sent back as itself."""


#: Niceness added to a worker process: the server's sessions (script runs, the
#: browser's requests) come first on a busy machine; the solve keeps its wall-clock limit.
WORKER_NICENESS = 10


def _child(fn: Callable[..., Any], args: tuple, conn: Connection, cancel: Any) -> None:
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    _run(fn, args, conn, cancel)


def _standby(prepare: Callable[[], Any] | None, jobs: Connection, conn: Connection, cancel: Any) -> None:
    """A worker that gets ready first (``prepare()``), then waits for its one job."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    if prepare is not None:
        # a head start only: the job loads whatever it needs itself
        with contextlib.suppress(Exception):
            prepare()
    try:
        fn, args = jobs.recv()
    except (EOFError, OSError):  # the server retired this standby or has gone
        return
    finally:
        jobs.close()
    _run(fn, args, conn, cancel)


def _run(fn: Callable[..., Any], args: tuple, conn: Connection, cancel: Any) -> None:
    """Run the job and send its progress and outcome to the parent."""
    last = [0.0]

    def report(fraction: float, message: str) -> bool:
        now = time.monotonic()
        if now - last[0] >= 0.1 or fraction >= 1.0:  # at most ten messages a second
            last[0] = now
            try:
                conn.send(("progress", float(fraction), str(message)))
            except (BrokenPipeError, OSError):
                return True  # the parent is gone: stop
        return cancel.is_set()

    try:
        result = fn(*args, progress=report)
        conn.send(("result", result))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            conn.send(("error", JobFailed(text)))
    finally:
        conn.close()


@dataclass(eq=False)
class Job:
    """A function running in another process.

    Attributes
    ----------
    fraction : float
        Last progress fraction reported, 0–1.
    message : str
        Last progress message.
    started : float
        ``time.monotonic()`` at the start. [s]
    """

    process: Any
    conn: Connection
    cancel_event: Any
    started: float = field(default_factory=time.monotonic)
    fraction: float = 0.0
    message: str = "starting"
    _outcome: tuple[str, Any] | None = None
    cancel_requested: bool = False
    _joined: bool = False

    @property
    def elapsed_s(self) -> float:
        """Seconds since the start. [s]"""
        return time.monotonic() - self.started

    def poll(self) -> bool:
        """Read what the child sent; True once it has finished (result or error)."""
        while self._outcome is None:
            try:
                if not self.conn.poll():
                    break
                kind, *payload = self.conn.recv()
            except (EOFError, OSError):
                code = self.process.exitcode
                self._outcome = ("error", JobFailed(
                    f"the worker process stopped without an answer (exit code {code}); "
                    "it may have run out of memory"))
                break
            if kind == "progress":
                self.fraction, self.message = payload
            else:
                self._outcome = (kind, payload[0])
        if self._outcome is None and not self.process.is_alive() and not self.conn.poll():
            self._outcome = ("error", JobFailed(
                f"the worker process stopped without an answer (exit code {self.process.exitcode}); "
                "it may have run out of memory"))
        if self._outcome is not None and not self._joined:
            self._joined = True
            self.process.join(timeout=5)
            _refill()  # the next job's standby starts now the CPU is free
        return self._outcome is not None

    @property
    def done(self) -> bool:
        return self.poll()

    def result(self) -> Any:
        """The function's return value; re-raises its exception. Call when :attr:`done`."""
        if not self.poll():
            raise RuntimeError("the job is still running")
        kind, value = self._outcome  # type: ignore[misc]
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Ask the work to stop and return its best answer so far."""
        self.cancel_requested = True
        self.cancel_event.set()

    def kill(self) -> None:
        """End the process now (no answer)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


@dataclass(eq=False)
class _Ready:
    """A standby worker: its process, where to send the job, and the job's pipe and cancel flag."""

    process: Any
    jobs: Connection
    conn: Connection
    cancel_event: Any


_STANDBY_LOCK = threading.Lock()
_standby_worker: _Ready | None = None
_prepare: Callable[[], Any] | None = None
_warm = False


def _spawn(target: Callable[..., Any], args: tuple, name: str) -> Any:
    """Start a ``spawn`` process without re-running the parent's ``__main__``."""
    process = _CTX.Process(target=target, args=args, daemon=True, name=name)
    # A spawned child re-runs the parent's ``__main__`` (Streamlit's launcher, a test
    # runner's script) unless told otherwise; ``fn`` is importable by name, so the
    # child needs none of it: show multiprocessing an empty main while starting.
    with _START_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            process.start()
        finally:
            if main is not None:
                sys.modules["__main__"] = main
    return process


def _refill() -> None:
    """Start a standby worker if :func:`keep_warm` asked for one and none is waiting."""
    global _standby_worker
    if mp.parent_process() is not None:
        return  # a standby belongs to the top process (the server), not to a worker of any kind
    with _STANDBY_LOCK:
        if not _warm or (_standby_worker is not None and _standby_worker.process.is_alive()):
            return
        parent, child = _CTX.Pipe(duplex=False)
        job_out, job_in = _CTX.Pipe(duplex=False)
        cancel = _CTX.Event()
        process = _spawn(_standby, (_prepare, job_out, child, cancel), "footprint-standby")
        child.close()
        job_out.close()
        _standby_worker = _Ready(process, job_in, parent, cancel)


def keep_warm(prepare: Callable[[], Any] | None = None) -> None:
    """Keep one worker process started ahead of the next :func:`start`.

    ``prepare`` (a module-level function, called with no argument in the
    worker before it waits) loads what the jobs will need; its errors are
    ignored. Costs one idle process and what ``prepare`` loads.
    """
    global _prepare, _warm
    with _STANDBY_LOCK:
        changed = _warm and prepare is not _prepare
    if changed:  # the waiting standby was prepared for other work
        stop_keeping_warm()
    with _STANDBY_LOCK:
        _prepare, _warm = prepare, True
    _refill()


def stop_keeping_warm() -> None:
    """End the standby worker, if any, and start no more."""
    global _standby_worker, _warm
    with _STANDBY_LOCK:
        ready, _standby_worker, _warm = _standby_worker, None, False
    if ready is not None:
        ready.jobs.close()  # the standby sees the pipe close and ends
        ready.process.join(timeout=5)
        if ready.process.is_alive():
            ready.process.kill()


def _take_standby(fn: Callable[..., Any], args: tuple) -> Job | None:
    """Hand the job to the waiting standby worker, if there is one alive."""
    global _standby_worker
    with _STANDBY_LOCK:
        ready, _standby_worker = _standby_worker, None
    if ready is None:
        return None
    try:
        if not ready.process.is_alive():
            raise BrokenPipeError
        ready.jobs.send((fn, args))
    except (BrokenPipeError, OSError):
        ready.process.kill()
        return None
    finally:
        ready.jobs.close()
    return Job(ready.process, ready.conn, ready.cancel_event)


def start(fn: Callable[..., Any], *args: Any) -> Job:
    """Run ``fn(*args, progress=…)`` in another process and return at once.

    The standby worker of :func:`keep_warm` takes it when one is waiting;
    otherwise a new process starts.
    """
    job = _take_standby(fn, args)
    if job is not None:
        return job
    parent, child = _CTX.Pipe(duplex=False)
    cancel = _CTX.Event()
    process = _spawn(_child, (fn, args, child, cancel), f"footprint-{getattr(fn, '__name__', 'job')}")
    child.close()
    return Job(process, parent, cancel)
