"""Generic facility-location solver layer (p-median, UFL, CFL) on HiGHS.

Usable on any cost matrix without the rest of Footprint::

    from footprint.optimise import LocationProblem, solve
    result = solve(LocationProblem.from_pmedian(distance, p=5))
"""

from .evaluate import evaluate, nearest_assignment, solution_violations
from .exact import solve_exact
from .feasibility import InfeasibleProblem, check_feasibility
from .heuristic import solve_heuristic
from .problem import LocationProblem
from .result import LocationResult
from .solve import solve
from .warmup import warm_up

__all__ = [
    "InfeasibleProblem",
    "LocationProblem",
    "LocationResult",
    "check_feasibility",
    "evaluate",
    "nearest_assignment",
    "solution_violations",
    "solve",
    "solve_exact",
    "solve_heuristic",
    "warm_up",
]
