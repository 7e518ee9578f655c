"""The factor and factor-set types: :class:`Factor`, :class:`FactorSet`, :class:`FactorError`.

Also the vocabulary they check against: :data:`FACTOR_UNITS` (every factor key the model
knows, with its unit) and :data:`CONFIDENCE_LEVELS`. Reading files is
:mod:`footprint.factors.file_parser`'s job, finding sets :mod:`footprint.factors.registry`'s.
May import :mod:`footprint.errors` only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from footprint.errors import FootprintError

__all__ = ["CONFIDENCE_LEVELS", "FACTOR_UNITS", "Factor", "FactorError", "FactorSet"]

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
        # Buildings: share of an office's energy that follows attendance (not emission factors;
        # kept here so they carry value, unit, year and source like every other number)
        "occupancy_share_electricity": "share",
        "occupancy_share_heating": "share",
    }
)
"""Every factor key the model knows, with its required unit."""


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


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _as_float(x: object, where: str) -> float:
    if not _is_number(x) or not math.isfinite(x) or x < 0:  # type: ignore[operator, arg-type]
        raise FactorError(f"{where}: value must be a finite number >= 0, got {x!r}")
    return float(x)  # type: ignore[arg-type]
