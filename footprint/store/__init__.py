"""Workspaces that last: uploads, scenarios, results and comparison sets in a database.

SQLite by default (a file in the user's data directory), PostgreSQL when
``FOOTPRINT_DB=postgresql+psycopg://…``; the same code for both, through
SQLAlchemy Core. A workspace is reached with its link token or, with login,
by its owner.

Main entry points:

- :class:`Store`: open the database (migrating its schema), create, open,
  rename and delete workspaces, and keep their data; with login, workspaces
  owned by a user (:func:`~footprint.store.store.owner_id`);
- :func:`~footprint.store.archive.export_zip`, :func:`~footprint.store.archive.import_zip`:
  a workspace as a zip of TOML, CSV and JSON files.

No Streamlit here: the app's glue is ``app_pages/workspace.py``.
"""

from footprint.store.archive import export_zip, import_zip
from footprint.store.store import (
    COMPARISON,
    ENV,
    AccessDenied,
    OrganisationInfo,
    Store,
    StoredResult,
    StoreError,
    Workspace,
    WorkspaceInfo,
    default_url,
    new_token,
    owner_id,
    token_hash,
)

__all__ = [
    "COMPARISON",
    "ENV",
    "AccessDenied",
    "OrganisationInfo",
    "Store",
    "StoreError",
    "StoredResult",
    "Workspace",
    "WorkspaceInfo",
    "default_url",
    "export_zip",
    "import_zip",
    "new_token",
    "owner_id",
    "token_hash",
]
