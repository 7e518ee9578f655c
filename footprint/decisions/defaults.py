"""Cost and embodied-carbon defaults: a sourced, editable TOML file.

Each entry carries value, unit, currency, price year, source and a confidence tag
(P/S/D/A as for emission factors). :func:`load_cost_defaults` reads the built-in file
or the user's own copy and reports every missing or bad field with file and key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from footprint.errors import InputError, Problem

DEFAULTS_PATH = Path(__file__).parent / "data" / "costs.toml"
CONFIDENCE_LEVELS = ("P", "S", "D", "A")
_REQUIRED = ("value", "unit", "currency", "year", "source", "confidence")

#: Keys the cost model reads (table "costs" unless prefixed "embodied.").
COST_KEYS = (
    "rent_london",
    "rent_regions",
    "rates_multiplier",
    "service_charge_london",
    "service_charge_regions",
    "london_radius_km",
    "electricity",
    "gas",
    "district_heat",
    "travel_car",
    "travel_rail",
    "travel_air",
    "hotel_night",
    "commute_car",
    "commute_rail",
    "commute_urban_rail",
    "commute_bus",
    "commute_other",
    "fit_out_cat_a",
    "fit_out_cat_b",
    "regional_fit_out_factor",
    "dilapidations",
    "relocation",
)
EMBODIED_KEYS = ("fit_out_cat_a", "fit_out_cat_b")


@dataclass(frozen=True)
class CostValue:
    """One default: value with its unit, currency, price year, source and confidence.

    ``lo``/``hi`` bound a plausible range (equal to ``value`` when not given).
    """

    key: str
    value: float
    unit: str
    currency: str
    year: int
    source: str
    confidence: str
    lo: float
    hi: float
    note: str = ""


@dataclass(frozen=True)
class CostDefaults:
    """The cost and embodied-carbon defaults, keyed as in the TOML file."""

    costs: dict[str, CostValue]
    embodied: dict[str, CostValue]
    currency: str
    price_year: int
    path: str

    def cost(self, key: str) -> float:
        """A cost default's value (in its unit, see :data:`COST_KEYS`)."""
        return self.costs[key].value

    def rows(self) -> list[CostValue]:
        """Every default, costs first, then embodied carbon."""
        return [*self.costs.values(), *self.embodied.values()]


def _entry(
    table: str, key: str, raw: object, where: str, problems: list[Problem]
) -> CostValue | None:
    field = f"{table}.{key}"
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                "must be a table with value, unit, currency, year, source, confidence",
                where,
                None,
                field,
            )
        )
        return None
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        problems.append(Problem(f"missing {', '.join(missing)}", where, None, field))
        return None
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        problems.append(
            Problem(
                f"value must be a number ≥ 0, got {value!r}",
                where,
                None,
                f"{field}.value",
            )
        )
        return None
    if raw["confidence"] not in CONFIDENCE_LEVELS:
        problems.append(
            Problem(
                f"confidence must be one of {', '.join(CONFIDENCE_LEVELS)}, got {raw['confidence']!r}",
                where,
                None,
                f"{field}.confidence",
            )
        )
        return None
    if not isinstance(raw["year"], int):
        problems.append(
            Problem(
                f"year must be a whole year, got {raw['year']!r}",
                where,
                None,
                f"{field}.year",
            )
        )
        return None
    lo, hi = float(raw.get("lo", value)), float(raw.get("hi", value))
    if not lo <= value <= hi:
        problems.append(
            Problem(
                f"need lo ≤ value ≤ hi, got {lo:g} ≤ {value:g} ≤ {hi:g}",
                where,
                None,
                field,
            )
        )
        return None
    return CostValue(
        key,
        float(value),
        str(raw["unit"]),
        str(raw["currency"]),
        raw["year"],
        str(raw["source"]),
        raw["confidence"],
        lo,
        hi,
        str(raw.get("note", "")),
    )


def load_cost_defaults(path: str | Path | None = None) -> CostDefaults:
    """Read cost defaults (the built-in file by default).

    Raises
    ------
    footprint.errors.InputError
        Naming the file and key of every missing or invalid entry.
    """
    p = Path(path) if path is not None else DEFAULTS_PATH
    return _load(str(p))


@lru_cache(maxsize=8)
def _load(where: str) -> CostDefaults:
    try:
        data = tomllib.loads(Path(where).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            [Problem("file not found", where)], "cost defaults not found"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            [Problem(f"not valid TOML: {exc}", where)],
            "cost defaults are not valid TOML",
        ) from None
    problems: list[Problem] = []
    out: dict[str, dict[str, CostValue]] = {}
    for table, keys in (("costs", COST_KEYS), ("embodied", EMBODIED_KEYS)):
        raw = data.get(table, {})
        out[table] = {}
        for key in keys:
            if key not in raw:
                problems.append(Problem("missing entry", where, None, f"{table}.{key}"))
                continue
            entry = _entry(table, key, raw[key], where, problems)
            if entry is not None:
                out[table][key] = entry
        for key in raw:
            if key not in keys:
                problems.append(
                    Problem(
                        f"unknown key; allowed: {', '.join(keys)}",
                        where,
                        None,
                        f"{table}.{key}",
                    )
                )
    if problems:
        raise InputError(
            problems, f"{len(problems)} problem(s) in the cost defaults {where}"
        )
    meta = data.get("meta", {})
    return CostDefaults(
        out["costs"],
        out["embodied"],
        str(meta.get("currency", "GBP")),
        int(meta.get("price_year", 0)),
        where,
    )
