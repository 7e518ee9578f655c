"""Templates for the offices and staff files, as CSV (shipped) or XLSX (made here)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from footprint.errors import InputError, Problem
from footprint.imports.fields import SITE_FIELDS, STAFF_FIELDS, FieldSpec

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
KINDS = {"offices": ("offices_template.csv", SITE_FIELDS), "staff": ("staff_template.csv", STAFF_FIELDS)}
FORMATS = ("csv", "xlsx")


def _kind(kind: str) -> tuple[str, tuple[FieldSpec, ...]]:
    k = {"sites": "offices", "office": "offices", "people": "staff"}.get(kind, kind)
    if k not in KINDS:
        raise InputError([Problem(f"unknown template '{kind}'; use 'offices' or 'staff'", "template", None, "kind")])
    return KINDS[k]


def template_rows(kind: str) -> list[list[str]]:
    """The template's header and example rows."""
    fname, _ = _kind(kind)
    with (TEMPLATE_DIR / fname).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def template_bytes(kind: str, fmt: str = "csv") -> bytes:
    """The ``"offices"`` or ``"staff"`` template as ``"csv"`` or ``"xlsx"`` bytes.

    The XLSX has the example rows on its first sheet and a second sheet
    describing every column.
    """
    fname, specs = _kind(kind)
    if fmt == "csv":
        return (TEMPLATE_DIR / fname).read_bytes()
    if fmt != "xlsx":
        raise InputError([Problem(f"unknown format '{fmt}'; use 'csv' or 'xlsx'", "template", None, "format")])
    import xlsxwriter

    rows = template_rows(kind)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    ws = wb.add_worksheet(kind)
    for c, h in enumerate(rows[0]):
        ws.write_string(0, c, h, bold)
        ws.set_column(c, c, max(12, len(h) + 2))
    for r, row in enumerate(rows[1:], start=1):
        for c, v in enumerate(row):
            if v == "":
                continue
            try:
                ws.write_number(r, c, float(v))
            except ValueError:
                ws.write_string(r, c, v)
    ws.freeze_panes(1, 0)
    doc = wb.add_worksheet("columns")
    for c, h in enumerate(("column", "required", "what to put in it", "also recognised as")):
        doc.write_string(0, c, h, bold)
    for r, s in enumerate(specs, start=1):
        doc.write_string(r, 0, s.name)
        doc.write_string(r, 1, "yes" if s.required else "no")
        doc.write_string(r, 2, s.help)
        doc.write_string(r, 3, ", ".join(s.synonyms[1:]))
    doc.set_column(0, 0, 24)
    doc.set_column(2, 2, 80)
    doc.set_column(3, 3, 60)
    wb.close()
    return buf.getvalue()
