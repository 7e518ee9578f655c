"""PDF reports (fpdf2) of one scenario against its baseline, and of several scenarios.

The DejaVu Sans fonts shipped in ``fonts/`` (Bitstream Vera licence, see
``fonts/LICENSE-DejaVu.txt``) are embedded, so "CO₂e", "m²" and the formulas'
symbols render on any reader. Emissions are shown in t CO₂e/yr with 1 decimal.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos

from footprint.accounting.result import CAT_BUSINESS_TRAVEL
from footprint.reports import charts, methodology
from footprint.reports import tables as tb
from footprint.scenario.run import ScenarioResult

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
INK, MUTED, ACCENT, RULE, ZEBRA = (33, 33, 33), (100, 100, 100), (0, 114, 178), (200, 200, 200), (243, 246, 250)
TCO2E = "t CO₂e/yr"


def pretty(text: str) -> str:
    """Units for print: ``CO2e`` → ``CO₂e``, ``m2`` → ``m²``."""
    return re.sub(r"\bm2\b", "m²", text.replace("CO2e", "CO₂e"))


def fmt_value(value: Any, kind: str, signed: bool = False) -> str:
    """A table value as text: 1 decimal for emissions, none for counts, ``–`` for missing."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    sign = "+" if signed else ""
    if kind in ("num", "int", "pct"):
        value = round(float(value), 0 if kind == "int" else 1) + 0.0  # no "-0.0"
    if kind == "int":
        return f"{value:{sign},.0f}"
    if kind == "pct":
        return f"{value:{sign}.1f} %"
    if kind == "fine":
        return f"{value:g}" if not isinstance(value, int) else str(value)
    if kind == "text":
        return str(value)
    return f"{value:{sign},.1f}"


class ReportPDF(FPDF):
    """An A4 report with the embedded fonts, a running header and page numbers."""

    def __init__(self, title: str, orientation: str = "P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.report_title = title
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_title(title)
        self.set_creator("Footprint")
        self.set_font(FONT, "", 10)
        self.set_text_color(*INK)

    # --- page furniture ---------------------------------------------------------------
    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.report_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    @property
    def body_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    # --- text -------------------------------------------------------------------------
    def h1(self, text: str, new_page: bool = True) -> None:
        if new_page:
            self.add_page()
        self.start_section(text)
        self.set_font(FONT, "B", 15)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(2)

    def h2(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", 11)
        self.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: float = 9.5, style: str = "", indent: float = 0.0) -> None:
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.body_width - indent, size * 0.5, text, align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(1.2)

    def bullets(self, items: Sequence[str], size: float = 9.0) -> None:
        for item in items:
            self.set_font(FONT, "", size)
            self.set_x(self.l_margin + 2)
            self.cell(4, size * 0.5, "•")
            self.multi_cell(self.body_width - 6, size * 0.5, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.6)

    def formula(self, text: str) -> None:
        self.set_fill_color(*ZEBRA)
        self.set_font(FONT, "", 9)
        self.set_x(self.l_margin + 4)
        self.multi_cell(self.body_width - 8, 6, text.strip(), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def png(self, data: bytes, width: float, caption: str = "") -> None:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            height = width * im.height / im.width
        if self.get_y() + height + 8 > self.h - self.b_margin:
            self.add_page()
        self.image(io.BytesIO(data), x=self.l_margin + (self.body_width - width) / 2, w=width)
        if caption:
            self.set_font(FONT, "I", 8)
            self.set_text_color(*MUTED)
            self.multi_cell(0, 4, caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
        self.ln(3)

    # --- tables -----------------------------------------------------------------------
    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             align: Sequence[str], size: float = 7.5, bold_last: bool = False) -> None:
        """A table with a bold repeated header row and zebra rows."""
        if self.get_y() > self.h - 45:
            self.add_page()
        self.set_font(FONT, "", size)
        self.set_draw_color(*RULE)
        with self.table(
            col_widths=tuple(widths), width=min(self.body_width, sum(widths)), text_align=tuple(align),
            headings_style=FontFace(emphasis="BOLD", fill_color=(225, 235, 245)),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES, cell_fill_color=ZEBRA,
            cell_fill_mode=TableCellFillMode.ROWS, line_height=size * 0.48, padding=(0.8, 1.2),
            align="LEFT", repeat_headings=1,
        ) as table:
            head = table.row()
            for h in headers:
                head.cell(pretty(h), align="CENTER")
            for k, row in enumerate(rows):
                style = FontFace(emphasis="BOLD") if bold_last and k == len(rows) - 1 else None
                r = table.row()
                for value in row:
                    r.cell(value, style=style)
        self.ln(3)

    def data_table(self, table: tb.Table, columns: Sequence[str] | None = None, widths: Sequence[float] = (),
                   size: float = 7.5, signed: Sequence[str] = (), bold_last: bool = False,
                   row_filter: Callable[[tuple], bool] | None = None) -> None:
        """Render some columns of a shared :class:`~footprint.reports.tables.Table`."""
        idx = list(range(len(table.columns))) if columns is None else [
            next(k for k, c in enumerate(table.columns) if c.header == name or c.label == name) for name in columns]
        cols = [table.columns[k] for k in idx]
        rows = [r for r in table.rows if row_filter is None or row_filter(r)]
        text = [[fmt_value(r[k], c.kind, signed=(c.header in signed)) for k, c in zip(idx, cols, strict=True)]
                for r in rows]
        w = list(widths) if widths else [max(12.0, c.width) for c in cols]
        scale = self.body_width / sum(w) if sum(w) > self.body_width else 1.0
        align = ["LEFT" if c.kind == "text" else "RIGHT" for c in cols]
        self.grid([c.header for c in cols], text, [x * scale for x in w], align, size, bold_last)


# --- scenario report ----------------------------------------------------------------------
def _cover(pdf: ReportPDF, result: ScenarioResult, h: tb.Headline) -> None:
    pdf.add_page()
    pdf.set_y(40)
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, "Workplace footprint report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(0, 11, result.scenario.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.ln(2)
    if result.scenario.description:
        pdf.para(result.scenario.description, size=11)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 30)
    pdf.cell(0, 14, f"{h.scenario_tco2e:,.1f} {TCO2E}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 12)
    change = f"{h.change_tco2e:+,.1f} {TCO2E}"
    if h.change_percent is not None:
        change += f" ({h.change_percent:+.1f} %)"
    pdf.multi_cell(0, 7, f"against {h.baseline_tco2e:,.1f} {TCO2E} for the baseline: {change}",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    org, fp = result.organisation, result.footprint
    facts = [
        ("Organisation", f"{org.name}: {len(org.sites)} sites, {org.staff.total:,.0f} staff"),
        ("Baseline", result.baseline_name),
        ("Plan", result.plan.label),
        ("Emission factors", f"{fp.factor_set_name} [{fp.factor_set_id}]"),
        ("Generated", f"{date.today().isoformat()} by Footprint"),
    ]
    for k, v in facts:
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(38, 6, k)
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(0, 6, v, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _summary_rows(h: tb.Headline) -> tuple[list[str], list[list[str]]]:
    def t(label: str, b: float, s: float) -> list[str]:
        pct = f"{100 * (s / b - 1):+.1f} %" if b else "–"
        return [label, TCO2E, f"{b:,.1f}", f"{s:,.1f}", f"{s - b:+,.1f}", pct]

    rows = [t("Total", h.baseline_tco2e, h.scenario_tco2e)]
    rows += [t(sc, h.baseline_by_scope[sc], h.scenario_by_scope[sc]) for sc in tb.SCOPES]
    for basis, (b2, s2) in h.scope2_dual.items():
        rows.append(t(f"  Scope 2, {basis}-based" + (" (in the total)" if basis == h.scope2_basis else " (memo)"),
                      b2, s2))
    rows += [t(pretty(c), h.baseline_by_category[c], h.scenario_by_category[c]) for c in h.scenario_by_category]
    b, s = h.baseline_floor_area_m2, h.scenario_floor_area_m2
    rows += [
        ["Mean one-way commute", "km", f"{h.baseline_mean_commute_km:,.1f}", f"{h.scenario_mean_commute_km:,.1f}",
         f"{h.scenario_mean_commute_km - h.baseline_mean_commute_km:+,.1f}", "–"],
        ["Sites open", "sites", f"{h.sites_before:,}", f"{h.hubs_kept + h.hubs_new:,}",
         f"{h.hubs_kept + h.hubs_new - h.sites_before:+,}", "–"],
        ["Floor area", "m²", f"{b:,.0f}", f"{s:,.0f}", f"{s - b:+,.0f}", f"{100 * (s / b - 1):+.1f} %" if b else "–"],
    ]
    return ["", "Unit", "Baseline", "Scenario", "Change", "Change [%]"], rows


def _executive_summary(pdf: ReportPDF, result: ScenarioResult, h: tb.Headline) -> None:
    pdf.h1("Executive summary")
    direction = "falls" if h.change_tco2e < 0 else "rises"
    pct = f" ({h.change_percent:+.1f} %)" if h.change_percent is not None else ""
    pdf.para(
        f"The annual footprint {direction} from {h.baseline_tco2e:,.1f} to {h.scenario_tco2e:,.1f} {TCO2E}, a "
        f"change of {h.change_tco2e:+,.1f} {TCO2E}{pct}, against the baseline \u201c{h.baseline_name}\u201d."
    )
    pdf.para(
        f"Estate: {h.hubs_kept:,} offices kept as hubs, {h.hubs_new:,} new hub sites and {h.offices_closed:,} "
        f"offices closed (of {h.sites_before:,} open today). Floor area changes from "
        f"{h.baseline_floor_area_m2:,.0f} m² to {h.scenario_floor_area_m2:,.0f} m² "
        f"({h.scenario_floor_area_m2 - h.baseline_floor_area_m2:+,.0f} m²)."
    )
    pdf.para(
        f"Staff commute: the mean one-way commute goes from {h.baseline_mean_commute_km:,.1f} km to "
        f"{h.scenario_mean_commute_km:,.1f} km; {h.staff_longer:,.0f} staff commute further, "
        f"{h.staff_shorter:,.0f} less far and {h.staff_unchanged:,.0f} about the same (within 1 km); "
        f"{h.staff_remote:,.0f} work remotely."
    )
    headers, rows = _summary_rows(h)
    pdf.h2("Change by scope and category")
    pdf.grid(headers, rows, (70, 20, 24, 24, 24, 18), ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), 7.5)
    unc = tb.uncertainty_table(result)
    pdf.h2("How sure are we: 90 % interval")
    pdf.data_table(unc, widths=(50, 30, 30, 30, 30))
    pdf.para(pretty(unc.note), size=7.5, style="I")
    pdf.h2("Commute statistics (one way, staff who commute)")
    pdf.data_table(tb.commute_table(result), widths=(80, 20, 35, 35))
    if result.footprint.notes:
        pdf.h2("Notes")
        pdf.bullets([pretty(n) for n in result.footprint.notes])


def _decision_page(pdf: ReportPDF, result: ScenarioResult) -> None:
    """The executive page: carbon, cost, payback and what drives the change."""
    from footprint.decisions.decision import decision_or_none
    from footprint.decisions.report import attribution_rows, gbp, payback_sentence

    decision = decision_or_none(result)
    if decision is None:
        return
    a, att = decision.appraisal, decision.attribution
    pdf.h1("The decision: carbon, cost, payback")
    pdf.para(
        f"Carbon: {att.change_kgco2e / 1000:+,.0f} {TCO2E} against the baseline. Cost to the organisation: "
        f"{gbp(a.scenario.organisation_total)} a year against {gbp(a.baseline.organisation_total)} today "
        f"(estate, energy, business travel). " + pretty(payback_sentence(decision))
        + f" Cost per tonne avoided: {pretty(gbp(a.cost_per_tco2e_gbp))} per t CO2e. "
        f"Staff's own commuting cost changes by {gbp(a.scenario.commuting_staff - a.baseline.commuting_staff)} a "
        "year (paid by staff, not counted in the organisation's cost)."
    )
    pdf.para(pretty(decision.target.sentence()))
    if decision.budget_gbp is not None:
        pdf.para(pretty(decision.budget_sentence()))
    pdf.h2("What drives the change")
    pdf.png(charts.waterfall_chart(att), 170,
            f"From the baseline to the scenario, lever by lever [{TCO2E}]; exact Shapley values, which add up to the "
            "change and do not depend on the order of the levers. The axis does not start at zero.")
    pdf.grid(["Effect", "t CO2e/yr", "Share", "What it changes"], [[pretty(c) for c in r] for r in
                                                                    attribution_rows(decision)],
             (52, 20, 14, 94), ("LEFT", "RIGHT", "RIGHT", "LEFT"), 7)
    pdf.para(pretty(att.method), size=7.5, style="I")
    pdf.h2("Cost and payback")
    m = a.move
    rows = [[pretty(label), gbp(b), gbp(s), gbp(s - b)] for (label, b), (_l, s) in
            zip(a.baseline.items(), a.scenario.items(), strict=True) if b or s]
    pdf.grid(["Cost a year", "Baseline", "Scenario", "Change"], rows, (80, 33, 33, 33),
             ("LEFT", "RIGHT", "RIGHT", "RIGHT"), 7.5)
    pdf.para(
        f"One-off: fit-out {gbp(m.fit_out_cat_a + m.fit_out_cat_b)} ({m.new_area_m2:,.0f} m² new, "
        f"{m.refit_area_m2:,.0f} m² refitted), dilapidations {gbp(m.dilapidations)} ({m.vacated_area_m2:,.0f} m² "
        f"vacated), relocation {gbp(m.relocation)} ({m.people_moved:,.0f} people). Embodied carbon of the fit-out "
        f"{a.embodied_tco2e:,.0f} t CO2e (range {m.embodied_lo_kgco2e / 1000:,.0f} to {m.embodied_hi_kgco2e / 1000:,.0f};"
        " GHG Protocol Scope 3 cat. 2, one-off, not in the annual footprint). Costs from sourced defaults "
        f"({a.defaults.price_year} prices; every value, its source and confidence in the XLSX export) unless the "
        f"sites table gives a site's cost ({a.scenario.sites_with_data} of {a.scenario.sites_open} open sites).",
        size=8.5,
    )


def _charts(pdf: ReportPDF, result: ScenarioResult, sweep: Any) -> None:
    pdf.h1("Charts")
    pdf.png(charts.category_chart(result), 170, f"Footprint by category [{TCO2E}], baseline and scenario.")
    pdf.png(charts.commute_chart(result), 170, "Staff by one-way commute distance [km], baseline and scenario.")
    pdf.add_page()
    pdf.png(charts.hub_map(result), 150, "Hubs (marker area proportional to staff) and closed offices.")
    if sweep is not None and hasattr(sweep, "budget_gbp"):  # a carbon-price sweep (PriceFront)
        pdf.png(charts.price_front_chart(sweep), 170,
                f"Carbon–cost front of the carbon-price sweep: annual cost to the organisation against {TCO2E}; "
                "the knee is where cutting carbon starts to cost much more per tonne. The cost axis does not start at "
                "zero.")
    elif sweep is not None:
        pdf.png(charts.pareto_chart(sweep), 170,
                "Pareto front of the hub-count sweep: total footprint against mean one-way commute.")


def _detail_tables(pdf: ReportPDF, result: ScenarioResult) -> None:
    pdf.h1("Business travel and emission lines")
    pdf.para("Every business-travel line is listed, zero lines included. Activity in the unit shown; emissions "
             f"in {TCO2E}.", size=8.5)
    cols = ["Item", "Activity unit", "Baseline activity", "Scenario activity", "Baseline [t CO2e/yr]",
            "Scenario [t CO2e/yr]", "Change [t CO2e/yr]"]
    w = (40, 22, 26, 26, 22, 22, 22)
    pdf.data_table(tb.lines_table(result, CAT_BUSINESS_TRAVEL), cols, w, signed=["Change [t CO2e/yr]"])
    pdf.para(f"In-person cross-site trips: {result.footprint.in_person_trips:,.0f} a year; video meetings in "
             f"their place: {result.footprint.video_meetings:,.0f} a year, a net saving of "
             f"{result.footprint.video_avoided_kgco2e / 1000:,.1f} {TCO2E} (memo: the avoided travel is already "
             "absent from the totals; the calls' own emissions are a memo line outside them, see the category "
             "table).",
             size=8.5)
    pdf.h2("All emission lines")
    cols = ["Category", "Item", "Baseline [t CO2e/yr]", "Scenario [t CO2e/yr]", "Change [t CO2e/yr]"]
    pdf.data_table(tb.lines_table(result), cols, (52, 46, 26, 26, 26), size=7, signed=["Change [t CO2e/yr]"])


def _hubs(pdf: ReportPDF, result: ScenarioResult) -> None:
    pdf.h1("Per hub")
    table = tb.hub_table(result)
    pdf.para(f"{len(table.rows)} open sites, largest first. {table.note} Emissions in {TCO2E}; "
             "over capacity: the hub needs more desks than it can hold.", size=8.5)
    cols = ["Site id", "Name", "Staff [people]", "Desks needed [desks]", "Max desks [desks]", "Floor area [m²]",
            "Scope 1 [t CO2e/yr]", "Scope 2 [t CO2e/yr]", "Commuting [t CO2e/yr]", "Over capacity"]
    pdf.data_table(table, cols, (13, 27, 15, 16, 15, 18, 18, 18, 20, 14), size=6.8)


def _methodology(pdf: ReportPDF) -> None:
    pdf.h1("Methodology")
    for title, paragraphs in methodology.SECTIONS:
        pdf.h2(title)
        for p in paragraphs:
            if p.startswith("  "):
                pdf.formula(p)
            else:
                pdf.para(p, size=9)


def _assumptions(pdf: ReportPDF, result: ScenarioResult) -> None:
    pdf.h1("Assumptions")
    pdf.bullets(methodology.ASSUMPTIONS)
    pdf.h2("Policy levers of this scenario")
    table = tb.policy_table(result)
    rows = [[name, pretty(fmt_value(v, "fine")), pretty(unit), pretty(help_)] for name, v, unit, help_ in table.rows]
    pdf.grid(["Lever", "Value", "Unit", "Meaning"], rows, (46, 18, 24, 92), ("LEFT", "RIGHT", "LEFT", "LEFT"), 7)


def factor_section(pdf: ReportPDF, factors: tb.Table) -> None:
    """The factor table: value, unit, year and source of every factor used."""
    pdf.h1("Emission factors")
    pdf.para(factors.note + " Every factor applied to the scenario or its baseline is listed.", size=8.5)
    rows = [[key, f"{value:g}", pretty(unit), str(year), set_id, conf,
             pretty(f"{flag}: {source}" if flag else source)]
            for key, value, unit, year, set_id, conf, _lo, _hi, source, _note, flag in factors.rows]
    pdf.grid(["Factor", "Value", "Unit", "Year", "Set", "Conf.", "Source"], rows, (31, 13, 30, 9, 16, 10, 71),
             ("LEFT", "RIGHT", "LEFT", "LEFT", "LEFT", "CENTER", "LEFT"), 6.5)


def data_card_section(pdf: ReportPDF, result: ScenarioResult) -> None:
    """The organisation's data card (markdown shown as plain text)."""
    pdf.h1("Data card")
    org = result.organisation
    card = org.data_card.strip() or (
        f"# {org.name}\n\nData read from: {org.source or 'user files'}. {len(org.sites)} sites, "
        f"{org.staff.total:,.0f} staff in {len(org.staff)} groups. No data card was supplied with these data: "
        "describe where each table comes from, its date and its known gaps.")
    for block in re.split(r"\n\s*\n", card):
        lines = [ln.rstrip() for ln in block.strip().splitlines()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            pdf.h2(_plain(lines[0].lstrip("#").strip()))
            lines = lines[1:]
        bullets = [ln for ln in lines if ln.lstrip().startswith(("- ", "* "))]
        if lines and all(ln.lstrip().startswith("|") for ln in lines):
            _markdown_table(pdf, lines)
        elif bullets and len(bullets) == len(lines):
            pdf.bullets([_plain(ln.lstrip()[2:]) for ln in lines], size=8.5)
        elif lines:
            pdf.para(_plain(" ".join(ln.strip() for ln in lines)), size=8.5)


def _markdown_table(pdf: ReportPDF, lines: list[str]) -> None:
    cells = [[_plain(c.strip()) for c in ln.strip().strip("|").split("|")] for ln in lines]
    cells = [row for row in cells if not all(re.fullmatch(r":?-{2,}:?", c) for c in row if c)]
    n = max(len(row) for row in cells)
    cells = [row + [""] * (n - len(row)) for row in cells]
    lengths = [max(8, min(60, max(len(row[k]) for row in cells))) for k in range(n)]
    widths = [pdf.body_width * x / sum(lengths) for x in lengths]
    pdf.grid(cells[0], cells[1:], widths, ["LEFT"] * n, 7)


def _plain(text: str) -> str:
    """Markdown emphasis, code and links as plain text."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return re.sub(r"(\*\*|__|`)", "", text)


def scenario_pdf(result: ScenarioResult, *, sweep: Any = None) -> bytes:
    """The PDF report of one scenario against its baseline."""
    h = tb.headline(result)
    pdf = ReportPDF(f"Footprint report: {result.scenario.name}")
    _cover(pdf, result, h)
    _executive_summary(pdf, result, h)
    _decision_page(pdf, result)
    _charts(pdf, result, sweep)
    _detail_tables(pdf, result)
    _hubs(pdf, result)
    _methodology(pdf)
    _assumptions(pdf, result)
    factor_section(pdf, tb.factor_table(tb.factors_used(result)))
    data_card_section(pdf, result)
    return bytes(pdf.output())


# --- comparison report -----------------------------------------------------------------------
def comparison_cost_rows(results: list[ScenarioResult], names: list[str]) -> list[list[str]]:
    """[scenario, annual cost £/yr, one-off £, payback yr, NPV £, £/t avoided] per scenario, from
    :func:`footprint.decisions.decide` (each against its own baseline); "n/a" where its baseline
    cannot be reproduced."""
    from footprint.decisions.decision import decision_or_none

    rows = []
    for name, r in zip(names, results, strict=True):
        d = decision_or_none(r)
        if d is None:
            rows.append([name, *(["n/a"] * 5)])
            continue
        a = d.appraisal
        rows.append([
            name,
            f"{a.scenario.organisation_total:,.0f}",
            f"{a.move.total:,.0f}",
            "never" if a.payback_years is None else f"{a.payback_years:,.1f}",
            f"{a.npv_gbp:,.0f}",
            "n/a" if a.cost_per_tco2e_gbp is None else f"{a.cost_per_tco2e_gbp:,.0f}",
        ])
    return rows


def _comparison_costs(pdf: ReportPDF, results: list[ScenarioResult], names: list[str]) -> None:
    """The cost table of a comparison: what each scenario costs, once and a year, and whether it pays back."""
    rows = comparison_cost_rows(results, names)
    pdf.h2("Cost and payback")
    pdf.grid([pretty(h) for h in ("Scenario", "Annual cost [GBP/yr]", "One-off cost [GBP]", "Payback [yr]",
                                  "NPV [GBP]", "Cost per t avoided [GBP/t CO2e]")], [[pretty(c) for c in r] for r in rows],
             (70, 38, 38, 26, 38, 45), ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), 7.5)
    years = {(r.scenario.policy.npv_years, r.scenario.policy.npv_discount_rate) for r in results}
    npv = "; ".join(f"{y:.0f} years at {100 * q:.1f} %" for y, q in sorted(years))
    pdf.para(pretty(
        "Against each scenario's own baseline. Annual cost to the organisation: estate, energy and business travel "
        "(staff's commuting excluded). One-off: fit-out, dilapidations and relocation. Payback: one-off ÷ annual "
        f"saving ('never': no saving). NPV over {npv}. Cost per tonne avoided: annualised one-off minus the annual "
        "saving, per t CO2e avoided a year (negative: it saves money too; n/a: nothing avoided). Costs from sourced "
        "defaults unless the sites table gives a site's cost; every value and its source in the XLSX export."
        + (" n/a: the scenario's baseline cannot be reproduced." if any(r[1] == "n/a" for r in rows) else "")),
        size=7.5,
    )


def comparison_pdf(results: list[ScenarioResult]) -> bytes:
    """The PDF report of two to six scenarios side by side."""
    names = tb.unique_names(results)
    pdf = ReportPDF("Footprint comparison: " + ", ".join(names), orientation="L")
    pdf.add_page()
    pdf.set_y(30)
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, "Workplace footprint comparison", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 10, f"{len(results)} scenarios side by side", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.ln(4)
    info = tb.comparison_info_table(results)
    pdf.data_table(info, ["Scenario", "Description", "Baseline", "Baseline [t CO2e/yr]", "Scenario [t CO2e/yr]",
                          "Change [t CO2e/yr]", "Change [%]"], (40, 95, 40, 26, 26, 26, 18), size=7.5,
                   signed=["Change [t CO2e/yr]", "Change [%]"])
    pdf.para(f"Generated {date.today().isoformat()} by Footprint. Emissions in {TCO2E}.", size=8)
    pdf.h1("Totals by scope")
    pdf.png(charts.comparison_chart(results), 200, f"Total footprint by scope [{TCO2E}].")
    pdf.h1("Side by side")
    table = tb.comparison_table(results)
    width_each = min(34.0, (pdf.body_width - 95) / len(names))
    rows = [[pretty(label), pretty(unit)] + [fmt_value(v, "int" if unit in ("m²", "sites", "people", "per yr")
                                                            else "num") for v in values]
            for label, unit, *values in table.rows]
    pdf.grid(["Metric", "Unit", *names], rows, (75, 20, *([width_each] * len(names))),
             ("LEFT", "LEFT", *(["RIGHT"] * len(names))), 7.5)
    _comparison_costs(pdf, results, names)
    pdf.h2("Emission lines")
    lines = tb.comparison_lines_table(results)
    pdf.data_table(lines, widths=(70, 50, *([width_each] * len(names))), size=7)
    factors: dict[tuple, Any] = {}
    for r in results:
        for f in tb.factors_used(r):
            factors.setdefault((f.key, f.set_id, f.value, f.year, f.source), f)
    factor_section(pdf, tb.factor_table(sorted(factors.values(), key=lambda f: (f.key, f.set_id))))
    return bytes(pdf.output())
