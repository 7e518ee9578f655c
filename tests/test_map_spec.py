"""The map's spec as sent to the browser: few shader programs, nothing fetched with tiles off.

In software WebGL (Chromium with no GPU) every deck.gl layer type costs about a
second to compile on each page switch (``benchmarks/app_page_switch.py``), so the
map keeps to three layer types (the flows are polygons, like the land), makes no
MapLibre base map with tiles off, and leaves out layers with no rows.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from app_pages import cached, state
from app_pages.map import DEFAULT_LINES, LAND, SEA_RGBA, _deck, _mercator_px, flow_quads

LIGHT_TYPES = {"SolidPolygonLayer", "ScatterplotLayer", "TextLayer"}


def _spec(scenario, tiles: bool) -> dict:
    base = state.default_baseline()
    deck, _ = _deck(state.DEMO, cached.hubs_key(scenario.hubs), cached.plan_policy_key(scenario.policy, scenario.hubs),
                    cached.policy_key(scenario.policy), cached.policy_key(base.policy), DEFAULT_LINES, tiles)
    return json.loads(deck.to_json())


@pytest.fixture(scope="module")
def plan_spec() -> dict:
    return _spec(state.default_scenario(), tiles=False)


def test_plan_map_offline_three_layer_types(plan_spec):
    layers = {la["id"]: la for la in plan_spec["layers"]}
    assert set(layers) == {"land", "moves", "closed", "hubs", "hub_names"}
    assert {la["@@type"] for la in layers.values()} == LIGHT_TYPES
    assert layers["land"]["getFillColor"] == LAND and len(layers["land"]["data"]) > 10
    assert not layers["hub_names"].get("background"), "a background box is one more shader program"
    assert layers["hub_names"]["fontSettings"]["sdf"] and layers["hub_names"]["outlineWidth"] > 0
    assert len(layers["moves"]["data"]) == DEFAULT_LINES
    assert all(len(row["polygon"]) == 4 for row in layers["moves"]["data"])
    # no base map: pydeck's "no style" sentinel, which Streamlit turns into no MapLibre map at all
    assert plan_spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in plan_spec
    assert plan_spec["views"] == [{"@@type": "MapView", "controller": True, "clear": True, "clearColor": SEA_RGBA}]
    assert "http" not in json.dumps(plan_spec), "with tiles off nothing may be fetched"


def test_today_map_leaves_out_empty_layers():
    today = _spec(state.default_baseline(), tiles=False)
    assert [la["id"] for la in today["layers"]] == ["land", "hubs", "hub_names"]  # nobody moves, nothing closes


def test_tiles_on_uses_carto_and_no_land():
    spec = _spec(state.default_scenario(), tiles=True)
    assert spec["mapProvider"] == "carto" and "cartocdn" in spec["mapStyle"]
    assert "land" not in {la["id"] for la in spec["layers"]}


def test_flow_quads_by_hand():
    # zoom 2: 512 * 4 / (2 pi) = 325.95 px per radian; at the equator 5 px is 5 / 325.95 rad = 0.8789 deg
    quad = flow_quads(np.array([0.0]), np.array([0.0]), np.array([10.0]), np.array([0.0]), np.array([10.0]), 2.0)
    half = np.degrees(2 * np.arctan(np.exp(5 / (2048 / (2 * np.pi)))) - np.pi / 2)
    assert half == pytest.approx(0.8789, abs=1e-4)
    np.testing.assert_allclose(quad[0], [[0.0, -half], [10.0, -half], [10.0, half], [0.0, half]], atol=1e-9)


def test_flow_quads_width_in_pixels_at_the_first_zoom():
    rng = np.random.default_rng(3)
    lon0, lon1 = rng.uniform(-8, 2, 50), rng.uniform(-8, 2, 50)
    lat0, lat1 = rng.uniform(50, 58, 50), rng.uniform(50, 58, 50)
    width, zoom = rng.uniform(1, 14, 50), 5.3
    quads = flow_quads(lon0, lat0, lon1, lat1, width, zoom)
    x, y = _mercator_px(quads[..., 0], quads[..., 1], zoom)
    np.testing.assert_allclose(np.hypot(x[:, 0] - x[:, 3], y[:, 0] - y[:, 3]), width, rtol=1e-9)  # across the band
    np.testing.assert_allclose(quads[:, [0, 3]].mean(axis=1), np.c_[lon0, lat0], atol=1e-3)  # centred on the ends
    np.testing.assert_allclose(quads[:, [1, 2]].mean(axis=1), np.c_[lon1, lat1], atol=1e-3)
