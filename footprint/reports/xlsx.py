"""XLSX workbooks (xlsxwriter): one sheet per shared table.

Numbers are stored as numbers (display formats only round them), units are in
the headers, the header row is frozen and filterable, and every text cell goes
through :func:`~footprint.reports.safety.neutralise` and is written as a string,
never as a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from footprint.reports import tables as tb
from footprint.reports.safety import neutralise, safe_cell
from footprint.scenario.run import ScenarioResult

NUMBER_FORMATS = {"num": "#,##0.0", "int": "#,##0", "pct": "+0.0;-0.0;0.0", "fine": "General"}
MAX_WIDTH = 60.0


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31].strip("'") or "Sheet"
    base, k = name, 2
    while name.lower() in used:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


SHEET_TITLES = {
    "inputs": "Inputs", "policy": "Policy", "factors": "Factors", "by_scope": "By scope",
    "by_category": "By category", "uncertainty": "Uncertainty", "lines": "Lines", "business_travel": "Business travel", "hubs": "Per hub",
    "sites": "Sites", "staff_moves": "Staff by office", "staff_by_area": "Staff by area",
    "commute": "Commute", "commute_distribution": "Commute distribution", "comparison": "Comparison",
    "staff_groups": "Staff groups (personal)", "scenarios": "Scenarios", "comparison_lines": "Lines by scenario",
    "attribution": "What drives the change", "costs": "Cost and payback", "cost_assumptions": "Cost assumptions",
}


def write_tables(tables: Sequence[tb.Table]) -> bytes:
    """A workbook with one sheet per table: title row, header row (frozen) and data."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False, "nan_inf_to_errors": False})
    title_fmt = wb.add_format({"bold": True, "font_size": 12})
    note_fmt = wb.add_format({"italic": True, "font_color": "#555555"})
    head_fmt = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E1EBF5",
                              "bottom": 1})
    text_fmt = wb.add_format({"valign": "top"})
    num_fmts = {k: wb.add_format({"num_format": v, "valign": "top"}) for k, v in NUMBER_FORMATS.items()}
    used: set[str] = set()
    for table in tables:
        ws = wb.add_worksheet(_sheet_name(SHEET_TITLES.get(table.key, table.title), used))
        ws.write_string(0, 0, neutralise(table.title), title_fmt)
        if table.note:
            ws.write_string(1, 0, neutralise(table.note), note_fmt)
        head_row = 3
        ws.set_row(head_row, 30)
        for k, col in enumerate(table.columns):
            ws.write_string(head_row, k, neutralise(col.header), head_fmt)
            width = max(col.width, min(len(col.header) * 0.6, 24))
            ws.set_column(k, k, min(width, MAX_WIDTH), None)
        for i, row in enumerate(table.rows, start=head_row + 1):
            for k, (col, value) in enumerate(zip(table.columns, row, strict=True)):
                _write(ws, i, k, value, col, text_fmt, num_fmts)
        ws.freeze_panes(head_row + 1, 0)
        if table.rows:
            ws.autofilter(head_row, 0, head_row + len(table.rows), len(table.columns) - 1)
    wb.close()
    return buf.getvalue()


def _write(ws: Any, row: int, col: int, value: Any, column: tb.Column, text_fmt: Any, num_fmts: dict) -> None:
    if value is None:
        ws.write_blank(row, col, None, text_fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "yes" if value else "no", text_fmt)
    elif isinstance(value, int | float):
        v = float(value)
        if math.isfinite(v):
            ws.write_number(row, col, value, num_fmts.get(column.kind, num_fmts["fine"]))
        else:
            ws.write_blank(row, col, None, text_fmt)
    else:
        ws.write_string(row, col, safe_cell(str(value)), text_fmt)


def scenario_xlsx(result: ScenarioResult, *, include_home_locations: bool = False) -> bytes:
    """The workbook of one scenario against its baseline."""
    return write_tables(tb.scenario_tables(result, include_home_locations=include_home_locations))


def comparison_xlsx(results: list[ScenarioResult]) -> bytes:
    """The workbook of several scenarios side by side."""
    factors: dict[tuple, Any] = {}
    for r in results:
        for f in tb.factors_used(r):
            factors.setdefault((f.key, f.set_id, f.value, f.year, f.source), f)
    return write_tables([
        tb.comparison_info_table(results), tb.comparison_table(results), tb.comparison_lines_table(results),
        tb.factor_table(sorted(factors.values(), key=lambda f: (f.key, f.set_id))),
    ])
