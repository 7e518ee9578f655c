"""Shared table builders, so that the PDF, XLSX and CSV exports show the same numbers.

Every builder returns a :class:`Table` of raw values: emissions in t CO2e/yr
(``kg / 1000``, unrounded), distances in km, areas in m². The writers format them
(1 decimal in PDF text, number formats in XLSX, full precision in CSV).

Privacy: staff home locations never leave this module unless a caller passes
``include_home_locations=True``; by default staff groups are aggregated to
:data:`GRID_DEG` cells, and cells of fewer than :data:`MIN_CELL_STAFF` people are
pooled into one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from footprint.accounting import CATEGORIES, Footprint
from footprint.accounting.result import (
    CAT_BUSINESS_TRAVEL,
    SCOPE_1,
    SCOPE_2,
    SCOPE_3,
    VIDEO_MEMO_REASON,
)
from footprint.factors import Factor
from footprint.inputs.policy import POLICY_FIELDS
from footprint.scenario.compare import comparison_rows
from footprint.scenario.run import ScenarioResult

T = "t CO2e/yr"
GRID_DEG = 0.25
"""Cell size of the staff-location grid in exports. [degrees]"""
MIN_CELL_STAFF = 5
"""Grid cells with fewer staff than this are pooled into one row. [people]"""
#: One-way commute distance bands of the distribution table. [km]
DISTANCE_BANDS_KM = (0.0, 5.0, 10.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0, np.inf)
SCOPES = (SCOPE_1, SCOPE_2, SCOPE_3)


@dataclass(frozen=True)
class Column:
    """A table column.

    Parameters
    ----------
    label : str
        Heading without the unit.
    unit : str
        Unit of the values; shown in square brackets in the heading.
    kind : str
        ``"text"``, ``"int"`` (counts, shown without decimals), ``"num"`` (1
        decimal), ``"fine"`` (more decimals, e.g. factors) or ``"pct"`` [%].
    width : float
        Relative column width (characters in XLSX).
    """

    label: str
    unit: str = ""
    kind: str = "num"
    width: float = 14.0

    @property
    def header(self) -> str:
        return f"{self.label} [{self.unit}]" if self.unit else self.label


@dataclass(frozen=True)
class Table:
    """A named table: columns and rows of raw values (str, float, int, bool or None)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""

    def column(self, label: str) -> list[Any]:
        """The values of the column whose label (without unit) is ``label``."""
        k = [c.label for c in self.columns].index(label)
        return [row[k] for row in self.rows]


def _t(kg: float) -> float:
    return float(kg) / 1000.0


def _txt(label: str, width: float = 24.0) -> Column:
    return Column(label, "", "text", width)


# --- headline ------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """The executive summary's numbers (emissions [t CO2e/yr], areas [m²], distances [km])."""

    scenario_name: str
    baseline_name: str
    baseline_tco2e: float
    scenario_tco2e: float
    change_tco2e: float
    change_percent: float | None
    baseline_by_scope: dict[str, float]
    scenario_by_scope: dict[str, float]
    baseline_by_category: dict[str, float]
    scenario_by_category: dict[str, float]
    baseline_mean_commute_km: float
    scenario_mean_commute_km: float
    staff_longer: float
    staff_shorter: float
    staff_unchanged: float
    staff_remote: float
    sites_before: int
    hubs_kept: int
    hubs_new: int
    offices_closed: int
    baseline_floor_area_m2: float
    scenario_floor_area_m2: float
    scope2_basis: str = "location"
    scope2_dual: dict[str, tuple[float, float]] | None = None


def headline(result: ScenarioResult) -> Headline:
    """The headline numbers of a scenario against its baseline."""
    fp, base = result.footprint, result.baseline
    before, after = base.sites.open, fp.sites.open
    pct = 100.0 * (fp.total_kgco2e / base.total_kgco2e - 1.0) if base.total_kgco2e else None
    return Headline(
        scenario_name=result.scenario.name,
        baseline_name=result.baseline_name,
        baseline_tco2e=_t(base.total_kgco2e),
        scenario_tco2e=_t(fp.total_kgco2e),
        change_tco2e=_t(fp.total_kgco2e - base.total_kgco2e),
        change_percent=pct,
        baseline_by_scope={k: _t(v) for k, v in base.by_scope().items()},
        scenario_by_scope={k: _t(v) for k, v in fp.by_scope().items()},
        baseline_by_category={k: _t(v) for k, v in base.by_category().items()},
        scenario_by_category={k: _t(v) for k, v in fp.by_category().items()},
        baseline_mean_commute_km=base.commute.mean_km,
        scenario_mean_commute_km=fp.commute.mean_km,
        staff_longer=fp.commute.staff_longer,
        staff_shorter=fp.commute.staff_shorter,
        staff_unchanged=fp.commute.staff_unchanged,
        staff_remote=fp.commute.staff_remote,
        sites_before=int(before.sum()),
        hubs_kept=int((before & after).sum()),
        hubs_new=int((after & ~before).sum()),
        offices_closed=int((before & ~after).sum()),
        baseline_floor_area_m2=base.floor_area_m2,
        scenario_floor_area_m2=fp.floor_area_m2,
        scope2_basis=fp.scope2_basis,
        scope2_dual={"location": (_t(base.scope2_location_kgco2e), _t(fp.scope2_location_kgco2e)),
                     "market": (_t(base.scope2_market_kgco2e), _t(fp.scope2_market_kgco2e))},
    )


# --- results ---------------------------------------------------------------------------
def _change_cols() -> tuple[Column, ...]:
    return (Column("Baseline", T), Column("Scenario", T), Column("Change", T), Column("Change", "%", "pct", 10))


def _change_row(b: float, s: float) -> tuple[float, float, float, float | None]:
    return b, s, s - b, (100.0 * (s / b - 1.0) if b else None)


def scope_table(result: ScenarioResult) -> Table:
    """Emissions by scope, and the total."""
    h = headline(result)
    rows = [(sc, *_change_row(h.baseline_by_scope[sc], h.scenario_by_scope[sc])) for sc in SCOPES]
    rows.append(("Total", *_change_row(h.baseline_tco2e, h.scenario_tco2e)))
    fp, base = result.footprint, result.baseline
    rows.append(("Scope 2, location-based", *_change_row(_t(base.scope2_location_kgco2e),
                                                         _t(fp.scope2_location_kgco2e))))
    rows.append(("Scope 2, market-based", *_change_row(_t(base.scope2_market_kgco2e), _t(fp.scope2_market_kgco2e))))
    return Table("by_scope", "Emissions by scope", (_txt("Scope", 24), *_change_cols()), tuple(rows),
                 f"Scope 2 is reported on both bases (GHG Protocol Scope 2 Guidance); the total uses "
                 f"{fp.scope2_basis}-based.")


def category_table(result: ScenarioResult) -> Table:
    """Emissions by reporting category (every category, zeros included), and the total."""
    h = headline(result)
    rows = [(cat.split(":")[0], cat, *_change_row(h.baseline_by_category[cat], h.scenario_by_category[cat]))
            for cat in CATEGORIES]
    rows.append(("", "Total", *_change_row(h.baseline_tco2e, h.scenario_tco2e)))
    for key in _memo_keys(result):
        b = sum(ln.kgco2e for ln in result.baseline.memo_lines if (ln.category, ln.item) == key)
        s = sum(ln.kgco2e for ln in result.footprint.memo_lines if (ln.category, ln.item) == key)
        rows.append(("Memo", f"{key[0]}: {key[1]}", *_change_row(_t(b), _t(s))))
    return Table("by_category", "Emissions by category (GHG Protocol)",
                 (_txt("Scope", 16), _txt("Category", 40), *_change_cols()), tuple(rows),
                 "Memo lines are outside the total. " + VIDEO_MEMO_REASON if _memo_keys(result) else "")


def _memo_keys(result: ScenarioResult) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    for ln in (*result.baseline.memo_lines, *result.footprint.memo_lines):
        if (ln.category, ln.item) not in keys:
            keys.append((ln.category, ln.item))
    return keys


def uncertainty_table(result: ScenarioResult) -> Table:
    """5th, 50th and 95th percentiles of the totals and the change (Monte Carlo)."""
    from footprint.accounting.uncertainty import footprint_uncertainty

    fp, base = result.footprint, result.baseline
    u = footprint_uncertainty(fp, None if fp is base else base)
    ub = footprint_uncertainty(base)
    rows = [("Baseline total", base.total_tco2e, ub.total.p05, ub.total.p50, ub.total.p95),
            ("Scenario total", fp.total_tco2e, u.total.p05, u.total.p50, u.total.p95)]
    if u.change is not None:
        rows.append(("Change (scenario − baseline)", fp.total_tco2e - base.total_tco2e,
                     u.change.p05, u.change.p50, u.change.p95))
    cols = (_txt("Quantity", 30), Column("Central estimate", T), Column("5th percentile", T),
            Column("Median", T), Column("95th percentile", T))
    return Table("uncertainty", "Uncertainty (90 % interval)", cols, tuple(rows),
                 note=f"{u.method}; {u.n_draws:,} draws, seed {u.seed}.")


def _line_keys(*fps: Footprint) -> list[tuple[str, str, str]]:
    keys: list[tuple[str, str, str]] = []
    for fp in fps:
        for ln in fp.lines:
            k = (ln.scope, ln.category, ln.item)
            if k not in keys:
                keys.append(k)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(keys, key=lambda k: order.get(k[1], len(order)))  # stable within a category


def lines_table(result: ScenarioResult, category: str | None = None) -> Table:
    """Every emission line (activity × factor) of scenario and baseline, zero lines kept."""
    fp, base = result.footprint, result.baseline

    def find(f: Footprint, key: tuple[str, str, str]) -> Any:
        return next((ln for ln in f.lines if (ln.scope, ln.category, ln.item) == key), None)

    rows = []
    for key in _line_keys(fp, base):
        if category is not None and key[1] != category:
            continue
        s, b = find(fp, key), find(base, key)
        ref = s or b
        rows.append((key[1], key[2], ref.activity_unit,
                     b.activity if b else 0.0, s.activity if s else 0.0,
                     *_change_row(_t(b.kgco2e) if b else 0.0, _t(s.kgco2e) if s else 0.0)[:3],
                     ", ".join(ref.factor_keys)))
    cols = (_txt("Category", 36), _txt("Item", 30), _txt("Activity unit", 16),
            Column("Baseline activity", "", "int", 16), Column("Scenario activity", "", "int", 16),
            Column("Baseline", T), Column("Scenario", T), Column("Change", T), _txt("Factors", 24))
    if category == CAT_BUSINESS_TRAVEL:
        return Table("business_travel", "Business travel (Scope 3 cat. 6)", cols, tuple(rows),
                     "Every mode is listed, zero lines included.")
    return Table("lines", "Emission lines: activity × factor", cols, tuple(rows))


def commute_table(result: ScenarioResult) -> Table:
    """One-way commute statistics of staff who commute, baseline and scenario."""
    c, b = result.footprint.commute, result.baseline.commute
    rows = [
        ("Mean one-way distance", "km", b.mean_km, c.mean_km),
        ("Median one-way distance", "km", b.median_km, c.median_km),
        ("90th percentile distance", "km", b.p90_km, c.p90_km),
        ("Mean one-way time", "min", b.mean_min, c.mean_min),
        ("Median one-way time", "min", b.median_min, c.median_min),
        ("90th percentile time", "min", b.p90_min, c.p90_min),
        ("Staff commuting", "people", b.staff_commuting, c.staff_commuting),
        ("Remote workers", "people", b.staff_remote, c.staff_remote),
        (f"Staff over {c.limit_label}", "people", b.staff_over_limit, c.staff_over_limit),
        ("Staff with a longer commute (> 1 km)", "people", None, c.staff_longer),
        ("Staff with a shorter commute (> 1 km)", "people", None, c.staff_shorter),
        ("Staff with an unchanged commute (± 1 km)", "people", None, c.staff_unchanged),
    ]
    cols = (_txt("Statistic", 36), _txt("Unit", 8), Column("Baseline", "", "num"), Column("Scenario", "", "num"))
    return Table("commute", "Commute statistics (one way, staff who commute)", cols, tuple(rows))


def _band_label(lo: float, hi: float) -> str:
    return f"{lo:g} km or more" if not np.isfinite(hi) else f"{lo:g}–{hi:g} km"


def distribution_table(result: ScenarioResult) -> Table:
    """Staff by one-way commute distance band, baseline and scenario (remote workers apart)."""
    edges = np.asarray(DISTANCE_BANDS_KM)
    rows = []
    counts = []
    for fp in (result.baseline, result.footprint):
        g = fp.groups
        commuting = g.site >= 0
        h, _ = np.histogram(g.distance_km[commuting], bins=edges, weights=g.count[commuting])
        counts.append((h, float(g.count[~commuting].sum())))
    for k in range(len(edges) - 1):
        hi = float(edges[k + 1]) if np.isfinite(edges[k + 1]) else None
        rows.append((_band_label(edges[k], edges[k + 1]), float(edges[k]), hi,
                     float(counts[0][0][k]), float(counts[1][0][k])))
    rows.append(("Remote workers (no commute)", None, None, counts[0][1], counts[1][1]))
    cols = (_txt("Band", 26), Column("From", "km", "num", 10), Column("To", "km", "num", 10),
            Column("Baseline staff", "people", "int"), Column("Scenario staff", "people", "int"))
    return Table("commute_distribution", "Staff by one-way commute distance", cols, tuple(rows))


# --- sites and staff ---------------------------------------------------------------------
def hub_table(result: ScenarioResult) -> Table:
    """Per open site of the scenario: staff, desks, area, energy and emissions."""
    org, s = result.organisation, result.footprint.sites
    rows = []
    for j in np.flatnonzero(s.open):
        rows.append((s.site_id[j], s.name[j], org.sites.country[j], float(s.staff[j]), float(s.desks_needed[j]),
                     float(s.desks[j]), float(s.max_desks[j]), float(s.floor_area_m2[j]),
                     float(s.electricity_kwh[j]), float(s.heating_kwh[j]),
                     _t(s.scope1_kg[j]), _t(s.scope2_kg[j]), _t(s.scope3_energy_kg[j]),
                     _t(s.commute_kg[j]), _t(s.homeworking_kg[j]), "yes" if s.over_capacity[j] else "no"))
    rows.sort(key=lambda r: -r[3])
    cols = (_txt("Site id", 10), _txt("Name", 22), _txt("Country", 8), Column("Staff", "people", "int"),
            Column("Desks needed", "desks", "int"), Column("Desks", "desks", "int"),
            Column("Max desks", "desks", "int"), Column("Floor area", "m²", "int"),
            Column("Electricity", "kWh/yr", "int"), Column("Heating", "kWh/yr", "int"),
            Column("Scope 1", T), Column("Scope 2", T), Column("Scope 3 energy", T),
            Column("Commuting", T), Column("Homeworking", T), Column("Over capacity", "", "text", 12))
    return Table("hubs", "Per hub (open sites of the scenario)", cols, tuple(rows),
                 "Commuting and homeworking are those of the staff assigned to the hub.")


def sites_table(result: ScenarioResult) -> Table:
    """Every site: status under the plan, staff and floor area before and after."""
    org, s, b = result.organisation, result.footprint.sites, result.baseline.sites
    rows = []
    for j in range(len(s.site_id)):
        status = ("kept" if b.open[j] else "new hub") if s.open[j] else ("closed" if b.open[j] else "not used")
        rows.append((s.site_id[j], s.name[j], org.sites.country[j], float(org.sites.lat[j]),
                     float(org.sites.lon[j]), status, float(b.staff[j]), float(s.staff[j]),
                     float(b.floor_area_m2[j]), float(s.floor_area_m2[j])))
    cols = (_txt("Site id", 10), _txt("Name", 22), _txt("Country", 8), Column("Latitude", "°", "fine", 10),
            Column("Longitude", "°", "fine", 10), _txt("Status", 10),
            Column("Baseline staff", "people", "int"), Column("Scenario staff", "people", "int"),
            Column("Baseline floor area", "m²", "int"), Column("Scenario floor area", "m²", "int"))
    return Table("sites", "Sites: kept, closed and new", cols, tuple(rows))


def _group_weighted(values: np.ndarray, weights: np.ndarray, keys: np.ndarray, n: int) -> np.ndarray:
    total = np.bincount(keys, weights=weights * values, minlength=n)
    w = np.bincount(keys, weights=weights, minlength=n)
    return np.divide(total, w, out=np.zeros(n), where=w > 0)


def staff_grid_table(result: ScenarioResult) -> Table:
    """Staff groups aggregated to :data:`GRID_DEG` cells (no home coordinates)."""
    org, g, gb = result.organisation, result.footprint.groups, result.baseline.groups
    lat0 = np.floor(np.asarray(org.staff.home_lat) / GRID_DEG) * GRID_DEG
    lon0 = np.floor(np.asarray(org.staff.home_lon) / GRID_DEG) * GRID_DEG
    cells, key = np.unique(np.stack([lat0, lon0], axis=1), axis=0, return_inverse=True)
    key = key.reshape(-1)
    n = len(cells)
    count = np.bincount(key, weights=g.count, minlength=n)
    small = count < MIN_CELL_STAFF
    if small.any():  # pool small cells into one extra "cell"
        key = np.where(small[key], n, key)
        n += 1
    commuting = (g.site >= 0).astype(float)
    w = g.count
    staff = np.bincount(key, weights=w, minlength=n)
    remote = np.bincount(key, weights=w * (1 - commuting), minlength=n)
    now = _group_weighted(gb.distance_km, w * (gb.site >= 0), key, n)
    new = _group_weighted(g.distance_km, w * commuting, key, n)
    mins = _group_weighted(g.minutes, w * commuting, key, n)
    commute = np.bincount(key, weights=g.commute_kg, minlength=n) / 1000.0
    home = np.bincount(key, weights=g.homeworking_kg, minlength=n) / 1000.0
    rows = []
    for k in range(n):
        if staff[k] == 0:
            continue
        if k < len(cells):
            cell = (f"{cells[k, 0]:.2f}, {cells[k, 1]:.2f}", float(cells[k, 0]), float(cells[k, 1]))
        else:
            cell = (f"pooled cells of < {MIN_CELL_STAFF} staff", None, None)
        rows.append((*cell, float(staff[k]), float(remote[k]), float(now[k]), float(new[k]), float(mins[k]),
                     float(commute[k]), float(home[k])))
    cols = (_txt("Cell", 26), Column("Cell south edge", "° lat", "num", 12),
            Column("Cell west edge", "° lon", "num", 12), Column("Staff", "people", "int"),
            Column("Remote", "people", "int"), Column("Mean commute today", "km", "num"),
            Column("Mean commute in scenario", "km", "num"), Column("Mean commute time in scenario", "min", "num"),
            Column("Commuting", T), Column("Homeworking", T))
    return Table("staff_by_area", f"Staff by home area ({GRID_DEG:g}° grid cells)", cols, tuple(rows),
                 f"Home locations are aggregated to {GRID_DEG:g}° cells; cells of fewer than "
                 f"{MIN_CELL_STAFF} staff are pooled. Commutes are one way.")


def staff_moves_table(result: ScenarioResult) -> Table:
    """Staff by current office and assigned hub (office moves), with mean commutes."""
    org, g, gb = result.organisation, result.footprint.groups, result.baseline.groups
    ids = org.sites.site_id
    m = len(ids)
    pair = org.group_site * (m + 1) + np.where(g.site >= 0, g.site, m)
    uniq, key = np.unique(pair, return_inverse=True)
    key = key.reshape(-1)
    n = len(uniq)
    w = g.count
    staff = np.bincount(key, weights=w, minlength=n)
    now = _group_weighted(gb.distance_km, w, key, n)
    new = _group_weighted(g.distance_km, w, key, n)
    rows = []
    for k, p in enumerate(uniq):
        cur, dest = divmod(int(p), m + 1)
        rows.append((ids[cur], org.sites.name[cur], ids[dest] if dest < m else "remote",
                     org.sites.name[dest] if dest < m else "remote worker", float(staff[k]), float(now[k]),
                     float(new[k])))
    cols = (_txt("Current office", 12), _txt("Current office name", 22), _txt("Hub", 10), _txt("Hub name", 22),
            Column("Staff", "people", "int"), Column("Mean commute today", "km", "num"),
            Column("Mean commute in scenario", "km", "num"))
    return Table("staff_moves", "Staff by current office and hub", cols, tuple(rows))


def staff_groups_table(result: ScenarioResult) -> Table:
    """Every staff group with its home coordinates. Only on the user's explicit request."""
    org, g = result.organisation, result.footprint.groups
    ids = org.sites.site_id
    rows = []
    for i in range(len(g.count)):
        rows.append((i + 1, float(org.staff.home_lat[i]), float(org.staff.home_lon[i]), org.staff.current_site_id[i],
                     org.staff.mode[i], float(g.count[i]), ids[g.site[i]] if g.site[i] >= 0 else "remote",
                     float(g.current_distance_km[i]), float(g.distance_km[i]), float(g.minutes[i]),
                     _t(g.commute_kg[i]), _t(g.homeworking_kg[i])))
    cols = (Column("Group", "", "int", 8), Column("Home latitude", "°", "fine", 12),
            Column("Home longitude", "°", "fine", 12), _txt("Current office", 12), _txt("Mode", 12),
            Column("Staff", "people", "int"), _txt("Assigned site", 12), Column("Commute today", "km", "num"),
            Column("Commute in scenario", "km", "num"), Column("Commute time", "min", "num"),
            Column("Commuting", T), Column("Homeworking", T))
    return Table("staff_groups", "Staff groups with home locations (exported on request)", cols, tuple(rows),
                 "Contains staff home locations: personal data. Share only as your data-protection policy allows.")


# --- inputs, policy, factors -------------------------------------------------------------
def inputs_table(result: ScenarioResult) -> Table:
    """What was run: scenario, organisation, plan, baseline and factor set."""
    sc, org, fp = result.scenario, result.organisation, result.footprint
    hubs = sc.hubs
    rows = [
        ("Scenario", sc.name), ("Description", sc.description), ("Baseline", result.baseline_name),
        ("Organisation", org.name), ("Data source", org.source or "user files"),
        ("Sites", str(len(org.sites))), ("Staff", f"{org.staff.total:,.0f}"),
        ("Staff groups", str(len(org.staff))), ("Plan", result.plan.label),
        ("Hub selection", hubs.selection), ("Hub count", str(hubs.count)), ("Assignment", hubs.assignment),
        ("Factor set", f"{fp.factor_set_name} [{fp.factor_set_id}]"),
        ("Baseline factor set", f"{result.baseline.factor_set_name} [{result.baseline.factor_set_id}]"),
    ]
    if result.baseline_factor_note:
        rows.append(("Baseline factors", result.baseline_factor_note))
    rows += [("Note", n) for n in fp.notes]
    return Table("inputs", "Inputs", (_txt("Item", 22), _txt("Value", 80)), tuple(rows))


def _policy_value(value: Any) -> Any:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def policy_table(result: ScenarioResult) -> Table:
    """The scenario's policy levers with their units and meaning."""
    pol = result.scenario.policy
    rows = [(name, _policy_value(getattr(pol, name)), f.metadata["unit"], f.metadata["help"])
            for name, f in POLICY_FIELDS.items()]
    cols = (_txt("Lever", 30), Column("Value", "", "fine", 14), _txt("Unit", 18), _txt("Meaning", 70))
    return Table("policy", "Policy (scenario levers)", cols, tuple(rows))


def factors_used(result: ScenarioResult) -> list[Factor]:
    """Every factor applied in the scenario or its baseline, without repeats, by key."""
    seen: dict[tuple, Factor] = {}
    for f in (*result.footprint.factors_used, *result.baseline.factors_used):
        seen.setdefault((f.key, f.set_id, f.value, f.year, f.source), f)
    return sorted(seen.values(), key=lambda f: (f.key, f.set_id))


def factor_table(factors: list[Factor]) -> Table:
    """Factors with value, unit, year, source and confidence."""
    rows = [(f.key, f.value, f.unit, f.year, f.set_id, f.confidence, f.low, f.high, f.source, f.note,
             "FALLBACK" if f.fallback else "")
            for f in factors]
    cols = (_txt("Factor", 22), Column("Value", "", "fine", 12), _txt("Unit", 26), Column("Year", "", "text", 8),
            _txt("Set", 12), _txt("Confidence", 10), Column("Low", "", "fine", 10), Column("High", "", "fine", 10),
            _txt("Source", 80), _txt("Note", 60), _txt("Fallback", 10))
    return Table("factors", "Emission factors used (with sources)", cols, tuple(rows),
                 "Confidence: P primary, S secondary, D derived, A assumption. FALLBACK: a stand-in value "
                 "where no better source was found (the notes say where it was used).")


# --- comparison -------------------------------------------------------------------------
def comparison_table(results: list[ScenarioResult]) -> Table:
    """Scenarios side by side (the rows of :func:`footprint.scenario.compare.comparison_rows`)."""
    names = unique_names(results)
    rows = tuple((label, unit, *values) for label, unit, values in comparison_rows(results))
    cols = (_txt("Metric", 40), _txt("Unit", 10), *(Column(n, "", "num", 18) for n in names))
    return Table("comparison", "Scenarios side by side", cols, rows)


@dataclass(frozen=True)
class _Footprinted:
    footprint: Footprint


def baseline_comparison_table(result: ScenarioResult) -> Table:
    """The comparison metrics of the baseline and the scenario, with the change."""
    rows = comparison_rows([_Footprinted(result.baseline), _Footprinted(result.footprint)])  # type: ignore[list-item]
    cols = (_txt("Metric", 40), _txt("Unit", 10), Column("Baseline", "", "num", 16),
            Column("Scenario", "", "num", 16), Column("Change", "", "num", 16))
    return Table("comparison", "Baseline and scenario side by side", cols,
                 tuple((label, unit, b, s, s - b) for label, unit, (b, s) in rows))


def comparison_lines_table(results: list[ScenarioResult]) -> Table:
    """Every emission line of every scenario, zero lines kept. [t CO2e/yr]"""
    keys = _line_keys(*(r.footprint for r in results))
    rows = []
    for key in keys:
        vals = []
        for r in results:
            ln = next((x for x in r.footprint.lines if (x.scope, x.category, x.item) == key), None)
            vals.append(_t(ln.kgco2e) if ln else 0.0)
        rows.append((key[1], key[2], *vals))
    cols = (_txt("Category", 36), _txt("Item", 30), *(Column(n, T, "num", 18) for n in unique_names(results)))
    return Table("comparison_lines", "Emission lines by scenario", cols, tuple(rows))


def comparison_info_table(results: list[ScenarioResult]) -> Table:
    """Each scenario's plan, baseline and change against its own baseline."""
    rows = []
    for name, r in zip(unique_names(results), results, strict=True):
        h = headline(r)
        rows.append((name, r.scenario.description, r.plan.label, r.baseline_name, h.baseline_tco2e, h.scenario_tco2e,
                     h.change_tco2e, h.change_percent, r.footprint.factor_set_id))
    cols = (_txt("Scenario", 24), _txt("Description", 50), _txt("Plan", 30), _txt("Baseline", 24),
            Column("Baseline", T), Column("Scenario", T), Column("Change", T), Column("Change", "%", "pct", 10),
            _txt("Factor set", 12))
    return Table("scenarios", "Scenarios", cols, tuple(rows))


def unique_names(results: list[ScenarioResult]) -> list[str]:
    """Scenario names, numbered where two are the same."""
    names = [r.scenario.name for r in results]
    return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


def attribution_table(decision: Any) -> Table:
    """What drives the change: each lever's exact Shapley share, then the total."""
    att = decision.attribution
    rows = [(name, t, None if share is None else 100.0 * share, detail) for name, t, share, detail in att.rows()]
    cols = (_txt("Effect", 40), Column("Change", T), Column("Share of the change", "%", "pct", 12),
            _txt("What it changes, baseline → scenario", 60))
    return Table("attribution", "What drives the change", cols, tuple(rows), note=att.method)


def cost_table(decision: Any) -> Table:
    """Annual cost of baseline and scenario, one-off cost of the move, payback, NPV, embodied carbon."""
    a = decision.appraisal
    g = "GBP/yr"
    rows: list[tuple[Any, ...]] = [
        (label, g, b, s, s - b) for (label, b), (_l, s) in zip(a.baseline.items(), a.scenario.items(), strict=True)
    ]
    rows += [(label, "GBP", None, v, None) for label, v in a.move.items()]
    rows += [
        ("Annual saving to the organisation", g, None, a.annual_saving_gbp, None),
        ("Simple payback", "yr", None, a.payback_years, None),
        (f"NPV over {a.years:.0f} years at {100 * a.rate:.1f} %", "GBP", None, a.npv_gbp, None),
        ("Emissions avoided", T, None, a.avoided_tco2e, None),
        ("Cost per tonne avoided", "GBP/t CO2e", None, a.cost_per_tco2e_gbp, None),
        ("Embodied carbon of the fit-out (one-off, Scope 3 cat. 2)", "t CO2e", None, a.embodied_tco2e, None),
        ("Carbon payback", "yr", None, a.carbon_payback_years, None),
        ("Target footprint", T, None, decision.target.target_tco2e, None),
        ("Gap to the target (> 0: still to cut)", T, None, decision.target.gap_tco2e, None),
    ]
    cols = (_txt("Item", 44), _txt("Unit", 12), Column("Baseline", kind="int"), Column("Scenario", kind="int"),
            Column("Change", kind="int"))
    return Table("costs", "Cost, payback and embodied carbon", cols, tuple(rows),
                 note="Commuting is paid by staff and is not in the organisation's total. " + decision.target.sentence())


def cost_assumptions_table(decision: Any) -> Table:
    """Every cost and embodied-carbon default with its unit, currency, year, source and confidence."""
    d = decision.appraisal.defaults
    rows = [(("embodied." if v in d.embodied.values() else "") + v.key, v.value, v.unit, v.currency, v.year,
             v.confidence, v.lo, v.hi, v.source) for v in d.rows()]
    cols = (_txt("Key", 26), Column("Value", kind="fine"), _txt("Unit", 16), _txt("Currency", 8),
            Column("Year", kind="int", width=6), _txt("Confidence", 6), Column("Low", kind="fine"),
            Column("High", kind="fine"), _txt("Source", 80))
    return Table("cost_assumptions", "Cost and embodied-carbon assumptions", cols, tuple(rows),
                 note=f"From {d.path}. Confidence: P primary, S second-hand, D derived, A assumption. "
                 "Site data (annual_cost_per_m2) replace rent, rates and service charge where given.")


def decision_tables(result: ScenarioResult) -> list[Table]:
    """Attribution, cost and cost-assumption tables ([] when the baseline cannot be reproduced)."""
    from footprint.decisions.decision import decision_or_none

    decision = decision_or_none(result)
    if decision is None:
        return []
    return [attribution_table(decision), cost_table(decision), cost_assumptions_table(decision)]


def scenario_tables(result: ScenarioResult, *, include_home_locations: bool = False) -> list[Table]:
    """All tables of a scenario report, in sheet order."""
    tables = [inputs_table(result), policy_table(result), factor_table(factors_used(result)),
              scope_table(result), category_table(result), *decision_tables(result), uncertainty_table(result),
              lines_table(result),
              lines_table(result, CAT_BUSINESS_TRAVEL), hub_table(result), sites_table(result),
              staff_moves_table(result), staff_grid_table(result), commute_table(result),
              distribution_table(result), baseline_comparison_table(result)]
    if include_home_locations:
        tables.append(staff_groups_table(result))
    return tables
