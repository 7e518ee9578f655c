"""Commuting: one-way travel distance and time, and annual commute emissions.

For staff group *i* at site *j* (GHG Protocol Scope 3 category 7)::

    E_ij = n_i · D_office · 2 · d_ij · k(mode_i) · EF(mode_i) / occupancy(mode_i)

with ``n_i`` people, ``D_office`` office days a year, ``d_ij`` the geodesic
distance [km], ``k`` the circuity of the mode's network and ``EF`` the factor
per vehicle-km (cars, divided by car occupancy) or per passenger-km. The mode is
the group's own, unless the distance is beyond its range (see
:func:`effective_mode`): then the fallback mode's circuity, speed and factor apply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.factors import FactorSet
from footprint.inputs import MODES, Organisation, Policy


def mode_circuity(policy: Policy) -> np.ndarray:
    """Circuity of each mode in :data:`MODES` order. [×]"""
    return np.array([policy.circuity(m.network) for m in MODES])


def mode_factor_per_person_km(factors: FactorSet, policy: Policy, *, well_to_tank: bool = False) -> np.ndarray:
    """Emission factor of each mode per person-km, in :data:`MODES` order. [kg CO2e/pkm]

    With ``well_to_tank`` the WTT factor (0 where the set has none) instead.
    """
    out = np.zeros(len(MODES))
    for k, mode in enumerate(MODES):
        key = f"wtt_{mode.factor_key}" if well_to_tank else mode.factor_key
        if key in factors:
            value = factors.value(key)
            out[k] = value / policy.car_occupancy if mode.per_vehicle else value
    return out


def effective_mode(mode_idx: np.ndarray, geodesic_km: np.ndarray) -> np.ndarray:
    """Mode actually used at each distance: beyond a mode's range, its fallback (repeatedly).

    Parameters
    ----------
    mode_idx : ndarray of int, shape (n,)
        Each group's own mode (index into :data:`MODES`).
    geodesic_km : ndarray, shape (n,) or (n, k)
        Straight-line one-way distance. [km]

    Returns
    -------
    ndarray of int, the shape of ``geodesic_km``
    """
    mode = np.broadcast_to(mode_idx[:, None] if np.ndim(geodesic_km) == 2 else mode_idx, np.shape(geodesic_km))
    mode = np.array(mode, dtype=np.int64)
    for _ in range(len(_RANGED)):  # fallbacks chain (walk → bus → car)
        changed = False
        for k, max_km, fallback in _RANGED:
            beyond = (mode == k) & (geodesic_km > max_km)
            if beyond.any():
                mode[beyond] = fallback
                changed = True
        if not changed:
            break
    return mode


_MODE_INDEX = {m.id: k for k, m in enumerate(MODES)}
BUS = _MODE_INDEX["bus"]

#: Label suffix of each site-specific commute factor key.
KEY_LABELS = {"bus_london": " (London)", "bus_local_not_london": " (outside London)"}


def commute_factor_keys(factors: FactorSet, mode: np.ndarray, site_country: np.ndarray,
                        site_in_london: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Factor key of each commute: the mode's, with the bus split by the office's location.

    DESNZ separates London buses (0.06875 kg CO2e/pkm in 2025) from local buses
    outside London (0.12525); the average local bus (0.10385) mixes both. Where the
    set is a UK set that has both, a bus commute to an office in Greater London
    uses the London factor and one to another UK office the non-London factor.

    Parameters
    ----------
    factors : FactorSet
    mode : ndarray of int
        Mode used by each group (index into :data:`MODES`).
    site_country, site_in_london : ndarray
        Country code and London flag of each group's office.

    Returns
    -------
    key_index : ndarray of int
        Index of each group's key into ``keys``.
    keys : tuple of str
        The mode keys (in :data:`MODES` order), then ``bus_london`` and
        ``bus_local_not_london``.
    """
    keys = (*(m.factor_key for m in MODES), "bus_london", "bus_local_not_london")
    index = np.asarray(mode, dtype=np.int64).copy()
    if factors.country == "GB" and "bus_london" in factors and "bus_local_not_london" in factors:
        bus_gb = (mode == BUS) & (np.asarray(site_country) == "GB")
        index[bus_gb & site_in_london] = len(MODES)
        index[bus_gb & ~site_in_london] = len(MODES) + 1
    return index, keys


def factor_per_person_km(factors: FactorSet, policy: Policy, key_index: np.ndarray, keys: tuple[str, ...],
                         mode: np.ndarray, *, well_to_tank: bool = False) -> np.ndarray:
    """Emission factor of each commute per person-km (cars divided by occupancy). [kg CO2e/pkm]

    With ``well_to_tank`` the ``wtt_`` factor of each key (0 where the set has none).
    """
    names = [f"wtt_{k}" if well_to_tank else k for k in keys]
    values = np.array([factors.value(n) if n in factors else 0.0 for n in names])
    per_vehicle = np.array([m.per_vehicle for m in MODES])[mode]
    out = values[key_index]
    return np.where(per_vehicle, out / policy.car_occupancy, out)


_RANGED = tuple((k, m.max_km, _MODE_INDEX[m.fallback]) for k, m in enumerate(MODES) if m.max_km is not None)
#: Indices of the modes that have a range (and may switch to a fallback).
RANGED_MODES = np.array([k for k, _, _ in _RANGED], dtype=np.int64)


@dataclass(frozen=True, eq=False)
class CommuteLegs:
    """One-way commutes: mode used, travel distance [km] and door-to-door time [min]."""

    mode: np.ndarray
    travel_km: np.ndarray
    minutes: np.ndarray


def commute_legs(org: Organisation, policy: Policy, geodesic_km: np.ndarray) -> CommuteLegs:
    """Mode, travel distance (geodesic × circuity) and time of each group's one-way commute.

    ``geodesic_km`` has one row per staff group (any number of columns, or a vector).
    """
    mode = effective_mode(org.group_mode, geodesic_km)
    travel = geodesic_km * mode_circuity(policy)[mode]
    speed = np.array([m.speed_kmh for m in MODES])[mode]
    access = np.array([m.access_min for m in MODES])[mode]
    return CommuteLegs(mode, travel, access + 60.0 * travel / speed)


def travel_distance_km(org: Organisation, policy: Policy, geodesic_km: np.ndarray) -> np.ndarray:
    """One-way travel distance: geodesic × the circuity of the mode used. [km]"""
    return commute_legs(org, policy, geodesic_km).travel_km


def commute_emissions_kg(
    count: np.ndarray, travel_km: np.ndarray, factor_per_pkm: np.ndarray, office_days_per_year: float
) -> np.ndarray:
    """Annual commute emissions of each group. [kg CO2e/yr]

    Parameters
    ----------
    count : ndarray
        People per group. [people]
    travel_km : ndarray
        One-way travel distance. [km]
    factor_per_pkm : ndarray
        Emission factor per person-km of each group's mode. [kg CO2e/pkm]
    office_days_per_year : float
        [days/yr]
    """
    return count * office_days_per_year * 2.0 * travel_km * factor_per_pkm
