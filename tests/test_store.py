"""The workspace store on SQLite (always) and PostgreSQL (when FOOTPRINT_TEST_POSTGRES_URL is set).

Every stored object round-trips exactly; a new engine and a new process see the
same data; a wrong or revoked token reads nothing; concurrent writers lose
nothing; a killed writer leaves the store consistent; deleting a workspace
deletes its data.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from footprint.errors import InputError
from footprint.imports import read_sites, read_staff
from footprint.imports.organisation import build_organisation
from footprint.inputs import Policy
from footprint.scenario import (
    HubChoice,
    Scenario,
    parse_scenario,
    run_scenario,
    scenario_to_toml,
)
from footprint.scenario.summary import result_to_dict
from footprint.store import (
    COMPARISON,
    AccessDenied,
    Store,
    StoreError,
    export_zip,
    import_zip,
    owner_id,
    token_hash,
)
from footprint.store import schema as db
from footprint.store.orgdata import organisation_to_dict, report_to_dict, unpack

ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "FOOTPRINT_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _no_user_data_dir(tmp_path, monkeypatch):
    """Never touch the real user data directory, whatever a test forgets."""
    monkeypatch.setenv("FOOTPRINT_DB", f"sqlite:///{tmp_path / 'default.db'}")


def _drop_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        db.metadata.drop_all(conn)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    pg = os.environ.get(PG_ENV)
    if not pg:
        pytest.skip(
            f"PostgreSQL not tested: set {PG_ENV}=postgresql+psycopg://… (.ci/run starts one)"
        )
    _drop_all(pg)
    yield pg
    _drop_all(pg)


@pytest.fixture
def store(url):
    s = Store(url)
    yield s
    s.close()


OFFICES_CSV = b"site_id,name,lat,lon,headcount\nLDS,Leeds,53.80,-1.55,3\nBHM,Birmingham,52.48,-1.90,3\n"
STAFF_CSV = (
    b"employee_id,home_postcode,office,mode,fte\n"
    b"E1001,LS6 1AN,LDS,car,1\nE1002,LS6 2AB,LDS,rail,1\nE1003,LS2 9JT,LDS,bus,0.6\n"
    b"E1004,B15 2TT,BHM,car,1\nE1005,B15 2TT,BHM,cycle,1\nE1006,B15 3XX,BHM,hovercraft,1\n"
)
PERSONAL = (
    "E1001",
    "E1002",
    "E1003",
    "E1004",
    "E1005",
    "E1006",
    "LS6 1AN",
    "LS6 2AB",
    "LS2 9JT",
    "B15 2TT",
    "B15 3XX",
    "hovercraft",
)


@pytest.fixture(scope="module")
def uploaded():
    """An organisation imported from an HR-style export (ids, full postcodes), with its import reports."""
    sites = read_sites(OFFICES_CSV, "offices.csv")
    staff = read_staff(STAFF_CSV, "staff.csv", site_ids=sites.table.site_id)
    assert staff.n_valid == 5 and len(staff.problems) == 1  # the hovercraft row
    return build_organisation(sites.table, staff.table, name="Uploaded Ltd"), [
        sites,
        staff,
    ]


@pytest.fixture(scope="module")
def result_summary(toy_org):
    s = Scenario(name="Two hubs", hubs=HubChoice(selection="largest", count=2))
    return result_to_dict(run_scenario(s, organisation=toy_org))


def _scenario(name: str, days: float = 2.0) -> Scenario:
    return Scenario(
        name=name,
        description=f"{name}: test",
        policy=Policy(office_days_per_week=days),
        hubs=HubChoice(selection="largest", count=2),
    )


def _fill(store: Store, ws, org, reports, summary) -> dict:
    oid = store.save_organisation(ws, org, reports, created_by="alice")
    store.save_scenarios(
        ws, [_scenario("A hubs", 2.0), _scenario("B hubs", 3.5)], created_by="alice"
    )
    store.add_to_comparison(ws, _scenario("B hubs", 3.5), created_by="bob")
    store.add_to_comparison(ws, _scenario("A hubs", 2.0), created_by="bob")
    store.add_to_comparison(ws, _scenario("Other", 1.0), set_name="Board pack")
    rid = store.save_result(ws, summary, created_by="carol")
    return {"org_id": oid, "result_id": rid}


def test_sqlite_is_the_default_and_follows_footprint_db(tmp_path, monkeypatch):
    monkeypatch.setenv("FOOTPRINT_DB", f"sqlite:///{tmp_path / 'x' / 'env.db'}")
    store = Store()
    store.close()
    assert store.url.endswith("x/env.db") and (tmp_path / "x" / "env.db").exists()
    monkeypatch.delenv("FOOTPRINT_DB")
    from platformdirs import user_data_dir

    from footprint.store import default_url

    assert (
        default_url()
        == f"sqlite:///{Path(user_data_dir('footprint', appauthor=False)) / 'footprint.db'}"
    )


def test_every_stored_object_round_trips(store, uploaded, result_summary):
    org, reports = uploaded
    ws, token = store.create_workspace("  Estates   review ", created_by="alice")
    assert ws.name == "Estates review" and len(token) == 22  # 16 random bytes, URL-safe
    ids = _fill(store, ws, org, reports, result_summary)
    again = store.open(token)
    assert (again.id, again.name, again.created_by) == (
        ws.id,
        "Estates review",
        "alice",
    )
    assert abs((again.created_at - ws.created_at).total_seconds()) < 1e-3

    back = store.load_organisation(ws, ids["org_id"])
    assert back.sites == org.sites and back.staff == org.staff
    assert (back.name, back.data_card, back.source) == (
        org.name,
        org.data_card,
        org.source,
    )
    assert (back.collaboration.person_trips == org.collaboration.person_trips).all()
    assert (back.collaboration.meeting_hours == org.collaboration.meeting_hours).all()
    assert back.collaboration.description == org.collaboration.description
    [info] = store.organisations(ws)
    assert (info.n_sites, info.staff, info.created_by) == (
        len(org.sites),
        org.staff.total,
        "alice",
    )
    rep = store.import_report(ws, ids["org_id"])
    assert rep == [report_to_dict(r) for r in reports] and rep[1]["kind"] == "staff"

    assert store.scenario_names(ws) == ["A hubs", "B hubs"]
    assert store.scenario_toml(ws, "B hubs") == scenario_to_toml(
        _scenario("B hubs", 3.5)
    )
    assert store.load_scenario(ws, "B hubs").policy.office_days_per_week == 3.5
    assert store.load_scenario(ws, "missing") is None

    assert [s.name for s in store.comparison(ws)] == [
        "B hubs",
        "A hubs",
    ]  # order of adding
    store.add_to_comparison(ws, _scenario("B hubs", 4.0))  # replaces, keeps its place
    assert [(s.name, s.policy.office_days_per_week) for s in store.comparison(ws)] == [
        ("B hubs", 4.0),
        ("A hubs", 2.0),
    ]
    assert store.comparison_sets(ws) == [COMPARISON, "Board pack"]
    assert store.remove_from_comparison(ws, "A hubs") and [
        s.name for s in store.comparison(ws)
    ] == ["B hubs"]

    [r] = store.results(ws)
    assert (r.id, r.scenario_name, r.created_by) == (
        ids["result_id"],
        "Two hubs",
        "carol",
    )
    assert r.summary == json.loads(json.dumps(result_summary))
    assert (
        r.summary["footprint"]["total_tco2e"]
        == result_summary["footprint"]["total_tco2e"]
    )

    renamed = store.rename(ws, "Review 2027")
    assert store.open(token).name == "Review 2027" == renamed.name


def test_the_store_holds_no_employee_id_or_postcode(store, uploaded):
    org, reports = uploaded
    ws, _ = store.create_workspace("Privacy")
    oid = store.save_organisation(ws, org, reports)
    assert set(organisation_to_dict(org)["staff"]) == {
        "home_lat",
        "home_lon",
        "count",
        "current_site_id",
        "commute_mode",
        "office_distance_km",  # the members' mean distance to their office: an aggregate
    }
    with store.engine.connect() as conn:
        row = conn.execute(
            select(db.organisations).where(db.organisations.c.id == oid)
        ).one()
    stored = json.dumps(unpack(row.data)) + row.import_report
    for value in PERSONAL:
        assert value not in stored, value
    # homes are centres of the 0.05° × 0.08° grid: 53.80 → 53.825, −1.55 → −1.56
    assert set(
        zip(org.staff.home_lat.tolist(), org.staff.home_lon.tolist(), strict=True)
    ) == {(53.825, -1.56), (52.475, -1.96)}
    [_, staff_report] = store.import_report(ws, oid)
    assert (
        staff_report["invalid_rows"] == [7]
        and staff_report["problems"][0]["field"] == "mode"
    )


def test_a_new_engine_and_a_new_process_see_everything(url, uploaded, result_summary):
    org, reports = uploaded
    first = Store(url)
    ws, token = first.create_workspace("Persist", created_by="alice")
    ids = _fill(first, ws, org, reports, result_summary)
    first.close()

    second = Store(url)  # as after a server restart
    ws2 = second.open(token)
    assert ws2 is not None and ws2.id == ws.id
    assert second.load_organisation(ws2, ids["org_id"]).staff == org.staff
    assert second.scenario_names(ws2) == ["A hubs", "B hubs"]
    second.close()

    code = textwrap.dedent(f"""
        import json, sys
        from footprint.store import Store
        s = Store({url!r})
        ws = s.open({token!r})
        org = s.load_organisation(ws, {ids["org_id"]!r})
        print(json.dumps({{"names": s.scenario_names(ws), "staff": org.staff.total,
                          "comparison": [x.name for x in s.comparison(ws)],
                          "total": s.results(ws)[0].summary["footprint"]["total_tco2e"]}}))
    """)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    got = json.loads(out.stdout)
    assert got == {
        "names": ["A hubs", "B hubs"],
        "staff": org.staff.total,
        "comparison": ["B hubs", "A hubs"],
        "total": result_summary["footprint"]["total_tco2e"],
    }


def test_a_wrong_or_revoked_token_reads_nothing(store, uploaded, result_summary):
    org, reports = uploaded
    ws, token = store.create_workspace("Private")
    ids = _fill(store, ws, org, reports, result_summary)
    other, other_token = store.create_workspace("Someone else")

    for wrong in (
        "",
        None,
        "x" * 22,
        token[:-1],
        token + "A",
        token_hash(token),
        ws.id,
        "x" * 10_000,
    ):
        assert store.open(wrong) is None
    assert store.open(other_token).id == other.id
    # another workspace's handle cannot reach this workspace's rows by id or name
    assert store.load_organisation(other, ids["org_id"]) is None
    assert (
        store.scenario_names(other) == []
        and store.results(other) == []
        and store.comparison(other) == []
    )

    second = store.add_token(ws, created_by="alice")
    assert store.revoke(token) and not store.revoke(token)
    assert store.open(token) is None
    with pytest.raises(AccessDenied):  # a handle opened earlier stops working too
        store.scenario_names(ws)
    with pytest.raises(AccessDenied):
        store.save_scenario(ws, _scenario("Sneaky"))
    ws2 = store.open(second)  # the colleague's own link still works
    assert store.scenario_names(ws2) == ["A hubs", "B hubs"]
    assert store.revoke_all(ws2) == 1 and store.open(second) is None
    # the tokens themselves are not stored, only their SHA-256
    with store.engine.connect() as conn:
        stored = set(conn.execute(select(db.access_tokens.c.token_sha256)).scalars())
    assert token not in stored and token_hash(token) in stored


def test_a_failed_write_leaves_the_previous_state(store):
    ws, _ = store.create_workspace("Atomic")
    store.save_scenario(ws, _scenario("Kept", 2.0))
    with pytest.raises(StoreError, match="not a scenario"):
        store.save_scenarios(ws, [_scenario("Kept", 4.0), _scenario("New"), "garbage"])
    assert store.scenario_names(ws) == ["Kept"]
    assert store.load_scenario(ws, "Kept").policy.office_days_per_week == 2.0
    with pytest.raises(StoreError, match="not a result"):
        store.save_result(ws, {"scenario": {"name": "x"}, "bad": float("nan")})
    assert store.results(ws) == []
    n_before = len(store.list_workspaces())
    with pytest.raises(InputError, match="zip"):
        import_zip(store, b"not a zip")
    assert len(store.list_workspaces()) == n_before


def test_deleting_a_workspace_deletes_its_data(store, uploaded, result_summary):
    org, reports = uploaded
    ws, token = store.create_workspace("Doomed")
    keep, keep_token = store.create_workspace("Kept")
    _fill(store, ws, org, reports, result_summary)
    _fill(store, keep, org, reports, result_summary)
    store.delete_workspace(ws)
    assert store.open(token) is None
    with store.engine.connect() as conn:
        for table in db.WORKSPACE_TABLES:
            n = conn.execute(
                select(func.count())
                .select_from(table)
                .where(table.c.workspace_id == ws.id)
            ).scalar()
            assert n == 0, table.name
            kept = conn.execute(
                select(func.count())
                .select_from(table)
                .where(table.c.workspace_id == keep.id)
            ).scalar()
            assert kept > 0, table.name
        assert (
            conn.execute(
                select(func.count())
                .select_from(db.workspaces)
                .where(db.workspaces.c.id == ws.id)
            ).scalar()
            == 0
        )
    assert [w.name for w in store.list_workspaces()] == ["Kept"]
    assert store.scenario_names(store.open(keep_token)) == ["A hubs", "B hubs"]


def test_export_then_import_restores_the_workspace_exactly(
    store, uploaded, result_summary, tmp_path
):
    org, reports = uploaded
    ws, _ = store.create_workspace("Study")
    _fill(store, ws, org, reports, result_summary)
    store.save_organisation(ws, replace(org, name="Second upload"), created_by="dave")
    zipped = export_zip(store, ws)
    assert export_zip(store, ws) == zipped  # deterministic

    elsewhere = Store(f"sqlite:///{tmp_path / 'other-machine.db'}")
    ws2, token2 = import_zip(elsewhere, zipped)
    assert export_zip(elsewhere, ws2) == zipped  # exactly the same files
    assert elsewhere.open(token2).name == "Study"
    assert elsewhere.scenarios(ws2) == store.scenarios(ws)
    assert elsewhere.comparison_tomls(ws2, "Board pack") == store.comparison_tomls(
        ws, "Board pack"
    )
    a, b = store.organisations(ws), elsewhere.organisations(ws2)
    assert (
        [(o.name, o.created_by) for o in b]
        == [(o.name, o.created_by) for o in a]
        == [("Uploaded Ltd", "alice"), ("Second upload", "dave")]
    )
    back = elsewhere.load_organisation(ws2, b[0].id)
    assert back.sites == org.sites and back.staff == org.staff
    assert (back.collaboration.person_trips == org.collaboration.person_trips).all()
    assert [r.summary for r in elsewhere.results(ws2)] == [
        r.summary for r in store.results(ws)
    ]
    elsewhere.close()


def test_an_invalid_archive_is_refused_naming_the_file(store, uploaded, result_summary):
    import io
    import zipfile

    org, reports = uploaded
    ws, _ = store.create_workspace("Source")
    _fill(store, ws, org, reports, result_summary)
    src = zipfile.ZipFile(io.BytesIO(export_zip(store, ws)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name.endswith("sites.csv"):
                data = data.replace(b"\n", b"\nbroken,row\n", 1)
            out.writestr(name, data)
    n_before = len(store.list_workspaces())
    with pytest.raises(InputError) as err:
        import_zip(store, buf.getvalue(), source="study.zip")
    assert err.value.problems[0].source == "study.zip/organisations/001/sites.csv"
    assert err.value.problems[0].row == 2
    assert len(store.list_workspaces()) == n_before


WRITER = """
import sys
from footprint.inputs import Policy
from footprint.scenario import HubChoice, Scenario
from footprint.store import Store
url, token, who, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s = Store(url)
ws = s.open(token)
print("ready", flush=True)
sys.stdin.readline()  # start together
for i in range(n):
    sc = Scenario(name=f"{who}-{i}", policy=Policy(office_days_per_week=1 + i % 4),
                  hubs=HubChoice(selection="largest", count=2))
    s.save_scenario(ws, sc, created_by=who)
    s.add_to_comparison(ws, sc, set_name="shared", created_by=who)
"""


@pytest.mark.slow
def test_two_concurrent_writers_lose_neither_write(url, tmp_path):
    store = Store(url)
    ws, token = store.create_workspace("Shared")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    n = 40
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, token, who, str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for who in ("alice", "bob")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    names = store.scenario_names(ws)
    assert len(names) == 2 * n
    assert set(names) == {f"{who}-{i}" for who in ("alice", "bob") for i in range(n)}
    shared = [name for name, _ in store.comparison_tomls(ws, "shared")]
    assert sorted(shared) == sorted(names)
    # each writer's own items keep their order
    assert [x for x in shared if x.startswith("alice")] == [
        f"alice-{i}" for i in range(n)
    ]
    store.close()


KILLED = """
import sys
from footprint.inputs import Policy
from footprint.scenario import HubChoice, Scenario
from footprint.store import Store
url, token = sys.argv[1], sys.argv[2]
s = Store(url)
ws = s.open(token)
batch = 0
while True:
    items = [Scenario(name=f"b{batch}-{i}", policy=Policy(office_days_per_week=1 + i % 4),
                      hubs=HubChoice(selection="largest", count=2)) for i in range(400)]
    print(f"start {batch}", flush=True)
    s.save_scenarios(ws, items)
    print(f"done {batch}", flush=True)
    batch += 1
"""


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_the_store_consistent(url, tmp_path):
    store = Store(url)
    ws, token = store.create_workspace("Crash")
    store.save_scenario(ws, _scenario("Before"))
    script = tmp_path / "killed.py"
    script.write_text(KILLED)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    interrupted = 0
    for attempt, delay in enumerate(
        (0.1, 0.3, 0.5)
    ):  # a batch takes about 0.8 s, most of it in the transaction
        p = subprocess.Popen(
            [sys.executable, str(script), url, token],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        lines = []
        while not any(
            line.startswith("start 2") for line in lines
        ):  # two batches written, third under way
            line = p.stdout.readline()
            assert line, p.stderr.read()
            lines.append(line.strip())
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate(timeout=30)  # reads and closes the pipes
        lines += [x.strip() for x in out.splitlines()]
        interrupted += lines[-1].startswith("start")  # killed inside save_scenarios
        done = sum(line.startswith("done") for line in lines)

        fresh = Store(url)  # as a new server process would
        names = fresh.scenario_names(fresh.open(token))
        assert "Before" in names
        batches = {}
        for name in names:
            if name != "Before":
                b = name.split("-")[0]
                batches[b] = batches.get(b, 0) + 1
        assert all(count == 400 for count in batches.values()), (
            batches
        )  # whole batches only
        assert done <= len(batches) <= done + 1, (attempt, done, batches)
        if fresh.dialect == "sqlite":
            with fresh.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        fresh.close()
    assert interrupted >= 1  # at least one kill landed in the middle of a batch write
    store.close()


def test_a_newer_schema_is_refused_and_migration_is_idempotent(url):
    Store(url).close()
    Store(url).close()  # second start: nothing to migrate
    engine = create_engine(url)
    with engine.begin() as conn:
        assert conn.execute(select(db.schema_version.c.version)).scalar() == db.VERSION
        conn.execute(db.schema_version.update().values(version=db.VERSION + 1))
    engine.dispose()
    with pytest.raises(RuntimeError, match="newer than this Footprint"):
        Store(url)


def test_scenario_text_is_what_a_file_download_holds(store):
    ws, _ = store.create_workspace("Files")
    s = parse_scenario(
        (ROOT / "scenarios" / "hubs-30.toml").read_text(), source="hubs-30.toml"
    )
    store.save_scenario(ws, s)
    assert parse_scenario(store.scenario_toml(ws, s.name)) == s


def test_every_boolean_site_field_is_stored_as_bool(toy_org) -> None:
    from footprint.store.orgdata import SITE_TYPES

    cols = toy_org.sites.to_columns()
    booleans = {
        k for k, v in cols.items() if len(v) and all(isinstance(x, bool) for x in v)
    }
    assert booleans == {k for k, t in SITE_TYPES.items() if t == "bool"}


# --- workspaces owned by a logged-in user (OIDC issuer + subject) -----------------------
ALICE = owner_id("http://127.0.0.1:9/issuer", "alice-0001")
BOB = owner_id("http://127.0.0.1:9/issuer", "bob-0002")


def test_owner_id_is_issuer_and_subject_and_refuses_blanks():
    assert ALICE == "http://127.0.0.1:9/issuer alice-0001"
    # the same subject at another issuer is another person
    assert owner_id("https://other.example/", "alice-0001") != ALICE
    for iss, sub in (("", "x"), ("https://i/", ""), (None, "x"), ("https://i/", "  ")):
        with pytest.raises(StoreError, match="issuer .* or subject"):
            owner_id(iss, sub)
    with pytest.raises(StoreError, match="longer than"):
        owner_id("https://i/", "s" * db.OWNER)


def test_an_owned_workspace_round_trips_its_owner(url, uploaded, result_summary):
    org, reports = uploaded
    store = Store(url)
    ws = store.create_owned_workspace("Alice's study", ALICE, created_by="alice@x.test")
    assert (ws.owner, ws.token_sha256) == (ALICE, None)  # no link until she shares it
    ids = _fill(store, ws, org, reports, result_summary)
    store.close()

    again = Store(url)  # a new engine: the owner is in the database
    [info] = again.user_workspaces(ALICE)
    assert (info.id, info.name, info.owner, info.created_by) == (
        ws.id,
        "Alice's study",
        ALICE,
        "alice@x.test",
    )
    assert (info.n_organisations, info.n_scenarios, info.n_results) == (1, 2, 1)
    assert info.n_active_tokens == 0
    opened = again.open_owned(ALICE, ws.id)
    assert opened == ws
    assert again.scenario_names(opened) == ["A hubs", "B hubs"]
    assert again.load_organisation(opened, ids["org_id"]).staff.total == org.staff.total
    renamed = again.rename(opened, "Renamed")
    assert (renamed.owner, renamed.token_sha256) == (ALICE, None)
    assert [w.owner for w in again.list_workspaces()] == [ALICE]
    again.close()


def test_a_user_lists_only_their_own_workspaces(store):
    a1 = store.create_owned_workspace("A one", ALICE)
    b1 = store.create_owned_workspace("B one", BOB)
    a2 = store.create_owned_workspace("A two", ALICE)
    link_only, _ = store.create_workspace("Anonymous")
    assert [w.id for w in store.user_workspaces(ALICE)] == [a1.id, a2.id]
    assert [w.id for w in store.user_workspaces(BOB)] == [b1.id]
    assert store.user_workspaces("") == []
    assert store.user_workspaces(owner_id("https://other.example/", "alice-0001")) == []
    # a workspace made without login has no owner and behaves as before
    assert {w.id: w.owner for w in store.list_workspaces()}[link_only.id] is None
    assert link_only.owner is None and link_only.token_sha256 is not None


def test_another_user_opens_a_workspace_only_by_its_share_link(
    store, uploaded, result_summary
):
    org, reports = uploaded
    ws = store.create_owned_workspace("Alice's study", ALICE)
    ids = _fill(store, ws, org, reports, result_summary)

    with pytest.raises(AccessDenied, match="not yours: ask its owner for a share link"):
        store.open_owned(BOB, ws.id)
    for who in ("", None):
        with pytest.raises(AccessDenied):
            store.open_owned(who, ws.id)
    with pytest.raises(AccessDenied, match="no such workspace"):
        store.open_owned(ALICE, "0" * 32)
    link_only, link_token = store.create_workspace("Link only")
    with pytest.raises(AccessDenied, match="opens only with its link"):
        store.open_owned(ALICE, link_only.id)
    # a handle made up for Bob (not from the store) reads and writes nothing
    forged = replace(ws, owner=BOB)
    for read in (store.scenario_names, store.results, store.organisations):
        with pytest.raises(AccessDenied):
            read(forged)
    with pytest.raises(AccessDenied):
        store.load_organisation(forged, ids["org_id"])
    with pytest.raises(AccessDenied):
        store.save_scenario(forged, _scenario("Sneaky"))
    with pytest.raises(AccessDenied):
        store.delete_workspace(forged)
    assert store.scenario_names(ws) == ["A hubs", "B hubs"]  # untouched

    # Alice shares a link with her team: whoever holds it opens the workspace
    token = store.add_token(ws, created_by="alice@x.test")
    shared = store.open(token)
    assert (shared.id, shared.owner) == (ws.id, ALICE)
    assert store.scenario_names(shared) == ["A hubs", "B hubs"]
    assert [
        w.id for w in store.user_workspaces(BOB)
    ] == []  # sharing does not give it to Bob
    # revoking the link ends it; Alice keeps her access through login
    assert store.revoke(token)
    assert store.open(token) is None
    with pytest.raises(AccessDenied):
        store.scenario_names(shared)
    with pytest.raises(AccessDenied):
        store.load_organisation(shared, ids["org_id"])
    assert store.scenario_names(store.open_owned(ALICE, ws.id)) == ["A hubs", "B hubs"]
    # "stop sharing": every link at once
    t1, t2 = store.add_token(ws), store.add_token(ws)
    assert (
        store.revoke_all(ws) == 2 and store.open(t1) is None and store.open(t2) is None
    )
    assert (
        store.open(link_token).id == link_only.id
    )  # other workspaces' links unaffected
    # deleting it: its owner's handle stops working, the user has none left
    store.delete_workspace(ws)
    with pytest.raises(AccessDenied):
        store.scenario_names(ws)
    assert store.user_workspaces(ALICE) == []


def test_a_version_1_database_gains_owners_in_place(url):
    """A store written before owners existed (schema version 1) upgrades when it opens."""
    engine = create_engine(url)
    with (
        engine.begin() as conn
    ):  # the version 1 schema, as the released Footprint made it
        db.schema_version.create(conn)
        db.MIGRATIONS[0](conn)
        conn.execute(db.schema_version.insert().values(id=1, version=1))
        cols = {c["name"] for c in inspect(conn).get_columns("workspaces")}
        assert "owner" not in cols
        now = "2026-01-02 03:04:05"
        conn.execute(
            text(
                "INSERT INTO workspaces (id, name, created_at, created_by, updated_at) "
                "VALUES ('w1', 'Old study', :t, 'app', :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO access_tokens (token_sha256, workspace_id, created_at, created_by) "
                "VALUES (:h, 'w1', :t, 'app')"
            ),
            {"h": token_hash("old-token-0123456789ab"), "t": now},
        )
        conn.execute(
            text(
                "INSERT INTO scenarios (workspace_id, name, toml, created_at, created_by, updated_at) "
                "VALUES ('w1', 'Kept', :toml, :t, 'app', :t)"
            ),
            {"toml": scenario_to_toml(_scenario("Kept", 3.0)), "t": now},
        )
    engine.dispose()

    store = Store(url)  # migrates to the current version
    with store.engine.connect() as conn:
        assert conn.execute(select(db.schema_version.c.version)).scalar() == db.VERSION
        assert "owner" in {c["name"] for c in inspect(conn).get_columns("workspaces")}
        assert "ix_workspaces_owner" in {
            i["name"] for i in inspect(conn).get_indexes("workspaces")
        }
    old = store.open("old-token-0123456789ab")  # the old link still opens it, as before
    assert (old.id, old.name, old.owner) == ("w1", "Old study", None)
    assert store.load_scenario(old, "Kept").policy.office_days_per_week == 3.0
    with pytest.raises(AccessDenied):  # an old workspace belongs to nobody
        store.open_owned(ALICE, "w1")
    mine = store.create_owned_workspace("New", ALICE)
    assert [w.id for w in store.user_workspaces(ALICE)] == [mine.id]
    store.close()
    Store(url).close()  # and opening again migrates nothing
