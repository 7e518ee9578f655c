"""The built-in demo organisation: a UK company of 60,000 staff in 320 offices.

Office locations are real (GeoNames towns, see ``data/uk_towns.csv``); everything
else is synthetic and deterministic (fixed seed). ``DATA_CARD.md`` beside this
file says what is real, what is made up, and where each assumption comes from.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np

from footprint.geo.distance import distance_km
from footprint.inputs import Organisation, Sites, StaffGroups

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_CARD = Path(__file__).resolve().parent / "DATA_CARD.md"

SEED = 20260611
N_STAFF = 60_000
HEADCOUNT_EXPONENT = 1.25  # Zipf exponent: the 50 largest offices hold about 80 % of staff
MIN_HEADCOUNT = 12
LONDON = (51.50853, -0.12574)
LONDON_RADIUS_KM = 30.0
BIG_CITY_POPULATION = 250_000
GRID_DEG_LAT, GRID_DEG_LON = 0.05, 0.08  # home aggregation cell, about 5.5 km × 5.5 km

#: One-way commute distance: lognormal (median [km], sigma), and a cap [km].
COMMUTE_LOGNORMAL = {"london": (14.0, 0.85), "city": (9.0, 0.85), "town": (8.0, 0.9)}
COMMUTE_CAP_KM = 120.0

#: Commute mode split by region (shares sum to 1). "car" is split by fuel below.
MODE_SPLIT = {
    "london": {"rail": 0.32, "underground": 0.24, "bus": 0.09, "car": 0.22, "walk": 0.05, "cycle": 0.06, "motorbike": 0.02},
    "city": {"car": 0.58, "rail": 0.10, "tram": 0.03, "bus": 0.14, "walk": 0.07, "cycle": 0.05, "motorbike": 0.03},
    "town": {"car": 0.72, "rail": 0.05, "bus": 0.09, "walk": 0.08, "cycle": 0.04, "motorbike": 0.02},
}
CAR_FUEL_SPLIT = {"car_petrol": 0.55, "car_diesel": 0.25, "car_hybrid": 0.09, "car_phev": 0.04, "car_bev": 0.07}


def _read_towns() -> dict[str, np.ndarray]:
    with (DATA_DIR / "uk_towns.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        "name": np.array([r["name"] for r in rows]),
        "lat": np.array([float(r["lat"]) for r in rows]),
        "lon": np.array([float(r["lon"]) for r in rows]),
        "population": np.array([int(r["population"]) for r in rows]),
    }


def _headcounts(rng: np.random.Generator, population: np.ndarray) -> np.ndarray:
    """Heavy-tailed headcounts; larger towns tend to, but need not, host larger offices."""
    m = population.size
    weight = np.arange(1, m + 1, dtype=float) ** -HEADCOUNT_EXPONENT
    raw = MIN_HEADCOUNT + (N_STAFF - MIN_HEADCOUNT * m) * weight / weight.sum()
    sizes = np.floor(raw).astype(np.int64)
    sizes[0] += N_STAFF - sizes.sum()
    order = np.argsort(-(np.log(population) + rng.normal(0.0, 0.6, m)), kind="stable")
    out = np.empty(m, dtype=np.int64)
    out[order] = sizes
    return out


def _region(lat: np.ndarray, lon: np.ndarray, population: np.ndarray) -> np.ndarray:
    london = distance_km(lat, lon, *LONDON) <= LONDON_RADIUS_KM
    return np.where(london, "london", np.where(population >= BIG_CITY_POPULATION, "city", "town"))


def _sample_modes(rng: np.random.Generator, region: np.ndarray, dist_km: np.ndarray) -> np.ndarray:
    modes = np.empty(region.size, dtype=object)
    for reg, split in MODE_SPLIT.items():
        sel = region == reg
        modes[sel] = rng.choice(list(split), size=int(sel.sum()), p=list(split.values()))
    modes[(modes == "walk") & (dist_km > 3.0)] = "bus"
    modes[(modes == "cycle") & (dist_km > 12.0)] = "car"
    modes[(modes == "underground") & (dist_km > 25.0)] = "rail"
    cars = modes == "car"
    modes[cars] = rng.choice(list(CAR_FUEL_SPLIT), size=int(cars.sum()), p=list(CAR_FUEL_SPLIT.values()))
    return modes.astype(str)


@lru_cache(maxsize=1)
def demo_organisation() -> Organisation:
    """The demo organisation (built once per process; deterministic).

    Returns
    -------
    Organisation
        320 offices at real UK town coordinates, 60,000 staff aggregated to
        staff groups by home grid cell (about 5.5 km), office and commute mode.
    """
    rng = np.random.default_rng(SEED)
    towns = _read_towns()
    m = towns["name"].size
    headcount = _headcounts(rng, towns["population"])
    region = _region(towns["lat"], towns["lon"], towns["population"])

    desks = np.maximum(1, np.round(headcount * rng.uniform(0.85, 1.0, m))).astype(np.int64)
    floor_area = np.round(desks * rng.uniform(10.0, 15.0, m), -1)
    elec = np.round(rng.uniform(85.0, 140.0, m))
    heat = np.round(rng.uniform(100.0, 180.0, m))
    fuel = rng.choice(["gas", "electric", "district"], size=m, p=[0.87, 0.10, 0.03])
    site_id = np.array([f"UK{k + 1:03d}" for k in range(m)])
    must_keep = np.zeros(m, dtype=bool)
    must_keep[np.argmax(headcount)] = True  # head office
    sites = Sites.from_columns(
        {
            "site_id": site_id,
            "name": towns["name"],
            "lat": towns["lat"],
            "lon": towns["lon"],
            "headcount": headcount,
            "desks": desks,
            "floor_area_m2": floor_area,
            "electricity_kwh_per_m2": elec,
            "heating_kwh_per_m2": heat,
            "heating_fuel": fuel,
            "country": ["GB"] * m,
            "must_keep": must_keep,
            "max_desks": np.floor(floor_area / 8.0),
        },
        source="demo offices",
    )

    # staff homes around their office, then aggregated to grid cells (privacy)
    office = np.repeat(np.arange(m), headcount)
    reg = region[office]
    median = np.array([COMMUTE_LOGNORMAL[r][0] for r in reg])
    sigma = np.array([COMMUTE_LOGNORMAL[r][1] for r in reg])
    dist = np.minimum(median * np.exp(sigma * rng.standard_normal(office.size)), COMMUTE_CAP_KM)
    bearing = rng.uniform(0.0, 2 * np.pi, office.size)
    lat0, lon0 = towns["lat"][office], towns["lon"][office]
    home_lat = lat0 + dist * np.cos(bearing) / 111.2
    home_lon = lon0 + dist * np.sin(bearing) / (111.2 * np.cos(np.radians(lat0)))
    modes = _sample_modes(rng, reg, dist)
    exact_km = distance_km(home_lat, home_lon, lat0, lon0)  # each person's distance, before aggregating

    cell_lat = np.floor(home_lat / GRID_DEG_LAT).astype(np.int64)
    cell_lon = np.floor(home_lon / GRID_DEG_LON).astype(np.int64)
    mode_ids, mode_idx = np.unique(modes, return_inverse=True)
    keys = np.stack([cell_lat, cell_lon, office, mode_idx], axis=1)
    uniq, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    office_km = np.bincount(inverse.reshape(-1), weights=exact_km, minlength=counts.size) / counts
    staff = StaffGroups.from_columns(
        {
            "home_lat": np.round((uniq[:, 0] + 0.5) * GRID_DEG_LAT, 5),
            "home_lon": np.round((uniq[:, 1] + 0.5) * GRID_DEG_LON, 5),
            "count": counts.astype(float),
            "current_site_id": site_id[uniq[:, 2]],
            "commute_mode": mode_ids[uniq[:, 3]],
            "office_distance_km": np.round(office_km, 1),
        },
        source="demo staff",
    )
    return Organisation(
        name="Demo UK organisation (synthetic staff, real towns)",
        sites=sites,
        staff=staff,
        data_card=DATA_CARD.read_text(encoding="utf-8") if DATA_CARD.exists() else "",
        source="demo",
    )
