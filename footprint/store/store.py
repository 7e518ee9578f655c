"""The workspace store: one database (SQLite or PostgreSQL) through SQLAlchemy Core.

A workspace is reached through a link token: :meth:`Store.create_workspace`
returns a fresh 128-bit token (``secrets.token_urlsafe(16)``) once, and the
store keeps only its SHA-256. :meth:`Store.open` turns a token into a
:class:`Workspace` handle; every read and write through a handle checks, in the
same transaction, that its token still exists and is not revoked.

Where the app has login (OIDC), a workspace may also have an **owner**, a
logged-in user's stable id (:func:`owner_id`: the identity provider's issuer and
subject, never the e-mail address). :meth:`Store.create_owned_workspace` makes
one with no link at all; :meth:`Store.user_workspaces` lists a user's own;
:meth:`Store.open_owned` opens one for its owner and refuses anyone else.
Sharing an owned workspace is explicit: :meth:`Store.add_token` makes a share
link, which opens it for whoever holds it (logged in or not, with the same
rights as the owner's, deleting included) until it is revoked
(:meth:`Store.revoke`, :meth:`Store.revoke_all`); the owner keeps access
through login. Workspaces without an owner are reached by link token only.

Every write is one transaction: it happens completely or not at all (a failure
or a killed process leaves the previous state). SQLite transactions take the
write lock at ``BEGIN`` (``BEGIN IMMEDIATE``) and wait up to
:data:`BUSY_TIMEOUT_S` for another writer, so concurrent writers queue
instead of failing; PostgreSQL rows are written with ``INSERT … ON CONFLICT``.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import make_url

from footprint.errors import FootprintError
from footprint.inputs import Organisation
from footprint.scenario import Scenario, parse_scenario, scenario_to_toml
from footprint.store import orgdata
from footprint.store.schema import (
    NAME,
    OWNER,
    WORKSPACE_TABLES,
    access_tokens,
    comparison_items,
    migrate,
    organisations,
    results,
    scenarios,
    workspaces,
)

ENV = "FOOTPRINT_DB"  #: environment variable naming the database (any SQLAlchemy URL)
BUSY_TIMEOUT_S = 30.0  #: how long a SQLite writer waits for another one [s]
COMPARISON = "Saved for comparison"  #: the app's comparison set


class StoreError(FootprintError):
    """A workspace request that cannot be served (the message says why)."""


class AccessDenied(StoreError):
    """The token is unknown or revoked, the workspace was deleted, or it is another user's."""


def default_url() -> str:
    """``FOOTPRINT_DB`` if set, else a SQLite file in the user's data directory."""
    url = os.environ.get(ENV, "").strip()
    if url:
        return url
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('footprint', appauthor=False)) / 'footprint.db'}"


def token_hash(token: str) -> str:
    """SHA-256 of a link token (hex); the store keeps only this."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh link token: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def owner_id(issuer: str, subject: str) -> str:
    """A logged-in user's stable id: the OIDC issuer and subject (``st.user.iss``, ``st.user.sub``).

    The subject is unique and never reassigned within its issuer (OpenID Connect
    Core 1.0, section 2), unlike an e-mail address, so ``"<issuer> <subject>"``
    names one person across logins (an issuer URL holds no space).

    Raises
    ------
    StoreError
        When either part is empty or the id is longer than the store holds.
    """
    iss, sub = str(issuer or "").strip(), str(subject or "").strip()
    if not iss or not sub:
        raise StoreError(
            "the login gave no issuer (iss) or subject (sub): cannot tell whose workspaces to show"
        )
    if len(iss) + 1 + len(sub) > OWNER:
        raise StoreError(
            f"the login's issuer and subject are longer than {OWNER} characters"
        )
    return f"{iss} {sub}"


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def _insert_workspace(conn: Any, name: str, created_by: str, owner: str | None) -> tuple[str, datetime]:
    """Insert a new, empty workspace (``owner`` None: opened by link only); ``(id, created_at)``."""
    now, wid = _now(), uuid.uuid4().hex
    conn.execute(workspaces.insert().values(
        id=wid, name=name, created_at=now, created_by=created_by, updated_at=now, owner=owner))
    return wid, now


def _name(text: str, what: str) -> str:
    name = " ".join(str(text).split())
    if not name:
        raise StoreError(f"the {what} name is empty")
    if len(name) > NAME:
        raise StoreError(f"the {what} name is longer than {NAME} characters")
    return name


@dataclass(frozen=True)
class Workspace:
    """A handle on one workspace.

    Made by :meth:`Store.open` (a link token: valid while the token is, whoever
    holds it; ``token_sha256`` set) or by :meth:`Store.open_owned` /
    :meth:`Store.create_owned_workspace` (its owner: ``token_sha256`` None, valid
    while ``owner`` owns it). ``owner`` is the workspace's owner id (None: no owner).
    """

    id: str
    name: str
    created_at: datetime
    created_by: str
    token_sha256: str | None
    owner: str | None = None

    def __repr__(self) -> str:  # never print the token hash in logs
        return f"Workspace(id={self.id!r}, name={self.name!r})"


@dataclass(frozen=True)
class WorkspaceInfo:
    """A workspace as the server's administrator sees it (no data, no tokens)."""

    id: str
    name: str
    created_at: datetime
    created_by: str
    n_organisations: int
    n_scenarios: int
    n_results: int
    n_active_tokens: int
    owner: str | None = (
        None  #: the owner id (:func:`owner_id`); None: a link-only workspace
    )


@dataclass(frozen=True)
class OrganisationInfo:
    id: str
    name: str
    n_sites: int
    staff: float
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class StoredResult:
    id: int
    scenario_name: str
    summary: dict[str, Any]
    created_at: datetime
    created_by: str


class Store:
    """Workspaces in one database.

    Parameters
    ----------
    url : str or None
        A SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://user@host/db``);
        None: :func:`default_url`. The schema is created or migrated on opening.
    """

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        u = make_url(self.url)
        self.dialect = u.get_backend_name()
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            if u.database and u.database != ":memory:":
                Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _sqlite_transactions(self.engine)
        try:
            with self._tx() as conn:
                migrate(conn)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def _delete_in(self, ws: Workspace, table: Any, *where: Any) -> bool:
        """Delete ``ws``'s rows of ``table`` that match ``where``; True if any were."""
        with self._ws_tx(ws) as conn:
            return conn.execute(delete(table).where(table.c.workspace_id == ws.id, *where)).rowcount > 0

    @contextmanager
    def _ws_tx(self, ws: Workspace) -> Iterator[Connection]:
        """A transaction in which ``ws``'s token is checked first."""
        with self._tx() as conn:
            _authorise(conn, ws)
            yield conn

    # --- workspaces and tokens ----------------------------------------------------
    def create_workspace(
        self, name: str, created_by: str = ""
    ) -> tuple[Workspace, str]:
        """A new, empty workspace and its first link token (shown once; keep it)."""
        name = _name(name, "workspace")
        token = new_token()
        with self._tx() as conn:
            wid, now = _insert_workspace(conn, name, created_by, None)
            conn.execute(
                access_tokens.insert().values(
                    token_sha256=token_hash(token),
                    workspace_id=wid,
                    created_at=now,
                    created_by=created_by,
                )
            )
        return Workspace(wid, name, now, created_by, token_hash(token)), token

    def create_owned_workspace(
        self, name: str, owner: str, created_by: str = ""
    ) -> Workspace:
        """A new, empty workspace owned by the user ``owner`` (:func:`owner_id`), with no link yet.

        Only its owner opens it (:meth:`open_owned`) until a share link is made
        (:meth:`add_token`). ``created_by`` is a display label (e.g. the e-mail address).
        """
        name = _name(name, "workspace")
        if not owner or len(owner) > OWNER:
            raise StoreError("a workspace owner must be a user id (see owner_id)")
        with self._tx() as conn:
            wid, now = _insert_workspace(conn, name, created_by, owner)
        return Workspace(wid, name, now, created_by, None, owner)

    def open_owned(self, owner: str, workspace_id: str) -> Workspace:
        """The workspace ``workspace_id`` for its owner ``owner``.

        Raises
        ------
        AccessDenied
            When there is no such workspace, or ``owner`` does not own it (another user's,
            or a link-only one): nothing of it is read. Another user's workspace opens
            only with a share link (:meth:`open`).
        """
        q = select(workspaces).where(workspaces.c.id == str(workspace_id)[:64])
        with self._tx() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise AccessDenied("there is no such workspace (it may have been deleted)")
        if not owner or row.owner != owner:
            raise AccessDenied(
                "this workspace is not yours: ask its owner for a share link"
                if row.owner
                else "this workspace has no owner: it opens only with its link"
            )
        return Workspace(
            row.id, row.name, _utc(row.created_at), row.created_by, None, row.owner
        )

    def user_workspaces(self, owner: str) -> list[WorkspaceInfo]:
        """The workspaces ``owner`` owns, oldest first (with counts; no data, no tokens)."""
        if not owner:
            return []
        return self._workspace_infos(workspaces.c.owner == owner)

    def open(self, token: str | None) -> Workspace | None:
        """The workspace a link token opens; None for an unknown or revoked token."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        h = token_hash(token)
        q = (
            select(workspaces)
            .join(access_tokens, access_tokens.c.workspace_id == workspaces.c.id)
            .where(
                access_tokens.c.token_sha256 == h, access_tokens.c.revoked_at.is_(None)
            )
        )
        with self._tx() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        return Workspace(
            row.id, row.name, _utc(row.created_at), row.created_by, h, row.owner
        )

    def add_token(self, ws: Workspace, created_by: str = "") -> str:
        """Another link token for ``ws`` (e.g. one per colleague, to revoke separately)."""
        token = new_token()
        with self._ws_tx(ws) as conn:
            conn.execute(
                access_tokens.insert().values(
                    token_sha256=token_hash(token),
                    workspace_id=ws.id,
                    created_at=_now(),
                    created_by=created_by,
                )
            )
        return token

    def revoke(self, token: str) -> bool:
        """Revoke one link token; True if it was active."""
        with self._tx() as conn:
            n = conn.execute(
                update(access_tokens)
                .where(
                    access_tokens.c.token_sha256 == token_hash(token),
                    access_tokens.c.revoked_at.is_(None),
                )
                .values(revoked_at=_now())
            ).rowcount
        return n > 0

    def revoke_all(self, ws: Workspace) -> int:
        """Revoke every token of ``ws`` (including the handle's own); returns how many."""
        with self._ws_tx(ws) as conn:
            return conn.execute(
                update(access_tokens)
                .where(
                    access_tokens.c.workspace_id == ws.id,
                    access_tokens.c.revoked_at.is_(None),
                )
                .values(revoked_at=_now())
            ).rowcount

    def rename(self, ws: Workspace, name: str) -> Workspace:
        name = _name(name, "workspace")
        with self._ws_tx(ws) as conn:
            conn.execute(
                update(workspaces)
                .where(workspaces.c.id == ws.id)
                .values(name=name, updated_at=_now())
            )
        return replace(ws, name=name)

    def delete_workspace(self, ws: Workspace) -> None:
        """Delete the workspace and everything in it (organisations, scenarios, results, tokens)."""
        with self._ws_tx(ws) as conn:
            for table in WORKSPACE_TABLES:
                conn.execute(delete(table).where(table.c.workspace_id == ws.id))
            conn.execute(delete(workspaces).where(workspaces.c.id == ws.id))

    def delete_workspace_by_id(self, workspace_id: str) -> bool:
        """Delete a workspace and its data by id (the server administrator's retention tool)."""
        with self._tx() as conn:
            for table in WORKSPACE_TABLES:
                conn.execute(delete(table).where(table.c.workspace_id == workspace_id))
            n = conn.execute(
                delete(workspaces).where(workspaces.c.id == workspace_id)
            ).rowcount
        return n > 0

    def list_workspaces(self) -> list[WorkspaceInfo]:
        """Every workspace with counts (for the server's administrator; no data, no tokens)."""
        return self._workspace_infos()

    def _workspace_infos(self, *where: Any) -> list[WorkspaceInfo]:
        def count(table: Any, *where: Any) -> Any:
            return (
                select(func.count())
                .select_from(table)
                .where(table.c.workspace_id == workspaces.c.id, *where)
                .scalar_subquery()
            )

        q = (
            select(
                workspaces,
                count(organisations).label("n_org"),
                count(scenarios).label("n_sc"),
                count(results).label("n_res"),
                count(access_tokens, access_tokens.c.revoked_at.is_(None)).label(
                    "n_tok"
                ),
            )
            .where(*where)
            .order_by(workspaces.c.created_at, workspaces.c.id)
        )
        with self._tx() as conn:
            return [
                WorkspaceInfo(
                    r.id,
                    r.name,
                    _utc(r.created_at),
                    r.created_by,
                    r.n_org,
                    r.n_sc,
                    r.n_res,
                    r.n_tok,
                    r.owner,
                )
                for r in conn.execute(q)
            ]

    # --- organisations --------------------------------------------------------------
    def save_organisation(
        self,
        ws: Workspace,
        org: Organisation,
        import_report: Iterable[Any] = (),
        created_by: str = "",
    ) -> str:
        """Keep an imported organisation (aggregates only) and its import reports; returns its id.

        ``import_report``: :class:`~footprint.imports.ImportReport` objects (their tables are not
        stored) or dicts as made by :func:`~footprint.store.orgdata.report_to_dict`.
        """
        oid = uuid.uuid4().hex
        data = orgdata.pack(orgdata.organisation_to_dict(org))
        reports = [
            r if isinstance(r, dict) else orgdata.report_to_dict(r)
            for r in import_report
        ]
        with self._ws_tx(ws) as conn:
            conn.execute(
                organisations.insert().values(
                    id=oid,
                    workspace_id=ws.id,
                    name=org.name[:NAME] or "organisation",
                    n_sites=len(org.sites),
                    staff=org.staff.total,
                    data=data,
                    import_report=json.dumps(reports),
                    created_at=_now(),
                    created_by=created_by,
                )
            )
            _touch(conn, ws)
        return oid

    def organisations(self, ws: Workspace) -> list[OrganisationInfo]:
        """The workspace's organisations, oldest first."""
        o = organisations.c
        q = (
            select(o.id, o.name, o.n_sites, o.staff, o.created_at, o.created_by)
            .where(o.workspace_id == ws.id)
            .order_by(o.created_at, o.id)
        )
        with self._ws_tx(ws) as conn:
            return [
                OrganisationInfo(
                    r.id,
                    r.name,
                    r.n_sites,
                    float(r.staff),
                    _utc(r.created_at),
                    r.created_by,
                )
                for r in conn.execute(q)
            ]

    def load_organisation(self, ws: Workspace, org_id: str) -> Organisation | None:
        """One organisation of the workspace; None if it is not there (deleted, or another workspace's)."""
        q = select(organisations.c.data).where(
            organisations.c.workspace_id == ws.id, organisations.c.id == org_id
        )
        with self._ws_tx(ws) as conn:
            raw = conn.execute(q).scalar()
        return (
            None
            if raw is None
            else orgdata.organisation_from_dict(
                orgdata.unpack(raw), "stored organisation"
            )
        )

    def import_report(self, ws: Workspace, org_id: str) -> list[dict[str, Any]] | None:
        q = select(organisations.c.import_report).where(
            organisations.c.workspace_id == ws.id, organisations.c.id == org_id
        )
        with self._ws_tx(ws) as conn:
            raw = conn.execute(q).scalar()
        return None if raw is None else json.loads(raw)

    def delete_organisation(self, ws: Workspace, org_id: str) -> bool:
        return self._delete_in(ws, organisations, organisations.c.id == org_id)

    # --- scenarios --------------------------------------------------------------------
    def save_scenario(
        self, ws: Workspace, scenario: Scenario, created_by: str = ""
    ) -> None:
        """Keep a scenario (its TOML text), replacing one of the same name."""
        self.save_scenarios(ws, [scenario], created_by)

    def save_scenarios(
        self, ws: Workspace, items: Iterable[Scenario], created_by: str = ""
    ) -> int:
        """Keep several scenarios in one transaction (all or none); returns how many."""
        now = _now()
        rows = []
        for s in items:
            if not isinstance(s, Scenario):
                raise StoreError(f"not a scenario: {type(s).__name__}")
            rows.append(
                {
                    "workspace_id": ws.id,
                    "name": _name(s.name, "scenario"),
                    "toml": scenario_to_toml(s),
                    "created_at": now,
                    "created_by": created_by,
                    "updated_at": now,
                }
            )
        with self._ws_tx(ws) as conn:
            for row in rows:
                conn.execute(
                    _upsert(
                        conn,
                        scenarios,
                        row,
                        ["workspace_id", "name"],
                        ["toml", "updated_at"],
                    )
                )
            _touch(conn, ws)
        return len(rows)

    def scenario_names(self, ws: Workspace) -> list[str]:
        q = (
            select(scenarios.c.name)
            .where(scenarios.c.workspace_id == ws.id)
            .order_by(scenarios.c.name)
        )
        with self._ws_tx(ws) as conn:
            return list(conn.execute(q).scalars())

    def scenario_toml(self, ws: Workspace, name: str) -> str | None:
        """The stored TOML text of a scenario (what a file download holds); None if absent."""
        q = select(scenarios.c.toml).where(
            scenarios.c.workspace_id == ws.id, scenarios.c.name == name
        )
        with self._ws_tx(ws) as conn:
            return conn.execute(q).scalar()

    def load_scenario(self, ws: Workspace, name: str) -> Scenario | None:
        text_ = self.scenario_toml(ws, name)
        return (
            None
            if text_ is None
            else parse_scenario(text_, source=f"workspace scenario “{name}”")
        )

    def scenarios(self, ws: Workspace) -> dict[str, str]:
        """Every scenario of the workspace: name → TOML text."""
        q = (
            select(scenarios.c.name, scenarios.c.toml)
            .where(scenarios.c.workspace_id == ws.id)
            .order_by(scenarios.c.name)
        )
        with self._ws_tx(ws) as conn:
            return {r.name: r.toml for r in conn.execute(q)}

    def delete_scenario(self, ws: Workspace, name: str) -> bool:
        return self._delete_in(ws, scenarios, scenarios.c.name == name)

    # --- results ------------------------------------------------------------------------
    def save_result(
        self, ws: Workspace, summary: dict[str, Any], created_by: str = ""
    ) -> int:
        """Keep a result snapshot (``result_to_dict`` of a run); returns its id."""
        try:
            name = summary["scenario"]["name"]
            body = json.dumps(summary, allow_nan=False, default=str)
        except (KeyError, TypeError, ValueError) as e:
            raise StoreError(
                f"not a result summary ({e.__class__.__name__}: {e})"
            ) from None
        with self._ws_tx(ws) as conn:
            rid = conn.execute(
                results.insert()
                .values(
                    workspace_id=ws.id,
                    scenario_name=str(name)[:NAME],
                    summary=body,
                    created_at=_now(),
                    created_by=created_by,
                )
                .returning(results.c.id)
            ).scalar_one()
            _touch(conn, ws)
        return int(rid)

    def results(
        self, ws: Workspace, scenario_name: str | None = None
    ) -> list[StoredResult]:
        """Result snapshots, oldest first (optionally of one scenario)."""
        q = select(results).where(results.c.workspace_id == ws.id)
        if scenario_name is not None:
            q = q.where(results.c.scenario_name == scenario_name)
        with self._ws_tx(ws) as conn:
            return [
                StoredResult(
                    r.id,
                    r.scenario_name,
                    json.loads(r.summary),
                    _utc(r.created_at),
                    r.created_by,
                )
                for r in conn.execute(q.order_by(results.c.id))
            ]

    # --- comparison sets --------------------------------------------------------------
    def add_to_comparison(
        self,
        ws: Workspace,
        scenario: Scenario,
        set_name: str = COMPARISON,
        created_by: str = "",
    ) -> None:
        """Put a scenario into a comparison set (replacing one of the same name, keeping its place)."""
        row = {
            "workspace_id": ws.id,
            "set_name": _name(set_name, "comparison set"),
            "scenario_name": _name(scenario.name, "scenario"),
            "toml": scenario_to_toml(scenario),
            "created_at": _now(),
            "created_by": created_by,
        }
        with self._ws_tx(ws) as conn:
            conn.execute(
                _upsert(
                    conn,
                    comparison_items,
                    row,
                    ["workspace_id", "set_name", "scenario_name"],
                    ["toml"],
                )
            )
            _touch(conn, ws)

    def remove_from_comparison(
        self, ws: Workspace, scenario_name: str, set_name: str = COMPARISON
    ) -> bool:
        return self._delete_in(ws, comparison_items, comparison_items.c.set_name == set_name,
                               comparison_items.c.scenario_name == scenario_name)

    def comparison(self, ws: Workspace, set_name: str = COMPARISON) -> list[Scenario]:
        """The scenarios of a comparison set, in the order they were added."""
        return [
            parse_scenario(t, source=f"comparison “{n}”")
            for n, t in self.comparison_tomls(ws, set_name)
        ]

    def comparison_tomls(
        self, ws: Workspace, set_name: str = COMPARISON
    ) -> list[tuple[str, str]]:
        q = (
            select(comparison_items.c.scenario_name, comparison_items.c.toml)
            .where(
                comparison_items.c.workspace_id == ws.id,
                comparison_items.c.set_name == set_name,
            )
            .order_by(comparison_items.c.id)
        )
        with self._ws_tx(ws) as conn:
            return [(r.scenario_name, r.toml) for r in conn.execute(q)]

    def comparison_sets(self, ws: Workspace) -> list[str]:
        q = (
            select(comparison_items.c.set_name)
            .where(comparison_items.c.workspace_id == ws.id)
            .group_by(comparison_items.c.set_name)
            .order_by(func.min(comparison_items.c.id))
        )
        with self._ws_tx(ws) as conn:
            return list(conn.execute(q).scalars())


def _authorise(conn: Connection, ws: Workspace) -> None:
    if ws.token_sha256 is None:  # an owner's handle: still the owner?
        if (
            not ws.owner
            or conn.execute(
                select(workspaces.c.id).where(
                    workspaces.c.id == ws.id, workspaces.c.owner == ws.owner
                )
            ).first()
            is None
        ):
            raise AccessDenied(
                "this workspace is not yours any more, or it was deleted"
            )
        return
    q = (
        select(access_tokens.c.workspace_id)
        .join(workspaces, workspaces.c.id == access_tokens.c.workspace_id)
        .where(
            access_tokens.c.token_sha256 == ws.token_sha256,
            access_tokens.c.workspace_id == ws.id,
            access_tokens.c.revoked_at.is_(None),
        )
    )
    if conn.execute(q).first() is None:
        raise AccessDenied(
            "this workspace link is not valid any more (revoked, or the workspace was deleted)"
        )


def _touch(conn: Connection, ws: Workspace) -> None:
    conn.execute(
        update(workspaces).where(workspaces.c.id == ws.id).values(updated_at=_now())
    )


def _upsert(
    conn: Connection,
    table: Any,
    row: dict[str, Any],
    keys: list[str],
    changing: list[str],
) -> Any:
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET changing`` for SQLite and PostgreSQL."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise StoreError(
            f"unsupported database {conn.dialect.name}; use SQLite or PostgreSQL"
        )
    stmt = insert(table).values(**row)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={c: stmt.excluded[c] for c in changing}
    )


def _sqlite_transactions(engine: Engine) -> None:
    """SQLite: foreign keys on, WAL journal, and ``BEGIN IMMEDIATE`` (writers queue, never deadlock)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
