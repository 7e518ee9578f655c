"""Hostile and broken input (issue 11): nothing lost, nothing read that should not be, every message
names file, row and field. One test per class of problem; each checks the exit code or the
exact Problem, and that no data was silently changed."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from footprint.cli import main
from footprint.errors import InputError, Problem, ScenarioError
from footprint.imports import read_organisation, read_sites, read_staff
from footprint.imports.organisation import site_aliases
from footprint.imports.tables import MAX_BYTES, MAX_XLSX_UNZIPPED
from footprint.safeio import WriteError, read_bounded, too_big_message, write_atomic
from footprint.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]

OFFICES = (
    "site_id,name,lat,lon,headcount,must_keep\n"
    "A,Alpha,52.48,-1.89,10,yes\n"
    "B,Beta,53.48,-2.24,8,yes\n"
    "C,Gamma,51.45,-2.58,5,no\n"
)
STAFF = (
    "home_lat,home_lon,current_site_id,commute_mode,count\n"
    "52.50,-1.90,A,car,6\n"
    "52.40,-1.80,A,rail,4\n"
    "53.40,-2.20,B,bus,8\n"
    "51.50,-2.60,C,walk,5\n"
)


def scenario_text(**org: str) -> str:
    extra = "".join(f'{k} = "{v}"\n' for k, v in org.items())
    return (
        textwrap.dedent("""\
        schema_version = 1
        name = "t"
        [organisation]
        source = "files"
        sites = "offices.csv"
        staff = "staff.csv"
        """)
        + extra
    )


@pytest.fixture
def own(tmp_path: Path) -> Path:
    (tmp_path / "offices.csv").write_text(OFFICES)
    (tmp_path / "staff.csv").write_text(STAFF)
    return tmp_path


def cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


# --- security: files are only regular files of bounded size --------------------------------------
def test_read_bounded_refuses_devices_pipes_folders_and_big_files(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    cases = {
        "/dev/zero": "is a device, not a regular file",
        str(fifo): "is a named pipe, not a regular file",
        str(tmp_path): "is a folder",
        str(big): "the file is 0.0 MB, above the limit of 0.0001 MB",
    }
    for path, words in cases.items():
        with pytest.raises(InputError) as e:
            read_bounded(path, 100, source="s.toml", field="organisation.sites")
        (p,) = e.value.problems
        assert (p.source, p.row, p.field) == (
            "s.toml",
            None,
            "organisation.sites",
        ) and words in p.message, p
    assert read_bounded(big, 101) == b"x" * 101


@pytest.mark.parametrize(
    "key,value",
    [
        ("sites", "/dev/zero"),
        ("staff", "pipe"),
        ("sites", "."),
        ("factor_set", "/dev/zero"),
        ("factor_set", "/etc/passwd"),
        ("factor_set", "../../x"),
        ("factor_set", "zero.toml"),
    ],
)
def test_a_scenario_never_reads_a_device_pipe_or_folder(own, key, value):
    os.mkfifo(own / "pipe")
    os.symlink("/dev/zero", own / "zero.toml")
    text = scenario_text()
    if key == "factor_set":
        text += f'[policy]\nfactor_set = "{value}"\n'
        where = "policy.factor_set"
    else:
        text = text.replace(
            f'{key} = "{key if key == "staff" else "offices"}.csv"',
            f'{key} = "{value}"',
        )
        where = f"organisation.{key}"
    (own / "s.toml").write_text(text)
    code, out = cli("run", str(own / "s.toml"))
    assert code == 2, out
    assert f"s.toml, field '{where}'" in out and "internal error" not in out


def test_a_link_names_only_builtin_factor_sets():
    from app_pages.state import default_scenario, scenario_from_params

    fallback = default_scenario()
    for hostile in (
        "/dev/zero",
        "/etc/passwd",
        "../../etc/passwd",
        "x.toml",
        "desnz-1999",
    ):
        s, key, problems = scenario_from_params(
            {"factor_set": hostile, "hubs": "current"}, fallback
        )
        assert s.policy.factor_set == fallback.policy.factor_set and key == "demo"
        assert [(p.source, p.field) for p in problems] == [("link", "factor_set")]
    s, _, problems = scenario_from_params(
        {"factor_set": "desnz-2024", "hubs": "current"}, fallback
    )
    assert s.policy.factor_set == "desnz-2024" and not problems


# --- data loss: atomic writes -------------------------------------------------------------------------
CHILD = textwrap.dedent("""\
    import resource, signal, sys
    from dataclasses import replace
    from pathlib import Path
    from footprint.safeio import WriteError
    from footprint.scenario import load_scenario, save_scenario, scenario_to_toml
    path = Path(sys.argv[1])
    s = replace(load_scenario(path), description="a long description " * 200)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit raises EFBIG, not a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))  # the disk is "full" after 1 KiB
    if sys.argv[2] == "naive":
        try:
            path.write_text(scenario_to_toml(s))
        except OSError:
            sys.exit(4)
    try:
        save_scenario(s, path)
    except WriteError as e:
        print(e)
        sys.exit(3)
""")


def test_disk_full_mid_save_leaves_the_old_scenario_intact(tmp_path):
    target = tmp_path / "hubs.toml"
    target.write_bytes((ROOT / "scenarios" / "hubs-30.toml").read_bytes())
    before = target.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), "atomic"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 3, res.stderr
    assert res.stdout.strip().startswith(
        f"cannot write {target}: the file is larger than this system allows"
    )
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hubs.toml"
    ]  # no temporary file left behind
    # the test can fail: a plain write under the same limit destroys the file
    naive = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), "naive"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert (
        naive.returncode == 4
        and target.stat().st_size == 1024
        and target.read_bytes() != before
    )


def test_write_atomic_replaces_and_keeps_permissions(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("old")
    p.chmod(0o640)
    write_atomic(p, "new")
    assert p.read_text() == "new" and stat.S_IMODE(p.stat().st_mode) == 0o640
    with pytest.raises(WriteError, match="the folder does not exist"):
        write_atomic(tmp_path / "no" / "r.csv", b"x")
    with pytest.raises(WriteError, match="is a folder"):
        write_atomic(tmp_path, b"x")


def test_cli_write_failure_is_a_clear_message(own):
    (own / "s.toml").write_text(scenario_text())
    code, out = cli(
        "run", str(own / "s.toml"), "--report", str(own / "missing" / "r.csv")
    )
    assert (
        code == 2
        and f"cannot write {own / 'missing' / 'r.csv'}: the folder does not exist"
        in out
    )
    code, out = cli("data", "template", "offices", "-o", str(own))
    assert code != 0 and "internal error" not in out


# --- wrong numbers ------------------------------------------------------------------------------------
def test_huge_values_are_refused_with_row_and_field():
    offices = (
        OFFICES.replace("headcount", "headcount,floor_area_m2")
        .replace(",10,yes", ",10,1e300,yes")
        .replace(",8,yes", ",123456789012345678901,2000,yes")
        .replace(",5,no", ",5,500,no")
    )
    rep = read_sites(offices.encode(), "o.csv")
    got = {(p.row, p.field): p.message for p in rep.problems}
    assert set(got) == {(2, "floor_area_m2"), (3, "headcount")}
    assert got[(2, "floor_area_m2")].startswith(
        "1e300 is out of range; 'floor_area_m2' must be ≤ 5,000,000 [m²]"
    )
    assert got[(3, "headcount")].startswith(
        "123456789012345678901 is out of range; 'headcount' must be ≤ 1,000,000 [people]"
    )
    assert (
        rep.n_valid == 1
        and rep.table.site_id == ("C",)
        and int(rep.table.max_desks[0]) == 62
    )
    staff = STAFF.replace("52.50,-1.90,A,car,6", "52.50,-1.90,A,car,1e308")
    rep = read_staff(staff.encode(), "s.csv", site_ids=["A", "B", "C"])
    assert [(p.row, p.field) for p in rep.problems] == [(2, "count")]
    assert np.isfinite(rep.table.total) and rep.table.total == 17


def test_ft2_problems_are_in_ft2():
    rep = read_sites(
        b"site_id,lat,lon,headcount,Floor area (sq ft)\nA,52,-1,5,-100\nB,52,-1,5,99999999999\n",
        "o.csv",
    )
    msgs = [p.message for p in rep.problems]
    assert msgs[0] == "-100 is out of range; 'Floor area (sq ft)' must be ≥ 0 [ft²]"
    assert msgs[1].startswith(
        "99999999999 is out of range; 'Floor area (sq ft)' must be ≤ 53,819,552.08 [ft²]"
    )


def test_european_thousands_dots_read_or_refused():
    rep = read_sites(
        b"site_id;lat;lon;headcount;floor_area\nA;52,48;-1,89;1.800;1.200,5\n", "eu.csv"
    )
    assert (
        rep.ok
        and int(rep.table.headcount[0]) == 1800
        and rep.table.floor_area_m2[0] == 1200.5
    )
    rep = read_sites(
        b"site_id;location;headcount\nA;Leeds;1.800\nB;York;120\n", "eu.csv"
    )
    (p,) = rep.problems
    assert (p.source, p.row, p.field) == (
        "eu.csv",
        2,
        "headcount",
    ) and "'1.800' is ambiguous" in p.message
    rep = read_sites(
        b"site_id;lat;lon;headcount;floor_area\nA;52.48;-1.89;10;1.800\n", "dot.csv"
    )
    assert (
        rep.ok and rep.table.floor_area_m2[0] == 1.8
    )  # a ';' file that writes decimals with dots


def _xlsx(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_formula_without_value_is_reported():
    def build(wb):
        ws = wb.active
        ws.append(["site_id", "lat", "lon", "headcount"])
        ws.append(["A", 52.48, -1.89, "=2*60"])
        ws.append(["B", 53.48, -2.24, 8])

    rep = read_sites(_xlsx(build), "f.xlsx")
    assert [(p.row, p.field) for p in rep.problems] == [(2, "headcount")]
    assert "formula without a saved value" in rep.problems[0].message
    assert rep.table.site_id == ("B",)


def test_xlsx_cover_sheet_and_title_row_are_skipped_and_said():
    def build(wb):
        wb.active.title = "Cover"
        wb.active["A1"] = "Estate register: read me first"
        ws = wb.create_sheet("Offices")
        ws["A1"] = "Offices, March 2026"
        ws.merge_cells("A1:D1")
        ws.append([])
        ws.append(["site_id", "lat", "lon", "headcount"])
        ws.append(["A", 52.48, -1.89, 10])

    rep = read_sites(_xlsx(build), "w.xlsx")
    assert rep.ok and rep.table.site_id == ("A",)
    assert (
        "read sheet 'Offices' (header on row 3) of sheets 'Cover', 'Offices'"
        in rep.notes
    )
    with pytest.raises(
        InputError, match="no sheet 'Staff'; its sheets are: 'Cover', 'Offices'"
    ):
        read_sites(_xlsx(build), "w.xlsx", sheet="Staff")


# --- refused like `optimise`, usage errors ------------------------------------------------------------
def test_run_free_number_of_hubs_without_a_price_is_refused(own):
    (own / "s.toml").write_text(
        scenario_text() + '[hubs]\nselection = "optimise"\ncount = 0\n'
    )
    code, out = cli("run", str(own / "s.toml"))
    assert code == 2 and f"{own / 's.toml'}, field 'hubs.count'" in out


@pytest.mark.parametrize(
    "args,words",
    [
        (
            ["--hubs", "0:5"],
            "Invalid value for --hubs: '0:5' is not a range of hub counts",
        ),
        (
            ["--weights", "abc"],
            "Invalid value for --weights: 'abc' is not a comma list of numbers",
        ),
        (
            ["--weights", "0,nan,-1"],
            "Invalid value for --weights: nan, -1: each weight must be a number from 0 to 100",
        ),
    ],
)
def test_sweep_usage_errors(own, args, words):
    (own / "s.toml").write_text(scenario_text())
    code, out = cli("sweep", str(own / "s.toml"), *args)
    assert (
        code == 2 and words in out and "Usage:" in out and "internal error" not in out
    )


def test_random_state_out_of_range(own):
    (own / "s.toml").write_text(scenario_text() + "[optimiser]\nrandom_state = -1\n")
    code, out = cli("run", str(own / "s.toml"))
    assert (
        code == 2
        and "field 'optimiser.random_state': must be a whole number from 0 to 4,294,967,295"
        in out
    )


def test_compare_names_the_infeasible_file(own):
    (own / "a.toml").write_text(scenario_text())
    (own / "b.toml").write_text(
        scenario_text() + '[hubs]\nselection = "largest"\ncount = 1\n'
    )
    code, out = cli("compare", str(own / "a.toml"), str(own / "b.toml"))
    assert (
        code == 3
        and f"{own / 'b.toml'}: 2 sites are must-keep but only 1 hubs are allowed"
        in out
    )


def test_unknown_factor_set_names_file_and_key(own):
    (own / "s.toml").write_text(
        scenario_text() + '[policy]\nfactor_set = "desnz-1999"\n'
    )
    with pytest.raises(ScenarioError) as e:
        load_scenario(own / "s.toml")
    (p,) = e.value.problems
    assert (p.source, p.field) == (str(own / "s.toml"), "policy.factor_set")
    assert p.message.startswith(
        "unknown factor set 'desnz-1999'; use one of: desnz-2026"
    )


# --- knock-on errors, names, quotes, places -------------------------------------------------------------
def test_staff_of_a_rejected_office_reported_once_with_count():
    offices = OFFICES.replace("C,Gamma,51.45,-2.58,5,no", "C,Gamma,north,-2.58,5,no")
    staff = STAFF + "51.50,-2.60,C,car,1\n" * 50
    sites = read_sites(offices.encode(), "o.csv")
    rep = read_staff(
        staff.encode(),
        "s.csv",
        site_ids=site_aliases(sites.table),
        rejected_sites=sites.rejected_sites,
    )
    (p,) = rep.problems
    assert (p.source, p.row, p.field) == ("s.csv", 5, "current_site_id")
    assert p.message.startswith(
        "office 'C' was left out of the offices file because of its own problems"
    )
    assert p.message.endswith("(51 rows: 5, 6, 7, 8, 9, …)")
    assert rep.invalid_rows == tuple(range(5, 56)) and rep.table.total == 18
    with pytest.raises(InputError) as e:  # the strict reader says the same, once
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            Path(d, "o.csv").write_text(offices)
            Path(d, "s.csv").write_text(staff)
            read_organisation(Path(d, "o.csv"), Path(d, "s.csv"))
    assert [(q.source, q.row, q.field) for q in e.value.problems] == [
        ("o.csv", 4, "lat"),
        ("s.csv", 5, "current_site_id"),
    ]


def test_staff_may_name_their_office_by_name():
    sites = read_sites(OFFICES.encode(), "o.csv").table
    rep = read_staff(
        STAFF.replace(",A,car", ",alpha,car").encode(),
        "s.csv",
        site_ids=site_aliases(sites),
    )
    assert rep.ok and set(rep.table.current_site_id) == {"A", "B", "C"}


def test_unclosed_quote_on_its_row():
    with pytest.raises(InputError) as e:
        read_sites(
            b'site_id,lat,lon,headcount\nA,52.1,-1.5,10\nB,52.2,-1.6,20\n"C,52.3,-1.7,30\nD,52,-1,4\n',
            "q.csv",
        )
    (p,) = e.value.problems
    assert (p.source, p.row) == ("q.csv", 4) and "never closed" in p.message


def test_ambiguous_place_reported_once_per_value():
    staff = (
        "home_location,current_site_id,commute_mode\n"
        + "Newport,A,car\n" * 188
        + "Leeds,A,car\n"
    )
    rep = read_staff(staff.encode(), "s.csv", site_ids=["A"])
    (p,) = rep.problems
    assert (p.row, p.field) == (2, "home_location") and p.message.startswith(
        "'Newport' is ambiguous"
    )
    assert p.message.endswith("(188 rows: 2, 3, 4, 5, 6, …)")
    assert rep.n_valid == 1 and len(rep.invalid_rows) == 188


def test_size_limits_as_the_docs_say():
    docs = (ROOT / "docs" / "data-import.md").read_text()
    assert MAX_BYTES == 50_000_000 and MAX_XLSX_UNZIPPED == 500_000_000
    assert "**50 MB**" in docs and "500 MB" in docs
    assert (
        too_big_message(52_428_800, MAX_BYTES)
        == "the file is 52.4 MB, above the limit of 50 MB"
    )


# --- own data from the command line -------------------------------------------------------------------
def test_column_mapping_in_scenario_and_on_data_check(own):
    (own / "offices.csv").write_text(OFFICES.replace("site_id,name", "Ref no,Label"))
    (own / "s.toml").write_text(
        scenario_text()
        + '[organisation.columns]\n"Ref no" = "site_id"\n"Label" = "name"\n'
    )
    code, out = cli("run", str(own / "s.toml"))
    assert code == 0 and "3 sites, 23 staff" in out, out
    code, out = cli(
        "data",
        "check",
        str(own / "offices.csv"),
        str(own / "staff.csv"),
        "--map",
        "Ref no=site_id",
    )
    assert code == 0 and "'Ref no' → site_id" in out
    code, out = cli(
        "data",
        "check",
        str(own / "offices.csv"),
        "--map",
        "Nope=site_id",
        "--map",
        "Ref no=site_id",
    )
    assert (
        code == 2
        and "--map, field 'columns.Nope': maps a column 'Nope' that is in neither offices.csv"
        in out
    )
    (own / "s.toml").write_text(
        scenario_text()
        + '[organisation.columns]\n"Ref no" = "site_id"\n"Nope" = "name"\n'
    )
    code, out = cli("run", str(own / "s.toml"))
    assert code == 2 and "field 'columns.Nope'" in out


def test_building_ref_matches_site_id():
    rep = read_sites(OFFICES.replace("site_id", "Building ref").encode(), "o.csv")
    assert rep.ok and rep.column_map["Building ref"] == "site_id"


def test_valid_rows_only(own):
    (own / "staff.csv").write_text(
        STAFF + "52.5,-1.9,A,hovercraft,1\n52.5,-1.9,Z,car,1\n"
    )
    code, out = cli(
        "data",
        "check",
        str(own / "offices.csv"),
        str(own / "staff.csv"),
        "--valid-rows-only",
    )
    assert code == 0 and "staff.csv: 2 rows left out: 6, 7" in out
    (own / "s.toml").write_text(scenario_text())
    code, out = cli("run", str(own / "s.toml"))
    assert code == 2
    (own / "s.toml").write_text(
        scenario_text().replace(
            "[organisation]\n", "[organisation]\nvalid_rows_only = true\n"
        )
    )
    s = load_scenario(own / "s.toml")
    from footprint.scenario.run import load_organisation

    org = load_organisation(s)
    assert org.staff.total == 23 and "staff.csv: rows 6, 7" in org.data_card


def test_problems_name_the_file_not_none():
    assert str(Problem("m", "f.csv", None, "x")) == "f.csv, field 'x': m"


# --- the app's data page ----------------------------------------------------------------------------------
def _data_page_upload(offices: str, staff: str, partial: bool):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="d_sites").upload("offices.csv", offices.encode(), "text/csv")
    at.file_uploader(key="d_staff").upload("staff.csv", staff.encode(), "text/csv")
    at.checkbox(key="d_partial").set_value(partial)
    return at.button(key="FormSubmitter:upload_form-Validate and load").click().run()


@pytest.mark.slow
def test_data_page_names_and_partial_loads():
    # staff naming their office by name are accepted, as in the CLI
    at = _data_page_upload(
        OFFICES, STAFF.replace(",A,car", ",Alpha,car"), partial=False
    )
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state.org_key.startswith("ws:") and at.success  # kept in the workspace
    # a partial load says what was left out, then that it loaded: never "Nothing was changed"
    at = _data_page_upload(OFFICES, STAFF + "52.5,-1.9,A,hovercraft,1\n", partial=True)
    assert not at.exception and not at.error
    texts = (
        [w.value for w in at.warning]
        + [i.value for i in at.info]
        + [s.value for s in at.success]
    )
    assert any("left out: row 6." in t for t in texts) and not any(
        "Nothing" in t for t in texts
    )
    assert at.success[0].value.startswith("Loaded 3 sites and 23 staff")
    # a file-level problem says "whole file", not "None"
    at = _data_page_upload(
        OFFICES.replace("headcount", "people count"), STAFF, partial=True
    )
    table = at.dataframe[0].value
    assert list(table["row"]) == ["whole file"] and table["field"][0] == "headcount"
    assert (
        at.session_state.org_key == "demo" and "Nothing was loaded" in at.info[0].value
    )
