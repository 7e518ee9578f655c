"""Definition and validation of a generic facility-location problem.

May import numpy/scipy only, nothing else of Footprint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LocationProblem"]


def _as_float_vector(value: object, name: str, size: int) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def _as_bool_array(value: object, name: str, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(value)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if arr.dtype != bool:
        if not np.all(np.isin(arr, (0, 1))):
            raise ValueError(f"{name} must be boolean (True/False)")
        arr = arr.astype(bool)
    return arr


@dataclass(frozen=True)
class LocationProblem:
    """A facility-location problem on a cost matrix.

    Minimise ``sum_j fixed_cost[j] * y[j] + sum_ij cost[i, j] * x[i, j]
    + sum_i unassigned_cost[i] * u[i]`` where ``x[i, j]`` is the share of
    demand group ``i`` served by site ``j`` and ``u[i]`` the unserved share.

    Parameters
    ----------
    cost : numpy.ndarray
        ``(n, m)`` cost of serving ALL of demand group ``i`` from site ``j``
        [cost units]; already weighted by the demand.
    demand : numpy.ndarray, optional
        ``(n,)`` demand of each group [demand units]; only used with
        capacities. Default ones.
    n_sites : int, optional
        Exactly this many sites open (p). ``None`` = free number of sites.
    fixed_cost : numpy.ndarray, optional
        ``(m,)`` cost of opening site ``j`` [cost units]. Default zeros.
    capacity : numpy.ndarray, optional
        ``(m,)`` capacity of site ``j`` [demand units]. ``None`` =
        uncapacitated.
    single_source : bool
        With capacities: each group is served by a single site (binary x)
        instead of being split (continuous x).
    forced_open : numpy.ndarray, optional
        ``(m,)`` bool, sites that must be open.
    allowed : numpy.ndarray, optional
        ``(n, m)`` bool; ``False`` marks a forbidden group-site pair.
    unassigned_cost : numpy.ndarray, optional
        ``(n,)`` cost of leaving group ``i`` unserved [cost units].
        ``None`` = every group must be served.
    """

    cost: np.ndarray
    demand: np.ndarray | None = None
    n_sites: int | None = None
    fixed_cost: np.ndarray | None = None
    capacity: np.ndarray | None = None
    single_source: bool = False
    forced_open: np.ndarray | None = None
    allowed: np.ndarray | None = None
    unassigned_cost: np.ndarray | None = None

    def __post_init__(self) -> None:
        cost = np.asarray(self.cost, dtype=float)
        if cost.ndim != 2:
            raise ValueError(f"cost must be a 2-D (n, m) array, got {cost.ndim} dims")
        n, m = cost.shape
        if n == 0 or m == 0:
            raise ValueError(f"cost must have at least one row and one column, got {cost.shape}")
        allowed = None
        if self.allowed is not None:
            allowed = _as_bool_array(self.allowed, "allowed", (n, m))
        finite = np.isfinite(cost)
        bad = allowed & ~finite if allowed is not None else ~finite
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(
                f"cost must be finite on allowed pairs (cost[{i}, {j}] = {cost[i, j]}); "
                "mark forbidden pairs with allowed=False"
            )
        object.__setattr__(self, "cost", cost)
        object.__setattr__(self, "allowed", allowed)
        if self.demand is not None:
            demand = _as_float_vector(self.demand, "demand", n)
            if np.any(demand < 0):
                raise ValueError("demand must be non-negative")
            object.__setattr__(self, "demand", demand)
        if self.n_sites is not None:
            p = self.n_sites
            if isinstance(p, bool) or not isinstance(p, int | np.integer):
                raise ValueError(f"n_sites must be an integer or None, got {p!r}")
            if not 1 <= int(p) <= m:
                raise ValueError(f"n_sites must be between 1 and {m} (number of sites), got {p}")
            object.__setattr__(self, "n_sites", int(p))
        if self.fixed_cost is not None:
            object.__setattr__(
                self, "fixed_cost", _as_float_vector(self.fixed_cost, "fixed_cost", m)
            )
        if self.capacity is not None:
            capacity = _as_float_vector(self.capacity, "capacity", m)
            if np.any(capacity < 0):
                raise ValueError("capacity must be non-negative")
            object.__setattr__(self, "capacity", capacity)
        if self.forced_open is not None:
            object.__setattr__(
                self, "forced_open", _as_bool_array(self.forced_open, "forced_open", (m,))
            )
        if self.unassigned_cost is not None:
            object.__setattr__(
                self,
                "unassigned_cost",
                _as_float_vector(self.unassigned_cost, "unassigned_cost", n),
            )
        object.__setattr__(self, "single_source", bool(self.single_source))

    # ------------------------------------------------------------------ shape
    @property
    def n_groups(self) -> int:
        """Number of demand groups ``n``."""
        return int(self.cost.shape[0])

    @property
    def n_candidates(self) -> int:
        """Number of candidate sites ``m``."""
        return int(self.cost.shape[1])

    @property
    def capacitated(self) -> bool:
        """True when site capacities apply."""
        return self.capacity is not None

    # -------------------------------------------------------------- defaults
    def demand_or_ones(self) -> np.ndarray:
        """Demand vector [demand units], ones when not given."""
        return self.demand if self.demand is not None else np.ones(self.n_groups)

    def fixed_or_zeros(self) -> np.ndarray:
        """Fixed opening costs [cost units], zeros when not given."""
        return self.fixed_cost if self.fixed_cost is not None else np.zeros(self.n_candidates)

    def forced_or_none(self) -> np.ndarray:
        """Forced-open mask, all False when not given."""
        if self.forced_open is not None:
            return self.forced_open
        return np.zeros(self.n_candidates, dtype=bool)

    def allowed_or_all(self) -> np.ndarray:
        """Allowed-pair mask, all True when not given."""
        if self.allowed is not None:
            return self.allowed
        return np.ones(self.cost.shape, dtype=bool)

    def masked_cost(self) -> np.ndarray:
        """Costs with ``inf`` on forbidden pairs [cost units].

        ``cost`` itself when every pair is allowed (no ``(n, m)`` copy): read only.
        """
        if self.allowed is None:
            return self.cost
        return np.where(self.allowed, self.cost, np.inf)

    # ------------------------------------------------------------ factories
    @classmethod
    def from_pmedian(
        cls,
        distance: np.ndarray,
        p: int,
        weights: np.ndarray | None = None,
    ) -> LocationProblem:
        """Build a p-median problem.

        Parameters
        ----------
        distance : numpy.ndarray
            ``(n, m)`` distance from group ``i`` to site ``j`` [distance units].
        p : int
            Number of sites to open.
        weights : numpy.ndarray, optional
            ``(n,)`` weight of each group [demand units]; default ones.

        Returns
        -------
        LocationProblem
            Problem with ``cost = weights[:, None] * distance``.
        """
        distance = np.asarray(distance, dtype=float)
        if weights is not None:
            w = np.asarray(weights, dtype=float)
            if w.shape != (distance.shape[0],):
                raise ValueError(
                    f"weights must have shape ({distance.shape[0]},), got {w.shape}"
                )
            distance = w[:, None] * distance
        return cls(cost=distance, n_sites=p)

    @classmethod
    def from_capacitated(
        cls,
        cost: np.ndarray,
        demand: np.ndarray,
        capacity: np.ndarray,
        fixed_cost: np.ndarray | None = None,
        *,
        single_source: bool = False,
        n_sites: int | None = None,
    ) -> LocationProblem:
        """Build a capacitated facility-location problem.

        Parameters
        ----------
        cost : numpy.ndarray
            ``(n, m)`` cost of serving all of group ``i`` from site ``j``
            [cost units].
        demand : numpy.ndarray
            ``(n,)`` demand [demand units].
        capacity : numpy.ndarray
            ``(m,)`` capacity [demand units].
        fixed_cost : numpy.ndarray, optional
            ``(m,)`` opening cost [cost units].
        single_source : bool
            Each group served by one site.
        n_sites : int, optional
            Exact number of open sites.

        Returns
        -------
        LocationProblem
        """
        return cls(
            cost=cost,
            demand=demand,
            capacity=capacity,
            fixed_cost=fixed_cost,
            single_source=single_source,
            n_sites=n_sites,
        )
