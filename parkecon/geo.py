"""Boundaries for maps, drawn with matplotlib only (no GIS stack at run time)."""
from __future__ import annotations

import json
from functools import lru_cache

from .paths import data_dir

LAYERS = {"cities": "geo/guangdong_cities.geojson", "counties": "geo/shaoguan_counties.geojson"}


@lru_cache(maxsize=4)
def _read(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def features(layer: str) -> list[dict]:
    """The GeoJSON features of a layer ('cities' or 'counties'), each with properties.entity_id."""
    return _read(str(data_dir() / LAYERS[layer]))["features"]


def _rings(geom: dict):
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    for poly in polys:
        yield poly[0]  # exterior ring; holes are negligible at book scale


def centroid(feature: dict) -> tuple[float, float]:
    """Area-weighted centroid of the largest ring (good enough for labels and arrows)."""
    best_area, best_c = -1.0, (0.0, 0.0)
    for ring in _rings(feature["geometry"]):
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(a) > best_area:
            best_area, best_c = abs(a), (cx / (3 * a), cy / (3 * a)) if a else ring[0]
    return best_c


def plot(ax, layer: str, facecolors: dict | None = None, default: str = "#eeeeee",
         edgecolor: str = "white", linewidth: float = 0.8, only: set | None = None) -> dict:
    """Fill each feature of a layer; return {entity_id: centroid}. Sets an equal-aspect, axis-free map."""
    from matplotlib.patches import Polygon

    cents = {}
    for f in features(layer):
        eid = f["properties"]["entity_id"]
        if only is not None and eid not in only:
            continue
        colour = (facecolors or {}).get(eid, default)
        for ring in _rings(f["geometry"]):
            ax.add_patch(Polygon(ring, closed=True, facecolor=colour, edgecolor=edgecolor, linewidth=linewidth))
        cents[eid] = centroid(f)
    ax.autoscale_view()
    ax.set_aspect(1 / 0.92)  # ~cos(23.5°): keeps shapes right at Guangdong's latitude
    ax.set_axis_off()
    return cents
