"""Commuting modes: which factor, which circuity, what speed.

Speeds are door-to-door averages and access times are fixed minutes per one-way
trip; both are documented assumptions (see ``docs/methodology.md``), chosen to give
plausible UK commute times, not measured values. Walking, cycling, bus, tram and
Underground have a range (straight-line km) beyond which people switch mode: walk
3 km → bus, cycle 12 km → car, bus 50 km → car, tram and Underground 25 km → rail
(the same thresholds the demo uses when it synthesises homes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """A commuting mode.

    Parameters
    ----------
    id : str
        Identifier used in data files (``"car_petrol"``, ``"rail"``, …).
    label : str
        Human-readable name.
    factor_key : str
        Key of its emission factor in a :class:`~footprint.factors.FactorSet`.
    per_vehicle : bool
        True when the factor is per vehicle-km (cars): divided by car occupancy.
    network : str
        ``"road"``, ``"rail"`` or ``"bus"``: selects the policy's circuity.
    speed_kmh : float
        Average speed along the network. [km/h]
    access_min : float
        Fixed time per one-way trip (parking, walking to the station, waiting). [min]
    max_km : float or None
        Longest straight-line (geodesic) one-way distance people cover by this mode;
        beyond it they switch to ``fallback`` (walkers moved to a hub 20 km away do not
        keep walking). [km]
    fallback : str or None
        The mode taken beyond ``max_km``.
    """

    id: str
    label: str
    factor_key: str
    per_vehicle: bool
    network: str
    speed_kmh: float
    access_min: float
    max_km: float | None = None
    fallback: str | None = None


MODES: tuple[Mode, ...] = (
    Mode("car_petrol", "Car (petrol)", "car_petrol", True, "road", 40.0, 5.0),
    Mode("car_diesel", "Car (diesel)", "car_diesel", True, "road", 40.0, 5.0),
    Mode("car_hybrid", "Car (hybrid)", "car_hybrid", True, "road", 40.0, 5.0),
    Mode("car_phev", "Car (plug-in hybrid)", "car_phev", True, "road", 40.0, 5.0),
    Mode("car_bev", "Car (battery electric)", "car_bev", True, "road", 40.0, 5.0),
    Mode("car", "Car (unknown fuel)", "car_unknown", True, "road", 40.0, 5.0),
    Mode("motorbike", "Motorbike", "motorbike", False, "road", 40.0, 3.0),
    Mode("taxi", "Taxi", "taxi", False, "road", 30.0, 5.0),
    Mode("rail", "National rail", "rail_national", False, "rail", 55.0, 15.0),
    Mode("underground", "Underground / metro", "underground", False, "rail", 30.0, 10.0, 25.0, "rail"),
    Mode("tram", "Tram / light rail", "light_rail", False, "rail", 20.0, 8.0, 25.0, "rail"),
    Mode("bus", "Bus", "bus_local", False, "bus", 18.0, 8.0, 50.0, "car"),
    Mode("coach", "Coach", "coach", False, "road", 50.0, 15.0),
    Mode("walk", "Walk", "walk", False, "road", 5.0, 0.0, 3.0, "bus"),
    Mode("cycle", "Cycle", "cycle", False, "road", 15.0, 2.0, 12.0, "car"),
)

MODE_IDS: tuple[str, ...] = tuple(m.id for m in MODES)
_BY_ID = {m.id: m for m in MODES}


def mode_by_id(mode_id: str) -> Mode:
    """The :class:`Mode` with this id; ``KeyError`` lists the known ids."""
    try:
        return _BY_ID[mode_id]
    except KeyError:
        raise KeyError(f"unknown commute mode '{mode_id}'; known modes: {', '.join(MODE_IDS)}") from None
