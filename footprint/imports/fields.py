"""The columns Footprint reads, their synonyms and units, and matching a file's headers to them.

Headers are matched case-insensitively, ignoring spaces, punctuation and units
in brackets (``"Floor area (sq ft)"`` → ``floor_area`` in ft²), against each
field's synonyms. ``mapping`` (the user's own ``{their header: our field}``)
comes first and may name a unit too (``{"Size": "floor_area_ft2"}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from footprint.errors import Problem

M2_PER_FT2 = 0.09290304  #: square metres in a square foot [m²/ft²]


@dataclass(frozen=True)
class FieldSpec:
    """One column Footprint understands.

    Attributes
    ----------
    name : str
        Our name (as in the template).
    synonyms : tuple of str
        Normalised header names that mean this field.
    required : bool
    help : str
        What to put in it (for messages and the template documentation).
    unit_kind : str
        ``""``, ``"area"`` (m² or ft²) or ``"per_area"`` (per m² or per ft²).
    """

    name: str
    synonyms: tuple[str, ...]
    required: bool = False
    help: str = ""
    unit_kind: str = ""


def _f(name: str, synonyms: str, help: str, required: bool = False, unit_kind: str = "") -> FieldSpec:
    return FieldSpec(name, (name, *synonyms.split()), required, help, unit_kind)


SITE_FIELDS: tuple[FieldSpec, ...] = (
    _f("site_id", "id office_id site_code office_code building_id property_id property_ref site_ref code "
       "site_reference building_code location_id ref building_ref building_reference property_reference "
       "office_ref office_reference site_no building_no property_code property_number",
       "a short unique code for the office, e.g. BHM01", True),
    _f("name", "site_name office_name building_name property_name building office property",
       "the office's name (defaults to site_id)"),
    _f("lat", "latitude y lat_deg", "latitude in decimal degrees, e.g. 52.4862 (WGS84)"),
    _f("lon", "lng long longitude x lon_deg", "longitude in decimal degrees, e.g. -1.8904 (west is negative)"),
    _f("location", "place address postcode post_code zip zip_code zipcode postal_code town city town_city "
       "full_address site_address office_address", "a town, an address or a UK postcode, used when lat/lon "
       "are empty, e.g. 'Birmingham', 'Newport, Wales' or 'B1 1BB'"),
    _f("country", "country_code iso_country nation", "two-letter ISO country code, e.g. GB (default GB)"),
    _f("headcount", "staff employees people head_count occupants staff_count employee_count headcount_fte "
       "number_of_staff", "staff whose office this is today, a whole number ≥ 0", True),
    _f("desks", "desk_count workstations workpoints seats number_of_desks",
       "desks today (defaults to headcount)"),
    _f("floor_area", "floor_area_m2 area nia gia floor_space floorspace size net_internal_area "
       "gross_internal_area sqm sqft floor_area_ft2 area_m2 area_ft2",
       "floor area in m² (or ft², from the header or the area unit option); defaults to desks × 12 m²",
       unit_kind="area"),
    _f("electricity_kwh_per_m2", "electricity_kwh_per_ft2 electricity electricity_intensity elec_kwh_per_m2 "
       "electricity_kwh elec_intensity", "electricity use per floor area a year (default 95, CIBSE TM46)",
       unit_kind="per_area"),
    _f("heating_kwh_per_m2", "heating_kwh_per_ft2 heating heating_intensity heat_kwh_per_m2 gas_kwh_per_m2 "
       "heating_kwh gas_intensity", "heating energy per floor area a year (default 120, CIBSE TM46)",
       unit_kind="per_area"),
    _f("heating_fuel", "fuel heating_type heat_source", "gas, electric or district (default gas)"),
    _f("can_be_hub", "hub_candidate could_be_hub can_hub possible_hub",
       "yes/no: may this site become a hub? (default yes)"),
    _f("must_keep", "keep retain must_retain protected", "yes/no: must this site stay open? (default no)"),
    _f("is_candidate", "candidate new_site candidate_site", "yes/no: a possible new site, not an office "
       "today (default no)"),
    _f("operational_control", "op_control operationally_controlled we_operate controlled",
       "yes/no: does the organisation have operational control of the building? No for a lease where the "
       "landlord runs it: its energy is then Scope 3 cat. 8 (default yes)"),
    _f("supplier_factor_kg_per_kwh", "supplier_factor supplier_emission_factor market_factor tariff_factor",
       "the electricity supplier's kg CO2e/kWh for this site's contract (market-based Scope 2; optional)"),
    _f("renewable_share", "rego_share renewable_tariff_share green_share renewable_fraction",
       "share of the site's electricity backed by REGOs / GOs, 0 to 1 (default 0)"),
    _f("electricity_contract", "contract tariff supplier electricity_supplier",
       "the electricity contract, with the source and year of its supplier factor (optional)"),
    _f("max_desks", "capacity desk_capacity max_capacity maximum_desks max_occupancy",
       "desks the site could hold as a hub (default floor area / 8 m²)"),
    _f("annual_cost_per_m2", "annual_cost_per_ft2 cost_per_m2 rent_per_m2 cost_per_ft2 rent_per_ft2 "
       "annual_cost rent cost", "property cost per floor area a year (optional)", unit_kind="per_area"),
)

STAFF_FIELDS: tuple[FieldSpec, ...] = (
    _f("employee_id", "employee emp_id staff_id person_id employee_number payroll_id employee_no id "
       "staff_number", "optional; checked for duplicates, never kept"),
    _f("home_lat", "home_latitude lat latitude", "home latitude, decimal degrees (or leave empty and give "
       "home_location)"),
    _f("home_lon", "home_lng home_longitude home_long lon lng long longitude", "home longitude, decimal degrees"),
    _f("home_location", "home_postcode postcode post_code zip zip_code zipcode postal_code home_town town city "
       "home_city home_address address home_postcode_district postcode_district outward_code home_place",
       "home postcode, postcode district or town, used when lat/lon are empty, e.g. 'LS6' or 'Leeds'"),
    _f("current_site_id", "site_id office_id office base_office work_location base_location site office_code "
       "workplace base current_office home_office_id work_site site_code contractual_location",
       "the site_id (or unique name) of the person's office today", True),
    _f("commute_mode", "mode travel_mode transport_mode commute transport main_mode usual_mode mode_of_transport",
       "how the person usually commutes: car, car_petrol, rail, bus, walk, cycle, …", True),
    _f("count", "fte headcount people number n persons staff_count", "people on this row (default 1; "
       "FTE allowed)"),
    _f("country", "home_country country_code", "two-letter ISO country code of the home (default GB)"),
    _f("office_distance_km", "mean_office_distance_km", "optional, for rows that are groups: the people's mean "
       "straight-line distance from their own homes to their office, km (default: from the home given)"),
)

#: Last resort: a header with one of these words (and no better match) means the field.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "location": ("postcode", "zip", "town", "city", "address", "place"),
    "home_location": ("postcode", "zip", "town", "city", "address"),
    "floor_area": ("area", "sqft", "sqm"),
    "headcount": ("headcount",),
    "commute_mode": ("mode", "commute", "transport"),
    "current_site_id": ("office", "site", "workplace"),
    "lat": ("latitude",),
    "lon": ("longitude",),
    "home_lat": ("latitude", "lat"),
    "home_lon": ("longitude", "lon", "lng"),
}

_AREA_FT2 = re.compile(r"(sq\.?\s*f(ee)?t|sqft|ft2|ft\^2|square\s*f(ee|oo)t)")
_AREA_M2 = re.compile(r"(sq\.?\s*m(etres?|eters?)?\b|sqm|m2\b|m\^2|square\s*met(re|er)s?)")
_PER = re.compile(r"(/|\bper\b|_per_)")


def slug(header: str) -> str:
    """Header as a key: lower case, ``²`` → 2, runs of other characters → ``_``."""
    s = header.strip().lower().replace("²", "2").replace("³", "3")
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def header_unit(header: str) -> str:
    """``"ft2"``, ``"m2"`` or ``""``: the area unit a header mentions."""
    s = header.lower().replace("²", "2").replace("_", " ")
    if _AREA_FT2.search(s):
        return "ft2"
    if _AREA_M2.search(s):
        return "m2"
    return ""


def _base(header: str) -> str:
    """The header without units and bracketed parts."""
    s = re.sub(r"[(\[].*?[)\]]", " ", header.lower().replace("²", "2"))
    s = _AREA_FT2.sub(" ", s)
    s = _AREA_M2.sub(" ", s)
    s = re.sub(r"\b(kwh|mwh|per|in|gbp|usd|eur|£|\$|€|pa|p a|yr|year|annual|/)\b", " ", s)
    return slug(s)


@dataclass(frozen=True)
class ColumnMatch:
    """How a file's headers were matched.

    Attributes
    ----------
    columns : dict
        Our field → position of its column in the file.
    column_map : dict
        Their header → our field (what the app shows).
    units : dict
        Our field → ``"m2"`` or ``"ft2"`` for area-based fields.
    unmatched : tuple of str
        Headers that match no field (ignored; map them with ``mapping`` if needed).
    problems : list of Problem
        Missing required columns, one field matched by two columns, a bad mapping.
    """

    columns: dict[str, int]
    column_map: dict[str, str]
    units: dict[str, str]
    unmatched: tuple[str, ...]
    problems: list[Problem]


def _keyword(header: str, by_name: dict[str, FieldSpec], taken: dict[str, int]) -> str | None:
    words = set(slug(header).split("_"))
    hits = [f for f, kws in KEYWORDS.items() if f in by_name and f not in taken and words & set(kws)]
    return hits[0] if len(hits) == 1 else None


def match_columns(headers: tuple[str, ...], specs: tuple[FieldSpec, ...], source: str,
                  mapping: Mapping[str, str] | None = None, area_unit: str = "m2",
                  mapping_optional: bool = False) -> ColumnMatch:
    """Match ``headers`` to ``specs`` (see the module docstring).

    ``mapping_optional``: a mapped header missing from this file is not a
    problem (one mapping shared by the offices and the staff file).
    """
    by_name = {s.name: s for s in specs}
    lookup_full: dict[str, str] = {}
    for s in specs:
        for syn in s.synonyms:
            lookup_full.setdefault(syn, s.name)
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    column_map: dict[str, str] = {}
    units: dict[str, str] = {}
    mapped = {slug(k): v for k, v in (mapping or {}).items()}
    used_mapping: set[str] = set()

    for i, h in enumerate(headers):
        key = slug(h)
        target, unit_text = None, h
        if key in mapped:
            used_mapping.add(key)
            want = str(mapped[key])
            target = lookup_full.get(slug(want)) or lookup_full.get(_base(want))
            unit_text = f"{want} {h}"
            if target is None:
                problems.append(Problem(f"the mapping names '{want}', which is not a column Footprint reads; "
                                        f"use one of: {', '.join(by_name)}", source, None, h))
                continue
        else:
            target = lookup_full.get(key) or lookup_full.get(_base(h)) or _keyword(h, by_name, columns)
        if target is None:
            continue
        if target in columns:
            first = headers[columns[target]]
            problems.append(Problem(f"both '{first}' and '{h}' match the field '{target}'; rename or remove one, "
                                    f"or map one explicitly", source, None, h))
            continue
        columns[target] = i
        column_map[h] = target
        kind = by_name[target].unit_kind
        if kind:
            units[target] = header_unit(unit_text) or area_unit

    for k in (set() if mapping_optional else set(mapped) - used_mapping):
        problems.append(Problem(f"the mapping names a column '{k}' that is not in the file; headers are: "
                                f"{', '.join(headers)}", source, None, k))
    for s in specs:
        if s.required and s.name not in columns:
            problems.append(Problem(
                f"required column '{s.name}' is missing ({s.help}). Name a column '{s.name}' or one of: "
                f"{', '.join(s.synonyms[1:6])}; or map your column to it", source, None, s.name))
    unmatched = tuple(h for i, h in enumerate(headers) if i not in columns.values())
    return ColumnMatch(columns, column_map, units, unmatched, problems)
