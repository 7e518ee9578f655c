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

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Total [t CO₂e/yr]", f"{fp.total_tco2e:,.0f}", border=True)
c2.metric("Per person [t CO₂e/yr]", f"{fp.total_tco2e / org.staff.total:.2f}", border=True)
c3.metric("Offices [sites]", f"{int(org.sites.is_office.sum()):,}", border=True)
c4.metric("Staff [people]", f"{org.staff.total:,.0f}", border=True)
c5.metric("Mean commute [km]", f"{fp.commute.mean_km:.1f}", border=True)

left, right = st.columns([3, 2])
with left:
    st.subheader("Where the emissions come from")
    st.altair_chart(charts.category_chart({"Today": fp}), width="stretch",
                    alt="Emissions of today's estate by GHG Protocol category, in t CO2e a year")
    by_scope = fp.by_scope()
    st.caption(" · ".join(f"**{k}:** {v / 1000:,.0f} t CO₂e/yr" for k, v in by_scope.items()))
with right:
    st.subheader("How far staff commute")
    st.altair_chart(charts.commute_chart({"Today": fp}), width="stretch",
                    alt="Distribution of one-way commute distances today, staff per 5 km band")
    st.caption(f"Median {fp.commute.median_km:.1f} km, 90th percentile {fp.commute.p90_km:.1f} km, "
               f"{fp.commute.staff_over_limit:,.0f} staff over {fp.commute.limit_label} one-way.")

st.subheader("The estate")
with errors.guard("The map"):
    show_map(key, base, base, key="overview_map")

with st.expander("About the data", icon=":material/info:"):
    st.markdown(org.data_card or "No data card was supplied with this organisation.")
st.page_link("app_pages/consolidate.py", label="Next: consolidate into hubs", icon=":material/arrow_forward:")
