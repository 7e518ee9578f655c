"""Workspaces per user in the app (AppTest): with an ``[auth]`` secrets section, and without.

AppTest stands in for the identity provider here (``at.user`` holds the claims
a login would give, ``at.secrets`` the ``[auth]`` section); the real OIDC flow
is in ``test_login_browser.py``. Each AppTest is a new browser session.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from footprint.store import Store, owner_id

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ISSUER = "https://login.example.test"
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-0123456789abcdef",
        "client_id": "footprint-test",
        "client_secret": "test-client-secret",
        "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
    }
}
ALICE = {"sub": "alice-0001", "email": "alice@example.test", "name": "Alice"}
BOB = {"sub": "bob-0002", "email": "bob@example.test", "name": "Bob"}
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def db(tmp_path, monkeypatch):
    """A throwaway store for each test (never the user's data directory)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("FOOTPRINT_DB", url)
    return url


def session(user: dict | None, auth: bool = True, **params: str) -> AppTest:
    """A new session, logged in as ``user`` (None: logged out)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if auth:
        at.secrets.update(AUTH)
        at.user = (
            {"is_logged_in": True, "iss": ISSUER, **user}
            if user
            else {"is_logged_in": False}
        )
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def press(at: AppTest, label: str) -> None:
    [b] = [b for b in at.button if b.label == label]
    b.click().run()
    assert not at.exception, at.exception


def message(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def test_without_auth_there_is_no_login_and_workspaces_are_link_only(db):
    at = session(None, auth=False)
    assert not {"Log in", "Log out"} & set(labels(at))
    assert at.session_state.workspace is None  # the demo, no workspace
    press(at, "Create workspace")
    ws = at.session_state.workspace
    assert ws.owner is None and at.session_state.ws_token
    assert "wsid" not in at.query_params and "ws" in at.query_params
    # a ?wsid= address opens nothing on a server without login
    other = session(None, auth=False, wsid=ws.id)
    assert other.session_state.workspace is None
    assert "does not open anything on this server" in message(other)


def test_a_users_workspace_opens_for_them_and_for_a_share_link_until_revoked(db):
    alice = session(ALICE)
    assert "Log out" in labels(alice) and "Log in" not in labels(alice)
    alice.text_input(key="ws_new_name").set_value("Alice's study")
    press(alice, "Create workspace")
    ws = alice.session_state.workspace
    assert ws.owner == owner_id(ISSUER, "alice-0001") and ws.token_sha256 is None
    assert alice.query_params["wsid"] in (ws.id, [ws.id])
    assert "ws" not in alice.query_params  # no link exists until she shares

    # a new session of Alice's reopens it from its address; Bob's and a logged-out one do not
    assert session(ALICE, wsid=ws.id).session_state.workspace.id == ws.id
    bob = session(BOB, wsid=ws.id)
    assert bob.session_state.workspace is None
    assert "This workspace is not yours: ask its owner for a share link." in message(
        bob
    )
    assert "Your workspaces" not in [s.label for s in bob.selectbox]
    anon = session(None, wsid=ws.id)
    assert anon.session_state.workspace is None
    assert "log in to open it" in message(anon)

    # Alice shares: the link opens it for Bob
    press(alice, "Share link")
    link = alice.session_state.ws_share_link
    token = parse_qs(urlparse(link).query)["ws"][0]
    assert any(link in c.value for c in alice.code)
    shared = session(BOB, ws=token)
    assert shared.session_state.workspace.id == ws.id
    store = Store(db)
    try:
        assert store.user_workspaces(owner_id(ISSUER, "bob-0002")) == []
        [info] = store.user_workspaces(ws.owner)
        assert info.n_active_tokens == 1
    finally:
        store.close()

    # Alice stops sharing: the link opens nothing; she still has her workspace
    press(alice, "Stop sharing")
    assert alice.session_state.workspace.id == ws.id
    again = session(BOB, ws=token)
    assert again.session_state.workspace is None
    assert "does not open anything" in message(again)
    mine = session(ALICE)
    [box] = [s for s in mine.selectbox if s.label == "Your workspaces"]
    assert box.options == ["Alice's study"]


def test_named_providers_each_get_a_log_in_button(db):
    at = AppTest.from_file(APP, default_timeout=120)
    provider = {k: AUTH["auth"][k] for k in ("client_id", "client_secret")}
    at.secrets.update(
        {
            "auth": {
                "redirect_uri": AUTH["auth"]["redirect_uri"],
                "cookie_secret": AUTH["auth"]["cookie_secret"],
                "okta": {**provider, "server_metadata_url": f"{ISSUER}/okta"},
                "google": {**provider, "server_metadata_url": f"{ISSUER}/google"},
                "expose_tokens": "id",  # a setting, not a provider
            }
        }
    )
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert [x for x in labels(at) if x.startswith("Log")] == [
        "Log in with google",
        "Log in with okta",
    ]
