"""Reading staff (an HR export) from CSV or XLSX, and aggregating homes for privacy.

Home locations are personal data. On import each home is moved to the centre
of a coarse grid cell (:data:`GRID_DEG_LAT` × :data:`GRID_DEG_LON`, about
5.5 km × 5.5 km in Britain, the same grid as the demo) and staff are counted by
``(cell, current office, commute mode)``. Before aggregating, each person's
exact distance to their office is measured and each group keeps its members'
mean (to 0.1 km): measured from the cell centre instead, a 2 km median commute
would come out about 30 % too long and walkers and cyclists would be sent to the
bus or the car (see :func:`footprint.geo.distance.group_distance_bound_km`).
Individual coordinates, postcodes and employee ids are never kept: only these
groups reach the model, scenario files and exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from footprint.geo.distance import distance_km
from footprint.imports.fields import STAFF_FIELDS, match_columns
from footprint.imports.locations import countries, locate
from footprint.imports.report import ImportReport
from footprint.imports.rows import RowChecker, canonical
from footprint.imports.sites import _report
from footprint.imports.tables import read_table
from footprint.inputs.bounds import MAX_GROUP_COUNT
from footprint.inputs.modes import MODES
from footprint.inputs.staff import MAX_OFFICE_KM, StaffGroups

GRID_DEG_LAT = 0.05  #: home grid cell height [degrees] (about 5.6 km)
GRID_DEG_LON = 0.08  #: home grid cell width [degrees] (about 5.3 km at 53° N)


def _mode_table() -> dict[str, str]:
    t = {}
    for m in MODES:
        t[m.id.replace("_", " ")] = m.id
        t[" ".join(m.label.lower().replace("(", " ").replace(")", " ").replace("/", " ").split())] = m.id
    extra = {
        "car": "car", "driving": "car", "drive": "car", "car driver": "car", "car unknown": "car",
        "petrol car": "car_petrol", "car petrol": "car_petrol", "petrol": "car_petrol",
        "diesel car": "car_diesel", "diesel": "car_diesel", "hybrid": "car_hybrid", "hybrid car": "car_hybrid",
        "plug in hybrid": "car_phev", "phev": "car_phev", "electric car": "car_bev", "ev": "car_bev",
        "bev": "car_bev", "electric vehicle": "car_bev", "motorcycle": "motorbike", "moped": "motorbike",
        "scooter": "motorbike", "motor bike": "motorbike", "train": "rail", "national rail": "rail",
        "railway": "rail", "tube": "underground", "metro": "underground", "subway": "underground",
        "light rail": "tram", "bicycle": "cycle", "bike": "cycle", "cycling": "cycle", "e bike": "cycle",
        "walking": "walk", "on foot": "walk", "foot": "walk", "cab": "taxi", "coach": "coach",
    }
    t.update(extra)
    return t


MODE_SYNONYMS = _mode_table()


def read_staff(data: bytes | str | Path, filename: str | None = None, *, mapping: Mapping[str, str] | None = None,
               geocoder: Any = None, site_ids: Iterable[str] | Mapping[str, str] | None = None,
               default_country: str = "GB", rejected_sites: Iterable[str] = (), mapping_optional: bool = False,
               sheet: str | None = None, site_locations: Mapping[str, tuple[float, float]] | None = None,
               header_row: int | None = None) -> ImportReport:
    """Read, validate and aggregate staff from a CSV or XLSX file (one row per person, or with a count).

    Parameters
    ----------
    data, filename, mapping, geocoder, default_country
        As for :func:`~footprint.imports.read_sites`.
    site_ids : iterable or mapping or None
        The offices that exist: ids, or ``{name or id: id}`` so that staff may
        name their office by a unique name too (case-insensitive). Rows naming
        another office are problems. None: not checked here.
    site_locations : mapping or None
        ``{site id: (lat, lon)}`` of the offices [degrees] (see
        :func:`~footprint.imports.organisation.site_locations`). Given, a home
        town with several candidates (``Newport``) is taken as the one clearly
        meant for the person's office, with a note; otherwise it is a problem.
    sheet, header_row
        As for :func:`~footprint.imports.tables.read_table`.

    Returns
    -------
    ImportReport
        ``table`` is a :class:`~footprint.inputs.StaffGroups` aggregating the valid
        rows (see :func:`aggregate_staff`); home coordinates are not kept.
    """
    table = read_table(data, filename, fields=STAFF_FIELDS, sheet=sheet, mapping=mapping, header_row=header_row)
    src = table.source
    match = match_columns(table.headers, STAFF_FIELDS, src, mapping, mapping_optional=mapping_optional)
    n = table.frame.shape[0]
    base = {"source": src, "kind": "staff", "n_rows": n, "column_map": match.column_map,
            "unmatched_columns": match.unmatched, "units": match.units}
    problems = list(match.problems)
    if not (("home_lat" in match.columns and "home_lon" in match.columns) or "home_location" in match.columns):
        from footprint.errors import Problem

        problems.append(Problem("the file has no home location columns: add 'home_lat' and 'home_lon' (decimal "
                                "degrees) or 'home_location' (a UK postcode, postcode district or town)",
                                src, None, "home_location"))
    if problems:
        return ImportReport(table=None, problems=tuple(problems), n_valid=0,
                            invalid_rows=tuple(table.row_numbers.tolist()), notes=table.notes, **base)

    chk = RowChecker(table, match.columns)
    if "employee_id" in match.columns:
        emp = chk.text("employee_id")
        dup = (emp.duplicated(keep="first") & (emp != "")).to_numpy()
        if dup.any():
            first = pd.Series(np.arange(n)).groupby(emp.to_numpy()).transform("min").to_numpy()
            vals = emp.to_numpy()
            chk.flag(dup, "employee_id", lambda p: f"'{vals[p]}' is a duplicate of row {chk.rows[first[p]]}; "
                     "each person must appear once (or use a 'count' column for groups)")
    count = chk.number("count", required=False, lo=0, lo_exclusive=True, hi=MAX_GROUP_COUNT, unit="people",
                       example="1 or 0.6")
    count = np.where(np.isnan(count), 1.0, count)
    office_km = chk.number("office_distance_km", required=False, lo=0, hi=MAX_OFFICE_KM, unit="km", example="2.4")
    site = _sites(chk, site_ids, rejected_sites)
    mode = _modes(chk)
    country = countries(chk, "country", default_country.upper())
    near = {}
    if site_locations is not None:
        codes, uniques = pd.factorize(pd.Series(site, dtype=object), sort=False)
        pts = np.array([site_locations.get(u, (np.nan, np.nan)) for u in uniques] + [(np.nan, np.nan)], float)
        near = {"office": site, "office_lat": pts[codes, 0], "office_lon": pts[codes, 1]}
    town_level = np.zeros(n, dtype=bool)
    lat, lon, notes = locate(chk, "home_lat", "home_lon", "home_location", country, geocoder, **near,
                             town_level=town_level)
    valid = ~chk.bad
    groups = None
    if valid.any():
        groups = aggregate_staff(lat[valid], lon[valid], count[valid], site[valid], mode[valid], source=src,
                                 site_locations=site_locations, office_distance_km=office_km[valid],
                                 measured=~town_level[valid])
        notes.append(f"{int(valid.sum()):,} valid rows ({count[valid].sum():,.1f} people) aggregated to "
                     f"{len(groups):,} groups of home grid cell ({GRID_DEG_LAT}° × {GRID_DEG_LON}°, about 5.5 km), "
                     "office and mode, each keeping its people's mean distance to their office; individual homes "
                     "are not kept")
        towns = int((town_level & valid).sum())
        if towns:
            notes.append(f"{towns:,} rows give only a town for the home: their distance to the office is not "
                         "measured (the grid cell's centre stands in); a postcode or lat/lon is more accurate")
    return _report(chk, groups, [*table.notes, *notes], base)


def _sites(chk: RowChecker, site_ids: Iterable[str] | Mapping[str, str] | None,
           rejected_sites: Iterable[str] = ()) -> np.ndarray:
    cells = chk.text("current_site_id")
    vals = cells.to_numpy(dtype=object)
    chk.flag(vals == "", "current_site_id", "is empty; give the site_id of the person's office today")
    if site_ids is None:
        return vals
    known = dict(site_ids) if isinstance(site_ids, Mapping) else {s: s for s in site_ids}
    exact = dict(known)
    folded: dict[str, str | None] = {}
    for k, v in known.items():
        key = str(k).strip().lower()
        folded[key] = v if folded.get(key, v) == v else None  # None: two offices share the name
    codes, uniques = pd.factorize(cells, sort=False)
    out_u = np.array([exact.get(u, folded.get(str(u).lower())) for u in uniques] + [None], dtype=object)
    out = out_u[codes]
    unknown = np.array([o is None for o in out], dtype=bool) & (vals != "")
    rejected = {str(r).strip().lower() for r in rejected_sites}
    knock_on = unknown & np.array([str(v).strip().lower() in rejected for v in vals], dtype=bool)
    # one line per office, with its row count: not one line per person of a rejected office
    chk.flag_grouped(knock_on, "current_site_id", vals, lambda p: f"office '{vals[p]}' was left out of the offices "
                     "file because of its own problems (see them there); its staff are left out with it")
    chk.flag_grouped(unknown & ~knock_on, "current_site_id", vals, lambda p: f"office '{vals[p]}' is not in the "
                     "offices file; add it there or correct the id (ids and office names are both accepted)")
    return np.where(unknown, vals, out).astype(object)


def _modes(chk: RowChecker) -> np.ndarray:
    cells = chk.text("commute_mode")
    mapped, _ = canonical(cells, MODE_SYNONYMS)
    vals = cells.to_numpy(dtype=object)
    unknown = np.array([m is None for m in mapped], dtype=bool)
    chk.flag(unknown & (vals == ""), "commute_mode", "is empty; give how the person usually commutes, e.g. "
             "car, rail, bus, walk, cycle (or 'car' if unknown and they drive)")
    ids = ", ".join(m.id for m in MODES)
    chk.flag(unknown & (vals != ""), "commute_mode", lambda p: f"'{vals[p]}' is not a commute mode Footprint "
             f"knows; use one of: {ids}")
    return np.where(unknown, "", mapped).astype(object)


def aggregate_staff(home_lat: np.ndarray, home_lon: np.ndarray, count: np.ndarray, current_site_id: np.ndarray,
                    mode: np.ndarray, *, source: str = "staff", cell_deg_lat: float = GRID_DEG_LAT,
                    cell_deg_lon: float = GRID_DEG_LON,
                    site_locations: Mapping[str, tuple[float, float]] | None = None,
                    office_distance_km: np.ndarray | None = None,
                    measured: np.ndarray | None = None) -> StaffGroups:
    """Staff groups by home grid cell, current office and commute mode.

    Parameters
    ----------
    home_lat, home_lon : ndarray
        Each person's (or row's) home. [degrees]
    count : ndarray
        People on each row. [people]
    current_site_id, mode : array of str
    cell_deg_lat, cell_deg_lon : float
        Grid cell size. [degrees]
    site_locations : mapping or None
        ``{site id: (lat, lon)}`` of the offices [degrees]. Given, each group
        keeps its members' mean exact distance to their office
        (``office_distance_km``, count-weighted, rounded to 0.1 km); otherwise,
        or for an office not in it, that is unknown (NaN).
    office_distance_km : ndarray or None
        Each row's own mean distance to its office where the file gives one (rows
        that are groups already) [km]; NaN: measured from the row's home.
    measured : ndarray of bool or None
        False for rows whose home is only a town's centre (see
        :func:`~footprint.imports.locations.locate`): their distance is not
        measured (a town centre to an office in that town would say 0 km); a
        group with no measured row keeps no distance (NaN: the cell centre is used).

    Returns
    -------
    StaffGroups
        One group per occupied ``(cell, office, mode)``; the group's home is the
        cell centre, so individual home coordinates are not kept.
    """
    cell_lat = np.floor(np.asarray(home_lat, float) / cell_deg_lat).astype(np.int64)
    cell_lon = np.floor(np.asarray(home_lon, float) / cell_deg_lon).astype(np.int64)
    site_codes, site_u = pd.factorize(pd.Series(current_site_id, dtype=object), sort=True)
    mode_codes, mode_u = pd.factorize(pd.Series(mode, dtype=object), sort=True)
    n = np.asarray(count, float)
    places = site_locations or {}
    office = np.array([places.get(u, (np.nan, np.nan)) for u in site_u] + [(np.nan, np.nan)], float)[site_codes]
    exact_km = distance_km(home_lat, home_lon, office[:, 0], office[:, 1])
    if measured is not None:
        exact_km = np.where(np.asarray(measured, dtype=bool), exact_km, np.nan)
    if office_distance_km is not None:
        given = np.asarray(office_distance_km, float)
        exact_km = np.where(np.isnan(given), exact_km, given)
    known = ~np.isnan(exact_km)
    df = pd.DataFrame({"a": cell_lat, "b": cell_lon, "s": site_codes, "m": mode_codes, "n": n,
                       "nk": np.where(known, n, 0.0), "nd": np.where(known, n * exact_km, 0.0)})
    g = df.groupby(["a", "b", "s", "m"], sort=True, as_index=False)[["n", "nk", "nd"]].sum()
    nk = g["nk"].to_numpy(float)
    mean_km = np.full(nk.size, np.nan)
    np.divide(g["nd"].to_numpy(float), nk, out=mean_km, where=nk > 0)  # mean over the rows whose distance is known
    return StaffGroups.from_columns(
        {
            "home_lat": np.round((g["a"].to_numpy() + 0.5) * cell_deg_lat, 5),
            "home_lon": np.round((g["b"].to_numpy() + 0.5) * cell_deg_lon, 5),
            "count": g["n"].to_numpy(),
            "current_site_id": np.asarray(site_u, dtype=object)[g["s"].to_numpy()],
            "commute_mode": np.asarray(mode_u, dtype=object)[g["m"].to_numpy()],
            "office_distance_km": np.round(mean_km, 1),
        },
        source=source,
    )
