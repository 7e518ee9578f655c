"""The organisation: its sites, its staff groups and how they collaborate."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from footprint.errors import InputError, Problem
from footprint.geo.distance import distance_matrix_km, group_distance_bound_km
from footprint.inputs.collaboration import Collaboration
from footprint.inputs.columns import frozen
from footprint.inputs.modes import MODE_IDS
from footprint.inputs.sites import Sites
from footprint.inputs.staff import StaffGroups

_CHUNK_ROWS = 4096  #: staff groups per block when bounding distances


@dataclass(frozen=True, eq=False)
class Organisation:
    """Sites, staff and collaboration, cross-checked.

    Parameters
    ----------
    name : str
    sites : Sites
    staff : StaffGroups
    collaboration : Collaboration or None
        None: the default gravity model (:meth:`Collaboration.gravity`).
    data_card : str
        Markdown text saying where the data come from (shown in reports).
    source : str
        ``"demo"`` or the files the data were read from.
    """

    name: str
    sites: Sites
    staff: StaffGroups
    collaboration: Collaboration | None = None
    data_card: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        index = {s: i for i, s in enumerate(self.sites.site_id)}
        bad = [r for r, s in enumerate(self.staff.current_site_id) if s not in index]
        if bad:
            problems = [
                Problem(
                    f"current office '{self.staff.current_site_id[r]}' is not in the sites table; "
                    "add it there or correct the id",
                    "staff",
                    r + 1,
                    "current_site_id",
                )
                for r in bad[:50]
            ]
            raise InputError(problems, f"{len(bad)} staff row(s) name an office that does not exist")
        if self.collaboration is not None and self.collaboration.person_trips.shape[0] != len(self.sites):
            raise InputError(
                [Problem("collaboration matrix size differs from the number of sites", "collaboration")]
            )
        if self.staff.total <= 0:
            raise InputError([Problem("there are no staff", "staff")])
        if self.collaboration is None:
            object.__setattr__(
                self,
                "collaboration",
                Collaboration.gravity(self.sites.headcount, self.site_distance_km),
            )

    # --- derived arrays, computed once ---------------------------------------------
    @cached_property
    def group_site(self) -> np.ndarray:
        """Index of each staff group's current site, shape (n,)."""
        index = {s: i for i, s in enumerate(self.sites.site_id)}
        return frozen(np.array([index[s] for s in self.staff.current_site_id], dtype=np.int64))

    @cached_property
    def group_mode(self) -> np.ndarray:
        """Index into :data:`~footprint.inputs.modes.MODES` of each group, shape (n,)."""
        index = {m: i for i, m in enumerate(MODE_IDS)}
        return frozen(np.array([index[m] for m in self.staff.mode], dtype=np.int64))

    @cached_property
    def _homes(self) -> tuple[np.ndarray, np.ndarray]:
        points = np.stack([self.staff.home_lat, self.staff.home_lon], axis=1)
        unique, inverse = np.unique(points, axis=0, return_inverse=True)
        return frozen(unique), frozen(inverse.reshape(-1))

    @property
    def home_index(self) -> np.ndarray:
        """Row of each staff group in :attr:`home_distance_km`, shape (n,)."""
        return self._homes[1]

    @cached_property
    def home_distance_km(self) -> np.ndarray:
        """Geodesic distance from each distinct home point to each site, shape (h, m). [km]

        Groups share home points (aggregated to grid cells), so this is much
        smaller than one row per group. These are distances from the cell centres:
        commutes use :meth:`group_distance_km` / :attr:`staff_distance_km`, which
        also use the members' known distance to their office.
        """
        homes = self._homes[0]
        return frozen(distance_matrix_km(homes[:, 0], homes[:, 1], self.sites.lat, self.sites.lon))

    @cached_property
    def staff_distance_km(self) -> np.ndarray:
        """Commute distance from each group to each site, shape (n, m). [km]

        The straight-line distance :meth:`group_distance_km` gives, to every site.
        """
        return frozen(self.distance_to_sites_km(np.arange(len(self.sites))))

    def distance_to_sites_km(self, sites: np.ndarray) -> np.ndarray:
        """Commute distance from each group to each of ``sites``, shape (n, len(sites)). [km]

        The home point's distance, bounded by the members' mean distance to their
        current office (:func:`~footprint.geo.distance.group_distance_bound_km`):
        the accounting and the hub model's costs both use it.
        """
        sites = np.asarray(sites, dtype=np.int64)
        cached = self.__dict__.get("staff_distance_km")  # the same values, for every site, once computed
        if cached is not None:
            return cached[:, sites]
        centre = self.home_distance_km[:, sites][self.home_index]
        known = ~np.isnan(self.staff.office_distance_km)
        if not known.any():
            return centre
        known_rows = np.flatnonzero(known)
        for start in range(0, known_rows.size, _CHUNK_ROWS):  # bounded temporaries on large estates
            rows = known_rows[start:start + _CHUNK_ROWS]
            centre[rows] = group_distance_bound_km(
                centre[rows],
                self.staff.office_distance_km[rows, None],
                self.site_distance_km[np.ix_(self.group_site[rows], sites)],
            )
        return centre

    def group_distance_km(self, site: np.ndarray) -> np.ndarray:
        """Commute distance from each group's home to one site per group, shape (n,). [km]

        See :meth:`distance_to_sites_km`.
        """
        site = np.asarray(site, dtype=np.int64)
        return group_distance_bound_km(
            self.home_distance_km[self.home_index, site],
            self.staff.office_distance_km,
            self.site_distance_km[self.group_site, site],
        )

    @cached_property
    def site_distance_km(self) -> np.ndarray:
        """Geodesic distance between sites, shape (m, m). [km]"""
        s = self.sites
        return frozen(distance_matrix_km(s.lat, s.lon, s.lat, s.lon))

    @property
    def headcount_by_site(self) -> np.ndarray:
        """Staff by current site from the staff table, shape (m,). [people]"""
        return np.bincount(self.group_site, weights=self.staff.count, minlength=len(self.sites))
