"""Compatibility module: the solver now lives in :mod:`footprint.locate`, the hub model in :mod:`footprint.hubs`.

Kept so that existing code and the README's example keep working::

    from footprint.optimise import LocationProblem, solve

It re-exports the same names as before the move. New code imports from the new places:

- ``LocationProblem``, ``LocationResult``, ``solve``, ``warm_up``: :mod:`footprint.locate`;
- ``evaluate``, ``nearest_assignment``, ``solution_violations``: :mod:`footprint.locate.evaluate`;
- ``InfeasibleProblem``, ``check_feasibility``: :mod:`footprint.locate.feasibility`;
- ``solve_exact``: :mod:`footprint.locate.exact.highs_models`;
- ``solve_heuristic``: :mod:`footprint.locate.heuristic.local_search`;
- the hub model (costs, ``optimise_hubs``, sweeps, nearest hub with room): :mod:`footprint.hubs`.

The old submodules (``footprint.optimise.model``, ``.costs``, ``.orlib`` ...) are gone; see
``docs/architecture.md`` for where each went.
"""

from footprint.locate import LocationProblem, LocationResult, solve, warm_up
from footprint.locate.evaluate import evaluate, nearest_assignment, solution_violations
from footprint.locate.exact.highs_models import solve_exact
from footprint.locate.feasibility import InfeasibleProblem, check_feasibility
from footprint.locate.heuristic.local_search import solve_heuristic

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
