"""The user's own data: offices and staff from CSV/XLSX, geocoded and validated row by row.

Main entry points:

- :func:`read_sites`, :func:`read_staff`: one file each → :class:`ImportReport`
  (the valid rows as a table, and every problem with its spreadsheet row);
- :func:`read_organisation`: strict, for scenario files (``[organisation]
  source = "files"``); raises :class:`~footprint.errors.InputError` listing every
  problem;
- :func:`build_organisation`: cross-checks sites and staff;
- :func:`aggregate_staff`: homes to a coarse grid (privacy);
- :func:`template_bytes`: the offices and staff templates as CSV or XLSX.

See ``docs/data-import.md``.
"""

from footprint.imports.geocode import Match, OfflineGeocoder, OnlineGeocoder
from footprint.imports.organisation import (
    build_organisation,
    read_collaboration,
    read_organisation,
)
from footprint.imports.report import ImportReport
from footprint.imports.sites import read_sites
from footprint.imports.staff import (
    GRID_DEG_LAT,
    GRID_DEG_LON,
    aggregate_staff,
    read_staff,
)
from footprint.imports.tables import MAX_BYTES, MAX_ROWS, ROW_CONVENTION
from footprint.imports.templates import template_bytes

__all__ = [
    "GRID_DEG_LAT",
    "GRID_DEG_LON",
    "MAX_BYTES",
    "MAX_ROWS",
    "ROW_CONVENTION",
    "ImportReport",
    "Match",
    "OfflineGeocoder",
    "OnlineGeocoder",
    "aggregate_staff",
    "build_organisation",
    "read_collaboration",
    "read_organisation",
    "read_sites",
    "read_staff",
    "template_bytes",
]
