"""Regenerate the example files (deterministic): ``python examples/own-data/make_example.py``.

The offices are real towns; the staff are synthetic: homes are the postcode
district or town nearest a random point within about 25 km of their office.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from footprint.imports.gazetteer import gazetteer

HERE = Path(__file__).resolve().parent
OFFICES = [  # id, name, lat, lon, location, headcount, floor area [m²], must keep
    ("LDN", "London Moorgate", "51.5183", "-0.0890", "", 140, 1900, "yes"),
    ("BHM", "Birmingham", "", "", "Birmingham", 70, 950, "no"),
    ("MAN", "Manchester", "53.4794", "-2.2453", "", 60, 800, "no"),
    ("LDS", "Leeds", "", "", "LS1 4DY", 45, 600, "no"),
    ("BRS", "Bristol", "51.4545", "-2.5879", "", 40, 520, "no"),
    ("GLA", "Glasgow", "", "", "Glasgow", 35, 480, "no"),
    ("EDI", "Edinburgh", "55.9533", "-3.1883", "", 30, 400, "no"),
    ("CDF", "Cardiff", "", "", "Cardiff", 25, 330, "no"),
    ("NCL", "Newcastle", "", "", "Newcastle upon Tyne", 20, 280, "no"),
    ("NOT", "Nottingham", "52.9548", "-1.1581", "", 15, 200, "no"),
    ("RDG", "Reading", "", "", "RG1", 12, 170, "no"),
    ("YRK", "York", "", "", "York, England", 8, 120, "no"),
]
MODES = ["car_petrol", "car_diesel", "car_bev", "rail", "bus", "walk", "cycle", "underground"]
P = [0.35, 0.15, 0.05, 0.15, 0.12, 0.07, 0.06, 0.05]


def main() -> None:
    rng = np.random.default_rng(7)
    gaz = gazetteer()
    with (HERE / "offices.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Office ID", "Office name", "Latitude", "Longitude", "Town or postcode", "Headcount",
                    "Floor area (sq ft)", "Must keep"])
        for sid, name, lat, lon, loc, hc, area, keep in OFFICES:
            w.writerow([sid, name, lat, lon, loc, hc, round(area / 0.09290304), keep])
    districts = list(gaz.districts.items())
    d_code = np.array([d for d, _ in districts])
    d_lat = np.array([p[0] for _, p in districts])
    d_lon = np.array([p[1] for _, p in districts])
    from footprint.imports.geocode import OfflineGeocoder

    geo = OfflineGeocoder()
    rows = []
    k = 0
    for sid, _, lat, lon, loc, hc, _, _ in OFFICES:
        m = geo.lookup(loc) if loc else None
        olat, olon = (m.lat, m.lon) if m else (float(lat), float(lon))
        for _ in range(hc):
            k += 1
            dist = min(60.0, 10.0 * np.exp(0.7 * rng.standard_normal()))
            b = rng.uniform(0, 2 * np.pi)
            hlat = olat + dist * np.cos(b) / 111.2
            hlon = olon + dist * np.sin(b) / (111.2 * np.cos(np.radians(olat)))
            mode = rng.choice(MODES, p=P)
            if k % 5 == 0:  # some rows give coordinates (rounded to 2 decimals, ~1 km)
                rows.append([f"E{k:04d}", "", f"{hlat:.2f}", f"{hlon:.2f}", sid, mode])
            else:
                i = int(np.argmin((d_lat - hlat) ** 2 + ((d_lon - hlon) * np.cos(np.radians(hlat))) ** 2))
                rows.append([f"E{k:04d}", d_code[i], "", "", sid, mode])
    with (HERE / "staff.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Employee ID", "Home postcode", "Home lat", "Home lon", "Base office", "Commute mode"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
