"""The transfer chapter's helpers, checked against the curated data recomputed by hand."""
from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

import parkecon as pe
from parkecon import sectors, transfer
from parkecon.paths import data_dir


def _csv(name: str) -> list[dict]:
    with open(data_dir() / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def raw_facts() -> dict[str, dict]:
    return {r["fact_id"]: r for r in _csv("facts")}


@pytest.fixture(scope="module")
def tables():
    return {name: pe.load(name) for name in
            ["entities", "partnerships", "regional_zones", "measures", "park_sectors", "cluster_system"]}


@pytest.fixture(scope="module")
def flows_t():
    return transfer.flow_table(pe.facts()).set_index("key")


# ------------------------------------------------------------------ flows of money and projects

def test_flow_values_and_averages_match_facts(raw_facts, flows_t):
    def v(fid):
        return float(raw_facts[fid]["value"])

    expected = {  # key: (projects fact, value fact)
        "dongguan_2020": ("f002-017", "f002-018"),
        "guangzhou_cum": ("f002-020", "f002-021"),
        "parks_2021": ("f000-042", "f000-043"),
        "parks_2021_large": ("f000-044", "f000-046"),
        "city_2021_landed": ("f000-077", "f000-078"),
    }
    for key, (pf, vf) in expected.items():
        row = flows_t.loc[key]
        assert row["projects"] == v(pf)
        assert row["value_bn"] == pytest.approx(v(vf) / 1e9)
        assert row["avg_bn"] == pytest.approx(v(vf) / v(pf) / 1e9)
    # Dongguan 2020: 311.1 亿元 over 135 projects, about 230 million yuan each
    assert flows_t.loc["dongguan_2020", "avg_bn"] * 1000 == pytest.approx(230.4, abs=0.1)
    # no project count city-wide: no average
    assert math.isnan(flows_t.loc["city_2021", "projects"])
    assert math.isnan(flows_t.loc["city_2021", "avg_bn"])
    assert flows_t.loc["city_2021", "value_bn"] == pytest.approx(v("f000-074") / 1e9)


def test_small_projects_are_the_difference(raw_facts, flows_t):
    small = flows_t.loc["parks_2021_small"]
    n = float(raw_facts["f000-042"]["value"]) - float(raw_facts["f000-044"]["value"])
    val = float(raw_facts["f000-043"]["value"]) - float(raw_facts["f000-046"]["value"])
    assert small["projects"] == n == 146
    assert small["value_bn"] == pytest.approx(val / 1e9)
    # the large projects hold almost all the signed value
    share = flows_t.loc["parks_2021_large", "value_bn"] / flows_t.loc["parks_2021", "value_bn"]
    assert 0.95 < share < 1


def test_lower_bounds_stay_bounds(raw_facts, flows_t):
    landed = flows_t.loc["city_2021_landed"]
    assert raw_facts["f000-078"]["qualifier"] == "more_than"
    assert landed["value_qualifier"] == "more_than"
    assert landed["avg_qualifier"] == "more_than"
    exact = flows_t.drop(index=["city_2021_landed"])
    assert set(exact["value_qualifier"]) == {"exactly"}
    # completed investment is far below the signed values of the same year
    assert landed["value_bn"] < 0.2 * flows_t.loc["city_2021", "value_bn"]
    assert flows_t.loc["parks_2021_fai", "value_bn"] < 0.2 * flows_t.loc["parks_2021", "value_bn"]
    assert set(flows_t.loc[["city_2021_landed", "parks_2021_fai"], "kind"]) == {"completed"}


# ------------------------------------------------------------------ partnerships

def test_city_of_follows_parents(tables):
    e = tables["entities"]
    assert transfer.city_of("huangpu", e) == "guangzhou"
    assert transfer.city_of("park_huanan_equipment", e) == "shaoguan"
    assert transfer.city_of("park_guangqing_textile", e) == "qingyuan"
    assert transfer.city_of("fenggang", e) == "dongguan"
    assert transfer.city_of("gba", e) is None
    assert transfer.city_of("zone_prd_core", e) is None


def test_edges_keep_every_statement(tables):
    rows = _csv("partnerships")
    edges = transfer.partnership_edges(tables["partnerships"], tables["entities"])
    assert edges["n"].sum() == len(rows)
    assert len(edges) == len({(r["partner_id"], r["receiver_id"], r["form"]) for r in rows})
    inferred = set(", ".join(edges.loc[edges["inferred"], "ids"]).split(", "))
    assert {"p002-007", "p002-008", "p000-002"} <= inferred
    assert "p002-005" not in inferred


def test_city_flows_match_a_hand_count(tables):
    rows = _csv("partnerships")
    parent = {r["entity_id"]: (r["kind"], r["parent_id"]) for r in _csv("entities")}

    def city(eid):
        while eid:
            kind, par = parent[eid]
            if kind == "city":
                return eid
            eid = par
        return None

    hand = {}
    for r in rows:
        a, b = city(r["partner_id"]), city(r["receiver_id"])
        if a and b:
            hand[(a, b)] = hand.get((a, b), 0) + 1
    flows, unplaced = transfer.city_flows(transfer.partnership_edges(tables["partnerships"], tables["entities"]))
    assert {(r.partner_city, r.receiver_city): r.n for r in flows.itertuples()} == hand
    assert unplaced == sum(1 for r in rows if city(r["partner_id"]) is None)
    top = flows.iloc[0]
    assert (top["partner_city"], top["receiver_city"]) == max(hand, key=hand.get)


def test_partners_are_delta_core_and_receivers_northern(tables):
    zone = {r["entity_id"]: r["zone"] for r in _csv("regional_zones")}
    flows, _ = transfer.city_flows(transfer.partnership_edges(tables["partnerships"], tables["entities"]))
    assert {zone[c] for c in flows["partner_city"]} == {"prd_core"}
    assert {zone[c] for c in flows["receiver_city"]} == {"northern_eco"}
    dg = flows[flows["partner_city"] == "dongguan"]
    assert set(dg["receiver_city"]) == {"shaoguan"}


def test_network_layout_two_columns(tables):
    edges = transfer.partnership_edges(tables["partnerships"], tables["entities"])
    pos = transfer.network_layout(edges, tables["entities"])
    assert set(pos) == set(edges["partner_id"]) | set(edges["receiver_id"])
    assert {pos[p][0] for p in edges["partner_id"]} == {0.0}
    assert {pos[r][0] for r in edges["receiver_id"]} == {1.0}
    for x in (0.0, 1.0):
        ys = [y for (xx, y) in pos.values() if xx == x]
        assert len(ys) == len(set(ys))
    # a city comes before its own districts and parks
    assert pos["dongguan"][1] < pos["park_songshan_lake"][1]
    assert pos["qingyuan"][1] < pos["qingcheng"][1]


# ------------------------------------------------------------------ models

def test_model_terms_are_verbatim(tables):
    models = transfer.models_table(pe.facts(), tables["partnerships"], tables["measures"])
    quotes = {**dict(zip(tables["partnerships"]["partnership_id"], tables["partnerships"]["quote"])),
              **dict(zip(tables["measures"]["measure_id"], tables["measures"]["quote"]))}
    for (_, _, rid, *_), term in zip(transfer.MODELS, models["Term as printed"]):
        for part in term.split("; "):
            assert part and part in quotes[rid]
    assert "研发创新在湾区，配套生产在韶关" in set(models["Term as printed"])
    assert "总部+基地; 龙头+配套" in set(models["Term as printed"])
    market = models[models["Model"].str.startswith("Market-run")].iloc[0]
    assert "50.00 bn yuan (plan)" in market["Figures attached"]
    assert "at least 10.00 bn yuan (target)" in market["Figures attached"]
    assert "150 firms (target)" in market["Figures attached"]
    assert "1 firm (target)" in market["Figures attached"]


# ------------------------------------------------------------------ sides compared

def test_every_named_sector_has_a_group(tables):
    every_source = {"all": {"label": "all", "sources": ["s000", "s001", "s002", "s003", "s004"]}}
    wanted = transfer.wanted_sectors(tables["park_sectors"], tables["cluster_system"], every_source)
    assert wanted["group"].notna().all()
    with pytest.raises(KeyError):
        sectors.group("no_such_sector")


def test_sector_matrix_against_plain_pandas(tables):
    wanted = transfer.wanted_sectors(tables["park_sectors"], tables["cluster_system"])
    m = transfer.sector_matrix(wanted)
    ps = pd.read_csv(data_dir() / "park_sectors.csv")
    cs = pd.read_csv(data_dir() / "cluster_system.csv")
    elec = set(sectors.MEMBERS["Electronics"]) | {"sg_electronics"}
    named = set(ps.loc[ps["source_id"].isin(["s000", "s002"]) & ps["role"].isin(["lead", "priority", "planned"])
                       & ps["sector_id"].isin(elec), "sector_id"])
    named |= set(cs.loc[cs["source_id"].isin(["s000", "s002"]) & (cs["group"] != "n_other")
                        & cs["sector_id"].isin(elec), "sector_id"])
    assert m.loc["Electronics", "shaoguan"] == len(named) > 0
    # Qingcheng names no electronics; food and agriculture is its longest list
    assert m.loc["Electronics", "qingcheng"] == 0
    assert m["qingcheng"].idxmax() == "Agriculture and food"
    # hosted-only sectors are not "wanted"
    hosted_only = set(ps.loc[(ps["source_id"] == "s004") & (ps["role"] == "hosts"), "sector_id"]) - set(
        ps.loc[(ps["source_id"] == "s004") & (ps["role"] != "hosts"), "sector_id"]) - set(
        cs.loc[(cs["source_id"] == "s004") & (cs["group"] != "n_other"), "sector_id"])
    assert hosted_only and not hosted_only & set(wanted.loc[wanted["side"] == "wujiang", "sector_id"])
    ov = transfer.overlap(m, ["shaoguan", "wujiang"], ["qingcheng"])
    assert ov["only_b"] == []
    assert sorted(ov["both"] + ov["only_a"] + ov["neither"]) == sorted(m.index)


def test_mechanisms(tables):
    hits = transfer.mechanism_hits(tables["measures"])
    by = hits.groupby("mechanism")["measure_id"].apply(set)
    assert "m003-060" in by["Leading group or coordination body"]      # Qingcheng's transfer leading group
    assert {"m000-002", "m003-063"} <= by["Performance assessment or contest"]
    assert {"m003-062", "m004-054", "m000-039"} <= by["Project library, database or list"]
    assert "m000-038" in by["Investment-promotion teams"]              # 13 + 13 teams
    assert "m003-049" in by["Build on land acquisition, faster approval"]
    cats = dict(zip(tables["measures"]["measure_id"], tables["measures"]["category"]))
    assert {cats[m] for m in hits["measure_id"]} <= transfer.MECHANISM_CATEGORIES
    assert set(hits["source_id"]) <= {"s000", "s002", "s003", "s004"}
    m = transfer.mechanism_matrix(hits)
    assert m.loc["Performance assessment or contest", "wujiang"] == 0
    assert (m.loc["Leading group or coordination body"] > 0).all()


def test_platforms_table(tables):
    args = (tables["park_sectors"], tables["partnerships"], tables["entities"])
    full = transfer.platforms_table(*args)
    compact = transfer.platforms_table(*args, compact=True)
    assert len(compact) < len(full)
    ids = set("; ".join(compact["platform_id"]).split("; "))
    assert ids == set(full["platform_id"])
    textile = full[full["platform_id"] == "park_guangqing_textile"].iloc[0]
    assert textile["side"] == "qingcheng" and textile["Delta partner"] == "Guangzhou"
    assert textile["Sectors (broad group)"] == "Light industry and textiles"


def test_rows_provenance_lists_every_row(tables):
    rows = transfer.partnership_rows(tables["partnerships"], tables["entities"])
    html = pe.rows_provenance(rows).data
    assert html.startswith('<details class="provenance">')
    assert all(f"<code>{pid}</code>" in html for pid in tables["partnerships"]["partnership_id"])
    assert f"({len(rows)} rows)" in html


def test_both_chapters_put_a_sector_in_the_same_group(tables):
    """One grouping (parkecon.sectors) serves chapter 2's place-sector grid and this comparison."""
    from parkecon import clusters

    entities = pe.load("entities")
    grid = clusters.place_sector_links(tables["park_sectors"], entities)
    every_source = {"all": {"label": "all", "sources": ["s000", "s001", "s002", "s003", "s004"]}}
    wanted = transfer.wanted_sectors(tables["park_sectors"], tables["cluster_system"], every_source)
    in_grid = dict(zip(grid["sector_id"], grid["group"]))
    shared = [(s, g) for s, g in zip(wanted["sector_id"], wanted["group"]) if s in in_grid]
    assert len(shared) >= 20
    for sector, group in shared:
        assert in_grid[sector] == group, sector
    assert not hasattr(transfer, "SECTOR_GROUPS") and not hasattr(clusters, "SECTOR_GROUP")
