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

The package in rooms: :mod:`.factor_set` (the :class:`Factor` and :class:`FactorSet`
types, :data:`FACTOR_UNITS`, :data:`CONFIDENCE_LEVELS`), :mod:`.file_parser` (one TOML
file, strictly validated), :mod:`.registry` (built-in sets and user files, with
inheritance), :mod:`.country_tables` (grid intensity, residual mix and hotel nights by
country) and :mod:`.country_electricity` (stand-ins for a country's T&D and well-to-tank).
This module only re-exports their public names.
"""

from footprint.factors.country_electricity import UPSTREAM_KEYS, upstream_stand_in
from footprint.factors.country_tables import grid_intensity, hotel_night, residual_mix
from footprint.factors.factor_set import (
    CONFIDENCE_LEVELS,
    FACTOR_UNITS,
    Factor,
    FactorError,
    FactorSet,
)
from footprint.factors.registry import (
    DATA_DIR,  # noqa: F401  (public before the split)
    available_factor_sets,
    load_factor_set,
)

__all__ = [
    "CONFIDENCE_LEVELS",
    "FACTOR_UNITS",
    "Factor",
    "FactorError",
    "FactorSet",
    "UPSTREAM_KEYS",
    "available_factor_sets",
    "grid_intensity",
    "hotel_night",
    "load_factor_set",
    "residual_mix",
    "upstream_stand_in",
]
