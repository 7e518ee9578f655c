"""Exact solvers: HiGHS models and runner, Lagrangian branch-and-bound trees, reductions.

- :mod:`.highs_models`: strong and radius (Elloumi) MIP formulations and
  :func:`~.highs_models.solve_exact`, the exact entry point that picks a formulation;
- :mod:`.highs_runner`: runs a HiGHS LP/MIP with time limit, warm start and progress;
- :mod:`.lagrangian_uncapacitated`: Lagrangian branch and bound without capacities;
- :mod:`.lagrangian_capacitated`: Lagrangian branch and bound with capacities and
  split demand (also the split bound used for single-source problems);
- :mod:`.reductions`: exact reductions (merging interchangeable rows, cost caps);
- :mod:`.restricted_model`: exact search on problems too large for one HiGHS model.

May import :mod:`footprint.locate`'s base modules and :mod:`footprint.locate.heuristic`
(for incumbents), never the rest of Footprint.
"""
