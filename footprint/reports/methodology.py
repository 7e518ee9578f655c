"""The method in words and symbols, for the PDF report (``docs/methodology.md`` is the long form).

Each section is ``(title, paragraphs)``; a paragraph starting with ``"  "`` is a
formula, set apart in the PDF.
"""

from __future__ import annotations

from footprint.accounting.buildings import (
    ENERGY_FORMULAS,
    HUB_FORMULAS,
    occupancy_shares,
)
from footprint.factors import CONFIDENCE_LEVELS, load_factor_set

#: The default occupancy-driven shares (the ``common`` set every built-in set inherits).
_SHARES = occupancy_shares(load_factor_set("common").value)

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Scope and boundaries", (
        "The footprint follows the GHG Protocol Corporate Standard and its Scope 3 Standard. It counts the "
        "energy of open offices (Scope 1 heating fuel; Scope 2 electricity and district heat, location- and "
        "market-based side by side; "
        "Scope 3 category 3 transmission and distribution losses, and well-to-tank when enabled), business "
        "travel between sites (Scope 3 category 6), employee commuting and, optionally, homeworking (Scope 3 "
        "category 7), and the energy of sites leased without operational control (Scope 3 category 8). Video "
        "calls that replace trips are a memo line outside the total: the GHG Protocol has no such category, "
        "their devices are already counted (office electricity, homeworking) and networks and data centres "
        "are purchased services (category 1) outside the boundary. All results are annual, in tonnes of CO₂ "
        "equivalent a year (t CO₂e/yr); inside the model they are kg CO₂e/yr.",
    )),
    ("Commuting (Scope 3 cat. 7)", (
        "Staff are held as groups i of n_i people sharing a home cell, a current office and a commute mode. "
        "The one-way travel distance to site j is the great-circle distance times the circuity k of the "
        "mode's network (road, rail or bus). Each person commutes on D_office = working days × office days a "
        "week / 5 days a year, there and back:",
        "  E_ij = n_i · D_office · 2 · d_ij · k(mode_i) · EF(mode_i) / o(mode_i)   [kg CO₂e/yr]",
        "EF is the factor per vehicle-km (cars, divided by the car occupancy o) or per passenger-km. One-way "
        "time = access time + 60 · d · k / speed [min].",
    )),
    ("Homeworking (Scope 3 cat. 7, optional)", (
        "Each person works from home on the remaining working days (remote workers on all of them):",
        "  E_home = Σ_i n_i · D_home,i · h · EF_home   [kg CO₂e/yr]",
        "with h the hours a working day and EF_home the factor per FTE-hour (equipment and heating).",
    )),
    ("Buildings (Scopes 1, 2 and 3 cat. 3)", (
        "Today's offices keep their own floor area, desks and energy intensity. A hub is sized from its staff:",
        *(f"  {f}" for f in HUB_FORMULAS),
        "with s_j staff, peak the peak-day factor, r desks per peak attendee, a the floor area per desk [m²] "
        "and A_hub the fixed area every open hub needs whatever its headcount (reception, meeting rooms, "
        "kitchens, plant; policy hub_fixed_area_m2, 500 m² by default). A shared desk serves people on "
        "different days, not two on one day: sharing trims peak days but never leaves an average day's "
        "attendees without a desk, so at five office days every attendee has one (our reading, not a "
        "published rule). Energy is a base load by floor area plus a part that follows attendance, alike "
        "for today's offices and hubs:",
        *(f"  {f}" for f in ENERGY_FORMULAS),
        "with u_j the desk utilisation (attendee-days per desk-day; D_office office days and W working days "
        "a year), I the site's intensity [kWh/m²/yr], u_ref_j the desk utilisation at which it was measured "
        "(at u_j = u_ref_j energy is area × intensity; hubs: 1, their intensities are design values at one "
        "attendee per desk every working day; today's offices: policy intensity_reference_utilisation, 1 unless "
        "the intensities were metered under today's attendance; u_j / u_ref_j is not capped, so energy rises "
        f"linearly with office days), and φ the occupancy-driven shares: by default {_SHARES.electricity:g} of electricity "
        f"(small power, lighting hours, catering, lifts) and {_SHARES.heating:g} of heating (hot water, fresh "
        "air), our reading of the end uses of CIBSE TM54 and the benchmarks of CIBSE TM46:2008 (factors "
        "occupancy_share_electricity and occupancy_share_heating, with their sources in the factor table). "
        "Emissions = electricity × grid factor (Scope 2, location-based; "
        "market-based beside it: certificates at 0, supplier factor or residual mix) "
        "+ T&D losses × electricity (Scope 3 cat. 3) + heating × fuel factor (gas: Scope 1; district heat: "
        "Scope 2; electric heating: as electricity).",
    )),
    ("Business travel (Scope 3 cat. 6) and video", (
        "Cross-site meetings are person-trips T between today's offices (given, or a gravity model). Under a "
        "plan, office a's staff work from hub h in share S[a, h], so trips between hubs are:",
        "  H = Sᵀ · T · S",
        "Trips within a hub need no travel. A share v is held by video; the rest travel a return distance "
        "2 · d_hk · k by car (short; travellers to one meeting share a car), rail (medium; international rail "
        "across a border) or air (long, or wherever the sea lies between the sites; DESNZ hauls: domestic within "
        "the UK, short-haul UK–Europe, long-haul UK–elsewhere, international between non-UK airports; cabin class "
        "from the policy; radiative forcing when chosen), plus a hotel night beyond a set distance at the "
        "destination's DESNZ hotel factor (London apart):",
        "  E_travel = Σ_hk (1 − v) · H_hk · (2 · d_hk · k · EF_mode + nights_hk · EF_hotel)",
        "  E_video = v · participant-hours · EF_video",
        "The memo 'video saving' is the travel the video calls avoid minus the calls' own emissions.",
    )),
    ("Commute statistics", (
        "Mean, median and 90th percentile one-way distance and time are weighted by people and exclude "
        "remote workers; percentiles use the inverted empirical distribution (no interpolation). A commute "
        "that changes by less than 1 km is unchanged.",
    )),
    ("Factor sets and confidence", (
        "Every factor carries its value, unit, year, source and a confidence tag; the factor table lists "
        "every factor this report used. Tags: "
        + "; ".join(f"{k} = {v}" for k, v in CONFIDENCE_LEVELS.items()) + ".",
    )),
)

ASSUMPTIONS: tuple[str, ...] = (
    "Great-circle distances times a circuity factor stand in for routed distances (no road or rail network).",
    "Door-to-door speeds and access times per mode are modelling assumptions giving plausible UK commute "
    "times, not measurements.",
    "Staff keep today's commute mode when they move to a hub.",
    "Hub energy intensities are those of a refurbished office; closed offices emit nothing (no disposal, "
    "no embodied carbon of refurbishment).",
    "A hub's intensity is read as its energy at one attendee per desk every working day, today's sites' at "
    "the policy's intensity_reference_utilisation (1, full use, unless metered under today's attendance); "
    "by default "
    f"{_SHARES.electricity:g} of its electricity and {_SHARES.heating:g} of its heating follow attendance, the "
    "rest is base load by floor area (our reading of CIBSE TM54 and TM46, not a published split).",
    "A hub gives every attendee of an average day a desk; desk sharing trims peak days only.",
    "Scope 2 is reported location-based (grid average) and market-based (REGO share at 0, supplier factor, "
    "else the residual mix of the set or of the country table, AIB European Residual Mixes 2025, which has no GB "
    "value; the grid average stands in where neither is known, which understates it); "
    "the total uses location-based unless the policy says market-based.",
    "Today's cross-site meetings continue in number after consolidation; meetings within one hub need no travel.",
    "Video calls are counted per participant-hour at a small, uncertain factor (see the factor table).",
    "Staff homes are aggregated to grid cells before any calculation; exports aggregate further to 0.25° cells.",
)
