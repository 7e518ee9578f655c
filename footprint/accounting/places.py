"""Where a site is, for factors that depend on it: Greater London or not.

DESNZ publishes separate factors for London buses and hotels in London. A site
is "in London" when it lies inside :data:`GREATER_LONDON`, a 20-vertex outline
of the Greater London boundary (an approximation, good to about 2 km: sites
right on the boundary may fall on either side; the notes name the London sites).
"""

from __future__ import annotations

import numpy as np

#: Approximate Greater London boundary, clockwise from Enfield. [(lat, lon) degrees]
GREATER_LONDON: tuple[tuple[float, float], ...] = (
    (51.692, -0.105),
    (51.665, 0.010),
    (51.630, 0.180),
    (51.620, 0.260),
    (51.560, 0.334),
    (51.500, 0.240),
    (51.475, 0.215),
    (51.430, 0.170),
    (51.390, 0.130),
    (51.290, 0.040),
    (51.300, -0.120),
    (51.342, -0.230),
    (51.346, -0.310),
    (51.410, -0.390),
    (51.440, -0.460),
    (51.470, -0.510),
    (51.540, -0.510),
    (51.630, -0.500),
    (51.630, -0.300),
    (51.670, -0.180),
)


def in_greater_london(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """True where a point lies inside :data:`GREATER_LONDON` (ray casting).

    Parameters
    ----------
    lat, lon : array_like
        Latitude and longitude. [degrees]

    Returns
    -------
    ndarray of bool
    """
    y = np.asarray(lat, dtype=float)[..., None]
    x = np.asarray(lon, dtype=float)[..., None]
    poly = np.asarray(GREATER_LONDON)
    y1, x1 = poly[:, 0], poly[:, 1]
    y2, x2 = np.roll(y1, -1), np.roll(x1, -1)
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return (np.count_nonzero(crosses & (x < x_at), axis=-1) % 2) == 1


def london_sites(
    lat: np.ndarray, lon: np.ndarray, country: tuple[str, ...]
) -> np.ndarray:
    """Sites in Greater London: country GB and inside the outline. [bool per site]"""
    gb = np.array([c == "GB" for c in country], dtype=bool)
    return gb & in_greater_london(lat, lon)
