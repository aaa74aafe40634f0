"""The cluster chapter's calculations (parkecon.clusters), checked against the raw CSVs.

Each key number of the chapter is recomputed here with the csv module only, so that a
change in the data that alters a finding (or a bug in the module) is noticed.
"""
from __future__ import annotations

import csv
import math

import pytest

import parkecon as pe
from parkecon import clusters as cl
from parkecon import sectors
from conftest import ROOT

DATA = ROOT / "data"


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


RAW = {r["fact_id"]: r for r in rows("facts")}


def raw(entity: str, indicator: str, source: str = "s000", year: str = "2021") -> dict:
    hits = [r for r in RAW.values() if r["entity_id"] == entity and r["indicator_id"] == indicator
            and r["source_id"] == source and r["period_end"].startswith(year) and r["status"] == "actual"]
    assert len(hits) == 1, (entity, indicator, hits)
    return hits[0]


def bn(r: dict) -> float:
    return float(r["value"]) / 1e9


@pytest.fixture(scope="module")
def facts():
    return pe.facts()


@pytest.fixture(scope="module")
def entities():
    return pe.load("entities")


@pytest.fixture(scope="module")
def table(facts):
    return cl.cluster_table(facts).set_index("cluster_id")


# ---------------------------------------------------------------- qualifiers

@pytest.mark.parametrize("qs, inv, expected", [
    (["exactly", "exactly"], None, "exactly"),
    (["more_than", "exactly"], None, "more_than"),
    (["at_least", "exactly"], None, "at_least"),
    (["at_least", "more_than"], None, "more_than"),
    (["exactly", "more_than"], [False, True], "less_than"),    # x / (more than y) < x / y
    (["more_than", "exactly"], [False, True], "more_than"),
    (["more_than", "more_than"], [False, True], "about"),      # bounds pointing both ways
    (["about", "exactly"], [False, True], "about"),
    (["about", "more_than"], None, "about"),
])
def test_combine_qualifier(qs, inv, expected):
    assert cl.combine_qualifier(qs, inv) == expected


# ---------------------------------------------------------------- the 3+3 clusters

def test_cluster_table_matches_raw_facts(table):
    assert list(table.index) == list(cl.CLUSTERS)
    for cid in ["sg_adv_materials", "sg_adv_equipment", "sg_light_industry", "sg_electronics", "sg_biomed"]:
        out, va = raw(cid, "industrial_output"), raw(cid, "industrial_va")
        assert table.loc[cid, "output_bn"] == pytest.approx(bn(out))
        assert table.loc[cid, "output_q"] == out["qualifier"]
        assert table.loc[cid, "va_bn"] == pytest.approx(bn(va))
        assert table.loc[cid, "va_share"] == pytest.approx(100 * bn(va) / bn(out))
    for cid in ["sg_adv_materials", "sg_adv_equipment", "sg_light_industry", "sg_electronics"]:
        assert table.loc[cid, "va_growth"] == pytest.approx(float(raw(cid, "industrial_va_growth")["value"]))
    assert table.loc["sg_electronics", "contribution_pp"] == pytest.approx(2.29)
    # biomedicine has no growth rate and big data no output or value added
    assert math.isnan(table.loc["sg_biomed", "va_growth"])
    assert math.isnan(table.loc["sg_bigdata", "output_bn"]) and math.isnan(table.loc["sg_bigdata", "va_bn"])


def test_lower_bounds_stay_bounds(table):
    for cid in cl.PILLARS:
        assert table.loc[cid, "output_q"] in pe.calc.LOWER_BOUNDS, cid
        # value added over a lower-bounded output is an upper bound
        assert table.loc[cid, "va_share_q"] in pe.calc.UPPER_BOUNDS, cid
    for cid in ["sg_electronics", "sg_biomed"]:
        assert table.loc[cid, "va_share_q"] == "exactly"
    # the materials cluster's value added is at most a sixth of its output
    assert table.loc["sg_adv_materials", "va_share"] == pytest.approx(100 * 130.03 / 800)


def test_cluster_fact_ids_exist(table):
    for ids in table["fact_ids"]:
        assert all(i in RAW for i in ids)


# ---------------------------------------------------------------- totals

def test_totals_against_raw(facts):
    t = cl.totals(facts)
    park_va = bn(raw("sg_parks", "industrial_va_above"))
    share = float(raw("sg_parks", "industrial_va_share")["value"])
    va_3p3 = bn(raw("sg_3plus3", "industrial_va_above"))
    assert t["city_va"] == pytest.approx(park_va / (share / 100))
    assert t["city_va"] == pytest.approx(38.16, abs=0.01)
    assert t["share_3p3_of_city"] == pytest.approx(100 * va_3p3 / t["city_va"])
    parts = sum(bn(raw(c, "industrial_va")) for c in ["sg_adv_materials", "sg_adv_equipment", "sg_light_industry",
                                                      "sg_electronics", "sg_biomed"])
    assert t["va_parts"] == pytest.approx(parts)
    # the finding the chapter discusses: the parts exceed the reported total
    assert t["va_excess"] == pytest.approx(parts - va_3p3) and t["va_excess"] > 0
    # output: the 3+3 exceed the parks, and the known outputs are a lower bound below the total
    assert t["output_3p3"] > t["park_output"]
    assert t["output_parts_q"] == "more_than"
    assert t["output_parts"] == pytest.approx(80 + 10 + 20 + 8.582 + 1.429)
    assert t["output_parts"] < t["output_3p3"]


def test_contributions_consistent(facts):
    t = cl.totals(facts)
    assert t["contribution_sum"] == pytest.approx(8.2 + 2.29)
    # recompute the implied previous-year city base from the pillars, independently
    inc = 0.0
    for cid in cl.PILLARS:
        va, g = bn(raw(cid, "industrial_va")), float(raw(cid, "industrial_va_growth")["value"])
        inc += va - va / (1 + g / 100)
    assert t["base_pillars"] == pytest.approx(inc / 0.082)
    # both contributions imply nearly the same base (within 1%) ...
    assert abs(t["base_pillars"] - t["base_electronics"]) / t["base_mean"] < 0.01
    # ... but the whole 3+3 grew by less than the pillars and electronics together
    assert t["increase_3p3"] < t["increase_parts"]
    assert t["contribution_3p3_implied"] < t["contribution_sum"]


def test_implied_base():
    # a cluster of 110 grown 10% added 10; if that is 2 pp the base is 500
    assert cl.implied_base(110, 10, 2) == pytest.approx(500)


# ---------------------------------------------------------------- layouts

def test_layout_tiers_match_both_tables(facts, entities):
    cs = rows("cluster_system")
    lt = cl.layout_table(pe.load("cluster_system"), facts, entities)
    raw355 = [r for r in cs if r["system"] == "355N"]
    assert len(lt) == len(raw355)
    counts = {g: sum(r["group"] == g for r in raw355) for g in ["tier_100bn", "tier_50bn", "tier_30bn"]}
    assert counts == {"tier_100bn": 3, "tier_50bn": 5, "tier_30bn": 5}
    tier_count_facts = sorted(float(r["value"]) for r in RAW.values()
                              if r["entity_id"] == "sg_355n" and r["indicator_id"] == "tier_industries_count")
    assert tier_count_facts == sorted(map(float, counts.values()))
    for r in raw355:
        row = lt[lt["sector_id"] == r["sector_id"]].iloc[0]
        assert row["threshold_bn"] == pytest.approx(float(r["tier_threshold_yi"]) / 10)
        assert RAW[row["threshold_fact"]]["status"] == "target"
    # the two names of the layout each sit in their own source
    assert {r["source_id"] for r in cs if r["system"] == "35N"} == {"s000"}
    assert {r["source_id"] for r in cs if r["system"] == "355N"} == {"s001"}


def test_layout_gaps(facts, entities):
    lt = cl.layout_table(pe.load("cluster_system"), facts, entities).set_index("sector_id")
    assert lt["current_bn"].notna().sum() == 3
    bio = lt.loc["sg_355n_biomed_health"]
    # the tier is 生物医药和大健康, the output the biomedicine cluster's; the documents do not say the scopes match, so the output is a floor
    assert bio["current_partial"] and bio["current_q"] == "at_least"
    assert bio["multiple"] == pytest.approx(100 / 1.429) and bio["multiple_q"] == "at_most"
    assert bio["cagr_needed"] == pytest.approx(((100 / 1.429) ** (1 / 4) - 1) * 100)
    ebd = lt.loc["sg_electronics_bigdata"]
    # electronics output is only part of "electronics and big data": the size is a floor
    assert ebd["current_q"] == "at_least" and ebd["current_partial"]
    assert ebd["multiple_q"] == "at_most" and ebd["multiple"] == pytest.approx(100 / 8.582)
    equ = lt.loc["sg_355n_equipment"]
    assert equ["current_q"] == "more_than" and equ["multiple_q"] == "less_than"
    assert equ["multiple"] == pytest.approx(5.0)
    # a "more than" tier pushes the rate up, a floor or a partial baseline down: either way
    assert {lt.loc[s, "required"].direction for s in ["sg_355n_biomed_health", "sg_electronics_bigdata",
                                                       "sg_355n_equipment"]} == {"either way"}
    # s001 gives no year: the data say so, the book reads 2025 and says why
    assert (lt["target_year"] == 2025).all() and lt["year_read"].str.contains("no year").all()
    assert all(RAW[f]["period_basis"] == "unknown" for f in lt["threshold_fact"])


def test_355n_tiers_never_share_an_entity_with_an_actual_of_other_scope(facts):
    tiers = facts[facts["fact_id"].isin([f"f001-{n:03d}" for n in range(44, 61)])]
    actual_entities = set(facts.loc[facts["status"] == "actual", "entity_id"])
    assert not set(tiers["entity_id"]) & actual_entities


# ---------------------------------------------------------------- data centres

def test_data_centres(facts, entities):
    dc = cl.data_centres(facts, entities).set_index("entity_id")
    assert dc.loc["project_huashao_datagu", "yuan_per_unit"] == pytest.approx(65e8 / 5e4)
    assert dc.loc["project_huashao_datagu", "per_unit_q"] == "more_than"
    assert dc.loc["project_yingshuo_dc", "yuan_per_unit"] == pytest.approx(14.7e8 / 7500)
    assert dc.loc["project_yingshuo_dc", "per_unit_q"] == "about"
    assert math.isnan(dc.loc["project_gdmobile_idc", "yuan_per_unit"])
    prog = dc.loc["sg_bigdata"]
    assert prog["unit"] == "standard rack" and prog["count"] == 887_000
    assert prog["yuan_per_unit"] == pytest.approx(1000e8 / 887_000) and prog["per_unit_q"] == "more_than"
    assert set(dc["unit"]) == {"cabinet", "standard rack"}


# ---------------------------------------------------------------- places and sectors

def test_every_place_and_sector_is_placed(entities):
    links = rows("park_sectors")
    placed = [p for _, _, ids in cl.PLACE_ROWS for p in ids]
    assert len(placed) == len(set(placed)), "a place sits in two rows"
    assert {r["place_id"] for r in links} == set(placed)
    ent = {r["entity_id"] for r in rows("entities")}
    assert set(placed) <= ent
    for r in links:
        assert sectors.group(r["sector_id"], entities) in sectors.GROUPS


def test_sector_groups_follow_clusters(entities):
    # children of a 3+3 cluster inherit its group
    assert sectors.group("sector_pcb", entities) == "Electronics"
    assert sectors.group("sector_chemical_apis", entities) == "Biomedicine and health"
    assert sectors.group("sector_data_centres", entities) == "Data, software, e-commerce"
    with pytest.raises(KeyError):
        sectors.group("no_such_sector", entities)


def test_matrix_counts(entities):
    links = rows("park_sectors")
    mx = cl.place_sector_matrix(pe.load("park_sectors"), entities)
    assert mx["n"].sum() == len(links)
    assert sorted(i for ids in mx["link_ids"] for i in ids) == sorted(r["link_id"] for r in links)
    # the shown role is the strongest in the cell
    for _, r in mx.iterrows():
        assert r["role"] == r["roles"][0]
    # every block and group present in the data is drawn
    assert set(mx["block"]) == {"Shaoguan city and its parks", "Wujiang District plan", "Qingcheng District plan"}


# ---------------------------------------------------------------- drawing

def test_bound_arrows_only_for_bounds():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_xscale("log")
    ax.set_xlim(1, 100)
    cl.bound_arrows(ax, [10, 20, 30], [0, 1, 2], ["more_than", "exactly", "less_than"])
    arrows = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]
    assert len(arrows) == 2
    plt.close(fig)


@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_pick_is_right_after_the_frame_is_sorted_in_place():
    """Learners sort and edit frames in place; a lookup must not remember row positions."""
    facts = pe.facts()
    expected = cl.pick(facts, "sg_electronics", "industrial_va")
    facts.sort_values("value", inplace=True)
    again = cl.pick(facts, "sg_electronics", "industrial_va")
    assert again is not None and again["fact_id"] == expected["fact_id"]
    assert again["indicator_id"] == "industrial_va" and again["entity_id"] == "sg_electronics"


# ---------------------------------------------------------------- one statement of the 355N rates

def page_text(html_file) -> str:
    import html
    import re

    text = re.sub(r"<[^>]+>", " ", html_file.read_text(encoding="utf-8"))
    return " ".join(html.unescape(text).split())


def test_355n_rates_read_the_same_in_chapters_2_and_5(built_book):
    """Both chapters print the required rate of each "355N" tier with its direction, from one function."""
    from parkecon import audit

    clusters = page_text(built_book / "notebooks" / "clusters.html")
    plans = page_text(built_book / "notebooks" / "plans-audit.html")
    for fid in ["f001-046", "f001-047", "f001-051"]:
        statement = audit.tier_rate(fid).statement()
        assert "either way" in statement and "s001 gives no year" in statement
        assert statement in clusters, f"chapter 2 does not print {statement!r}"
        assert statement in plans, f"chapter 5 does not print {statement!r}"
    # neither page states a one-sided bound for those rates any more
    for page in (clusters, plans):
        for old in ["at most 85%", "more than 85%", "less than 50%", "more than 189%"]:
            assert old not in page
