"""Readers for J.E. Beasley's OR-Library location files (pmed, cap).

May import :mod:`footprint.locate.problem` (and numpy/scipy) only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import shortest_path

from ..problem import LocationProblem

__all__ = [
    "CAP_LARGE_CAPACITIES",
    "read_cap",
    "read_optima",
    "read_pmed",
    "read_pmed_distances",
]

#: The four capacity values substituted for the word ``capacity`` in
#: capa/capb/capc, with the optimum of each variant [demand units].
CAP_LARGE_CAPACITIES: dict[str, tuple[float, ...]] = {
    "capa": (8000.0, 10000.0, 12000.0, 14000.0),
    "capb": (5000.0, 6000.0, 7000.0, 8000.0),
    "capc": (5000.0, 5750.0, 6500.0, 7250.0),
}


def read_pmed_distances(path: str | Path) -> tuple[np.ndarray, int]:
    """Read an OR-Library ``pmedX.txt`` graph and compute all distances.

    Parameters
    ----------
    path : str or pathlib.Path
        File with ``n n_edges p`` then ``i j cost`` lines (1-based vertices).

    Returns
    -------
    distance : numpy.ndarray
        ``(n, n)`` shortest-path distances [graph length units]; duplicated
        edges: the last one read wins, as OR-Library prescribes.
    p : int
        Number of medians.
    """
    tokens = Path(path).read_text().split()
    n, n_edges, p = (int(t) for t in tokens[:3])
    edges = np.asarray(tokens[3 : 3 + 3 * n_edges], dtype=float).reshape(n_edges, 3)
    i = edges[:, 0].astype(np.intp) - 1
    j = edges[:, 1].astype(np.intp) - 1
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    key = lo * n + hi
    # keep the LAST occurrence of each undirected edge
    _, first_in_reversed = np.unique(key[::-1], return_index=True)
    keep = n_edges - 1 - first_in_reversed
    keep = keep[lo[keep] != hi[keep]]
    w = edges[keep, 2]
    if np.any(w <= 0):
        raise ValueError(f"{path}: non-positive edge costs are not supported")
    graph = csr_array(
        (np.concatenate([w, w]), (np.concatenate([lo[keep], hi[keep]]),
                                  np.concatenate([hi[keep], lo[keep]]))),
        shape=(n, n),
    )
    dist = shortest_path(graph, method="D", directed=False)
    return dist, p


def read_pmed(path: str | Path) -> LocationProblem:
    """Read an OR-Library p-median instance as a :class:`LocationProblem`.

    Parameters
    ----------
    path : str or pathlib.Path
        ``pmedX.txt`` file.

    Returns
    -------
    LocationProblem
        Every vertex is a unit-weight customer and a candidate site.
    """
    dist, p = read_pmed_distances(path)
    return LocationProblem.from_pmedian(dist, p)


def read_cap(
    path: str | Path,
    capacity: float | None = None,
    *,
    uncapacitated: bool = False,
    single_source: bool = False,
) -> LocationProblem:
    """Read an OR-Library capacitated warehouse-location file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``capXX.txt`` or ``capa/capb/capc.txt`` file.
    capacity : float, optional
        Value substituted for the literal word ``capacity`` (capa/b/c)
        [demand units].
    uncapacitated : bool
        Ignore capacities and demands (``uncapopt`` variant).
    single_source : bool
        Each customer served by one warehouse (not the ``capopt`` model).

    Returns
    -------
    LocationProblem
        Split-demand capacitated problem (costs are totals per customer).
    """
    text = Path(path).read_text()
    if "capacity" in text:
        if capacity is None and not uncapacitated:
            raise ValueError(f"{path}: needs a capacity value for the word 'capacity'")
        text = text.replace("capacity", repr(float(capacity or 0.0)))
    values = np.asarray(text.split(), dtype=float)
    m, n = int(values[0]), int(values[1])
    expected = 2 + 2 * m + n * (1 + m)
    if values.size != expected:
        raise ValueError(f"{path}: expected {expected} numbers, found {values.size}")
    head = values[2 : 2 + 2 * m].reshape(m, 2)
    body = values[2 + 2 * m :].reshape(n, 1 + m)
    cap, fixed = head[:, 0], head[:, 1]
    demand, cost = body[:, 0], body[:, 1:]
    if uncapacitated:
        return LocationProblem(cost=cost, fixed_cost=fixed)
    return LocationProblem(
        cost=cost, demand=demand, capacity=cap, fixed_cost=fixed, single_source=single_source
    )


def read_optima(path: str | Path) -> dict[str, float]:
    """Read ``pmedopt.txt`` or ``capopt.txt``.

    Parameters
    ----------
    path : str or pathlib.Path
        File of ``name value`` lines. For capa/b/c the four variants are
        returned as ``capa-8000`` etc.

    Returns
    -------
    dict
        Instance name -> optimal objective [cost units].
    """
    out: dict[str, float] = {}
    current = None
    for line in Path(path).read_text().splitlines():
        m = re.match(r"^\s*(\w+)?\s+([\d.]+)\s*(?:\(capacity\s+(\d+)\))?", line)
        if not m or line.lower().startswith("data"):
            continue
        name, value, cap = m.groups()
        if name is not None and name[0].isalpha():
            current = name
        if current is None:
            continue
        key = f"{current}-{cap}" if cap else current
        out.setdefault(key, float(value))
    return out
