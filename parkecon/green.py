"""Green manufacturing and the reuse of old industrial land: the computations of the chapter.

Everything here takes the curated tables as arguments (the joined facts from
`parkecon.facts()`, and where needed `measures`, `entities`, `indicators`) and returns
plain numbers or small DataFrames, so that the notebook and the tests compute the same
thing. Nothing is stored: these are the derived numbers the data model leaves to the
chapters (shares, per-area values, implied growth, unit conversions).

Unit conventions: areas in km² (and mu, 亩), money in yuan (convert with `calc.bn`),
capacities in GW, growth in per cent a year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .trace import val
from .calc import LOWER_BOUNDS, MU_PER_HA, UPPER_BOUNDS, cagr
from .provenance import fact, value

M2_PER_KM2 = 1_000_000.0
HA_PER_KM2 = 100.0
MU_PER_KM2 = MU_PER_HA * HA_PER_KM2    # 1 km² = 100 ha = 1 500 mu
KW_PER_GW = 1_000_000.0
KW_PER_WAN_KW = 10_000.0                # 万千瓦 = 10 000 kW; 100 万千瓦 = 1 GW

# The facts the chapter reads, by role. Fact ids are stable; the notebook and tests use these.
FACTS = {
    # green-manufacturing record (s000)
    "green_factories": "f000-072",
    "green_products": "f000-073",
    "circular_parks": "f000-071",
    "provincial_parks": "f000-028",
    "cleaner_audit_firms": "f000-069",
    "cleaner_coverage_target": "f000-070",
    # land (s000, s001)
    "pilot_batches": "f000-056",
    "land_revitalised": "f000-057",
    "low_eff_land": "f000-061",
    "sg_site": "f001-008",
    "sg_per_t_before": "f001-009",
    "sg_per_t_after": "f001-010",
    "sg_park_land": "f001-011",
    "sg_zones": "f001-012",
    "zj_area": "f001-019",
    "zj_output": "f001-020",
    "zj_taxes": "f001-021",
    "parks_plan_area": "f002-036",
    "parks_plan_added": "f002-037",
    # the "rebuild another X" targets (s001)
    "sg_phases": "f001-013",
    "sg_2022": "f001-014",
    "sg_2025": "f001-015",
    "sg_2030": "f001-016",
    "hec_output": "f001-031",
    "hec_years": "f001-032",
    "hec_copies": "f001-033",
    "hec_projects": "f001-029",
    "hec_invest": "f001-030",
    "danxia_invest": "f001-026",
    "danxia_subprojects": "f001-025",
    # ecological baseline (s002)
    "forest_cover": "f002-047",
    "forest_area": "f002-048",
    "timber_stock": "f002-049",
    "redline": "f002-044",
    "afforestation": "f002-045",
    "forest_parks": "f002-046",
    "air_good_days": "f002-057",
    "water_good_sections": "f002-058",
    "restoration_invest": "f002-050",
    "restoration_categories": "f002-051",
    "restoration_projects": "f002-052",
    "coop_agreements": "f002-053",
    "coop_invest": "f002-054",
    "greenway": "f002-056",
    "steel_eliminated": "f002-022",
    # energy (s001, s003)
    "pv_potential": "f001-035",
    "wind_pipeline": "f001-036",
    "longtang_pv": "f003-003",
    "xidu_storage_invest": "f003-004",
    "hydrogen_station_invest": "f001-006",
}


# ---------------------------------------------------------------- units

def to_km2(value: float, unit: str) -> float:
    """An area in the data's base units (平方米, 亩, 公顷) in km²."""
    if unit == "平方米":
        return value / M2_PER_KM2
    if unit == "亩":
        return value / MU_PER_KM2
    if unit == "公顷":
        return value / HA_PER_KM2
    raise ValueError(f"not an area unit: {unit!r}")


def km2_to_mu(km2: float) -> float:
    """km² in mu (1 km² = 100 ha = 1 500 mu)."""
    return km2 * MU_PER_KM2


def to_gw(value: float, unit: str) -> float:
    """A capacity in kW (the data's base unit 千瓦) in GW."""
    if unit != "千瓦":
        raise ValueError(f"not a capacity in kW: {unit!r}")
    return value / KW_PER_GW


# ---------------------------------------------------------------- green manufacturing

def circular_share(facts: pd.DataFrame) -> dict:
    """Parks that passed the circular-transformation acceptance as a share of the provincial parks.

    Both counts come from the same reply (s000): 9 accepted by May 2022, 9 provincial parks
    as of the reply. Returns passed, provincial, share_pct.
    """
    passed = value(FACTS["circular_parks"], facts, unit="家")
    provincial = value(FACTS["provincial_parks"], facts, unit="个")
    return {"passed": passed, "provincial": provincial, "share_pct": 100 * passed / provincial}


# ---------------------------------------------------------------- land

def shaogang_land(facts: pd.DataFrame) -> dict:
    """The Shaoguan Steel (Shaogang) land story in numbers.

    site_km2, park_km2 (land identified for the modern industrial park), rest_km2 (derived:
    site minus park land), park_share_pct, the same in mu, land per tonne of steel before and
    after (m²/t) and the cut in per cent. Also `halving_frees_share_pct`: the share of the
    steel-making land that halving land per tonne would free at unchanged capacity (50%),
    to set against park_share_pct. The documents give no steel capacity or output.
    """
    site = to_km2(value(FACTS["sg_site"], facts, unit="平方米"), "平方米")
    park = to_km2(value(FACTS["sg_park_land"], facts, unit="平方米"), "平方米")
    before = value(FACTS["sg_per_t_before"], facts, unit="平方米")
    after = value(FACTS["sg_per_t_after"], facts, unit="平方米")
    return {
        "site_km2": site,
        "park_km2": park,
        "rest_km2": site - park,
        "park_share_pct": 100 * park / site,
        "site_mu": km2_to_mu(site),
        "park_mu": km2_to_mu(park),
        "per_t_before_m2": before,
        "per_t_after_m2": after,
        "per_t_cut_pct": 100 * (1 - after / before),
        "halving_frees_share_pct": 100 * (1 - after / before),
    }


def implied_capacity_t(land_m2: float, m2_per_tonne: float) -> float:
    """Annual tonnes of steel a land area supports at a given land use per tonne (area / intensity)."""
    if m2_per_tonne <= 0:
        raise ValueError("land per tonne must be positive")
    return land_m2 / m2_per_tonne


def per_area(amount: float, area_mu: float) -> dict:
    """An amount (yuan) per mu and per hectare (1 ha = 15 mu)."""
    if area_mu <= 0:
        raise ValueError("area must be positive")
    per_mu = amount / area_mu
    return {"per_mu": per_mu, "per_ha": per_mu * MU_PER_HA}


def zhongjin(facts: pd.DataFrame) -> dict:
    """Zhongjin Lingnan (Shaoguan) Functional Materials Park: 2020 output and taxes per unit of planned area.

    The area is the planned area (about 4 100 mu, mid-2021), not the land in use in 2020, so the
    per-area values understate output per mu of land actually in use if part of the plan was
    not yet built on.
    """
    area = value(FACTS["zj_area"], facts, unit="亩")
    out = value(FACTS["zj_output"], facts, unit="元")
    tax = value(FACTS["zj_taxes"], facts, unit="元")
    o, t = per_area(out, area), per_area(tax, area)
    return {
        "area_mu": area, "area_ha": area / MU_PER_HA, "area_km2": to_km2(area, "亩"),
        "output": out, "taxes": tax,
        "output_per_mu": o["per_mu"], "output_per_ha": o["per_ha"],
        "taxes_per_mu": t["per_mu"], "taxes_per_ha": t["per_ha"],
        "tax_to_output_pct": 100 * tax / out,
    }


def land_scale(facts: pd.DataFrame) -> pd.DataFrame:
    """Every area figure of the chapter on one scale (km² and mu), ecological and industrial.

    Columns: key, fact_id, label, group (ecology|industry), km2, mu, status, qualifier, source_id.
    Sorted from largest to smallest.
    """
    items = [
        ("forest_area", "Forested land (2021)", "ecology"),
        ("redline", "Ecological protection red line (delimited 2016-20)", "ecology"),
        ("afforestation", "Afforestation and reforestation, 2016-20 (cumulative)", "ecology"),
        ("parks_plan_area", "Industrial parks, new plan 2020-35 (total)", "industry"),
        ("parks_plan_added", "  of which added over the previous plan", "industry"),
        ("sg_site", "Shaoguan Steel works site", "industry"),
        ("sg_park_land", "Shaoguan Steel land identified for new industry", "industry"),
        ("zj_area", "Zhongjin Lingnan functional-materials park (planned area)", "industry"),
        ("land_revitalised", "Land revitalised by the reform, whole city (to 2022)", "industry"),
        ("low_eff_land", "Low-efficiency land cleared, Huanan Equipment Park", "industry"),
    ]
    rows = []
    for key, label, group in items:
        r = fact(FACTS[key], facts)
        km2 = to_km2(val(r), r["unit"])
        rows.append({"key": key, "fact_id": r["fact_id"], "label": label, "group": group, "km2": km2,
                     "mu": km2_to_mu(km2), "status": r["status"], "qualifier": r["qualifier"],
                     "source_id": r["source_id"]})
    return pd.DataFrame(rows).sort_values("km2", ascending=False, ignore_index=True)


# ---------------------------------------------------------------- targets and growth

@dataclass(frozen=True)
class Point:
    """A level at a date: value in yuan, `when` a pandas Timestamp, and its qualifier."""
    when: pd.Timestamp
    value: float
    qualifier: str = "exactly"


def years_between(a: pd.Timestamp, b: pd.Timestamp) -> float:
    """Years between two dates (days / 365.25), rounded to 2 decimals (end-2022 → end-2025 = 3.0)."""
    return round((b - a).days / 365.25, 2)


def bound_of_growth(start_q: str, end_q: str) -> str:
    """What kind of number the growth between two qualified levels is.

    A lower-bound start ("more than 400") with an exact end makes the required growth an upper
    bound ("at most"); an exact start with a lower-bound end makes it a lower bound ("at least");
    two lower bounds (or any other mix of bounds) leave it undetermined; two exact values give
    an exact rate ("exactly"). 'about'/'nearly' count as exact here (and are said so in prose).
    """
    lo_s, lo_e = start_q in LOWER_BOUNDS, end_q in LOWER_BOUNDS
    up_s, up_e = start_q in UPPER_BOUNDS, end_q in UPPER_BOUNDS
    if not (lo_s or lo_e or up_s or up_e):
        return "exactly"
    if lo_s and not (lo_e or up_e or up_s):
        return "at_most"
    if lo_e and not (lo_s or up_s or up_e):
        return "at_least"
    if up_s and not (lo_s or lo_e or up_e):
        return "at_least"
    if up_e and not (lo_s or lo_e or up_s):
        return "at_most"
    return "undetermined"


def path_growth(points: list[Point]) -> pd.DataFrame:
    """Implied compound annual growth between consecutive points of a target path.

    Returns one row per step: start, end (years), years, start_value, end_value, multiple,
    growth_pct (per year) and bound (see `bound_of_growth`).
    """
    pts = sorted(points, key=lambda p: p.when)
    rows = []
    for a, b in zip(pts, pts[1:]):
        yrs = years_between(a.when, b.when)
        rows.append({
            "start": a.when.year, "end": b.when.year, "years": yrs,
            "start_value": a.value, "end_value": b.value, "multiple": b.value / a.value,
            "growth_pct": cagr(a.value, b.value, yrs),
            "bound": bound_of_growth(a.qualifier, b.qualifier),
        })
    return pd.DataFrame(rows)


def shaogang_path(facts: pd.DataFrame) -> list[Point]:
    """The three Shaogang pilot targets (2022, 2025, 2030) as Points."""
    out = []
    for key in ["sg_2022", "sg_2025", "sg_2030"]:
        r = fact(FACTS[key], facts, unit="元")
        assert r["status"] == "target", f"{key} should be a target"
        out.append(Point(r["period_end"], val(r), r["qualifier"]))
    return out


def slogan_baseline(target: float, copies_added: float) -> float:
    """The current level a 'rebuild N more X' slogan implies if read literally.

    "再造一个新韶钢" (rebuild one more Shaogang) reached with a target T means T = 2 × today, so
    today = T / 2; "再造4个东阳光" (four more HECs) means today = T / 5. A reading of a slogan,
    not a figure the documents give.
    """
    if copies_added < 0:
        raise ValueError("copies_added must be non-negative")
    return target / (copies_added + 1)


def required_growth(baseline: float, target: float, years: float) -> float:
    """Annual growth in per cent needed to go from baseline to target in `years` years."""
    return cagr(baseline, target, years)


def growth_curve(target: float, years: float, baselines) -> pd.DataFrame:
    """Required annual growth for a range of assumed baselines (where the documents give none)."""
    bs = [float(b) for b in baselines]
    return pd.DataFrame({"baseline": bs, "growth_pct": [required_growth(b, target, years) for b in bs]})


# ---------------------------------------------------------------- energy and ecology

def energy_table(facts: pd.DataFrame) -> pd.DataFrame:
    """Renewable capacities in GW: Shaoguan PV potential, wind pipeline, Qingcheng's Longtang PV project."""
    items = [("pv_potential", "Solar PV potential, Shaoguan"),
             ("wind_pipeline", "Wind farms awaiting development, Shaoguan"),
             ("longtang_pv", "Longtang fishery-PV project, Qingcheng")]
    rows = []
    for key, label in items:
        r = fact(FACTS[key], facts, unit="千瓦")
        rows.append({"key": key, "fact_id": r["fact_id"], "label": label, "gw": to_gw(val(r), "千瓦"),
                     "as_printed": f"{str(r['value_reported']).removesuffix('.0')} {r['unit_reported']}",
                     "status": r["status"], "qualifier": r["qualifier"], "source_id": r["source_id"]})
    return pd.DataFrame(rows)


def eco_derived(facts: pd.DataFrame) -> dict:
    """Derived ecological numbers: stock per hectare, areas in km², restoration money per project."""
    forest_ha = value(FACTS["forest_area"], facts, unit="公顷")
    stock = value(FACTS["timber_stock"], facts, unit="立方米")
    aff_km2 = to_km2(value(FACTS["afforestation"], facts, unit="亩"), "亩")
    forest_km2 = to_km2(forest_ha, "公顷")
    redline_km2 = to_km2(value(FACTS["redline"], facts, unit="平方米"), "平方米")
    invest = value(FACTS["restoration_invest"], facts, unit="元")
    projects = value(FACTS["restoration_projects"], facts, unit="项")
    coop_inv = value(FACTS["coop_invest"], facts, unit="元")
    coop_n = value(FACTS["coop_agreements"], facts, unit="个")
    return {
        "stock_per_ha": stock / forest_ha,
        "forest_km2": forest_km2,
        "redline_km2": redline_km2,
        "afforestation_km2": aff_km2,
        "afforestation_share_of_forest_pct": 100 * aff_km2 / forest_km2,
        "redline_to_forest_pct": 100 * redline_km2 / forest_km2,
        "restoration_per_project": invest / projects,
        "coop_per_agreement": coop_inv / coop_n,
        "greenway_km": value(FACTS["greenway"], facts, unit="米") / 1000,
        "steel_eliminated_mt": value(FACTS["steel_eliminated"], facts, unit="吨") / 1e6,
    }


# ---------------------------------------------------------------- measures and gaps

def descendants(entities: pd.DataFrame, root: str) -> set[str]:
    """The entity and everything whose parent chain leads to it."""
    parent = dict(zip(entities["entity_id"], entities["parent_id"]))
    out = {root}
    for eid in parent:
        seen, cur = set(), eid
        while isinstance(cur, str) and cur not in seen:
            if cur == root:
                out.add(eid)
                break
            seen.add(cur)
            cur = parent.get(cur)
    return out


def green_measures(measures: pd.DataFrame, entities: pd.DataFrame, place: str) -> pd.DataFrame:
    """Measures of category 'green' about a place or anything inside it (by the entities' parent chain)."""
    inside = descendants(entities, place)
    m = measures[(measures["category"] == "green") & measures["entity_id"].isin(inside)]
    return m.sort_values("measure_id", ignore_index=True)


# What one would need to judge green outcomes, with patterns to look for it in the data.
GAP_TOPICS = {
    "Greenhouse-gas or CO2 emissions": (
        r"emission|carbon|co2|碳排放|二氧化碳",
        r"碳排放|二氧化碳|碳达峰|碳中和|emission|carbon"),
    "Energy consumption or energy intensity": (
        r"energy_consumption|energy_intensity|energy use|能耗|能源消费",
        r"能耗|节能|energy[- ]saving|energy use|energy monitoring|energy review|energy-intensive|energy[- ]efficiency"),
    "Pollutant loads (COD, ammonia nitrogen, NOx, SO2, VOCs)": (
        r"pollut|\bcod\b|nox|so2|voc|排放|污染物",
        r"COD|氨氮|NOX|NOx|VOCs|污染物|pollut|重金属"),
    "Industrial solid waste generated or reused": (
        r"waste|固废|固体废",
        r"固废|固体废弃物|尾矿|煤矸石|冶炼渣|solid waste|tailings|slag"),
    "Renewable capacity in operation": (
        r"pv_capacity|wind_capacity|光伏|风电|储能",
        r"光伏|风电|储能|氢能|photovoltaic|renewable|\bsolar\b|\bwind\b|\bstorage\b|hydrogen"),
}


def gaps(facts: pd.DataFrame, indicators: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """For each topic in `GAP_TOPICS`: how many actual figures the data hold, and how many measures mention it.

    Indicators are matched on id, English and Chinese name; figures counted are facts of a
    matched indicator with status 'actual'. Measures (any category) are matched on their quote
    and English summary (not the heading, which would count every item under a green heading). A topic with many measures and no actual figures is a policy
    list without a measured outcome.
    """
    ind_text = (indicators["indicator_id"] + " " + indicators["name_en"] + " " + indicators["name_zh"]).str.lower()
    m_text = measures["quote"].fillna("") + " " + measures["summary_en"].fillna("")
    rows = []
    for topic, (ind_pat, m_pat) in GAP_TOPICS.items():
        ids = set(indicators.loc[ind_text.str.contains(ind_pat, regex=True), "indicator_id"])
        f = facts[facts["indicator_id"].isin(ids)]
        rows.append({
            "topic": topic,
            "indicators": len(ids),
            "actual_figures": int((f["status"] == "actual").sum()),
            "other_figures": int((f["status"] != "actual").sum()),
            "measures_mentioning": int(m_text.str.contains(m_pat, regex=True, flags=re.IGNORECASE).sum()),
        })
    return pd.DataFrame(rows)


def period_label(r: pd.Series) -> str:
    """How a fact's period reads in a table: 'by 2025' (target), '2016-2020' (span), 'May 2022' (stock), '2020' (year)."""
    s, e = r["period_start"], r["period_end"]
    if r["status"] == "target":
        return f"by {e.year}"
    if s.year != e.year:
        return f"{s.year}-{e.year}"
    if s == e:
        return e.strftime("%b %Y")
    return str(e.year)
