"""Side-by-side comparison of scenario results."""

from __future__ import annotations

from footprint.accounting import CATEGORIES
from footprint.scenario.run import ScenarioResult


def comparison_rows(results: list[ScenarioResult]) -> list[tuple[str, str, list[float]]]:
    """Rows ``(label, unit, values per scenario)`` of a comparison table."""
    fps = [r.footprint for r in results]
    rows: list[tuple[str, str, list[float]]] = [
        ("Total", "t CO2e/yr", [f.total_kgco2e / 1000 for f in fps]),
    ]
    for scope in ("Scope 1", "Scope 2", "Scope 3"):
        rows.append((scope, "t CO2e/yr", [f.by_scope()[scope] / 1000 for f in fps]))
    for cat in CATEGORIES:
        rows.append((cat, "t CO2e/yr", [f.by_category()[cat] / 1000 for f in fps]))
    rows += [
        ("Sites open", "sites", [float(f.sites.open.sum()) for f in fps]),
        ("Floor area", "m²", [f.floor_area_m2 for f in fps]),
        ("Mean one-way commute", "km", [f.commute.mean_km for f in fps]),
        ("Median one-way commute", "km", [f.commute.median_km for f in fps]),
        ("90th percentile commute", "km", [f.commute.p90_km for f in fps]),
        ("Mean one-way commute time", "min", [f.commute.mean_min for f in fps]),
        ("Staff over the commute limit", "people", [f.commute.staff_over_limit for f in fps]),
        ("Remote workers", "people", [f.commute.staff_remote for f in fps]),
        ("Video meetings in place of trips", "per yr", [f.video_meetings for f in fps]),
    ]
    return rows


def format_comparison(results: list[ScenarioResult]) -> str:
    """A plain-text comparison table."""
    names = [r.scenario.name for r in results]
    width = max(14, *(min(len(n), 24) + 2 for n in names))
    head = f"{'':<46}{'unit':<11}" + "".join(f"{n[:24]:>{width}}" for n in names)
    out = [head, "-" * len(head)]
    for label, unit, values in comparison_rows(results):
        out.append(f"{label:<46}{unit:<11}" + "".join(f"{v:>{width},.1f}" for v in values))
    return "\n".join(out)
