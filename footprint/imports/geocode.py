"""Geocoding: places, addresses and UK postcodes to latitude/longitude.

Two geocoders, both with geopy's interface (``.geocode(query)`` returning a
:class:`geopy.location.Location` or None):

- :class:`OfflineGeocoder` (the default): the shipped gazetteer of towns and UK
  postcode districts (see :mod:`footprint.imports.gazetteer`); no network.
  Ambiguous names (six UK towns are called Newport) are never guessed: they are
  reported with their candidates so the user can add a region, a postcode or
  coordinates.
- :class:`OnlineGeocoder`: OpenStreetMap Nominatim through geopy, only when the
  user asks for it. It respects Nominatim's usage policy (an identifying user
  agent, at most one request a second through geopy's ``RateLimiter``, results
  cached on disk so nothing is asked twice) and fails with a clear message when
  the network does not answer. It is asked only about the places the offline
  gazetteer cannot match.

Both also offer ``.lookup(query, country=None) -> Match``, which says *why* a
place was not matched; :func:`resolve` geocodes each distinct place once.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from geopy.location import Location
from geopy.point import Point

from footprint.errors import FootprintError, InputError, Problem
from footprint.imports.gazetteer import (
    GB_ADMIN1,
    Gazetteer,
    Place,
    gazetteer,
    normalise,
)

USER_AGENT = os.environ.get(
    "FOOTPRINT_GEOCODER_USER_AGENT",
    "footprint-planner/0.1 (open-source workplace footprint planner; set FOOTPRINT_GEOCODER_USER_AGENT "
    "to your organisation and contact, as Nominatim's usage policy asks)",
)
CACHE_MAX_BYTES = 100_000_000  #: largest geocoder cache read [bytes]
SAME_PLACE_KM = 5.0  # candidates closer than this are one place listed twice


@dataclass(frozen=True)
class Match:
    """The outcome of geocoding one query.

    Attributes
    ----------
    query : str
    status : str
        ``"ok"``, ``"unmatched"`` or ``"ambiguous"``.
    lat, lon : float
        [degrees]; NaN unless ``status == "ok"``.
    label : str
        What the query was matched to (e.g. ``"postcode district B15"``).
    candidates : tuple of str
        For an ambiguous query: the places it could be.
    reason : str
        For an unmatched or ambiguous query: why, and how to fix it.
    options : tuple of Place
        For an ambiguous query of the offline gazetteer: every distinct candidate
        (most populous first), so that a caller knowing more (the person's
        office, see :func:`nearest_clear_choice`) can pick one.
    """

    query: str
    status: str
    lat: float = math.nan
    lon: float = math.nan
    label: str = ""
    candidates: tuple[str, ...] = field(default=())
    reason: str = ""
    options: tuple[Place, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def location(self) -> Location:
        return Location(self.label or self.query, Point(self.lat, self.lon), {"query": self.query})


class Lookup(Protocol):
    def lookup(self, query: str, country: str | None = None) -> Match: ...


class _GeopyInterface:
    """geopy's ``geocode(query)`` on top of a class's ``lookup(query)``."""

    def geocode(self, query: str, exactly_one: bool = True, **_: Any) -> Location | list[Location] | None:
        """geopy-compatible: the place, or None when unmatched or ambiguous."""
        m = self.lookup(str(query))  # type: ignore[attr-defined]
        if not m.ok:
            return None
        return m.location() if exactly_one else [m.location()]


def _km(a: Place, b: Place) -> float:
    dlat = math.radians(a.lat - b.lat)
    dlon = math.radians(a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def _distinct(places: Iterable[Place]) -> list[Place]:
    """One place per cluster closer than :data:`SAME_PLACE_KM` (the most populous)."""
    kept: list[Place] = []
    for p in sorted(places, key=lambda p: -p.population):
        if all(_km(p, k) > SAME_PLACE_KM for k in kept):
            kept.append(p)
    return kept


class OfflineGeocoder(_GeopyInterface):
    """Gazetteer geocoder: towns of the world, UK towns and UK postcode districts.

    Parameters
    ----------
    country : str or None
        ISO code of the country to prefer when a query names none (``"GB"``); a
        query's own country (``"Paris, FR"``) or the row's country column win.
    """

    def __init__(self, country: str | None = "GB"):
        self.country = (country or "").upper() or None

    @property
    def _gaz(self) -> Gazetteer:
        return gazetteer()

    def lookup(self, query: str, country: str | None = None) -> Match:
        """Geocode ``query`` (a place, ``"place, region, country"``, an address or a UK postcode)."""
        q = " ".join(str(query).split())
        if not q:
            return Match(q, "unmatched", reason="is empty")
        gaz = self._gaz
        country = (country or "").strip().upper() or self.country
        parts = [p.strip() for p in q.split(",") if p.strip()]
        hint_country, hint_admin, rest = None, None, []
        for i, p in enumerate(parts):
            key = normalise(p)
            if i > 0 and key in gaz.countries:
                hint_country = gaz.countries[key]
            elif i > 0 and key in gaz.admin_names:
                hint_country, hint_admin = gaz.admin_names[key]
            else:
                rest.append(p)
        want = hint_country or country
        if want in (None, "GB"):
            found = gaz.district(q) if len(rest) != 1 or gaz.find(rest[0]) == ((), ()) else None
            if found is not None:
                code, point = found
                if point is not None:
                    return Match(q, "ok", point[0], point[1], f"postcode district {code}")
                why = ("Northern Ireland (BT) postcodes are not in the offline data"
                       if code.startswith("BT") else "this postcode district is not in the offline data")
                return Match(q, "unmatched", reason=f"postcode district '{code}' is not known ({why}); "
                             "check it, give lat/lon, or turn on online geocoding")
        if not rest:
            return Match(q, "unmatched", reason="names a country or region, not a town; give a town, "
                         "a postcode or lat/lon")
        for p in rest:
            primary, alternate = gaz.find(p)
            if primary or alternate:
                return self._choose(q, primary, alternate, hint_country, country, hint_admin)
        if len(parts) == 1 and (normalise(q) in gaz.countries or normalise(q) in gaz.admin_names):
            return Match(q, "unmatched", reason="names a country or region, not a town; give a town, "
                         "a postcode or lat/lon")
        return Match(q, "unmatched", reason="is not a town, city or UK postcode district the offline "
                     "gazetteer knows; check the spelling, add the nearest town or a postcode, give lat/lon, "
                     "or turn on online geocoding")

    def _choose(self, q: str, primary: tuple[Place, ...], alternate: tuple[Place, ...],
                hint_country: str | None, country: str | None, hint_admin: str | None) -> Match:
        def narrow(ps: tuple[Place, ...] | list[Place]) -> list[Place]:
            if hint_country:
                ps = [p for p in ps if p.country == hint_country]
            elif country and any(p.country == country for p in (*primary, *alternate)):
                ps = [p for p in ps if p.country == country]
            if hint_admin:
                ps = [p for p in ps if p.admin1 == hint_admin]
            return list(ps)

        main, other = narrow(primary), narrow(alternate)
        top = max((p.population for p in main), default=-1)
        cands = _distinct([*main, *(p for p in other if p.population >= top)])
        if not cands:
            where = hint_admin and GB_ADMIN1.get(hint_admin, hint_admin) or hint_country or country
            return Match(q, "unmatched", reason=f"no town of that name in {where}; check the spelling or the "
                         "region, give lat/lon, or turn on online geocoding")
        if len(cands) > 1:
            shown = tuple(p.label for p in cands[:6])
            more = f" and {len(cands) - 6} more" if len(cands) > 6 else ""
            fix = ("give a postcode district instead (e.g. 'NP20') or lat/lon" if hint_country or hint_admin else
                   f"add the region or country (e.g. '{q.split(',')[0]}, {_region_example(cands[0])}'), "
                   "or give a postcode or lat/lon")
            return Match(q, "ambiguous", candidates=shown, options=tuple(cands),
                         reason=f"is ambiguous: it could be {'; '.join(shown)}{more}; {fix}")
        p = cands[0]
        return Match(q, "ok", p.lat, p.lon, p.label)


#: Farthest a home may be from the office for an ambiguous name to be resolved by it. [km]
COMMUTE_KM = 100.0
#: Every other candidate must be at least this many times farther from the office than the chosen one.
CLEAR_RATIO = 3.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance between two points [km] (inputs in degrees)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def nearest_clear_choice(options: Iterable[Place], lat: float, lon: float) -> tuple[Place, float] | None:
    """The candidate clearly meant for someone based at ``(lat, lon)``, and its distance [km].

    The rule: the nearest candidate is chosen when it is within :data:`COMMUTE_KM`
    (100 km, a plausible commute) of the office and every other candidate is at
    least :data:`CLEAR_RATIO` (3) times as far. Otherwise None: the name stays
    ambiguous. E.g. 'Newport' for a Cardiff office is Newport, Wales (17 km; the
    next, Newport on the Isle of Wight, is 165 km away); for a London office no
    Newport is clearly meant (Newport, Essex is 55 km away, the Isle of Wight's
    115 km).
    """
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    ranked = sorted((distance_km(lat, lon, p.lat, p.lon), i, p) for i, p in enumerate(options))
    if not ranked or ranked[0][0] > COMMUTE_KM:
        return None
    if len(ranked) > 1 and ranked[1][0] < CLEAR_RATIO * ranked[0][0]:
        return None
    return ranked[0][2], ranked[0][0]


def _region_example(p: Place) -> str:
    return GB_ADMIN1.get(p.admin1, p.country) if p.country == "GB" else p.country


class OnlineGeocoder(_GeopyInterface):
    """Nominatim (OpenStreetMap) through geopy, with a rate limit and a disk cache.

    Use only when the user turns online geocoding on. Nominatim's usage policy:
    at most one request a second, an identifying user agent, cache results,
    no bulk geocoding of large files (staff homes should be postcode districts or
    towns, which the offline geocoder already knows).

    Parameters
    ----------
    geocoder : geopy geocoder or None
        Any object with geopy's ``geocode(query, exactly_one=True)``; None:
        ``geopy.geocoders.Nominatim`` with :data:`USER_AGENT`.
    cache_path : path or None
        JSON file of earlier answers (read if present, written after each new answer).
    min_delay_seconds : float
        Pause between requests. [s]
    error_wait_seconds : float
        Pause before the one retry after a service error. [s]
    timeout : float
        Network timeout of one request. [s]
    """

    def __init__(self, geocoder: Any = None, *, cache_path: str | Path | None = None,
                 min_delay_seconds: float = 1.0, error_wait_seconds: float = 2.0, timeout: float = 10.0,
                 user_agent: str = USER_AGENT):
        from geopy.extra.rate_limiter import RateLimiter

        if geocoder is None:
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(user_agent=user_agent, timeout=timeout)
        self.geocoder = geocoder
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=1,
                                    error_wait_seconds=error_wait_seconds, swallow_exceptions=False)
        self.cache_path = Path(cache_path) if cache_path else None
        self._cache: dict[str, list[Any]] = {}
        if self.cache_path and self.cache_path.exists():
            try:
                from footprint.safeio import read_bounded

                loaded = json.loads(read_bounded(self.cache_path, CACHE_MAX_BYTES).decode("utf-8"))
                self._cache = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):  # InputError is a ValueError: an unreadable cache is started afresh
                self._cache = {}

    def lookup(self, query: str, country: str | None = None) -> Match:
        from geopy.exc import GeopyError

        q = " ".join(str(query).split())
        key = f"{(country or '').upper()}|{q.lower()}"
        if key in self._cache:
            return _from_cache(q, self._cache[key])
        kwargs: dict[str, Any] = {"exactly_one": True}
        if country and type(self.geocoder).__name__ == "Nominatim":
            kwargs["country_codes"] = country.lower()
        try:
            loc = self._geocode(q, **kwargs)
        except GeopyError as e:
            raise InputError(
                [Problem(f"the online geocoder did not answer ({e.__class__.__name__}: {e}); check the network "
                         "connection, or turn online geocoding off and give these places as towns, UK postcodes "
                         "or lat/lon", "geocoding", None, None)],
                "online geocoding failed",
            ) from None
        if isinstance(loc, list):
            loc = loc[0] if loc else None
        if loc is None:
            self._cache[key] = []
        else:
            self._cache[key] = [float(loc.latitude), float(loc.longitude), str(loc.address)]
        self._save()
        return _from_cache(q, self._cache[key])

    def _save(self) -> None:
        if self.cache_path is None:
            return
        try:
            from footprint.safeio import write_atomic

            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache_path, json.dumps(self._cache, indent=0, sort_keys=True))
        except (OSError, FootprintError):
            pass  # a cache that cannot be written only costs repeated requests


def _from_cache(q: str, entry: list[Any]) -> Match:
    if not entry:
        return Match(q, "unmatched", reason="was not found by the online geocoder either; check it or give lat/lon")
    lat, lon, label = entry
    return Match(q, "ok", float(lat), float(lon), f"{label} (online geocoder)")


class GeopyAdapter:
    """Any geopy geocoder as a :class:`Lookup` (None → unmatched)."""

    def __init__(self, geocoder: Any):
        self.geocoder = geocoder

    def lookup(self, query: str, country: str | None = None) -> Match:
        from geopy.exc import GeopyError

        try:
            loc = self.geocoder.geocode(query)
        except GeopyError as e:
            raise InputError([Problem(f"the geocoder failed ({e.__class__.__name__}: {e})", "geocoding")],
                             "geocoding failed") from None
        if isinstance(loc, list):
            loc = loc[0] if loc else None
        if loc is None:
            return Match(query, "unmatched", reason="was not found by the geocoder; check it or give lat/lon")
        return Match(query, "ok", float(loc.latitude), float(loc.longitude), str(loc.address))


class ChainGeocoder(_GeopyInterface):
    """The offline gazetteer first; a second geocoder only for what it cannot match.

    Ambiguous names are not sent on: an online service would pick one of them,
    which is a guess.
    """

    def __init__(self, first: Lookup, second: Lookup):
        self.first, self.second = first, second

    def lookup(self, query: str, country: str | None = None) -> Match:
        m = self.first.lookup(query, country)
        if m.status != "unmatched" or not query.strip():
            return m
        return self.second.lookup(query, country)


_DEFAULT: dict[str, OfflineGeocoder] = {}


def as_lookup(geocoder: Any = None, country: str | None = "GB") -> Lookup:
    """The geocoder to use: None or ``"offline"`` → :class:`OfflineGeocoder`;
    ``"online"`` → offline, then Nominatim; one of ours as is; any other geopy
    geocoder → offline, then it.
    """
    if geocoder is None or geocoder == "offline":
        return _DEFAULT.setdefault(country or "", OfflineGeocoder(country))
    if geocoder == "online":
        return ChainGeocoder(OfflineGeocoder(country), OnlineGeocoder())
    if hasattr(geocoder, "lookup"):
        return geocoder
    if hasattr(geocoder, "geocode"):
        return ChainGeocoder(OfflineGeocoder(country), GeopyAdapter(geocoder))
    raise InputError([Problem("must be None, 'offline', 'online' or a geopy geocoder", "geocoding", None,
                              "geocoder")])


def resolve(queries: Iterable[tuple[str, str | None]], geocoder: Any = None) -> dict[tuple[str, str | None], Match]:
    """Geocode each distinct ``(query, country)`` once."""
    lk = as_lookup(geocoder)
    return {key: lk.lookup(key[0], key[1]) for key in dict.fromkeys(queries)}
