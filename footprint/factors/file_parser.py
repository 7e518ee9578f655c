"""Reading and strictly validating one factor-set TOML file (no inheritance).

The file format (``[set]`` and ``[factors.<key>]`` tables) is described in
``footprint/factors/README.md``; every error names the file, table and key.
Also the small TOML helpers the country tables use. May import
:mod:`footprint.factors.factor_set`, :mod:`footprint.errors` and :mod:`footprint.safeio`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from footprint.factors.factor_set import (
    FACTOR_UNITS,
    Factor,
    FactorError,
    _as_float,
    _listing,
)

_STATUSES = frozenset({"published", "provisional", "assumption", "custom"})
_SET_REQUIRED = ("id", "name", "year")
_SET_OPTIONAL: Mapping[str, Any] = MappingProxyType(
    {
        "country": "",
        "publisher": "",
        "url": "",
        "version": "",
        "gwp": "",
        "status": "custom",
        "inherits": (),
        "exclude_inherited": (),
        "notes": "",
    }
)
_FACTOR_REQUIRED = ("value", "unit", "source", "confidence")
_FACTOR_OPTIONAL = ("low", "high", "note")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


def _read_toml(path: Path) -> dict[str, Any]:
    from footprint.errors import InputError
    from footprint.safeio import read_bounded

    try:  # only a regular file of bounded size (never a device, pipe or folder)
        raw = read_bounded(path, 10_000_000, what="factor file")
    except InputError as exc:
        raise FactorError(f"{path}: {exc.problems[0].message}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FactorError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise FactorError(f"{path}: invalid TOML: {exc}") from None


def _check_keys(
    table: Mapping[str, Any],
    allowed: Iterable[str],
    required: Iterable[str],
    where: str,
) -> None:
    allowed = set(allowed)
    for key in table:
        if key not in allowed:
            raise FactorError(
                f"{where}: unknown key {key!r}. Allowed: {_listing(allowed)}"
            )
    for key in required:
        if key not in table:
            raise FactorError(f"{where}: missing required key {key!r}")


def _str(table: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise FactorError(f"{where}: {key!r} must be a string, got {value!r}")
    return value


def _str_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, ())
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, str) and v for v in value
    ):
        raise FactorError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(value)


def _year(value: object, where: str) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1900 <= value <= 2100
    ):
        raise FactorError(f"{where}: 'year' must be an integer between 1900 and 2100")
    return value


@dataclass(frozen=True)
class _RawSet:
    """A parsed, validated, unresolved factor file."""

    path: Path
    meta: Mapping[str, Any]
    own: tuple[Factor, ...]
    inherits: tuple[str, ...]
    exclude_inherited: tuple[str, ...]


def _parse_set_file(path: Path) -> _RawSet:
    """Parse and strictly validate one factor-set file (no inheritance)."""
    doc = _read_toml(path)
    _check_keys(doc, ("set", "factors"), ("set",), f"{path}")
    meta_in = doc["set"]
    if not isinstance(meta_in, dict):
        raise FactorError(f"{path}: [set] must be a table")
    where = f"{path} [set]"
    _check_keys(meta_in, (*_SET_REQUIRED, *_SET_OPTIONAL), _SET_REQUIRED, where)
    set_id = _str(meta_in, "id", where)
    if not _ID_RE.match(set_id):
        raise FactorError(
            f"{where}: 'id' {set_id!r} must be lower-case letters, digits, '.', '_' or '-'"
        )
    meta: dict[str, Any] = {
        "id": set_id,
        "name": _str(meta_in, "name", where),
        "year": _year(meta_in["year"], where),
    }
    for key in ("country", "publisher", "url", "version", "gwp", "status", "notes"):
        meta[key] = _str(meta_in, key, where, _SET_OPTIONAL[key])
    if meta["country"] and not _COUNTRY_RE.match(meta["country"]):
        raise FactorError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code")
    if meta["status"] not in _STATUSES:
        raise FactorError(
            f"{where}: 'status' {meta['status']!r} must be one of {_listing(_STATUSES)}"
        )
    inherits = _str_list(meta_in, "inherits", where)
    exclude = _str_list(meta_in, "exclude_inherited", where)

    factors_in = doc.get("factors", {})
    if not isinstance(factors_in, dict):
        raise FactorError(f"{path}: [factors] must be a table of tables")
    own = []
    for key, entry in factors_in.items():
        fwhere = f"{path} [factors.{key}]"
        if key not in FACTOR_UNITS:
            raise FactorError(
                f"{fwhere}: unknown factor key {key!r}. Known keys: {_listing(FACTOR_UNITS)}"
            )
        if not isinstance(entry, dict):
            raise FactorError(f"{fwhere}: must be a table")
        _check_keys(
            entry, (*_FACTOR_REQUIRED, *_FACTOR_OPTIONAL), _FACTOR_REQUIRED, fwhere
        )
        unit = _str(entry, "unit", fwhere)
        if unit != FACTOR_UNITS[key]:
            raise FactorError(
                f"{fwhere}: unit {unit!r} does not match the required unit "
                f"{FACTOR_UNITS[key]!r}"
            )
        source = _str(entry, "source", fwhere)
        if not source.strip():
            raise FactorError(f"{fwhere}: 'source' must be non-empty")
        confidence = _str(entry, "confidence", fwhere)
        low = entry.get("low")
        high = entry.get("high")
        try:
            own.append(
                Factor(
                    key=key,
                    value=_as_float(entry["value"], fwhere),
                    unit=unit,
                    year=meta["year"],
                    source=source,
                    set_id=set_id,
                    confidence=confidence,
                    low=None if low is None else _as_float(low, f"{fwhere} 'low'"),
                    high=None if high is None else _as_float(high, f"{fwhere} 'high'"),
                    note=_str(entry, "note", fwhere),
                )
            )
        except FactorError as exc:
            msg = str(exc)
            raise FactorError(
                msg if msg.startswith(str(path)) else f"{fwhere}: {msg}"
            ) from None
    return _RawSet(path, MappingProxyType(meta), tuple(own), inherits, exclude)
