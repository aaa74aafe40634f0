"""Industrial transfer from the Pearl River Delta to northern Guangdong.

Helpers for the chapter on transfer: the partnership network (who is paired with whom,
in what form), its flows on the map of Guangdong's cities, the money and projects the
documents report with their average size, the "models" the documents name, and a
side-by-side of what Shaoguan (city and Wujiang District) and Qingcheng District say
they want to receive and which mechanisms they list.

Everything here reads the curated tables passed in as DataFrames (the notebook loads
them with `parkecon.load`); nothing is stored. Classifications that are ours, not the
documents' (broad sector groups, mechanism types), are explicit dictionaries below so
that a reader can check and change them.
"""
from __future__ import annotations

import re

import pandas as pd

from .trace import val
from . import sectors
from .calc import LOWER_BOUNDS, UPPER_BOUNDS, bn
from .provenance import fact, value
from .style import PALETTE

# ------------------------------------------------------------------ vocabulary

FORM_LABELS = {
    "counterpart_assistance": "Counterpart assistance",
    "co_construction": "Co-construction",
    "park_pairing": '"2+2" park pairing',
    "grouping_1n1": '"1+N+1" grouping',
    "city_integration": "City integration",
    "cooperation_agreement": "Cooperation agreement",
    "industrial_transfer_park": "Transfer park",
    "investment_targeting": "Investment targeting (no named counterpart)",
}

#: One colour per form (Okabe-Ito palette of the book).
FORM_COLOURS = {
    "counterpart_assistance": PALETTE[0],
    "co_construction": PALETTE[2],
    "park_pairing": PALETTE[5],
    "grouping_1n1": PALETTE[3],
    "city_integration": PALETTE[1],
    "industrial_transfer_park": PALETTE[4],
    "cooperation_agreement": PALETTE[7],
    "investment_targeting": "#999999",
}

#: Zones of the 2019 "one core, one belt, one zone" layout (external source x001): labels and
#: light fills (palette colours mixed with white) so that arrows stay visible on top.
ZONE_LABELS = {
    "prd_core": "Pearl River Delta core",
    "coastal_east": "Coastal belt, east wing",
    "coastal_west": "Coastal belt, west wing",
    "northern_eco": "Northern ecological zone",
}


def _tint(hex_colour: str, share: float) -> str:
    """hex_colour mixed with white: share=1 keeps the colour, 0 gives white."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - share * (255 - c)):02x}" for c in rgb)


ZONE_COLOURS = {
    "prd_core": _tint(PALETTE[0], 0.40),
    "coastal_east": _tint(PALETTE[1], 0.40),
    "coastal_west": _tint(PALETTE[6], 0.45),
    "northern_eco": _tint(PALETTE[2], 0.40),
}

#: Short English labels for the nodes of the network figure (the full names are long).
SHORT_NAMES = {
    "gba": "Greater Bay Area (no city named)",
    "zone_prd_core": "Pearl River Delta (as a whole)",
    "firm_guangzhou_port_group": "Guangzhou Port Group",
    "park_songshan_lake": "Songshan Lake High-tech Zone",
    "park_yinping": "Yinping Innovation Park",
    "fenggang": "Fenggang Town",
    "huangpu": "Huangpu District",
    "huadu": "Huadu District",
    "shaoguan_new_area": "Shaoguan New Area",
    "park_shaoguan_hitech": "Shaoguan High-tech Zone",
    "park_huanan_equipment": "Huanan Equipment Park",
    "park_guanshao": "Guanshao Park",
    "shaoguan_port": "Shaoguan Port",
    "wujiang": "Wujiang District",
    "qingcheng": "Qingcheng District",
    "park_guangqing": "Guangqing Industrial Park",
    "park_guangqing_textile": "Guangqing Textile Transfer Park",
    "platform_guangqing_auto_parts_base": "Guangqing Auto Parts Base",
    "park_guanshao_biopharma": "Guanshao biopharmaceutical park",
    "platform_sg_dc_cluster": "Shaoguan data-centre cluster (hub-node bid)",
    "platform_wushen_components_belt": "Components belt along the Wuhan–Shenzhen expressway",
    "platform_guangqing_tourism_demo": "Guangqing junction tourism demonstration zone",
    "park_qingcheng_modern_agri": "Qingcheng National Modern Agricultural Park",
    "park_qy_internet_plus": "Qingyuan Internet+ Innovation Park",
    "platform_yiyuecheng_fengcheng": "Yiyuecheng-Fengcheng tourism zone",
    "platform_chimelong_yinzhan": "Chimelong-Yinzhan forest theme parks",
    "platform_meilinhu_leisure": "Meilin Lake leisure and wellness zone",
    "platform_dongcheng_feilaixia_rural": "Dongcheng-Feilaixia rural leisure zone",
    "park_wujiang_modern_agri": "Wujiang Modern Agricultural Park",
    "park_wujiang_urban_rural": "Wujiang Urban-Rural Integration Park",
    "platform_wujiang_scitech": "Wujiang Science and Technology Park",
}

#: The three receiving sides compared in the chapter, and the documents that speak for each.
#: s001 (the works-to-parks feature) is left out of Shaoguan's side on purpose: its sectors
#: are those of old plant sites being converted, not of transfer (an exercise adds it back).
SIDES = {
    "shaoguan": {"label": "Shaoguan city", "sources": ["s000", "s002"]},
    "wujiang": {"label": "Wujiang District (Shaoguan)", "sources": ["s004"]},
    "qingcheng": {"label": "Qingcheng District (Qingyuan)", "sources": ["s003"]},
}


#: Mechanism types (ours), each found by patterns in a measure's verbatim Chinese quote or,
#: where the quote is only part of the sentence, in a specific English phrase of its summary.
#: Only measures of the categories in MECHANISM_CATEGORIES are read (not green, finance,
#: talent, innovation or infrastructure measures). A measure can match several types.
MECHANISMS = {
    "Leading group or coordination body": r"领导小组|专项小组|挂帅|协调推进机制|联席会议|联席工作小组|一盘棋",
    "Investment-promotion teams": r"招商队|小分队|委托第三方开展整体招商|赴外招商|招商工作群|\bchain teams\b|investment missions",
    "Project library, database or list": r"项目库|企业数据库|企业清单|台账|动态管理清单",
    "Performance assessment or contest": r"考核|评比竞赛",
    "Industry-chain promotion (chain leaders)": r"链长|链主|产业链招商|产业链图谱|industry-chain maps",
    "Counterpart-assistance arrangement": r"对口帮扶|1\+N\+1|2\+2|黄埔清城|counterpart",
    "Investors bring investors": r"以商招商|以企引企|investors recruiting investors",
    "Build on land acquisition, faster approval": r"拿地即开工|带设计方案出让|审批|容缺|approval in \d",
    "Named officer per project or firm": r"专员|首席服务官|落实到人|专人",
}
MECHANISM_CATEGORIES = {"mechanism", "investment_promotion", "planning", "policy", "services", "land", "platform"}


def side_of_source(source_id: str, sides: dict | None = None) -> str | None:
    """Which receiving side ('shaoguan', 'wujiang', 'qingcheng') a source speaks for, or None."""
    for key, spec in (sides or SIDES).items():
        if source_id in spec["sources"]:
            return key
    return None


# ------------------------------------------------------------------ partnerships

def city_of(entity_id: str, entities: pd.DataFrame) -> str | None:
    """The prefecture-level city an entity lies in (itself if it is a city), following parent_id."""
    e = entities.set_index("entity_id")
    seen = set()
    cur = entity_id
    while isinstance(cur, str) and cur in e.index and cur not in seen:
        seen.add(cur)
        if e.at[cur, "kind"] == "city":
            return cur
        cur = e.at[cur, "parent_id"]
    return None


_INFERRED = re.compile(r"\binferred\b|does not (?:say|name|describe)", re.I)


def partnership_edges(partnerships: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """One row per (Delta partner, northern receiver, form) with how many statements support it.

    Columns: partner_id, receiver_id, form, n (rows of partnerships.csv), ids, sources,
    inferred (True when a curator's note says a side of the pairing is read from a park's
    name or a list's order rather than stated), partner_city, receiver_city.
    """
    p = partnerships.copy()
    p["inferred_row"] = p["note"].fillna("").str.contains(_INFERRED)
    g = (p.groupby(["partner_id", "receiver_id", "form"], sort=False)
         .agg(n=("partnership_id", "size"),
              ids=("partnership_id", lambda s: ", ".join(s)),
              sources=("source_id", lambda s: ", ".join(sorted(set(s)))),
              inferred=("inferred_row", "any"))
         .reset_index())
    g["partner_city"] = [city_of(x, entities) for x in g["partner_id"]]
    g["receiver_city"] = [city_of(x, entities) for x in g["receiver_id"]]
    return g


def city_flows(edges: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Partnership statements summed by (partner city, receiver city).

    Returns the table (partner_city, receiver_city, n, forms) and the number of statements
    whose Delta side is no city (the Bay Area or the Delta as a whole), which a city map
    cannot place.
    """
    placed = edges.dropna(subset=["partner_city", "receiver_city"])
    unplaced = int(edges.loc[edges["partner_city"].isna(), "n"].sum())
    flows = (placed.groupby(["partner_city", "receiver_city"])
             .agg(n=("n", "sum"), forms=("form", lambda s: ", ".join(sorted(set(s)))))
             .reset_index().sort_values("n", ascending=False, kind="stable").reset_index(drop=True))
    return flows, unplaced


def network_layout(edges: pd.DataFrame, entities: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Positions for a two-column drawing: Delta partners at x=0, northern receivers at x=1.

    Nodes are grouped by city (the city itself first, then its districts, parks and firms,
    alphabetically); nodes with no city (the Bay Area, the Delta as a whole) come first.
    y runs from 0 (top) downwards in steps of 1, with a gap of 0.6 between city groups.
    """
    kind = entities.set_index("entity_id")["kind"]

    def column(ids, city_col):
        rows = edges[[ids, city_col]].drop_duplicates()
        order_city = {c: i for i, c in enumerate(
            edges.groupby(city_col, dropna=False)["n"].sum().sort_values(ascending=False, kind="stable").index)}
        rows = rows.assign(
            c=rows[city_col].map(lambda c: -1 if pd.isna(c) else order_city.get(c, 99)),
            self_first=[0 if k == "city" else 1 for k in rows[ids].map(kind)],
        ).sort_values(["c", "self_first", ids])
        pos, y, prev = {}, 0.0, None
        for _, r in rows.iterrows():
            if prev is not None and r["c"] != prev:
                y += 0.6
            pos[r[ids]] = y
            y += 1
            prev = r["c"]
        return pos

    left = column("partner_id", "partner_city")
    right = column("receiver_id", "receiver_city")
    # centre the shorter column against the longer one
    hl, hr = max(left.values()), max(right.values())
    off_l, off_r = max(0.0, (hr - hl) / 2), max(0.0, (hl - hr) / 2)
    out = {k: (0.0, v + off_l) for k, v in left.items()}
    out.update({k: (1.0, v + off_r) for k, v in right.items()})
    return out


def short_name(entity_id: str, entities: pd.DataFrame) -> str:
    """A short English label: SHORT_NAMES, else the entity's name_en without brackets."""
    if entity_id in SHORT_NAMES:
        return SHORT_NAMES[entity_id]
    name = entities.set_index("entity_id").at[entity_id, "name_en"]
    return re.sub(r"\s*\(.*?\)", "", str(name)).strip()


#: The part of the province the flow map zooms into (lon/lat degrees): the Delta and the
#: two receiving cities.
FLOW_EXTENT = (111.35, 115.55, 22.05, 25.55)


# ------------------------------------------------------------------ flows of money and projects

#: The flows the documents report: (key, label, projects fact, value fact, kind).
#: kind: 'signed' = contract or pledged investment of signed projects; 'introduced' =
#: total investment of projects brought in (pledged); 'completed' = investment done.
FLOWS = [
    ("dongguan_2020", "Dongguan–Shaoguan co-construction, signed 2020", "f002-017", "f002-018", "signed"),
    ("guangzhou_cum", "Projects from Guangzhou, introduced (cumulative to April 2021)", "f002-020", "f002-021", "introduced"),
    ("parks_2021", "Shaoguan parks, signed 2021", "f000-042", "f000-043", "signed"),
    ("parks_2021_large", "  of which projects of 100 million yuan or more", "f000-044", "f000-046", "signed"),
    ("city_2021", "Shaoguan city-wide, signed 2021", None, "f000-074", "signed"),
    ("city_2021_landed", "Shaoguan city-wide, projects landed 2021 (investment completed)", "f000-077", "f000-078", "completed"),
    ("parks_2021_fai", "Shaoguan parks, fixed-asset investment completed 2021", None, "f000-036", "completed"),
]


def flow_table(facts: pd.DataFrame) -> pd.DataFrame:
    """Projects, value and average value per project for each reported flow.

    Adds the derived row 'projects under 100 million yuan' (parks 2021 all minus large).
    The average keeps the value's qualifier: a 'more than' total gives a lower bound.
    Columns: key, label, kind, projects, value_bn, value_qualifier, avg_bn, avg_qualifier,
    period_end, source_id, fact_ids.
    """
    rows = []
    for key, label, pf, vf, kind in FLOWS:
        v = fact(vf, facts)
        assert v["unit"] == "元", f"{vf} is not in yuan"
        p = fact(pf, facts) if pf else None
        if p is not None:
            assert p["unit"] in ("个",), f"{pf} is not a count of projects"
            assert p["qualifier"] == "exactly", f"{pf}: project count is not exact"
        n = val(p) if p is not None else float("nan")
        rows.append({"key": key, "label": label, "kind": kind, "projects": n,
                     "value_bn": bn(val(v)), "value_qualifier": v["qualifier"],
                     "period_end": v["period_end"], "source_id": v["source_id"],
                     "fact_ids": [x for x in (pf, vf) if x]})
    t = pd.DataFrame(rows)
    allp, large = t.set_index("key").loc["parks_2021"], t.set_index("key").loc["parks_2021_large"]
    small = {"key": "parks_2021_small", "label": "  of which projects under 100 million yuan (derived)",
             "kind": "signed", "projects": allp["projects"] - large["projects"],
             "value_bn": allp["value_bn"] - large["value_bn"], "value_qualifier": "exactly",
             "period_end": allp["period_end"], "source_id": allp["source_id"],
             "fact_ids": allp["fact_ids"] + large["fact_ids"]}
    i = t.index[t["key"] == "parks_2021_large"][0]
    t = pd.concat([t.iloc[: i + 1], pd.DataFrame([small]), t.iloc[i + 1:]], ignore_index=True)
    t["avg_bn"] = t["value_bn"] / t["projects"]
    t["avg_qualifier"] = t["value_qualifier"].where(t["value_qualifier"].isin(LOWER_BOUNDS | UPPER_BOUNDS), "exactly")
    t.loc[t["projects"].isna(), "avg_qualifier"] = None
    return t


# ------------------------------------------------------------------ models

_QUOTED = re.compile(r"“([^”]+)”")


def quoted_terms(text: str) -> list[str]:
    """The terms a Chinese sentence puts in curly quotes (“…”), in order."""
    return _QUOTED.findall(text or "")


#: The transfer models the documents name: (model, table, row id that names it, term
#: picker, what it claims (our words), facts attached with a short English description).
MODELS = [
    ("R&D in the Bay Area, production in Shaoguan", "partnerships", "p000-004", 0,
     "Take over the processing and manufacturing stages of electronic components and terminals from the "
     "Pearl River Delta; named investors Honggu, Amer International (正威), Huatian and Wanyang (s000).",
     [("f000-015", "electronics cluster output, 2021"), ("f000-016", "its growth, 2021")]),
    ("R&D plus production (Wujiang)", "measures", "m004-019", 0,
     "Wujiang's version for biomedicine: take over manufacturing stages of Bay Area drug makers, "
     "with an API park for their expansion projects (s004).", []),
    ("Headquarters + base; leading firm + suppliers", "partnerships", "p000-005", slice(0, 2),
     "Work with headquarters and leading firms of the Bay Area and Shenzhen so that production bases and "
     "their suppliers locate in Shaoguan (s000); part of the 2021 investment drive.",
     [("f000-074", "city-wide signed contract investment, 2021"),
      ("f000-075", "of which projects above 100 million yuan, 2021")]),
    ('"2+2" park pairing', "partnerships", "p002-007", 0,
     "Dongguan's Songshan Lake and Yinping parks assist Shaoguan's High-tech Zone and Huanan "
     "Equipment Park under the third round of Dongguan–Shaoguan assistance (s002).",
     [("f002-017", "Dongguan–Shaoguan projects signed, 2020"), ("f002-018", "their investment, 2020"),
      ("f000-076", "Huanan park investment per mu, growth 2021")]),
    ('"1+N+1" grouping', "partnerships", "p002-006", 0,
     "The assistance grouping model of the Dongguan–Shaoguan pairing moves to a new format; the article "
     "does not say what the parts stand for (s002).", []),
    ("Build on land acquisition (Dongguan practice)", "measures", "m003-049", 0,
     "Land sold with an approved design so building starts on acquisition; copied from Dongguan in "
     "Shaoguan's Huanan park (s000) and listed again by Qingcheng (s003).",
     [("f000-060", "Huanan park projects started on acquisition, by mid-2022")]),
    ("Market-run park operators (Wanyang, Honggu)", "measures", "m001-029", None,
     "An enterprise group develops the park and runs investment promotion, management and services for "
     "it (s001).",
     [("f001-037", "Wanyang park (Wengyuan), planned investment at signing, 2021"),
      ("f001-038", "Honggu Science City (Qujiang), firms to bring in"),
      ("f001-039", "Honggu, investment to attract"),
      ("f001-040", "Honggu, of which Fortune Global 500 firms"),
      ("f001-041", "Honggu, of which China top-500 firms")]),
]


def format_fact(row: pd.Series) -> str:
    """'50.0 bn yuan (plan)', 'more than 10.0 bn yuan (target)', '150 firms (target)', '65.4 %'."""
    from .calc import words

    q = row["qualifier"]
    if row["unit"] == "元":
        text = words(bn(val(row)), q, "{:,.2f}") + " bn yuan"
    elif row["unit"] == "%":
        text = words(val(row), q, "{:,.1f}") + "%"
    else:
        unit = {"个": "projects", "家": "firms"}.get(str(row["unit_reported"]), str(row["unit"]))
        if val(row) == 1:
            unit = unit.removesuffix("s")
        text = words(val(row), q, "{:,.0f}") + " " + unit
    if row["status"] != "actual":
        text += f" ({row['status']})"
    return text


def models_table(facts: pd.DataFrame, partnerships: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """The models the documents name, with the term as printed, source, claim and figures attached."""
    tables = {"partnerships": partnerships.set_index("partnership_id"), "measures": measures.set_index("measure_id")}
    out = []
    for name, table, rid, pick, claim, figs in MODELS:
        r = tables[table].loc[rid]
        terms = quoted_terms(r["quote"])
        if pick is None:
            m = re.search(r"市场化运作模式", r["quote"])
            term = m.group(0) if m else ""
        elif isinstance(pick, slice):
            term = "; ".join(terms[pick])
        else:
            term = terms[pick]
        figures = "; ".join(f"{desc}: {format_fact(fact(fid, facts))}" for fid, desc in figs) or "none given"
        out.append({"Model": name, "Term as printed": term, "Source": f"{r['source_id']} {r['locator']}",
                    "What it claims": claim, "Figures attached": figures,
                    "fact_ids": [fid for fid, _ in figs]})
    return pd.DataFrame(out)


# ------------------------------------------------------------------ what each side wants

def wanted_sectors(park_sectors: pd.DataFrame, cluster_system: pd.DataFrame, sides: dict | None = None) -> pd.DataFrame:
    """Sectors and clusters each side names as lead, priority or planned (not merely hosted).

    From park_sectors (role lead/priority/planned) and cluster_system (all groups except
    the 'n_other' tier of traditional or unnamed industries). Columns: side, sector_id,
    group (ours), row_id, table.
    """
    sides = sides or SIDES
    ps = park_sectors[park_sectors["role"].isin(["lead", "priority", "planned"])]
    a = pd.DataFrame({"source_id": ps["source_id"], "sector_id": ps["sector_id"], "row_id": ps["link_id"], "table": "park_sectors"})
    cs = cluster_system[cluster_system["group"] != "n_other"]
    b = pd.DataFrame({"source_id": cs["source_id"], "sector_id": cs["sector_id"], "row_id": cs["row_id"], "table": "cluster_system"})
    t = pd.concat([a, b], ignore_index=True)
    t["side"] = t["source_id"].map(lambda s: side_of_source(s, sides))
    t = t.dropna(subset=["side"])
    t["group"] = t["sector_id"].map(sectors.group)
    return t[["side", "sector_id", "group", "row_id", "table", "source_id"]].reset_index(drop=True)


def sector_matrix(wanted: pd.DataFrame, sides: dict | None = None) -> pd.DataFrame:
    """Broad group × side: number of distinct sectors or clusters named (0 = none)."""
    sides = sides or SIDES
    m = (wanted.drop_duplicates(["side", "sector_id"]).groupby(["group", "side"]).size()
         .unstack(fill_value=0).reindex(columns=list(sides), fill_value=0))
    order = [g for g in sectors.GROUPS if g in m.index]
    return m.reindex(order).fillna(0).astype(int)


def mechanism_hits(measures: pd.DataFrame, sides: dict | None = None) -> pd.DataFrame:
    """One row per (measure, mechanism type) that its quote or summary matches, with its side."""
    sides = sides or SIDES
    rows = []
    for _, r in measures.iterrows():
        side = side_of_source(r["source_id"], sides)
        if side is None or r["category"] not in MECHANISM_CATEGORIES:
            continue
        text = f"{r['quote']} {r['summary_en']}"
        for mtype, pattern in MECHANISMS.items():
            if re.search(pattern, text, re.I):
                rows.append({"side": side, "mechanism": mtype, "measure_id": r["measure_id"],
                             "source_id": r["source_id"], "summary_en": r["summary_en"]})
    return pd.DataFrame(rows, columns=["side", "mechanism", "measure_id", "source_id", "summary_en"])


def mechanism_matrix(hits: pd.DataFrame, sides: dict | None = None) -> pd.DataFrame:
    """Mechanism type × side: number of measures matching (0 = none listed)."""
    sides = sides or SIDES
    m = hits.groupby(["mechanism", "side"]).size().unstack(fill_value=0)
    return m.reindex(index=list(MECHANISMS), columns=list(sides), fill_value=0).fillna(0).astype(int)


def overlap(matrix: pd.DataFrame, a: list[str], b: list[str]) -> dict[str, list[str]]:
    """Broad groups named by side set a and side set b: {'both', 'only_a', 'only_b', 'neither'}."""
    in_a = matrix[a].sum(axis=1) > 0
    in_b = matrix[b].sum(axis=1) > 0
    return {"both": list(matrix.index[in_a & in_b]), "only_a": list(matrix.index[in_a & ~in_b]),
            "only_b": list(matrix.index[~in_a & in_b]), "neither": list(matrix.index[~in_a & ~in_b])}


# ------------------------------------------------------------------ platforms

def platforms_table(park_sectors: pd.DataFrame, partnerships: pd.DataFrame, entities: pd.DataFrame,
                    sides: dict | None = None, compact: bool = False) -> pd.DataFrame:
    """Parks and platforms each side offers: those linked to a sector (lead/priority/planned) or
    paired with a Delta partner. Columns: side, platform_id, Platform, Sectors (broad groups),
    Delta partner, Sources. With compact=True, platforms of one side that share sectors,
    partner and source section are merged into one row (names joined with '; ')."""
    sides = sides or SIDES
    kind = entities.set_index("entity_id")["kind"]
    carriers = {"park", "platform", "new_area"}
    ps = park_sectors[park_sectors["role"].isin(["lead", "priority", "planned"])]
    ps = ps[ps["place_id"].map(kind).isin(carriers)]
    pp = partnerships[partnerships["receiver_id"].map(kind).isin(carriers)]
    rows = {}
    for _, r in ps.iterrows():
        side = side_of_source(r["source_id"], sides)
        if side is None:
            continue
        d = rows.setdefault((side, r["place_id"]), {"groups": set(), "partners": set(), "sources": set()})
        d["groups"].add(sectors.group(r["sector_id"]))
        d["sources"].add(f"{r['source_id']} {r['locator']}")
    for _, r in pp.iterrows():
        side = side_of_source(r["source_id"], sides)
        if side is None:
            continue
        d = rows.setdefault((side, r["receiver_id"]), {"groups": set(), "partners": set(), "sources": set()})
        d["partners"].add(short_name(r["partner_id"], entities))
        d["sources"].add(f"{r['source_id']} {r['locator']}")
    out = [{"side": s, "platform_id": pid, "Platform": short_name(pid, entities),
            "Sectors (broad group)": "; ".join(sorted(d["groups"])) or "–",
            "Delta partner": "; ".join(sorted(d["partners"])) or "–",
            "Sources": "; ".join(sorted(d["sources"]))}
           for (s, pid), d in rows.items()]
    t = pd.DataFrame(out)
    if compact:
        keys = ["side", "Sectors (broad group)", "Delta partner", "Sources"]
        t = (t.sort_values("Platform").groupby(keys, sort=False)
             .agg(platform_id=("platform_id", "; ".join), Platform=("Platform", "; ".join))
             .reset_index()[["side", "platform_id", "Platform"] + keys[1:]])
    t["_o"] = t["side"].map({k: i for i, k in enumerate(sides)})
    return t.sort_values(["_o", "Platform"]).drop(columns="_o").reset_index(drop=True)


# ------------------------------------------------------------------ provenance of non-fact rows

def partnership_rows(partnerships: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """partnerships.csv rows in the shape `rows_provenance` reads."""
    return pd.DataFrame({
        "id": partnerships["partnership_id"],
        "what": [f"{short_name(a, entities)} → {short_name(b, entities)}: {FORM_LABELS[f]}"
                 for a, b, f in zip(partnerships["partner_id"], partnerships["receiver_id"], partnerships["form"])],
        "source_id": partnerships["source_id"], "locator": partnerships["locator"], "quote": partnerships["quote"]})


def comparison_rows(wanted: pd.DataFrame, hits: pd.DataFrame, park_sectors: pd.DataFrame,
                    cluster_system: pd.DataFrame, measures: pd.DataFrame, entities: pd.DataFrame,
                    sides: dict | None = None) -> pd.DataFrame:
    """The park_sectors, cluster_system and measures rows behind the comparison figure."""
    sides = sides or SIDES
    ps = park_sectors.set_index("link_id")
    cs = cluster_system.set_index("row_id")
    ms = measures.set_index("measure_id")
    out = []
    for _, r in wanted.iterrows():
        src = ps.loc[r["row_id"]] if r["table"] == "park_sectors" else cs.loc[r["row_id"]]
        out.append({"id": r["row_id"], "what": f"{sides[r['side']]['label']}: {short_name(r['sector_id'], entities)} ({r['group']})",
                    "source_id": src["source_id"], "locator": src["locator"], "quote": src["quote"]})
    for mid, g in hits.groupby("measure_id", sort=True):
        m = ms.loc[mid]
        out.append({"id": mid, "what": f"{sides[g['side'].iloc[0]]['label']}: {'; '.join(g['mechanism'])}",
                    "source_id": m["source_id"], "locator": m["locator"], "quote": m["quote"]})
    return pd.DataFrame(out)
