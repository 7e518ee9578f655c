"""Reports: PDF, XLSX and CSV exports of scenario results, as bytes.

The app offers them as downloads and the CLI writes them to files::

    scenario_report(result, "pdf")            # one scenario against its baseline
    comparison_report([a, b, c], "xlsx")      # two to six scenarios side by side

All exporters build their numbers from :mod:`footprint.reports.tables`, so the
PDF, XLSX and CSV agree with each other and with
:func:`footprint.scenario.summary.result_to_dict`. Staff home coordinates are
exported only with ``include_home_locations=True``.
"""

from __future__ import annotations

from typing import Any

from footprint.reports.csv_export import results_csv, scenario_csv_tables
from footprint.scenario.run import ScenarioResult

__all__ = ["FORMATS", "comparison_report", "results_csv", "scenario_csv_tables", "scenario_report"]

FORMATS = ("pdf", "xlsx", "csv")
"""Report formats; ``"csv"`` is a ZIP archive of several CSV tables."""

MAX_COMPARED = 6


def _check_format(fmt: str) -> str:
    f = str(fmt).lower().lstrip(".")
    if f not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of: {', '.join(FORMATS)} "
                         "('csv' gives a ZIP of CSV tables)")
    return f


def scenario_report(result: ScenarioResult, fmt: str, *, sweep: Any = None,
                    include_home_locations: bool = False) -> bytes:
    """The report of one scenario against its baseline.

    Parameters
    ----------
    result : ScenarioResult
    fmt : str
        ``"pdf"``, ``"xlsx"`` or ``"csv"`` (a ZIP of UTF-8 CSV tables).
    sweep : object, optional
        A hub-count sweep with ``points`` (each with ``n_hubs``, ``total_tco2e``
        [t CO2e/yr] and ``mean_commute_km`` [km]) and optionally ``knee_index``;
        the PDF then shows the Pareto front.
    include_home_locations : bool
        Also export every staff group with its home coordinates (personal data;
        XLSX and CSV only). Default: groups aggregated to 0.25° cells.

    Returns
    -------
    bytes
    """
    f = _check_format(fmt)
    if f == "pdf":
        from footprint.reports.pdf import scenario_pdf

        return scenario_pdf(result, sweep=sweep)
    if f == "xlsx":
        from footprint.reports.xlsx import scenario_xlsx

        return scenario_xlsx(result, include_home_locations=include_home_locations)
    from footprint.reports.csv_export import scenario_csv_zip

    return scenario_csv_zip(result, include_home_locations=include_home_locations)


def comparison_report(results: list[ScenarioResult], fmt: str) -> bytes:
    """The report of two to six scenarios side by side (``"pdf"``, ``"xlsx"`` or ``"csv"`` ZIP)."""
    f = _check_format(fmt)
    results = list(results)
    if not 2 <= len(results) <= MAX_COMPARED:
        raise ValueError(f"a comparison takes 2 to {MAX_COMPARED} scenarios, got {len(results)}")
    if f == "pdf":
        from footprint.reports.pdf import comparison_pdf

        return comparison_pdf(results)
    if f == "xlsx":
        from footprint.reports.xlsx import comparison_xlsx

        return comparison_xlsx(results)
    from footprint.reports.csv_export import comparison_csv_zip

    return comparison_csv_zip(results)
