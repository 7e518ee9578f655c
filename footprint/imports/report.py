"""The result of reading one file: the valid rows as a table, and every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from footprint.errors import InputError, Problem
from footprint.imports.tables import ROW_CONVENTION


@dataclass(frozen=True, eq=False)
class ImportReport:
    """What reading a sites or staff file found.

    The app shows :attr:`problems` and offers "import the :attr:`n_valid` valid
    rows" (use :attr:`table`) or "fix the file". Nothing is dropped without
    being listed: every row not in :attr:`table` has at least one problem, and
    :attr:`invalid_rows` lists them.

    Attributes
    ----------
    source : str
        The file name.
    kind : str
        ``"sites"`` or ``"staff"``.
    table : Sites or StaffGroups or None
        Built from the valid rows only (staff aggregated to groups); None when no
        row is valid or the columns cannot be matched.
    problems : tuple of Problem
        Every problem; ``row`` is the spreadsheet row (header = row 1, first data
        row = row 2), None for file-level problems; ``field`` is the user's header.
    n_rows, n_valid : int
        Data rows read, and rows without problems.
    column_map : dict
        The user's header → Footprint's field.
    unmatched_columns : tuple of str
        Headers that match no field (ignored).
    units : dict
        Field → unit the values were read in (``"m2"`` or ``"ft2"``).
    invalid_rows : tuple of int
        Spreadsheet rows not imported.
    notes : tuple of str
        Things done to the data worth knowing (unit conversions, geocoded places,
        aggregation, which sheet and header row were read).
    rejected_sites : tuple of str
        Offices files only: the ids and names of the rows left out, so that a
        staff file naming them is told so once, not row by row.
    """

    source: str
    kind: str
    table: Any
    problems: tuple[Problem, ...]
    n_rows: int
    n_valid: int
    column_map: dict[str, str] = field(default_factory=dict)
    unmatched_columns: tuple[str, ...] = ()
    units: dict[str, str] = field(default_factory=dict)
    invalid_rows: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    rejected_sites: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every row is valid and there is no file-level problem."""
        return not self.problems and self.table is not None

    @property
    def n_invalid(self) -> int:
        return self.n_rows - self.n_valid

    def error(self) -> InputError:
        """The problems as an :class:`InputError` (for strict callers)."""
        return InputError(list(self.problems), self.headline())

    def raise_if_problems(self) -> None:
        if self.problems or self.table is None:
            raise self.error()

    def headline(self) -> str:
        n = len(self.problems)
        if not n:
            return f"{self.source}: {self.n_rows:,} rows, all valid"
        return (f"{self.source}: {n:,} problem{'s' if n != 1 else ''}; {self.n_valid:,} of {self.n_rows:,} rows "
                f"are valid ({ROW_CONVENTION})")

    def to_text(self, limit: int | None = 200) -> str:
        """A plain-text report: the headline, how columns were matched, every problem."""
        lines = [self.headline()]
        if self.column_map:
            lines.append("  columns: " + ", ".join(f"'{k}' → {v}" for k, v in self.column_map.items()))
        if self.unmatched_columns:
            lines.append("  ignored columns (no match; use a mapping if one matters): "
                         + ", ".join(f"'{c}'" for c in self.unmatched_columns))
        lines.extend(f"  note: {n}" for n in self.notes)
        shown = self.problems if limit is None else self.problems[:limit]
        lines.extend(f"  - {p}" for p in shown)
        if len(shown) < len(self.problems):
            lines.append(f"  … and {len(self.problems) - len(shown):,} more problems")
        return "\n".join(lines)
