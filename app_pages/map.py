"""The estate map (pydeck): offices kept and closed, hubs sized by staff, who moves where.

It draws on a shipped coastline (``footprint.geo.outline``), so it shows the
country with no network; street-map tiles are an optional layer underneath,
switched on by default only when the tile server answers.
"""

from __future__ import annotations

import socket
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from footprint.accounting import Footprint, Plan
from footprint.inputs import Organisation

TILE_HOST = "basemaps.cartocdn.com"
LAND = [236, 233, 220, 255]
COAST = [140, 140, 140, 255]
KEPT = [0, 114, 178, 220]  # Okabe-Ito blue
CLOSED = [120, 120, 120, 150]
MOVE = [213, 94, 0, 110]  # Okabe-Ito vermillion  # Okabe-Ito orange


@st.cache_data(ttl=600, show_spinner=False)
def tiles_reachable(host: str = TILE_HOST, timeout_s: float = 0.4) -> bool:
    """Whether the tile server answers (checked from the server, cached 10 minutes)."""
    try:
        with socket.create_connection((host, 443), timeout=timeout_s):
            return True
    except OSError:
        return False


@st.cache_resource(max_entries=8, show_spinner=False)
def land_polygons(bbox: tuple[float, float, float, float]) -> tuple[list[dict[str, Any]], str]:
    """Coastline polygons in ``bbox`` for a PolygonLayer, and the attribution ("" if absent)."""
    try:
        from footprint.geo.outline import COASTLINE_SOURCE, coastline
    except ImportError:
        return [], ""
    polys = coastline(bbox)
    return [{"polygon": np.round(p, 4).tolist()} for p in polys if len(p) >= 3], COASTLINE_SOURCE


def _bbox(org: Organisation, margin: float = 1.5) -> tuple[float, float, float, float]:
    s = org.sites
    return (float(s.lon.min() - margin), float(s.lat.min() - margin),
            float(s.lon.max() + margin), float(s.lat.max() + margin))


def map_frames(org: Organisation, plan: Plan, fp: Footprint) -> dict[str, pd.DataFrame]:
    """Points and lines to draw: closed offices, open sites (hubs), office → hub moves."""
    s = org.sites
    open_ = np.asarray(plan.open_sites)
    staff = np.asarray(fp.sites.staff, dtype=float)
    is_office = np.asarray(s.is_office)
    sites = pd.DataFrame({"name": s.name, "site_id": s.site_id, "lon": s.lon, "lat": s.lat,
                          "headcount": s.headcount, "staff": staff})
    closed = sites[is_office & ~open_].assign(status="closed")
    hubs = sites[open_].assign(status="hub")
    hubs = hubs.assign(radius=np.sqrt(np.maximum(hubs.staff, 1.0)) * 450.0)
    src, dst, count = org.group_site, np.asarray(plan.assignment), np.asarray(org.staff.count, dtype=float)
    moving = (dst >= 0) & (dst != src)
    m = len(s)
    flows = np.bincount(src[moving] * m + dst[moving], weights=count[moving], minlength=m * m)
    pairs = np.flatnonzero(flows)
    a, b = np.divmod(pairs, m)
    moves = pd.DataFrame({"from": np.asarray(s.name)[a], "to": np.asarray(s.name)[b],
                          "from_lon": s.lon[a], "from_lat": s.lat[a], "to_lon": s.lon[b], "to_lat": s.lat[b],
                          "staff": flows[pairs]})
    moves = moves.assign(width=np.clip(np.sqrt(moves.staff) / 8.0, 0.5, 6.0))
    return {"closed": closed, "hubs": hubs, "moves": moves}


def estate_deck(org: Organisation, plan: Plan, fp: Footprint, *, tiles: bool) -> tuple[pdk.Deck, str]:
    """The map, and the attribution line to print under it."""
    frames = map_frames(org, plan, fp)
    bbox = _bbox(org)
    land, source = land_polygons(bbox)
    layers = []
    if land and not tiles:
        layers.append(pdk.Layer("PolygonLayer", land, id="land", get_polygon="polygon", filled=True, stroked=True,
                                get_fill_color=LAND, get_line_color=COAST, line_width_min_pixels=1, pickable=False))
    layers += [
        pdk.Layer("LineLayer", frames["moves"], id="moves", get_source_position=["from_lon", "from_lat"],
                  get_target_position=["to_lon", "to_lat"], get_color=MOVE, get_width="width",
                  width_units="pixels", pickable=True),
        pdk.Layer("ScatterplotLayer", frames["closed"], id="closed", get_position=["lon", "lat"],
                  get_fill_color=CLOSED, get_radius=2500, radius_min_pixels=3, pickable=True),
        pdk.Layer("ScatterplotLayer", frames["hubs"], id="hubs", get_position=["lon", "lat"], get_fill_color=KEPT,
                  get_line_color=[255, 255, 255, 255], stroked=True, line_width_min_pixels=1,
                  get_radius="radius", radius_min_pixels=4, pickable=True),
    ]
    view = pdk.ViewState(longitude=(bbox[0] + bbox[2]) / 2, latitude=(bbox[1] + bbox[3]) / 2 + 0.3, zoom=4.6)
    tooltip = {"html": "<b>{name}</b>{from} {to}<br/>staff: {staff}", "style": {"fontSize": "15px"}}
    deck = pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip,
                    map_provider="carto" if tiles else None, map_style="light" if tiles else None)
    attribution = source if (land and not tiles) else "Map tiles © CARTO, © OpenStreetMap contributors" if tiles else ""
    return deck, attribution


def show_map(org: Organisation, plan: Plan, fp: Footprint, *, key: str) -> None:
    """The map with its legend, a tiles switch and the attribution."""
    tiles = st.toggle("Street map tiles (needs internet)", value=tiles_reachable(), key=f"{key}_tiles",
                      help="Without internet the map draws a shipped coastline instead of tiles.")
    deck, attribution = estate_deck(org, plan, fp, tiles=tiles)
    n_open, n_closed = int(np.asarray(plan.open_sites).sum()), int((org.sites.is_office & ~plan.open_sites).sum())
    st.pydeck_chart(deck, height=560, key=key,
                    alt=f"Map of {n_open} open sites (blue, sized by staff) and {n_closed} closed offices (grey), "
                        "with orange lines from each closed office to its hub")
    st.caption(f":blue[●] hub / open site (area ∝ staff) · :gray[●] closed office · :red[━] staff moving "
               f"from an office to a hub (width ∝ staff). {attribution}")
