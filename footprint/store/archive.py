"""A workspace as a zip file: scenario TOML files, aggregated data as CSV, results as JSON.

Layout of the zip (all text, UTF-8, so it diffs well in version control)::

    workspace.json                      name, and the index of everything below
    scenarios/<n>-<slug>.toml           saved scenarios, exactly as stored
    organisations/<n>/organisation.json name, data card, source, collaboration settings
    organisations/<n>/sites.csv         the sites table
    organisations/<n>/staff_groups.csv  staff groups (home grid cell, office, mode, count)
    organisations/<n>/collaboration_*.csv  site × site meeting matrices
    organisations/<n>/import_report.json   what the import found (counts, problems, notes)
    comparisons/<n>/<k>-<slug>.toml     the scenarios of each comparison set, in order
    results/<n>.json                    result snapshots (``result_to_dict`` of a run)

:func:`import_zip` restores all of it into a new workspace in one transaction.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from datetime import UTC, datetime
from typing import Any

from footprint.errors import InputError, Problem
from footprint.scenario import parse_scenario
from footprint.store import orgdata
from footprint.store.schema import comparison_items, organisations, results, scenarios
from footprint.store.store import Store, Workspace, _authorise, _name

FORMAT = 1
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024  #: refuse archives that unpack to more [bytes]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "scenario"


def export_zip(store: Store, ws: Workspace) -> bytes:
    """The whole workspace as zip bytes (deterministic for the same content)."""
    index: dict[str, Any] = {
        "format": FORMAT,
        "name": ws.name,
        "scenarios": [],
        "organisations": [],
        "comparisons": [],
        "results": [],
    }
    files: dict[str, str] = {}
    for i, (name, toml) in enumerate(store.scenarios(ws).items(), start=1):
        path = f"scenarios/{i:03d}-{_slug(name)}.toml"
        files[path] = toml
        index["scenarios"].append({"name": name, "file": path})
    for i, info in enumerate(store.organisations(ws), start=1):
        org = store.load_organisation(ws, info.id)
        assert org is not None
        folder = f"organisations/{i:03d}"
        for fname, text in orgdata.organisation_to_files(org).items():
            files[f"{folder}/{fname}"] = text
        files[f"{folder}/import_report.json"] = json.dumps(
            store.import_report(ws, info.id), indent=2
        )
        index["organisations"].append(
            {
                "name": info.name,
                "folder": folder,
                "created_by": info.created_by,
                "created_at": info.created_at.isoformat(),
            }
        )
    for i, set_name in enumerate(store.comparison_sets(ws), start=1):
        items = []
        for k, (name, toml) in enumerate(store.comparison_tomls(ws, set_name), start=1):
            path = f"comparisons/{i:03d}/{k:03d}-{_slug(name)}.toml"
            files[path] = toml
            items.append({"name": name, "file": path})
        index["comparisons"].append({"name": set_name, "scenarios": items})
    for i, r in enumerate(store.results(ws), start=1):
        path = f"results/{i:04d}.json"
        files[path] = json.dumps(r.summary, indent=2, sort_keys=True)
        index["results"].append(
            {
                "scenario_name": r.scenario_name,
                "file": path,
                "created_by": r.created_by,
                "created_at": r.created_at.isoformat(),
            }
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, text in [
            ("workspace.json", json.dumps(index, indent=2)),
            *sorted(files.items()),
        ]:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def read_zip(data: bytes, source: str = "workspace.zip") -> dict[str, Any]:
    """Read and validate an exported workspace (everything checked before anything is written)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError([Problem("is not a zip file", source)]) from None
    with zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
            raise InputError(
                [Problem(f"unpacks to more than {MAX_UNZIPPED_BYTES >> 20} MB", source)]
            )
        names = set(zf.namelist())

        def read(path: str) -> str:
            if path not in names:
                raise InputError([Problem(f"file {path} is missing", source)])
            try:
                return zf.read(path).decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(
                    [Problem("is not UTF-8 text", f"{source}/{path}")]
                ) from None

        try:
            index = json.loads(read("workspace.json"))
        except json.JSONDecodeError as e:
            raise InputError(
                [Problem(f"is not valid JSON ({e})", f"{source}/workspace.json")]
            ) from None
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise InputError(
                [
                    Problem(
                        f"is not a Footprint workspace export (format {FORMAT})",
                        f"{source}/workspace.json",
                    )
                ]
            )
        try:
            bundle: dict[str, Any] = {
                "name": str(index["name"]),
                "scenarios": [],
                "organisations": [],
                "comparisons": [],
                "results": [],
            }
            for item in index["scenarios"]:
                toml = read(item["file"])
                parse_scenario(
                    toml, source=f"{source}/{item['file']}"
                )  # valid, or an InputError naming it
                bundle["scenarios"].append((str(item["name"]), toml))
            for item in index["organisations"]:
                folder = item["folder"]
                files = {
                    f: read(f"{folder}/{f}")
                    for f in (
                        "organisation.json",
                        "sites.csv",
                        "staff_groups.csv",
                        "collaboration_person_trips.csv",
                        "collaboration_meeting_hours.csv",
                    )
                }
                org = orgdata.organisation_from_files(files, f"{source}/{folder}")
                report = json.loads(read(f"{folder}/import_report.json"))
                bundle["organisations"].append(
                    (
                        org,
                        report,
                        str(item["created_by"]),
                        datetime.fromisoformat(item["created_at"]),
                    )
                )
            for cset in index["comparisons"]:
                items = []
                for item in cset["scenarios"]:
                    toml = read(item["file"])
                    parse_scenario(toml, source=f"{source}/{item['file']}")
                    items.append((str(item["name"]), toml))
                bundle["comparisons"].append((str(cset["name"]), items))
            for item in index["results"]:
                summary = json.loads(read(item["file"]))
                bundle["results"].append(
                    (
                        str(item["scenario_name"]),
                        summary,
                        str(item["created_by"]),
                        datetime.fromisoformat(item["created_at"]),
                    )
                )
        except (KeyError, TypeError, ValueError) as e:
            if isinstance(e, InputError):
                raise
            raise InputError(
                [
                    Problem(
                        f"has a malformed index ({e.__class__.__name__}: {e})",
                        f"{source}/workspace.json",
                    )
                ]
            ) from None
    return bundle


def import_zip(
    store: Store,
    data: bytes,
    created_by: str = "",
    name: str | None = None,
    source: str = "workspace.zip",
) -> tuple[Workspace, str]:
    """Restore an exported workspace as a new workspace; returns it and its link token.

    All or nothing: the archive is validated first and written in one transaction.
    """
    bundle = read_zip(data, source)
    ws, token = store.create_workspace(name or bundle["name"], created_by)
    now = datetime.now(UTC)
    try:
        with store._tx() as conn:
            _authorise(conn, ws)
            for sname, toml in bundle["scenarios"]:
                conn.execute(
                    scenarios.insert().values(
                        workspace_id=ws.id,
                        name=_name(sname, "scenario"),
                        toml=toml,
                        created_at=now,
                        created_by=created_by,
                        updated_at=now,
                    )
                )
            for org, report, by, at in bundle["organisations"]:
                conn.execute(
                    organisations.insert().values(
                        id=uuid.uuid4().hex,
                        workspace_id=ws.id,
                        name=org.name[:200] or "organisation",
                        n_sites=len(org.sites),
                        staff=org.staff.total,
                        data=orgdata.pack(orgdata.organisation_to_dict(org)),
                        import_report=json.dumps(report),
                        created_at=at,
                        created_by=by,
                    )
                )
            for set_name, items in bundle["comparisons"]:
                for sname, toml in items:
                    conn.execute(
                        comparison_items.insert().values(
                            workspace_id=ws.id,
                            set_name=_name(set_name, "comparison set"),
                            scenario_name=_name(sname, "scenario"),
                            toml=toml,
                            created_at=now,
                            created_by=created_by,
                        )
                    )
            for sname, summary, by, at in bundle["results"]:
                conn.execute(
                    results.insert().values(
                        workspace_id=ws.id,
                        scenario_name=sname[:200],
                        summary=json.dumps(summary, allow_nan=False),
                        created_at=at,
                        created_by=by,
                    )
                )
    except Exception:
        store.delete_workspace(
            ws
        )  # the empty shell made above; nothing else was written
        raise
    return ws, token
