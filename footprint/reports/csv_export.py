"""CSV exports: UTF-8 (no BOM), a header row with units, one table per file.

Numbers are written in full precision with ``.`` as decimal separator, missing
values as empty fields; text cells are neutralised against formula injection.
Several tables go into one ZIP archive.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Sequence
from typing import Any

from footprint.reports import tables as tb
from footprint.reports.safety import safe_cell
from footprint.scenario.run import ScenarioResult


def _field(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, int):
        return str(value)
    return safe_cell(str(value))


def table_csv(table: tb.Table) -> bytes:
    """One table as CSV bytes (UTF-8, header row, ``\\r\\n`` line ends as RFC 4180)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(c.header) for c in table.columns])
    for row in table.rows:
        writer.writerow([_field(v) for v in row])
    return buf.getvalue().encode("utf-8")


def zip_tables(tables: Sequence[tb.Table]) -> bytes:
    """Tables as ``<key>.csv`` files in a ZIP archive (fixed timestamps: same input, same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in tables:
            info = zipfile.ZipInfo(f"{table.key}.csv", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, table_csv(table))
    return buf.getvalue()


def scenario_csv_tables(result: ScenarioResult, *, include_home_locations: bool = False) -> dict[str, bytes]:
    """Every table of the scenario report as ``{"<key>.csv": bytes}``."""
    return {f"{t.key}.csv": table_csv(t)
            for t in tb.scenario_tables(result, include_home_locations=include_home_locations)}


def results_csv(result: ScenarioResult) -> bytes:
    """The main results table alone: emissions by category, baseline and scenario. [t CO2e/yr]"""
    return table_csv(tb.category_table(result))


def scenario_csv_zip(result: ScenarioResult, *, include_home_locations: bool = False) -> bytes:
    """A ZIP of every table of the scenario report."""
    return zip_tables(tb.scenario_tables(result, include_home_locations=include_home_locations))


def comparison_csv_zip(results: list[ScenarioResult]) -> bytes:
    """A ZIP of the comparison tables."""
    return zip_tables([tb.comparison_info_table(results), tb.comparison_table(results),
                       tb.comparison_lines_table(results)])
