"""Errors that carry user-facing messages: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in the user's input.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it, in plain words.
    source : str
        The file or table the problem is in (e.g. ``"offices.csv"``, ``"policy"``).
    row : int or None
        1-based data row (the header is row 0) for tabular input, else None.
    field : str or None
        The column or key the problem is in.
    """

    message: str
    source: str = ""
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.source] if self.source else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class FootprintError(Exception):
    """Base class of the errors Footprint reports to its users."""


class InputError(FootprintError, ValueError):
    """Invalid input: carries every :class:`Problem` found, not only the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str = ""):
        self.problems = tuple(problems)
        n = len(self.problems)
        head = summary or f"{n} problem{'s' if n != 1 else ''} in the input"
        shown = "\n".join(f"  - {p}" for p in self.problems[:20])
        more = f"\n  … and {n - 20} more" if n > 20 else ""
        super().__init__(f"{head}:\n{shown}{more}" if n else head)

    @property
    def first_line(self) -> str:
        """A one-line summary, for command-line errors."""
        if not self.problems:
            return str(self)
        extra = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{self.problems[0]}{extra}"


class ScenarioError(InputError):
    """A scenario file that cannot be read or is invalid."""


class InfeasibleScenario(FootprintError):
    """The scenario has no feasible answer; ``reasons`` says why in words."""

    def __init__(self, reasons: list[str] | tuple[str, ...]):
        self.reasons = tuple(reasons)
        super().__init__("The scenario is infeasible: " + "; ".join(self.reasons))
