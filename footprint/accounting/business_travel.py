"""Business travel between sites (Scope 3 cat. 6) and the video meetings that replace it.

Cross-site meetings are person-trips between today's offices (``T``, see
:class:`~footprint.inputs.Collaboration`). Under a plan, office *a*'s trips leave
from the hubs its staff now work at: with ``S[a, h]`` the share of office *a*'s
staff at hub *h*, the hub-to-hub trips are ``H = Sᵀ T S``. Trips within one hub
need no travel. Of the rest, a share ``v`` (the video share) is held by video,
and ``1 − v`` travel: a return journey of ``2 · d_hk · circuity`` by car, rail or
air chosen by distance band and by whether land joins the two sites (see
:func:`travel_codes`; cross-border rail is international rail), plus a hotel night
beyond ``hotel_min_km`` at the destination's DESNZ hotel factor (London apart).
Travellers from one office to one meeting share a car.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.accounting.plan import REMOTE, Plan
from footprint.inputs import Organisation

#: The deprecated 3,700 km short-haul limit: used only by sets that are not DESNZ's (no UK haul table).
SHORT_HAUL_MAX_KM = 3700.0

#: Territories DESNZ counts as the UK for flights (Haul definition sheet: "Domestic").
UK_AIR = frozenset({"GB", "GG", "JE", "IM"})
#: DESNZ 2025 'Haul definition' sheet, short-haul (UK to/from Europe, CAA definition, 47
#: territories incl. Turkey, Greenland and North Africa's coast), as ISO 3166-1 alpha-2 codes.
#: Second-hand: the 2025 full set via the themisiq extraction (rows 174-220).
SHORT_HAUL = frozenset({
    "AL", "DZ", "AT", "BY", "BE", "BA", "BG", "HR", "CY", "CZ", "DK", "EG", "EE", "FO", "FI", "FR", "DE", "GI",
    "GR", "GL", "HU", "IS", "IE", "IT", "XK", "LV", "LY", "LT", "LU", "MK", "MT", "ME", "MA", "NL", "NO", "PL",
    "PT", "RO", "RS", "SK", "SI", "ES", "SE", "CH", "TN", "TR", "EH",
})
#: Land masses for surface travel: countries on different masses need a sea crossing
#: (business trips between them fly). Great Britain joins the continent through the
#: Channel Tunnel (Eurostar, Le Shuttle); Northern Ireland is on the island of Ireland.
#: Any country not listed is its own land mass (surface travel only within it).
_LANDMASS: dict[str, str] = {
    **dict.fromkeys((
        "GB", "FR", "BE", "NL", "LU", "DE", "CH", "LI", "AT", "IT", "SM", "VA", "MC", "AD", "ES", "PT", "DK",
        "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "SI", "HR", "BA", "RS", "ME", "MK", "AL", "XK", "GR", "BG",
        "RO", "MD", "UA", "BY", "LT", "LV", "EE", "RU", "TR", "GI",
    ), "europe"),
    "IE": "ireland",
    **dict.fromkeys(("US", "CA", "MX"), "north_america"),
}
#: Northern Ireland (part of GB in ISO 3166-1): a box around it. [degrees]
_NI_BOX = (54.0, 55.35, -8.2, -5.4)

#: Travel codes per site pair: factor key (without class or RF suffix), label, circuity network.
TRAVEL_CODES = (
    ("car_unknown", "Car (unknown fuel)", "road"),
    ("rail_national", "National rail", "rail"),
    ("rail_international", "International rail", "rail"),
    ("air_domestic", "Air, domestic", "air"),
    ("air_short_haul", "Air, short-haul", "air"),
    ("air_long_haul", "Air, long-haul", "air"),
    ("air_international", "Air, international (non-UK to non-UK)", "air"),
)
CAR, RAIL_NATIONAL, RAIL_INTERNATIONAL, AIR_DOMESTIC, AIR_SHORT, AIR_LONG, AIR_INTERNATIONAL = range(7)
#: Cabin classes a policy may choose (DESNZ: use "average" when unknown).
CABIN_CLASSES = ("average", "economy", "premium_economy", "business", "first")


def landmass(country: tuple[str, ...], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Land mass of each site (see :data:`_LANDMASS`). [str per site]"""
    out = np.array([_LANDMASS.get(c, c) for c in country], dtype=object)
    lo_lat, hi_lat, lo_lon, hi_lon = _NI_BOX
    ni = (np.asarray(country) == "GB") & (lat >= lo_lat) & (lat <= hi_lat) & (lon >= lo_lon) & (lon <= hi_lon)
    out[ni] = "ireland"
    return out


def air_haul(country: tuple[str, ...], distance_km: np.ndarray, desnz: bool) -> np.ndarray:
    """Air travel code of each site pair.

    With ``desnz`` (a UK set) DESNZ's definitions: domestic within the UK,
    short-haul between the UK and Europe (:data:`SHORT_HAUL`), long-haul between the
    UK and anywhere else, international between two non-UK airports. Otherwise
    (sets without a haul table, e.g. the EPA's) domestic within one country,
    short-haul below :data:`SHORT_HAUL_MAX_KM`, long-haul beyond.
    """
    c = np.asarray(country, dtype=str)
    if not desnz:
        code = np.unique(c, return_inverse=True)[1]
        same = code[:, None] == code[None, :]
        return np.where(same, AIR_DOMESTIC, np.where(distance_km < SHORT_HAUL_MAX_KM, AIR_SHORT, AIR_LONG))
    uk = np.array([x in UK_AIR for x in c])
    europe = np.array([x in SHORT_HAUL for x in c])
    both, one = uk[:, None] & uk[None, :], uk[:, None] ^ uk[None, :]
    other_europe = np.where(uk[:, None], europe[None, :], europe[:, None])
    return np.where(both, AIR_DOMESTIC, np.where(one, np.where(other_europe, AIR_SHORT, AIR_LONG), AIR_INTERNATIONAL))


def travel_codes(org: Organisation, car_max_km: float, rail_max_km: float, desnz: bool) -> np.ndarray:
    """Index into :data:`TRAVEL_CODES` for each site pair.

    Surface travel needs land (or the Channel Tunnel) between the two sites: by car
    below ``car_max_km``, by rail below ``rail_max_km`` (international rail across a
    border). Beyond, or across the sea (London–Dublin, Great Britain–Belfast), the
    trip flies, with the haul of :func:`air_haul`.
    """
    s = org.sites
    d = org.site_distance_km
    land = np.unique(landmass(s.country, np.asarray(s.lat), np.asarray(s.lon)).astype(str), return_inverse=True)[1]
    connected = land[:, None] == land[None, :]
    c = np.unique(np.asarray(s.country, dtype=str), return_inverse=True)[1]
    rail = np.where(c[:, None] == c[None, :], RAIL_NATIONAL, RAIL_INTERNATIONAL)
    ground = np.where(d < car_max_km, CAR, rail)
    return np.where(connected & (d < rail_max_km), ground, air_haul(s.country, d, desnz))


@dataclass(frozen=True, eq=False)
class HubTrips:
    """Person-trips between open sites under a plan.

    ``trips[h, k]``: cross-site person-trips a year from hub h to hub k (before the
    video share; diagonal = meetings that became local). ``participant_hours``
    likewise, for video calls. ``vehicle_trips``: the same trips counted once per
    group travelling together from one office to one meeting (one car each).
    """

    trips: np.ndarray
    participant_hours: np.ndarray
    vehicle_trips: np.ndarray | None = None


def staff_share_matrix(org: Organisation, plan: Plan) -> np.ndarray:
    """``S[a, h]``: share of office *a*'s staff who work from site *h*, shape (m, m).

    Remote workers travel to meetings from their nearest open site. An office with
    no staff in the staff table keeps its own row on itself (or its nearest open site).
    """
    m = len(org.sites)
    open_idx = np.flatnonzero(plan.open_sites)
    nearest_open_to_site = open_idx[np.argmin(org.site_distance_km[:, open_idx], axis=1)]
    base = plan.assignment.copy()
    remote = base == REMOTE
    if remote.any():
        d_home = org.home_distance_km[np.ix_(org.home_index[remote], open_idx)]
        base[remote] = open_idx[np.argmin(d_home, axis=1)]
    share = np.zeros((m, m))
    np.add.at(share, (org.group_site, base), org.staff.count)
    row = share.sum(axis=1)
    empty = row == 0
    share[empty, nearest_open_to_site[empty]] = 1.0
    row[empty] = 1.0
    return share / row[:, None]


def hub_trips(org: Organisation, plan: Plan) -> HubTrips:
    """Remap today's cross-site meetings onto the plan's hubs."""
    collab = org.collaboration
    assert collab is not None
    s = staff_share_matrix(org, plan)
    trips = s.T @ collab.person_trips @ s
    hours = s.T @ (collab.person_trips * collab.meeting_hours) @ s * collab.participants_per_call
    k = collab.travellers_per_meeting
    vehicles = trips if np.all(k == 1.0) else s.T @ (collab.person_trips / k) @ s
    return HubTrips(trips, hours, vehicles)


def same_country(org: Organisation) -> np.ndarray:
    """``[a, b]``: sites a and b are in the same country, shape (m, m)."""
    c = np.asarray(org.sites.country)
    return c[:, None] == c[None, :]
