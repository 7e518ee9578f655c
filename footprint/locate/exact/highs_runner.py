"""Run a MIP in HiGHS (highspy) with time limit, warm start and progress.

May import highspy, numpy/scipy and :mod:`footprint.locate.silence_native_output` only.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from ..silence_native_output import quiet_fds

__all__ = ["MipOutcome", "new_highs", "run_lp", "run_mip"]

#: How long past the deadline :func:`run_mip` waits for HiGHS to return, at most
#: 5 % of the time limit [s].
DEADLINE_GRACE_S = 0.5

#: Measured cost of HiGHS presolve on location models [s per nonzero].
PRESOLVE_SECONDS_PER_NONZERO = 4e-6

ProgressFn = Callable[[float, str], "bool | None"]


def new_highs() -> highspy.Highs:
    """A silenced HiGHS instance (no banner, no log on stdout).

    highspy prints its "Running HiGHS ... Copyright ..." banner to the C
    ``stdout`` when the first ``Highs()`` of a process is created, before
    ``output_flag`` can be set, which corrupts ``--json`` output. Create it
    inside :func:`~footprint.locate.silence_native_output.quiet_fds` and switch logging off.
    """
    with quiet_fds():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("log_to_console", False)
    return h


# The banner is printed once per process, by whichever Highs() comes first:
# create that one here (this module is imported with footprint.locate), so
# that a bare ``highspy.Highs()`` elsewhere cannot print it either.
new_highs()

#: Why HiGHS stopped, in words, for the model statuses that are neither a
#: proof (optimal / infeasible) nor the time limit.
_STOP_REASONS = {
    "kInterrupt": "HiGHS was interrupted",
    "kMemoryLimit": "HiGHS ran out of memory",
    "kIterationLimit": "HiGHS reached its iteration limit",
    "kSolutionLimit": "HiGHS reached its node, leaf or solution limit",
    "kObjectiveBound": "HiGHS reached its objective bound",
    "kObjectiveTarget": "HiGHS reached its objective target",
    "kUnknown": "HiGHS stopped without a verdict (numerical trouble?)",
    "kUnboundedOrInfeasible": "HiGHS could not tell unbounded from infeasible",
    "kUnbounded": "HiGHS reported the model unbounded (numerical trouble?)",
}


def stop_reason(ms: highspy.HighsModelStatus) -> str:
    """Why HiGHS stopped with model status ``ms``, in words."""
    name = getattr(ms, "name", str(ms)).split(".")[-1]
    return _STOP_REASONS.get(name, f"HiGHS failed ({name.removeprefix('k')})")


@dataclass
class MipOutcome:
    """Raw outcome of a HiGHS run.

    Attributes
    ----------
    status : str
        ``optimal``, ``time_limit``, ``cancelled`` (progress callback),
        ``infeasible`` (proven by HiGHS) or ``stopped`` (any other stop:
        memory, interrupt, node/solution limit, numerical trouble ...;
        ``message`` says why; ``x`` may or may not be set).
    x : numpy.ndarray or None
        Column values when a primal solution exists.
    objective : float
        HiGHS objective (including offset) [cost units].
    bound : float
        Best dual bound [cost units]; ``nan`` when HiGHS has none.
    message : str
        HiGHS model status text, or why it stopped in words.
    """

    status: str
    x: np.ndarray | None
    objective: float
    bound: float
    message: str


def run_mip(
    c: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    integer: np.ndarray,
    a: sp.csr_array,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    *,
    offset: float = 0.0,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    start: np.ndarray | None = None,
    progress: ProgressFn | None = None,
    progress_span: tuple[float, float] = (0.0, 1.0),
    threads: int = 1,
    highs_options: dict | None = None,
) -> MipOutcome:
    """Solve ``min c x + offset`` s.t. ``row_lower <= A x <= row_upper``.

    Parameters
    ----------
    c, lower, upper : numpy.ndarray
        Objective and column bounds.
    integer : numpy.ndarray
        Bool mask of integer columns.
    a : scipy.sparse.csr_array
        Constraint matrix.
    row_lower, row_upper : numpy.ndarray
        Row bounds.
    offset : float
        Objective constant [cost units].
    time_limit : float
        Wall-clock limit [s].
    mip_gap : float
        Relative MIP gap [fraction].
    start : numpy.ndarray, optional
        Feasible column values passed as a warm start.
    progress : callable, optional
        ``progress(fraction, message)``; returning True interrupts.
    progress_span : tuple of float
        Fractions of the overall progress bar this run covers.
    threads : int
        HiGHS threads.
    highs_options : dict, optional
        Extra HiGHS options (name -> value), set before the others.

    Returns
    -------
    MipOutcome
    """
    t0 = time.perf_counter()  # handing the model over counts against the limit too
    h = new_highs()
    for key, value in (highs_options or {}).items():
        h.setOptionValue(key, value)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", int(threads))
    a = sp.csr_array(a)
    if time_limit < PRESOLVE_SECONDS_PER_NONZERO * 4 * max(a.nnz, 1):
        # presolve cannot be interrupted from callbacks: skip it when it
        # could eat > 25 % of the time limit, so the limit is honoured (with
        # presolve off the root cut loop on big models is much slower, so a
        # 5 % threshold cost more than it saved)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    if start is not None:
        h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    n_col = c.size
    h.addCols(
        n_col,
        np.ascontiguousarray(c, dtype=np.float64),
        np.ascontiguousarray(lower, dtype=np.float64),
        np.ascontiguousarray(upper, dtype=np.float64),
        0,
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    a.sort_indices()
    h.addRows(
        a.shape[0],
        np.ascontiguousarray(row_lower, dtype=np.float64),
        np.ascontiguousarray(row_upper, dtype=np.float64),
        a.nnz,
        a.indptr[:-1].astype(np.int32),
        a.indices.astype(np.int32),
        a.data.astype(np.float64),
    )
    ints = np.flatnonzero(integer).astype(np.int32)
    if ints.size:
        h.changeColsIntegrality(
            ints.size, ints, np.full(ints.size, highspy.HighsVarType.kInteger)
        )
    if offset:
        h.changeObjectiveOffset(float(offset))
    if start is not None and ints.size:
        sol = highspy.HighsSolution()
        sol.col_value = list(np.asarray(start, dtype=float))
        sol.value_valid = True
        h.setSolution(sol)

    # HiGHS checks its clock only now and then: leave it a small margin
    left = time_limit - (time.perf_counter() - t0)
    h.setOptionValue("time_limit", float(max(0.97 * left - 0.05, 0.01)))
    lo_f, hi_f = progress_span
    state = {"last": -1.0, "cancelled": False, "timed_out": False}

    def _tick(e: object, phase: str) -> None:
        now = time.perf_counter() - t0
        if now >= time_limit:  # HiGHS alone may overshoot its own limit
            state["timed_out"] = True
            e.data_in.user_interrupt = True  # type: ignore[attr-defined]
            return
        if progress is None or now - state["last"] < 0.25:
            return
        state["last"] = now
        frac = lo_f + (hi_f - lo_f) * min(now / max(time_limit, 1e-9), 1.0)
        out = e.data_out  # type: ignore[attr-defined]
        if phase == "mip":
            pb, db = out.mip_primal_bound, out.mip_dual_bound
            best = f"best {pb:,.6g}" if math.isfinite(pb) else "no plan yet"
            bound = f"bound {db:,.6g}" if math.isfinite(db) else "no bound yet"
            msg = f"branch and bound: {best}, {bound}"
        else:
            msg = "solving the LP relaxation"
        if progress(frac, msg):
            state["cancelled"] = True
            e.data_in.user_interrupt = True  # type: ignore[attr-defined]

    h.cbMipInterrupt.subscribe(lambda e: _tick(e, "mip"))
    h.cbSimplexInterrupt.subscribe(lambda e: _tick(e, "lp"))
    h.cbIpmInterrupt.subscribe(lambda e: _tick(e, "lp"))
    # highspy releases the interpreter in run(): solve in a thread and stop waiting at
    # the deadline, even where HiGHS does not call back (presolve, one long root LP)
    # (not a daemon: at exit the interpreter waits for it; it stops at its next callback)
    solver = threading.Thread(target=h.run, name="highs")
    with quiet_fds():  # HiGHS prints some MIP diagnostics despite output_flag
        solver.start()
        grace = min(DEADLINE_GRACE_S, 0.05 * time_limit)
        solver.join(max(time_limit - (time.perf_counter() - t0), 0.0) + grace)
    if solver.is_alive():
        # the callbacks interrupt it at their next call; its answer is not awaited
        state["timed_out"] = True
        return MipOutcome("time_limit", None, math.inf, math.nan,
                          "HiGHS did not stop at the time limit (it checks the clock only between "
                          "steps of presolve, the LP and the search); stopped waiting for it")
    ms = h.getModelStatus()
    info = h.getInfo()
    has_x = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value) if has_x else None
    obj = float(info.objective_function_value) if has_x else math.inf
    ks = highspy.HighsModelStatus
    if ints.size:
        bound = float(info.mip_dual_bound)
    else:
        bound = obj if ms == ks.kOptimal else math.nan
    if not math.isfinite(bound):
        bound = math.nan
    msg = h.modelStatusToString(ms)
    if state["cancelled"]:
        status = "cancelled"
    elif state["timed_out"] or ms == ks.kTimeLimit:
        status = "time_limit"
    elif ms == ks.kOptimal and has_x:
        status = "optimal"
    elif ms == ks.kInfeasible or (
            ms == ks.kUnboundedOrInfeasible
            and np.isfinite(lower).all() and np.isfinite(upper).all()):
        # all columns bounded: "unbounded or infeasible" can only be infeasible
        status = "infeasible"
    else:
        status = "stopped"
        msg = f"{stop_reason(ms)} before proving optimality"
    return MipOutcome(status, x, obj, bound, msg)


def run_lp(
    c: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    a: sp.csr_array,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    *,
    time_limit: float = 60.0,
    presolve: bool = False,
) -> tuple[float, np.ndarray, np.ndarray] | None:
    """Solve the LP ``min c x`` s.t. ``row_lower <= A x <= row_upper``.

    Returns
    -------
    tuple or None
        ``(objective, x, reduced_costs)`` when HiGHS proves LP optimality
        within ``time_limit``; ``None`` otherwise.
    """
    h = new_highs()
    h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
    h.setOptionValue("threads", 1)
    if not presolve:
        h.setOptionValue("presolve", "off")
    a = sp.csr_array(a)
    a.sort_indices()
    h.addCols(c.size, np.ascontiguousarray(c, dtype=np.float64),
              np.ascontiguousarray(lower, dtype=np.float64),
              np.ascontiguousarray(upper, dtype=np.float64),
              0, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    h.addRows(a.shape[0], np.ascontiguousarray(row_lower, dtype=np.float64),
              np.ascontiguousarray(row_upper, dtype=np.float64), a.nnz,
              a.indptr[:-1].astype(np.int32), a.indices.astype(np.int32),
              a.data.astype(np.float64))
    with quiet_fds():
        h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    sol = h.getSolution()
    if not sol.dual_valid:
        return None
    obj = float(h.getInfo().objective_function_value)
    return obj, np.asarray(sol.col_value), np.asarray(sol.col_dual)
