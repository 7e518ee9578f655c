"""The estate map (pydeck): who moves where, on a shipped coastline.

Staff moves are drawn aggregated, one band per office → hub pair with its width
by staff (the largest pairs by default, all on demand); closed offices are drawn
above the lines, hubs are sized by staff and labelled by name. A table beside the
map lists the pairs with the added commute minutes per person.

It draws on a shipped coastline (``footprint.geo.outline``) clipped to a wide box
around the data, so it shows the whole region with no network. Street-map tiles
are an optional layer underneath, off until the user switches them on: with them
off the browser requests nothing from outside the machine, and no base map is made.

Browsers without a GPU (software WebGL) compile each deck.gl layer type's shaders
in about a second on every page switch, so the map uses three: polygons (land and
flows), points and text (``benchmarks/app_page_switch.py`` measures it).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from app_pages import cached
from footprint.scenario import Scenario

LAND = [222, 218, 203, 255]  # dark enough to read the coast without an outline
SEA_RGBA = [238, 244, 250, 255]  # the view's clear colour when tiles are off (no base map is made)
KEPT = [0, 114, 178, 230]  # Okabe-Ito blue
NEW = [0, 158, 115, 230]  # Okabe-Ito bluish green
CLOSED = [213, 94, 0, 255]  # Okabe-Ito vermillion
MOVE = [204, 121, 0, 190]  # Okabe-Ito orange
LINE_CHOICES = (10, 25, 50, 100, 250, "all")
DEFAULT_LINES = 25
MAX_LABELS = 30
TILES_ATTRIBUTION = "Map tiles © CARTO, © OpenStreetMap contributors"


@st.cache_resource(max_entries=4, show_spinner=False)
def land_polygons(bbox: tuple[float, float, float, float]) -> tuple[list[dict[str, Any]], str]:
    """Coastline polygons in ``bbox`` for a PolygonLayer, and the attribution ("" if absent)."""
    try:
        from footprint.geo.outline import COASTLINE_SOURCE, coastline
    except ImportError:
        return [], ""
    polys = coastline(bbox)
    return [{"polygon": np.round(p, 3).tolist()} for p in polys if len(p) >= 3], COASTLINE_SOURCE


def map_bbox(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float, float, float]:
    """The outline's box: the data and the margin the map view shows around it."""
    from footprint.geo.outline import data_extent

    return tuple(round(v, 1) for v in data_extent(lon, lat, pad_fraction=0.6, min_pad_lon=14.0,
                                                  min_pad_lat=8.0))  # type: ignore[return-value]


def _zoom(bbox_data: tuple[float, float, float, float]) -> float:
    """A web-mercator zoom that fits the data in a map about 900 × 560 px."""
    lon_span = max(bbox_data[2] - bbox_data[0], 0.05)
    lat_span = max(bbox_data[3] - bbox_data[1], 0.05)
    mid = np.radians((bbox_data[1] + bbox_data[3]) / 2)
    z_lon = np.log2(900 * 360 / (512 * lon_span))
    z_lat = np.log2(560 * 360 * np.cos(mid) / (512 * lat_span))
    return float(np.clip(min(z_lon, z_lat) - 0.2, 1.0, 12.0))


def _mercator_px(lon: np.ndarray, lat: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Web-mercator pixel coordinates at ``zoom`` (512-px tiles, as deck.gl)."""
    scale = 512.0 * 2.0**zoom / (2 * np.pi)
    x = scale * np.radians(lon)
    y = -scale * np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85.0, 85.0)) / 2))
    return x, y


def _mercator_lonlat(x: np.ndarray, y: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """The inverse of :func:`_mercator_px`: (lon, lat) [degrees] of pixel coordinates at ``zoom``."""
    scale = 512.0 * 2.0**zoom / (2 * np.pi)
    return np.degrees(x / scale), np.degrees(2.0 * np.arctan(np.exp(-y / scale)) - np.pi / 2)


def flow_quads(from_lon: np.ndarray, from_lat: np.ndarray, to_lon: np.ndarray, to_lat: np.ndarray,
               width_px: np.ndarray, zoom: float) -> np.ndarray:
    """Each flow as a band ``width_px`` wide at ``zoom``, corners (lon, lat) [degrees], shape (n, 4, 2).

    Drawn as polygons the flows share the land's shader program (a LineLayer would
    compile one more); the bands are exact at the map's first zoom and widen as one zooms in.
    """
    x0, y0 = _mercator_px(np.asarray(from_lon, float), np.asarray(from_lat, float), zoom)
    x1, y1 = _mercator_px(np.asarray(to_lon, float), np.asarray(to_lat, float), zoom)
    length = np.maximum(np.hypot(x1 - x0, y1 - y0), 1e-9)
    half = 0.5 * np.asarray(width_px, float)
    nx, ny = -(y1 - y0) / length * half, (x1 - x0) / length * half
    xs = np.stack([x0 + nx, x1 + nx, x1 - nx, x0 - nx], axis=1)
    ys = np.stack([y0 + ny, y1 + ny, y1 - ny, y0 - ny], axis=1)
    lon, lat = _mercator_lonlat(xs, ys, zoom)
    return np.stack([lon, lat], axis=2)


def label_without_overlap(lon: np.ndarray, lat: np.ndarray, names: list[str], zoom: float, *,
                          most: int = MAX_LABELS, char_px: float = 7.5, height_px: float = 18.0) -> np.ndarray:
    """Indices of the names to label, in the given (priority) order, whose labels do not overlap at ``zoom``.

    Labels are boxes centred above each point (the TextLayer's offset); a label is
    kept only if it overlaps none already kept.
    """
    x, y = _mercator_px(np.asarray(lon, float), np.asarray(lat, float), zoom)
    kept: list[int] = []
    boxes: list[tuple[float, float, float, float]] = []
    for i, name in enumerate(names):
        half = 0.5 * char_px * len(name) + 4.0
        box = (x[i] - half, y[i] - 18.0 - height_px / 2, x[i] + half, y[i] - 18.0 + height_px / 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        kept.append(i)
        boxes.append(box)
        if len(kept) >= most:
            break
    return np.asarray(kept, dtype=np.int64)


def map_frames(org_key: str, s: Scenario, base: Scenario, n_lines: int | None) -> dict[str, pd.DataFrame]:
    """Closed offices, hubs, hub labels and the ``n_lines`` largest office → hub flows (None: all)."""
    org = cached.organisation(org_key)
    fp = cached.scenario_footprint(org_key, s)
    base_fp = cached.baseline_footprint(org_key, base.policy)
    sites = org.sites
    names = np.asarray(sites.name, dtype=object)
    lon, lat = np.asarray(sites.lon, float), np.asarray(sites.lat, float)
    after, before = np.asarray(fp.sites.open), np.asarray(base_fp.sites.open)
    staff_after, staff_before = np.asarray(fp.sites.staff, float), np.asarray(base_fp.sites.staff, float)

    closed_idx = np.flatnonzero(before & ~after)
    closed = pd.DataFrame({"lon": lon[closed_idx], "lat": lat[closed_idx],
                           "tip": [f"<b>{names[j]}</b><br/>closed · {staff_before[j]:,.0f} staff today"
                                   for j in closed_idx]})
    hub_idx = np.flatnonzero(after)
    biggest = max(float(staff_after[hub_idx].max()) if hub_idx.size else 1.0, 1.0)
    hubs = pd.DataFrame({
        "lon": lon[hub_idx], "lat": lat[hub_idx], "name": names[hub_idx], "staff": staff_after[hub_idx],
        "radius": 4.0 + 12.0 * np.sqrt(staff_after[hub_idx] / biggest),
        "colour": [KEPT if before[j] else NEW for j in hub_idx],
        "tip": [f"<b>{names[j]}</b><br/>{'hub (office today)' if before[j] else 'hub (new site)'} · "
                f"{staff_after[j]:,.0f} staff" for j in hub_idx],
    }).sort_values("staff", ascending=False)
    keep = label_without_overlap(hubs["lon"].to_numpy(), hubs["lat"].to_numpy(), list(hubs["name"]),
                                 _zoom((float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))))
    labels = hubs.iloc[keep][["lon", "lat", "name"]]

    flows = cached.flows(org_key, s, base)
    shown = flows if n_lines is None else flows.top(n_lines)
    top = max(float(flows.staff.max()) if len(flows) else 1.0, 1.0)
    a, b = shown.office, shown.hub
    moves = pd.DataFrame({
        "from_lon": lon[a], "from_lat": lat[a], "to_lon": lon[b], "to_lat": lat[b],
        "width": np.clip(14.0 * np.sqrt(shown.staff / top), 1.0, 14.0),
        "tip": [f"<b>{names[i]} → {names[j]}</b><br/>{n:,.0f} staff · {m:+.0f} min one way per person"
                for i, j, n, m in zip(a, b, shown.staff, shown.added_minutes, strict=True)],
    })
    return {"closed": closed, "hubs": hubs, "labels": labels, "moves": moves}


class SentDeck(pdk.Deck):
    """A deck whose JSON is made once, compact, when it is cached (pydeck indents it, on every call).

    ``st.pydeck_chart`` calls :meth:`to_json` on every run; the map of the demo is
    about 0.3 MB indented and a third of that compact, made in up to 0.2 s.
    """

    def freeze(self) -> SentDeck:
        self._sent = json.dumps(json.loads(super().to_json()), separators=(",", ":"))
        return self

    def to_json(self) -> str:
        sent = getattr(self, "_sent", None)
        return super().to_json() if sent is None else sent


def _light(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Only the columns a layer reads, positions to 1e-4° (about 10 m): fewer bytes to the browser."""
    out = frame[columns].copy()
    for c in out.columns:
        if c.endswith(("lon", "lat")):
            out[c] = out[c].round(4)
    return out


@st.cache_resource(max_entries=16, show_spinner=False)
def _deck(org_key: str, hubs_json: str, plan_json: str, policy_json: str, base_policy_json: str,
          n_lines: int | None, tiles: bool) -> tuple[SentDeck, str]:
    """The map (cached on the scenario's keys: a warm page draws it at once)."""
    s = Scenario(name="map", hubs=cached._hubs_from_key(hubs_json), policy=cached.policy_from_key(policy_json))
    base = Scenario(name="base", policy=cached.policy_from_key(base_policy_json))
    frames = map_frames(org_key, s, base, n_lines)
    org = cached.organisation(org_key)
    lon, lat = np.asarray(org.sites.lon, float), np.asarray(org.sites.lat, float)
    moves = frames["moves"]
    data_box = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    quads = flow_quads(moves["from_lon"], moves["from_lat"], moves["to_lon"], moves["to_lat"], moves["width"],
                       _zoom(data_box))
    frames = {"moves": pd.DataFrame({"polygon": np.round(quads, 4).tolist(), "tip": moves["tip"]}),
              "closed": _light(frames["closed"], ["lon", "lat", "tip"]),
              "hubs": _light(frames["hubs"], ["lon", "lat", "colour", "radius", "tip"]),
              "labels": _light(frames["labels"], ["lon", "lat", "name"])}
    land, source = land_polygons(map_bbox(lon, lat))
    layers = []
    if land and not tiles:  # fill only: a stroked PolygonLayer would compile one more shader program
        layers.append(pdk.Layer("SolidPolygonLayer", land, id="land", get_polygon="polygon", filled=True,
                                get_fill_color=LAND, pickable=False))
    layers += [
        pdk.Layer("SolidPolygonLayer", frames["moves"], id="moves", get_polygon="polygon", get_fill_color=MOVE,
                  pickable=True),
        pdk.Layer("ScatterplotLayer", frames["closed"], id="closed", get_position=["lon", "lat"],
                  get_fill_color=CLOSED, get_line_color=[255, 255, 255, 255], stroked=True,
                  line_width_min_pixels=1, get_radius=4, radius_units="'pixels'", pickable=True),
        pdk.Layer("ScatterplotLayer", frames["hubs"], id="hubs", get_position=["lon", "lat"],
                  get_fill_color="colour", get_line_color=[255, 255, 255, 255], stroked=True,
                  line_width_min_pixels=1.5, get_radius="radius", radius_units="'pixels'", pickable=True),
        # A white halo (signed-distance font) keeps names legible over lines; a background box
        # would be a second shader program, the slowest part of the map in software WebGL.
        pdk.Layer("TextLayer", frames["labels"], id="hub_names", get_position=["lon", "lat"], get_text="name",
                  get_size=13, get_color=[20, 20, 20, 255], get_pixel_offset=[0, -18], font_family="'sans-serif'",
                  font_weight=600, character_set="'auto'", font_settings={"sdf": True, "fontSize": 48,
                                                                          "buffer": 6, "radius": 12},
                  outline_width=3, outline_color=[255, 255, 255, 235], pickable=False),
    ]
    # a layer with no rows still compiles its shaders (about a second each in software WebGL)
    rows = {"moves": frames["moves"], "closed": frames["closed"], "hubs": frames["hubs"], "hub_names": frames["labels"]}
    layers = [layer for layer in layers if layer.id not in rows or len(rows[layer.id])]
    view = pdk.ViewState(longitude=(data_box[0] + data_box[2]) / 2, latitude=(data_box[1] + data_box[3]) / 2,
                         zoom=_zoom(data_box))
    tooltip = {"html": "{tip}", "style": {"fontSize": "15px"}}
    if tiles:
        deck = SentDeck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider="carto",
                        map_style="light")
    else:  # no base map at all (pydeck's default style with no provider): the view clears to the sea
        deck = SentDeck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider=None,
                        views=[pdk.View(type="MapView", controller=True, clear=True, clear_color=SEA_RGBA)])
    attribution = TILES_ATTRIBUTION if tiles else source
    return deck.freeze(), attribution


def show_map(org_key: str, s: Scenario, base: Scenario, *, key: str, with_table: bool = True,
             height: int = 560) -> None:
    """The map with its legend, a tiles switch, the attribution and (for a plan) the flows table."""
    top = st.container(horizontal=True, vertical_alignment="bottom")
    tiles = top.toggle("Street map (online)", value=False, key=f"{key}_tiles",
                       help="Off: the map draws a shipped coastline and nothing is fetched from the internet. "
                            "On: street-map tiles from CARTO.")
    flows = cached.flows(org_key, s, base)
    n_lines: int | None = None
    if len(flows):
        choice = top.select_slider("Moves drawn [largest office → hub pairs]", LINE_CHOICES,
                                   value=DEFAULT_LINES, key=f"{key}_lines", width=380,
                                   help="One line per office → hub pair, width by staff")
        n_lines = None if choice == "all" else int(choice)
    with st.spinner("Drawing the map…", show_time=True):
        deck, attribution = _deck(org_key, cached.hubs_key(s.hubs), cached.plan_policy_key(s.policy, s.hubs),
                                  cached.policy_key(s.policy), cached.policy_key(base.policy), n_lines, tiles)
    fp = cached.scenario_footprint(org_key, s)
    n_hubs = int(np.asarray(fp.sites.open).sum())
    if not len(flows):
        st.pydeck_chart(deck, height=height, key=key,
                        alt=f"Map of the {n_hubs} open sites, blue, sized by staff")
        st.caption(f":blue[●] open site (area ∝ staff); the largest named where their names fit. {attribution}")
        return
    shown = len(flows) if n_lines is None else min(n_lines, len(flows))
    left, right = st.columns([5, 4]) if with_table else (st.container(), None)
    with left:
        st.pydeck_chart(deck, height=height, key=key,
                        alt=f"Map of {n_hubs} hubs (blue, sized by staff), closed offices (orange-red) and the "
                            f"{shown} largest office-to-hub moves (orange lines, width by staff)")
        moved = float(flows.staff[:shown].sum())
        st.caption(f":blue[●] hub (area ∝ staff; the largest named where the names fit) · :red[●] closed "
                   f"office · :orange[━] staff moving, width ∝ staff: the {shown:,} largest of {len(flows):,} "
                   f"office → hub pairs, {moved:,.0f} of {flows.total_staff:,.0f} staff who change office. "
                   f"{attribution}")
    if right is None:
        return
    with right:
        st.markdown("**Who moves where**")
        st.dataframe(flows_table(org_key, flows), hide_index=True, width="stretch", height=520,
                     column_config={
                         "From office": st.column_config.TextColumn("From", help="Today's office"),
                         "To hub": st.column_config.TextColumn("To hub"),
                         "Staff": st.column_config.NumberColumn("Staff", format="%,.0f", help="people moving", width="small"),
                         "Added min": st.column_config.NumberColumn(
                             "± min", format="%+.0f", width="small",
                             help="Change of the one-way commute time per person [min], staff-weighted mean")})


def flows_table(org_key: str, flows: Any) -> pd.DataFrame:
    """Office → hub pairs as a table: names, staff, added one-way minutes per person."""
    names = np.asarray(cached.organisation(org_key).sites.name, dtype=object)
    return pd.DataFrame({"From office": names[flows.office], "To hub": names[flows.hub], "Staff": flows.staff,
                         "Added min": flows.added_minutes})
