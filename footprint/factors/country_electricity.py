"""Electricity factors for a site outside the factor set's home country.

The country tables give a site's own grid intensity (:func:`grid_intensity`) and
residual mix (:func:`residual_mix`) where a sourced value exists. For T&D losses
and the well-to-tank of electricity no per-country public source was found (DESNZ
stopped publishing overseas electricity factors and points to the IEA's, which are
licensed), so :func:`upstream_stand_in` scales the set's own home-country factor by
the site's grid: the home country's loss and upstream *shares* stand in, and the
factor says so and is flagged as a fallback. May import
:mod:`footprint.factors.factor_set`.
"""

from __future__ import annotations

from footprint.factors.factor_set import Factor, FactorSet

__all__ = ["UPSTREAM_KEYS", "upstream_stand_in"]

#: Electricity factors proportional to generation that a set gives for its home country only.
UPSTREAM_KEYS = ("electricity_td", "wtt_electricity_generation", "wtt_electricity_td")


def upstream_stand_in(
    factors: FactorSet, key: str, grid: Factor, country: str
) -> Factor | None:
    """The set's home-country T&D or well-to-tank share, applied to another country's grid.

    ``value = grid.value × factors[key] / factors["electricity_generation"]``
    [kg CO2e/kWh]: e.g. DESNZ 2025 T&D 0.01853 / 0.17700 = 10.5 % of generation,
    times the Irish grid intensity.

    Parameters
    ----------
    factors : FactorSet
        The set in use; its ``key`` and ``electricity_generation`` are the home values.
    key : str
        One of :data:`UPSTREAM_KEYS`.
    grid : Factor
        The site country's ``electricity_generation`` [kg CO2e/kWh].
    country : str
        ISO code of the site's country (named in the source).

    Returns
    -------
    Factor or None
        Confidence ``"D"``, ``fallback=True``, with the formula and both sources in
        ``source``; ``None`` when the set has no ``key`` (nothing to stand in).
    """
    if key not in UPSTREAM_KEYS:
        raise ValueError(
            f"upstream_stand_in: key must be one of {', '.join(UPSTREAM_KEYS)}, got {key!r}"
        )
    if key not in factors or "electricity_generation" not in factors:
        return None
    own, gen = factors[key], factors["electricity_generation"]
    if gen.value <= 0:
        return None
    share = own.value / gen.value
    home = factors.country or factors.id
    value = grid.value * share
    return Factor(
        key=key,
        value=value,
        unit=own.unit,
        year=own.year,
        source=(
            f"STAND-IN for {country}: no {country} value found, so the {home} share stands in: {key} "
            f"{own.value:g} / electricity_generation {gen.value:g} [{own.set_id} {own.year}] = {share:.4f}, "
            f"× {country} grid {grid.value:g} [{grid.set_id} {grid.year}] = {value:.5f} kg CO2e/kWh"
        ),
        set_id=own.set_id,
        confidence="D",
        note=(
            f"Fallback: the {home} share of generation, not a {country} value (DESNZ no longer publishes "
            "overseas T&D or well-to-tank factors; the IEA's are licensed)."
        ),
        fallback=True,
    )
