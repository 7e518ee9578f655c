"""``data``: check the user's offices and staff files, and write the templates."""

from __future__ import annotations

from pathlib import Path

import click

from footprint.cli.common import EXIT_INPUT, main, user_errors
from footprint.safeio import write_atomic


@main.group()
def data() -> None:
    """Import your own offices and staff (CSV or XLSX).

    \b
    Examples:
      python -m footprint data template offices --format xlsx -o offices.xlsx
      python -m footprint data check offices.csv staff.csv
    """


@data.command()
@click.argument("offices", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("staff", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--online", is_flag=True,
              help="Also ask OpenStreetMap Nominatim about places the offline gazetteer cannot match "
                   "(needs the network; 1 request a second).")
@click.option("--area-unit", type=click.Choice(["m2", "ft2"]), default="m2", show_default=True,
              help="Unit of area columns whose header names none.")
@click.option("--all", "show_all", is_flag=True, help="List every problem (default: the first 200 per file).")
@user_errors
def check(offices: Path, staff: Path | None, online: bool, area_unit: str, show_all: bool) -> None:
    """Validate OFFICES (and STAFF) and print every problem with its row.

    Rows are numbered as in a spreadsheet (the header is row 1). Exit code 2
    when any problem is found.
    """
    from footprint.imports import read_sites, read_staff
    from footprint.imports.organisation import site_aliases

    geocoder = None
    if online:
        from footprint.imports.geocode import (
            ChainGeocoder,
            OfflineGeocoder,
            OnlineGeocoder,
        )

        cache = Path.home() / ".cache" / "footprint" / "nominatim.json"
        geocoder = ChainGeocoder(OfflineGeocoder(), OnlineGeocoder(cache_path=cache))
    limit = None if show_all else 200
    sites = read_sites(offices, geocoder=geocoder, area_unit=area_unit)
    click.echo(sites.to_text(limit))
    bad = not sites.ok
    if staff is not None:
        aliases = site_aliases(sites.table) if sites.table is not None else None
        people = read_staff(staff, geocoder=geocoder, site_ids=aliases)
        click.echo(people.to_text(limit))
        bad = bad or not people.ok
    if bad:
        raise SystemExit(EXIT_INPUT)


@data.command()
@click.argument("kind", type=click.Choice(["offices", "staff"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: print a CSV template).")
@user_errors
def template(kind: str, fmt: str, output: Path | None) -> None:
    """Write the template for KIND (offices or staff)."""
    from footprint.imports import template_bytes

    content = template_bytes(kind, fmt)
    if output is None:
        if fmt == "xlsx":
            raise click.UsageError("an .xlsx template needs -o FILE")
        click.echo(content.decode("utf-8"), nl=False)
        return
    write_atomic(output, content)
    click.echo(f"{kind} template written to {output}")
