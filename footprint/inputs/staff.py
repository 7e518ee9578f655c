"""Staff groups: people who share a home location, current office and commute mode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from footprint.inputs.bounds import MAX_GROUP_COUNT
from footprint.inputs.columns import ArrayTableEquality, ColumnChecker, frozen
from footprint.inputs.modes import MODE_IDS
from footprint.inputs.sites import _n_rows


@dataclass(frozen=True, eq=False)
class StaffGroups(ArrayTableEquality):
    """Staff, aggregated to groups (arrays of equal length).

    Home locations are personal data: Footprint keeps only aggregates (a group's
    home point is the centre of a coarse grid cell or postcode district).

    Attributes
    ----------
    home_lat, home_lon : ndarray
        Home location of the group. [degrees]
    count : ndarray
        People in the group (full-time equivalents). [people]
    current_site_id : tuple of str
        Today's office of the group.
    mode : tuple of str
        Commute mode id (see :data:`footprint.inputs.modes.MODES`).
    """

    home_lat: np.ndarray
    home_lon: np.ndarray
    count: np.ndarray
    current_site_id: tuple[str, ...]
    mode: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.count)

    @property
    def total(self) -> float:
        """Total staff. [people]"""
        return float(self.count.sum())

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Sequence[object] | np.ndarray],
        *,
        source: str = "staff",
        row_numbers: Sequence[int] | None = None,
    ) -> StaffGroups:
        """Build and validate staff groups from named columns.

        Required columns: ``home_lat, home_lon, current_site_id, commute_mode``;
        ``count`` defaults to 1 (one row per person).

        Raises
        ------
        footprint.errors.InputError
            Listing every invalid value with its row and field.
        """
        cols = dict(columns)
        n = _n_rows(cols, ("home_lat", "home_lon", "current_site_id", "commute_mode"), source)
        chk = ColumnChecker(source, n, row_numbers)
        lat = chk.number(cols["home_lat"], "home_lat", lo=-90, hi=90, unit="degrees")
        lon = chk.number(cols["home_lon"], "home_lon", lo=-180, hi=180, unit="degrees")
        count = chk.number(cols.get("count", np.ones(n)), "count", lo=0, lo_inclusive=False, hi=MAX_GROUP_COUNT,
                           unit="people")
        site = tuple(str(v).strip() for v in cols["current_site_id"])
        chk.flag(np.array([not s for s in site], dtype=bool), "current_site_id", "is empty; name the person's current office")
        mode = chk.choice([str(v).strip().lower() for v in cols["commute_mode"]], "commute_mode", MODE_IDS)
        chk.raise_if_any(f"{len(chk.problems)} problem(s) in {source}")
        return cls(frozen(lat), frozen(lon), frozen(count), site, mode)

    def to_columns(self) -> dict[str, list[object]]:
        """Plain columns, as accepted by :meth:`from_columns`."""
        return {
            "home_lat": self.home_lat.tolist(),
            "home_lon": self.home_lon.tolist(),
            "count": self.count.tolist(),
            "current_site_id": list(self.current_site_id),
            "commute_mode": list(self.mode),
        }
