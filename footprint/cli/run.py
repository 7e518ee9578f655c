"""``run`` and ``compare``: footprints of scenario files, and reports."""

from __future__ import annotations

import json
from pathlib import Path

import click

from footprint.cli.common import EXIT_INPUT, fail, main, user_errors
from footprint.errors import InfeasibleScenario
from footprint.safeio import write_atomic
from footprint.scenario import load_scenario, run_scenario
from footprint.scenario.summary import format_summary, result_to_dict

REPORT_FORMATS = {".pdf": "pdf", ".xlsx": "xlsx", ".csv": "csv", ".zip": "csv"}


def _report_format(path: Path) -> str:
    fmt = REPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        fail(f"cannot tell the report format from '{path.name}'; use a name ending in .pdf, .xlsx, .csv or .zip",
             EXIT_INPUT)
    return fmt  # type: ignore[return-value]


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a report: .pdf, .xlsx, or .csv (a .zip of CSV tables).")
@user_errors
def run(scenario: Path, as_json: bool, report: Path | None) -> None:
    """Compute the footprint of SCENARIO and its change against the baseline."""
    fmt = _report_format(report) if report else None
    result = run_scenario(load_scenario(scenario))
    if as_json:
        click.echo(json.dumps(result_to_dict(result), indent=2))
    else:
        click.echo(format_summary(result))
    if report is not None:
        from footprint.reports import scenario_report

        write_atomic(report, scenario_report(result, fmt))
        click.echo(f"Report written to {report}", err=as_json)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a comparison report: .pdf, .xlsx, or .csv/.zip.")
@user_errors
def compare(scenarios: tuple[Path, ...], as_json: bool, report: Path | None) -> None:
    """Compare two to six SCENARIOS side by side."""
    if not 2 <= len(scenarios) <= 6:
        fail(f"compare takes 2 to 6 scenario files, got {len(scenarios)}", EXIT_INPUT)
    fmt = _report_format(report) if report else None
    results = []
    for p in scenarios:
        try:
            results.append(run_scenario(load_scenario(p)))
        except InfeasibleScenario as e:  # say which of the files it is
            raise InfeasibleScenario([f"{p}: {r}" for r in e.reasons]) from None
    if as_json:
        click.echo(json.dumps([result_to_dict(r) for r in results], indent=2))
    else:
        from footprint.scenario.compare import format_comparison

        click.echo(format_comparison(results))
    if report is not None:
        from footprint.reports import comparison_report

        write_atomic(report, comparison_report(results, fmt))
        click.echo(f"Report written to {report}", err=as_json)
