"""Footprint: the Streamlit app. Run with ``streamlit run app.py``.

This file sets the page up, initialises the session state in one place, builds
the navigation and, after the page has run, mirrors the scenario into the URL.
Pages (``app_pages/``) only draw; all computation is in ``footprint/``, wrapped
once in ``app_pages/cached.py``.
"""

from pathlib import Path

import streamlit as st

from app_pages import cached, errors, state, workspace

# a local icon: a Material icon as favicon is fetched from fonts.gstatic.com (offline means offline)
st.set_page_config(page_title="Footprint", page_icon=str(Path(__file__).parent / "static" / "footprint-icon.png"), layout="wide")
state.init_state()
cached.start_optimiser_warm_up()

pages = {
    "Estate": [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page("app_pages/data.py", title="Data", icon=":material/upload_file:"),
    ],
    "Scenario": [
        st.Page("app_pages/consolidate.py", title="Consolidate", icon=":material/hub:"),
        st.Page("app_pages/workshop.py", title="Workshop", icon=":material/tune:"),
        st.Page("app_pages/tradeoff.py", title="Trade-off", icon=":material/show_chart:"),
    ],
    "Decide": [
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("app_pages/report.py", title="Report", icon=":material/download:"),
    ],
}
page = st.navigation(pages)

if st.session_state.get("url_problems"):
    with st.expander("The shared link had problems; defaults were used where needed", icon=":material/link_off:"):
        st.dataframe(errors.problems_frame(st.session_state.url_problems), hide_index=True)

workspace.notices()  # a workspace link that opens nothing, or data that are gone

# a spinner appears after 0.5 s of work (Streamlit's own delay) and goes when the page is drawn
with errors.guard("This page"), st.spinner("Working…", show_time=True):
    page.run()

with st.sidebar:  # after the page, so it shows what the page just changed
    st.caption(f"**Scenario:** {state.scenario().name}")
    st.caption(f"**Data:** {'demo organisation' if state.org_key() == state.DEMO else 'uploaded files'} · "
               f"**Saved for comparison:** {len(state.saved())}/{state.MAX_SAVED}")
    workspace.sidebar()

state.write_query_params()
