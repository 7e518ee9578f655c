"""Vectorised validation of table columns, collecting every problem with its row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

import numpy as np

from footprint.errors import InputError, Problem

MAX_ROWS_LISTED = 50


class ColumnChecker:
    """Collects :class:`~footprint.errors.Problem` s for one table.

    Rows are reported 1-based (the first data row is row 1), matching what a user
    sees in a spreadsheet below its header row, unless ``row_numbers`` maps array
    positions to the user's own row numbers.
    """

    def __init__(self, source: str, n_rows: int, row_numbers: Sequence[int] | None = None):
        self.source = source
        self.n_rows = n_rows
        self.row_numbers = (
            np.asarray(row_numbers) if row_numbers is not None else np.arange(1, n_rows + 1)
        )
        self.problems: list[Problem] = []

    def add(self, message: str, row: int | None = None, field: str | None = None) -> None:
        """Record one problem; ``row`` is an array position (0-based) or None."""
        user_row = None if row is None else int(self.row_numbers[row])
        self.problems.append(Problem(message, self.source, user_row, field))

    def flag(self, bad: np.ndarray, field: str, message: str) -> None:
        """Record a problem for every row where ``bad`` is true."""
        for row in np.flatnonzero(bad)[:MAX_ROWS_LISTED]:
            self.add(message, int(row), field)
        extra = int(np.count_nonzero(bad)) - MAX_ROWS_LISTED
        if extra > 0:
            self.add(f"… and {extra} more rows with the same problem", None, field)

    def number(
        self,
        values: object,
        field: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        lo_inclusive: bool = True,
        integer: bool = False,
        unit: str = "",
    ) -> np.ndarray:
        """Return ``values`` as a float array, flagging non-finite or out-of-range rows."""
        arr = np.asarray(values, dtype=float).reshape(-1)
        if arr.shape[0] != self.n_rows:
            self.add(f"has {arr.shape[0]} values but the table has {self.n_rows} rows", None, field)
            return np.zeros(self.n_rows)
        allowed = _range_text(lo, hi, lo_inclusive, unit)
        self.flag(~np.isfinite(arr), field, f"is missing or not a number; expected {allowed}")
        finite = np.isfinite(arr)
        if lo is not None:
            below = finite & ((arr < lo) if lo_inclusive else (arr <= lo))
            self.flag(below, field, f"is out of range; expected {allowed}")
        if hi is not None:
            self.flag(finite & (arr > hi), field, f"is out of range; expected {allowed}")
        if integer:
            self.flag(finite & (arr != np.round(arr)), field, "must be a whole number")
        return arr

    def choice(self, values: Sequence[str], field: str, allowed: Sequence[str]) -> tuple[str, ...]:
        """Return ``values`` as a tuple of str, flagging values not in ``allowed``."""
        vals = tuple(str(v) for v in values)
        ok = set(allowed)
        bad = np.array([v not in ok for v in vals], dtype=bool)
        self.flag(bad, field, f"must be one of: {', '.join(allowed)}")
        return vals

    def unique(self, values: Sequence[str], field: str) -> None:
        """Flag empty and duplicated identifiers."""
        seen: dict[str, int] = {}
        for row, v in enumerate(values):
            if not str(v).strip():
                self.add("is empty; every row needs an identifier", row, field)
            elif v in seen:
                first = int(self.row_numbers[seen[v]])
                self.add(f"'{v}' is a duplicate of row {first}; identifiers must be unique", row, field)
            else:
                seen[v] = row

    def raise_if_any(self, summary: str = "") -> None:
        if self.problems:
            raise InputError(self.problems, summary or f"{len(self.problems)} problem(s) in {self.source}")


def _range_text(lo: float | None, hi: float | None, lo_inclusive: bool, unit: str) -> str:
    u = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        left = "" if lo_inclusive else " (exclusive)"
        return f"a number from {lo:,.10g}{left} to {hi:,.10g}{u}"
    if lo is not None:
        return f"a number {'≥' if lo_inclusive else '>'} {lo:g}{u}"
    if hi is not None:
        return f"a number ≤ {hi:g}{u}"
    return "a number"


class ArrayTableEquality:
    """Value equality for frozen dataclasses of arrays and tuples (NaN equals NaN)."""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(_equal(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))  # type: ignore[arg-type]

    __hash__ = None  # type: ignore[assignment]


def _equal(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape
                and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f")))
    return a == b


def frozen(arr: np.ndarray) -> np.ndarray:
    """A read-only copy of ``arr`` (inputs are immutable)."""
    out = np.array(arr, copy=True)
    out.setflags(write=False)
    return out
