"""The built-in factor sets and user files, resolved with inheritance.

:func:`load_factor_set` finds a set by id (``footprint/factors/data/<id>.toml``) or by
path, fills the keys it lacks from the sets it ``inherits`` (in order, keeping the
parent's provenance) and caches the built-in ones; :func:`available_factor_sets`
lists the ids. May import :mod:`footprint.factors.factor_set` and
:mod:`footprint.factors.file_parser`.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Mapping
from pathlib import Path

from footprint.factors.factor_set import Factor, FactorError, FactorSet, _listing
from footprint.factors.file_parser import _parse_set_file, _RawSet

__all__ = ["DATA_DIR", "available_factor_sets", "load_factor_set"]

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Directory holding the built-in factor files."""

_AUX_FILES = frozenset({"grid-intensity.toml", "hotels.toml", "residual-mix.toml"})


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

