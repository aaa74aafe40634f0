"""The simplified map boundaries in data/geo/ (plain json, no GIS libraries needed)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "data" / "geo"
FILES = {"cities": GEO / "guangdong_cities.geojson", "counties": GEO / "shaoguan_counties.geojson"}

CITY_IDS = {"guangzhou", "shenzhen", "zhuhai", "shantou", "foshan", "shaoguan", "heyuan", "meizhou",
            "huizhou", "shanwei", "dongguan", "zhongshan", "jiangmen", "yangjiang", "zhanjiang",
            "maoming", "zhaoqing", "qingyuan", "chaozhou", "jieyang", "yunfu"}
SHAOGUAN_COUNTY_IDS = {"zhenjiang", "wujiang", "qujiang", "lechang", "nanxiong", "shixing", "renhua",
                       "wengyuan", "xinfeng", "ruyuan"}
COUNTY_IDS = SHAOGUAN_COUNTY_IDS | {"qingcheng"}

LON, LAT = (109.0, 118.0), (20.0, 26.0)   # a box around Guangdong
TOL = 0.01                                 # degrees of slack for containment checks


def load(kind: str) -> dict:
    return json.loads(FILES[kind].read_text(encoding="utf-8"))


def polygons(geometry: dict) -> list:
    """A geometry's polygons, each a list of rings (lists of [lon, lat])."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def points(geometry: dict):
    for poly in polygons(geometry):
        for ring in poly:
            yield from ring


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    xs, ys = zip(*((p[0], p[1]) for p in points(geometry)))
    return min(xs), min(ys), max(xs), max(ys)


def centroid(geometry: dict) -> tuple[float, float]:
    """Average of the exterior-ring vertices (closing vertex not counted twice)."""
    pts = [p for poly in polygons(geometry) for p in poly[0][:-1]]
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def test_files_exist_and_are_small():
    for path in FILES.values():
        assert path.is_file(), f"missing {path.relative_to(ROOT)}"
    total = sum(p.stat().st_size for p in FILES.values())
    assert total < 1_000_000, f"boundaries take {total} bytes"
    assert (GEO / "README.md").is_file()


@pytest.mark.parametrize("kind", FILES)
def test_feature_collection_and_properties(kind):
    data = load(kind)
    assert data["type"] == "FeatureCollection"
    with (ROOT / "data" / "entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = {row["entity_id"]: row for row in csv.DictReader(fh)}
    ids = [f["properties"].get("entity_id") for f in data["features"]]
    assert all(ids), "a feature has no entity_id"
    assert len(ids) == len(set(ids)), "entity_id not unique"
    assert ids == sorted(ids), "features are not sorted by entity_id"
    expected = CITY_IDS if kind == "cities" else COUNTY_IDS
    assert set(ids) == expected
    assert len(ids) == (21 if kind == "cities" else 11)
    for f in data["features"]:
        assert f["type"] == "Feature"
        props = f["properties"]
        assert "zone" not in props
        row = entities.get(props["entity_id"])
        assert row is not None, f"{props['entity_id']} not in data/entities.csv"
        assert props["name_zh"] == row["name_zh"]
        assert props["name_en"] == row["name_en"]


@pytest.mark.parametrize("kind", FILES)
def test_geometries_are_well_formed(kind):
    for f in load(kind)["features"]:
        eid, geom = f["properties"]["entity_id"], f["geometry"]
        assert geom["type"] in {"Polygon", "MultiPolygon"}, eid
        polys = polygons(geom)
        assert polys, eid
        for poly in polys:
            assert poly, eid
            for ring in poly:
                assert len(ring) >= 4, f"{eid}: ring with {len(ring)} points"
                assert ring[0] == ring[-1], f"{eid}: ring not closed"
                for p in ring:
                    assert len(p) == 2 and all(isinstance(c, (int, float)) for c in p), eid
                    assert round(p[0], 4) == p[0] and round(p[1], 4) == p[1], f"{eid}: > 4 decimals"
        x0, y0, x1, y1 = bbox(geom)
        assert LON[0] <= x0 and x1 <= LON[1] and LAT[0] <= y0 and y1 <= LAT[1], f"{eid}: outside Guangdong"


def test_city_centroids_inside_the_province_box():
    for f in load("cities")["features"]:
        x, y = centroid(f["geometry"])
        assert LON[0] < x < LON[1] and LAT[0] < y < LAT[1], f["properties"]["entity_id"]


def test_shaoguan_in_the_north_and_its_counties_inside_it():
    cities = {f["properties"]["entity_id"]: f["geometry"] for f in load("cities")["features"]}
    sx0, sy0, sx1, sy1 = bbox(cities["shaoguan"])
    assert sy0 > 23.5, "Shaoguan should be in northern Guangdong"
    assert centroid(cities["shaoguan"])[1] == max(centroid(g)[1] for g in cities.values())
    counties = {f["properties"]["entity_id"]: f["geometry"] for f in load("counties")["features"]}
    for eid in SHAOGUAN_COUNTY_IDS:
        x0, y0, x1, y1 = bbox(counties[eid])
        assert sx0 - TOL <= x0 and x1 <= sx1 + TOL and sy0 - TOL <= y0 and y1 <= sy1 + TOL, eid
    # Qingcheng belongs to Qingyuan
    qx0, qy0, qx1, qy1 = bbox(cities["qingyuan"])
    x0, y0, x1, y1 = bbox(counties["qingcheng"])
    assert qx0 - TOL <= x0 and x1 <= qx1 + TOL and qy0 - TOL <= y0 and y1 <= qy1 + TOL
