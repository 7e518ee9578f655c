"""Vectorised per-row checks: each bad cell becomes a Problem with its spreadsheet row.

A :class:`RowChecker` marks rows invalid and records one
:class:`~footprint.errors.Problem` per bad cell (never "and N more": the user
must be able to see every row that will not be imported).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from footprint.errors import Problem
from footprint.imports.tables import RawTable

_TRUE = {"true", "yes", "y", "1", "t", "x"}
_FALSE = {"false", "no", "n", "0", "f", ""}
_THOUSANDS = r"^-?\d{1,3}(,\d{3})+(\.\d+)?$"


class RowChecker:
    """Collects problems for one file.

    Parameters
    ----------
    table : RawTable
    columns : dict
        Our field → position of its column in ``table`` (see
        :class:`~footprint.imports.fields.ColumnMatch`).
    """

    def __init__(self, table: RawTable, columns: dict[str, int]):
        self.table = table
        self.source = table.source
        self.n = table.frame.shape[0]
        self.rows = table.row_numbers
        self.table_columns = dict(columns)
        self.headers = {f: table.headers[i] for f, i in columns.items()}
        self.bad = np.zeros(self.n, dtype=bool)
        self.problems: list[Problem] = []

    def header(self, field: str) -> str:
        return self.headers.get(field, field)

    def flag(self, mask: np.ndarray, field: str, message: str | Callable[[int], str]) -> None:
        """Mark rows where ``mask`` is true as invalid, with a message (text or f(position))."""
        pos = np.flatnonzero(mask)
        if pos.size == 0:
            return
        self.bad[pos] = True
        col = self.header(field)
        rows = self.rows[pos].tolist()
        if callable(message):
            self.problems.extend(Problem(message(int(p)), self.source, r, col) for p, r in zip(pos, rows, strict=True))
        else:
            self.problems.extend(Problem(message, self.source, r, col) for r in rows)

    def text(self, field: str) -> pd.Series | None:
        """The column's cells as stripped text, or None if the file has no such column."""
        return self.table.frame[self.table_columns[field]] if field in self.table_columns else None

    def number(self, field: str, *, required: bool, lo: float | None = None, hi: float | None = None,
               lo_exclusive: bool = False, integer: bool = False, unit: str = "", example: str = "",
               scale: float = 1.0) -> np.ndarray:
        """Parse a numeric column; NaN where empty (flagged if ``required``) or invalid (flagged).

        ``scale`` converts the user's unit to ours (e.g. ft² → m²); ranges are in our unit.
        """
        cells = self.text(field)
        if cells is None:
            return np.full(self.n, np.nan)
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
        empty = (cells == "").to_numpy()
        retry = np.isnan(values) & ~empty
        if retry.any():
            sub = cells[retry].str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
            if self.table.decimal_comma:
                sub = sub.str.replace(",", ".", regex=False)
            else:
                sub = sub.where(~sub.str.match(_THOUSANDS), sub.str.replace(",", "", regex=False))
            values[retry] = pd.to_numeric(sub, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        values = values * scale
        u = f" [{unit}]" if unit else ""
        ex = f", e.g. {example}" if example else ""
        col = self.header(field)
        invalid = (np.isnan(values) & ~empty) | np.isinf(values)
        cell_list = cells.to_numpy()
        self.flag(invalid, field, lambda p: f"'{cell_list[p]}' is not a number; enter a number{u}{ex}")
        if required:
            self.flag(empty, field, f"is empty; enter a number{u}{ex}")
        finite = np.isfinite(values)
        if lo is not None:
            below = finite & ((values <= lo) if lo_exclusive else (values < lo))
            rel = ">" if lo_exclusive else "≥"
            self.flag(below, field, lambda p: f"{_fmt(values[p] / scale)} is out of range; '{col}' must be "
                      f"{rel} {lo:g}{u}")
        if hi is not None:
            self.flag(finite & (values > hi), field,
                      lambda p: f"{_fmt(values[p] / scale)} is out of range; '{col}' must be ≤ {hi:g}{u}")
        if integer:
            self.flag(finite & (values != np.round(values)), field,
                      lambda p: f"{_fmt(values[p])} is not a whole number; enter a whole number{u}")
        values[~finite] = np.nan
        return values

    def boolean(self, field: str, default: bool) -> np.ndarray:
        cells = self.text(field)
        if cells is None:
            return np.full(self.n, default)
        low = cells.str.lower()
        true = low.isin(_TRUE).to_numpy()
        false = low.isin(_FALSE).to_numpy()
        cell_list = cells.to_numpy()
        self.flag(~true & ~false, field, lambda p: f"'{cell_list[p]}' is not yes/no; enter yes or no "
                  "(true/false, 1/0 also work)")
        out = true.copy()
        out[(cells == "").to_numpy()] = default
        return out

    def problems_sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.row if p.row is not None else 0))


def _fmt(v: float) -> str:
    return f"{v:.10g}"


def canonical(values: pd.Series, table: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Map each distinct text value through ``normalise → table`` once.

    Returns
    -------
    mapped : ndarray of object
        The canonical value, or None where unknown.
    codes : ndarray of int
        Category code of each row (for fast grouping).
    """
    codes, uniques = pd.factorize(values, sort=False)
    mapped_u = np.array([table.get(" ".join(re.sub(r"[^a-z0-9]+", " ", str(u).lower()).split()))
                         for u in uniques] + [None], dtype=object)
    return mapped_u[codes], codes
