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
``fn`` needs.
"""

from __future__ import annotations

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

__all__ = ["Job", "start"]

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
        if self._outcome is not None:
            self.process.join(timeout=5)
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


def start(fn: Callable[..., Any], *args: Any) -> Job:
    """Run ``fn(*args, progress=…)`` in a new process and return at once."""
    parent, child = _CTX.Pipe(duplex=False)
    cancel = _CTX.Event()
    process = _CTX.Process(target=_child, args=(fn, args, child, cancel), daemon=True,
                           name=f"footprint-{getattr(fn, '__name__', 'job')}")
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
    child.close()
    return Job(process, parent, cancel)
