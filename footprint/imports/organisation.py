"""The organisation from the user's files: offices, staff and (optionally) collaboration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from footprint.errors import InputError, Problem
from footprint.imports.report import ImportReport
from footprint.imports.sites import read_sites
from footprint.imports.staff import GRID_DEG_LAT, GRID_DEG_LON, read_staff
from footprint.imports.tables import ROW_CONVENTION, read_table
from footprint.inputs import Collaboration, Organisation, Sites, StaffGroups


def site_aliases(sites: Sites) -> dict[str, str]:
    """``{id: id, unique name: id}``: how staff files may name an office."""
    out: dict[str, str] = {}
    counts: dict[str, int] = {}
    for n in sites.name:
        counts[n.lower()] = counts.get(n.lower(), 0) + 1
    for sid, n in zip(sites.site_id, sites.name, strict=True):
        if counts[n.lower()] == 1 and n not in out:
            out[n] = sid
    out.update({s: s for s in sites.site_id})
    return out


def site_locations(sites: Sites) -> dict[str, tuple[float, float]]:
    """``{site id: (lat, lon)}`` [degrees]: where staff files' offices are, to resolve ambiguous home towns."""
    return {sid: (float(a), float(o)) for sid, a, o in zip(sites.site_id, sites.lat, sites.lon, strict=True)}


def build_organisation(sites: Sites, staff: StaffGroups, collaboration: Collaboration | None = None,
                       name: str = "", source: str = "") -> Organisation:
    """Cross-check sites and staff and build the :class:`~footprint.inputs.Organisation`.

    Raises
    ------
    footprint.errors.InputError
        Staff groups whose office is not a site (with the group's row, its office
        and how many people), no staff, or a collaboration matrix of the wrong size.
    """
    known = set(sites.site_id)
    missing: dict[str, list[int]] = {}
    for r, s in enumerate(staff.current_site_id):
        if s not in known:
            missing.setdefault(s, []).append(r)
    if missing:
        problems = [
            Problem(f"office '{s}' of {staff.count[rows].sum():g} staff (groups {', '.join(str(r + 1) for r in rows[:10])}"
                    f"{'…' if len(rows) > 10 else ''}) is not in the offices; add it there or correct the staff file",
                    "staff", rows[0] + 1, "current_site_id")
            for s, rows in missing.items()
        ]
        raise InputError(problems, f"{len(missing)} office id(s) in the staff are not in the offices")
    card = data_card(sites, staff, source)
    return Organisation(name=name or "Own data", sites=sites, staff=staff, collaboration=collaboration,
                        data_card=card, source=source)


def data_card(sites: Sites, staff: StaffGroups, source: str) -> str:
    """Markdown saying where the data come from and how homes were aggregated."""
    return (
        "# Data card: own data\n\n"
        f"- Source files: {source or 'supplied tables'}\n"
        f"- Offices: {len(sites)} ({int(sites.is_office.sum())} today, {int(sites.is_candidate.sum())} candidates)\n"
        f"- Staff: {staff.total:,.1f} people in {len(staff):,} groups\n"
        f"- Privacy: homes aggregated on import to grid cells of {GRID_DEG_LAT}° × {GRID_DEG_LON}° "
        "(about 5.5 km), each group keeping its members' mean distance to their office (to 0.1 km); "
        "individual home locations, postcodes and employee ids are not kept.\n"
        "- Places and postcodes geocoded offline with GeoNames (CC BY 4.0) and OS Code-Point Open "
        "postcode districts (OGL v3), unless online geocoding (OpenStreetMap Nominatim) was turned on.\n"
    )


def read_collaboration(path: str | Path | bytes, site_ids: tuple[str, ...], filename: str | None = None
                       ) -> Collaboration:
    """Cross-site meetings from a table ``site_a, site_b, meetings_per_year, attendees, hours``."""
    table = read_table(path, filename)
    keys = [h.strip().lower().replace(" ", "_") for h in table.headers]
    rows = [dict(zip(keys, r, strict=True)) for r in table.frame.itertuples(index=False, name=None)]
    try:
        return Collaboration.from_table(site_ids, rows, source=table.source)
    except InputError as e:
        fixed = [replace(p, row=int(table.row_numbers[p.row - 1]) if p.row else None) for p in e.problems]
        raise InputError(fixed, f"{len(fixed)} problem(s) in {table.source} ({ROW_CONVENTION})") from None


def read_organisation(sites_path: str | Path, staff_path: str | Path, collaboration_path: str | Path | None = None,
                      *, name: str = "", geocoder: Any = None, mapping: Mapping[str, str] | None = None,
                      valid_rows_only: bool = False, mapping_source: str = "column mapping") -> Organisation:
    """Read, validate and cross-check the user's files (strict, unless ``valid_rows_only``).

    Parameters
    ----------
    sites_path, staff_path, collaboration_path
        The files.
    name : str
        The organisation's name.
    geocoder
        As for :func:`~footprint.imports.read_sites`.
    mapping : dict or None
        ``{their header: our field}`` shared by both files (each entry applies to
        the file that has the header; one that neither file has is a problem).
    valid_rows_only : bool
        Build the organisation from the valid rows, leaving out the rows with
        problems (listed in the data card), instead of refusing the files. A
        file-level problem (a missing column, an unreadable file) still refuses.
    mapping_source : str
        Where the mapping comes from, for messages (the scenario file).

    Raises
    ------
    footprint.errors.InputError
        Listing every problem in every file (file, spreadsheet row, column, fix).
    """
    sites_rep = read_sites(sites_path, geocoder=geocoder, mapping=mapping, mapping_optional=True)
    aliases = site_aliases(sites_rep.table) if sites_rep.table is not None else None
    places = site_locations(sites_rep.table) if sites_rep.table is not None else None
    staff_rep = read_staff(staff_path, geocoder=geocoder, site_ids=aliases, mapping=mapping, mapping_optional=True,
                           rejected_sites=sites_rep.rejected_sites, site_locations=places)
    reports: list[ImportReport] = [sites_rep, staff_rep]
    problems = [p for r in reports for p in r.problems]
    problems += unused_mapping_problems(mapping, reports, mapping_source)
    for r in reports:
        if r.table is None and not r.problems:
            problems.append(Problem("no valid rows", r.source))
    fatal = [p for p in problems if p.row is None] or [
        Problem("no valid rows remain", r.source) for r in reports if r.table is None]
    if problems and (not valid_rows_only or fatal):
        files = " and ".join(dict.fromkeys(p.source for p in problems))
        raise InputError(fatal if valid_rows_only else problems,
                         f"{len(problems):,} problem(s) in {files} ({ROW_CONVENTION})")
    collab = None
    if collaboration_path:
        collab = read_collaboration(collaboration_path, sites_rep.table.site_id)
    source = ", ".join(str(Path(p).name) for p in (sites_path, staff_path, collaboration_path) if p)
    org = build_organisation(sites_rep.table, staff_rep.table, collab, name=name, source=source)
    if problems:  # valid_rows_only: say what was left out, in the data card
        left_out = "".join(f"- {r.source}: rows {', '.join(str(x) for x in r.invalid_rows)}\n"
                           for r in reports if r.invalid_rows)
        org = replace(org, data_card=org.data_card + "\n## Rows left out (valid_rows_only)\n\n" + left_out
                      + "".join(f"- {p}\n" for p in problems))
    return org


def unused_mapping_problems(mapping: Mapping[str, str] | None, reports: list[ImportReport],
                            source: str) -> list[Problem]:
    """Entries of a shared column mapping whose header is in none of the files."""
    if not mapping:
        return []
    from footprint.imports.fields import slug

    seen = {slug(h) for r in reports for h in (*r.column_map, *r.unmatched_columns)}
    files = " or ".join(r.source for r in reports)
    return [Problem(f"maps a column '{k}' that is in neither {files}", source, None, f"columns.{k}")
            for k in mapping if slug(k) not in seen]


def headcount_check(org: Organisation) -> list[str]:
    """Offices whose headcount differs from the staff file by more than 10 % (notes, not errors)."""
    hc = org.sites.headcount.astype(float)
    staff = org.headcount_by_site
    off = np.flatnonzero(np.abs(staff - hc) > np.maximum(1.0, 0.1 * hc))
    return [f"{org.sites.site_id[i]}: headcount {hc[i]:g} in the offices file, {staff[i]:g} in the staff file"
            for i in off]
