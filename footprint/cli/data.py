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
@click.option("--map", "mappings", multiple=True, metavar="'HEADER=FIELD'",
              help="Map one of your column headers to a Footprint field, e.g. --map 'Building ref=site_id' "
                   "(repeatable; applies to whichever file has the header).")
@click.option("--valid-rows-only", is_flag=True,
              help="Accept the files if their valid rows can be imported: list every row left out, and exit 0 "
                   "unless a whole file cannot be used.")
@click.option("--sheet", help="Workbook sheet to read (default: the sheet holding the table).")
@click.option("--header-row", type=click.IntRange(min=1), metavar="N",
              help="Row number of the header (1 = the first row of the file or sheet, as a spreadsheet shows it; "
                   "default: found automatically, skipping title rows).")
@user_errors
def check(offices: Path, staff: Path | None, online: bool, area_unit: str, show_all: bool,
          mappings: tuple[str, ...], valid_rows_only: bool, sheet: str | None, header_row: int | None) -> None:
    """Validate OFFICES (and STAFF) and print every problem with its row.

    Rows are numbered as in a spreadsheet (the header is row 1). Exit code 2
    when any problem is found (with --valid-rows-only: when a file cannot be
    used at all).
    """
    from footprint.imports import read_sites, read_staff
    from footprint.imports.organisation import (
        site_aliases,
        site_locations,
        unused_mapping_problems,
    )

    mapping = _parse_mappings(mappings)

    geocoder = None
    if online:
        from footprint.imports.geocode import (
            ChainGeocoder,
            OfflineGeocoder,
            OnlineGeocoder,
        )

        cache = Path.home() / ".cache" / "footprint" / "nominatim.json"
        geocoder = ChainGeocoder(OfflineGeocoder(), OnlineGeocoder(cache_path=cache))
    limit = None if show_all or valid_rows_only else 200
    sites = read_sites(offices, geocoder=geocoder, area_unit=area_unit, mapping=mapping, mapping_optional=True,
                       sheet=sheet, header_row=header_row)
    click.echo(sites.to_text(limit))
    reports = [sites]
    if staff is not None:
        aliases = site_aliases(sites.table) if sites.table is not None else None
        places = site_locations(sites.table) if sites.table is not None else None
        people = read_staff(staff, geocoder=geocoder, site_ids=aliases, mapping=mapping, mapping_optional=True,
                            rejected_sites=sites.rejected_sites, sheet=sheet, header_row=header_row,
                            site_locations=places)
        click.echo(people.to_text(limit))
        reports.append(people)
    unused = unused_mapping_problems(mapping, reports, "--map")
    for p in unused:
        click.echo(f"  - {p}")
    if valid_rows_only:
        for r in reports:
            if r.invalid_rows and r.table is not None:
                click.echo(f"{r.source}: {len(r.invalid_rows):,} rows left out: "
                           + ", ".join(str(x) for x in r.invalid_rows))
        usable = all(r.table is not None and not any(p.row is None for p in r.problems) for r in reports)
        if usable and not unused:
            click.echo("The valid rows can be imported (with valid_rows_only = true in [organisation]).")
            return
        raise SystemExit(EXIT_INPUT)
    if unused or not all(r.ok for r in reports):
        raise SystemExit(EXIT_INPUT)


def _parse_mappings(mappings: tuple[str, ...]) -> dict[str, str] | None:
    """``('Building ref=site_id', …)`` → ``{'Building ref': 'site_id'}``."""
    out: dict[str, str] = {}
    for m in mappings:
        header, sep, field = m.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise click.BadParameter(f"'{m}' is not HEADER=FIELD; e.g. --map 'Building ref=site_id'",
                                     param_hint="--map")
        out[header.strip()] = field.strip()
    return out or None


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
