"""A study's results table: one row per grid point, in Parquet (pyarrow) or CSV.

Files are written whole and atomically (a temporary file in the same folder, then
``os.replace``), so a results file is never half-written: an interrupted study
leaves the points finished so far, which :func:`footprint.study.run_study` resumes.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from footprint.errors import Problem
from footprint.study.spec import StudyError

FORMATS = ("parquet", "csv")
LEVER_PREFIX = "lever_"

#: Result columns after the lever columns, with their units.
COLUMNS: dict[str, str] = {
    "scenario": "",
    "feasible": "",
    "status": "",
    "message": "",
    "n_hubs": "sites",
    "hubs": "site ids",
    "total_tco2e": "t CO2e/yr",
    "baseline_tco2e": "t CO2e/yr",
    "change_tco2e": "t CO2e/yr",
    "total_p05": "t CO2e/yr",
    "total_p50": "t CO2e/yr",
    "total_p95": "t CO2e/yr",
    "total_mean": "t CO2e/yr",
    "change_p05": "t CO2e/yr",
    "change_p50": "t CO2e/yr",
    "change_p95": "t CO2e/yr",
    "prob_reduction": "share of draws",
    "mean_commute_km": "km",
    "median_commute_km": "km",
    "staff_over_limit": "people",
    "staff_remote": "people",
    "floor_area_m2": "m2",
    "linear_objective_tco2e": "t CO2e/yr",
    "gap": "fraction",
    "hit_time_limit": "",
    "draws": "",
    "seed": "",
    "solve_seconds": "s",
}
#: True/False columns (``hit_time_limit``: the optimiser may have been cut by its clock).
BOOL_COLUMNS = ("feasible", "hit_time_limit")
HEAD = ("study", "fingerprint", "point", "point_key")
#: Columns that depend on the machine (timings): left out when results are compared.
TIMING_COLUMNS = ("solve_seconds",)


def results_format(path: str | Path) -> str:
    """``"parquet"`` or ``"csv"`` from the file's extension."""
    ext = Path(path).suffix.lower().lstrip(".")
    if ext in ("parquet", "pq"):
        return "parquet"
    if ext == "csv":
        return "csv"
    raise StudyError(
        [Problem("unknown results format; use a .parquet or .csv file", str(path))]
    )


def results_frame(
    rows: Sequence[dict[str, Any]], lever_names: Sequence[str]
) -> pd.DataFrame:
    """Rows (in any order) as a table sorted by point, with the columns in a fixed order."""
    cols = [*HEAD, *(LEVER_PREFIX + k for k in lever_names), *COLUMNS]
    frame = pd.DataFrame(list(rows), columns=cols)
    if len(frame):
        frame = frame.sort_values("point", kind="stable").reset_index(drop=True)
    for col in ("point", "n_hubs", "draws", "seed"):
        frame[col] = frame[col].astype("int64")
    for col in BOOL_COLUMNS:
        frame[col] = frame[col].astype(bool)
    return frame


def results_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The table as Parquet or UTF-8 CSV bytes."""
    buf = io.BytesIO()
    if fmt == "parquet":
        frame.to_parquet(buf, engine="pyarrow", index=False)
    else:
        frame.to_csv(buf, index=False, lineterminator="\n", float_format="%.17g")
    return buf.getvalue()


def write_atomically(data: bytes, path: str | Path) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(
            tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        )
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_results(
    rows: Sequence[dict[str, Any]], lever_names: Sequence[str], path: str | Path
) -> Path:
    """Write the rows to ``path`` (format from its extension), atomically."""
    return write_atomically(
        results_bytes(results_frame(rows, lever_names), results_format(path)), path
    )


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results file written by :func:`write_results`.

    Raises
    ------
    StudyError
        When the file is not a study's results (naming the file and the missing column).
    """
    path = Path(path)
    fmt = results_format(path)
    try:
        frame = (
            pd.read_parquet(path, engine="pyarrow")
            if fmt == "parquet"
            else pd.read_csv(
                path,
                keep_default_na=False,
                na_values=["", "nan", "NaN"],
                dtype={
                    "hubs": str,
                    "message": str,
                    "status": str,
                    "point_key": str,
                    "fingerprint": str,
                },
            )
        )
    except FileNotFoundError:
        raise StudyError(
            [Problem("file not found; check the path", str(path))]
        ) from None
    except Exception as e:  # noqa: BLE001 - pyarrow and pandas raise many kinds for a damaged file
        raise StudyError(
            [
                Problem(
                    f"cannot be read as {fmt} ({e.__class__.__name__}: {e})", str(path)
                )
            ]
        ) from None
    missing = [c for c in (*HEAD, *COLUMNS) if c not in frame.columns]
    if missing:
        raise StudyError(
            [
                Problem(
                    "is not a study's results file: the column is missing",
                    str(path),
                    None,
                    c,
                )
                for c in missing
            ]
        )
    if fmt == "csv":
        for col in ("hubs", "message"):
            frame[col] = frame[col].fillna("")
        for col in BOOL_COLUMNS:
            frame[col] = frame[col].map(lambda v: v is True or str(v).lower() == "true")
    return frame


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows as plain Python values (to merge with new rows)."""
    out = []
    for rec in frame.to_dict("records"):
        out.append(
            {k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}
        )
    return out


def lever_columns(frame: pd.DataFrame) -> list[str]:
    """The table's lever columns, in order."""
    return [c for c in frame.columns if c.startswith(LEVER_PREFIX)]


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
