"""The park economy of Shaoguan: the computations behind the chapter "The park economy".

Everything here is derived from the curated tables; nothing is stored. Money stays in
yuan (base units) unless a function says otherwise; `YI` converts to 亿元.

Main entry points

- `headline()`      2021 levels and growth of the parks, with the implied 2020 levels.
- `share_path()`    the parks' share of city value added: baseline, 2021, target, required gain.
- `implied_city()`  city-wide value added implied by the parks' share, set against s002's 2020 figure.
- `pipeline()`      signed, filed, invested and commissioned projects as one table.
- `concentration()` how much of the signed value the large projects hold (with bounds).
- `checks()`        every sum and consistency check the documents allow, with the gap.
- `places()`        each park and platform in Shaoguan, with the county the documents give.
- `reforms()`       the reforms that shape the parks, with figures and sources.
"""
from __future__ import annotations

import math

import pandas as pd

from .trace import val
from .calc import MU_PER_HA, YI, implied_previous
from .clusters import ROLE_ORDER
from .data import fingerprint, load
from .provenance import fact, value
from .provenance import facts as _facts


# ------------------------------------------------------------------ fact ids used

#: (level fact, growth fact) of the parks' 2021 headline indicators, s000 section 一(二)1-2.
HEADLINE = {
    "va": ("f000-030", "f000-031"),
    "output": ("f000-033", "f000-035"),
    "fai": ("f000-036", "f000-037"),
    "fai_industrial": ("f000-038", "f000-039"),
    "fai_infrastructure": ("f000-040", "f000-041"),
}
HEADLINE_LABELS = {
    "va": "Value added (above-size)",
    "output": "Gross output (above-size)",
    "fai": "Fixed-asset investment",
    "fai_industrial": "  of which industrial",
    "fai_infrastructure": "  of which infrastructure",
}
SHARE_2021 = "f000-032"      # 57.1 %, s000
SHARE_BASELINE = "f001-042"  # less than 40 %, s001 ("目前", mid-2021)
SHARE_TARGET = "f001-043"    # at least 70 % by end of the 14th FYP, s001
CITY_VA_2020 = "f002-011"    # 320.9 亿元, s002
CITY_VA_2020_GROWTH = "f002-012"
CLUSTERS_VA_2021 = "f000-003"      # "3+3" clusters, above-size value added

PIPELINE = {
    "signed_n": "f000-042", "signed_v": "f000-043",
    "big_n": "f000-044", "mega_n": "f000-045", "big_v": "f000-046",
    "filed_n": "f000-047", "filed_v": "f000-048",
    "filed_ind_n": "f000-049", "filed_ind_v": "f000-050",
    "prod_n": "f000-051", "prod_firms": "f000-052",
    "sf_projects": "f000-053", "sf_2021": "f000-054", "sf_cum": "f000-062",
    "sf_apr2021": "f002-038",
    "city_signed_v": "f000-074", "city_big_n": "f000-075",
    "city_landed_n": "f000-077", "city_invested_v": "f000-078",
}
BIG_FLOOR = 1 * YI     # "亿元以上": a project of at least 100 million yuan
ABOVE_SIZE_REVENUE = 20e6  # 规模以上: annual main-business revenue of at least 20 million yuan (NBS definition)
MEGA_FLOOR = 100 * YI  # "100亿元以上": at least 10 billion yuan

REFORM_FACTS = ["f000-058", "f000-059", "f000-056", "f000-057", "f000-060", "f000-061", "f000-076"]

# ------------------------------------------------------------------ helpers


_MEMO: dict = {}


def _f(folder=None) -> pd.DataFrame:
    """facts with names, indexed by fact_id; memoised per data fingerprint (the merge is slow)."""
    key = (str(folder), fingerprint(folder))
    if key not in _MEMO:
        _MEMO.clear()
        _MEMO[key] = _facts(folder).set_index("fact_id")
    return _MEMO[key]


# ------------------------------------------------------------------ headline


def headline(folder=None) -> pd.DataFrame:
    """The parks' 2021 levels, growth rates and implied 2020 levels (level / (1 + g)).

    One row per indicator (index: 'va', 'output', 'fai', 'fai_industrial',
    'fai_infrastructure'); columns level_2021 and implied_2020 in yuan, growth_pct,
    change (yuan), and the two fact ids. The 2020 values are derived, never reported.
    """
    f = _f(folder)
    rows = []
    for key, (lvl, gr) in HEADLINE.items():
        L, G = fact(lvl, f), fact(gr, f)
        assert L["unit"] == "元" and G["unit"] == "%", (lvl, gr)
        assert L["qualifier"] == "exactly" and G["qualifier"] == "exactly", (lvl, gr)
        assert int(G["base_period"]) == L["period_end"].year - 1, gr
        prev = implied_previous(val(L), val(G))
        rows.append({"key": key, "indicator": HEADLINE_LABELS[key], "level_2021": val(L),
                     "growth_pct": val(G), "implied_2020": prev,
                     "change": val(L) - prev, "level_fact": lvl, "growth_fact": gr})
    return pd.DataFrame(rows).set_index("key")


# ------------------------------------------------------------------ share of the city


def share_path(folder=None) -> dict:
    """The parks' share of the city's above-size industrial value added, and what the target asks.

    Returns a dict with the 2021 share, the baseline bound and its qualifier, the target
    bound, its year, and the required average annual gain in percentage points from 2021
    to the target year (and from the baseline, read as 2020, for comparison).
    """
    f = _f(folder)
    s21, base, tgt = fact(SHARE_2021, f), fact(SHARE_BASELINE, f), fact(SHARE_TARGET, f)
    assert s21["status"] == "actual" and tgt["status"] == "target"
    assert base["qualifier"] == "less_than" and tgt["qualifier"] == "at_least"
    y21, ytgt = s21["period_end"].year, tgt["period_end"].year
    years_left = ytgt - y21
    base_year = 2020  # "目前" in a mid-2021 article: most likely the 2020 annual share (see note)
    return {
        "share_2021": val(s21), "year_2021": y21,
        "baseline": val(base), "baseline_qualifier": base["qualifier"],
        "baseline_year_read": base_year,
        "target": val(tgt), "target_qualifier": tgt["qualifier"], "target_year": ytgt,
        "years_left": years_left,
        "gap_pp": val(tgt) - val(s21),
        "required_pp_per_year": (val(tgt) - val(s21)) / years_left,
        # from below 40 % to 70 %: more than 30 pp over the five years 2021-2025
        "required_from_baseline_pp_per_year": (val(tgt) - val(base)) / (ytgt - base_year),
        "jump_2021_pp": val(s21) - val(base),  # a lower bound: baseline is "<40"
        "facts": [SHARE_BASELINE, SHARE_2021, SHARE_TARGET],
    }


def implied_city(folder=None) -> dict:
    """City-wide above-size industrial value added implied by the parks' 2021 value and share.

    city_2021 = park VA / share. Set against the city's 2020 figure from s002 it gives an
    implied nominal growth (different sources and dates: an indication, not a statistic).
    Also: the parks' implied 2020 share = implied park VA 2020 / city VA 2020 (s002), and
    what the "under 40%" baseline would require if it described the same parks in 2020.
    """
    f = _f(folder)
    park_va = value("f000-030", f)
    share = value(SHARE_2021, f)
    city_2021 = park_va / (share / 100)
    city_2020 = value(CITY_VA_2020, f)
    park_2020 = implied_previous(park_va, value("f000-031", f))
    clusters = value(CLUSTERS_VA_2021, f)
    baseline = value(SHARE_BASELINE, f)
    return {
        "park_va_2021": park_va, "share_2021": share, "city_va_2021_implied": city_2021,
        "rest_of_city_2021": city_2021 - park_va,
        "city_va_2020": city_2020, "city_growth_implied_pct": (city_2021 / city_2020 - 1) * 100,
        "city_va_2020_growth_pct": value(CITY_VA_2020_GROWTH, f),
        "park_va_2020_implied": park_2020,
        "park_share_2020_implied": park_2020 / city_2020 * 100,
        "rest_of_city_2020": city_2020 - park_2020,
        "rest_of_city_growth_pct": ((city_2021 - park_va) / (city_2020 - park_2020) - 1) * 100,
        "clusters_va_2021": clusters, "clusters_share_of_implied_city": clusters / city_2021 * 100,
        # if the "under 40%" baseline held for 2020: the city total it needs (a lower bound)
        # and how much the rest of the city would have had to shrink in 2021 (at least)
        "city_va_2020_if_baseline_min": park_2020 / (baseline / 100),
        "rest_shrink_if_baseline_min_pct": (1 - (city_2021 - park_va) / (park_2020 / (baseline / 100) - park_2020)) * 100,
        "facts": ["f000-030", "f000-031", SHARE_2021, CITY_VA_2020, CITY_VA_2020_GROWTH, SHARE_BASELINE],
    }


# ------------------------------------------------------------------ pipeline


def pipeline(folder=None) -> pd.DataFrame:
    """The 2021 investment pipeline of the parks as one table, stage by stage.

    Columns: stage, part (the split shown in the figure), projects (count or NaN),
    value (yuan or NaN), value_qualifier, facts. The stages are not one cohort of
    projects (more projects were filed than signed): they are the year's activity.
    """
    f = _f(folder)
    g = {k: value(fid, f) for k, fid in PIPELINE.items()}
    rows = [
        ("Signed", "100 million yuan or more", g["big_n"], g["big_v"], "exactly", ["f000-044", "f000-046"]),
        ("Signed", "smaller", g["signed_n"] - g["big_n"], g["signed_v"] - g["big_v"], "exactly",
         ["f000-042", "f000-043", "f000-044", "f000-046"]),
        ("Signed", "of which 10 billion yuan or more", g["mega_n"], g["mega_n"] * MEGA_FLOOR, "at_least", ["f000-045"]),
        ("Filed", "industrial", g["filed_ind_n"], g["filed_ind_v"], "exactly", ["f000-049", "f000-050"]),
        ("Filed", "other", g["filed_n"] - g["filed_ind_n"], g["filed_v"] - g["filed_ind_v"], "exactly",
         ["f000-047", "f000-048", "f000-049", "f000-050"]),
        ("Invested (fixed assets)", "industrial", math.nan, value("f000-038", f), "exactly", ["f000-038"]),
        ("Invested (fixed assets)", "infrastructure", math.nan, value("f000-040", f), "exactly", ["f000-040"]),
        ("Put into production", "projects of existing firms", g["prod_n"] - g["prod_firms"], math.nan, "exactly",
         ["f000-051", "f000-052"]),
        ("Put into production", "new firms", g["prod_firms"], math.nan, "exactly", ["f000-052"]),
    ]
    return pd.DataFrame(rows, columns=["stage", "part", "projects", "value", "value_qualifier", "facts"])


def pipeline_totals(folder=None) -> pd.DataFrame:
    """One row per stage with the totals as the document prints them (count, value in yuan)."""
    f = _f(folder)
    return pd.DataFrame(
        [("Signed", value("f000-042", f), value("f000-043", f), "contract investment"),
         ("Filed", value("f000-047", f), value("f000-048", f), "filed (备案) amount"),
         ("Invested (fixed assets)", math.nan, value("f000-036", f), "completed fixed-asset investment"),
         ("Put into production", value("f000-051", f), math.nan, "value not reported")],
        columns=["stage", "projects", "value", "value_kind"]).set_index("stage")


def concentration(folder=None) -> dict:
    """How concentrated the signed contract value is, with the bounds the counts allow.

    The 3 projects of at least 10 bn yuan hold at least 3 x 100 亿元; the other large
    projects hold at least 1 亿元 each, so the 3 hold at most big_v - (big_n - 3) x 1 亿元.
    Small projects (< 1 亿元 each) average (signed_v - big_v) / (signed_n - big_n).
    """
    f = _f(folder)
    n, v = value("f000-042", f), value("f000-043", f)
    bn_, bv = value("f000-044", f), value("f000-046", f)
    mn = value("f000-045", f)
    mega_min = mn * MEGA_FLOOR
    mega_max = bv - (bn_ - mn) * BIG_FLOOR
    small_n, small_v = n - bn_, v - bv
    return {
        "big_count_share": bn_ / n * 100, "big_value_share": bv / v * 100,
        "mega_count_share": mn / n * 100,
        "mega_value_min": mega_min, "mega_value_max": mega_max,
        "mega_value_share_min": mega_min / v * 100, "mega_value_share_max": mega_max / v * 100,
        "small_n": small_n, "small_v": small_v, "small_avg": small_v / small_n,
        "big_avg": bv / bn_, "all_avg": v / n,
        "small_v_max": small_n * BIG_FLOOR,  # each small project is below 1 亿元
        "facts": ["f000-042", "f000-043", "f000-044", "f000-045", "f000-046"],
    }


# ------------------------------------------------------------------ checks


def checks(folder=None) -> pd.DataFrame:
    """Every sum and bound the documents allow, with the gap (computed minus stated).

    Columns: check, stated, computed, gap, unit, verdict, facts. `verdict` is
    'adds up', 'gap' (a sum that misses its total), 'bound holds', 'bound broken',
    'sources disagree' or 'cannot be checked' (figures that cannot be set against each other). Money in 亿元 (as printed), shares in %, areas in 万 m².
    """
    f = _f(folder)
    y = lambda fid: value(fid, f) / YI  # noqa: E731
    h = headline(folder)
    rows = []

    def add(check, stated, computed, unit, verdict, facts):
        rows.append({"check": check, "stated": stated, "computed": computed,
                     "gap": (computed - stated) if not (isinstance(stated, float) and math.isnan(stated)) else math.nan,
                     "unit": unit, "verdict": verdict, "facts": facts})

    # 1. FAI parts vs total
    parts = y("f000-038") + y("f000-040")
    add("Industrial + infrastructure investment = total fixed-asset investment", y("f000-036"), parts, "亿元",
        "adds up" if abs(parts - y("f000-036")) < 0.005 else "gap", ["f000-036", "f000-038", "f000-040"])
    # 2. implied 2020 FAI parts vs implied 2020 total
    p20 = (h.loc["fai_industrial", "implied_2020"] + h.loc["fai_infrastructure", "implied_2020"]) / YI
    t20 = h.loc["fai", "implied_2020"] / YI
    add("Implied 2020 parts = implied 2020 total (level / (1 + growth))", t20, p20, "亿元",
        "adds up" if abs(p20 - t20) < 0.005 else "gap",
        ["f000-036", "f000-037", "f000-038", "f000-039", "f000-040", "f000-041"])
    # 3. growth of the parts' sum vs stated total growth
    g_parts = (parts / p20 - 1) * 100
    add("Growth of the parts' sum = stated growth of the total", value("f000-037", f), g_parts, "%",
        "adds up" if abs(g_parts - value("f000-037", f)) < 0.05 else "gap",
        ["f000-037", "f000-039", "f000-041"])
    # 4. signed: large projects within the total
    add("Value of projects of at least 1 亿元 ≤ total signed value", y("f000-043"), y("f000-046"), "亿元",
        "bound holds" if y("f000-046") <= y("f000-043") else "bound broken", ["f000-043", "f000-046"])
    # 5. remaining (small) projects below 1 亿 each
    small_n = value("f000-042", f) - value("f000-044", f)
    small_v = y("f000-043") - y("f000-046")
    add(f"The {small_n:.0f} projects under 1 亿元: value < {small_n:.0f} × 1 亿元", small_n * 1.0, small_v, "亿元",
        "bound holds" if small_v < small_n else "bound broken", ["f000-042", "f000-043", "f000-044", "f000-046"])
    # 6. the large projects: at least 3 x 100 + 102 x 1
    n_mega, n_big = value("f000-045", f), value("f000-044", f)
    floor = n_mega * MEGA_FLOOR / YI + (n_big - n_mega) * BIG_FLOOR / YI
    add(f"Large projects' value ≥ {n_mega:.0f} × 100 亿元 + {n_big - n_mega:.0f} × 1 亿元", floor, y("f000-046"), "亿元",
        "bound holds" if y("f000-046") >= floor else "bound broken", ["f000-044", "f000-045", "f000-046"])
    # 7. filed: industrial within total
    add("Filed industrial projects ≤ all filed projects (value)", y("f000-048"), y("f000-050"), "亿元",
        "bound holds" if y("f000-050") <= y("f000-048") else "bound broken", ["f000-048", "f000-050"])
    add("Filed industrial projects ≤ all filed projects (count)", value("f000-047", f), value("f000-049", f), "projects",
        "bound holds" if value("f000-049", f) <= value("f000-047", f) else "bound broken", ["f000-047", "f000-049"])
    # 8. new firms within projects put into production
    add("New firms in production ≤ projects put into production", value("f000-051", f), value("f000-052", f), "count",
        "bound holds" if value("f000-052", f) <= value("f000-051", f) else "bound broken", ["f000-051", "f000-052"])
    # 9. parks within city: signed value and large-project count
    add("Parks' signed value ≤ city's signed value (s000 二(三)1)", y("f000-074"), y("f000-043"), "亿元",
        "bound holds" if y("f000-043") <= y("f000-074") else "bound broken", ["f000-043", "f000-074"])
    add("Parks' projects of ≥ 1 亿元 ≤ city's projects of > 1 亿元", value("f000-075", f), value("f000-044", f), "projects",
        "bound holds" if value("f000-044", f) <= value("f000-075", f) else "bound broken", ["f000-044", "f000-075"])
    # 10. output passed 1000 亿 for the first time: implied 2020 below 1000
    out20 = h.loc["output", "implied_2020"] / YI
    thr = y("f000-034")
    add(f"Output 'first time above {thr:.0f} 亿元': implied 2020 output below it", thr, out20, "亿元",
        "bound holds" if out20 < y("f000-034") < y("f000-033") else "bound broken",
        ["f000-033", "f000-034", "f000-035"])
    # 11. standard factory space: built in 2021 within the cumulative stock
    sf21, sfcum, sfapr = value("f000-054", f) / 1e4, value("f000-062", f) / 1e4, value("f002-038", f) / 1e4
    add("Standard-factory space built in 2021 ≤ cumulative stock (mid-2022, 'nearly')", sfcum, sf21, "万 m²",
        "bound holds" if sf21 <= sfcum else "bound broken", ["f000-054", "f000-062"])
    add("Stock in April 2021 (s002) + built in 2021 vs stock in mid-2022 (s000)", sfcum, sfapr + sf21, "万 m²",
        # the mid-2022 stock is cumulative and undated, and more space was under construction: no verdict either way
        "cannot be checked", ["f002-038", "f000-054", "f000-062"])
    # 12. share: implied 2020 share vs the 'under 40 %' baseline
    ic = implied_city(folder)
    add(f"Parks' implied 2020 share (s000 growth, s002 city VA) vs 'under {value(SHARE_BASELINE, f):.0f}%' (s001)",
        value(SHARE_BASELINE, f),
        ic["park_share_2020_implied"], "%",
        "sources disagree" if ic["park_share_2020_implied"] >= value(SHARE_BASELINE, f) else "bound holds",
        ["f000-030", "f000-031", "f002-011", "f001-042"])
    # 13. clusters' VA within the implied city VA
    add("'3+3' clusters' value added ≤ implied city value added", ic["city_va_2021_implied"] / YI,
        ic["clusters_va_2021"] / YI, "亿元",
        "bound holds" if ic["clusters_va_2021"] <= ic["city_va_2021_implied"] else "bound broken",
        ["f000-003", "f000-030", "f000-032"])
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ places

#: Parks whose county the documents state in words other than the park's name.
COUNTY_EVIDENCE = {
    "project_honggu_science_city": (("qujiang",), "s001: its construction launch 'was held in Qujiang' (在曲江举行)"),
    "park_dongyangguang_ruyuan": (("ruyuan",), "s001: the target is Ruyuan County's (乳源县提出)"),
}
#: Platforms that the documents tie to several counties without being in one.
SPANS = {
    "platform_wushen_components_belt": (("shixing", "nanxiong", "wengyuan"),
                                        "s000: built jointly by the Shixing, Nanxiong and Wengyuan transfer parks"),
}
#: Platform entities that are programmes or the parks taken together, not places.
NOT_PLACES = {"sg_parks", "coop_dongguan_shaoguan", "coop_guangzhou_shaoguan", "prog_ind_transformation_demo_zone"}
SHORT_SUFFIXES = ("瑶族自治县", "区", "市", "县")


def county_short_names(folder=None) -> dict:
    """{county_id: short Chinese name}: 武江区 → 武江, 乳源瑶族自治县 → 乳源."""
    e = load("entities", folder)
    out = {}
    for _, r in e[(e["parent_id"] == "shaoguan") & e["kind"].isin(["district", "county", "county_city"])].iterrows():
        name = r["name_zh"]
        for suf in SHORT_SUFFIXES:
            if name.endswith(suf):
                name = name[: -len(suf)]
                break
        out[r["entity_id"]] = name
    return out


def _in_city(e: pd.DataFrame, eid: str, city: str) -> bool:
    parent = e.set_index("entity_id")["parent_id"]
    seen = set()
    while isinstance(eid, str) and eid not in seen:
        if eid == city:
            return True
        seen.add(eid)
        eid = parent.get(eid)
    return False


def _sources_by_entity(folder=None) -> dict:
    """{entity_id: sorted source ids} over facts, park_sectors, measures, events and partnerships."""
    out: dict[str, set] = {}
    for table, cols in [("facts", ["entity_id"]), ("park_sectors", ["place_id"]), ("measures", ["entity_id"]),
                        ("events", ["entity_id"]), ("partnerships", ["partner_id", "receiver_id"])]:
        t = load(table, folder)
        for col in cols:
            for eid, sid in zip(t[col], t["source_id"]):
                out.setdefault(eid, set()).add(sid)
    return {k: sorted(v) for k, v in out.items()}


def places(city: str = "shaoguan", folder=None) -> pd.DataFrame:
    """Every park and platform the documents name in `city`, with the county the documents give.

    The county is taken only from the documents: the county's name inside the park's name
    (e.g. 翁源产业转移园 → Wengyuan), or an explicit statement recorded in COUNTY_EVIDENCE /
    SPANS. Otherwise `counties` is empty and `county_status` is 'county not stated', even
    where entities.csv gives a parent county from other knowledge (its value is kept in
    `parent_in_entities` for comparison).

    Columns: entity_id, name_en, name_zh, kind, counties (tuple of ids), county_status
    ('stated' | 'spans counties' | 'county not stated'), how, hosts (sectors with their
    role, grouped as 'lead: …; planned: …', from park_sectors), sources (tuple),
    parent_in_entities.
    """
    e = load("entities", folder)
    ps = load("park_sectors", folder)
    names = e.set_index("entity_id")["name_en"]
    short = county_short_names(folder)
    src = _sources_by_entity(folder)
    cand = e[e["kind"].isin(["park", "platform"]) & ~e["entity_id"].isin(NOT_PLACES)]
    rows = []
    for _, r in cand.iterrows():
        eid = r["entity_id"]
        if not _in_city(e, eid, city):
            continue
        if eid in SPANS:
            counties, how = SPANS[eid]
            status = "spans counties"
        elif eid in COUNTY_EVIDENCE:
            counties, how = COUNTY_EVIDENCE[eid]
            status = "stated"
        else:
            counties = tuple(c for c, s in short.items() if s in r["name_zh"])
            how = "county named in the park's name" if counties else ""
            status = "stated" if counties else "county not stated"
        links = ps[ps["place_id"] == eid]
        hosts = "; ".join(
            f"{role}: " + ", ".join(dict.fromkeys(names.get(s, s) for s in links.loc[links["role"] == role, "sector_id"]))
            for role in ROLE_ORDER if (links["role"] == role).any())
        rows.append({"entity_id": eid, "name_en": r["name_en"], "name_zh": r["name_zh"], "kind": r["kind"],
                     "counties": tuple(counties), "county_status": status, "how": how,
                     "hosts": hosts, "sources": tuple(src.get(eid, [])),
                     "parent_in_entities": r["parent_id"]})
    return pd.DataFrame(rows)


def county_counts(pl: pd.DataFrame, folder=None) -> pd.Series:
    """Parks and platforms per county (a platform in two counties counts in both).

    Platforms that merely span several counties (SPANS) are not counted; the parks
    whose county is not stated are counted under 'county not stated'.
    """
    short = county_short_names(folder)
    counts = pd.Series(0, index=list(short), dtype=int)
    for counties, status in zip(pl["counties"], pl["county_status"]):
        if status == "stated":
            for c in counties:
                counts[c] += 1
    counts["county not stated"] = int((pl["county_status"] == "county not stated").sum())
    counts["spans counties"] = int((pl["county_status"] == "spans counties").sum())
    return counts


# ------------------------------------------------------------------ reforms


def reforms(folder=None) -> pd.DataFrame:
    """The reforms that shape the parks, one row per reported figure (with hectares for mu)."""
    f = _f(folder)
    what = {
        "f000-058": "Approval (核准) of catalogue projects: time limit",
        "f000-059": "Filing (备案) of other projects: certificate within",
        "f000-056": "Works-to-parks pilots (厂区变园区、产区变城区): batches launched",
        "f000-057": "Works-to-parks pilots: land revitalised",
        "f000-060": "Land sold with a design scheme (带设计方案出让土地): projects building on receipt of land",
        "f000-061": "Low-efficiency land disposed of (park's stock cleared to zero)",
        "f000-076": "Investment per mu of projects, year-on-year",
    }
    rows = []
    for fid in REFORM_FACTS:
        r = fact(fid, f)
        vt = r["value_text"]
        shown = f"{r['value_reported']:g}" if any(ch.isdigit() for ch in vt) else f"{r['value_reported']:g} ({vt})"
        unit = {"个工作日": "working days", "亩": "mu", "个": "projects", "%": "%", "批": "batches"}.get(
            r["unit_reported"], r["unit_reported"])
        q = {"exactly": "", "about": "about ", "at_most": "at most ", "more_than": "more than "}.get(r["qualifier"], "")
        ha = f" (≈{r['value'] / MU_PER_HA:,.0f} ha)" if r["unit"] == "亩" else ""
        rows.append({"Reform": what[fid], "Where": r["entity_en"], "Figure": f"{q}{shown} {unit}{ha}",
                     "Source": f"{r['source_id']}, {r['locator']}", "fact": fid})
    return pd.DataFrame(rows)


def places_provenance(pl: pd.DataFrame, title: str = "Sources of this figure"):
    """A collapsed table like `pe.provenance`, for the map: each place, its county and why."""
    import html

    from IPython.display import HTML

    short = {**county_short_names(), "": ""}
    cells = []
    for _, r in pl.iterrows():
        county = ", ".join(short.get(c, c) for c in r["counties"]) or "not stated"
        cells.append(
            "<tr>"
            f"<td><code>{html.escape(r['entity_id'])}</code></td>"
            f"<td>{html.escape(r['name_en'])}</td>"
            f"<td lang=\"zh\">{html.escape(r['name_zh'])}</td>"
            f"<td>{html.escape(r['county_status'])}: <span lang=\"zh\">{html.escape(county)}</span></td>"
            f"<td>{html.escape(r['how'] or '-')}</td>"
            f"<td>{html.escape(', '.join(r['sources']))}</td>"
            "</tr>")
    return HTML(
        f'<details class="provenance"><summary>{html.escape(title)} ({len(pl)} places; '
        'entities.csv, park_sectors.csv; boundaries data/geo)</summary>'
        '<table class="provenance-table"><thead><tr><th>entity</th><th>name</th><th>Chinese</th>'
        '<th>county in the documents</th><th>how the county is known</th><th>sources</th></tr></thead>'
        f"<tbody>{''.join(cells)}</tbody></table></details>")
