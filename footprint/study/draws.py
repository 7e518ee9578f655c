"""Monte Carlo draws of a footprint and its baseline, one random stream per draw.

The model is :mod:`footprint.accounting.uncertainty`'s (lognormal multipliers on each
factor, by its confidence tag, and on each category's activity data; scenario and
baseline share their draws). What differs is where the random numbers come from:
draw ``d`` of a study with seed ``s`` uses its own generator,
``numpy.random.SeedSequence(s, spawn_key=(d,))`` (the ``d``-th child of
``SeedSequence(s).spawn``), so a draw's value depends on the study's seed and the
draw's index only: not on which worker computes it, nor on how draws are split into
blocks. Every grid point uses the same streams (common random numbers): the activity
multipliers are the same at every point, and so are the factor multipliers of points
that use the same factors, so differences between points are not blurred by
independent noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.accounting.result import CATEGORIES, Footprint
from footprint.accounting.uncertainty import ACTIVITY_SPREAD, factor_sigma

#: Category order of the activity multipliers (the first numbers of every draw's stream).
ACTIVITY_ORDER = tuple(ACTIVITY_SPREAD)


@dataclass(frozen=True, eq=False)
class DrawInput:
    """What the draws of one point need: its emission lines and their factors' spreads.

    Attributes
    ----------
    kg : ndarray of float
        Each line's central emissions, scenario lines then baseline lines. [kg CO2e/yr]
    activity : ndarray of int
        Each line's index in :data:`ACTIVITY_ORDER`, or -1 (no activity spread).
    category : ndarray of int
        Each line's index in :data:`footprint.accounting.CATEGORIES`.
    owner : ndarray of int
        0 for the scenario's lines, 1 for the baseline's.
    line_factors : tuple of tuple of int
        Each line's factors, as indices into ``names``.
    names : tuple of str
        Factor names, sorted.
    sigma : ndarray of float
        Lognormal sigma of each factor's multiplier.
    """

    kg: np.ndarray
    activity: np.ndarray
    category: np.ndarray
    owner: np.ndarray
    line_factors: tuple[tuple[int, ...], ...]
    names: tuple[str, ...]
    sigma: np.ndarray


def draw_input(footprint: Footprint, baseline: Footprint) -> DrawInput:
    """The draw input of a footprint against its baseline."""
    trails = {**baseline.factor_by_name(), **footprint.factor_by_name()}
    names = tuple(sorted(trails))
    pos = {n: k for k, n in enumerate(names)}
    kg, activity, category, owner, line_factors = [], [], [], [], []
    for who, fp in enumerate((footprint, baseline)):
        for line in fp.lines:
            kg.append(line.kgco2e)
            activity.append(
                ACTIVITY_ORDER.index(line.category)
                if line.category in ACTIVITY_ORDER
                else -1
            )
            category.append(CATEGORIES.index(line.category))
            owner.append(who)
            line_factors.append(tuple(pos[k] for k in line.factor_keys if k in pos))
    return DrawInput(
        np.array(kg, float),
        np.array(activity, np.int64),
        np.array(category, np.int64),
        np.array(owner, np.int64),
        tuple(line_factors),
        names,
        np.array([factor_sigma(trails[n]) for n in names], float),
    )


def draw_normals(seed: int, start: int, stop: int, width: int) -> np.ndarray:
    """Standard normals of draws ``start`` to ``stop - 1``: row ``d`` from draw ``d``'s own stream."""
    rows = np.empty((stop - start, width))
    for i, d in enumerate(range(start, stop)):
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(d,)))
        )
        rows[i] = rng.standard_normal(width)
    return rows


def line_draws(inp: DrawInput, seed: int, start: int, stop: int) -> np.ndarray:
    """Each line's emissions in draws ``start`` to ``stop - 1`` (draws × lines). [kg CO2e/yr]

    Each draw's stream gives the activity multipliers first (in :data:`ACTIVITY_ORDER`),
    then one multiplier per factor name in sorted order.
    """
    n_act = len(ACTIVITY_ORDER)
    z = draw_normals(seed, start, stop, n_act + len(inp.names))
    act_sigma = np.array([ACTIVITY_SPREAD[c] for c in ACTIVITY_ORDER])
    act_mult = np.exp(act_sigma * z[:, :n_act] - act_sigma**2 / 2)
    fac_mult = np.exp(inp.sigma * z[:, n_act:] - inp.sigma**2 / 2)
    out = np.empty((stop - start, inp.kg.size))
    for k in range(inp.kg.size):
        keys = inp.line_factors[k]
        mult = fac_mult[:, list(keys)].mean(axis=1) if keys else 1.0
        a = act_mult[:, inp.activity[k]] if inp.activity[k] >= 0 else 1.0
        out[:, k] = inp.kg[k] * mult * a
    return out


def draw_totals(inp: DrawInput, seed: int, start: int, stop: int) -> np.ndarray:
    """Totals of draws ``start`` to ``stop - 1``: columns scenario and baseline. [t CO2e/yr]"""
    lines = line_draws(inp, seed, start, stop)
    totals = np.zeros((stop - start, 2))
    for k in range(inp.kg.size):
        totals[:, inp.owner[k]] += lines[:, k]
    return totals / 1000.0


def draw_by_category(inp: DrawInput, seed: int, start: int, stop: int) -> np.ndarray:
    """Draws by category: shape (draws, 2 [scenario, baseline], categories). [t CO2e/yr]"""
    lines = line_draws(inp, seed, start, stop)
    out = np.zeros((stop - start, 2, len(CATEGORIES)))
    for k in range(inp.kg.size):
        out[:, inp.owner[k], inp.category[k]] += lines[:, k]
    return out / 1000.0


def summarise_draws(totals: np.ndarray) -> dict[str, float]:
    """Percentiles of the scenario's total and of its change against the baseline. [t CO2e/yr]

    ``prob_reduction`` is the share of draws in which the scenario emits less than
    its baseline.
    """
    if totals.size == 0:
        nan = float("nan")
        return dict.fromkeys(
            (
                "total_p05",
                "total_p50",
                "total_p95",
                "total_mean",
                "change_p05",
                "change_p50",
                "change_p95",
                "prob_reduction",
            ),
            nan,
        )
    total, change = totals[:, 0], totals[:, 0] - totals[:, 1]
    p = np.percentile(total, [5, 50, 95])
    c = np.percentile(change, [5, 50, 95])
    return {
        "total_p05": float(p[0]),
        "total_p50": float(p[1]),
        "total_p95": float(p[2]),
        "total_mean": float(total.mean()),
        "change_p05": float(c[0]),
        "change_p50": float(c[1]),
        "change_p95": float(c[2]),
        "prob_reduction": float((change < 0).mean()),
    }
