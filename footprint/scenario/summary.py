"""Plain-text and JSON summaries of a scenario result (for the CLI and for machines)."""

from __future__ import annotations

from typing import Any

from footprint.accounting import CATEGORIES, Footprint
from footprint.accounting.uncertainty import footprint_uncertainty
from footprint.scenario.files import scenario_to_dict
from footprint.scenario.run import ScenarioResult


def _t(kg: float) -> float:
    return kg / 1000.0


def footprint_to_dict(fp: Footprint) -> dict[str, Any]:
    """A footprint as JSON-ready data; emissions in t CO2e/yr."""
    c = fp.commute
    return {
        "total_tco2e": _t(fp.total_kgco2e),
        "by_scope_tco2e": {k: _t(v) for k, v in fp.by_scope().items()},
        "by_category_tco2e": {k: _t(v) for k, v in fp.by_category().items()},
        "scope2": {"total_uses": f"{fp.scope2_basis}-based", "location_based_tco2e": _t(fp.scope2_location_kgco2e),
                   "market_based_tco2e": _t(fp.scope2_market_kgco2e)},
        "lines": [
            {"scope": ln.scope, "category": ln.category, "item": ln.item, "tco2e": _t(ln.kgco2e),
             "activity": ln.activity, "activity_unit": ln.activity_unit, "factors": list(ln.factor_keys)}
            for ln in fp.lines
        ],
        "commute": {
            "mean_km": c.mean_km, "median_km": c.median_km, "p90_km": c.p90_km,
            "mean_min": c.mean_min, "median_min": c.median_min, "p90_min": c.p90_min,
            "staff_commuting": c.staff_commuting, "staff_remote": c.staff_remote,
            "staff_over_limit": c.staff_over_limit, "limit": c.limit_label,
            "staff_longer": c.staff_longer, "staff_shorter": c.staff_shorter,
            "staff_unchanged": c.staff_unchanged, "mean_change_km": c.mean_change_km,
        },
        "sites_open": int(fp.sites.open.sum()),
        "floor_area_m2": fp.floor_area_m2,
        "desks": float(fp.sites.desks[fp.sites.open].sum()),
        "in_person_trips": fp.in_person_trips,
        "video_meetings": fp.video_meetings,
        "video_avoided_tco2e": _t(fp.video_avoided_kgco2e),
        "memo_lines": [
            {"category": ln.category, "item": ln.item, "tco2e": _t(ln.kgco2e), "activity": ln.activity,
             "activity_unit": ln.activity_unit, "factors": list(ln.factor_keys), "in_total": False}
            for ln in fp.memo_lines
        ],
        "factor_set": {"id": fp.factor_set_id, "name": fp.factor_set_name, "year": fp.factor_set_year},
        "factors": [
            {"key": f.key, "value": f.value, "unit": f.unit, "year": f.year, "source": f.source,
             "set": f.set_id, "confidence": f.confidence}
            for f in fp.factors_used
        ],
        "notes": list(fp.notes),
    }


def result_to_dict(result: ScenarioResult) -> dict[str, Any]:
    """A scenario result as JSON-ready data."""
    fp, base = result.footprint, result.baseline
    out = {
        "scenario": scenario_to_dict(result.scenario),
        "organisation": {"name": result.organisation.name, "sites": len(result.organisation.sites),
                         "staff": result.organisation.staff.total, "source": result.organisation.source},
        "plan": result.plan.label,
        "footprint": footprint_to_dict(fp),
        "baseline": {"name": result.baseline_name, **footprint_to_dict(base)},
        "change": {
            "total_tco2e": _t(fp.total_kgco2e - base.total_kgco2e),
            "total_percent": 100.0 * (fp.total_kgco2e / base.total_kgco2e - 1.0) if base.total_kgco2e else None,
            "by_category_tco2e": {k: _t(fp.by_category()[k] - base.by_category()[k]) for k in CATEGORIES},
            "mean_commute_km": fp.commute.mean_km - base.commute.mean_km,
            "floor_area_m2": fp.floor_area_m2 - base.floor_area_m2,
            "factor_effect_tco2e": _t(result.factor_effect_kgco2e),
            "plan_and_policy_effect_tco2e": _t(fp.total_kgco2e - base.total_kgco2e - result.factor_effect_kgco2e),
        },
        "baseline_factor_note": result.baseline_factor_note,
    }
    u = footprint_uncertainty(fp, None if fp is base else base)
    out["uncertainty"] = {
        "method": u.method, "n_draws": u.n_draws, "seed": u.seed,
        "total_tco2e": {"p05": u.total.p05, "p50": u.total.p50, "p95": u.total.p95},
        "change_tco2e": None if u.change is None else {"p05": u.change.p05, "p50": u.change.p50,
                                                       "p95": u.change.p95},
    }
    if result.optimisation is not None and hasattr(result.optimisation, "to_dict"):
        out["optimisation"] = result.optimisation.to_dict()
    out.update(_decision_dict(result))
    return out


def _decision_dict(result: ScenarioResult) -> dict[str, Any]:
    """Attribution, cost and target keys ({"decision_error": …} when they cannot be computed)."""
    from footprint.decisions import AttributionError, decide

    try:
        return decide(result).to_dict()
    except AttributionError as exc:
        return {"decision_error": str(exc)}


def format_summary(result: ScenarioResult) -> str:
    """A readable multi-line summary: totals by scope and category, commute, change."""
    fp, base = result.footprint, result.baseline
    same = fp is base
    lines = [
        f"Scenario: {result.scenario.name}",
        f"Organisation: {result.organisation.name} — {len(result.organisation.sites)} sites, "
        f"{result.organisation.staff.total:,.0f} staff",
        f"Plan: {result.plan.label} ({int(fp.sites.open.sum())} sites open)",
        f"Factors: {fp.factor_set_name} [{fp.factor_set_id}]",
        "",
        f"{'Annual footprint (t CO2e)':<48}{'scenario':>12}" + ("" if same else f"{'baseline':>12}{'change':>12}"),
    ]

    def row(label: str, a: float, b: float) -> str:
        text = f"  {label:<46}{_t(a):>12,.1f}"
        return text if same else text + f"{_t(b):>12,.1f}{_t(a - b):>+12,.1f}"

    for scope, kg in fp.by_scope().items():
        lines.append(row(scope, kg, base.by_scope()[scope]))
    lines.append("  by category:")
    for cat, kg in fp.by_category().items():
        lines.append(row(cat, kg, base.by_category()[cat]))
    lines.append(row("TOTAL", fp.total_kgco2e, base.total_kgco2e))
    lines.append(f"  Scope 2 dual reporting (the total uses {fp.scope2_basis}-based):")
    lines.append(row("Scope 2, location-based", fp.scope2_location_kgco2e, base.scope2_location_kgco2e))
    lines.append(row("Scope 2, market-based", fp.scope2_market_kgco2e, base.scope2_market_kgco2e))
    if not same and base.total_kgco2e:
        lines.append(f"  change against baseline ({result.baseline_name}): "
                     f"{100 * (fp.total_kgco2e / base.total_kgco2e - 1):+.1f} %")
    if result.factor_effect_kgco2e:
        lines.append(f"  of which factor-set change alone ({base.factor_set_id} → {fp.factor_set_id}): "
                     f"{_t(result.factor_effect_kgco2e):+,.1f} t CO2e; plan and policy: "
                     f"{_t(fp.total_kgco2e - base.total_kgco2e - result.factor_effect_kgco2e):+,.1f} t CO2e")
    if result.baseline_factor_note:
        lines.append(f"  {result.baseline_factor_note}")
    u = footprint_uncertainty(fp, None if same else base)
    lines.append(f"  90 % interval of the total: {u.total.p05:,.0f} to {u.total.p95:,.0f} t CO2e"
                 + ("" if u.change is None else
                    f"; of the change: {u.change.p05:+,.0f} to {u.change.p95:+,.0f} t CO2e")
                 + " (Monte Carlo on factors and activity data)")
    c, cb = fp.commute, base.commute
    lines += [
        "",
        "One-way commute (staff who commute)",
        f"  mean {c.mean_km:.1f} km / {c.mean_min:.0f} min, median {c.median_km:.1f} km / {c.median_min:.0f} min, "
        f"90th percentile {c.p90_km:.1f} km / {c.p90_min:.0f} min",
        f"  over {c.limit_label}: {c.staff_over_limit:,.0f} staff; remote workers: {c.staff_remote:,.0f}",
    ]
    if not same:
        lines += [
            f"  baseline mean {cb.mean_km:.1f} km / {cb.mean_min:.0f} min; "
            f"longer commute: {c.staff_longer:,.0f} staff, shorter: {c.staff_shorter:,.0f}, "
            f"unchanged (±1 km): {c.staff_unchanged:,.0f}",
            f"  floor area {fp.floor_area_m2:,.0f} m² (baseline {base.floor_area_m2:,.0f} m², "
            f"{fp.floor_area_m2 - base.floor_area_m2:+,.0f} m²)",
        ]
    lines.append(f"Video meetings: {fp.video_meetings:,.0f} a year in place of trips, saving "
                 f"{_t(fp.video_avoided_kgco2e):,.1f} t CO2e net")
    for ln in fp.memo_lines:
        lines.append(f"  memo (outside the total): {ln.item} {_t(ln.kgco2e):,.1f} t CO2e "
                     f"({ln.activity:,.0f} {ln.activity_unit})")
    lines += _decision_lines(result)
    if result.optimisation is not None and hasattr(result.optimisation, "summary"):
        lines += ["", result.optimisation.summary()]
    for note in fp.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def _decision_lines(result: ScenarioResult) -> list[str]:
    from footprint.decisions import AttributionError, decide
    from footprint.decisions.report import decision_lines

    try:
        return ["", *decision_lines(decide(result))]
    except AttributionError as exc:
        return ["", f"What drives the change: not available ({exc})"]
