"""Data: upload offices and staff (CSV/XLSX), validate row by row, download templates."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from app_pages import cached, errors, state, workspace
from footprint.scenario import HubChoice, OrganisationRef

key = state.org_key()
org = cached.organisation(key)

st.title("Data")
c1, c2, c3 = st.columns(3)
c1.metric("Organisation", "Demo" if key == state.DEMO else "Uploaded", border=True)
c2.metric("Sites", f"{len(org.sites):,}", border=True)
c3.metric("Staff [people]", f"{org.staff.total:,.0f}", border=True)
st.caption(org.name)
if key != state.DEMO and st.button("Go back to the demo organisation", key="d_demo", icon=":material/restart_alt:"):
    st.session_state.org_key = state.DEMO
    state.set_scenario(replace(state.default_scenario()))
    st.session_state.optimisation = st.session_state.sweep = None
    st.rerun()

try:
    from footprint.imports import (
        build_organisation,
        read_sites,
        read_staff,
        template_bytes,
    )
    from footprint.imports.organisation import site_aliases, site_locations
except ImportError:
    errors.not_available("Uploading your own offices and staff")
    st.stop()

st.subheader("Templates")
st.caption("Offices need `site_id, lat, lon, headcount` (or a place name/address instead of lat/lon); staff need "
           "home location, count, current office and commute mode. Column names are matched flexibly.")
row = st.container(horizontal=True)
for kind in ("offices", "staff"):
    for fmt in ("csv", "xlsx"):
        with errors.guard(f"The {kind} template"):
            row.download_button(f"{kind.title()} template ({fmt.upper()})",
                                data=lambda kind=kind, fmt=fmt: template_bytes(kind, fmt),
                                file_name=f"{kind}-template.{fmt}", on_click="ignore", key=f"d_tpl_{kind}_{fmt}",
                                icon=":material/download:")

st.subheader("Upload your estate")
with st.form("upload_form", border=True):
    u1, u2 = st.columns(2)
    sites_file = u1.file_uploader("Offices [.csv, .xlsx]", type=["csv", "xlsx"], key="d_sites")
    staff_file = u2.file_uploader("Staff [.csv, .xlsx]", type=["csv", "xlsx"], key="d_staff")
    name = st.text_input("Organisation name", value="My organisation", key="d_name")
    partial = st.checkbox("Load the valid rows even if some rows have problems", key="d_partial",
                          help="Rows with problems are listed below and left out")
    submitted = st.form_submit_button("Validate and load", type="primary", icon=":material/fact_check:")


def problem_table(problems) -> None:
    """Problems as a table: the file-level ones say "whole file", and messages are shown in full."""
    st.dataframe(
        pd.DataFrame({"row": [str(p.row) if p.row is not None else "whole file" for p in problems],
                      "field": [p.field or "" for p in problems],
                      "message": [p.message for p in problems]}),
        hide_index=True, width="stretch",
        column_config={"row": st.column_config.TextColumn("row", width="small"),
                       "field": st.column_config.TextColumn("field", width="small"),
                       "message": st.column_config.TextColumn("message", width="large")},
    )


def show_import(label: str, rep) -> bool:
    """One file's import report; True when it can be loaded (all rows valid, or ``partial``)."""
    file_level = any(p.row is None for p in rep.problems)
    ok = rep.table is not None and not file_level and (not rep.problems or partial)
    st.markdown(f"**{label}** (`{rep.source}`): {rep.n_valid:,} of {rep.n_rows:,} rows valid")
    if rep.column_map:
        st.caption("Columns: " + ", ".join(f"`{src}` → {dst}" for src, dst in dict(rep.column_map).items()))
    for note in rep.notes:
        st.caption(note)
    if rep.problems:
        n = len(rep.problems)
        if ok:
            rows = rep.invalid_rows
            st.warning(f"{label}: {n:,} problem{'s' if n != 1 else ''}; left out: row{'s' if len(rows) != 1 else ''} "
                       f"{', '.join(map(str, rows))}.", icon=":material/warning:")
        else:
            st.error(f"{label} cannot be loaded: {n:,} problem{'s' if n != 1 else ''}"
                     + ("" if file_level or rep.table is None else
                        " (tick “Load the valid rows” to leave those rows out)") + ".", icon=":material/error:")
        problem_table(rep.problems)
    return ok


if submitted:
    if sites_file is None or staff_file is None:
        st.warning("Choose both an offices file and a staff file.", icon=":material/upload_file:")
    else:
        with errors.guard("Reading the files"):
            sites_rep = read_sites(sites_file.getvalue(), sites_file.name)
            ok_sites = show_import("Offices", sites_rep)
            ok_staff = False
            if sites_rep.table is not None:  # staff may name their office by id or by its unique name
                staff_rep = read_staff(staff_file.getvalue(), staff_file.name, site_ids=site_aliases(sites_rep.table),
                                       rejected_sites=sites_rep.rejected_sites,
                                       site_locations=site_locations(sites_rep.table))
                ok_staff = show_import("Staff", staff_rep)
            if ok_sites and ok_staff:
                new_org = build_organisation(sites_rep.table, staff_rep.table, name=name or "My organisation")
                new_key = workspace.keep_upload(new_org, [sites_rep, staff_rep])  # kept in the workspace
                st.session_state.org_key = new_key
                st.session_state.optimisation = st.session_state.sweep = None
                s = state.scenario()
                state.set_scenario(replace(
                    s, name=f"{name}: today's estate",
                    organisation=OrganisationRef(source="files", sites=sites_file.name, staff=staff_file.name),
                    hubs=HubChoice(selection="current")))
                st.success(f"Loaded {len(new_org.sites):,} sites and {new_org.staff.total:,.0f} staff. "
                           "The Overview now shows your estate.", icon=":material/check_circle:")
                st.page_link("app_pages/overview.py", label="Open the Overview", icon=":material/home:")
            else:  # said only when nothing was loaded
                st.info("Nothing was loaded: the current data and scenario are as before.")

with st.expander("Sites in use", icon=":material/table:"):
    s = org.sites
    st.dataframe(pd.DataFrame({"site_id": s.site_id, "name": s.name, "lat": s.lat, "lon": s.lon,
                               "headcount": s.headcount, "desks": s.desks, "floor area [m²]": s.floor_area_m2,
                               "can be hub": s.can_be_hub, "must keep": s.must_keep}),
                 hide_index=True, width="stretch", height=300)
