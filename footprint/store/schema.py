"""The store's tables and its versioned migrations (applied when a store opens).

Each migration is a function of a connection, run inside one transaction with
the version bump, so a store is always at exactly one version. Add a new
migration at the end of :data:`MIGRATIONS`; never edit a released one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)

metadata = MetaData()

NAME = 200  #: longest name of a workspace, scenario or comparison set [characters]
OWNER = 600  #: longest owner id: an OIDC issuer URL and subject, see ``store.owner_id`` [characters]
_CASCADE = {"ondelete": "CASCADE"}

schema_version = Table(
    "footprint_schema_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(NAME), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # who owns it when the app has login (OIDC issuer + subject); NULL: reached by link token only
    Column("owner", String(OWNER), nullable=True),
)
workspaces_owner_index = Index("ix_workspaces_owner", workspaces.c.owner)

access_tokens = Table(
    "access_tokens",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column(
        "workspace_id",
        String(32),
        ForeignKey("workspaces.id", **_CASCADE),
        nullable=False,
        index=True,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(NAME), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column(
        "workspace_id",
        String(32),
        ForeignKey("workspaces.id", **_CASCADE),
        nullable=False,
        index=True,
    ),
    Column("name", String(NAME), nullable=False),
    Column("n_sites", Integer, nullable=False),
    Column("staff", Float, nullable=False),  # [people]
    Column(
        "data", LargeBinary, nullable=False
    ),  # zlib-compressed JSON, see orgdata.organisation_to_dict
    Column(
        "import_report", Text, nullable=False
    ),  # JSON list of orgdata.report_to_dict
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(NAME), nullable=False),
)

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "workspace_id",
        String(32),
        ForeignKey("workspaces.id", **_CASCADE),
        nullable=False,
    ),
    Column("name", String(NAME), nullable=False),
    Column("toml", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(NAME), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_scenarios_workspace_name"),
)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "workspace_id",
        String(32),
        ForeignKey("workspaces.id", **_CASCADE),
        nullable=False,
        index=True,
    ),
    Column("scenario_name", String(NAME), nullable=False),
    Column(
        "summary", Text, nullable=False
    ),  # JSON of footprint.scenario.summary.result_to_dict
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(NAME), nullable=False),
)

comparison_items = Table(
    "comparison_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "workspace_id",
        String(32),
        ForeignKey("workspaces.id", **_CASCADE),
        nullable=False,
    ),
    Column("set_name", String(NAME), nullable=False),
    Column("scenario_name", String(NAME), nullable=False),
    Column("toml", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(NAME), nullable=False),
    UniqueConstraint(
        "workspace_id", "set_name", "scenario_name", name="uq_comparison_items"
    ),
)
Index(
    "ix_comparison_items_set",
    comparison_items.c.workspace_id,
    comparison_items.c.set_name,
)

#: Tables holding one workspace's data (deleted with it), children first.
WORKSPACE_TABLES = (comparison_items, results, scenarios, organisations, access_tokens)


def _v1(conn: Connection) -> None:
    """Version 1: workspaces, tokens, organisations, scenarios, results, comparison sets."""
    workspaces_v1 = Table(  # as released in version 1 (later versions add columns)
        "workspaces",
        MetaData(),
        Column("id", String(32), primary_key=True),
        Column("name", String(NAME), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(NAME), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    workspaces_v1.create(conn)
    metadata.create_all(conn, tables=list(reversed(WORKSPACE_TABLES)))


def _v2(conn: Connection) -> None:
    """Version 2: a workspace's owner (a logged-in user's stable id; NULL for link-only workspaces)."""
    conn.execute(text(f"ALTER TABLE workspaces ADD COLUMN owner VARCHAR({OWNER})"))
    workspaces_owner_index.create(conn)


#: Migrations in order; migration ``i`` takes the schema from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2)
VERSION = len(MIGRATIONS)


def migrate(conn: Connection) -> int:
    """Bring the schema up to :data:`VERSION` inside the caller's transaction; returns the old version.

    Raises
    ------
    RuntimeError
        When the database was written by a newer Footprint (a higher version).
    """
    if conn.dialect.name == "postgresql":  # one migrating process at a time
        conn.execute(text("SELECT pg_advisory_xact_lock(7410501)"))
    schema_version.create(conn, checkfirst=True)
    row = conn.execute(
        select(schema_version.c.version).where(schema_version.c.id == 1)
    ).first()
    current = 0 if row is None else int(row.version)
    if current > VERSION:
        raise RuntimeError(
            f"the workspace store has schema version {current}, newer than this Footprint "
            f"({VERSION}); upgrade Footprint"
        )
    for step in MIGRATIONS[current:]:
        step(conn)
    if row is None:
        conn.execute(schema_version.insert().values(id=1, version=VERSION))
    elif current != VERSION:
        conn.execute(
            schema_version.update()
            .where(schema_version.c.id == 1)
            .values(version=VERSION)
        )
    return current
