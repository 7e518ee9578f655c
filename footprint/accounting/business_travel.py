"""Business travel between sites (Scope 3 cat. 6) and the video meetings that replace it.

Cross-site meetings are person-trips between today's offices (``T``, see
:class:`~footprint.inputs.Collaboration`). Under a plan, office *a*'s trips leave
from the hubs its staff now work at: with ``S[a, h]`` the share of office *a*'s
staff at hub *h*, the hub-to-hub trips are ``H = Sᵀ T S``. Trips within one hub
need no travel. Of the rest, a share ``v`` (the video share) is held by video,
and ``1 − v`` travel: a return journey of ``2 · d_hk · circuity`` by car, rail or
air chosen by distance band, plus a hotel night beyond ``hotel_min_km``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.accounting.plan import REMOTE, Plan
from footprint.inputs import Organisation

#: The deprecated but common 3,700 km short-haul limit, used for flights between countries.
SHORT_HAUL_MAX_KM = 3700.0


@dataclass(frozen=True, eq=False)
class HubTrips:
    """Person-trips between open sites under a plan.

    ``trips[h, k]``: cross-site person-trips a year from hub h to hub k (before the
    video share; diagonal = meetings that became local). ``participant_hours``
    likewise, for video calls.
    """

    trips: np.ndarray
    participant_hours: np.ndarray


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
    return HubTrips(trips, hours)


#: Travel codes per site pair: factor key (without the RF suffix), label, circuity network.
TRAVEL_CODES = (
    ("car_unknown", "Car (unknown fuel)", "road"),
    ("rail_national", "National rail", "rail"),
    ("air_domestic", "Air, domestic", "air"),
    ("air_short_haul", "Air, short-haul", "air"),
    ("air_long_haul", "Air, long-haul", "air"),
)


def travel_codes(
    distance_km: np.ndarray, same_country: np.ndarray, car_max_km: float, rail_max_km: float
) -> np.ndarray:
    """Index into :data:`TRAVEL_CODES` for each site pair.

    Car below ``car_max_km``, rail below ``rail_max_km``, air beyond: domestic
    within one country, otherwise short-haul below 3,700 km and long-haul above.
    """
    air = np.where(same_country, 2, np.where(distance_km < SHORT_HAUL_MAX_KM, 3, 4))
    return np.where(distance_km < car_max_km, 0, np.where(distance_km < rail_max_km, 1, air))


def same_country(org: Organisation) -> np.ndarray:
    """``[a, b]``: sites a and b are in the same country, shape (m, m)."""
    c = np.asarray(org.sites.country)
    return c[:, None] == c[None, :]
