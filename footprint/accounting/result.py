"""Result types of the accounting: emission lines, per-site and per-group tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.factors import Factor

SCOPE_1, SCOPE_2, SCOPE_3 = "Scope 1", "Scope 2", "Scope 3"

CAT_HEATING = "Scope 1: heating fuel"
CAT_ELECTRICITY = "Scope 2: electricity and heat"
CAT_ENERGY_UPSTREAM = "Scope 3 cat. 3: T&D losses and well-to-tank"
CAT_BUSINESS_TRAVEL = "Scope 3 cat. 6: business travel"
CAT_COMMUTING = "Scope 3 cat. 7: commuting"
CAT_HOMEWORKING = "Scope 3 cat. 7: homeworking"
CAT_LEASED = "Scope 3 cat. 8: upstream leased assets"
#: Not a GHG Protocol category: a memo line beside the total (see :attr:`Footprint.memo_lines`).
CAT_VIDEO = "Memo: video calls (outside the total)"
MEMO = "Memo"
#: The Scope 2 electricity figure on the basis the total does not use (dual reporting).
CAT_SCOPE2_MEMO = "Memo: Scope 2 electricity, other basis (outside the total)"

#: Reporting order of the categories (all inside the total).
CATEGORIES = (
    CAT_HEATING,
    CAT_ELECTRICITY,
    CAT_ENERGY_UPSTREAM,
    CAT_BUSINESS_TRAVEL,
    CAT_COMMUTING,
    CAT_HOMEWORKING,
    CAT_LEASED,
)

#: Why video calls are a memo line and not a category of the total.
VIDEO_MEMO_REASON = (
    "Video calls are a memo line, outside the total: the GHG Protocol has no video category. A call's "
    "emissions are the participants' devices (already counted: office electricity in Scope 2, home "
    "equipment in the homeworking factor) and the network and data centres (Scope 3 cat. 1, purchased "
    "services, outside this footprint's boundary), so adding them would count the devices twice."
)


@dataclass(frozen=True)
class EmissionLine:
    """One line of the footprint: an activity times a factor.

    Attributes
    ----------
    scope : str
        ``"Scope 1"``, ``"Scope 2"`` or ``"Scope 3"``.
    category : str
        One of :data:`CATEGORIES`.
    item : str
        What is counted (e.g. ``"Car (petrol)"``).
    kgco2e : float
        Annual emissions. [kg CO2e/yr]
    activity : float
        The activity amount (km, kWh, nights, participant-hours…).
    activity_unit : str
        Unit of ``activity``.
    factor_keys : tuple of str
        Keys of the factors applied (see the result's factor trail).
    """

    scope: str
    category: str
    item: str
    kgco2e: float
    activity: float
    activity_unit: str
    factor_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommuteStats:
    """Commute statistics of staff who commute (remote workers excluded).

    Distances are one-way travel distances (geodesic × circuity) [km], times
    one-way door-to-door [min], weighted by people.
    """

    mean_km: float
    median_km: float
    p90_km: float
    mean_min: float
    median_min: float
    p90_min: float
    staff_commuting: float
    staff_remote: float
    staff_over_limit: float
    limit_label: str
    staff_longer: float
    staff_shorter: float
    staff_unchanged: float
    mean_change_km: float


@dataclass(frozen=True, eq=False)
class SiteTable:
    """Per-site results (arrays over all sites, closed ones included).

    ``staff`` [people], ``desks`` [desks], ``floor_area_m2`` [m²],
    ``electricity_kwh``/``heating_kwh`` [kWh/yr], emission columns [kg CO2e/yr].
    """

    site_id: tuple[str, ...]
    name: tuple[str, ...]
    open: np.ndarray
    staff: np.ndarray
    desks: np.ndarray
    desks_needed: np.ndarray
    max_desks: np.ndarray
    floor_area_m2: np.ndarray
    electricity_kwh: np.ndarray
    heating_kwh: np.ndarray
    scope1_kg: np.ndarray
    scope2_kg: np.ndarray
    scope3_energy_kg: np.ndarray
    commute_kg: np.ndarray
    homeworking_kg: np.ndarray
    scope2_location_kg: np.ndarray | None = None
    scope2_market_kg: np.ndarray | None = None

    @property
    def over_capacity(self) -> np.ndarray:
        """Open sites that need more desks than they can hold."""
        return self.open & (self.desks_needed > self.max_desks)


def over_capacity_sentence(sites: SiteTable, most: int = 5) -> str:
    """The over-capacity hubs in words, by name, worst first ("" when none).

    Example: "8 hubs need 4,681 more desks than they hold: Leeds (+1,203), …".
    """
    over = np.flatnonzero(sites.over_capacity)
    if over.size == 0:
        return ""
    excess = sites.desks_needed[over] - sites.max_desks[over]
    order = over[np.argsort(-excess)]
    names = ", ".join(f"{sites.name[j]} (+{sites.desks_needed[j] - sites.max_desks[j]:,.0f})" for j in order[:most])
    more = f" and {over.size - most} more" if over.size > most else ""
    return (f"{over.size} hub{'s' if over.size != 1 else ''} need {excess.sum():,.0f} more desks than "
            f"{'they hold' if over.size != 1 else 'it holds'}: {names}{more}")


@dataclass(frozen=True, eq=False)
class GroupTable:
    """Per-staff-group results (arrays over groups).

    ``site`` is the assigned site index (−1 = remote worker), ``distance_km``
    and ``minutes`` the one-way commute (0 for remote workers),
    ``current_distance_km`` the one-way commute today.
    """

    count: np.ndarray
    site: np.ndarray
    distance_km: np.ndarray
    minutes: np.ndarray
    current_distance_km: np.ndarray
    commute_kg: np.ndarray
    homeworking_kg: np.ndarray


@dataclass(frozen=True, eq=False)
class Footprint:
    """The annual footprint of one plan under one policy.

    Attributes
    ----------
    lines : tuple of EmissionLine
    sites : SiteTable
    groups : GroupTable
    commute : CommuteStats
    factors_used : tuple of Factor
        The factor trail: every factor applied, with value, unit, year and source.
    factor_set_id, factor_set_name : str
    factor_set_year : int
    video_avoided_kgco2e : float
        Travel emissions avoided by holding meetings by video (memo). [kg CO2e/yr]
    in_person_trips, video_meetings : float
        Cross-site person-trips a year, and those held by video instead. [1/yr]
    notes : tuple of str
        Caveats found while accounting (missing factors, over-capacity hubs…).
    factor_names : tuple of str
        The name each line's ``factor_keys`` use for each entry of ``factors_used``
        (parallel to it; e.g. ``"grid_FR"`` for a country's grid factor).
    memo_lines : tuple of EmissionLine
        Lines reported beside the total, not in it (video calls; see
        :data:`VIDEO_MEMO_REASON`).
    scope2_basis : str
        ``"location"`` or ``"market"``: the Scope 2 figure the total uses
        (policy ``scope2_total``); the other is a memo line.
    scope2_location_kgco2e, scope2_market_kgco2e : float
        Scope 2 (electricity and district heat) on each basis, reported side
        by side (GHG Protocol Scope 2 Guidance). [kg CO2e/yr]
    fallbacks : tuple of str
        Names (as in ``factor_names``) of the factors that are stand-in values
        (:attr:`Factor.fallback`); the notes say where each was used.
    """

    def factor_by_name(self) -> dict[str, Factor]:
        """The factor trail keyed by the names used in ``EmissionLine.factor_keys``."""
        return dict(zip(self.factor_names, self.factors_used, strict=True))

    lines: tuple[EmissionLine, ...]
    sites: SiteTable
    groups: GroupTable
    commute: CommuteStats
    factors_used: tuple[Factor, ...]
    factor_set_id: str
    factor_set_name: str
    factor_set_year: int
    video_avoided_kgco2e: float
    in_person_trips: float
    video_meetings: float
    notes: tuple[str, ...] = ()
    factor_names: tuple[str, ...] = ()
    fallbacks: tuple[str, ...] = ()
    memo_lines: tuple[EmissionLine, ...] = ()
    scope2_basis: str = "location"
    scope2_location_kgco2e: float = 0.0
    scope2_market_kgco2e: float = 0.0

    @property
    def total_kgco2e(self) -> float:
        """Total footprint. [kg CO2e/yr]"""
        return float(sum(line.kgco2e for line in self.lines))

    @property
    def total_tco2e(self) -> float:
        """Total footprint. [t CO2e/yr]"""
        return self.total_kgco2e / 1000.0

    def by_scope(self) -> dict[str, float]:
        """Emissions by scope. [kg CO2e/yr]"""
        out = {SCOPE_1: 0.0, SCOPE_2: 0.0, SCOPE_3: 0.0}
        for line in self.lines:
            out[line.scope] += line.kgco2e
        return out

    def by_category(self) -> dict[str, float]:
        """Emissions by category, in reporting order (zero categories kept). [kg CO2e/yr]"""
        out = dict.fromkeys(CATEGORIES, 0.0)
        for line in self.lines:
            out[line.category] += line.kgco2e
        return out

    @property
    def open_site_ids(self) -> tuple[str, ...]:
        return tuple(s for s, o in zip(self.sites.site_id, self.sites.open, strict=True) if o)

    @property
    def floor_area_m2(self) -> float:
        """Total floor area of open sites. [m²]"""
        return float(self.sites.floor_area_m2[self.sites.open].sum())
