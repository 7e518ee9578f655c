"""Staff groups: people who share a home location, current office and commute mode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from footprint.inputs.bounds import MAX_GROUP_COUNT
from footprint.inputs.columns import ArrayTableEquality, ColumnChecker, frozen
from footprint.inputs.modes import MODE_IDS
from footprint.inputs.sites import _n_rows

#: Longest mean distance from home to office accepted (half the Earth's circumference). [km]
MAX_OFFICE_KM = 20_040.0


@dataclass(frozen=True, eq=False)
class StaffGroups(ArrayTableEquality):
    """Staff, aggregated to groups (arrays of equal length).

    Home locations are personal data: Footprint keeps only aggregates (a group's
    home point is the centre of a coarse grid cell or postcode district, and the
    members' mean distance to their office).

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
    office_distance_km : ndarray
        Members' mean straight-line distance from their exact homes to their
        current office, measured before aggregating (to 0.1 km); NaN where
        unknown, and then distances are taken from the home point (see
        :func:`footprint.geo.distance.group_distance_bound_km`). [km]
    """

    home_lat: np.ndarray
    home_lon: np.ndarray
    count: np.ndarray
    current_site_id: tuple[str, ...]
    mode: tuple[str, ...]
    office_distance_km: np.ndarray = field(default_factory=lambda: frozen(np.empty(0)))

    def __post_init__(self) -> None:
        if self.office_distance_km.size == 0 and len(self.count):  # not known: distances from the home point
            object.__setattr__(self, "office_distance_km", frozen(np.full(len(self.count), np.nan)))
        if self.office_distance_km.shape != self.count.shape:
            raise ValueError(f"office_distance_km has {self.office_distance_km.size} values for {len(self.count)} "
                             "staff groups")

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
        ``count`` defaults to 1 (one row per person); ``office_distance_km``
        (the members' mean distance to their office [km]) is optional, with
        empty or NaN cells for unknown.

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
        office_km = np.full(n, np.nan)
        if cols.get("office_distance_km") is not None:  # optional: empty or NaN is unknown
            arr = np.array([np.nan if v is None or (isinstance(v, str) and not v.strip()) else v
                            for v in cols["office_distance_km"]], dtype=float)
            known = ~np.isnan(arr)
            checked = chk.number(np.where(known, arr, 0.0), "office_distance_km", lo=0, hi=MAX_OFFICE_KM, unit="km")
            if arr.shape == (n,):
                office_km = np.where(known, checked, np.nan)
        chk.raise_if_any(f"{len(chk.problems)} problem(s) in {source}")
        return cls(frozen(lat), frozen(lon), frozen(count), site, mode, frozen(office_km))

    def to_columns(self) -> dict[str, list[object]]:
        """Plain columns, as accepted by :meth:`from_columns`."""
        return {
            "home_lat": self.home_lat.tolist(),
            "home_lon": self.home_lon.tolist(),
            "count": self.count.tolist(),
            "current_site_id": list(self.current_site_id),
            "commute_mode": list(self.mode),
            "office_distance_km": self.office_distance_km.tolist(),
        }
