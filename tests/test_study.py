"""Studies: the study file, the draws' random streams, the serial engine, resume, the report and the CLI."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from footprint.cli import main
from footprint.scenario import run_scenario
from footprint.study import StudyError, load_study, read_results, run_study
from footprint.study import tasks as study_tasks
from footprint.study.draws import ACTIVITY_ORDER, DrawInput, draw_totals
from footprint.study.engine import finished_rows
from footprint.study.report import front, info_table, study_report
from footprint.study.results import TIMING_COLUMNS

TOY_BASE = """
schema_version = 1
name = "toy base"
[organisation]
source = "demo"
[policy]
office_days_per_week = 3.0
[hubs]
selection = "optimise"
count = 2
assignment = "nearest"
[optimiser]
method = "heuristic"
time_limit_s = 60.0
"""

TOY_STUDY = """
schema_version = 1
name = "toy study"
scenario = "base.toml"
draws = 300
seed = 7
draw_block = 128
[grid]
hubs = [1, 2, 3, 4]
office_days_per_week = [2.0, 3.0]
video_share = [0.3, 0.7]
"""


def write_study(folder: Path, study: str = TOY_STUDY, base: str = TOY_BASE) -> Path:
    (folder / "base.toml").write_text(base, encoding="utf-8")
    path = folder / "study.toml"
    path.write_text(study, encoding="utf-8")
    return path


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=list(TIMING_COLUMNS))


# --- the study file -------------------------------------------------------------------
def test_study_file_grid_points_in_file_order(tmp_path):
    study = load_study(write_study(tmp_path))
    points = study.points()
    assert study.lever_names == ("hubs", "office_days_per_week", "video_share")
    assert len(points) == 4 * 2 * 2
    assert points[0].key == "hubs=1;office_days_per_week=2.0;video_share=0.3"
    assert points[5].key == "hubs=2;office_days_per_week=2.0;video_share=0.7"
    s = study.scenario_for(points[5])
    assert (s.hubs.selection, s.hubs.count) == ("optimise", 2)
    assert (s.policy.office_days_per_week, s.policy.video_share) == (2.0, 0.7)
    assert s.optimiser.method == "heuristic"


def test_hubs_range_and_optimiser_override(tmp_path):
    text = (
        TOY_STUDY.replace("hubs = [1, 2, 3, 4]", 'hubs = "10:50:20"')
        + "[optimiser]\ntime_limit_s = 5\n"
    )
    study = load_study(write_study(tmp_path, text))
    assert dict(study.levers)["hubs"] == (10, 30, 50)
    assert study.base.optimiser.time_limit_s == 5.0


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            ("[grid]", "[grid]\ncarbon_price = [50.0, 100.0]"),
            "grid.carbon_price",
            "not a lever",
        ),
        (
            ("video_share = [0.3, 0.7]", "video_share = [0.3, 1.5]"),
            "grid.video_share",
            "out of range",
        ),
        (("hubs = [1, 2, 3, 4]", "hubs = [1, 0]"), "grid.hubs", "whole numbers"),
        (("hubs = [1, 2, 3, 4]", 'hubs = "ten"'), "grid.hubs", "START:STOP:STEP"),
        (
            ("[grid]", "[grid]\nfactor_set = ['desnz-2025', 'no-such-set']"),
            "grid.factor_set",
            "no-such-set",
        ),
        (("[grid]", "[grid]\nwarp_factor = [1]"), "grid.warp_factor", "unknown lever"),
        (("draws = 300", "draws = -1"), "draws", "out of range"),
        (("draws = 300", "draws = 2.5"), "draws", "whole number"),
        (
            ('scenario = "base.toml"', 'scenario = "missing.toml"'),
            "scenario",
            "not found",
        ),
        (("seed = 7", "seed = 7\ncolour = 'red'"), "colour", "unknown key"),
        (("[grid]", "[optimiser]\nmethod = 3\n[grid]"), "optimiser.method", "must be"),
        (("seed = 7", "seed = 7\ndeterministic = 1"), "deterministic", "true or false"),
        (
            ("[grid]", "[optimiser]\nmethod = 'exact'\n[grid]"),
            "optimiser.method",
            "set deterministic = false to use 'exact'",
        ),
    ],
)
def test_bad_study_files_name_the_file_and_key(tmp_path, change, field, words):
    path = write_study(tmp_path, TOY_STUDY.replace(*change))
    with pytest.raises(StudyError) as e:
        load_study(path)
    problems = [p for p in e.value.problems if p.field == field]
    assert problems, e.value.problems
    assert problems[0].source == str(path)
    assert words in problems[0].message


def test_not_toml(tmp_path):
    path = write_study(tmp_path, "name = [")
    with pytest.raises(StudyError, match="not valid TOML"):
        load_study(path)


# --- the draws --------------------------------------------------------------------------
def one_line_input(category_index: int) -> DrawInput:
    """One scenario line of 1,000 kg with no factor, one baseline line of 2,000 kg in the same category."""
    return DrawInput(
        np.array([1000.0, 2000.0]),
        np.array([category_index, category_index]),
        np.array([0, 0]),
        np.array([0, 1]),
        ((), ()),
        (),
        np.array([]),
    )


def test_a_draw_is_its_own_seed_sequence_stream():
    from footprint.accounting.uncertainty import ACTIVITY_SPREAD

    k = (
        ACTIVITY_ORDER.index("Scope 3 cat. 6: business travel")
        if "Scope 3 cat. 6: business travel" in ACTIVITY_ORDER
        else 0
    )
    sigma = ACTIVITY_SPREAD[ACTIVITY_ORDER[k]]
    totals = draw_totals(one_line_input(k), 11, 0, 5)
    for d in range(5):
        z = np.random.default_rng(
            np.random.SeedSequence(11).spawn(d + 1)[d]
        ).standard_normal(len(ACTIVITY_ORDER))
        m = np.exp(sigma * z[k] - sigma**2 / 2)
        assert totals[d, 0] == pytest.approx(
            m, rel=1e-12
        )  # 1,000 kg = 1 t times the multiplier
        assert totals[d, 1] == pytest.approx(2 * m, rel=1e-12)


def test_draws_do_not_depend_on_blocks():
    inp = one_line_input(1)
    whole = draw_totals(inp, 3, 0, 50)
    parts = np.concatenate(
        [draw_totals(inp, 3, a, min(a + 7, 50)) for a in range(0, 50, 7)]
    )
    assert np.array_equal(whole, parts)


def test_multipliers_have_mean_one():
    totals = draw_totals(one_line_input(0), 5, 0, 20_000)
    assert totals[:, 0].mean() == pytest.approx(1.0, abs=0.01)


# --- the serial engine ------------------------------------------------------------------
@pytest.mark.slow
def test_serial_study_agrees_with_run_scenario(tmp_path, toy_org):
    study = load_study(write_study(tmp_path))
    run = run_study(
        study, tmp_path / "r.parquet", engine="serial", organisation=toy_org
    )
    assert (run.computed, run.reused, run.total) == (16, 0, 16)
    frame = read_results(tmp_path / "r.parquet")
    assert list(frame["point"]) == list(range(16))
    for i in (2, 5, 9):  # central totals equal a plain scenario run of the same point
        point = study.points()[i]
        result = run_scenario(study.scenario_for(point), organisation=toy_org)
        row = frame.iloc[i]
        assert row["total_tco2e"] == pytest.approx(
            result.footprint.total_tco2e, rel=1e-12
        )
        assert row["baseline_tco2e"] == pytest.approx(
            result.baseline.total_tco2e, rel=1e-12
        )
        assert row["n_hubs"] == point.value("hubs")
        assert row["total_p05"] < row["total_p50"] < row["total_p95"]
    four = frame[frame["lever_hubs"] == 4]  # the toy has three sites
    assert not four["feasible"].any()
    assert four["message"].str.contains("only 3 sites can be hubs").all()
    assert four["total_p50"].isna().all() and (four["draws"] == 0).all()


def test_interrupted_study_resumes_without_recomputing(tmp_path, toy_org, monkeypatch):
    study = load_study(write_study(tmp_path))
    out = tmp_path / "r.parquet"

    def interrupt(done, total, message):
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_study(study, out, engine="serial", organisation=toy_org, progress=interrupt)
    assert len(read_results(out)) == 5
    solved = []
    real = study_tasks.solve_point

    def counting(org, costs, job):
        solved.append(job.index)
        return real(org, costs, job)

    monkeypatch.setattr(study_tasks, "solve_point", counting)
    run = run_study(study, out, engine="serial", organisation=toy_org)
    assert (run.computed, run.reused) == (11, 5)
    assert sorted(solved) == list(range(5, 16))
    again = run_study(study, out, engine="serial", organisation=toy_org)
    assert again.computed == 0 and len(solved) == 11
    fresh = run_study(
        study, tmp_path / "fresh.parquet", engine="serial", organisation=toy_org
    )
    assert fresh.computed == 16
    pd.testing.assert_frame_equal(
        comparable(read_results(out)),
        comparable(read_results(tmp_path / "fresh.parquet")),
    )


def test_results_of_another_study_are_not_resumed(tmp_path, toy_org):
    study = load_study(write_study(tmp_path))
    out = tmp_path / "r.csv"
    run_study(study, out, engine="serial", organisation=toy_org)
    other = load_study(write_study(tmp_path, TOY_STUDY.replace("seed = 7", "seed = 8")))
    with pytest.raises(StudyError) as e:
        finished_rows(other, out)
    assert e.value.problems[0].field == "fingerprint"


def test_csv_and_parquet_hold_the_same_numbers(tmp_path, toy_org):
    study = load_study(
        write_study(tmp_path, TOY_STUDY.replace("hubs = [1, 2, 3, 4]", "hubs = [2, 3]"))
    )
    run_study(study, tmp_path / "r.parquet", engine="serial", organisation=toy_org)
    run_study(study, tmp_path / "r.csv", engine="serial", organisation=toy_org)
    a, b = (
        comparable(read_results(tmp_path / "r.parquet")),
        comparable(read_results(tmp_path / "r.csv")),
    )
    for col in ("total_tco2e", "total_p05", "change_p95", "mean_commute_km"):
        assert np.array_equal(a[col].to_numpy(), b[col].to_numpy()), col
    assert list(a["hubs"]) == list(b["hubs"])


# --- the report -------------------------------------------------------------------------
def test_front_by_hand():
    frame = pd.DataFrame(
        {
            "feasible": [True, True, True, False],
            "total_tco2e": [10.0, 8.0, 9.0, 1.0],
            "mean_commute_km": [5.0, 7.0, 8.0, 1.0],
        }
    )
    positions, knee = front(frame)
    assert list(positions) == [
        1,
        0,
    ]  # (9, 8) is beaten by (8, 7); the infeasible point does not count
    assert knee is None


@pytest.mark.slow
def test_report_pdf_and_xlsx(tmp_path, toy_org):
    study = load_study(write_study(tmp_path))
    run_study(study, tmp_path / "r.parquet", engine="serial", organisation=toy_org)
    frame = read_results(tmp_path / "r.parquet")
    pdf = study_report(frame, "pdf")
    assert pdf.startswith(b"%PDF")
    xlsx = study_report(frame, "xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames[0] == "Inputs"
    points = wb.worksheets[2]
    assert points.max_row == 4 + 16  # title, note, blank, header, 16 points
    assert zipfile.is_zipfile(io.BytesIO(xlsx))


# --- the command line -------------------------------------------------------------------
DEMO_STUDY = """
schema_version = 1
name = "demo largest"
scenario = "base.toml"
draws = 40
seed = 1
[grid]
video_share = [0.3, 0.7]
"""
DEMO_BASE = TOY_BASE.replace(
    'selection = "optimise"\ncount = 2', 'selection = "largest"\ncount = 30'
)


@pytest.mark.slow
def test_cli_run_and_report(tmp_path):
    path = write_study(tmp_path, DEMO_STUDY, DEMO_BASE)
    runner = CliRunner()
    out = tmp_path / "results.csv"
    r = runner.invoke(
        main, ["study", "run", str(path), "--out", str(out), "--serial", "--quiet"]
    )
    assert r.exit_code == 0, r.output
    assert "2 points (2 feasible), 40 draws each: 2 computed" in r.output
    frame = read_results(out)
    assert list(frame["lever_video_share"]) == [0.3, 0.7]
    assert (frame["n_hubs"] == 30).all()
    r = runner.invoke(
        main, ["study", "run", str(path), "--out", str(out), "--serial", "--quiet"]
    )
    assert "0 computed, 2 resumed" in r.output
    r = runner.invoke(
        main, ["study", "report", str(out), "--out", str(tmp_path / "front.pdf")]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "front.pdf").read_bytes().startswith(b"%PDF")


def test_cli_bad_study_exits_2_naming_file_and_key(tmp_path):
    path = write_study(
        tmp_path,
        DEMO_STUDY.replace("video_share = [0.3, 0.7]", "carbon_price = [50.0]"),
        DEMO_BASE,
    )
    r = CliRunner().invoke(
        main, ["study", "run", str(path), "--out", str(tmp_path / "r.parquet")]
    )
    assert r.exit_code == 2
    assert str(path) in r.output and "grid.carbon_price" in r.output
    assert not (tmp_path / "r.parquet").exists()


def test_scenario_for_keeps_largest_selection(tmp_path):
    study = load_study(
        write_study(
            tmp_path, DEMO_STUDY.replace("[grid]", "[grid]\nhubs = [20, 40]"), DEMO_BASE
        )
    )
    s = study.scenario_for(study.points()[1])
    assert (s.hubs.selection, s.hubs.count) == ("largest", 20)
    assert replace(s, name="x").policy.video_share == 0.7


# --- the app's entry points -------------------------------------------------------------
def test_sweep_study_matches_sweep_hubs(tmp_path, toy_org):
    from footprint.hubs.sweep import sweep_hubs
    from footprint.scenario import load_scenario
    from footprint.study.interactive import sweep_study

    write_study(tmp_path)
    scenario = load_scenario(tmp_path / "base.toml")
    result, rows = sweep_study(
        toy_org, scenario, [3, 1, 2], draws=50, seed=3, engine="serial"
    )
    plain = sweep_hubs(
        toy_org,
        scenario.policy,
        [1, 2, 3],
        scenario.optimiser,
        keep_offices_whole=False,
    )
    assert [p.n_hubs for p in result.points] == [1, 2, 3]
    for mine, theirs in zip(result.points, plain.points, strict=True):
        assert mine.total_tco2e == pytest.approx(theirs.total_tco2e, rel=1e-12)
        assert mine.hub_ids == theirs.hub_ids
    assert result.pareto == plain.pareto and result.knee_index == plain.knee_index
    assert all(r["total_p05"] < r["total_tco2e"] < r["total_p95"] for r in rows)


def test_uncertainty_study_agrees_with_the_accounting_model(toy_org):
    from footprint.accounting import account, current_plan, nearest_plan
    from footprint.accounting.uncertainty import footprint_uncertainty
    from footprint.inputs import Policy
    from footprint.study.interactive import uncertainty_study

    policy = Policy()
    base = account(toy_org, policy, current_plan(toy_org))
    fp = account(
        toy_org, policy, nearest_plan(toy_org, policy, np.array([True, False, True]))
    )
    mine = uncertainty_study(fp, base, n_draws=20_000, seed=4, block=3_000)
    again = uncertainty_study(fp, base, n_draws=20_000, seed=4, block=20_000)
    assert mine == again  # the blocks do not change any draw
    theirs = footprint_uncertainty(
        fp, base, n_draws=20_000, seed=4
    )  # same model, other random numbers
    for a, b in ((mine.total, theirs.total), (mine.change, theirs.change)):
        for q in ("p05", "p50", "p95"):
            assert getattr(a, q) == pytest.approx(getattr(b, q), rel=0.02, abs=0.05)


# --- warm starts between neighbouring hub counts ---------------------------------------------
WARM_STUDY = TOY_STUDY.replace(
    "draw_block = 128", "draw_block = 128\nwarm_start = true"
)


@pytest.mark.slow
def test_warm_started_chains_match_sweep_hubs_and_resume(
    tmp_path, toy_org, monkeypatch
):
    from footprint.hubs.sweep import sweep_hubs

    study = load_study(write_study(tmp_path, WARM_STUDY))
    assert study.warm_start
    out = tmp_path / "warm.parquet"

    def interrupt(done, total, message):
        if done >= 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_study(study, out, engine="serial", organisation=toy_org, progress=interrupt)
    solved = []
    real = study_tasks.solve_point

    def counting(org, costs, job, warm_start=None):
        solved.append((job.index, warm_start is not None))
        return real(org, costs, job, warm_start)

    monkeypatch.setattr(study_tasks, "solve_point", counting)
    run = run_study(study, out, engine="serial", organisation=toy_org)
    assert (run.computed, run.reused) == (10, 6)
    assert len(solved) == 10 and len({i for i, _ in solved}) == 10
    assert any(warm for _, warm in solved)  # later hub counts start from earlier ones
    frame = read_results(out)
    for days in (2.0, 3.0):
        s = study.scenario_for(study.points()[0])
        policy = replace(s.policy, office_days_per_week=days, video_share=0.7)
        plain = sweep_hubs(
            toy_org, policy, [1, 2, 3, 4], s.optimiser, keep_offices_whole=False
        )
        mine = frame[
            (frame["lever_office_days_per_week"] == days)
            & (frame["lever_video_share"] == 0.7)
        ]
        for p, (_, row) in zip(plain.points, mine.iterrows(), strict=True):
            assert p.feasible == row["feasible"]
            if p.feasible:
                assert row["total_tco2e"] == pytest.approx(p.total_tco2e, rel=1e-12)
                assert row["hubs"] == " ".join(p.hub_ids)


def test_warm_start_must_be_true_or_false(tmp_path):
    with pytest.raises(StudyError) as e:
        load_study(
            write_study(
                tmp_path, WARM_STUDY.replace("warm_start = true", "warm_start = 1")
            )
        )
    assert e.value.problems[0].field == "warm_start"


# --- same answer anywhere: deterministic studies and points cut by the clock ---------------
def test_a_study_is_deterministic_by_default_and_runs_the_heuristic(tmp_path):
    auto_base = TOY_BASE.replace('method = "heuristic"', 'method = "auto"')
    study = load_study(write_study(tmp_path, TOY_STUDY, auto_base))
    assert study.deterministic and study.base.optimiser.method == "heuristic"
    assert study.scenario_for(study.points()[3]).optimiser.method == "heuristic"
    chosen = load_study(
        write_study(
            tmp_path,
            TOY_STUDY.replace("seed = 7", "seed = 7\ndeterministic = false")
            + "[optimiser]\nmethod = 'exact'\n",
            auto_base,
        )
    )
    assert not chosen.deterministic and chosen.base.optimiser.method == "exact"
    assert chosen.fingerprint != study.fingerprint
    with pytest.raises(ValueError, match="deterministic=False"):
        replace(study, base=chosen.base)


@pytest.mark.parametrize(
    ("status", "solver_s", "optimiser_s", "hit"),
    [
        ("feasible", 2.0, 2.5, False),  # both well inside a 10 s limit
        ("feasible", 10.0, 10.3, True),  # the heuristic's clock reached the limit
        (
            "optimal",
            7.9,
            10.0,
            True,
        ),  # the local search after the solver ran out of time
        ("time_limit", 3.0, 3.1, True),  # the solver says so
    ],
)
def test_hit_time_limit_by_hand(status, solver_s, optimiser_s, hit):
    assert study_tasks.hit_time_limit(status, solver_s, optimiser_s, 10.0) is hit


def test_points_cut_by_the_time_limit_are_flagged(tmp_path, toy_org):
    text = TOY_STUDY.replace("hubs = [1, 2, 3, 4]", "hubs = [1, 2]").replace(
        "draws = 300", "draws = 0"
    )
    study = load_study(write_study(tmp_path, text))
    run_study(study, tmp_path / "ok.csv", engine="serial", organisation=toy_org)
    ok = read_results(tmp_path / "ok.csv")
    assert ok["hit_time_limit"].dtype == bool and not ok["hit_time_limit"].any()
    assert (ok["solve_seconds"] < 60.0).all()
    cut = load_study(write_study(tmp_path, text + "[optimiser]\ntime_limit_s = 1e-9\n"))
    run_study(cut, tmp_path / "cut.parquet", engine="serial", organisation=toy_org)
    frame = read_results(tmp_path / "cut.parquet")
    assert frame["hit_time_limit"].tolist() == [True] * len(frame)
    again = read_results(tmp_path / "cut.parquet")  # round trip keeps the flag a bool
    assert again["hit_time_limit"].dtype == bool
    info = dict(info_table(frame).rows)
    assert info["Points that hit their time limit"].startswith(
        f"{len(frame)} (points 0, 1"
    )
    assert dict(info_table(ok).rows)["Points that hit their time limit"].startswith(
        "none"
    )


def test_stopped_draws_keep_the_finished_blocks(toy_org):
    from footprint.accounting import account, current_plan, nearest_plan
    from footprint.inputs import Policy
    from footprint.study.interactive import uncertainty_study

    policy = Policy()
    base = account(toy_org, policy, current_plan(toy_org))
    fp = account(
        toy_org, policy, nearest_plan(toy_org, policy, np.array([True, False, True]))
    )
    calls = []

    def stop_after_two(done, total, message):
        calls.append((done, total, message))
        return done >= 2_000

    part = uncertainty_study(
        fp, base, n_draws=10_000, seed=6, block=1_000, progress=stop_after_two
    )
    assert calls == [
        (1_000, 10_000, "1,000 of 10,000 draws"),
        (2_000, 10_000, "2,000 of 10,000 draws"),
    ]
    assert part.n_draws == 2_000
    assert part == uncertainty_study(fp, base, n_draws=2_000, seed=6)
