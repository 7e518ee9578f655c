"""``study run`` and ``study report``: many solves on Dask, and their front."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from footprint.cli.common import EXIT_CANCELLED, EXIT_INPUT, fail, main, user_errors


@main.group()
def study() -> None:
    """Studies: a grid of levers × Monte Carlo draws, on this machine or a Dask cluster.

    \b
    Examples:
      python -m footprint study run scenarios/study-hubs.toml --out results.parquet
      python -m footprint study run study.toml --out results.parquet --scheduler tcp://host:8786
      python -m footprint study report results.parquet --out front.pdf
    """


@study.command("run")
@click.argument("study_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results file (.parquet or .csv). Written as points finish; an existing file of the same "
    "study is resumed.",
)
@click.option(
    "--scheduler",
    envvar="DASK_SCHEDULER_ADDRESS",
    show_envvar=True,
    help="Address of an existing Dask scheduler, e.g. tcp://host:8786 (default: a local cluster).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    help="Worker processes of the local cluster (default: one per core).",
)
@click.option(
    "--serial",
    is_flag=True,
    help="Run in this process, one task after another (no Dask).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@user_errors
def run(
    study_file: Path,
    out: Path,
    scheduler: str | None,
    workers: int | None,
    serial: bool,
    quiet: bool,
) -> None:
    """Run every grid point of STUDY_FILE and write one row per point to --out."""
    from footprint.study import load_study, run_study
    from footprint.study.results import results_format

    spec = load_study(study_file)
    results_format(out)
    if not out.parent.exists():
        fail(f"the folder of --out does not exist: {out.parent}", EXIT_INPUT)
    n = len(spec.points())
    bar = tqdm(
        total=n,
        desc=spec.name[:40],
        unit="point",
        disable=quiet,
        file=sys.stderr,
        leave=False,
    )

    def progress(done: int, total: int, message: str) -> None:
        bar.n = done
        bar.set_postfix_str(message[:50], refresh=True)

    try:
        result = run_study(
            spec,
            out,
            engine="serial" if serial else "dask",
            scheduler=scheduler,
            n_workers=workers,
            progress=progress,
        )
    except KeyboardInterrupt:
        bar.close()
        fail(
            f"cancelled; the finished points are in {out}: run the same command again to resume",
            EXIT_CANCELLED,
        )
    finally:
        bar.close()
    feasible = sum(bool(r["feasible"]) for r in result.rows)
    click.echo(
        f"{result.total} points ({feasible} feasible), {spec.draws:,} draws each: {result.computed} computed, "
        f"{result.reused} resumed from {out}; {result.seconds:.1f} s on {result.engine}. Results in {out}"
    )
    hit = [r["point"] for r in result.rows if r.get("hit_time_limit")]
    if hit:
        click.echo(
            f"warning: {len(hit)} point(s) hit the optimiser's time limit ({spec.base.optimiser.time_limit_s:g} s; "
            f"points {', '.join(map(str, hit[:10]))}{' …' if len(hit) > 10 else ''}): their hubs may differ from "
            "run to run; raise [optimiser] time_limit_s for results that are the same anywhere",
            err=True,
        )


@study.command("report")
@click.argument("results_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report file: .pdf or .xlsx.",
)
@user_errors
def report(results_file: Path, out: Path) -> None:
    """Turn a study's RESULTS_FILE into the front (PDF or XLSX)."""
    from footprint.study.report import REPORT_FORMATS, study_report
    from footprint.study.results import read_results, write_atomically

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        fail(f"{out}: use a .pdf or .xlsx file for the report", EXIT_INPUT)
    data = study_report(read_results(results_file), fmt)
    write_atomically(data, out)
    click.echo(f"Study report written to {out}")
