"""Heuristic solvers: construction, fast interchange, iterated local search, single source.

- :mod:`.local_search`: :func:`~.local_search.solve_heuristic`, the heuristic entry
  point (greedy construction, then interchange / local search for each kind of problem);
- :mod:`.interchange`: compiled fast interchange and iterated local search (uncapacitated);
- :mod:`.single_source`: single-source assignment to fixed sites (generalised assignment)
  and the open-set search around it;
- :mod:`.capacitated_assignment`: the cheapest capacitated assignment to fixed open sites.

May import :mod:`footprint.locate`'s base modules (problem, result, evaluate,
silence_native_output), never :mod:`footprint.locate.exact` nor the rest of Footprint.
"""
