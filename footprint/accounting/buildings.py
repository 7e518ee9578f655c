"""Buildings: desks, floor area and energy of open sites (Scopes 1 and 2).

Today's estate keeps each office's real floor area and energy intensity. A hub is
sized from its staff by :data:`HUB_FORMULAS` (the method text in
``docs/methodology.md`` and the PDF prints these same strings, and a test
evaluates them against :func:`building_use`)::

    peak_j  = min(s_j, s_j · days/5 · peak)
    desks_j = ⌈peak_j · r⌉
    area_j  = min(desks_j, max_desks_j) · a + A_hub

with s_j staff, r the desk-sharing ratio, a m² per desk and A_hub the fixed area
of every open hub (policy ``hub_fixed_area_m2``, 500 m² by default).

Energy = area × intensity [kWh/yr]; emissions = electricity × grid factor
(Scope 2, location-based; T&D losses in Scope 3 cat. 3) + heating kWh × the fuel's
factor (gas: Scope 1; district heat: Scope 2; electric heating: as electricity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.inputs import Organisation, Policy

#: The hub sizing formulas in the method text's notation: s_j staff, days office days a week,
#: peak the peak factor, r desks per peak attendee, a m² per desk, A_hub the fixed area of an
#: open hub [m²]. Rendered verbatim in docs/methodology.md and the PDF's method section.
HUB_FORMULAS: tuple[str, ...] = (
    "peak_j  = min(s_j, s_j · days/5 · peak)",
    "desks_j = ⌈peak_j · r⌉",
    "area_j  = min(desks_j, max_desks_j) · a + A_hub",
)
#: Policy field behind each symbol of :data:`HUB_FORMULAS`.
HUB_SYMBOLS: dict[str, str] = {
    "days": "office_days_per_week",
    "peak": "peak_factor",
    "r": "desk_sharing_ratio",
    "a": "m2_per_desk",
    "A_hub": "hub_fixed_area_m2",
}


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
