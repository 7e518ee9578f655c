"""The map's spec as sent to the browser: few shader programs, nothing fetched with tiles off.

In software WebGL (Chromium with no GPU) every deck.gl layer type costs about a
second to compile on each page switch (``benchmarks/app_page_switch.py``), so the
map keeps to four layer types, makes no MapLibre base map with tiles off, and
leaves out layers with no rows.
"""

from __future__ import annotations

import json

import pytest

from app_pages import cached, state
from app_pages.map import DEFAULT_LINES, LAND, SEA_RGBA, _deck

LIGHT_TYPES = {"SolidPolygonLayer", "LineLayer", "ScatterplotLayer", "TextLayer"}


def _spec(scenario, tiles: bool) -> dict:
    base = state.default_baseline()
    deck, _ = _deck(state.DEMO, cached.hubs_key(scenario.hubs), cached.plan_policy_key(scenario.policy, scenario.hubs),
                    cached.policy_key(scenario.policy), cached.policy_key(base.policy), DEFAULT_LINES, tiles)
    return json.loads(deck.to_json())


@pytest.fixture(scope="module")
def plan_spec() -> dict:
    return _spec(state.default_scenario(), tiles=False)


def test_plan_map_offline_four_layer_types(plan_spec):
    layers = {la["id"]: la for la in plan_spec["layers"]}
    assert set(layers) == {"land", "moves", "closed", "hubs", "hub_names"}
    assert {la["@@type"] for la in layers.values()} == LIGHT_TYPES
    assert layers["land"]["getFillColor"] == LAND and len(layers["land"]["data"]) > 10
    assert not layers["hub_names"].get("background"), "a background box is one more shader program"
    assert layers["hub_names"]["fontSettings"]["sdf"] and layers["hub_names"]["outlineWidth"] > 0
    assert len(layers["moves"]["data"]) == DEFAULT_LINES
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
