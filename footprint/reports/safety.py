"""Spreadsheet formula-injection neutralising (OWASP "CSV injection").

A spreadsheet program treats a cell whose text starts with ``=``, ``+``, ``-``
or ``@`` (and, in some programs, a tab or carriage return) as a formula, so a
site called ``=HYPERLINK(...)`` in the user's data could run when an auditor
opens the export. Every text cell the XLSX and CSV writers emit passes through
:func:`neutralise`, which prefixes such text with an apostrophe so that it is
shown as typed. Numbers are written as numbers and need no treatment.
"""

from __future__ import annotations

from typing import Any

#: Leading characters that make a spreadsheet evaluate a cell.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell.

    Examples
    --------
    >>> neutralise("=1+1")
    "'=1+1"
    >>> neutralise("Leeds")
    'Leeds'
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(value: Any) -> Any:
    """A cell value with any text neutralised; numbers, booleans and None unchanged."""
    if isinstance(value, str):
        return neutralise(value)
    return value
