"""Workspaces in the app: the switcher in the sidebar, and the glue between session and store.

A workspace is opened by its link (``?ws=<token>`` in the address bar, kept there
by :func:`link_params`). It holds the session's uploads (organisation keys
``ws:<id>``), scenarios saved to it, result snapshots and the "Saved for
comparison" list, so they survive a refresh and a server restart. The demo
needs no workspace: one is created the first time something is kept
(an upload, a saved scenario, a scenario saved for comparison).

An uploaded organisation is reachable only from a session that opened its
workspace with a valid token (or, when the store is unavailable, from the
session that uploaded it); a link naming data that are gone says so and offers
to upload again, and never shows the demo under the user's name.

**Login.** Only when the server is configured for Streamlit's built-in login
(an ``[auth]`` section in ``.streamlit/secrets.toml``, see the README), the
switcher shows "Log in" / "Log out" (``st.login``, ``st.logout``). A logged-in
user's new workspaces belong to them (owner: the OIDC issuer and subject), are
listed in the switcher, and are opened by ``?wsid=<id>``, which opens nothing
for anyone else; "Share link" makes a revocable ``?ws=<token>`` link for a
team. Without ``[auth]`` nothing of this is drawn and nothing changes.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import replace
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_pages import cached, state
from footprint.errors import FootprintError
from footprint.inputs import Organisation
from footprint.scenario import HubChoice, OrganisationRef, Scenario
from footprint.store import (
    AccessDenied,
    Store,
    StoreError,
    Workspace,
    default_url,
    owner_id,
)

PARAM = "ws"  #: query parameter holding the workspace token
OWNED_PARAM = "wsid"  #: query parameter naming a logged-in user's own workspace (opens for its owner only)
ORG_PREFIX = "ws:"  #: organisation keys of uploads kept in a workspace
SESSION_PREFIX = "session:"  #: organisation keys of uploads kept only in this session (store unavailable)
log = logging.getLogger(__name__)


#: What a store call may raise that the app shows as a message (the database may be down).
STORE_ERRORS = (FootprintError, SQLAlchemyError)


class DataGone(FootprintError):
    """The organisation this session points to is not available any more."""


# --- the store --------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store | None:
    """The server's workspace store; None (and a logged reason) when it cannot be opened."""
    try:
        return _store(default_url())
    except Exception as exc:  # noqa: BLE001 - the app works without a store, it says so
        log.warning("workspace store unavailable: %s", exc)
        st.session_state.ws_store_error = f"{exc.__class__.__name__}: {exc}"
        return None


def current() -> Workspace | None:
    """The workspace this session has open (None: none)."""
    return st.session_state.get("workspace")


# --- login (only where the server has an [auth] section) --------------------------------
def login_providers() -> list[str | None]:
    """The login providers ``.streamlit/secrets.toml`` configures (None: the default one).

    Empty without an ``[auth]`` section or without a secrets file (never raises):
    the app then shows no login at all.
    """
    try:
        if not st.secrets.load_if_toml_exists():
            return []
        auth = st.secrets.get("auth")
        if not auth:
            return []
        named = [
            str(k)
            for k, v in auth.items()
            if hasattr(v, "keys") and ("client_id" in v or "server_metadata_url" in v)
        ]
        return [None] if "client_id" in auth else sorted(named)
    except Exception as exc:  # noqa: BLE001 - a broken secrets file: no login, logged
        log.warning("login not available: %s", exc)
        return []


def _logged_in() -> bool:
    if not login_providers():
        return False
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - st.user without a session (bare mode)
        return False


def owner() -> str | None:
    """The logged-in user's id (OIDC issuer and subject); None without login."""
    if not _logged_in():
        return None
    try:
        return owner_id(st.user.get("iss"), st.user.get("sub"))
    except StoreError as exc:
        st.session_state.ws_message = str(exc)
        return None


def _user() -> str:
    """A display label for who saved something: the logged-in user's e-mail or name, else "app"."""
    if not _logged_in():
        return "app"
    label = st.user.get("email") or st.user.get("name") or "signed-in user"
    return str(label)[:200]


def check_login() -> None:
    """Close a workspace opened as its owner once that user is no longer logged in (call every run)."""
    ws = current()
    if ws is not None and ws.token_sha256 is None and owner() != ws.owner:
        leave()
        st.session_state.ws_message = (
            "You are logged out, so your workspace was closed."
        )


def _set(ws: Workspace | None, token: str | None) -> None:
    ss = st.session_state
    ss.workspace, ss.ws_token = ws, token
    # a share link made in this session is shown until the workspace changes
    ss.ws_share_link = None
    if ws is not None and token:
        ss.setdefault("ws_known", {})[ws.id] = (ws.name, token)


def _ensure(name: str) -> Workspace | None:
    """The open workspace, or a new one called ``name`` (None when the store is unavailable)."""
    ws = current()
    if ws is not None:
        return ws
    s = store()
    if s is None:
        return None
    me = owner()
    if me is not None:
        ws = s.create_owned_workspace(name, me, _user())
        _set(ws, None)
        st.toast(
            f"Created the workspace “{ws.name}”: it is yours, listed here whenever you log in.",
            icon=":material/work:",
        )
        return ws
    ws, token = s.create_workspace(name, _user())
    _set(ws, token)
    st.toast(
        f"Created the workspace “{ws.name}”: the link in the address bar reopens it.",
        icon=":material/work:",
    )
    return ws


def _call(func: Any, *args: Any) -> Any:
    """A store call for the open workspace; on a revoked link the session leaves the workspace."""
    try:
        return func(current(), *args)
    except AccessDenied:
        leave()
        st.session_state.ws_message = (
            "This workspace's link was revoked or the workspace deleted."
        )
        raise


# --- session start and the URL ------------------------------------------------------
def init_session(params: dict[str, str]) -> None:
    """Open the workspace the URL names and check the organisation it names (called once per session)."""
    ss = st.session_state
    ss.setdefault("workspace", None)
    ss.setdefault("ws_token", None)
    token = params.get(PARAM)
    owned = None if token else params.get(OWNED_PARAM)
    org_param = params.get("org")
    ws = None
    if token or owned:
        s = store()
        denied = None
        try:
            if s is None:
                pass
            elif token:
                ws = s.open(token)
            elif (me := owner()) is None:
                denied = (
                    "This workspace belongs to a user: log in to open it."
                    if login_providers()
                    else "This workspace link does not open anything on this server."
                )
            else:
                ws = s.open_owned(me, owned)
        except AccessDenied as exc:
            denied = (
                f"{str(exc)[:1].upper()}{str(exc)[1:]}."  # e.g. "… is not yours: …"
            )
        except SQLAlchemyError as exc:  # the database is down: say so, open the demo
            log.warning("workspace store unavailable: %s", exc)
            s = None
        if ws is None:
            ss.ws_message = denied or (
                "This workspace link does not open anything: it is wrong, was revoked, or the "
                "workspace was deleted."
                if s is not None
                else "Workspaces are unavailable on this server right now, so the link cannot be opened."
            )
        else:
            _set(ws, token)
            ss.saved = _comparison(s, ws)
            bare = not any(k in params for k in ("hubs", "name"))
            if bare and (org_param is None or str(org_param).startswith(ORG_PREFIX)):
                # a bare workspace link: the organisation it names, else its latest upload
                orgs = s.organisations(ws)
                if org_param is None:
                    chosen = orgs[-1:]
                else:
                    chosen = [o for o in orgs if ORG_PREFIX + o.id == org_param]
                if chosen:
                    _use(ORG_PREFIX + chosen[0].id)
                    ss.scenario = current_estate(ss.scenario, chosen[0].name)
                elif org_param is not None:
                    ss.ws_missing = org_param
                return
    if ss.org_key == state.DEMO:
        return
    if not (
        ws is not None
        and ss.org_key.startswith(ORG_PREFIX)
        and _load(ss.org_key) is not None
    ):
        ss.ws_missing = ss.org_key
        ss.org_key = state.DEMO
        ss.scenario = state.default_scenario()


def link_params() -> dict[str, str]:
    """Query parameters that reopen the session's workspace (its token, or its id for its owner)."""
    ws, token = current(), st.session_state.get("ws_token")
    if ws is None:
        return {}
    if token:
        return {PARAM: token}
    return {OWNED_PARAM: ws.id} if ws.owner else {}


def share_url(token: str | None = None) -> str:
    """The link to the open workspace (address of this app plus ``?ws=<token>``)."""
    try:
        base = str(st.context.url).split("?")[0]
    except Exception:  # noqa: BLE001 - not available in every runtime (tests)
        base = ""
    return f"{base}?{PARAM}={token or st.session_state.get('ws_token')}"


# --- organisations --------------------------------------------------------------------
def _load(key: str) -> Organisation | None:
    """Load ``ws:<id>`` from the open workspace into the server cache; None if it is not there."""
    ws, s = current(), store()
    if ws is None or s is None or not key.startswith(ORG_PREFIX):
        return None
    try:
        org = s.load_organisation(ws, key[len(ORG_PREFIX) :])
    except AccessDenied:
        return None
    if org is not None:
        cached.keep_organisation(key, org)
    return org


def _use(key: str) -> None:
    if _load(key) is not None:
        st.session_state.org_key = key


def reload(key: str) -> Organisation:
    """The organisation ``key`` for this session (after the server cache dropped it).

    Raises
    ------
    DataGone
        When this session cannot reach it (another session's upload, or deleted).
    """
    org = _load(key) if key.startswith(ORG_PREFIX) else None
    if org is None:
        raise DataGone(
            "the uploaded data this page needs are not available any more: upload them again on the "
            "Data page"
        )
    return org


def keep_upload(org: Organisation, reports: list[Any]) -> str:
    """Keep an uploaded organisation in the session's workspace (made if needed); returns its key."""
    try:
        ws = _ensure(org.name or "My workspace")
        if ws is not None:
            key = ORG_PREFIX + _call(store().save_organisation, org, reports, _user())  # type: ignore[union-attr]
            cached.keep_organisation(key, org)
            return key
    except STORE_ERRORS:
        pass
    key = SESSION_PREFIX + uuid.uuid4().hex  # this session only
    cached.keep_organisation(key, org)
    st.session_state.setdefault("ws_session_orgs", set()).add(key)
    st.warning(
        "Workspaces are unavailable on this server: this upload lasts only until the page is refreshed.",
        icon=":material/cloud_off:",
    )
    return key


# --- saved for comparison and saved scenarios ----------------------------------------
def _comparison(s: Store, ws: Workspace) -> list[Scenario]:
    try:
        return s.comparison(ws)
    except STORE_ERRORS as exc:
        st.session_state.ws_message = (
            f"The saved comparison list could not be read: {exc}"
        )
        return []


def saved_for_compare(scenario: Scenario) -> None:
    """Keep ``scenario`` in the workspace's comparison list (after the session's list changed)."""
    try:
        ws = _ensure("My workspace")
        if ws is not None:
            _call(store().add_to_comparison, scenario, "Saved for comparison", _user())  # type: ignore[union-attr]
    except STORE_ERRORS as exc:
        st.toast(f"Not kept in the workspace: {exc}", icon=":material/cloud_off:")


def removed_from_compare(name: str) -> None:
    if current() is None:
        return
    try:
        _call(store().remove_from_comparison, name)  # type: ignore[union-attr]
    except STORE_ERRORS as exc:
        st.toast(f"Not removed from the workspace: {exc}", icon=":material/cloud_off:")


def saved_scenarios() -> dict[str, str]:
    """The workspace's saved scenarios (name → TOML text); empty without a workspace."""
    s = store()
    if current() is None or s is None:
        return {}
    try:
        return _call(s.scenarios)
    except STORE_ERRORS:
        return {}


def snapshot_list() -> None:
    """The workspace's result snapshots (newest first): when, who, and the headline numbers."""
    s = store()
    if current() is None or s is None:
        return
    try:
        snaps = _call(s.results)
    except STORE_ERRORS:
        return
    if not snaps:
        return
    with st.expander(
        f"Results saved in the workspace ({len(snaps)})", icon=":material/history:"
    ):
        st.dataframe(
            [
                {
                    "saved [UTC]": r.created_at.strftime("%Y-%m-%d %H:%M"),
                    "scenario": r.scenario_name,
                    "organisation": r.summary.get("organisation", {}).get("name", ""),
                    "total [t CO₂e/yr]": r.summary.get("footprint", {}).get(
                        "total_tco2e"
                    ),
                    "change vs baseline [t CO₂e/yr]": r.summary.get("change", {}).get(
                        "total_tco2e"
                    ),
                    "saved by": r.created_by,
                }
                for r in reversed(snaps)
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "total [t CO₂e/yr]": st.column_config.NumberColumn(format="%,.0f"),
                "change vs baseline [t CO₂e/yr]": st.column_config.NumberColumn(
                    format="%+,.0f"
                ),
            },
        )


def save_controls(scenario: Scenario, result: Any = None) -> None:
    """Save the current scenario (and a snapshot of its result) to the workspace."""
    ws = current()
    where = f"the workspace “{ws.name}”" if ws is not None else "a new workspace"
    st.markdown(
        f"Save the current scenario to {where}; the file download above holds the same text."
    )
    if st.button("Save to workspace", key="ws_save", icon=":material/save:"):
        try:
            ws = _ensure("My workspace")
            if ws is None:
                st.warning(
                    "Workspaces are unavailable on this server: download the scenario file instead.",
                    icon=":material/cloud_off:",
                )
                return
            s = store()
            _call(s.save_scenario, scenario, _user())  # type: ignore[union-attr]
            if result is not None:
                from footprint.scenario.summary import result_to_dict

                _call(s.save_result, result_to_dict(result), _user())  # type: ignore[union-attr]
        except STORE_ERRORS as exc:
            st.error(f"Not saved: {exc}", icon=":material/error:")
        else:
            st.success(
                f"Saved “{scenario.name}” to the workspace “{current().name}”.",  # type: ignore[union-attr]
                icon=":material/check:",
            )


# --- the switcher ---------------------------------------------------------------------
def leave() -> None:
    """Close the workspace in this session (back to the demo)."""
    ss = st.session_state
    _set(None, None)
    ss.saved = []
    if str(ss.get("org_key", "")).startswith(ORG_PREFIX):
        ss.org_key = state.DEMO
        state.set_scenario(state.default_scenario())
        ss.optimisation = ss.sweep = None


def _open(link: str, *, owned: bool = False) -> bool:
    """Open the workspace a link (or bare token) names, or (``owned``) the user's own workspace of that id."""
    s = store()
    if owned:
        try:
            ws = s.open_owned(owner() or "", link) if s is not None else None
        except AccessDenied as exc:
            st.session_state.ws_message = str(exc)
            return False
        token = None
    else:
        token = link.strip().split(f"{PARAM}=")[-1].split("&")[0]
        ws = s.open(token) if s is not None and token else None
    if ws is None:
        st.session_state.ws_message = "That link or token does not open a workspace."
        return False
    leave()
    _set(ws, token)
    st.session_state.ws_message = None
    st.session_state.saved = _comparison(s, ws)  # type: ignore[arg-type]
    orgs = s.organisations(ws)  # type: ignore[union-attr]
    if orgs:
        _use(ORG_PREFIX + orgs[-1].id)
        state.set_scenario(current_estate(state.default_scenario(), orgs[-1].name))
    return True


def current_estate(s: Scenario, org_name: str) -> Scenario:
    """``s`` as today's estate of an uploaded organisation (what the Data page sets after an upload)."""
    return replace(
        s,
        name=f"{org_name}: today's estate",
        organisation=OrganisationRef(
            source="files", sites="uploaded offices", staff="uploaded staff"
        ),
        hubs=HubChoice(selection="current"),
    )


def notices() -> None:
    """Messages about the link this session was opened with (drawn above the page, every run).

    First closes a workspace opened as its owner if that user is no longer logged in.
    """
    check_login()
    ss = st.session_state
    if ss.get("ws_missing"):
        with st.container(border=True):
            st.warning(
                "The data this link names are not available here: they belonged to another session, or "
                "were deleted, or the server no longer holds them. The demo organisation is shown instead; "
                "upload your files again to see your own numbers.",
                icon=":material/link_off:",
            )
            st.page_link(
                "app_pages/data.py",
                label="Upload your files again",
                icon=":material/upload_file:",
            )
    if ss.get("ws_message"):
        st.warning(ss.ws_message, icon=":material/work_off:")


def login_controls() -> None:
    """ "Log in" or "Log out" (only where the server is configured for login)."""
    providers = login_providers()
    if not providers:
        return
    if _logged_in():
        st.caption(f"Logged in as **{_user()}**")
        if st.button("Log out", key="ws_logout", icon=":material/logout:"):
            leave()
            st.logout()
        return
    st.caption("Log in to keep your workspaces under your name.")
    for p in providers:
        label = "Log in" if p is None else f"Log in with {p}"
        if st.button(label, key=f"ws_login_{p}", icon=":material/login:"):
            st.login(p)  # None: the default provider


def _owned_sharing(s: Store, ws: Workspace) -> None:
    """An owned workspace: only its owner opens it, until a share link is made (and then revoked)."""
    ss = st.session_state
    try:
        links = next(
            (
                w.n_active_tokens
                for w in s.user_workspaces(ws.owner or "")
                if w.id == ws.id
            ),
            0,
        )
    except STORE_ERRORS:
        links = 0
    st.caption(
        "Yours: it opens for you when you are logged in. "
        + (
            f"Shared: {links} active share link{'s' if links != 1 else ''}; anyone holding one can "
            "open, change and delete this workspace."
            if links
            else "Not shared."
        )
    )
    if ss.get("ws_share_link"):
        st.caption("The new share link (shown once; copy it now):")
        st.code(ss.ws_share_link, language=None, wrap_lines=True)
    c1, c2 = st.columns(2)
    if c1.button(
        "Share link",
        key="ws_share",
        icon=":material/share:",
        help="Make a link that opens this workspace for whoever holds it (your team), until you stop sharing",
    ):
        try:
            ss.ws_share_link = share_url(_call(s.add_token, _user()))
            st.rerun()
        except STORE_ERRORS as exc:
            st.error(str(exc))
    if links and c2.button(
        "Stop sharing",
        key="ws_unshare",
        icon=":material/link_off:",
        help="Revoke every share link of this workspace: only you open it again",
    ):
        try:
            _call(s.revoke_all)
            ss.ws_share_link = None
            st.rerun()
        except STORE_ERRORS as exc:
            st.error(str(exc))


def _own_workspaces(s: Store, me: str, ws: Workspace | None) -> None:
    """A logged-in user's own workspaces, to open one."""
    try:
        mine = {
            w.id: w.name for w in s.user_workspaces(me) if ws is None or w.id != ws.id
        }
    except STORE_ERRORS as exc:
        st.caption(f"Your workspaces cannot be listed: {exc}")
        return
    if not mine:
        return
    choice = st.selectbox(
        "Your workspaces",
        list(mine),
        format_func=lambda w: mine[w],
        index=None,
        key="ws_mine",
        placeholder=f"{len(mine)} workspace{'s' if len(mine) != 1 else ''} of yours",
    )
    if (
        choice is not None
        and st.button("Open", key="ws_mine_go")
        and _open(choice, owned=True)
    ):
        st.rerun()


def sidebar() -> None:
    """The workspace switcher: log in/out (with login), create, open, rename, share, revoke, delete."""
    ss = st.session_state
    login_controls()
    ws, me = current(), owner()
    # the demo alone (and not logged in) never touches the database
    s = store() if ws is not None or me is not None else None
    with st.expander(
        f"Workspace: {ws.name}" if ws else "Workspace: none", icon=":material/work:"
    ):
        if ws is not None and s is None:
            st.caption(
                "Workspaces are unavailable on this server; nothing is kept after a refresh."
            )
            return
        if ws is None:
            st.caption(
                "Without a workspace the demo and your changes last for this session only. "
                "Uploading files or saving a scenario creates one."
            )
            with st.form("ws_create", border=False):
                name = st.text_input("Name", value="My workspace", key="ws_new_name")
                if st.form_submit_button("Create workspace", icon=":material/add:"):
                    try:
                        if _ensure(name) is None:
                            raise StoreError(
                                "workspaces are unavailable on this server"
                            )
                        st.rerun()
                    except STORE_ERRORS as exc:
                        st.error(str(exc))
        elif ss.ws_token:
            st.caption(
                "Anyone holding this link can open, change and delete this workspace:"
            )
            st.code(share_url(), language=None, wrap_lines=True)
        else:
            _owned_sharing(s, ws)
        if ws is not None:
            with st.form("ws_rename", border=False):
                name = st.text_input("Rename", value=ws.name, key="ws_rename_name")
                if (
                    st.form_submit_button("Rename", icon=":material/edit:")
                    and name != ws.name
                ):
                    try:
                        _set(_call(s.rename, name), ss.ws_token)
                        st.rerun()
                    except STORE_ERRORS as exc:
                        st.error(str(exc))
            c1, c2 = st.columns(2)
            if ss.ws_token and c1.button(
                "New link",
                key="ws_relink",
                icon=":material/key:",
                help="Revoke this link (nobody can open the workspace with it any more) and make a new one",
            ):
                try:
                    new = _call(s.add_token, _user())
                    s.revoke(ss.ws_token)
                    _set(s.open(new), new)  # a handle on the new link
                    st.rerun()
                except STORE_ERRORS as exc:
                    st.error(str(exc))
            if c2.button(
                "Close",
                key="ws_close",
                icon=":material/logout:",
                help="Back to the demo; the link still opens the workspace",
            ):
                leave()
                st.rerun()
            if not ss.get("ws_confirm_delete"):
                if st.button(
                    "Delete workspace…", key="ws_delete", icon=":material/delete:"
                ):
                    ss.ws_confirm_delete = True
                    st.rerun()
            else:
                st.error(
                    f"Delete “{ws.name}” and everything in it (uploads, scenarios, results)? "
                    "This cannot be undone.",
                    icon=":material/warning:",
                )
                d1, d2 = st.columns(2)
                if d1.button("Delete", key="ws_delete_yes", type="primary"):
                    ss.ws_confirm_delete = False
                    try:
                        with contextlib.suppress(
                            AccessDenied
                        ):  # already gone: the same
                            _call(s.delete_workspace)
                    except STORE_ERRORS as exc:
                        st.error(f"Not deleted: {exc}")
                    else:
                        ss.get("ws_known", {}).pop(ws.id, None)
                        leave()
                        st.rerun()
                if d2.button("Cancel", key="ws_delete_no"):
                    ss.ws_confirm_delete = False
                    st.rerun()
        if me is not None and s is not None:
            _own_workspaces(s, me, ws)
        others = {
            wid: v
            for wid, v in ss.get("ws_known", {}).items()
            if ws is None or wid != ws.id
        }
        if others:
            choice = st.selectbox(
                "Switch to",
                list(others),
                format_func=lambda w: others[w][0],
                index=None,
                key="ws_switch",
                placeholder="a workspace opened in this session",
            )
            if choice is not None and st.button("Switch", key="ws_switch_go"):
                _open(others[choice][1])
                st.rerun()
        with st.form("ws_open", border=False):
            link = st.text_input(
                "Open a workspace link",
                key="ws_open_link",
                placeholder="…?ws=… or the token",
            )
            if (
                st.form_submit_button("Open", icon=":material/link:")
                and link
                and _open(link)
            ):
                st.rerun()
