"""Footprint's hub model: choosing hubs and assigning staff, on top of :mod:`footprint.locate`.

- :mod:`.costs`: the cost matrices of the hub model, built from the accounting;
- :mod:`.model`: :func:`~.model.optimise_hubs` (solve, then improve on the full footprint);
- :mod:`.infeasibility`: reasons, in words, why no plan can exist for a scenario;
- :mod:`.sweep`: sweeps over the number of hubs or the commute weight, Pareto front and knee;
- :mod:`.nearest_with_room`: staff to the nearest hub with room for a given set of hubs.

May import :mod:`footprint.locate`, :mod:`footprint.inputs`, :mod:`footprint.factors`,
:mod:`footprint.accounting`, :mod:`footprint.errors` and (lazily, for money terms)
:mod:`footprint.decisions.costs`; never the scenario, CLI, reports or app layers.
"""
