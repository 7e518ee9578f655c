"""Overview: the baseline footprint of the loaded organisation (today's estate)."""

import streamlit as st

from app_pages import cached, charts, errors, state
from app_pages.map import show_map

key = state.org_key()
base = state.baseline()
org = cached.organisation(key)
fp = cached.baseline_footprint(key, base.policy)

st.title("Footprint of today's estate")
st.caption(f"{org.name} · baseline policy: {base.policy.office_days_per_week:g} office days a week, "
           f"{base.policy.video_share:.0%} of cross-site meetings by video · factors: {fp.factor_set_name}")

unc = cached.uncertainty(key, base, base).total
c = fp.commute
st.markdown(f"**{fp.total_tco2e:,.0f} t CO₂e a year** (90 % interval {unc.p05:,.0f}–{unc.p95:,.0f}) from "
            f"{int(org.sites.is_office.sum()):,} offices and {org.staff.total:,.0f} staff; the mean one-way "
            f"commute is {c.mean_min:.0f} min ({c.mean_km:.1f} km) and {c.staff_over_limit:,.0f} staff travel over "
            f"{c.limit_label} each way.")
charts.metric_row([
    {"label": "Total, t CO₂e/yr", "value": f"{fp.total_tco2e:,.0f}",
     "help": f"All scopes [t CO₂e/yr]; 90 % interval {unc.p05:,.0f}–{unc.p95:,.0f} (Monte Carlo on the factors)"},
    {"label": "Per person, t CO₂e/yr", "value": f"{fp.total_tco2e / org.staff.total:.2f}"},
    {"label": "Offices", "value": f"{int(org.sites.is_office.sum()):,}", "help": "Office sites today"},
    {"label": "Staff", "value": f"{org.staff.total:,.0f}", "help": "People [headcount]"},
    {"label": "Mean commute, min", "value": f"{c.mean_min:.0f}",
     "help": f"Mean one-way commute of staff who commute [min]; {c.mean_km:.1f} km"},
])

left, right = st.columns([3, 2])
with left:
    st.subheader("Where the emissions come from")
    st.altair_chart(charts.category_chart({"Today": fp}), width="stretch",
                    alt="Emissions of today's estate by GHG Protocol category, in t CO2e a year")
    by_scope = fp.by_scope()
    st.caption(" · ".join(f"**{k}:** {v / 1000:,.0f} t CO₂e/yr" for k, v in by_scope.items()))
    st.caption(f"Scope 2 location-based {fp.scope2_location_kgco2e / 1000:,.0f} · market-based "
               f"{fp.scope2_market_kgco2e / 1000:,.0f} t CO₂e/yr (the total uses {fp.scope2_basis}-based)")
with right:
    st.subheader("How far staff commute")
    st.altair_chart(charts.commute_chart({"Today": fp}), width="stretch",
                    alt="Staff by one-way commute distance band today")
    st.caption(f"One way: median {fp.commute.median_km:.1f} km and {fp.commute.median_min:.0f} min, 90th "
               f"percentile {fp.commute.p90_km:.1f} km and {fp.commute.p90_min:.0f} min; "
               f"{fp.commute.staff_over_limit:,.0f} staff over {fp.commute.limit_label}.")

st.subheader("The estate")
with errors.guard("The map"):
    show_map(key, base, base, key="overview_map")

with st.expander("About the data", icon=":material/info:"):
    st.markdown(org.data_card or "No data card was supplied with this organisation.")
st.page_link("app_pages/consolidate.py", label="Next: consolidate into hubs", icon=":material/arrow_forward:")
