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
_THOUSANDS_DOT = r"-?\d{1,3}(\.\d{3})+(,\d+)?"  #: 1.800 or 1.234.567,5 (a ';' file's thousands dots)


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
        self.formulas: dict[str, np.ndarray] = {}
        if table.formula_cells:  # XLSX formulas with no saved value: read as empty, so say so
            pos = {int(r): i for i, r in enumerate(self.rows)}
            for f, c in columns.items():
                mask = np.zeros(self.n, dtype=bool)
                mask[[pos[r] for r, cc in table.formula_cells if cc == c and r in pos]] = True
                if mask.any():
                    self.formulas[f] = mask
                    self.flag(mask, f, "holds a formula without a saved value (the workbook was written by a "
                              "program and never recalculated), so it reads as empty; open and save it in Excel "
                              "(or LibreOffice), or write the values instead of formulas")

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

    def flag_grouped(self, mask: np.ndarray, field: str, keys: np.ndarray, message: Callable[[int], str]) -> None:
        """Mark rows where ``mask`` is true as invalid, with ONE problem per distinct ``keys`` value.

        ``message(p)`` is the text for the value at position ``p`` (its first row);
        the row count and the first rows are appended, so a town named on 188
        rows is one line, not 188.
        """
        pos = np.flatnonzero(mask)
        if pos.size == 0:
            return
        self.bad[pos] = True
        col = self.header(field)
        codes, _ = pd.factorize(pd.Series(np.asarray(keys, dtype=object)[pos]), sort=False)
        for c in range(int(codes.max()) + 1):
            members = pos[codes == c]
            rows = self.rows[members]
            text = message(int(members[0]))
            if members.size > 1:
                first = ", ".join(str(r) for r in rows[:5].tolist())
                text += f" ({members.size:,} rows: {first}{', …' if members.size > 5 else ''})"
            self.problems.append(Problem(text, self.source, int(rows[0]), col))

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
        cell_list = cells.to_numpy()
        empty = (cells == "").to_numpy()
        ambiguous = np.zeros(self.n, dtype=bool)
        if self.table.decimal_comma:  # ';' files: ',' is the decimal mark, '.' may group thousands
            values = np.full(self.n, np.nan)
            sub = cells.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
            dotted = sub.str.fullmatch(_THOUSANDS_DOT).to_numpy(dtype=bool)
            style = self.table.number_style
            if style == "comma":  # the file writes 52,5: so 1.800 is one thousand eight hundred
                sub = sub.where(~dotted, sub.str.replace(".", "", regex=False))
            elif style != "dot":
                ambiguous = dotted & ~empty
            sub = sub.where(sub.str.contains(".", regex=False) & ~dotted, sub.str.replace(",", ".", regex=False))
            values[:] = pd.to_numeric(sub, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        else:
            values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
            retry = np.isnan(values) & ~empty
            if retry.any():
                sub = cells[retry].str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
                sub = sub.where(~sub.str.match(_THOUSANDS), sub.str.replace(",", "", regex=False))
                values[retry] = pd.to_numeric(sub, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        values = values * scale
        # ranges are in our unit; messages speak the user's unit (e.g. ft² when the column is in ft²)
        u = f" [{unit}]" if unit else ""
        ex = f", e.g. {example}" if example else ""
        col = self.header(field)
        self.flag(ambiguous, field, lambda p: f"'{cell_list[p]}' is ambiguous in a ';' file: the file shows no "
                  f"decimal mark elsewhere, so it may mean {cell_list[p].replace('.', '')} or "
                  f"{cell_list[p].replace(',', '.')}; write it without the thousands dot (e.g. "
                  f"{cell_list[p].replace('.', '')}) or with a decimal comma")
        values[ambiguous] = np.nan
        invalid = ((np.isnan(values) & ~empty) | np.isinf(values)) & ~ambiguous
        self.flag(invalid, field, lambda p: f"'{cell_list[p]}' is not a number; enter a number{u}{ex}")
        if required:
            self.flag(empty & ~self.formulas.get(field, False), field, f"is empty; enter a number{u}{ex}")
        finite = np.isfinite(values)
        if lo is not None:
            below = finite & ((values <= lo) if lo_exclusive else (values < lo))
            rel = ">" if lo_exclusive else "≥"
            self.flag(below, field, lambda p: f"{cell_list[p]} is out of range; '{col}' must be "
                      f"{rel} {lo / scale:,.10g}{u}")
            finite &= ~below
        if hi is not None:
            above = finite & (values > hi)
            self.flag(above, field, lambda p: f"{cell_list[p]} is out of range; '{col}' must be ≤ "
                      f"{hi / scale:,.10g}{u} (a plausible upper bound: check the value and its unit)")
            finite &= ~above
        if integer:
            self.flag(finite & (values != np.round(values)), field,
                      lambda p: f"{cell_list[p]} is not a whole number; enter a whole number{u}")
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
