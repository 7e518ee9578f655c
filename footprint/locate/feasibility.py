"""Plain-English feasibility checks made before solving.

May import :mod:`footprint.locate.problem` (and numpy) only.
"""

from __future__ import annotations

import numpy as np

from .problem import LocationProblem

__all__ = ["InfeasibleProblem", "check_feasibility"]


class InfeasibleProblem(ValueError):
    """Raised when a problem is infeasible; ``reasons`` lists why."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("infeasible problem: " + "; ".join(self.reasons))


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 or abs(x) >= 100 else f"{x:,.4g}"


def _list(idx: np.ndarray, limit: int = 5) -> str:
    items = ", ".join(str(int(i)) for i in idx[:limit])
    return items + (f" and {len(idx) - limit} more" if len(idx) > limit else "")


def check_feasibility(problem: LocationProblem) -> list[str]:
    """Find reasons why ``problem`` has no feasible solution.

    The checks are necessary conditions only (an empty list does not prove
    feasibility of single-source capacitated problems, which is NP-hard).

    Parameters
    ----------
    problem : LocationProblem
        Problem to check.

    Returns
    -------
    list of str
        Plain-English reasons; empty when no obstacle was found.
    """
    reasons: list[str] = []
    n, m = problem.cost.shape
    p = problem.n_sites
    forced = problem.forced_or_none()
    allowed = problem.allowed_or_all()
    must_serve = problem.unassigned_cost is None
    n_forced = int(forced.sum())
    if p is not None and n_forced > p:
        reasons.append(f"{n_forced} sites are forced open but only {p} may open")
    if must_serve:
        orphan = np.flatnonzero(~allowed.any(axis=1))
        if orphan.size == 1:
            reasons.append(
                f"group {int(orphan[0])} has no allowed site and no unassigned option"
            )
        elif orphan.size > 1:
            reasons.append(
                f"groups {_list(orphan)} have no allowed site and no unassigned option"
            )
    if must_serve and p is not None and not reasons:
        coverable = allowed.all(axis=0) if p == 1 else None
        if p == n_forced:
            lost = np.flatnonzero(~allowed[:, forced].any(axis=1))
            if lost.size:
                reasons.append(
                    f"only the {n_forced} forced-open sites may open but group(s) "
                    f"{_list(lost)} may use none of them and have no unassigned option"
                )
        elif coverable is not None and not coverable.any():
            reasons.append(
                "only 1 site may open but no single site is allowed for every group"
            )
    if problem.capacity is not None and must_serve:
        demand = problem.demand_or_ones()
        cap = problem.capacity
        total = float(demand.sum())
        if p is not None:
            # best p sites: forced ones plus the largest others
            others = np.sort(cap[~forced])[::-1][: max(p - n_forced, 0)]
            best = float(cap[forced].sum() + others.sum())
            if best < total - 1e-9 * max(total, 1.0):
                reasons.append(
                    f"the {p} largest capacities hold {_fmt(best)} but demand is {_fmt(total)}"
                )
        elif float(cap.sum()) < total - 1e-9 * max(total, 1.0):
            reasons.append(
                f"all {m} sites together hold {_fmt(float(cap.sum()))} "
                f"but demand is {_fmt(total)}"
            )
        # each group's demand must fit into its allowed sites
        reach = allowed @ cap
        short = np.flatnonzero(reach < demand - 1e-9 * np.maximum(demand, 1.0))
        short = short[allowed[short].any(axis=1)]
        if short.size:
            i = int(short[0])
            reasons.append(
                f"group {i} needs {_fmt(float(demand[i]))} but its allowed sites hold "
                f"only {_fmt(float(reach[i]))}"
                + (f" ({short.size - 1} more groups alike)" if short.size > 1 else "")
            )
        if problem.single_source:
            biggest = float(cap.max()) if m else 0.0
            big = np.flatnonzero(demand > biggest + 1e-9 * max(biggest, 1.0))
            if big.size:
                i = int(big[0])
                reasons.append(
                    f"group {i} needs {_fmt(float(demand[i]))} from one site but the "
                    f"largest capacity is {_fmt(biggest)}"
                )
    return reasons
