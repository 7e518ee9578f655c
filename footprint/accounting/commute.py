"""Commuting: one-way travel distance and time, and annual commute emissions.

For staff group *i* at site *j* (GHG Protocol Scope 3 category 7)::

    E_ij = n_i · D_office · 2 · d_ij · k(mode_i) · EF(mode_i) / occupancy(mode_i)

with ``n_i`` people, ``D_office`` office days a year, ``d_ij`` the geodesic
distance [km], ``k`` the circuity of the mode's network and ``EF`` the factor
per vehicle-km (cars, divided by car occupancy) or per passenger-km.
"""

from __future__ import annotations

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


def travel_distance_km(org: Organisation, policy: Policy, geodesic_km: np.ndarray) -> np.ndarray:
    """One-way travel distance: geodesic × the circuity of each group's mode. [km]

    ``geodesic_km`` has one row per staff group (any number of columns).
    """
    circ = mode_circuity(policy)[org.group_mode]
    return geodesic_km * (circ[:, None] if np.ndim(geodesic_km) == 2 else circ)


def commute_minutes(org: Organisation, travel_km: np.ndarray) -> np.ndarray:
    """One-way door-to-door time from travel distance, by each group's mode. [min]"""
    speed = np.array([m.speed_kmh for m in MODES])[org.group_mode]
    access = np.array([m.access_min for m in MODES])[org.group_mode]
    if np.ndim(travel_km) == 2:
        speed, access = speed[:, None], access[:, None]
    return access + 60.0 * travel_km / speed


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
