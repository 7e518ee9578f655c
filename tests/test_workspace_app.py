"""Workspaces in the app (AppTest): uploads, saved scenarios and the comparison list last.

A fresh AppTest is a new browser session; clearing Streamlit's resource cache
as well drops everything the server held in memory, as a restart does. The
numbers the app shows after that are compared with ``footprint`` computed
directly on the uploaded files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages import state
from footprint.accounting import account, current_plan
from footprint.imports import build_organisation, read_sites, read_staff, template_bytes
from footprint.scenario import load_scenario
from footprint.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
OFFICES, STAFF = template_bytes("offices", "csv"), template_bytes("staff", "csv")


@pytest.fixture(autouse=True)
def db(tmp_path, monkeypatch):
    """A throwaway store for each test (never the user's data directory)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("FOOTPRINT_DB", url)
    return url


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def restart() -> None:
    """Forget everything the server holds in memory (organisations, footprints, the store's engine)."""
    st.cache_resource.clear()


def params_of(at: AppTest) -> dict[str, str]:
    values = {k: at.query_params[k] for k in at.query_params}
    return {k: v if isinstance(v, str) else v[-1] for k, v in values.items()}


def total(at: AppTest) -> str:
    for m in at.metric:
        if m.label.startswith("Total"):
            return m.value
    raise AssertionError(f"no Total metric in {[m.label for m in at.metric]}")


def upload(at: AppTest, name: str = "Acme Facilities") -> AppTest:
    at.file_uploader(key="d_sites").upload("offices.csv", OFFICES, "text/csv")
    at.file_uploader(key="d_staff").upload("staff.csv", STAFF, "text/csv")
    at.text_input(key="d_name").set_value(name)
    at.button(key="FormSubmitter:upload_form-Validate and load").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


@pytest.fixture(scope="module")
def own_total() -> str:
    """The template organisation's baseline total, computed directly [t CO₂e/yr]."""
    sites = read_sites(OFFICES, "offices.csv").table
    org = build_organisation(
        sites, read_staff(STAFF, "staff.csv", site_ids=sites.site_id).table, name="x"
    )
    fp = account(
        org,
        load_scenario(ROOT / "scenarios" / "baseline.toml").policy,
        current_plan(org),
    )
    return f"{fp.total_tco2e:,.0f}"


def test_the_demo_opens_at_once_without_a_workspace(db):
    at = run()
    assert at.session_state.workspace is None and at.session_state.org_key == state.DEMO
    assert "ws" not in at.query_params
    assert not Path(
        db.removeprefix("sqlite:///")
    ).exists()  # the demo never touches the database


@pytest.mark.slow
def test_an_upload_survives_refresh_and_restart_through_the_workspace_link(
    db, own_total
):
    at = upload(run("data"))
    assert at.session_state.org_key.startswith("ws:")
    link = params_of(at)
    assert "ws" in link and link["org"] == at.session_state.org_key
    [info] = Store(db).list_workspaces()
    assert (info.name, info.n_organisations) == ("Acme Facilities", 1)
    demo_total = total(run())

    restart()
    again = run(
        "overview", **link
    )  # a new session after a restart, from the same address
    assert again.session_state.org_key == at.session_state.org_key
    assert total(again) == own_total != demo_total
    assert not again.warning

    restart()
    bare = run("overview", ws=link["ws"])  # the shared workspace link alone
    assert bare.session_state.org_key == at.session_state.org_key
    assert total(bare) == own_total
    assert bare.session_state.scenario.name == "Acme Facilities: today's estate"


@pytest.mark.slow
def test_an_upload_link_without_the_workspace_token_opens_nobodys_data(db):
    at = upload(run("data"))
    link = params_of(at)
    other = Store(db).create_workspace("Someone else")[1]
    for params in (
        {k: v for k, v in link.items() if k != "ws"},  # the token left out
        {**link, "ws": other},  # another workspace's token
        {**link, "ws": link["ws"][:-2] + "xx"},  # a wrong token
        {
            "org": "upload:" + "0" * 24,
            "hubs": "current",
            "name": "Acme: today's estate",
        },
    ):  # old link
        page = run("overview", **params)
        assert page.session_state.org_key == state.DEMO
        assert (
            page.session_state.scenario.name == state.default_scenario().name
        )  # not the user's name
        assert any(
            "not available" in w.value or "does not open" in w.value
            for w in page.warning
        ), params
    gone = run("overview", **{k: v for k, v in link.items() if k != "ws"})
    assert any(
        "Upload your files again" in p.proto.label for p in gone.get("page_link")
    )


def test_a_link_to_an_upload_deleted_from_its_workspace_says_so(db, own_total):
    at = upload(run("data"))
    link = params_of(at)
    store = Store(db)
    ws = store.open(link["ws"])
    assert store.delete_organisation(ws, link["org"].removeprefix("ws:"))
    restart()
    for params in (link, {"ws": link["ws"], "org": link["org"]}):
        page = run("overview", **params)
        assert (
            page.session_state.org_key == state.DEMO
            and page.session_state.workspace.id == ws.id
        )
        assert any("not available" in w.value for w in page.warning), params
        assert page.session_state.scenario.name == state.default_scenario().name
        assert total(page) != own_total


def test_a_deleted_or_revoked_workspace_link_says_so(db):
    store = Store(db)
    ws, token = store.create_workspace("Short-lived")
    assert run(ws=token).session_state.workspace.id == ws.id
    store.revoke(token)
    at = run(ws=token)
    assert at.session_state.workspace is None
    assert any("does not open anything" in w.value for w in at.warning)


def test_the_comparison_list_survives_a_refresh(db):
    at = run("compare")
    at.button(key="cmp_add_current").click().run()
    assert not at.exception
    assert at.session_state.workspace is not None  # made on the first thing kept
    link = params_of(at)
    names = [s.name for s in at.session_state.saved]
    assert names == [state.default_scenario().name]

    restart()
    again = run("compare", **link)
    assert [s.name for s in again.session_state.saved] == names
    again.button(key="cmp_rm_0").click().run()
    assert not again.exception
    store = Store(db)
    assert store.comparison(store.open(link["ws"])) == []
    assert run("compare", **link).session_state.saved == []


def test_save_to_workspace_keeps_the_scenario_text_and_a_result_snapshot(db):
    at = run("report")
    assert not [
        b for b in at.button if "scenarios/" in b.label
    ]  # no longer writes into the server's folder
    at.button(key="ws_save").click().run()
    assert not at.exception and at.success
    store = Store(db)
    ws = store.open(params_of(at)["ws"])
    s = at.session_state.scenario
    assert store.load_scenario(ws, s.name) == s
    [snap] = store.results(ws)
    assert snap.scenario_name == s.name and snap.summary["footprint"]["total_tco2e"] > 0

    restart()
    cmp = run(
        "compare", **params_of(at)
    )  # the Compare page reads both back from the store
    assert cmp.session_state.saved == []
    [table] = [d.value for d in cmp.dataframe if "scenario" in d.value.columns]
    assert table["scenario"].tolist() == [s.name]
    assert table["total [t CO₂e/yr]"].tolist() == [
        snap.summary["footprint"]["total_tco2e"]
    ]
    cmp.multiselect(key="cmp_ws").set_value([s.name]).run()
    cmp.button(key="cmp_add_ws").click().run()
    assert not cmp.exception
    assert cmp.session_state.saved == [s]


def test_the_switcher_renames_and_deletes_after_confirmation(db):
    at = run("report")
    at.button(key="ws_save").click().run()
    token = params_of(at)["ws"]
    at.text_input(key="ws_rename_name").set_value("Board study")
    at.button(key="FormSubmitter:ws_rename-Rename").click().run()
    store = Store(db)
    assert store.open(token).name == "Board study"
    at.button(key="ws_relink").click().run()  # revoke the shared link, make a new one
    assert not at.exception
    new = params_of(at)["ws"]
    assert (
        new != token
        and store.open(token) is None
        and store.open(new).name == "Board study"
    )
    at.button(
        key="ws_save"
    ).click().run()  # the session goes on working with the new link
    assert not at.exception and at.success
    token = new
    at.button(key="ws_delete").click().run()
    assert store.open(token) is not None  # asked first, not deleted yet
    at.button(key="ws_delete_yes").click().run()
    assert not at.exception
    assert store.open(token) is None and store.list_workspaces() == []
    assert at.session_state.workspace is None and "ws" not in at.query_params
