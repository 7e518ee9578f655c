"""Buildings: desks, floor area and energy of open sites (Scopes 1 and 2).

Today's estate keeps each office's real floor area and energy intensity. A hub is
sized from its staff::

    desks_j = ceil(peak attendance_j × desk-sharing ratio)
    peak attendance_j = min(staff_j, staff_j × office days/5 × peak factor)
    area_j = min(desks_j, max_desks_j) × m² per desk + fixed area per open hub

Energy = area × intensity [kWh/yr]; emissions = electricity × grid factor
(Scope 2, location-based; T&D losses in Scope 3 cat. 3) + heating kWh × the fuel's
factor (gas: Scope 1; district heat: Scope 2; electric heating: as electricity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.inputs import Organisation, Policy


@dataclass(frozen=True, eq=False)
class BuildingUse:
    """Desks, area and energy of every site under a plan (zeros where closed)."""

    staff: np.ndarray
    desks: np.ndarray
    desks_needed: np.ndarray
    floor_area_m2: np.ndarray
    electricity_kwh: np.ndarray
    heating_kwh: np.ndarray


def hub_desks_needed(staff: np.ndarray, policy: Policy) -> np.ndarray:
    """Desks a hub needs for its assigned staff. [desks]"""
    peak = np.minimum(staff, staff * policy.office_days_per_week / 5.0 * policy.peak_factor)
    # round before ceil so that float noise (e.g. 150 × 0.8 = 120.00000000000001) adds no desk
    return np.ceil(np.round(peak * policy.desk_sharing_ratio, 9))


def building_use(org: Organisation, policy: Policy, open_sites: np.ndarray, site_staff: np.ndarray,
                 current_estate: bool) -> BuildingUse:
    """Desks, area and annual energy of each site.

    Parameters
    ----------
    open_sites : ndarray of bool, shape (m,)
    site_staff : ndarray, shape (m,)
        People assigned to each site. [people]
    current_estate : bool
        Use today's floor areas and intensities instead of sizing hubs.
    """
    s = org.sites
    if current_estate:
        area = np.where(open_sites, s.floor_area_m2, 0.0)
        desks = np.where(open_sites, s.desks, 0).astype(float)
        needed = desks.copy()
        elec = area * s.electricity_kwh_per_m2
        heat = area * s.heating_kwh_per_m2
    else:
        needed = np.where(open_sites, hub_desks_needed(site_staff, policy), 0.0)
        desks = np.minimum(needed, s.max_desks)
        area = desks * policy.m2_per_desk + np.where(open_sites, policy.hub_fixed_area_m2, 0.0)
        elec = area * policy.hub_electricity_kwh_per_m2
        heat = area * policy.hub_heating_kwh_per_m2
    return BuildingUse(site_staff, desks, needed, area, elec, heat)
