"""The offline coastline outline."""

from __future__ import annotations

import numpy as np
import pytest

from footprint.geo.outline import (
    COASTLINE_FILE,
    COASTLINE_SOURCE,
    clip_polygon,
    coastline,
)

UK = (-11.0, 49.0, 2.5, 61.0)


def test_data_file_small_and_licensed():
    assert COASTLINE_FILE.stat().st_size < 1.5e6
    licence = (COASTLINE_FILE.parent / "COASTLINE-LICENSE.txt").read_text(encoding="utf-8")
    assert "GSHHG" in licence and "GNU LESSER GENERAL PUBLIC LICENSE" in licence
    assert "GSHHG" in COASTLINE_SOURCE


def test_whole_world_and_shapes():
    world = coastline()
    assert len(world) > 1000
    assert all(p.ndim == 2 and p.shape[1] == 2 and len(p) >= 3 for p in world)
    allpts = np.concatenate(world)
    assert allpts[:, 0].min() >= -180.5 and allpts[:, 0].max() <= 180.5
    assert allpts[:, 1].min() >= -90 and allpts[:, 1].max() <= 90


@pytest.mark.parametrize("bbox", [UK, (-130.0, 20.0, 40.0, 72.0), (-80.0, 35.0, -70.0, 45.0)])
def test_clipped_to_bbox(bbox):
    polys = coastline(bbox)
    assert polys
    pts = np.concatenate(polys)
    eps = 1e-9
    assert pts[:, 0].min() >= bbox[0] - eps and pts[:, 0].max() <= bbox[2] + eps
    assert pts[:, 1].min() >= bbox[1] - eps and pts[:, 1].max() <= bbox[3] + eps


def test_great_britain_is_there():
    polys = coastline(UK)
    big = max(polys, key=len)
    lon, lat = big[:, 0], big[:, 1]
    assert lat.min() < 50.2 and lat.max() > 58.4  # Land's End to the north coast of Scotland
    assert lon.min() < -5.5 and lon.max() > 1.6   # Cornwall to East Anglia


def test_clip_polygon_square():
    square = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
    out = clip_polygon(square, (1.0, 1.0, 3.0, 3.0))
    assert sorted(map(tuple, out)) == [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)]
    assert len(clip_polygon(square, (5.0, 5.0, 6.0, 6.0))) == 0


def test_bad_bbox():
    with pytest.raises(ValueError, match="lon_min"):
        coastline((10.0, 50.0, 0.0, 60.0))
