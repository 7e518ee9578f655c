"""An imported organisation as plain data: JSON for the store, CSV for exports.

Only what the model uses is kept: the sites table, the staff *groups* (home
grid cell, office, mode and count, as :func:`footprint.imports.aggregate_staff`
made them) and the collaboration matrix. Raw home locations, postcodes and
employee ids never reach an :class:`~footprint.inputs.Organisation`, so they
cannot reach the store either.

Floats are written with ``repr`` (shortest exact form), so a round trip through
JSON or CSV gives back bit-identical arrays.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from dataclasses import fields
from typing import Any

import numpy as np

from footprint.errors import InputError, Problem
from footprint.inputs import Collaboration, Organisation, Sites, StaffGroups

FORMAT = 1  #: version of the data layout below

#: Column types of the sites table (``str``, ``float``, ``int`` or ``bool``).
SITE_TYPES: dict[str, str] = {
    f.name: (
        "str"
        if f.type.startswith("tuple")
        else "bool"
        if f.name in ("can_be_hub", "must_keep", "is_candidate", "operational_control")
        else "int"
        if f.name in ("headcount", "desks", "max_desks")
        else "float"
    )
    for f in fields(Sites)
}
STAFF_TYPES: dict[str, str] = {
    "home_lat": "float",
    "home_lon": "float",
    "count": "float",
    "current_site_id": "str",
    "commute_mode": "str",
    "office_distance_km": "float",
}
#: Columns a file written before they existed may lack (read as unknown: NaN).
OPTIONAL_STAFF = ("office_distance_km",)


def organisation_to_dict(org: Organisation) -> dict[str, Any]:
    """The organisation as JSON-ready data (aggregates only)."""
    collab = org.collaboration
    assert collab is not None  # filled in by Organisation itself
    return {
        "format": FORMAT,
        "name": org.name,
        "data_card": org.data_card,
        "source": org.source,
        "sites": org.sites.to_columns(),
        "staff": org.staff.to_columns(),
        "collaboration": {
            "person_trips": collab.person_trips.tolist(),
            "meeting_hours": collab.meeting_hours.tolist(),
            "participants_per_call": collab.participants_per_call,
            "description": collab.description,
        },
    }


def organisation_from_dict(
    data: dict[str, Any], source: str = "stored organisation"
) -> Organisation:
    """Inverse of :func:`organisation_to_dict`; validates everything again.

    Raises
    ------
    footprint.errors.InputError
        When the data are not a valid organisation (naming the table and field).
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(
            [Problem(f"is not Footprint organisation data (format {FORMAT})", source)]
        )
    try:
        c = data["collaboration"]
        sites = Sites.from_columns(data["sites"], source=f"{source}: sites")
        staff = StaffGroups.from_columns(data["staff"], source=f"{source}: staff")
        collab = Collaboration(
            np.asarray(c["person_trips"], dtype=float).reshape(len(sites), len(sites)),
            np.asarray(c["meeting_hours"], dtype=float).reshape(len(sites), len(sites)),
            float(c["participants_per_call"]),
            str(c["description"]),
        )
        return Organisation(
            str(data["name"]),
            sites,
            staff,
            collab,
            data_card=str(data.get("data_card", "")),
            source=str(data.get("source", "")),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(
            [
                Problem(
                    f"is incomplete or malformed ({e.__class__.__name__}: {e})", source
                )
            ]
        ) from None


def pack(obj: Any) -> bytes:
    """JSON, compressed (for a database BLOB column)."""
    return zlib.compress(json.dumps(obj, separators=(",", ":")).encode(), 6)


def unpack(raw: bytes) -> Any:
    return json.loads(zlib.decompress(raw).decode())


# --- CSV (exports) ----------------------------------------------------------------
def _cell(value: Any, kind: str) -> str:
    if kind == "float":
        return repr(float(value))
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def _value(text: str, kind: str, where: str) -> Any:
    try:
        if kind == "float":
            return float(text)
        if kind == "int":
            return int(text)
        if kind == "bool":
            return {"true": True, "false": False}[text]
    except (ValueError, KeyError):
        raise InputError([Problem(f"'{text}' is not a {kind}", where)]) from None
    return text


def columns_to_csv(columns: dict[str, list[Any]], types: dict[str, str]) -> str:
    """Named columns as CSV text (header row, then one row per entry)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    names = list(types)
    w.writerow(names)
    for row in zip(*(columns[n] for n in names), strict=True):
        w.writerow([_cell(v, types[n]) for v, n in zip(row, names, strict=True)])
    return out.getvalue()


def columns_from_csv(
    text: str, types: dict[str, str], source: str, optional: tuple[str, ...] = ()
) -> dict[str, list[Any]]:
    """Inverse of :func:`columns_to_csv`; names the file, row and field of a bad cell.

    Columns in ``optional`` may be missing (files written before they existed).
    """
    rows = list(csv.reader(io.StringIO(text)))
    required = [n for n in types if n not in optional]
    if not rows or rows[0] not in (list(types), required):
        raise InputError([Problem(f"the header must be {','.join(types)}", source, 1)])
    types = {n: types[n] for n in rows[0]}
    cols: dict[str, list[Any]] = {n: [] for n in types}
    for r, row in enumerate(rows[1:], start=2):
        if len(row) != len(types):
            raise InputError(
                [Problem(f"has {len(row)} cells, expected {len(types)}", source, r)]
            )
        for n, cell in zip(types, row, strict=True):
            cols[n].append(_value(cell, types[n], f"{source} row {r} field {n}"))
    return cols


def matrix_to_csv(matrix: np.ndarray, site_ids: tuple[str, ...]) -> str:
    """A site × site matrix as CSV with the site ids as header and first column."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["site_id", *site_ids])
    for sid, row in zip(site_ids, matrix, strict=True):
        w.writerow([sid, *(repr(float(v)) for v in row)])
    return out.getvalue()


def matrix_from_csv(text: str, site_ids: tuple[str, ...], source: str) -> np.ndarray:
    rows = list(csv.reader(io.StringIO(text)))
    if (
        not rows
        or tuple(rows[0][1:]) != tuple(site_ids)
        or len(rows) != len(site_ids) + 1
    ):
        raise InputError(
            [
                Problem(
                    "must be a site × site matrix in the order of sites.csv", source, 1
                )
            ]
        )
    try:
        return np.array([[float(v) for v in row[1:]] for row in rows[1:]], dtype=float)
    except ValueError as e:
        raise InputError(
            [Problem(f"holds a value that is not a number ({e})", source)]
        ) from None


def organisation_to_files(org: Organisation) -> dict[str, str]:
    """The organisation as CSV files plus a small JSON header (file name → text)."""
    d = organisation_to_dict(org)
    ids = org.sites.site_id
    return {
        "organisation.json": json.dumps(
            {k: d[k] for k in ("format", "name", "data_card", "source")}
            | {
                "participants_per_call": d["collaboration"]["participants_per_call"],
                "collaboration_description": d["collaboration"]["description"],
            },
            indent=2,
        ),
        "sites.csv": columns_to_csv(d["sites"], SITE_TYPES),
        "staff_groups.csv": columns_to_csv(d["staff"], STAFF_TYPES),
        "collaboration_person_trips.csv": matrix_to_csv(
            org.collaboration.person_trips, ids
        ),  # type: ignore[union-attr]
        "collaboration_meeting_hours.csv": matrix_to_csv(
            org.collaboration.meeting_hours, ids
        ),  # type: ignore[union-attr]
    }


def organisation_from_files(files: dict[str, str], source: str) -> Organisation:
    """Inverse of :func:`organisation_to_files`."""
    missing = [
        n
        for n in (
            "organisation.json",
            "sites.csv",
            "staff_groups.csv",
            "collaboration_person_trips.csv",
            "collaboration_meeting_hours.csv",
        )
        if n not in files
    ]
    if missing:
        raise InputError([Problem(f"file {m} is missing", source) for m in missing])
    try:
        head = json.loads(files["organisation.json"])
    except json.JSONDecodeError as e:
        raise InputError(
            [Problem(f"is not valid JSON ({e})", f"{source}/organisation.json")]
        ) from None
    sites = columns_from_csv(files["sites.csv"], SITE_TYPES, f"{source}/sites.csv")
    staff = columns_from_csv(
        files["staff_groups.csv"], STAFF_TYPES, f"{source}/staff_groups.csv", OPTIONAL_STAFF
    )
    ids = tuple(sites["site_id"])
    data = {
        **{k: head.get(k) for k in ("format", "name", "data_card", "source")},
        "sites": sites,
        "staff": staff,
        "collaboration": {
            "person_trips": matrix_from_csv(
                files["collaboration_person_trips.csv"],
                ids,
                f"{source}/collaboration_person_trips.csv",
            ),
            "meeting_hours": matrix_from_csv(
                files["collaboration_meeting_hours.csv"],
                ids,
                f"{source}/collaboration_meeting_hours.csv",
            ),
            "participants_per_call": head.get("participants_per_call"),
            "description": head.get("collaboration_description", ""),
        },
    }
    return organisation_from_dict(data, source)


def report_to_dict(report: Any) -> dict[str, Any]:
    """An :class:`~footprint.imports.ImportReport` without its table (counts, problems, notes).

    A staff file's problem messages may quote a person's cells (an employee id, a
    postcode), so for staff only the row and field of each problem are kept.
    """
    personal = report.kind == "staff"
    return {
        "source": report.source,
        "kind": report.kind,
        "n_rows": int(report.n_rows),
        "n_valid": int(report.n_valid),
        "column_map": dict(report.column_map),
        "unmatched_columns": list(report.unmatched_columns),
        "units": dict(report.units),
        "invalid_rows": [int(r) for r in report.invalid_rows],
        "notes": list(report.notes),
        "problems": [
            {
                "message": STAFF_MESSAGE if personal else p.message,
                "source": p.source,
                "row": p.row,
                "field": p.field,
            }
            for p in report.problems
        ],
    }


#: Stands for a staff problem's message, which is not stored.
STAFF_MESSAGE = (
    "problem in this cell (details not stored: they may quote personal data)"
)
