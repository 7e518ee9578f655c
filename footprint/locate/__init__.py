"""Generic facility-location solver (p-median, UFL, CFL, single source) on HiGHS and numba.

Usable on any cost matrix, without the rest of Footprint::

    from footprint.locate import LocationProblem, solve
    result = solve(LocationProblem.from_pmedian(distance, p=5))

Layout (each layer may import only the ones above it in this list, and nothing
of Footprint outside :mod:`footprint.locate`; ``tests/test_locate_isolated.py``
checks the last rule):

- :mod:`.problem`, :mod:`.result`: the problem definition and the answer;
  :mod:`.evaluate` (objective and checks of a plan), :mod:`.feasibility`
  (reasons for infeasibility in words), :mod:`.silence_native_output`
  (keeps HiGHS's C output off stdout);
- :mod:`.heuristic`: compiled fast interchange and iterated local search,
  single-source assignment and search, capacitated assignment;
- :mod:`.exact`: HiGHS models and runner, the Lagrangian branch-and-bound
  trees, exact reductions, the restricted-model search (uses the heuristics
  for incumbents);
- :mod:`.solve` (chooses and runs the above) and :mod:`.warm_up` (compiles
  the numba kernels ahead of the first solve);
- :mod:`.instances`: OR-Library readers and a brute-force reference, for
  benchmarks and tests.

The public face is :class:`LocationProblem`, :func:`solve`, :class:`LocationResult`
and :func:`warm_up` (which the app, the CLI tests and the benchmarks call so that
compiling the kernels does not land in the first solve or in a timing).
"""

from .problem import LocationProblem
from .result import LocationResult
from .solve import solve
from .warm_up import warm_up

__all__ = ["LocationProblem", "LocationResult", "solve", "warm_up"]
