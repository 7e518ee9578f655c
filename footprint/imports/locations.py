"""Locations of rows: latitude/longitude columns, or a place or postcode to geocode."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from footprint.imports.geocode import (
    CLEAR_RATIO,
    COMMUTE_KM,
    Match,
    as_lookup,
    nearest_clear_choice,
)
from footprint.imports.rows import RowChecker

#: Rough bounds of the UK, for spotting swapped coordinates. [degrees]
UK_LAT, UK_LON = (49.0, 61.5), (-9.0, 2.5)


def countries(chk: RowChecker, field: str, default: str) -> np.ndarray:
    """Each row's ISO country code (``UK`` → ``GB``; empty → ``default``); flags bad codes."""
    cells = chk.text(field)
    if cells is None:
        return np.full(chk.n, default, dtype=object)
    up = cells.str.upper().replace({"UK": "GB", "": default})
    bad = ~up.str.fullmatch(r"[A-Z]{2}").to_numpy()
    vals = cells.to_numpy()
    chk.flag(bad, field, lambda p: f"'{vals[p]}' is not a two-letter ISO country code; use e.g. GB, IE, FR or US")
    return up.to_numpy(dtype=object)


def locate(chk: RowChecker, lat_field: str, lon_field: str, place_field: str, country: np.ndarray,
           geocoder: Any = None, *, office: np.ndarray | None = None, office_lat: np.ndarray | None = None,
           office_lon: np.ndarray | None = None, town_level: np.ndarray | None = None
           ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Latitude and longitude of every row [degrees] (NaN where it has a problem), and notes.

    Rows with both coordinates use them (checked for range, swaps and 0, 0);
    rows without use the place column, geocoded once per distinct place.

    Parameters
    ----------
    office, office_lat, office_lon : ndarray or None
        Each row's base office (its id, for notes) and its position [degrees]
        (NaN when unknown). Given, a place name with several candidates is
        taken as the one clearly meant for that office (see
        :func:`~footprint.imports.geocode.nearest_clear_choice`), with one note
        per distinct name and office; otherwise it stays a problem.
    town_level : ndarray of bool or None
        Filled in (when given) with True for the rows placed at a town's or
        place's centre (not given coordinates, a postcode district or an online
        geocoder's address): their distance to anywhere is only as good as the
        town's size.
    """
    n = chk.n
    lat = chk.number(lat_field, required=False, example="52.4862")
    lon = chk.number(lon_field, required=False, example="-1.8904")
    lat_txt, lon_txt = chk.text(lat_field), chk.text(lon_field)
    has_lat = np.zeros(n, bool) if lat_txt is None else (lat_txt != "").to_numpy()
    has_lon = np.zeros(n, bool) if lon_txt is None else (lon_txt != "").to_numpy()
    lat_h, lon_h = chk.header(lat_field), chk.header(lon_field)
    chk.flag(has_lat & ~has_lon, lon_field, f"is empty but '{lat_h}' is given; give both or neither")
    chk.flag(has_lon & ~has_lat, lat_field, f"is empty but '{lon_h}' is given; give both or neither")
    both = np.isfinite(lat) & np.isfinite(lon)
    uk = country == "GB"
    # a UK point with its two values exchanged: surely swapped
    swapped = both & uk & (lat >= UK_LON[0]) & (lat <= UK_LON[1]) & (lon >= UK_LAT[0]) & (lon <= UK_LAT[1])
    chk.flag(swapped, lat_field, lambda p: f"latitude {lat[p]:g} and longitude {lon[p]:g} look swapped; exchange "
             f"the values of '{lat_h}' and '{lon_h}' in this row")
    # out of range but valid once exchanged: a swap or a typo, say both
    maybe = both & ~swapped & (np.abs(lat) > 90) & (np.abs(lat) <= 180) & (np.abs(lon) <= 90)
    chk.flag(maybe, lat_field, lambda p: f"{lat[p]:g} is out of range (latitude must be from -90 to 90 degrees); "
             f"if '{lat_h}' and '{lon_h}' are swapped in this row exchange them, otherwise correct the latitude")
    swapped |= maybe
    rest = both & ~swapped
    chk.flag(rest & (np.abs(lat) > 90), lat_field,
             lambda p: f"{lat[p]:g} is out of range; latitude must be from -90 to 90 degrees")
    chk.flag(rest & (np.abs(lon) > 180), lon_field,
             lambda p: f"{lon[p]:g} is out of range; longitude must be from -180 to 180 degrees")
    chk.flag(rest & (lat == 0) & (lon == 0), lat_field,
             "0, 0 is in the sea off West Africa: the location is probably missing; give the real lat/lon or "
             "leave both empty and give a place")
    notes: list[str] = []
    need = ~has_lat & ~has_lon
    places = chk.text(place_field)
    if places is None:
        chk.flag(need, lat_field, f"has no location; give '{lat_h}' and '{lon_h}', or add a place, address or "
                 "postcode column")
    elif need.any():
        p_txt = places.to_numpy(dtype=object)
        chk.flag(need & (p_txt == ""), place_field, f"has no location; give a town, address or postcode here, or "
                 f"'{lat_h}' and '{lon_h}'")
        todo = need & (p_txt != "")
        if todo.any():
            keys = pd.Series(p_txt[todo]) + "\x1f" + pd.Series(country[todo].astype(str))
            codes, uniques = pd.factorize(keys, sort=False)
            lookup = as_lookup(geocoder)
            matches = []
            for u in uniques:
                q, c = u.split("\x1f", 1)
                matches.append(lookup.lookup(q, c or None))
            if town_level is not None:
                precise = ("postcode district", "(online geocoder)")
                coarse = np.array([not (m.label.startswith(precise[0]) or m.label.endswith(precise[1]))
                                   for m in matches], dtype=bool)
                town_level[np.flatnonzero(todo)] = coarse[codes]
            glat = np.array([m.lat for m in matches])[codes]
            glon = np.array([m.lon for m in matches])[codes]
            idx = np.flatnonzero(todo)
            lat[idx], lon[idx] = glat, glon
            ok = np.array([m.ok for m in matches], dtype=bool)
            failed = np.zeros(n, bool)
            failed[idx] = ~ok[codes]
            code_of = np.full(n, -1)
            code_of[idx] = codes
            if office is not None and office_lat is not None and office_lon is not None:
                notes += _resolve_by_office(chk, matches, code_of, failed, lat, lon, office, office_lat, office_lon)
            # one line per distinct place (with its row count and first rows), not one per row
            chk.flag_grouped(failed, place_field, code_of,
                             lambda p: f"'{matches[code_of[p]].query}' {matches[code_of[p]].reason}")
            n_ok = int(ok.sum())
            n_by_office = len({int(c) for c in code_of[todo & ~failed]} - set(np.flatnonzero(ok).tolist()))
            by_office = f" ({n_by_office:,} more by the person's office, see above)" if n_by_office else ""
            notes.append(f"{int(todo.sum()) - int(failed.sum()):,} rows located from '{chk.header(place_field)}': "
                         f"{n_ok:,} of {len(matches):,} distinct places or postcodes matched{by_office}")
    bad = chk.bad
    lat[bad], lon[bad] = np.nan, np.nan
    return lat, lon, notes


def _resolve_by_office(chk: RowChecker, matches: list[Match], code_of: np.ndarray, failed: np.ndarray,
                       lat: np.ndarray, lon: np.ndarray, office: np.ndarray, office_lat: np.ndarray,
                       office_lon: np.ndarray) -> list[str]:
    """Take ambiguous places as the candidate clearly meant for each row's office (in place); the notes."""
    has_options = np.array([bool(m.options) for m in matches] + [False], dtype=bool)
    pos = np.flatnonzero(failed & has_options[code_of])
    if pos.size == 0:
        return []
    keys = pd.Series(code_of[pos].astype(str)) + "\x1f" + pd.Series(np.asarray(office, dtype=object)[pos]).astype(str)
    groups, _ = pd.factorize(keys, sort=False)
    notes = []
    for g in range(int(groups.max()) + 1):
        members = pos[groups == g]
        first = int(members[0])
        m = matches[int(code_of[first])]
        pick = nearest_clear_choice(m.options, float(office_lat[first]), float(office_lon[first]))
        if pick is None:
            continue
        place, km = pick
        lat[members], lon[members] = place.lat, place.lon
        failed[members] = False
        others = [o.short_label for o in m.options if o is not place]
        rows = chk.rows[members].tolist()
        shown = ", ".join(str(r) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
        what = f"{len(rows):,} rows: {shown}" if len(rows) > 1 else f"row {rows[0]}"
        notes.append(f"'{m.query}' ({what}): taken as {place.short_label}, {km:.0f} km from office "
                     f"'{office[first]}', not {_either(others)} "
                     f"(the nearest candidate is taken when it is within {COMMUTE_KM:g} km of the person's office "
                     f"and every other is at least {CLEAR_RATIO:g} times as far; to choose otherwise, give a postcode "
                     "district or lat/lon)")
    return notes


def _either(items: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
