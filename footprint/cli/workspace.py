"""``workspace``: list, create, export and import workspaces of the workspace store."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from footprint.cli.common import EXIT_INPUT, fail, main, user_errors


def _store(db: str | None):  # noqa: ANN202 - imported lazily (SQLAlchemy is only needed here)
    from footprint.store import Store

    return Store(db)


def _user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


DB = click.option(
    "--db",
    envvar="FOOTPRINT_DB",
    default=None,
    metavar="URL",
    help="Database URL (default: $FOOTPRINT_DB, else a SQLite file in the user's data directory).",
)


@main.group()
def workspace() -> None:
    """Workspaces: saved organisations, scenarios and results, opened by a link token.

    \b
    Examples:
      python -m footprint workspace create "Estates review 2026"
      python -m footprint workspace list
      python -m footprint workspace export TOKEN -o review.zip
      python -m footprint workspace import review.zip
      python -m footprint workspace delete TOKEN
    """


@workspace.command("list")
@DB
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@user_errors
def list_(db: str | None, as_json: bool) -> None:
    """List the workspaces in the store (names and counts; no data, no tokens)."""
    rows = _store(db).list_workspaces()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": w.id,
                        "name": w.name,
                        "created_at": w.created_at.isoformat(),
                        "created_by": w.created_by,
                        "organisations": w.n_organisations,
                        "scenarios": w.n_scenarios,
                        "results": w.n_results,
                        "active_links": w.n_active_tokens,
                        "owner": w.owner,  # OIDC issuer and subject; None: link only
                    }
                    for w in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        click.echo(
            "No workspaces yet. Create one: python -m footprint workspace create NAME"
        )
        return
    click.echo(
        f"{'created (UTC)':<17}  {'org':>3}  {'scen':>4}  {'res':>4}  {'links':>5}  name"
    )
    for w in rows:
        click.echo(
            f"{w.created_at:%Y-%m-%d %H:%M}  {w.n_organisations:>3}  {w.n_scenarios:>4}  {w.n_results:>4}  "
            f"{w.n_active_tokens:>5}  {w.name}"
            + (f"  (owner: {w.owner})" if w.owner else "")
        )


@workspace.command()
@click.argument("name")
@DB
@user_errors
def create(name: str, db: str | None) -> None:
    """Create a workspace NAME and print its link token (shown once: keep it safe)."""
    ws, token = _store(db).create_workspace(name, _user())
    click.echo(
        f"Created workspace “{ws.name}”. Its token (shown once; anyone holding it can open the workspace):"
    )
    click.echo(token)


@workspace.command()
@click.argument("token")
@DB
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The zip file to write.",
)
@user_errors
def export(token: str, db: str | None, output: Path) -> None:
    """Write the workspace TOKEN opens as a zip (scenario TOML, aggregated data as CSV, results)."""
    from footprint.store import export_zip

    store = _store(db)
    ws = store.open(token)
    if ws is None:
        fail(
            "no workspace opens with this token (wrong, revoked, or deleted)",
            EXIT_INPUT,
        )
        return
    data = export_zip(store, ws)
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(output)  # never a half-written zip
    click.echo(f"Wrote {output} ({len(data):,} bytes) from workspace “{ws.name}”.")


@workspace.command("import")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@DB
@click.option(
    "--name",
    default=None,
    help="Name of the new workspace (default: the exported one's).",
)
@user_errors
def import_(archive: Path, db: str | None, name: str | None) -> None:
    """Restore an exported workspace ARCHIVE as a new workspace; print its link token."""
    from footprint.store import import_zip

    ws, token = import_zip(
        _store(db), archive.read_bytes(), _user(), name=name, source=archive.name
    )
    click.echo(f"Imported “{ws.name}” from {archive}. Its token (shown once):")
    click.echo(token)


@workspace.command()
@click.argument("token", required=False)
@DB
@click.option(
    "--id",
    "workspace_id",
    default=None,
    help="Delete by id (from `workspace list`) instead of token.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@user_errors
def delete(
    token: str | None, db: str | None, workspace_id: str | None, yes: bool
) -> None:
    """Delete the workspace TOKEN opens (or --id) and everything in it. This cannot be undone."""
    store = _store(db)
    if (token is None) == (workspace_id is None):
        fail("give either a TOKEN or --id", EXIT_INPUT)
        return
    ws = store.open(token) if token is not None else None
    if token is not None and ws is None:
        fail(
            "no workspace opens with this token (wrong, revoked, or deleted)",
            EXIT_INPUT,
        )
        return
    wid = ws.id if ws is not None else workspace_id
    if not yes and not click.confirm(
        f"Delete workspace {wid} and all its data?", default=False
    ):
        click.echo("Nothing deleted.")
        return
    if not store.delete_workspace_by_id(wid):  # type: ignore[arg-type]
        fail(f"no workspace with id {wid}", EXIT_INPUT)
    click.echo(f"Deleted workspace {wid} and its data.")
