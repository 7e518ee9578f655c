"""The decision in words and tables: shared by the CLI summary, the PDF, the XLSX and the app."""

from __future__ import annotations

from footprint.decisions.decision import Decision


def gbp(value: float | None, digits: int = 0) -> str:
    """Money in words: £1.2m, £340k, £95 (None → "n/a")."""
    if value is None:
        return "n/a"
    sign = "−" if value < 0 else ""
    v = abs(value)
    if v >= 1e9:
        return f"{sign}£{v / 1e9:,.2f}bn"
    if v >= 1e6:
        return f"{sign}£{v / 1e6:,.1f}m"
    if v >= 1e4:
        return f"{sign}£{v / 1e3:,.0f}k"
    return f"{sign}£{v:,.{digits}f}"


def years(value: float | None) -> str:
    """Years in words ("never" for None)."""
    return "never (no saving)" if value is None else f"{value:,.1f} years"


def payback_sentence(decision: Decision) -> str:
    """One line: saving a year, one-off cost, payback, carbon payback."""
    a = decision.appraisal
    return (
        f"Saves {gbp(a.annual_saving_gbp)} a year for {gbp(a.move.total)} once: pays back in "
        f"{years(a.payback_years)}; NPV over {a.years:.0f} years at {100 * a.rate:.1f} % {gbp(a.npv_gbp)}. "
        f"Embodied carbon of the fit-out {a.embodied_tco2e:,.0f} t CO2e, repaid by the annual saving in "
        f"{years(a.carbon_payback_years)}."
    )


def attribution_rows(decision: Decision) -> list[list[str]]:
    """[effect, t CO2e/yr, share, what it changes] as text, with the total."""
    return [
        [name, f"{t:+,.0f}", "" if share is None else f"{100 * share:+.0f} %", detail]
        for name, t, share, detail in decision.attribution.rows()
    ]


def decision_lines(decision: Decision) -> list[str]:
    """Plain-text lines for the CLI summary."""
    att, a = decision.attribution, decision.appraisal
    lines = ["What drives the change (exact Shapley attribution, t CO2e/yr)"]
    for name, t, share, detail in att.rows():
        share_text = "" if share is None else f"{100 * share:>+7.0f} %"
        lines.append(
            f"  {name:<46}{t:>+12,.1f}{share_text:>10}"
            + (f"  {detail}" if detail else "")
        )
    b, s = a.baseline, a.scenario
    lines += [
        "",
        f"Cost a year (GBP, {a.defaults.price_year} prices){'':<10}{'scenario':>14}{'baseline':>14}{'change':>14}",
    ]
    for label, base_v, scen_v in (
        ("Estate (rent, rates, service charge)", b.estate, s.estate),
        ("Energy", b.energy, s.energy),
        ("Business travel and hotels", b.business_travel, s.business_travel),
        ("Total to the organisation", b.organisation_total, s.organisation_total),
        ("Commuting, paid by staff", b.commuting_staff, s.commuting_staff),
    ):
        lines.append(
            f"  {label:<46}{scen_v:>14,.0f}{base_v:>14,.0f}{scen_v - base_v:>+14,.0f}"
        )
    m = a.move
    lines += [
        f"  one-off: fit-out {gbp(m.fit_out_cat_a + m.fit_out_cat_b)} ({m.new_area_m2:,.0f} m² new, "
        f"{m.refit_area_m2:,.0f} m² refitted), dilapidations {gbp(m.dilapidations)} ({m.vacated_area_m2:,.0f} m² "
        f"vacated), relocation {gbp(m.relocation)} ({m.people_moved:,.0f} people): {gbp(m.total)}",
        f"  {payback_sentence(decision)}",
        f"  cost per tonne avoided: {gbp(a.cost_per_tco2e_gbp)} per t CO2e"
        + (
            " (negative: it saves money too)"
            if a.cost_per_tco2e_gbp is not None and a.cost_per_tco2e_gbp < 0
            else ""
        ),
        f"  embodied carbon range {m.embodied_lo_kgco2e / 1000:,.0f} to {m.embodied_hi_kgco2e / 1000:,.0f} t CO2e "
        "(Scope 3 cat. 2, one-off; not in the annual footprint)" + _payback_interval(a),
        decision.target.sentence(),
    ]
    if decision.budget_gbp is not None:
        lines.append(decision.budget_sentence())
    return lines


def _payback_interval(a) -> str:  # noqa: ANN001 - an Appraisal
    p = a.carbon_payback_interval_years
    if p is None:
        return ""
    hi = "never" if p[2] == float("inf") else f"{p[2]:,.1f}"
    return (
        f"; 90 % interval of the carbon payback {p[0]:,.1f} to {hi} years (Monte Carlo)"
    )
