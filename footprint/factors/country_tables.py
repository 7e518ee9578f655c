"""Per-country tables: grid carbon intensity of electricity, residual mix and hotel nights.

:func:`grid_intensity` reads ``data/grid-intensity.toml``, :func:`residual_mix`
``data/residual-mix.toml`` and :func:`hotel_night` ``data/hotels.toml`` (once each, cached). May import :mod:`footprint.factors.factor_set`,
:mod:`footprint.factors.file_parser` and :data:`footprint.factors.registry.DATA_DIR`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from footprint.factors.factor_set import (
    FACTOR_UNITS,
    Factor,
    FactorError,
    _as_float,
    _listing,
)
from footprint.factors.file_parser import (
    _COUNTRY_RE,
    _check_keys,
    _read_toml,
    _str,
    _str_list,
    _year,
)
from footprint.factors.registry import DATA_DIR

__all__ = ["grid_intensity", "hotel_night", "residual_mix"]

_COUNTRY_ALIASES = MappingProxyType({"UK": "GB"})
_LONDON = frozenset({"london", "greater london", "city of london"})


@dataclass(frozen=True)
class _CountryTable:
    factors: Mapping[str, Factor]
    no_value: frozenset[str]


def _normalise_country(country: object, what: str) -> str:
    if not isinstance(country, str) or not country.strip():
        raise FactorError(
            f"{what}: country must be a non-empty ISO 3166-1 code, got {country!r}"
        )
    code = country.strip().upper()
    return _COUNTRY_ALIASES.get(code, code)


@functools.cache
def _grid_table(path: Path = DATA_DIR / "grid-intensity.toml") -> _CountryTable:
    doc = _read_toml(path)
    _check_keys(doc, ("meta", "countries"), ("meta", "countries"), f"{path}")
    meta = doc["meta"]
    _check_keys(meta, ("name", "unit", "notes"), ("unit",), f"{path} [meta]")
    unit = _str(meta, "unit", f"{path} [meta]")
    if unit != FACTOR_UNITS["electricity_generation"]:
        raise FactorError(
            f"{path} [meta]: unit must be {FACTOR_UNITS['electricity_generation']!r}"
        )
    out = {}
    for code, entry in doc["countries"].items():
        where = f"{path} [countries.{code}]"
        if not _COUNTRY_RE.match(code) or not isinstance(entry, dict):
            raise FactorError(
                f"{where}: key must be an ISO 3166-1 alpha-2 code with a table"
            )
        _check_keys(
            entry,
            ("name", "value", "year", "source", "confidence", "fallback", "note"),
            ("name", "value", "year", "source", "confidence", "fallback"),
            where,
        )
        if not isinstance(entry["fallback"], bool):
            raise FactorError(f"{where}: 'fallback' must be true or false")
        note = _str(entry, "note", where)
        if entry["fallback"] and "fallback" not in note.lower():
            note = f"Fallback value. {note}".strip()
        try:
            out[code] = Factor(
                key="electricity_generation",
                value=_as_float(entry["value"], where),
                unit=unit,
                year=_year(entry["year"], where),
                source=f"{_str(entry, 'name', where)}: {_str(entry, 'source', where)}",
                set_id="grid-intensity",
                confidence=_str(entry, "confidence", where),
                note=note,
                fallback=entry["fallback"],
            )
        except FactorError as exc:
            msg = str(exc)
            raise FactorError(
                msg if msg.startswith(str(path)) else f"{where}: {msg}"
            ) from None
    return _CountryTable(MappingProxyType(out), frozenset())


def _country_file(path: Path, key: str, required: tuple[str, ...]
                  ) -> tuple[dict, dict, str, str, int, frozenset[str]]:
    """A country table file's document, its checked ``[meta]`` (where it is, unit of
    ``key``, year, countries with no value)."""
    doc = _read_toml(path)
    _check_keys(doc, ("meta", "countries"), ("meta", "countries"), f"{path}")
    meta = doc["meta"]
    mwhere = f"{path} [meta]"
    _check_keys(meta, ("name", "unit", "year", "confidence", "source", "url", "no_value", "notes"),
                required, mwhere)
    unit = _str(meta, "unit", mwhere)
    if unit != FACTOR_UNITS[key]:
        raise FactorError(f"{mwhere}: unit must be {FACTOR_UNITS[key]!r}")
    return doc, meta, mwhere, unit, _year(meta["year"], mwhere), frozenset(_str_list(meta, "no_value", mwhere))


@functools.cache
def _hotel_table(path: Path = DATA_DIR / "hotels.toml") -> _CountryTable:
    doc, meta, mwhere, unit, year, no_value = _country_file(
        path, "hotel_night", ("unit", "year", "confidence", "source"))
    out = {}
    for code, entry in doc["countries"].items():
        where = f"{path} [countries.{code}]"
        if not _COUNTRY_RE.match(code) or not isinstance(entry, dict):
            raise FactorError(f"{where}: key must be an ISO 3166 code with a table")
        _check_keys(entry, ("name", "value", "note", "source", "confidence"), ("name", "value"), where)
        value = _as_float(entry["value"], where)
        if value == 0:
            raise FactorError(
                f"{where}: a hotel factor of 0 is not allowed; omit the country"
            )
        name = _str(entry, "name", where)
        out[code] = Factor(
            key="hotel_night",
            value=value,
            unit=unit,
            year=year,
            source=_str(entry, "source", where) or f"{_str(meta, 'source', mwhere)}; row: {name}",
            set_id="hotels",
            confidence=_str(entry, "confidence", where) or _str(meta, "confidence", mwhere),
            note=_str(entry, "note", where),
        )
    if overlap := no_value & out.keys():
        raise FactorError(
            f"{mwhere}: countries both valued and in no_value: {_listing(overlap)}"
        )
    return _CountryTable(MappingProxyType(out), no_value)


@functools.cache
def _residual_table(path: Path = DATA_DIR / "residual-mix.toml") -> _CountryTable:
    doc, meta, mwhere, unit, year, no_value = _country_file(
        path, "electricity_residual_mix", ("name", "unit", "year", "confidence", "source", "url"))
    source = f"{_str(meta, 'source', mwhere)}; {_str(meta, 'url', mwhere)}"
    out = {}
    for code, entry in doc["countries"].items():
        where = f"{path} [countries.{code}]"
        if not _COUNTRY_RE.match(code) or not isinstance(entry, dict):
            raise FactorError(f"{where}: key must be an ISO 3166-1 alpha-2 code with a table")
        _check_keys(entry, ("name", "value", "cell", "note"), ("name", "value", "cell"), where)
        value = _as_float(entry["value"], where)
        if value == 0:
            raise FactorError(f"{where}: a residual mix of 0 is not allowed; list the country in no_value")
        out[code] = Factor(
            key="electricity_residual_mix",
            value=value,
            unit=unit,
            year=year,
            source=f"{source}; row {code} ({_str(entry, 'name', where)}): {_str(entry, 'cell', where)}",
            set_id="residual-mix",
            confidence=_str(meta, "confidence", mwhere),
            note=_str(entry, "note", where) or _str(meta, "notes", mwhere),
        )
    if overlap := no_value & out.keys():
        raise FactorError(f"{mwhere}: countries both valued and in no_value: {_listing(overlap)}")
    return _CountryTable(MappingProxyType(out), no_value)


def residual_mix(country: str) -> Factor | None:
    """Return the residual mix of a country's electricity (market-based Scope 2), or None.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code, case-insensitive (``"UK"`` is accepted for ``"GB"``).

    Returns
    -------
    Factor or None
        Key ``"electricity_residual_mix"`` [kg CO2e/kWh], ``set_id`` ``"residual-mix"``
        (AIB European Residual Mixes, direct CO2); ``None`` where the table has no
        value (GB, full-disclosure countries such as NL, countries AIB does not cover).
    """
    return _residual_table().factors.get(_normalise_country(country, "residual_mix"))


def grid_intensity(country: str) -> Factor:
    """Return the grid carbon intensity of a country's electricity.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code, case-insensitive (``"UK"`` is accepted for ``"GB"``).

    Returns
    -------
    Factor
        Key ``"electricity_generation"`` [kg CO2e/kWh], ``set_id``
        ``"grid-intensity"``, with the data year and source of that country.
        Codecarbon fallback values say so in ``source`` and ``note``.

    Raises
    ------
    FactorError
        If the country has no value (the message lists the available codes).
    """
    table = _grid_table()
    code = _normalise_country(country, "grid_intensity")
    try:
        return table.factors[code]
    except KeyError:
        raise FactorError(
            f"grid-intensity.toml has no value for country {country!r}. "
            f"Available: {_listing(table.factors)}"
        ) from None


def hotel_night(country: str, city: str | None = None) -> Factor | None:
    """Return the DESNZ hotel factor for a country (and London), or None.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code, case-insensitive (``"UK"`` is accepted for
        ``"GB"``); ``"GB-LND"`` selects the London row directly.
    city : str, optional
        ``"London"`` with country ``"GB"`` selects the UK (London) row; other
        cities fall back to the country value.

    Returns
    -------
    Factor or None
        Key ``"hotel_night"`` [kg CO2e/room-night], ``set_id`` ``"hotels"``;
        ``None`` where DESNZ gives no value (never 0).
    """
    table = _hotel_table()
    code = _normalise_country(country, "hotel_night")
    if code == "GB" and city is not None and city.strip().lower() in _LONDON:
        code = "GB-LND"
    return table.factors.get(code)
