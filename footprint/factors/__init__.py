"""Emission-factor sets: versioned data files with a small, strict loader.

The built-in sets live in ``footprint/factors/data/*.toml`` (DESNZ 2024, 2025,
2026, US EPA 2025 and the shared ``common`` assumptions). Each factor carries
its value, unit, year, source and a confidence tag, so every number the model
uses can be traced back to a publication:

* ``P`` -- primary, read from the publisher's own file;
* ``S`` -- secondary, copied from an extraction or a third party;
* ``D`` -- derived, arithmetic on P or S values (the formula is in the source);
* ``A`` -- assumption, a modelling choice (also used for user overrides).

A set may name parent sets in ``inherits``; keys it lacks are filled from the
parents in order, and an inherited factor keeps the parent's ``set_id``,
``year`` and ``source`` (the trail). A set inherits only from the sets it
names. Users can load their own TOML file, which may inherit from built-in ids.

Examples
--------
>>> fs = load_factor_set("desnz-2025")
>>> fs.value("electricity_generation")
0.177
>>> fs["natural_gas"].unit
'kg CO2e/kWh'
>>> load_factor_set("desnz-2026")["natural_gas"].set_id  # inherited
'desnz-2025'
"""

from __future__ import annotations

import fnmatch
import functools
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from footprint.errors import FootprintError

__all__ = [
    "CONFIDENCE_LEVELS",
    "FACTOR_UNITS",
    "Factor",
    "FactorError",
    "FactorSet",
    "available_factor_sets",
    "grid_intensity",
    "hotel_night",
    "load_factor_set",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Directory holding the built-in factor files."""

CONFIDENCE_LEVELS: Mapping[str, str] = MappingProxyType(
    {
        "P": "primary: read from the publisher's own file",
        "S": "secondary: copied from an extraction or a third party; check before shipping",
        "D": "derived: arithmetic on P or S values, formula shown in the source",
        "A": "assumption: a modelling choice or a user-supplied value",
    }
)

_VKM = "kg CO2e/vehicle-km"
_PKM = "kg CO2e/passenger-km"
_KWH = "kg CO2e/kWh"
_FTE = "kg CO2e/FTE-hour"

FACTOR_UNITS: Mapping[str, str] = MappingProxyType(
    {
        # Commuting and land travel (tank-to-wheel)
        "car_petrol": _VKM,
        "car_diesel": _VKM,
        "car_hybrid": _VKM,
        "car_phev": _VKM,
        "car_bev": _VKM,
        "car_unknown": _VKM,
        "motorbike": _VKM,
        "taxi": _PKM,
        "rail_national": _PKM,
        "underground": _PKM,
        "light_rail": _PKM,
        "bus_local": _PKM,
        "bus_london": _PKM,
        "bus_local_not_london": _PKM,
        "coach": _PKM,
        "walk": _PKM,
        "cycle": _PKM,
        # Air, per passenger-km of great-circle distance incl. 8% uplift
        "air_domestic": _PKM,
        "air_short_haul": _PKM,
        "air_long_haul": _PKM,
        "air_international": _PKM,
        "air_domestic_rf": _PKM,
        "air_short_haul_rf": _PKM,
        "air_long_haul_rf": _PKM,
        "air_international_rf": _PKM,
        # cabin classes (DESNZ publishes average, and by class where it can)
        **{
            f"air_{haul}_{cabin}{rf}": _PKM
            for haul in ("short_haul", "long_haul", "international")
            for cabin in ("economy", "premium_economy", "business", "first")
            for rf in ("", "_rf")
        },
        "rail_international": _PKM,
        # Hotels, homeworking, video calls
        "hotel_night": "kg CO2e/room-night",
        "homeworking_equipment": _FTE,
        "homeworking_heating": _FTE,
        "homeworking": _FTE,
        "video_call": "kg CO2e/participant-hour",
        # Energy
        "electricity_generation": _KWH,
        "electricity_td": _KWH,
        "electricity_residual_mix": _KWH,
        "natural_gas": _KWH,
        "heat_steam": _KWH,
        "heat_steam_distribution": _KWH,
        # Well-to-tank (optional "full Scope 3" lines)
        "wtt_car_petrol": _VKM,
        "wtt_car_diesel": _VKM,
        "wtt_car_unknown": _VKM,
        "wtt_car_bev": _VKM,
        "wtt_motorbike": _VKM,
        "wtt_rail_national": _PKM,
        "wtt_underground": _PKM,
        "wtt_bus_local": _PKM,
        "wtt_coach": _PKM,
        "wtt_air_domestic": _PKM,
        "wtt_air_short_haul": _PKM,
        "wtt_air_long_haul": _PKM,
        "wtt_air_international": _PKM,
        **{
            f"wtt_air_{haul}_{cabin}": _PKM
            for haul in ("short_haul", "long_haul", "international")
            for cabin in ("economy", "premium_economy", "business", "first")
        },
        "wtt_car_hybrid": _VKM,
        "wtt_car_phev": _VKM,
        "wtt_taxi": _PKM,
        "wtt_light_rail": _PKM,
        "wtt_rail_international": _PKM,
        "wtt_bus_london": _PKM,
        "wtt_bus_local_not_london": _PKM,
        "wtt_electricity_generation": _KWH,
        "wtt_electricity_td": _KWH,
        "wtt_natural_gas": _KWH,
        "wtt_heat_steam": _KWH,
        "wtt_heat_steam_distribution": _KWH,
    }
)
"""Every factor key the model knows, with its required unit."""

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
_AUX_FILES = frozenset({"grid-intensity.toml", "hotels.toml"})
_COUNTRY_ALIASES = MappingProxyType({"UK": "GB"})
_LONDON = frozenset({"london", "greater london", "city of london"})


class FactorError(FootprintError, ValueError):
    """A factor set, file or key is unknown or invalid.

    The message names the set or file and the key, and lists what is available.
    """


def _listing(names: Iterable[str]) -> str:
    names = sorted(names)
    return ", ".join(names) if names else "(none)"


@dataclass(frozen=True)
class Factor:
    """One emission factor with its provenance.

    Parameters
    ----------
    key : str
        Factor key, e.g. ``"car_petrol"`` (see :data:`FACTOR_UNITS`).
    value : float
        Central value [``unit``], finite and >= 0.
    unit : str
        Unit of ``value``, e.g. ``"kg CO2e/vehicle-km"``.
    year : int
        Publication year of the set the value comes from.
    source : str
        Publication, table and row (and the formula for derived values).
    set_id : str
        Id of the set the value comes from; differs from the containing
        :class:`FactorSet` id when the factor was inherited.
    confidence : str
        ``"P"``, ``"S"``, ``"D"`` or ``"A"`` (see :data:`CONFIDENCE_LEVELS`).
    low, high : float or None
        Optional range [``unit``].
    note : str
        Caveats and method notes.
    fallback : bool
        True for a stand-in value (e.g. a mix-derived grid intensity used where
        no better source was found); reports flag it.
    """

    key: str
    value: float
    unit: str
    year: int
    source: str
    set_id: str
    confidence: str
    low: float | None = None
    high: float | None = None
    note: str = ""
    fallback: bool = False

    def __post_init__(self) -> None:
        where = f"factor '{self.key}' of set '{self.set_id}'"
        for name in ("value", "low", "high"):
            x = getattr(self, name)
            if x is None and name != "value":
                continue
            if not _is_number(x) or not math.isfinite(x) or x < 0:
                raise FactorError(
                    f"{where}: {name} must be a finite number >= 0, got {x!r}"
                )
        if self.confidence not in CONFIDENCE_LEVELS:
            raise FactorError(
                f"{where}: confidence must be one of {_listing(CONFIDENCE_LEVELS)}, "
                f"got {self.confidence!r}"
            )
        if not self.unit or not self.source.strip():
            raise FactorError(f"{where}: unit and source must be non-empty")
        if self.low is not None and self.low > self.value:
            raise FactorError(f"{where}: low {self.low} > value {self.value}")
        if self.high is not None and self.high < self.value:
            raise FactorError(f"{where}: high {self.high} < value {self.value}")

    @property
    def trail(self) -> str:
        """One-line provenance for exports: value, unit, set, year, confidence, source."""
        return (
            f"{self.key} = {self.value:g} {self.unit} "
            f"[{self.set_id} {self.year}, {self.confidence}] {self.source}"
        )


@dataclass(frozen=True)
class FactorSet:
    """A resolved factor set: its own factors plus those inherited from its parents.

    Parameters
    ----------
    id, name : str
        Set id (e.g. ``"desnz-2025"``) and full title.
    year : int
        Publication year.
    country : str
        Home country (ISO 3166-1 alpha-2): the set's grid and hotel factors
        apply to sites in this country. Empty for country-neutral sets.
    publisher, url, version, gwp : str
        Provenance of the publication; ``gwp`` is the GWP basis.
    status : str
        ``"published"``, ``"provisional"``, ``"assumption"`` or ``"custom"``.
    notes : str
        Caveats for the whole set.
    factors : tuple of Factor
        Resolved factors (own and inherited), sorted by key.
    inherits : tuple of str
        Parent set ids (or paths) in lookup order.
    """

    id: str
    name: str
    year: int
    country: str
    publisher: str
    url: str
    version: str
    gwp: str
    status: str
    notes: str
    factors: tuple[Factor, ...]
    inherits: tuple[str, ...] = ()
    _index: Mapping[str, Factor] = field(
        init=False, repr=False, compare=False, hash=False, default=None
    )

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.factors, key=lambda f: f.key))
        index = {f.key: f for f in ordered}
        if len(index) != len(ordered):
            raise FactorError(f"factor set '{self.id}': duplicate factor keys")
        object.__setattr__(self, "factors", ordered)
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __getitem__(self, key: str) -> Factor:
        """Return the factor for ``key``; :class:`FactorError` listing the keys if missing."""
        try:
            return self._index[key]
        except (KeyError, TypeError):
            raise FactorError(
                f"factor set '{self.id}' has no factor {key!r}. "
                f"Available: {_listing(self._index)}"
            ) from None

    def get(self, key: str, default: Factor | None = None) -> Factor | None:
        """Return the factor for ``key``, or ``default`` if the set has none."""
        try:
            return self._index.get(key, default)
        except TypeError:
            return default

    def __contains__(self, key: object) -> bool:
        try:
            return key in self._index
        except TypeError:
            return False

    def __len__(self) -> int:
        return len(self.factors)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the factor keys, sorted (like a mapping)."""
        return iter(self._index)

    def value(self, key: str) -> float:
        """Return the central value of ``key`` [the factor's unit]."""
        return self[key].value

    def keys(self) -> tuple[str, ...]:
        """Return the factor keys, sorted."""
        return tuple(self._index)

    def own_keys(self) -> tuple[str, ...]:
        """Return the keys defined by this set itself (not inherited)."""
        return tuple(k for k, f in self._index.items() if f.set_id == self.id)

    def with_overrides(
        self, overrides: Mapping[str, float], source: str = "user override"
    ) -> FactorSet:
        """Return a copy with some values replaced by user-supplied ones.

        Parameters
        ----------
        overrides : Mapping[str, float]
            New central values by key [each key's unit, see :data:`FACTOR_UNITS`].
            A key the set lacks may be added if it is a known factor key.
        source : str
            Provenance recorded for the new values.

        Returns
        -------
        FactorSet
            The new set; overridden factors have confidence ``"A"``, ``set_id``
            equal to this set's id, no range, and a note naming the replaced value.

        Raises
        ------
        FactorError
            Unknown key, or a value that is not a finite number >= 0.
        """
        if not isinstance(source, str) or not source.strip():
            raise FactorError(
                f"factor set '{self.id}': override source must be non-empty"
            )
        new = dict(self._index)
        for key, value in overrides.items():
            old = self._index.get(key)
            if old is None and key not in FACTOR_UNITS:
                raise FactorError(
                    f"factor set '{self.id}': cannot override unknown factor {key!r}. "
                    f"Available: {_listing(self._index)}"
                )
            if old is not None:
                note = (
                    f"User override of {old.value:g} {old.unit} "
                    f"[{old.set_id} {old.year}, {old.confidence}] {old.source}"
                )
                unit, year = old.unit, old.year
            else:
                note = (
                    f"User value; set '{self.id}' has no published factor for this key."
                )
                unit, year = FACTOR_UNITS[key], self.year
            new[key] = Factor(
                key=key,
                value=_as_float(
                    value, f"override of factor '{key}' in set '{self.id}'"
                ),
                unit=unit,
                year=year,
                source=source,
                set_id=self.id,
                confidence="A",
                note=note,
            )
        if not overrides:
            return self
        extra = f"User overrides ({source}): {', '.join(sorted(overrides))}."
        return replace(
            self,
            factors=tuple(new.values()),
            notes=f"{self.notes} {extra}".strip(),
        )


# ---------------------------------------------------------------------------
# Parsing and validation
# ---------------------------------------------------------------------------


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _as_float(x: object, where: str) -> float:
    if not _is_number(x) or not math.isfinite(x) or x < 0:  # type: ignore[operator, arg-type]
        raise FactorError(f"{where}: value must be a finite number >= 0, got {x!r}")
    return float(x)  # type: ignore[arg-type]


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


class _Registry:
    """Built-in sets of one data directory, parsed once and cached."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._raw: dict[str, _RawSet] = {}
        self._resolved: dict[str, FactorSet] = {}

    @functools.cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(
            sorted(
                p.stem for p in self.data_dir.glob("*.toml") if p.name not in _AUX_FILES
            )
        )

    def raw(self, set_id: str) -> _RawSet:
        if set_id not in self._raw:
            if set_id not in self.ids:
                raise FactorError(
                    f"unknown factor set {set_id!r}. Available: {_listing(self.ids)}"
                )
            raw = _parse_set_file(self.data_dir / f"{set_id}.toml")
            if raw.meta["id"] != set_id:
                raise FactorError(
                    f"{raw.path} [set]: 'id' {raw.meta['id']!r} must match the file name"
                )
            self._raw[set_id] = raw
        return self._raw[set_id]

    def load(self, set_id: str, _stack: tuple[str, ...] = ()) -> FactorSet:
        if set_id in _stack:
            chain = " -> ".join((*_stack, set_id))
            raise FactorError(f"inheritance cycle between factor sets: {chain}")
        if set_id not in self._resolved:
            raw = self.raw(set_id)
            self._resolved[set_id] = self._resolve(raw, (*_stack, set_id))
        return self._resolved[set_id]

    def _resolve(self, raw: _RawSet, stack: tuple[str, ...]) -> FactorSet:
        factors = {f.key: f for f in raw.own}
        parents = []
        for parent in raw.inherits:
            pset = self._load_parent(parent, raw, stack)
            parents.append(pset)
            for f in pset.factors:
                if f.key in factors:
                    continue
                if any(
                    fnmatch.fnmatchcase(f.key, pat) for pat in raw.exclude_inherited
                ):
                    continue
                factors[f.key] = f
        meta = raw.meta
        country, notes = _set_country(raw, factors, parents)
        return FactorSet(
            id=meta["id"],
            name=meta["name"],
            year=meta["year"],
            country=country,
            publisher=meta["publisher"],
            url=meta["url"],
            version=meta["version"],
            gwp=meta["gwp"],
            status=meta["status"],
            notes=notes,
            factors=tuple(factors.values()),
            inherits=raw.inherits,
        )

    def _load_parent(
        self, parent: str, child: _RawSet, stack: tuple[str, ...]
    ) -> FactorSet:
        if parent.endswith(".toml"):  # a user file may inherit from another user file
            return self.load_path((child.path.parent / parent).resolve(), stack)
        if parent not in self.ids:
            raise FactorError(
                f"{child.path} [set] inherits: unknown factor set {parent!r}. "
                f"Available: {_listing(self.ids)}"
            )
        return self.load(parent, stack)

    def load_path(self, path: Path, _stack: tuple[str, ...] = ()) -> FactorSet:
        key = f"file:{Path(path).resolve()}"
        if key in _stack:
            chain = " -> ".join((*_stack, key))
            raise FactorError(f"inheritance cycle between factor sets: {chain}")
        raw = _parse_set_file(Path(path))
        if raw.meta["id"] in self.ids:
            raise FactorError(
                f"{path} [set]: 'id' {raw.meta['id']!r} is a built-in set id; "
                f"choose another id (built-in: {_listing(self.ids)})"
            )
        return self._resolve(raw, (*_stack, key))


def _set_country(
    raw: _RawSet, factors: Mapping[str, Factor], parents: list[FactorSet]
) -> tuple[str, str]:
    """The set's home country and notes: its own ``country``, else its electricity's.

    A grid factor is one country's grid, so a set that has
    ``electricity_generation`` must say which country it belongs to: a set
    without ``country`` takes the country of the parent its electricity factor
    comes from (said in the notes), and a set that gives its own electricity
    factor without ``country`` is an error (no silent fallback to the
    country table).
    """
    meta = raw.meta
    country, notes = meta["country"], meta["notes"]
    elec = factors.get("electricity_generation")
    if country or elec is None:
        return country, notes
    if elec.set_id == meta["id"]:
        raise FactorError(
            f"{raw.path} [set]: 'country' is missing, but the set gives its own "
            "electricity_generation: say which country's grid it is (an ISO 3166-1 "
            'alpha-2 code, e.g. country = "GB"), so that sites elsewhere use their '
            "own country's grid"
        )
    source = next((p for p in parents if p.get("electricity_generation") == elec), None)
    if source is None or not source.country:
        raise FactorError(
            f"{raw.path} [set]: 'country' is missing and cannot be taken from the set "
            f"its electricity_generation comes from ({elec.set_id}); add country = \"XX\""
        )
    extra = (
        f"Country {source.country} taken from '{source.id}', the set its "
        "electricity_generation comes from (the file gives no 'country')."
    )
    return source.country, f"{notes} {extra}".strip()


_REGISTRY = _Registry(DATA_DIR)


@functools.lru_cache(maxsize=64)
def _load_builtin(set_id: str) -> FactorSet:
    return _REGISTRY.load(set_id)


def available_factor_sets() -> tuple[str, ...]:
    """Return the ids of the built-in factor sets, newest first (``common`` excluded).

    Returns
    -------
    tuple of str
        E.g. ``("desnz-2026", "desnz-2025", "epa-2025", "desnz-2024")``; sets of
        the same year are ordered by id.
    """
    ids = [i for i in _REGISTRY.ids if i != "common"]
    return tuple(sorted(ids, key=lambda i: (-_REGISTRY.raw(i).meta["year"], i)))


def load_factor_set(set_id_or_path: str | os.PathLike[str]) -> FactorSet:
    """Load a built-in factor set by id, or a user's TOML file by path.

    Parameters
    ----------
    set_id_or_path : str or os.PathLike
        A built-in id (see :func:`available_factor_sets`, plus ``"common"``) or
        the path of a TOML file in the same format. A user file's ``inherits``
        may name built-in ids or other ``*.toml`` files (relative to the file).

    Returns
    -------
    FactorSet
        The resolved set. Built-in sets are parsed once and cached.

    Raises
    ------
    FactorError
        Unknown id (listing the available ones), missing or malformed file
        (naming the file and key), or an inheritance cycle.
    """
    if isinstance(set_id_or_path, str) and set_id_or_path in _REGISTRY.ids:
        return _load_builtin(set_id_or_path)
    if isinstance(set_id_or_path, os.PathLike) or (
        isinstance(set_id_or_path, str)
        and (set_id_or_path.endswith(".toml") or os.sep in set_id_or_path)
    ):
        return _REGISTRY.load_path(Path(set_id_or_path))
    raise FactorError(
        f"unknown factor set {set_id_or_path!r}. Available: "
        f"{_listing(_REGISTRY.ids)} (or pass the path of a .toml file)"
    )


# ---------------------------------------------------------------------------
# Per-country tables: grid intensity and hotel nights
# ---------------------------------------------------------------------------


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


@functools.cache
def _hotel_table(path: Path = DATA_DIR / "hotels.toml") -> _CountryTable:
    doc = _read_toml(path)
    _check_keys(doc, ("meta", "countries"), ("meta", "countries"), f"{path}")
    meta = doc["meta"]
    mwhere = f"{path} [meta]"
    _check_keys(
        meta,
        ("name", "unit", "year", "confidence", "source", "url", "no_value", "notes"),
        ("unit", "year", "confidence", "source"),
        mwhere,
    )
    unit = _str(meta, "unit", mwhere)
    if unit != FACTOR_UNITS["hotel_night"]:
        raise FactorError(f"{mwhere}: unit must be {FACTOR_UNITS['hotel_night']!r}")
    year = _year(meta["year"], mwhere)
    no_value = frozenset(_str_list(meta, "no_value", mwhere))
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
