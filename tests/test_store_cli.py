"""``python -m footprint workspace list|create|export|import|delete``: a study moves between machines."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from footprint.cli import main
from footprint.imports import build_organisation, read_sites, read_staff, template_bytes
from footprint.inputs import Policy
from footprint.scenario import HubChoice, Scenario, parse_scenario
from footprint.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FOOTPRINT_DB", url)
    return url


def cli(*args: str, input: str | None = None) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args), input=input)
    return r.exit_code, r.output


def _token(output: str) -> str:
    return output.strip().splitlines()[-1]


def _study(store: Store, token: str) -> None:
    ws = store.open(token)
    sites = read_sites(template_bytes("offices", "csv"), "offices.csv")
    staff = read_staff(
        template_bytes("staff", "csv"), "staff.csv", site_ids=sites.table.site_id
    )
    store.save_organisation(
        ws,
        build_organisation(sites.table, staff.table, name="Template Ltd"),
        [sites, staff],
    )
    for days in (1.0, 2.5):
        s = Scenario(
            name=f"{days:g} days",
            policy=Policy(office_days_per_week=days),
            hubs=HubChoice(selection="largest", count=3),
        )
        store.save_scenario(ws, s)
        store.add_to_comparison(ws, s)


def test_create_list_export_import_round_trip(db, tmp_path):
    code, out = cli("workspace", "create", "Estates review")
    assert code == 0, out
    token = _token(out)
    assert len(token) == 22
    _study(Store(db), token)

    code, out = cli("workspace", "list", "--json")
    [row] = json.loads(out)
    assert (
        row["name"],
        row["organisations"],
        row["scenarios"],
        row["active_links"],
    ) == ("Estates review", 1, 2, 1)
    assert token not in out

    first = tmp_path / "review.zip"
    code, out = cli("workspace", "export", token, "-o", str(first))
    assert code == 0, out
    names = zipfile.ZipFile(first).namelist()
    assert (
        "scenarios/001-1-days.toml" in names
        and "organisations/001/staff_groups.csv" in names
    )
    assert (
        parse_scenario(
            zipfile.ZipFile(first).read("scenarios/002-2-5-days.toml").decode()
        ).policy.office_days_per_week
        == 2.5
    )

    # on another machine: a new database
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, out = cli("workspace", "import", str(first), "--db", other)
    assert code == 0, out
    token2 = _token(out)
    second = tmp_path / "again.zip"
    assert cli("workspace", "export", token2, "--db", other, "-o", str(second))[0] == 0
    assert second.read_bytes() == first.read_bytes()  # restored exactly

    s1, s2 = Store(db), Store(other)
    w1, w2 = s1.open(token), s2.open(token2)
    assert s2.scenarios(w2) == s1.scenarios(w1)
    o1, o2 = (
        s1.load_organisation(w1, s1.organisations(w1)[0].id),
        s2.load_organisation(w2, s2.organisations(w2)[0].id),
    )
    assert o2.sites == o1.sites and o2.staff == o1.staff
    assert s2.comparison(w2) == s1.comparison(w1)


def test_bad_token_or_archive_is_one_line_and_exit_2(db, tmp_path):
    code, out = cli("workspace", "export", "not-a-token", "-o", str(tmp_path / "x.zip"))
    assert code == 2 and "no workspace opens with this token" in out
    assert not (tmp_path / "x.zip").exists()
    bad = tmp_path / "bad.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "workspace.json",
            json.dumps(
                {
                    "format": 1,
                    "name": "x",
                    "scenarios": [{"name": "s", "file": "scenarios/s.toml"}],
                    "organisations": [],
                    "comparisons": [],
                    "results": [],
                }
            ),
        )
        zf.writestr(
            "scenarios/s.toml",
            "schema_version = 1\nname = 's'\n[policy]\nvideo_share = 3\n",
        )
    bad.write_bytes(buf.getvalue())
    code, out = cli("workspace", "import", str(bad))
    assert code == 2 and "bad.zip/scenarios/s.toml" in out and "Traceback" not in out
    assert json.loads(cli("workspace", "list", "--json")[1]) == []


def test_delete_asks_then_deletes_everything(db):
    token = _token(cli("workspace", "create", "Old study")[1])
    _study(Store(db), token)
    code, out = cli("workspace", "delete", token, input="n\n")
    assert code == 0 and "Nothing deleted" in out and Store(db).open(token) is not None
    code, out = cli("workspace", "delete", token, input="y\n")
    assert code == 0, out
    assert Store(db).open(token) is None and Store(db).list_workspaces() == []


@pytest.mark.slow
def test_the_module_entry_point_runs_the_workspace_commands(db):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "footprint", "workspace", "create", "From the shell"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout
    assert Store(db).open(_token(out)).name == "From the shell"


def test_list_shows_each_workspace_owner(db):
    from footprint.store import owner_id

    store = Store(db)
    alice = owner_id("https://login.example.test/", "alice-0001")
    store.create_owned_workspace("Alice's study", alice, created_by="alice@x.test")
    store.create_workspace("Link only")
    store.close()
    code, out = cli("workspace", "list", "--json")
    assert code == 0, out
    assert {w["name"]: w["owner"] for w in json.loads(out)} == {
        "Alice's study": "https://login.example.test/ alice-0001",
        "Link only": None,
    }
    code, out = cli("workspace", "list")
    assert code == 0, out
    [line] = [x for x in out.splitlines() if "Alice's study" in x]
    assert line.endswith("(owner: https://login.example.test/ alice-0001)")
    assert "owner" not in next(x for x in out.splitlines() if "Link only" in x)
