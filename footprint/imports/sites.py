"""Reading offices (a property register) from CSV or XLSX."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from footprint.errors import InputError
from footprint.imports.fields import M2_PER_FT2, SITE_FIELDS, match_columns
from footprint.imports.locations import countries, locate
from footprint.imports.report import ImportReport
from footprint.imports.rows import RowChecker, canonical
from footprint.imports.tables import read_table
from footprint.inputs.bounds import (
    MAX_COST_PER_M2,
    MAX_ENERGY_KWH_PER_M2,
    MAX_FLOOR_AREA_M2,
    MAX_SITE_DESKS,
    MAX_SITE_HEADCOUNT,
)
from footprint.inputs.sites import HEATING_FUELS, Sites

FUEL_SYNONYMS = {
    "gas": "gas", "natural gas": "gas", "mains gas": "gas", "": "gas",
    "electric": "electric", "electricity": "electric", "heat pump": "electric", "ashp": "electric",
    "gshp": "electric", "air source heat pump": "electric", "electric heating": "electric",
    "district": "district", "district heating": "district", "heat network": "district", "communal": "district",
}


def read_sites(data: bytes | str | Path, filename: str | None = None, *, mapping: Mapping[str, str] | None = None,
               geocoder: Any = None, area_unit: str = "m2", default_country: str = "GB",
               mapping_optional: bool = False, sheet: str | None = None, header_row: int | None = None
               ) -> ImportReport:
    """Read and validate offices from a CSV or XLSX file.

    Parameters
    ----------
    data : bytes or path
        The file's bytes (an upload) or its path.
    filename : str or None
        Name shown in messages; its extension says the format. Defaults to the path's name.
    mapping : dict or None
        ``{their header: our field}`` for columns the automatic matching misses.
    geocoder : None, "offline", "online" or a geopy geocoder
        For rows located by place or postcode (see :func:`footprint.imports.geocode.as_lookup`).
    area_unit : str
        ``"m2"`` or ``"ft2"``: unit of area columns whose header names no unit.
    default_country : str
        ISO code of rows with no country.
    sheet, header_row
        As for :func:`~footprint.imports.tables.read_table`.

    Returns
    -------
    ImportReport
        ``table`` is a :class:`~footprint.inputs.Sites` of the valid rows.

    Raises
    ------
    footprint.errors.InputError
        The file cannot be read at all (empty, too big, not CSV/XLSX).
    """
    table = read_table(data, filename, fields=SITE_FIELDS, sheet=sheet, mapping=mapping, header_row=header_row)
    src = table.source
    match = match_columns(table.headers, SITE_FIELDS, src, mapping, _unit(area_unit), mapping_optional)
    n = table.frame.shape[0]
    base = {"source": src, "kind": "sites", "n_rows": n, "column_map": match.column_map,
            "unmatched_columns": match.unmatched, "units": match.units}
    problems = list(match.problems)
    if not (("lat" in match.columns and "lon" in match.columns) or "location" in match.columns):
        from footprint.errors import Problem

        problems.append(Problem("the file has no location columns: add 'lat' and 'lon' (decimal degrees) or "
                                "'location' (a town, address or UK postcode)", src, None, "lat"))
    if problems:
        return ImportReport(table=None, problems=tuple(problems), n_valid=0,
                            invalid_rows=tuple(table.row_numbers.tolist()), notes=table.notes, **base)

    chk = RowChecker(table, match.columns)
    ids = chk.text("site_id")
    _check_ids(chk, ids, "site_id", "every office needs a unique id")
    country = countries(chk, "country", default_country.upper())
    headcount = chk.number("headcount", required=True, lo=0, hi=MAX_SITE_HEADCOUNT, integer=True, unit="people",
                           example="120")
    desks = chk.number("desks", required=False, lo=0, hi=MAX_SITE_DESKS, integer=True, unit="desks")
    area_scale = M2_PER_FT2 if match.units.get("floor_area") == "ft2" else 1.0
    area = chk.number("floor_area", required=False, lo=0, hi=MAX_FLOOR_AREA_M2,
                      unit="ft²" if area_scale != 1.0 else "m²", scale=area_scale)

    def per_area(field: str) -> float:
        return 1.0 / M2_PER_FT2 if match.units.get(field) == "ft2" else 1.0

    def per_area_unit(what: str, field: str) -> str:
        per = "ft²" if match.units.get(field) == "ft2" else "m²"
        return f"{what}/{per}/yr" if what else f"per {per}"

    elec = chk.number("electricity_kwh_per_m2", required=False, lo=0, hi=MAX_ENERGY_KWH_PER_M2,
                      unit=per_area_unit("kWh", "electricity_kwh_per_m2"),
                      scale=per_area("electricity_kwh_per_m2"))
    heat = chk.number("heating_kwh_per_m2", required=False, lo=0, hi=MAX_ENERGY_KWH_PER_M2,
                      unit=per_area_unit("kWh", "heating_kwh_per_m2"),
                      scale=per_area("heating_kwh_per_m2"))
    cost = chk.number("annual_cost_per_m2", required=False, lo=0, hi=MAX_COST_PER_M2,
                      unit=per_area_unit("", "annual_cost_per_m2") + " a year",
                      scale=per_area("annual_cost_per_m2"))
    max_desks = chk.number("max_desks", required=False, lo=0, hi=MAX_SITE_DESKS, integer=True, unit="desks")
    fuel = _fuel(chk)
    can_be_hub = chk.boolean("can_be_hub", True)
    must_keep = chk.boolean("must_keep", False)
    is_candidate = chk.boolean("is_candidate", False)
    operational_control = chk.boolean("operational_control", True)
    supplier = chk.number("supplier_factor_kg_per_kwh", required=False, lo=0, hi=2, unit="kg CO2e/kWh")
    renewable = chk.number("renewable_share", required=False, lo=0, hi=1, unit="share")
    contracts = chk.text("electricity_contract")
    chk.flag(must_keep & ~can_be_hub, "must_keep", "a must-keep site must also be allowed to be a hub; set "
             "can_be_hub to yes or must_keep to no")
    chk.flag(is_candidate & (headcount > 0), "headcount", "a candidate site has no staff today; set headcount "
             "to 0 or is_candidate to no")
    lat, lon, notes = locate(chk, "lat", "lon", "location", country, geocoder)
    names = chk.text("name")
    name = ids.to_numpy(dtype=object) if names is None else np.where(names == "", ids, names).astype(object)

    columns = {
        "site_id": ids.to_numpy(dtype=object), "name": name, "lat": lat, "lon": lon, "headcount": headcount,
        "desks": np.where(np.isnan(desks), headcount, desks), "floor_area_m2": area,
        "electricity_kwh_per_m2": elec, "heating_kwh_per_m2": heat, "heating_fuel": fuel, "country": country,
        "can_be_hub": can_be_hub, "must_keep": must_keep, "max_desks": max_desks, "is_candidate": is_candidate,
        "annual_cost_per_m2": cost, "operational_control": operational_control,
        "supplier_factor_kg_per_kwh": supplier, "renewable_share": renewable,
        "electricity_contract": [""] * len(ids) if contracts is None else list(contracts),
    }
    if area_scale != 1.0:
        notes.append("floor area read in ft² and converted to m²")
    sites = _build(chk, columns)
    rejected = np.concatenate([ids.to_numpy(dtype=object)[chk.bad], name[chk.bad]])
    base["rejected_sites"] = tuple(sorted({str(r) for r in rejected if str(r)}))
    return _report(chk, sites, [*table.notes, *notes], base)


def _unit(area_unit: str) -> str:
    u = str(area_unit).lower().replace("²", "2").replace(" ", "")
    if u in ("m2", "sqm", "metres", "meters"):
        return "m2"
    if u in ("ft2", "sqft", "feet"):
        return "ft2"
    raise InputError([_problem(f"area unit '{area_unit}' is not known; use 'm2' or 'ft2'", "import options",
                               "area_unit")])


def _problem(message: str, source: str, field: str | None = None):  # noqa: ANN202
    from footprint.errors import Problem

    return Problem(message, source, None, field)


def _check_ids(chk: RowChecker, ids: pd.Series, field: str, why: str) -> None:
    empty = (ids == "").to_numpy()
    chk.flag(empty, field, f"is empty; {why}")
    dup = (ids.duplicated(keep="first") & ~(ids == "")).to_numpy()
    if dup.any():
        first_pos = pd.Series(np.arange(chk.n)).groupby(ids.to_numpy()).transform("min").to_numpy()
        vals = ids.to_numpy()
        chk.flag(dup, field, lambda p: f"'{vals[p]}' is a duplicate of row {chk.rows[first_pos[p]]}; "
                 "ids must be unique")


def _fuel(chk: RowChecker) -> np.ndarray:
    cells = chk.text("heating_fuel")
    if cells is None:
        return np.full(chk.n, "gas", dtype=object)
    mapped, _ = canonical(cells, FUEL_SYNONYMS)
    vals = cells.to_numpy()
    chk.flag(np.array([m is None for m in mapped], dtype=bool), "heating_fuel",
             lambda p: f"'{vals[p]}' is not a heating fuel Footprint knows; use one of: {', '.join(HEATING_FUELS)}")
    return np.where([m is None for m in mapped], "gas", mapped).astype(object)


def _build(chk: RowChecker, columns: dict[str, Any]) -> Sites | None:
    """Sites of the valid rows; the core's own checks as a safety net."""
    for _ in range(3):
        valid = ~chk.bad
        if not valid.any():
            return None
        cols = {k: (np.asarray(v)[valid]) for k, v in columns.items()}
        try:
            return Sites.from_columns(cols, source=chk.source, row_numbers=chk.rows[valid])
        except InputError as e:
            pos = {int(r): i for i, r in enumerate(chk.rows)}
            hit = np.zeros(chk.n, bool)
            for p in e.problems:
                if p.row is not None and p.row in pos:
                    hit[pos[p.row]] = True
            if not hit.any():
                chk.problems.extend(e.problems)
                chk.bad[:] = True
                return None
            chk.problems.extend(p for p in e.problems if p.row is not None)
            chk.bad |= hit
    return None


def _report(chk: RowChecker, table: Any, notes: list[str], base: dict[str, Any]) -> ImportReport:
    valid = ~chk.bad
    return ImportReport(table=table, problems=tuple(chk.problems_sorted()), n_valid=int(valid.sum()),
                        invalid_rows=tuple(chk.rows[chk.bad].tolist()), notes=tuple(notes), **base)
