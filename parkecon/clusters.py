"""Calculations for the chapter on the structure of the industrial clusters.

Everything here reads the curated tables passed in (``pe.facts()``, ``pe.load(...)``)
and returns plain DataFrames or numbers; nothing is stored. The functions keep the
qualifier of every reported number ("more than 800") with the number, and carry it
through sums and ratios (`combine_qualifier`), so a lower bound never turns into an
exact value on the way to a chart.

Main entry points:

- `cluster_table(facts)`: the six "3+3" clusters in 2021 (output, value added, growth,
  contribution, value added as a share of output), one row per cluster.
- `totals(facts)`: the "3+3" totals against the parks' and the implied city totals.
- `implied_base(va, growth_pct, contribution_pp)`: the previous-year city value added
  that a cluster's contribution to growth implies.
- `layout_table(cluster_system, facts)`: the "355N" tiers against current sizes.
- `data_centres(facts)`: the data-centre projects with investment per cabinet.
- `place_sector_matrix(park_sectors)`: which places host which sector groups.
"""
from __future__ import annotations

import math

import pandas as pd

from .trace import val
from . import sectors
from .calc import LOWER_BOUNDS, UPPER_BOUNDS, bn

SOURCE = "s000"
YEAR_END = pd.Timestamp("2021-12-31")

# The six "3+3" clusters in the order s000 lists them, with short English labels.
CLUSTERS = {
    "sg_adv_materials": "Advanced materials",
    "sg_adv_equipment": "Advanced equipment",
    "sg_light_industry": "Modern light industry",
    "sg_electronics": "Electronic information",
    "sg_biomed": "Biomedicine and health",
    "sg_bigdata": "Big data and software",
}
PILLARS = ["sg_adv_materials", "sg_adv_equipment", "sg_light_industry"]

# ---------------------------------------------------------------- qualifiers

_FLIP = {"more_than": "less_than", "at_least": "at_most", "less_than": "more_than",
         "at_most": "at_least", "about": "about", "nearly": "about", "exactly": "exactly"}


def _direction(q: str) -> int:
    return 1 if q in LOWER_BOUNDS else -1 if q in UPPER_BOUNDS else 0


def combine_qualifier(qualifiers, invert=None) -> str:
    """The qualifier of a sum, product or ratio of qualified numbers.

    ``invert`` marks the operands that sit in a denominator (a lower bound there makes
    the ratio an upper bound). Rules: all exact → exact; bounds that all point the same
    way → a bound that way (strict if any operand is strict); "about"/"nearly" with
    exact or bounded numbers → "about"; bounds pointing both ways → "about" (the result
    is neither a lower nor an upper bound).
    """
    qs = list(qualifiers)
    invert = list(invert) if invert is not None else [False] * len(qs)
    eff = [_FLIP[q] if inv else q for q, inv in zip(qs, invert)]
    dirs = {_direction(q) for q in eff} - {0}
    approx = any(q in {"about", "nearly"} for q in eff)
    if len(dirs) > 1 or (dirs and approx) or (approx and not dirs):
        return "about"
    if not dirs:
        return "exactly"
    d = dirs.pop()
    strict = any(q in {"more_than", "less_than"} for q in eff)
    if d > 0:
        return "more_than" if strict else "at_least"
    return "less_than" if strict else "at_most"


# ---------------------------------------------------------------- selecting facts

def _select(facts: pd.DataFrame, entity: str, indicator: str, source: str, status: str) -> pd.DataFrame:
    """The rows of `facts` for one entity, indicator, source and status.

    A plain mask on every call: a lookup memoised on the frame would go wrong after a
    learner sorts or edits the frame in place.
    """
    return facts[(facts["entity_id"] == entity) & (facts["indicator_id"] == indicator)
                 & (facts["source_id"] == source) & (facts["status"] == status)]


def pick(facts: pd.DataFrame, entity: str, indicator: str, source: str = SOURCE,
         year_end: pd.Timestamp | None = YEAR_END, status: str = "actual") -> pd.Series | None:
    """The one fact for an entity and indicator (None if there is none; error if several)."""
    hit = _select(facts, entity, indicator, source, status)
    if year_end is not None and len(hit):
        hit = hit[hit["period_end"] == year_end]
    if len(hit) > 1:
        raise ValueError(f"{len(hit)} facts for {entity}/{indicator} in {source}: {list(hit['fact_id'])}")
    if hit.empty:
        return None
    row = hit.iloc[0].copy()
    row["value"] = val(row)     # carries its fact id into computations (parkecon/trace.py)
    return row


# ---------------------------------------------------------------- the 3+3 clusters

def cluster_table(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per "3+3" cluster for 2021, from s000 section 一(一).

    Columns: cluster_id, cluster, group (pillar/emerging), output_bn, output_q,
    output_growth, va_bn, va_q, va_growth, contribution_pp, va_share (value added as a
    % of gross output) and va_share_q (its qualifier: an *upper* bound where output is a
    lower bound), and ``fact_ids`` (every fact used in the row). Missing = NaN.
    Output is "产值" (gross output value); value added is "增加值".
    """
    rows = []
    for cid, label in CLUSTERS.items():
        row = {"cluster_id": cid, "cluster": label, "group": "pillar" if cid in PILLARS else "emerging",
               "fact_ids": []}
        for key, ind in [("output", "industrial_output"), ("output_growth", "industrial_output_growth"),
                         ("va", "industrial_va"), ("va_growth", "industrial_va_growth"),
                         ("contribution_pp", "industrial_growth_contribution")]:
            f = pick(facts, cid, ind)
            if f is None:
                row[key] = math.nan
                if key in {"output", "va"}:
                    row[key + "_q"] = None
                continue
            row["fact_ids"].append(f["fact_id"])
            if key in {"output", "va"}:
                assert f["unit"] == "元", f"{f['fact_id']}: expected yuan"
                row[key + "_bn"] = bn(val(f))
                row[key + "_q"] = f["qualifier"]
            else:
                row[key] = val(f)
        row.setdefault("output_bn", math.nan)
        row.setdefault("va_bn", math.nan)
        if not math.isnan(row["output_bn"]) and not math.isnan(row["va_bn"]):
            row["va_share"] = 100 * row["va_bn"] / row["output_bn"]
            row["va_share_q"] = combine_qualifier([row["va_q"], row["output_q"]], invert=[False, True])
        else:
            row["va_share"], row["va_share_q"] = math.nan, None
        rows.append(row)
    cols = ["cluster_id", "cluster", "group", "output_bn", "output_q", "output_growth", "va_bn", "va_q",
            "va_growth", "contribution_pp", "va_share", "va_share_q", "fact_ids"]
    return pd.DataFrame(rows)[cols]


def implied_base(va: float, growth_pct: float, contribution_pp: float) -> float:
    """Previous-year city value added implied by a cluster's contribution to growth.

    A contribution of c percentage points means the cluster's increase equals c % of the
    city's previous-year value added: base = (va - va / (1 + g)) / (c / 100). Using
    nominal levels with (usually real) growth rates makes this an approximation.
    """
    increase = va - va / (1 + growth_pct / 100)
    return increase / (contribution_pp / 100)


def totals(facts: pd.DataFrame) -> dict:
    """The "3+3" totals set against the parks and the implied city, 2021, in billion yuan.

    Keys: output_3p3, output_growth_3p3, va_3p3, va_growth_3p3 (f000-001..004),
    park_va, park_va_share, park_output (f000-030, -032, -033), city_va (park_va /
    share), share_3p3_of_city, share_parts_of_city, va_parts (sum of the five clusters'
    value added), va_excess (va_parts - va_3p3), output_parts and output_parts_q (sum of
    the five known outputs, a lower bound), contribution_pillars, contribution_electronics,
    contribution_sum, increase_3p3 / increase_parts (value added gained in 2021 implied by
    the growth rates), base_pillars / base_electronics (city base implied by each
    contribution, `implied_base`), contribution_3p3_implied (the whole "3+3" increase over
    the mean of those bases, in pp), fact_ids.
    """
    t: dict = {"fact_ids": []}

    def get(entity, ind, src=SOURCE):
        f = pick(facts, entity, ind, src)
        if f is None:
            raise KeyError(f"no fact {entity}/{ind} in {src}")
        t["fact_ids"].append(f["fact_id"])
        return f

    t["output_3p3"] = bn(val(get("sg_3plus3", "industrial_output_above")))
    t["output_growth_3p3"] = val(get("sg_3plus3", "industrial_output_above_growth"))
    t["va_3p3"] = bn(val(get("sg_3plus3", "industrial_va_above")))
    t["va_growth_3p3"] = val(get("sg_3plus3", "industrial_va_above_growth"))
    t["park_va"] = bn(val(get("sg_parks", "industrial_va_above")))
    share = get("sg_parks", "industrial_va_share")
    assert share["unit"] == "%"
    t["park_va_share"] = val(share)
    exact_out = facts[(facts["entity_id"] == "sg_parks") & (facts["indicator_id"] == "industrial_output_above")
                      & (facts["qualifier"] == "exactly") & (facts["source_id"] == SOURCE)]
    assert len(exact_out) == 1, "expected one exact park output figure"
    t["park_output"] = bn(val(exact_out.iloc[0]))
    t["fact_ids"].append(exact_out.iloc[0]["fact_id"])
    t["city_va"] = t["park_va"] / (t["park_va_share"] / 100)
    t["share_3p3_of_city"] = 100 * t["va_3p3"] / t["city_va"]
    ct = cluster_table(facts)
    t["fact_ids"] += [i for ids in ct["fact_ids"] for i in ids]
    known_va = ct.dropna(subset=["va_bn"])
    t["va_parts"] = float(known_va["va_bn"].sum())
    t["va_parts_n"] = len(known_va)
    t["va_excess"] = t["va_parts"] - t["va_3p3"]
    t["share_parts_of_city"] = 100 * t["va_parts"] / t["city_va"]
    known_out = ct.dropna(subset=["output_bn"])
    t["output_parts"] = float(known_out["output_bn"].sum())
    t["output_parts_q"] = combine_qualifier(known_out["output_q"])
    t["output_3p3_over_parks"] = t["output_3p3"] - t["park_output"]
    cp = ct.set_index("cluster_id")
    pill = cp.loc[PILLARS]
    t["contribution_pillars"] = val(get("sg_pillar3", "industrial_growth_contribution"))
    t["contribution_electronics"] = float(cp.loc["sg_electronics", "contribution_pp"])
    t["contribution_sum"] = t["contribution_pillars"] + t["contribution_electronics"]
    inc = {c: cp.loc[c, "va_bn"] - cp.loc[c, "va_bn"] / (1 + cp.loc[c, "va_growth"] / 100)
           for c in PILLARS + ["sg_electronics"]}
    t["increase_pillars"] = float(sum(inc[c] for c in PILLARS))
    t["increase_electronics"] = float(inc["sg_electronics"])
    t["increase_parts"] = t["increase_pillars"] + t["increase_electronics"]
    t["increase_3p3"] = t["va_3p3"] - t["va_3p3"] / (1 + t["va_growth_3p3"] / 100)
    t["base_pillars"] = t["increase_pillars"] / (t["contribution_pillars"] / 100)
    t["base_electronics"] = implied_base(cp.loc["sg_electronics", "va_bn"], cp.loc["sg_electronics", "va_growth"],
                                         t["contribution_electronics"])
    base = (t["base_pillars"] + t["base_electronics"]) / 2
    t["base_mean"] = base
    t["contribution_3p3_implied"] = 100 * t["increase_3p3"] / base
    t["pillar_va_sum"] = float(pill["va_bn"].sum())
    t["fact_ids"] = list(dict.fromkeys(t["fact_ids"]))
    return t


# ---------------------------------------------------------------- the "355N" layout

TIER_LABELS = {"tier_100bn": "over 100 bn yuan", "tier_50bn": "over 50 bn yuan", "tier_30bn": "over 30 bn yuan",
               "n_other": "N: over 10 bn yuan"}

# "355N" industries that s000 also names among the "3+3" clusters (under a near-identical name:
# 生物医药和大健康 / 生物医药与大健康, 装备制造 / 先进装备制造). Their 2021 output, and whether that
# output covers the whole industry, is declared once, in `audit.BASELINE_MAP`.
NAMED_IN_3P3 = {"sg_355n_biomed_health": "sg_biomed", "sg_355n_equipment": "sg_adv_equipment"}
# What the 2021 figure standing for a "355N" industry measures, as s000 words it.
BASELINE_OF = {"sg_biomed": "Biomedicine cluster", "sg_electronics": "Electronics manufacturing",
               "sg_adv_equipment": "Equipment manufacturing cluster"}


def layout_table(cluster_system: pd.DataFrame, facts: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """The "355N" sectors (s001) with their tier and, where s000 gives one, their 2021 output.

    Columns: sector_id, sector, group, tier, threshold_bn (the tier's "over" threshold, a
    target), threshold_fact, target_year and year_read (s001 gives no year: the year the book
    reads, and why), current_bn, current_q, current_fact, current_of (the "3+3" cluster whose
    output is used), current_partial (True when that cluster is only part of the "355N"
    industry, so the current size is a lower bound), also_in_3p3, multiple (threshold /
    current, with multiple_q: the threshold is a number, so only the current size bounds it), cagr_needed (with cagr_q) and `required`, the
    `audit.RequiredRate` that chapter 5 prints too: one computation of rate and direction.
    """
    from . import audit

    names = entities.set_index("entity_id")["name_en"]
    cs = cluster_system[cluster_system["system"] == "355N"]
    by_id = facts.set_index("fact_id")
    rows = []
    for _, r in cs.iterrows():
        sid = r["sector_id"]
        tf = _select(facts, sid, "total_output", r["source_id"], "target")
        assert len(tf) == 1, f"expected one tier-threshold fact for {sid}, found {len(tf)}"
        tf = tf.iloc[0]
        thr = bn(val(tf))
        assert abs(thr * 10 - float(r["tier_threshold_yi"])) < 1e-6, f"{sid}: fact and cluster_system disagree"
        year, why = audit.target_year(tf["fact_id"], tf["period_end"], tf["period_basis"])
        row = {"sector_id": sid, "sector": names[sid], "group": r["group"], "tier": TIER_LABELS[r["group"]],
               "threshold_bn": thr, "threshold_q": tf["qualifier"], "threshold_fact": tf["fact_id"],
               "target_year": year, "year_read": why, "also_in_3p3": sid in NAMED_IN_3P3,
               "current_bn": math.nan, "current_q": None, "current_fact": None, "current_of": None,
               "current_partial": False, "required": None,
               "multiple": math.nan, "multiple_q": None, "cagr_needed": math.nan, "cagr_q": None}
        if tf["fact_id"] in audit.BASELINE_MAP:
            m = audit.BASELINE_MAP[tf["fact_id"]]
            b = by_id.loc[m.fact]
            rr = audit.required_rate(val(tf), tf["qualifier"], val(b), b["qualifier"],
                                     int(b["period_end"].year), year, base_covers_target=m.covers_target, year_read=why)
            q = b["qualifier"] if m.covers_target else combine_qualifier([b["qualifier"], "at_least"])
            row.update(current_bn=bn(val(b)), current_q=q, current_fact=m.fact,
                       current_of=BASELINE_OF.get(b["entity_id"], CLUSTERS[b["entity_id"]]),
                       current_partial=not m.covers_target, required=rr,
                       multiple=rr.multiple, multiple_q=combine_qualifier([q], invert=[True]),
                       cagr_needed=rr.rate, cagr_q=rr.qualifier)
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- big data and software

DC_PROJECTS = ["project_huashao_datagu", "project_yingshuo_dc", "project_gdmobile_idc"]


def data_centres(facts: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """The named data-centre projects (s000 二(三)2.三) and the nine-project programme.

    One row per named project (cabinets 机柜, planned investment) and one for the whole
    programme (standard racks 标准机架, planned investment of the nine projects). Columns:
    entity_id, project, unit ("cabinet" or "standard rack"), count, invest_bn, invest_q,
    yuan_per_unit (investment / count, with per_unit_q), fact_ids. Cabinets and standard
    racks are different units: do not add or compare them one for one.
    """
    names = entities.set_index("entity_id")["name_en"]
    rows = []
    for pid in DC_PROJECTS:
        cab = pick(facts, pid, "data_centre_cabinets", year_end=None, status="plan")
        inv = pick(facts, pid, "planned_investment", year_end=None, status="plan")
        ids = [cab["fact_id"]] + ([inv["fact_id"]] if inv is not None else [])
        row = {"entity_id": pid, "project": names[pid], "unit": "cabinet", "count": val(cab),
               "count_q": cab["qualifier"], "invest_bn": bn(val(inv)) if inv is not None else math.nan,
               "invest_q": inv["qualifier"] if inv is not None else None, "fact_ids": ids}
        rows.append(row)
    racks = pick(facts, "sg_bigdata", "data_centre_standard_racks", year_end=None, status="plan")
    inv = pick(facts, "sg_bigdata", "planned_investment", year_end=None, status="plan")
    n = pick(facts, "sg_bigdata", "data_centre_projects", year_end=None, status="actual")
    rows.append({"entity_id": "sg_bigdata", "project": f"All {int(n['value'])} data-centre projects",
                 "unit": "standard rack", "count": val(racks), "count_q": racks["qualifier"],
                 "invest_bn": bn(val(inv)), "invest_q": inv["qualifier"],
                 "fact_ids": [n["fact_id"], racks["fact_id"], inv["fact_id"]]})
    df = pd.DataFrame(rows)
    df["yuan_per_unit"] = df["invest_bn"] * 1e9 / df["count"]
    df["per_unit_q"] = [combine_qualifier([iq, cq], invert=[False, True]) if iq else None
                        for iq, cq in zip(df["invest_q"], df["count_q"])]
    return df


# ---------------------------------------------------------------- places and sectors


# Rows of the matrix: (label, block, place ids). Places that the documents name only once
# and that belong together are merged into one row; the label says how many.
PLACE_ROWS = [
    ("Shaoguan, city-wide statements", "Shaoguan city and its parks", ["shaoguan"]),
    ("Shaoguan High-tech Zone", "Shaoguan city and its parks", ["park_shaoguan_hitech"]),
    ("Huanan Equipment Park", "Shaoguan city and its parks", ["park_huanan_equipment"]),
    ("Guanshao biopharma park", "Shaoguan city and its parks", ["park_guanshao_biopharma"]),
    ("Data-centre hub cluster (bid)", "Shaoguan city and its parks", ["platform_sg_dc_cluster"]),
    ("Expressway components belt", "Shaoguan city and its parks", ["platform_wushen_components_belt"]),
    ("Transfer parks: Shixing, Nanxiong, Wengyuan", "Shaoguan city and its parks",
     ["park_shixing_transfer", "park_nanxiong_transfer", "park_wengyuan_transfer"]),
    ("Shaogang and Baowu park (Qujiang)", "Shaoguan city and its parks", ["shaogang", "park_baowu_shaoguan"]),
    ("Shaoye smelter site", "Shaoguan city and its parks", ["shaoye"]),
    ("Fankou mine (Renhua)", "Shaoguan city and its parks", ["fankou_mine"]),
    ("Danxia smelter (Renhua)", "Shaoguan city and its parks", ["danxia_smelter"]),
    ("HEC park (Ruyuan)", "Shaoguan city and its parks", ["park_dongyangguang_ruyuan"]),
    ("Renhua County", "Shaoguan city and its parks", ["renhua"]),
    ("Shixing County", "Shaoguan city and its parks", ["shixing"]),
    ("Wengyuan County, orchid e-commerce park", "Shaoguan city and its parks",
     ["wengyuan", "park_wengyuan_orchid_ecommerce"]),
    ("Wujiang, district-wide", "Wujiang District plan", ["wujiang"]),
    ("Urban-rural integration park", "Wujiang District plan", ["park_wujiang_urban_rural"]),
    ("Modern agricultural park", "Wujiang District plan", ["park_wujiang_modern_agri"]),
    ("Gantang chemical park", "Wujiang District plan", ["park_wujiang_gantang"]),
    ("Science and technology park", "Wujiang District plan", ["platform_wujiang_scitech"]),
    ("Longgui Town", "Wujiang District plan", ["longgui"]),
    ("Named firms and projects (4)", "Wujiang District plan",
     ["firm_oulai", "project_shaohua_ic_display", "firm_livzon_limin", "firm_boya_bio"]),
    ("Qingcheng, district-wide", "Qingcheng District plan", ["qingcheng"]),
    ("Qingyuan, existing base", "Qingcheng District plan", ["qingyuan"]),
    ("Guangqing textile transfer park", "Qingcheng District plan", ["park_guangqing_textile"]),
    ("Guangqing auto-parts base", "Qingcheng District plan", ["platform_guangqing_auto_parts_base"]),
    ("Internet+ innovation park", "Qingcheng District plan", ["park_qy_internet_plus"]),
    ("Shijiao Town and two drug makers", "Qingcheng District plan",
     ["town_shijiao", "firm_xinbeijiang_pharma", "firm_lanbao_pharma"]),
    ("Feilaixia prepared-food park", "Qingcheng District plan", ["park_feilaixia_prepared_food"]),
    ("Modern agricultural park", "Qingcheng District plan", ["park_qingcheng_modern_agri"]),
    ("Yuantan Town", "Qingcheng District plan", ["town_yuantan"]),
    ("Tourism zones and platforms (6)", "Qingcheng District plan",
     ["platform_guangqing_tourism_demo", "platform_beijiang_eco_belt", "platform_chimelong_yinzhan",
      "platform_meilinhu_leisure", "platform_dongcheng_feilaixia_rural", "platform_yiyuecheng_fengcheng"]),
]

#: The roles a park-sector statement can give (park_sectors.role), from what a place has now
#: to what it plans; one order for every table and chart (a chart cell that holds several
#: roles shows the first).
ROLE_ORDER = ["hosts", "lead", "priority", "planned"]
ROLE_LABELS = {"hosts": "hosts it now", "lead": "lead industry", "priority": "priority", "planned": "planned / to attract"}


def place_row(place_id: str) -> tuple[str, str]:
    """(row label, block) of a place in the matrix; KeyError if the place is not placed."""
    for label, block, ids in PLACE_ROWS:
        if place_id in ids:
            return label, block
    raise KeyError(f"place {place_id!r} is in no row: add it to clusters.PLACE_ROWS")


def place_sector_links(park_sectors: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """park_sectors.csv with the matrix row, block and sector group of each link."""
    df = park_sectors.copy()
    rb = [place_row(p) for p in df["place_id"]]
    df["row"] = [r for r, _ in rb]
    df["block"] = [b for _, b in rb]
    parents = dict(zip(entities["entity_id"], entities["parent_id"]))
    df["group"] = [sectors.group(s, parents) for s in df["sector_id"]]
    return df


def place_sector_matrix(park_sectors: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """One row per (matrix row, sector group) that the documents link: role shown, count of statements.

    Columns: block, row, row_order, group, group_order, role (the first of ROLE_ORDER
    among the cell's statements), roles (all roles, sorted), n (statements), link_ids.
    """
    links = place_sector_links(park_sectors, entities)
    order = {(lab, blk): i for i, (lab, blk, _) in enumerate(PLACE_ROWS)}
    out = []
    for (blk, row, grp), g in links.groupby(["block", "row", "group"], sort=False):
        roles = set(g["role"])
        out.append({"block": blk, "row": row, "row_order": order[(row, blk)], "group": grp,
                    "group_order": sectors.GROUPS.index(grp), "role": next(r for r in ROLE_ORDER if r in roles),
                    "roles": sorted(roles, key=ROLE_ORDER.index), "n": len(g), "link_ids": list(g["link_id"])})
    return pd.DataFrame(out).sort_values(["row_order", "group_order"]).reset_index(drop=True)


def link_provenance(rows: pd.DataFrame, id_col: str, what, title: str = "Sources of this figure"):
    """A collapsed provenance table for rows of park_sectors or cluster_system, via the shared
    `parkecon.provenance.rows_provenance`. ``what`` maps a row to its description."""
    from .provenance import rows_provenance

    table = pd.DataFrame({"id": rows[id_col].astype(str), "what": [what(r) for _, r in rows.iterrows()],
                          "source_id": rows["source_id"], "locator": rows["locator"], "quote": rows["quote"]})
    return rows_provenance(table, title)


# ---------------------------------------------------------------- drawing

def bound_arrows(ax, xs, ys, qualifiers, horizontal: bool = True, length: float = 26, start: float = 0,
                 colour: str = "#333333") -> None:
    """Arrows beyond bounded values, sized in points: right (or up) for lower bounds.

    Works on log axes, where `pe.style.mark_bounds` (which steps in data units) would
    draw arrows of very different lengths. ``start`` leaves a gap (points) for a marker.
    """
    from matplotlib.transforms import offset_copy

    for x, y, q in zip(xs, ys, qualifiers):
        if q not in LOWER_BOUNDS and q not in UPPER_BOUNDS:
            continue
        s = 1 if q in LOWER_BOUNDS else -1
        dx, dy = (s, 0) if horizontal else (0, s)
        tail = offset_copy(ax.transData, fig=ax.figure, x=dx * start, y=dy * start, units="points")
        head = offset_copy(ax.transData, fig=ax.figure, x=dx * (start + length), y=dy * (start + length),
                           units="points")
        ax.annotate("", xy=(x, y), xycoords=head, xytext=(x, y), textcoords=tail,
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.4, shrinkA=0, shrinkB=0))
