"""Result of solving a facility-location problem.

May import numpy/scipy only, nothing else of Footprint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["LocationResult", "relative_gap"]

STATUSES = ("optimal", "time_limit", "feasible", "infeasible", "cancelled")


def relative_gap(objective: float, bound: float) -> float:
    """Relative optimality gap ``(objective - bound) / max(|objective|, tiny)``.

    Parameters
    ----------
    objective : float
        Objective of the incumbent [cost units].
    bound : float
        Proven lower bound [cost units]; ``nan`` or ``-inf`` when none.

    Returns
    -------
    float
        Gap [fraction], ``nan`` without a finite bound, never negative.
    """
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.nan
    return max(0.0, (objective - bound) / max(abs(objective), 1e-12))


@dataclass(frozen=True)
class LocationResult:
    """Solution of a :class:`~footprint.locate.problem.LocationProblem`.

    Attributes
    ----------
    open_sites : numpy.ndarray
        Sorted int indices of the open sites.
    assignment : numpy.ndarray
        ``(n,)`` int site serving each group, ``-1`` = unassigned. For split
        solutions: the site serving the largest share.
    allocation : scipy.sparse.csr_array or None
        ``(n, m)`` served fractions when demand is split, else ``None``.
    objective : float
        Objective recomputed from the returned solution [cost units].
    bound : float
        Best proven lower bound [cost units]; ``nan`` when none.
    gap : float
        ``(objective - bound) / max(|objective|, tiny)`` [fraction]; ``nan``
        when no bound.
    status : str
        ``"optimal"``, ``"time_limit"``, ``"feasible"``, ``"infeasible"`` or
        ``"cancelled"``.
    method : str
        Which solver produced it, e.g. ``"exact:highs-strong"``.
    seconds : float
        Wall-clock time [s].
    message : str
        Free-text detail.
    """

    open_sites: np.ndarray
    assignment: np.ndarray
    allocation: sp.csr_array | None
    objective: float
    bound: float
    gap: float
    status: str
    method: str
    seconds: float
    message: str = ""

    def verdict(self) -> str:
        """What the solver proved, in words (never ``nan`` or an enum value).

        Examples: "proven optimal", "proven within 0.42 % of the best possible",
        "best plan found in 30 s; no bound on how far it is from the best possible".
        """
        if self.status == "infeasible":
            return "no feasible plan exists (proven)"
        if not np.isfinite(self.objective):
            why = {"cancelled": "stopped on request", "time_limit": "the time limit was reached"}.get(
                self.status, "the solver stopped")
            return f"no feasible plan was found ({why} after {self.seconds:.0f} s)"
        stop = {"cancelled": f"stopped on request after {self.seconds:.0f} s",
                "time_limit": f"the time limit was reached after {self.seconds:.0f} s"}.get(self.status)
        if math.isfinite(self.gap):
            proof = "proven optimal" if self.gap <= 1e-6 else \
                f"proven within {100 * self.gap:.2g} % of the best possible"
        elif self.method.startswith("heuristic"):
            proof = f"best plan the fast heuristic found in {self.seconds:.1f} s; no bound on how far it is " \
                    "from the best possible"
        else:
            proof = f"best plan found in {self.seconds:.0f} s; no bound on how far it is from the best possible"
        return f"{proof} ({stop})" if stop and math.isfinite(self.gap) else proof

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def proven_optimal(self) -> bool:
        """True when the solver proved optimality (within its gap tolerance)."""
        return self.status == "optimal"

    @property
    def feasible(self) -> bool:
        """True when the result carries a feasible solution."""
        return self.status != "infeasible" and math.isfinite(self.objective)
