"""The study file: a base scenario, a grid of levers, Monte Carlo draws and a seed.

A study file is TOML, like a scenario file::

    schema_version = 1
    name = "Hubs against office days"
    scenario = "hubs-30.toml"        # the base scenario (path relative to this file)
    draws = 200                      # Monte Carlo draws per grid point (0 = none)
    seed = 2026                      # the study's seed: same seed, same answer anywhere
    draw_block = 500                 # draws per task (optional)
    warm_start = false               # chain each sweep of hub counts in one task (optional)
    deterministic = true             # the optimiser's "heuristic", no wall-clock stop (default)

    [grid]                           # the levers; the study runs every combination
    hubs = [20, 30, 40]              # or "10:50:10" (START:STOP:STEP)
    office_days_per_week = [2.0, 3.0]
    video_share = [0.3, 0.7]
    factor_set = ["desnz-2025", "desnz-2024"]

    [optimiser]                      # optional overrides of the scenario's [optimiser]
    method = "heuristic"
    time_limit_s = 30.0

Grid keys are ``hubs`` (the number of hubs; a base scenario that does not already
choose ``largest`` or ``optimise`` hubs has them optimised) and any policy key of a
scenario file (``office_days_per_week``, ``video_share``, ``factor_set``,
``desk_sharing_ratio``, …). A carbon price is not a lever of Footprint's scenarios
yet, so ``carbon_price`` is refused with that explanation.

``deterministic = true`` (the default) runs the optimiser with method ``"heuristic"``,
whose searches stop on a count of work (a local optimum, patience in work units), never
on the clock, so a point's hubs depend on its inputs and the scenario's
``optimiser.random_state`` only: the same bit for bit serially or on any cluster, as
long as no point reaches its ``time_limit_s`` (a safety net; such points are flagged
``hit_time_limit`` in the results). An ``[optimiser] method`` of ``"auto"`` or
``"exact"`` (HiGHS, stopped on the clock) needs ``deterministic = false``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from footprint.errors import FootprintError, InputError, Problem
from footprint.inputs.policy import POLICY_FIELDS, validate_policy_values
from footprint.scenario.files import load_scenario
from footprint.scenario.schema import HubChoice, OptimiserSettings, Scenario

STUDY_SCHEMA_VERSION = 1
TOP_KEYS = (
    "schema_version",
    "name",
    "description",
    "scenario",
    "draws",
    "seed",
    "draw_block",
    "warm_start",
    "deterministic",
    "grid",
    "optimiser",
)
#: Levers that are not (yet) part of a scenario, with the reason given to the user.
NOT_YET = {
    "carbon_price": "a carbon price is not a lever of Footprint's scenarios yet (no policy field prices "
    "carbon); remove it from [grid]",
}
HUBS = "hubs"
_WANT = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
}
MAX_POINTS = 100_000
#: The optimiser method of a deterministic study: it stops on work, never on the clock.
DETERMINISTIC_METHOD = "heuristic"
MAX_DRAWS = 1_000_000


class StudyError(InputError):
    """A study file that cannot be read or is invalid."""


@dataclass(frozen=True)
class StudyPoint:
    """One grid point: its index in the study and the value of each lever.

    Attributes
    ----------
    index : int
        Position in the study's grid (0-based, row-major over the levers in file order).
    levers : tuple of (str, value)
        Lever name and value, in the study's lever order.
    """

    index: int
    levers: tuple[tuple[str, Any], ...]

    @property
    def key(self) -> str:
        """A stable text key, e.g. ``hubs=20;video_share=0.3`` (used to resume)."""
        return ";".join(f"{k}={v}" for k, v in self.levers)

    def value(self, lever: str, default: Any = None) -> Any:
        return dict(self.levers).get(lever, default)


@dataclass(frozen=True)
class Study:
    """A validated study.

    Attributes
    ----------
    name, description : str
    scenario_path : Path
        The base scenario file (absolute).
    base : Scenario
        The base scenario, with the study's ``[optimiser]`` overrides applied.
    levers : tuple of (str, tuple)
        Each lever and its values, in file order.
    draws : int
        Monte Carlo draws per point.
    seed : int
        The study's seed; draw ``d`` of every point uses ``SeedSequence(seed, spawn_key=(d,))``.
    draw_block : int
        Draws per task.
    warm_start : bool
        Optimise the hub counts of each combination of the other levers as one task, in
        ascending order, each starting from the previous count's hubs.
    deterministic : bool
        The optimiser runs ``"heuristic"`` (stops on work, not on the clock), so results
        are the same anywhere unless a point hits its time limit; ``base`` must then
        have that method.
    source : str
        The study file (for messages).
    fingerprint : str
        A hash of everything that decides the results (the study's values and the base
        scenario's and baseline's contents); a partial results file is resumed only by
        a study with the same fingerprint.
    """

    name: str
    scenario_path: Path
    base: Scenario
    levers: tuple[tuple[str, tuple[Any, ...]], ...]
    draws: int = 0
    seed: int = 0
    draw_block: int = 500
    description: str = ""
    source: str = "study"
    warm_start: bool = False
    deterministic: bool = True
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.deterministic and self.base.optimiser.method != DETERMINISTIC_METHOD:
            raise ValueError(
                f"a deterministic study runs the optimiser's {DETERMINISTIC_METHOD!r} method, "
                f"not {self.base.optimiser.method!r}; pass deterministic=False"
            )

    @property
    def lever_names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.levers)

    def points(self) -> tuple[StudyPoint, ...]:
        """Every combination of the levers' values, in a fixed order."""
        names = self.lever_names
        combos = (
            itertools.product(*(values for _, values in self.levers))
            if self.levers
            else [()]
        )
        return tuple(
            StudyPoint(i, tuple(zip(names, combo, strict=True)))
            for i, combo in enumerate(combos)
        )

    def scenario_for(self, point: StudyPoint) -> Scenario:
        """The base scenario with the point's levers applied."""
        s = self.base
        policy_changes = {k: v for k, v in point.levers if k != HUBS}
        if policy_changes:
            s = replace(s, policy=replace(s.policy, **policy_changes))
        if HUBS in dict(point.levers):
            k = int(point.value(HUBS))
            selection = (
                s.hubs.selection
                if s.hubs.selection in ("largest", "optimise")
                else "optimise"
            )
            s = replace(
                s,
                hubs=HubChoice(
                    selection=selection, count=k, assignment=s.hubs.assignment
                ),
            )
        return replace(
            s,
            name=f"{self.base.name} [{point.key}]" if point.levers else self.base.name,
        )


def load_study(path: str | Path) -> Study:
    """Read and validate a study file (and its base scenario).

    Raises
    ------
    StudyError
        Every problem, naming the file and the key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StudyError(
            [Problem("file not found; check the path", str(path))]
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise StudyError(
            [
                Problem(
                    f"cannot be read as UTF-8 text ({e.__class__.__name__})", str(path)
                )
            ]
        ) from None
    return parse_study(text, source=str(path), base_dir=path.resolve().parent)


def parse_study(
    text: str, source: str = "study", base_dir: Path | None = None
) -> Study:
    """Parse study TOML text (see :func:`load_study`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise StudyError([Problem(f"is not valid TOML: {e}", source)]) from None
    problems: list[Problem] = []

    def bad(message: str, key: str | None) -> None:
        problems.append(Problem(message, source, None, key))

    for key in data:
        if key not in TOP_KEYS:
            bad(f"unknown key; allowed top-level keys: {', '.join(TOP_KEYS)}", key)
    if data.get("schema_version") != STUDY_SCHEMA_VERSION:
        bad(
            f"must be {STUDY_SCHEMA_VERSION} (this version of Footprint reads study schema "
            f"{STUDY_SCHEMA_VERSION})",
            "schema_version",
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        bad("is required: a short name for the study", "name")
    description = data.get("description", "")
    if not isinstance(description, str):
        bad("must be a string", "description")
    draws = _whole(data, "draws", 0, 0, MAX_DRAWS, bad)
    seed = _whole(data, "seed", 0, 0, 2**63 - 1, bad)
    draw_block = _whole(data, "draw_block", 500, 1, MAX_DRAWS, bad)
    warm_start = data.get("warm_start", False)
    if not isinstance(warm_start, bool):
        bad(f"must be true or false, got {warm_start!r}", "warm_start")
    deterministic = data.get("deterministic", True)
    if not isinstance(deterministic, bool):
        bad(f"must be true or false, got {deterministic!r}", "deterministic")
    scenario_ref = data.get("scenario")
    if not isinstance(scenario_ref, str) or not scenario_ref.strip():
        bad(
            "is required: the path of the base scenario file, relative to the study file",
            "scenario",
        )
        scenario_ref = None
    grid = data.get("grid", {})
    if not isinstance(grid, dict):
        bad("must be a table [grid] of lever = [values]", "grid")
        grid = {}
    optimiser = data.get("optimiser", {})
    if not isinstance(optimiser, dict):
        bad("must be a table [optimiser]", "optimiser")
        optimiser = {}
    levers = _levers(grid, bad)
    n_points = 1
    for _, values in levers:
        n_points *= max(1, len(values))
    if n_points > MAX_POINTS:
        bad(
            f"the grid has {n_points:,} points; at most {MAX_POINTS:,} are allowed",
            "grid",
        )
    if problems:
        raise StudyError(problems, f"{len(problems)} problem(s) in {source}")

    scenario_path = Path(scenario_ref)
    if not scenario_path.is_absolute() and base_dir is not None:
        scenario_path = base_dir / scenario_path
    try:
        base = load_scenario(scenario_path)
    except InputError as e:  # the base scenario's own problems name its file and key
        raise StudyError(
            [
                Problem(
                    f"the base scenario is invalid: {e.first_line}",
                    source,
                    None,
                    "scenario",
                )
            ],
            f"invalid base scenario in {source}",
        ) from None
    base = _with_optimiser(base, optimiser, source, problems)
    if deterministic is not False:
        base = _deterministic(base, optimiser, source, problems)
    _check_factor_sets(base, levers, source, problems)
    if problems:
        raise StudyError(problems, f"{len(problems)} problem(s) in {source}")
    study = Study(
        name=name.strip(),
        scenario_path=scenario_path.resolve(),
        base=base,
        levers=levers,
        draws=draws,
        seed=seed,
        draw_block=draw_block,
        description=description,
        source=source,
        warm_start=warm_start is True,
        deterministic=deterministic is not False,
    )
    return replace(study, fingerprint=_fingerprint(study))


def _whole(
    data: dict[str, Any], key: str, default: int, lo: int, hi: int, bad: Any
) -> int:
    v = data.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int):
        bad(f"must be a whole number, got {v!r}", key)
        return default
    if not lo <= v <= hi:
        bad(f"{v} is out of range; allowed {lo:,} to {hi:,}", key)
        return default
    return v


def _levers(grid: dict[str, Any], bad: Any) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    out = []
    allowed = (HUBS, *POLICY_FIELDS)
    for key, raw in grid.items():
        where = f"grid.{key}"
        if key in NOT_YET:
            bad(NOT_YET[key], where)
            continue
        if key not in allowed:
            bad(
                f"unknown lever; allowed: hubs, or a policy key ({', '.join(POLICY_FIELDS)})",
                where,
            )
            continue
        values = (
            _range(raw, where, bad) if key == HUBS and isinstance(raw, str) else raw
        )
        if values is None:
            continue
        if not isinstance(values, list) or not values:
            bad(
                "must be a non-empty list of values"
                + (" or START:STOP:STEP" if key == HUBS else ""),
                where,
            )
            continue
        if key == HUBS:
            ok = [
                v
                for v in values
                if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 100_000
            ]
            if len(ok) != len(values):
                bad(
                    f"must be whole numbers of hubs from 1 to 100,000, got {values!r}",
                    where,
                )
                continue
        else:
            found = [p for v in values for p in validate_policy_values({key: v}, "")]
            if found:
                for p in found:
                    bad(p.message, where)
                continue
            if (
                isinstance(POLICY_FIELDS[key].default, float)
                or POLICY_FIELDS[key].default is None
            ):
                values = [float(v) for v in values]
        if len(set(values)) != len(values):
            bad(f"lists a value twice: {values!r}", where)
            continue
        out.append((key, tuple(values)))
    return tuple(out)


def _range(text: str, where: str, bad: Any) -> list[int] | None:
    try:
        parts = [int(p) for p in text.split(":")]
        if len(parts) == 2:
            parts.append(1)
        start, stop, step = parts
        if step <= 0 or start < 1 or stop < start:
            raise ValueError
    except ValueError:
        bad(
            f'must be a list of numbers of hubs or START:STOP:STEP (e.g. "10:50:10"), got {text!r}',
            where,
        )
        return None
    return list(range(start, stop + 1, step))


def _with_optimiser(
    base: Scenario, overrides: dict[str, Any], source: str, problems: list[Problem]
) -> Scenario:
    known = {f.name: f for f in fields(OptimiserSettings)}
    kwargs = {}
    for key, v in overrides.items():
        where = f"optimiser.{key}"
        if key not in known:
            problems.append(
                Problem(
                    f"unknown key; allowed keys in [optimiser]: {', '.join(known)}",
                    source,
                    None,
                    where,
                )
            )
            continue
        default = known[key].default
        if isinstance(default, bool):
            ok = isinstance(v, bool)
        elif isinstance(default, float):
            ok = isinstance(v, int | float) and not isinstance(v, bool)
            v = float(v) if ok else v
        elif isinstance(default, int):
            ok = isinstance(v, int) and not isinstance(v, bool)
        else:
            ok = isinstance(v, str)
        if not ok:
            problems.append(
                Problem(
                    f"must be {_WANT[type(default)]}, got {v!r}", source, None, where
                )
            )
            continue
        kwargs[key] = v
    settings = replace(base.optimiser, **kwargs)
    problems += [
        Problem(p.message, source, None, p.field) for p in settings.validate(source)
    ]
    return replace(base, optimiser=settings)


def _deterministic(
    base: Scenario, overrides: dict[str, Any], source: str, problems: list[Problem]
) -> Scenario:
    """The base scenario with the deterministic method; a study that asks for another is refused."""
    asked = overrides.get("method")
    if isinstance(asked, str) and asked != DETERMINISTIC_METHOD:
        problems.append(
            Problem(
                f"is {asked!r}, which stops on the clock, so its answers can change with the machine and its "
                f"load; a deterministic study (deterministic = true, the default) runs {DETERMINISTIC_METHOD!r}: "
                f"remove this key, or set deterministic = false to use {asked!r}",
                source,
                None,
                "optimiser.method",
            )
        )
        return base
    return replace(base, optimiser=replace(base.optimiser, method=DETERMINISTIC_METHOD))


def _check_factor_sets(
    base: Scenario,
    levers: tuple[tuple[str, tuple[Any, ...]], ...],
    source: str,
    problems: list[Problem],
) -> None:
    from footprint.factors import load_factor_set

    for fs in dict(levers).get("factor_set", ()):
        try:
            load_factor_set(factor_set_ref(base, fs))
        except FootprintError as e:
            problems.append(Problem(str(e), source, None, "grid.factor_set"))


def factor_set_ref(scenario: Scenario, factor_set: str) -> str:
    """A factor set id, or a user file resolved against the scenario's folder (absolute)."""
    return (
        str(scenario.resolve(factor_set).resolve())
        if factor_set.endswith(".toml")
        else factor_set
    )


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _fingerprint(study: Study) -> str:
    base = study.base
    content = {
        "scenario": _file_digest(study.scenario_path),
        "baseline": _file_digest(base.resolve(base.baseline)) if base.baseline else "",
        "optimiser": {
            f.name: getattr(base.optimiser, f.name) for f in fields(base.optimiser)
        },
        "levers": [[k, list(v)] for k, v in study.levers],
        "draws": study.draws,
        "seed": study.seed,
        "draw_block": study.draw_block,
        "warm_start": study.warm_start,
        "deterministic": study.deterministic,
    }
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
