"""Reading and writing scenario files (TOML), with strict validation.

Unknown keys, wrong types and out-of-range values are reported with the file,
the key's name and what is allowed. ``load(save(s)) == s`` exactly.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

import tomli_w

from footprint.errors import InputError, Problem, ScenarioError
from footprint.inputs import Policy
from footprint.inputs.policy import validate_policy_values
from footprint.safeio import read_bounded, write_atomic
from footprint.scenario.schema import (
    SCHEMA_VERSION,
    TABLE_KEYS,
    TOP_KEYS,
    HubChoice,
    OptimiserSettings,
    OrganisationRef,
    Scenario,
)

MAX_SCENARIO_BYTES = 1_000_000  #: largest scenario file read [bytes]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Raises
    ------
    footprint.errors.ScenarioError
        If the file is missing, is not valid TOML, or holds invalid values; every
        problem names the file and the key.
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError([Problem("file not found; check the path", str(path))])
    try:
        raw = read_bounded(path, MAX_SCENARIO_BYTES, what="scenario file")
    except InputError as e:
        raise ScenarioError(e.problems, f"cannot read {path}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError([Problem(f"cannot be read as UTF-8 text ({e.__class__.__name__})", str(path))]) from None
    return parse_scenario(text, source=str(path), base_dir=path.resolve().parent)


def parse_scenario(text: str, source: str = "scenario", base_dir: Path | None = None) -> Scenario:
    """Parse scenario TOML text (see :func:`load_scenario`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError([Problem(f"is not valid TOML: {e}", source)]) from None
    return scenario_from_dict(data, source, base_dir)


def scenario_from_dict(data: dict[str, Any], source: str = "scenario", base_dir: Path | None = None) -> Scenario:
    """Validate a parsed scenario mapping and build a :class:`Scenario`."""
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(f"unknown key; allowed top-level keys: {', '.join(TOP_KEYS)}", source, None, key))
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        problems.append(Problem(f"must be {SCHEMA_VERSION} (this version of Footprint reads schema {SCHEMA_VERSION})",
                                source, None, "schema_version"))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("is required: a short name for the scenario", source, None, "name"))
    for key in ("description", "baseline"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem("must be a string", source, None, key))
    tables: dict[str, dict[str, Any]] = {}
    for table in TABLE_KEYS:
        value = data.get(table, {})
        if not isinstance(value, dict):
            problems.append(Problem(f"must be a table [{table}]", source, None, table))
            value = {}
        for key in value:
            if key not in TABLE_KEYS[table]:
                problems.append(Problem(f"unknown key; allowed keys in [{table}]: {', '.join(TABLE_KEYS[table])}",
                                        source, None, f"{table}.{key}"))
        tables[table] = {k: v for k, v in value.items() if k in TABLE_KEYS[table]}
    problems += validate_policy_values(tables["policy"], source)
    problems = [
        Problem(p.message, p.source, p.row, f"policy.{p.field}") if p.field in TABLE_KEYS["policy"] else p
        for p in problems
    ]
    org = _build(OrganisationRef, tables["organisation"], "organisation", source, problems)
    hubs = _build(HubChoice, tables["hubs"], "hubs", source, problems)
    opt = _build(OptimiserSettings, tables["optimiser"], "optimiser", source, problems)
    if problems:
        raise ScenarioError(problems, f"{len(problems)} problem(s) in {source}")
    problems += org.validate(source) + hubs.validate(source) + opt.validate(source)
    problems += _factor_set_problems(tables["policy"].get("factor_set"), source, base_dir)
    if base_dir is not None and org.source == "files":
        for key in ("sites", "staff", "collaboration"):
            if getattr(org, key):
                problems += named_file_problems(getattr(org, key), f"organisation.{key}", source, base_dir)
    if base_dir is not None and isinstance(data.get("baseline"), str) and data["baseline"]:
        problems += named_file_problems(data["baseline"], "baseline", source, base_dir)
    if problems:
        raise ScenarioError(problems, f"{len(problems)} problem(s) in {source}")
    try:
        policy = Policy.from_mapping(tables["policy"], source)
    except InputError as e:
        raise ScenarioError(e.problems, f"invalid policy in {source}") from None
    return Scenario(
        name=name.strip(),
        description=data.get("description", ""),
        baseline=data.get("baseline", ""),
        organisation=org,
        policy=policy,
        hubs=hubs,
        optimiser=opt,
        schema_version=SCHEMA_VERSION,
        base_dir=base_dir,
        source=source,
    )


def _factor_set_problems(value: Any, source: str, base_dir: Path | None) -> list[Problem]:
    """A factor set is a built-in id, or (in a scenario file) the path of a ``.toml`` file."""
    if not isinstance(value, str) or not value:
        return []  # the policy check reports the type
    from footprint.factors import available_factor_sets

    ids = available_factor_sets()
    if value in ids or value == "common":
        return []
    if not value.endswith(".toml"):
        return [Problem(f"unknown factor set '{value[:80]}'; use one of: {', '.join(ids)}, or the path of a "
                        ".toml factor file (relative to the scenario file)", source, None, "policy.factor_set")]
    if base_dir is None:
        return [Problem(f"'{value[:80]}' names a file, but only a scenario file may name one; use one of: "
                        f"{', '.join(ids)}", source, None, "policy.factor_set")]
    return named_file_problems(value, "policy.factor_set", source, base_dir)


def named_file_problems(value: str, key: str, source: str, base_dir: Path) -> list[Problem]:
    """A file a scenario names must be a regular file (not a device, pipe or folder) of bounded size.

    Checked with ``stat`` only (nothing is opened here); the file is read later
    with :func:`footprint.safeio.read_bounded`, which checks again.
    """
    import os
    import stat

    from footprint.imports.tables import MAX_BYTES

    path = Path(value)
    path = path if path.is_absolute() else base_dir / path
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []  # reported when it is read (a scenario may be saved before its files exist)
    except OSError as e:
        return [Problem(f"cannot open {path} ({e.strerror or e.__class__.__name__})", source, None, key)]
    if stat.S_ISDIR(st.st_mode):
        return [Problem(f"{path} is a folder; name a file", source, None, key)]
    if not stat.S_ISREG(st.st_mode):
        return [Problem(f"{path} is not a regular file (a device, pipe or socket); name an ordinary file",
                        source, None, key)]
    if st.st_size > MAX_BYTES:
        from footprint.safeio import too_big_message

        return [Problem(too_big_message(st.st_size, MAX_BYTES), source, None, key)]
    return []


def _build(cls: type, values: dict[str, Any], table: str, source: str, problems: list[Problem]) -> Any:
    """Type-check ``values`` against the dataclass defaults and build ``cls``."""
    kwargs = {}
    for f in fields(cls):
        if f.name not in values:
            continue
        v, default = values[f.name], f.default if f.default is not MISSING else None
        key = f"{table}.{f.name}"
        if isinstance(default, bool):
            ok = isinstance(v, bool)
            want = "true or false"
        elif isinstance(default, int):
            ok = isinstance(v, int) and not isinstance(v, bool)
            want = "a whole number"
        elif isinstance(default, float):
            ok = isinstance(v, int | float) and not isinstance(v, bool)
            v = float(v) if ok else v
            want = "a number"
        elif isinstance(default, str):
            ok = isinstance(v, str)
            want = "a string"
        elif f.name in ("office_to_hub", "group_to_hub", "columns"):
            ok = isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
            v = tuple(sorted(v.items())) if ok else v
            want = {"office_to_hub": "a table of office id = hub id",
                    "group_to_hub": "a table of \"office id|mode|lat,lon\" = hub id"}.get(f.name, (
                        "a table of \"your header\" = \"Footprint's field\", e.g. \"Building ref\" = \"site_id\""))
        else:  # tuple of str
            ok = isinstance(v, list) and all(isinstance(x, str) for x in v)
            v = tuple(v) if ok else v
            want = "a list of strings"
        if ok:
            kwargs[f.name] = v
        else:
            problems.append(Problem(f"must be {want}, got {values[f.name]!r}", source, None, key))
    return cls(**kwargs)


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as plain TOML-ready data (defaults included, so files are explicit)."""
    out: dict[str, Any] = {"schema_version": s.schema_version, "name": s.name}
    if s.description:
        out["description"] = s.description
    if s.baseline:
        out["baseline"] = s.baseline
    org = {k: v for k, v in _as_dict(s.organisation).items() if v not in ("", (), False) or k == "source"}
    if "columns" in org:
        org["columns"] = dict(org["columns"])
    out["organisation"] = org
    out["policy"] = s.policy.to_mapping()
    hubs = _as_dict(s.hubs)
    hubs["sites"] = list(s.hubs.sites)
    for table in ("office_to_hub", "group_to_hub"):
        hubs[table] = dict(getattr(s.hubs, table))
        if not hubs[table]:
            del hubs[table]
    out["hubs"] = hubs
    out["optimiser"] = _as_dict(s.optimiser)
    return out


def _as_dict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def scenario_to_toml(s: Scenario) -> str:
    """Serialise a scenario to TOML text."""
    header = (
        "# Footprint scenario file (schema version 1).\n"
        "# Units: see docs/scenario-files.md; run it with: python -m footprint run <this file>\n"
    )
    return header + tomli_w.dumps(scenario_to_dict(s))


def save_scenario(s: Scenario, path: str | Path) -> Path:
    """Write ``s`` to ``path`` as TOML, atomically; returns the path.

    Raises
    ------
    footprint.safeio.WriteError
        The file cannot be written (disk full, permission); an existing file at
        ``path`` is left as it was.
    """
    return write_atomic(Path(path), scenario_to_toml(s))
