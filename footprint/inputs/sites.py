"""Sites: current offices and candidate hub locations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from footprint.inputs.bounds import (
    MAX_COST_PER_M2,
    MAX_FLOOR_AREA_M2,
    MAX_SITE_DESKS,
    MAX_SITE_HEADCOUNT,
)
from footprint.inputs.columns import ArrayTableEquality, ColumnChecker, frozen

HEATING_FUELS = ("gas", "electric", "district")

#: CIBSE TM46:2008 "General office" typical benchmarks [kWh/m²/yr], used when a site
#: gives no energy intensity.
TM46_ELECTRICITY_KWH_PER_M2 = 95.0
TM46_HEATING_KWH_PER_M2 = 120.0


@dataclass(frozen=True, eq=False)
class Sites(ArrayTableEquality):
    """Sites, one entry per office or candidate hub (arrays of equal length).

    Attributes
    ----------
    site_id, name, heating_fuel, country : tuple of str
    lat, lon : ndarray
        Location. [degrees]
    headcount : ndarray
        Staff whose current office this is. [people]
    desks : ndarray
        Desks today. [desks]
    floor_area_m2 : ndarray
        Floor area today; 0 for a candidate site that is not an office yet. [m²]
    electricity_kwh_per_m2, heating_kwh_per_m2 : ndarray
        Energy intensity of the building today. [kWh/m²/yr]
    can_be_hub, must_keep, is_candidate : ndarray of bool
    max_desks : ndarray
        Desk capacity if the site becomes a hub. [desks]
    annual_cost_per_m2 : ndarray
        Property cost, NaN where unknown. [currency/m²/yr]
    operational_control : ndarray of bool
        The organisation has operational control of the building (GHG Protocol
        organisational boundary). False for a site leased without it: its
        energy is reported in Scope 3 cat. 8 (upstream leased assets).
    supplier_factor_kg_per_kwh : ndarray
        The electricity supplier's emission factor for this site's contract
        (market-based Scope 2), NaN where unknown. [kg CO2e/kWh]
    renewable_share : ndarray
        Share of the site's electricity backed by renewable certificates (REGOs,
        GOs) under its contract (0 to 1). [share]
    electricity_contract : tuple of str
        The contract and the source and year of its supplier factor, e.g.
        "Acme Energy fuel mix disclosure 2024-25" ("" where none).
    """

    site_id: tuple[str, ...]
    name: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    headcount: np.ndarray
    desks: np.ndarray
    floor_area_m2: np.ndarray
    electricity_kwh_per_m2: np.ndarray
    heating_kwh_per_m2: np.ndarray
    heating_fuel: tuple[str, ...]
    country: tuple[str, ...]
    can_be_hub: np.ndarray
    must_keep: np.ndarray
    max_desks: np.ndarray
    is_candidate: np.ndarray
    annual_cost_per_m2: np.ndarray
    operational_control: np.ndarray | None = None
    supplier_factor_kg_per_kwh: np.ndarray | None = None
    renewable_share: np.ndarray | None = None
    electricity_contract: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        n = len(self.site_id)
        if self.operational_control is None:
            object.__setattr__(self, "operational_control", frozen(np.ones(n, dtype=bool)))
        if self.supplier_factor_kg_per_kwh is None:
            object.__setattr__(self, "supplier_factor_kg_per_kwh", frozen(np.full(n, np.nan)))
        if self.renewable_share is None:
            object.__setattr__(self, "renewable_share", frozen(np.zeros(n)))
        if self.electricity_contract is None:
            object.__setattr__(self, "electricity_contract", ("",) * n)

    def __len__(self) -> int:
        return len(self.site_id)

    def index_of(self, site_id: str) -> int:
        """Position of ``site_id``; ``KeyError`` with a helpful message if unknown."""
        try:
            return self._index[site_id]
        except KeyError:
            raise KeyError(f"no site with id '{site_id}'") from None

    @property
    def _index(self) -> dict[str, int]:
        cache = self.__dict__.get("_index_cache")
        if cache is None:
            cache = {s: i for i, s in enumerate(self.site_id)}
            object.__setattr__(self, "_index_cache", cache)
        return cache

    @property
    def is_office(self) -> np.ndarray:
        """True for sites that are offices today (not candidates)."""
        return ~self.is_candidate

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Sequence[object] | np.ndarray],
        *,
        source: str = "sites",
        row_numbers: Sequence[int] | None = None,
        m2_per_desk: float = 12.0,
    ) -> Sites:
        """Build and validate sites from named columns.

        Required columns: ``site_id, lat, lon, headcount``. Optional (with defaults):
        ``name`` (= site_id), ``desks`` (= headcount), ``floor_area_m2``
        (= desks × ``m2_per_desk``), ``electricity_kwh_per_m2`` (95, CIBSE TM46),
        ``heating_kwh_per_m2`` (120, CIBSE TM46), ``heating_fuel`` ("gas"),
        ``country`` ("GB"), ``can_be_hub`` (True), ``must_keep`` (False),
        ``max_desks`` (= floor_area_m2 / 8), ``is_candidate`` (False),
        ``annual_cost_per_m2`` (NaN), ``operational_control`` (True),
        ``supplier_factor_kg_per_kwh`` (NaN: unknown), ``renewable_share`` (0),
        ``electricity_contract`` ("").

        Raises
        ------
        footprint.errors.InputError
            Listing every invalid value with its row and field.
        """
        cols = dict(columns)
        n = _n_rows(cols, ("site_id", "lat", "lon", "headcount"), source)
        chk = ColumnChecker(source, n, row_numbers)
        site_id = tuple(str(v).strip() for v in cols["site_id"])
        chk.unique(site_id, "site_id")
        name = tuple(str(v) for v in cols.get("name", site_id))
        lat = chk.number(cols["lat"], "lat", lo=-90, hi=90, unit="degrees")
        lon = chk.number(cols["lon"], "lon", lo=-180, hi=180, unit="degrees")
        headcount = chk.number(cols["headcount"], "headcount", lo=0, hi=MAX_SITE_HEADCOUNT, integer=True, unit="people")
        desks = chk.number(cols.get("desks", headcount), "desks", lo=0, hi=MAX_SITE_DESKS, integer=True)
        area_default = np.asarray(desks, dtype=float) * m2_per_desk
        floor_area = chk.number(_fill(cols.get("floor_area_m2"), area_default), "floor_area_m2", lo=0,
                                 hi=MAX_FLOOR_AREA_M2, unit="m²")
        elec = chk.number(
            _fill(cols.get("electricity_kwh_per_m2"), TM46_ELECTRICITY_KWH_PER_M2, n),
            "electricity_kwh_per_m2", lo=0, hi=2000, unit="kWh/m²/yr",
        )
        heat = chk.number(
            _fill(cols.get("heating_kwh_per_m2"), TM46_HEATING_KWH_PER_M2, n),
            "heating_kwh_per_m2", lo=0, hi=2000, unit="kWh/m²/yr",
        )
        fuel = chk.choice(
            [str(v).strip().lower() for v in cols.get("heating_fuel", ["gas"] * n)], "heating_fuel", HEATING_FUELS
        )
        country = tuple(str(v).strip().upper() for v in cols.get("country", ["GB"] * n))
        bad_country = np.array([len(c) != 2 or not c.isalpha() for c in country], dtype=bool)
        chk.flag(bad_country, "country", "must be a two-letter ISO 3166 country code such as GB, FR or US")
        can_be_hub = _bools(chk, cols.get("can_be_hub", [True] * n), "can_be_hub")
        must_keep = _bools(chk, cols.get("must_keep", [False] * n), "must_keep")
        is_candidate = _bools(chk, cols.get("is_candidate", [False] * n), "is_candidate")
        control = _bools(chk, cols.get("operational_control", [True] * n), "operational_control")
        supplier = np.asarray(_fill(cols.get("supplier_factor_kg_per_kwh"), np.nan, n), dtype=float)
        chk.flag(np.isfinite(supplier) & ((supplier < 0) | (supplier > 2)), "supplier_factor_kg_per_kwh",
                 "must be from 0 to 2 kg CO2e/kWh (leave empty if unknown)")
        renewable = np.asarray(_fill(cols.get("renewable_share"), 0.0, n), dtype=float)
        chk.flag(~np.isfinite(renewable) | (renewable < 0) | (renewable > 1), "renewable_share",
                 "must be a share from 0 to 1 (e.g. 0.5 for half the electricity backed by REGOs)")
        contract = tuple("" if v is None else str(v).strip() for v in cols.get("electricity_contract", [""] * n))
        max_desks = chk.number(
            _fill(cols.get("max_desks"), np.floor(np.clip(floor_area, 0, MAX_FLOOR_AREA_M2) / 8.0)), "max_desks", lo=0,
            hi=MAX_SITE_DESKS, integer=True
        )
        cost = np.asarray(_fill(cols.get("annual_cost_per_m2"), np.nan, n), dtype=float)
        chk.flag(np.isfinite(cost) & (cost < 0), "annual_cost_per_m2", "must be ≥ 0 (leave empty if unknown)")
        chk.flag(np.isinf(cost) | (np.isfinite(cost) & (cost > MAX_COST_PER_M2)), "annual_cost_per_m2",
                 f"must be ≤ {MAX_COST_PER_M2:,.0f} a year per m² (leave empty if unknown)")
        chk.flag(must_keep & ~can_be_hub, "must_keep", "a must-keep site must also be allowed to be a hub (can_be_hub)")
        chk.flag(is_candidate & (headcount > 0), "headcount", "a candidate site has no staff today; set headcount to 0")
        chk.raise_if_any(f"{len(chk.problems)} problem(s) in {source}")
        return cls(
            site_id=site_id,
            name=name,
            lat=frozen(lat),
            lon=frozen(lon),
            headcount=frozen(headcount.astype(np.int64)),
            desks=frozen(desks.astype(np.int64)),
            floor_area_m2=frozen(floor_area),
            electricity_kwh_per_m2=frozen(elec),
            heating_kwh_per_m2=frozen(heat),
            heating_fuel=fuel,
            country=country,
            can_be_hub=frozen(can_be_hub),
            must_keep=frozen(must_keep),
            max_desks=frozen(max_desks.astype(np.int64)),
            is_candidate=frozen(is_candidate),
            annual_cost_per_m2=frozen(cost),
            operational_control=frozen(control),
            supplier_factor_kg_per_kwh=frozen(supplier),
            renewable_share=frozen(renewable),
            electricity_contract=contract,
        )

    def to_columns(self) -> dict[str, list[object]]:
        """The sites as plain columns (inverse of :meth:`from_columns`)."""
        out: dict[str, list[object]] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else v.tolist()
        return out


def _n_rows(cols: Mapping[str, object], required: Sequence[str], source: str) -> int:
    from footprint.errors import InputError, Problem

    missing = [c for c in required if c not in cols]
    if missing:
        raise InputError(
            [Problem(f"required column '{c}' is missing", source, None, c) for c in missing],
            f"{source} lacks required columns",
        )
    return len(cols[required[0]])  # type: ignore[arg-type]


def _fill(values: object, default: object, n: int | None = None) -> np.ndarray:
    """Values with NaN/None replaced by ``default`` (scalar or array)."""
    if values is None:
        if np.ndim(default) == 0 and n is not None:
            return np.full(n, default, dtype=float)
        return np.asarray(default, dtype=float)
    arr = np.array([np.nan if v is None or v == "" else v for v in values], dtype=float)
    return np.where(np.isnan(arr), default, arr)


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f", ""}


def _bools(chk: ColumnChecker, values: Sequence[object], field: str) -> np.ndarray:
    out = np.zeros(chk.n_rows, dtype=bool)
    for row, v in enumerate(values):
        if isinstance(v, bool | np.bool_):
            out[row] = bool(v)
            continue
        s = str(v).strip().lower()
        if s in _TRUE:
            out[row] = True
        elif s not in _FALSE:
            chk.add(f"'{v}' is not yes/no; use true or false", row, field)
    return out

