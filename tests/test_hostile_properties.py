"""Properties (issue 11): arbitrary bytes as a CSV, any TOML value in a scenario file and any query
string give a result or a Problem (a FootprintError), never another exception, never a hang, and
never a read of a device, a named pipe or a file a link names."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from footprint.errors import FootprintError
from footprint.imports import ImportReport, read_sites, read_staff

SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# --- every file opened while a property runs (Python's audit hook sees os.open and open alike) ---------
_OPENED: list[str] = []
_WATCHING = [False]


def _audit(event: str, args: tuple) -> None:
    if (
        _WATCHING[0]
        and event == "open"
        and isinstance(args[0], str | bytes | os.PathLike)
    ):
        _OPENED.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_audit)


@contextmanager
def watched(seconds: int = 30):
    """Record opened files; fail (instead of hanging) after ``seconds``."""

    def _alarm(signum, frame):
        raise TimeoutError(f"hung for {seconds} s")

    _OPENED.clear()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    _WATCHING[0] = True
    try:
        yield _OPENED
    finally:
        _WATCHING[0] = False
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


SANDBOX = Path(tempfile.mkdtemp(prefix="footprint-hostile-"))
FIFO = SANDBOX / "pipe.csv"
if not FIFO.exists():
    os.mkfifo(FIFO)
    os.symlink("/dev/zero", SANDBOX / "zero.csv")
    os.symlink("/dev/zero", SANDBOX / "zero.toml")
    (SANDBOX / "secret.toml").write_text("[set]\nid = 'secret'\n")
NEVER_READ = {"/dev/zero", os.path.realpath(FIFO)}
HOSTILE_PATHS = [
    "/dev/zero",
    "/etc/passwd",
    "../../etc/passwd",
    str(FIFO),
    "pipe.csv",
    "zero.csv",
    "zero.toml",
    ".",
    "/",
    "secret.toml",
    str(SANDBOX / "secret.toml"),
    "missing.csv",
    "nul\x00.csv",
    "x" * 300,
]


def _no_forbidden_reads(opened: list[str]) -> None:
    assert not NEVER_READ & set(opened), opened


# --- arbitrary bytes ---------------------------------------------------------------------------------------
@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["f.csv", "f.xlsx", "f.tsv", "f"]))
def test_any_bytes_give_a_report_or_a_problem(data, name):
    for fn, kw in ((read_sites, {}), (read_staff, {"site_ids": ["A"]})):
        with watched():
            try:
                out = fn(data, name, **kw)
            except FootprintError:
                continue
        assert (
            isinstance(out, ImportReport)
            and out.n_valid + len(out.invalid_rows) == out.n_rows
        )


# --- any TOML value ------------------------------------------------------------------------------------
from footprint.scenario.schema import TABLE_KEYS  # noqa: E402

toml_scalar = (
    st.text(max_size=20)
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.sampled_from(HOSTILE_PATHS)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
)


def _nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=3) | st.dictionaries(
        st.text(min_size=1, max_size=8), inner, max_size=3
    )


toml_value = st.recursive(toml_scalar, _nested, max_leaves=6)
tables = {
    t: st.dictionaries(
        st.sampled_from(keys) | st.text(min_size=1, max_size=8), toml_value, max_size=5
    )
    for t, keys in TABLE_KEYS.items()
}
organisation = st.fixed_dictionaries(
    {
        "source": st.just("files"),
        "sites": st.sampled_from(HOSTILE_PATHS),
        "staff": st.sampled_from(HOSTILE_PATHS),
    }
)
scenario_doc = st.fixed_dictionaries(
    {"schema_version": st.just(1) | toml_scalar, "name": st.just("p") | toml_scalar},
    optional={
        "organisation": organisation | tables["organisation"],
        "policy": tables["policy"],
        "hubs": tables["hubs"],
        "optimiser": tables["optimiser"],
        "baseline": st.sampled_from(HOSTILE_PATHS) | toml_scalar,
        "extra": toml_value,
    },
)


@SETTINGS
@given(scenario_doc)
def test_any_toml_value_gives_a_scenario_or_a_problem(doc):
    from footprint.factors import load_factor_set
    from footprint.scenario import parse_scenario
    from footprint.scenario.run import _factor_path, load_organisation

    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not representable as TOML
    with watched() as opened:
        try:
            s = parse_scenario(text, source="h.toml", base_dir=SANDBOX)
            load_factor_set(_factor_path(s, s.policy))
            if s.organisation.source == "files":
                load_organisation(s)
        except FootprintError:
            pass
    _no_forbidden_reads(opened)


# --- any query string ------------------------------------------------------------------------------------
from footprint.inputs.policy import POLICY_FIELDS  # noqa: E402

param_names = st.sampled_from([*POLICY_FIELDS, "hubs", "name", "org"]) | st.text(
    max_size=8
)
param_values = (
    st.text(max_size=40)
    | st.sampled_from(HOSTILE_PATHS)
    | st.sampled_from(
        [
            "current",
            "optimise:5:nearest",
            "largest:-1:x",
            "x:eJyrrgUAAXUA+Q",
            "x:!!",
            "optimise:99999999999999999999:nearest",
            "nan",
            "inf",
            "-1",
            "1e308",
            "true",
        ]
    )
)


@SETTINGS
@given(st.dictionaries(param_names, param_values, max_size=6))
@example({"factor_set": "/dev/zero", "hubs": "current"})
@example({"hubs": "x:eNqLNtQxigUAA9UBSA"})  # a packed list, not a table
@example({"hubs": "x:eNozBQAANgA2"})  # a packed number
@example({"factor_set": "/etc/passwd"})
@example({"factor_set": str(SANDBOX / "secret.toml"), "hubs": "x:!!"})
def test_any_query_string_gives_a_scenario_and_reads_no_named_file(params):
    from app_pages.state import default_scenario, scenario_from_params
    from footprint.factors import available_factor_sets, load_factor_set

    with watched() as opened:
        s, key, problems = scenario_from_params(params, default_scenario())
        load_factor_set(s.policy.factor_set)  # what running the scenario reads
    assert s.policy.factor_set in available_factor_sets()
    assert all(p.source == "link" for p in problems)
    named = {
        os.path.realpath(v)
        for v in params.values()
        if v and "\x00" not in v and len(v) < 1000
    }
    assert not (named | NEVER_READ) & set(opened), opened
