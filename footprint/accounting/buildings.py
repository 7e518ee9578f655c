"""Buildings: desks, floor area and energy of open sites (Scopes 1 and 2).

Today's estate keeps each office's real floor area, desks and energy intensity. A hub is
sized from its staff by :data:`HUB_FORMULAS` (the method text in
``docs/methodology.md`` and the PDF prints these same strings, and a test
evaluates them against :func:`building_use`)::

    peak_j  = min(s_j, s_j · days/5 · peak)
    need_j  = max(s_j · days/5, peak_j · r)
    desks_j = min(⌈need_j⌉, max_desks_j)
    area_j  = desks_j · a + A_hub

with s_j staff, r the desk-sharing ratio (desks per peak attendee), a m² per desk and
A_hub the fixed area of every open hub (policy ``hub_fixed_area_m2``, 500 m² by
default). A shared desk serves people who come on different days, so sharing never
leaves an average day's attendees (s_j · days/5) without a desk: at five office days
every attendee has one whatever r is; r only trims the desks for peak days.

Energy (:data:`ENERGY_FORMULAS`, alike for today's offices and hubs) is a base load by
floor area plus an occupancy-driven part that follows attendance, measured against
desk-days (one attendee per desk every working day, u_j = 1)::

    u_j    = s_j · D_office / (min(need_j, max_desks_j) · W)
    elec_j = area_j · I_elec_j · (1 − φ_elec + φ_elec · u_j / u_ref_j)
    heat_j = area_j · I_heat_j · (1 − φ_heat + φ_heat · u_j / u_ref_j)

with D_office office days a year, W working days a year, need_j the desks the staff
need before rounding up (for today's offices need_j = max_desks_j = today's desks:
rounding a hub's desks up adds floor area, not attendance), u_ref_j the utilisation at
which the site's intensity I_j was measured (today's offices: the policy's
``intensity_reference_utilisation``, 1 by default = design/benchmark values at full use;
hubs: always 1, their intensities are the policy's design values) and φ the occupancy-driven shares
(factors ``occupancy_share_electricity`` and ``occupancy_share_heating`` of the
``common`` set: an assumption read from CIBSE TM54 / TM46, with its source).
Emissions = electricity × grid factor (Scope 2; T&D losses in Scope 3 cat. 3) +
heating kWh × the fuel's factor (gas: Scope 1; district heat: Scope 2; electric
heating: as electricity).

u_j / u_ref_j is not capped: the occupancy-driven part is energy per attendee-day, so a
site used more than when it was metered uses more (as u_j itself is not capped where
today's staff outnumber its desks), and energy rises linearly with office days whatever
u_ref_j is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from footprint.factors import FactorError
from footprint.inputs import Organisation, Policy

#: The hub sizing formulas in the method text's notation: s_j staff, days office days a week,
#: peak the peak factor, r desks per peak attendee, a m² per desk, A_hub the fixed area of an
#: open hub [m²]. Rendered verbatim in docs/methodology.md and the PDF's method section.
HUB_FORMULAS: tuple[str, ...] = (
    "peak_j  = min(s_j, s_j · days/5 · peak)",
    "need_j  = max(s_j · days/5, peak_j · r)",
    "desks_j = min(⌈need_j⌉, max_desks_j)",
    "area_j  = desks_j · a + A_hub",
)
#: Policy field behind each symbol of :data:`HUB_FORMULAS`.
HUB_SYMBOLS: dict[str, str] = {
    "days": "office_days_per_week",
    "peak": "peak_factor",
    "r": "desk_sharing_ratio",
    "a": "m2_per_desk",
    "A_hub": "hub_fixed_area_m2",
}
#: The energy of an open site (today's office or hub) in the method text's notation:
#: u_j desk utilisation (attendee-days / desk-days), I the site's intensities [kWh/m²/yr],
#: φ the occupancy-driven shares. Rendered verbatim in docs/methodology.md and the PDF.
ENERGY_FORMULAS: tuple[str, ...] = (
    "u_j    = s_j · D_office / (min(need_j, max_desks_j) · W)",
    "elec_j = area_j · I_elec_j · (1 − φ_elec + φ_elec · u_j / u_ref_j)",
    "heat_j = area_j · I_heat_j · (1 − φ_heat + φ_heat · u_j / u_ref_j)",
)
#: Policy quantity behind each symbol of :data:`ENERGY_FORMULAS` (D_office is a property;
#: u_ref_j is the policy's for today's offices and 1 for hubs: :func:`reference_utilisation`).
ENERGY_SYMBOLS: dict[str, str] = {
    "D_office": "office_days_per_year",
    "W": "working_days_per_year",
    "u_ref_j": "intensity_reference_utilisation",
}
#: Factor key behind each share of :data:`ENERGY_FORMULAS`.
SHARE_KEYS: dict[str, str] = {
    "φ_elec": "occupancy_share_electricity",
    "φ_heat": "occupancy_share_heating",
}


@dataclass(frozen=True)
class OccupancyShares:
    """Shares of a site's electricity and heating that follow attendance (0 to 1). [share]"""

    electricity: float
    heating: float

    def __post_init__(self) -> None:
        for key, value in zip(
            SHARE_KEYS.values(), (self.electricity, self.heating), strict=True
        ):
            if not 0.0 <= value <= 1.0:
                raise FactorError(
                    f"factor {key} must be a share between 0 and 1, got {value!r}"
                )


def occupancy_shares(value: Callable[[str], float]) -> OccupancyShares:
    """The occupancy-driven shares, read with ``value`` (``FactorSet.value`` or a trail's)."""
    return OccupancyShares(value(SHARE_KEYS["φ_elec"]), value(SHARE_KEYS["φ_heat"]))


@dataclass(frozen=True, eq=False)
class BuildingUse:
    """Desks, area, utilisation and energy of every site under a plan (zeros where closed).

    ``utilised_desks`` are the desks utilisation is measured against: today's desks, or a
    hub's before rounding up (at most its ``max_desks``). [desks]
    """

    staff: np.ndarray
    desks: np.ndarray
    desks_needed: np.ndarray
    floor_area_m2: np.ndarray
    electricity_kwh: np.ndarray
    heating_kwh: np.ndarray
    utilisation: np.ndarray
    utilised_desks: np.ndarray


def desks_per_person(policy: Policy) -> float:
    """Desks a hub needs per assigned person, before rounding up per hub. [desks/person]

    ``max(days/5, min(1, days/5 · peak) · r)``: the desk-sharing ratio applies to peak
    attendance, and never below an average day's attendance (see the module docstring).
    """
    average = policy.office_days_per_week / 5.0
    return max(
        average, min(1.0, average * policy.peak_factor) * policy.desk_sharing_ratio
    )


def hub_desks_needed(staff: np.ndarray, policy: Policy) -> np.ndarray:
    """Desks a hub needs for its assigned staff. [desks]"""
    average = staff * policy.office_days_per_week / 5.0
    peak = np.minimum(staff, average * policy.peak_factor)
    # round before ceil so that float noise (e.g. 150 × 0.8 = 120.00000000000001) adds no desk
    return np.ceil(np.round(np.maximum(average, peak * policy.desk_sharing_ratio), 9))


def desk_utilisation(
    staff: np.ndarray, desks: np.ndarray, policy: Policy, no_desks: float = 1.0
) -> np.ndarray:
    """Attendee-days per desk-day of each site: ``s · D_office / (desks · W)``. [share]

    Where a site has attendees but no desks on record, ``no_desks``: pass the site's
    reference utilisation so that its intensity stands as given.
    """
    attendee_days = np.asarray(staff, dtype=float) * policy.office_days_per_year
    desk_days = np.asarray(desks, dtype=float) * policy.working_days_per_year
    return np.divide(
        attendee_days,
        desk_days,
        out=(attendee_days > 0) * float(no_desks),
        where=desk_days > 0,
    )


def occupancy_factor(
    share: float, utilisation: np.ndarray, reference: float = 1.0
) -> np.ndarray:
    """Energy relative to the site's intensity: ``1 − φ + φ · u / u_ref``. [share]

    ``reference`` is the utilisation u_ref at which the intensity was measured (1: at
    one attendee per desk-day). Not capped, so it rises linearly with utilisation.
    """
    return 1.0 - share + share * (utilisation / reference)


def reference_utilisation(policy: Policy, current_estate: bool) -> float:
    """u_ref of :data:`ENERGY_FORMULAS`: the policy's for today's offices, 1 for hubs. [share]

    Today's intensities may be metered under today's attendance
    (``policy.intensity_reference_utilisation``); a hub's are the policy's design values at
    full use.
    """
    return policy.intensity_reference_utilisation if current_estate else 1.0


def building_use(
    org: Organisation,
    policy: Policy,
    open_sites: np.ndarray,
    site_staff: np.ndarray,
    current_estate: bool,
    shares: OccupancyShares | None = None,
) -> BuildingUse:
    """Desks, area and annual energy of each site.

    Parameters
    ----------
    open_sites : ndarray of bool, shape (m,)
    site_staff : ndarray, shape (m,)
        People assigned to each site. [people]
    current_estate : bool
        Use today's floor areas, desks and intensities instead of sizing hubs.
    shares : OccupancyShares, optional
        Occupancy-driven shares of electricity and heating; None counts all energy by
        floor area (for callers that want only the area).
    """
    s = org.sites
    if current_estate:
        area = np.where(open_sites, s.floor_area_m2, 0.0)
        desks = np.where(open_sites, s.desks, 0).astype(float)
        needed = desks.copy()
        elec_m2, heat_m2 = s.electricity_kwh_per_m2, s.heating_kwh_per_m2
        utilised = desks
    else:
        needed = np.where(open_sites, hub_desks_needed(site_staff, policy), 0.0)
        desks = np.minimum(needed, s.max_desks)
        # utilisation against the desks before rounding up: rounding adds area, not attendance
        utilised = np.minimum(site_staff * desks_per_person(policy), s.max_desks)
        area = desks * policy.m2_per_desk + np.where(
            open_sites, policy.hub_fixed_area_m2, 0.0
        )
        elec_m2, heat_m2 = (
            policy.hub_electricity_kwh_per_m2,
            policy.hub_heating_kwh_per_m2,
        )
    u_ref = reference_utilisation(policy, current_estate)
    u = np.where(open_sites, desk_utilisation(site_staff, utilised, policy, u_ref), 0.0)
    elec = area * elec_m2
    heat = area * heat_m2
    if shares is not None:
        elec = elec * occupancy_factor(shares.electricity, u, u_ref)
        heat = heat * occupancy_factor(shares.heating, u, u_ref)
    return BuildingUse(
        site_staff,
        desks,
        needed,
        area,
        elec,
        heat,
        u,
        np.where(open_sites, utilised, 0.0),
    )
