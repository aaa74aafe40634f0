"""parkecon.parks on the real data: every key number of the park-economy chapter, recomputed
independently from the CSV files with the standard library."""
from __future__ import annotations

import csv
import math

import pytest

from conftest import ROOT
from parkecon import parks

DATA = ROOT / "data"


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


FACTS = {r["fact_id"]: r for r in rows("facts")}


def v(fid: str) -> float:
    return float(FACTS[fid]["value"])


def yi(fid: str) -> float:
    return v(fid) / 1e8


# ---------------------------------------------------------------- headline and share


def test_headline_levels_growth_and_implied_2020():
    h = parks.headline()
    for key, (lvl, gr) in parks.HEADLINE.items():
        assert h.loc[key, "level_2021"] == pytest.approx(v(lvl))
        assert h.loc[key, "growth_pct"] == pytest.approx(v(gr))
        assert h.loc[key, "implied_2020"] == pytest.approx(v(lvl) / (1 + v(gr) / 100))
    # the chapter's headline numbers, in 亿元
    assert h.loc["va", "level_2021"] / 1e8 == pytest.approx(217.89)
    assert h.loc["va", "implied_2020"] / 1e8 == pytest.approx(187.84, abs=0.01)
    assert h.loc["output", "implied_2020"] / 1e8 == pytest.approx(874.81, abs=0.01)
    # output passed 1000 亿元 in 2021 and not before: the implied 2020 output is below it
    assert h.loc["output", "implied_2020"] < v("f000-034") < h.loc["output", "level_2021"]


def test_share_path_bounds_and_required_gain():
    sp = parks.share_path()
    assert FACTS["f001-042"]["qualifier"] == "less_than" and sp["baseline_qualifier"] == "less_than"
    assert FACTS["f001-043"]["qualifier"] == "at_least" and FACTS["f001-043"]["status"] == "target"
    assert sp["share_2021"] == pytest.approx(v("f000-032")) == pytest.approx(57.1)
    assert sp["target_year"] == 2025 and sp["years_left"] == 4
    assert sp["required_pp_per_year"] == pytest.approx((v("f001-043") - v("f000-032")) / 4)
    assert sp["required_pp_per_year"] == pytest.approx(3.225)
    # a baseline "under 40" gives a jump of MORE than 17.1 pp: the stored number is a bound
    assert sp["jump_2021_pp"] == pytest.approx(v("f000-032") - v("f001-042"))


def test_implied_city_value_added_and_the_disagreement():
    ic = parks.implied_city()
    city21 = v("f000-030") / (v("f000-032") / 100)
    assert ic["city_va_2021_implied"] == pytest.approx(city21)
    assert city21 / 1e8 == pytest.approx(381.59, abs=0.01)
    assert ic["city_growth_implied_pct"] == pytest.approx((city21 / v("f002-011") - 1) * 100)
    assert ic["city_growth_implied_pct"] == pytest.approx(18.9, abs=0.05)
    park20 = v("f000-030") / (1 + v("f000-031") / 100)
    assert ic["park_share_2020_implied"] == pytest.approx(park20 / v("f002-011") * 100)
    # the finding: the implied 2020 share is far above the "under 40%" baseline
    assert ic["park_share_2020_implied"] - v("f001-042") > 15
    # for the baseline to hold, the 2020 city total would need to exceed park20 / 0.40 —
    # far more than s002 reports — and the rest of the city would have shrunk in 2021
    need = park20 / (v("f001-042") / 100)
    assert ic["city_va_2020_if_baseline_min"] == pytest.approx(need)
    assert need > v("f002-011")
    rest21 = city21 - v("f000-030")
    assert ic["rest_shrink_if_baseline_min_pct"] == pytest.approx((1 - rest21 / (need - park20)) * 100)
    assert ic["rest_shrink_if_baseline_min_pct"] > 0
    # the "3+3" clusters' value added fits inside the implied city total
    assert v("f000-003") < city21


# ---------------------------------------------------------------- pipeline


def test_pipeline_parts_add_up_to_the_printed_totals():
    p = parks.pipeline()
    signed = p[(p["stage"] == "Signed") & (p["part"] != "of which 10 billion yuan or more")]
    assert signed["projects"].sum() == v("f000-042")
    assert signed["value"].sum() == pytest.approx(v("f000-043"))
    filed = p[p["stage"] == "Filed"]
    assert filed["projects"].sum() == v("f000-047")
    assert filed["value"].sum() == pytest.approx(v("f000-048"))
    prod = p[p["stage"] == "Put into production"]
    assert prod["projects"].sum() == v("f000-051")
    assert prod["value"].isna().all()  # the reply gives no value for this stage
    mega = p[p["part"] == "of which 10 billion yuan or more"].iloc[0]
    assert mega["value_qualifier"] == "at_least"  # a lower bound stays a bound
    assert mega["value"] == pytest.approx(v("f000-045") * 100e8)
    t = parks.pipeline_totals()
    assert math.isnan(t.loc["Invested (fixed assets)", "projects"])
    assert t.loc["Invested (fixed assets)", "value"] == pytest.approx(v("f000-036"))


def test_concentration_bounds():
    c = parks.concentration()
    n, val, bn_, bv, mn = v("f000-042"), v("f000-043"), v("f000-044"), v("f000-046"), v("f000-045")
    assert c["big_value_share"] == pytest.approx(bv / val * 100)
    assert c["big_value_share"] == pytest.approx(96.42, abs=0.01)
    assert c["mega_value_min"] == pytest.approx(mn * 100e8)
    assert c["mega_value_max"] == pytest.approx(bv - (bn_ - mn) * 1e8)
    assert c["mega_value_min"] < c["mega_value_max"] <= bv
    assert c["small_n"] == n - bn_ == 146
    assert c["small_avg"] < 1e8  # every project outside the large class is below 1 亿元
    assert c["mega_value_share_min"] == pytest.approx(22.40, abs=0.01)


# ---------------------------------------------------------------- checks


def test_checks_report_the_investment_gap_and_the_disagreements():
    ck = parks.checks().set_index("check")
    fai = ck.iloc[0]
    assert fai["verdict"] == "gap"
    assert fai["gap"] == pytest.approx(yi("f000-038") + yi("f000-040") - yi("f000-036"))
    assert fai["gap"] == pytest.approx(0.26, abs=1e-9)
    assert ck.iloc[1]["verdict"] == "gap" and ck.iloc[1]["gap"] == pytest.approx(0.18, abs=0.005)
    verdicts = ck["verdict"].value_counts().to_dict()
    assert verdicts.get("bound broken", 0) == 0
    assert verdicts["gap"] == 2 and verdicts["sources disagree"] == 1
    # the cumulative, undated stock of standard factories is not set against dated figures
    assert ck.loc[ck.index.str.startswith("Stock in April 2021"), "verdict"].tolist() == ["cannot be checked"]
    sf = ck[ck.index.str.startswith("Stock in April 2021")].iloc[0]
    assert sf["computed"] == pytest.approx(v("f002-038") / 1e4 + v("f000-054") / 1e4)
    assert sf["stated"] - sf["computed"] == pytest.approx(32.04, abs=0.005)
    # check labels are built from the data, not typed: they name the real counts
    assert any(f"{v('f000-042') - v('f000-044'):.0f} projects under" in c for c in ck.index)


# ---------------------------------------------------------------- places


def test_places_take_counties_only_from_the_documents():
    pl = parks.places().set_index("entity_id")
    ents = {r["entity_id"]: r for r in rows("entities")}
    # the entity table locates these two parks from outside knowledge; the chapter must not
    for eid in ["park_huanan_equipment", "park_baowu_shaoguan", "park_shaoguan_hitech"]:
        assert pl.loc[eid, "county_status"] == "county not stated"
        assert pl.loc[eid, "counties"] == ()
    assert ents["park_huanan_equipment"]["parent_id"] == "wujiang"  # kept for comparison only
    assert pl.loc["park_huanan_equipment", "parent_in_entities"] == "wujiang"
    # counties named in the park's name, or stated in the text
    assert pl.loc["park_wengyuan_transfer", "counties"] == ("wengyuan",)
    assert set(pl.loc["platform_wengyuan_xinfeng_south", "counties"]) == {"wengyuan", "xinfeng"}
    assert pl.loc["project_honggu_science_city", "counties"] == ("qujiang",)
    assert pl.loc["platform_wushen_components_belt", "county_status"] == "spans counties"
    # every stated county is backed by the name or by recorded evidence
    short = parks.county_short_names()
    for eid, r in pl[pl["county_status"] == "stated"].iterrows():
        assert eid in parks.COUNTY_EVIDENCE or all(short[c] in r["name_zh"] for c in r["counties"]), eid
    # Qingcheng's parks and the programmes are not Shaoguan places
    assert "park_guangqing_textile" not in pl.index
    assert "coop_dongguan_shaoguan" not in pl.index and "sg_parks" not in pl.index


def test_county_counts():
    pl = parks.places()
    cc = parks.county_counts(pl)
    assert cc["wengyuan"] == 5 and cc["wujiang"] == 4 and cc["county not stated"] == 8
    assert cc[["zhenjiang", "lechang", "renhua"]].sum() == 0
    # the two-county platform is counted twice; the belt not at all
    n_two = sum(len(c) for c, s in zip(pl["counties"], pl["county_status"]) if s == "stated")
    assert cc.drop(["county not stated", "spans counties"]).sum() == n_two
    assert cc.drop("spans counties").sum() + cc["spans counties"] == len(pl) + 1


def test_places_sources_and_hosts_come_from_the_tables():
    pl = parks.places().set_index("entity_id")
    links = [r for r in rows("park_sectors") if r["place_id"] == "park_wujiang_gantang"]
    assert pl.loc["park_wujiang_gantang", "sources"] == ("s004",)
    assert pl.loc["park_wujiang_gantang", "hosts"].startswith("hosts: Chemical industry")
    assert len(links) == 3
    assert set(pl.loc["park_shaoguan_hitech", "sources"]) == {"s000", "s001", "s002"}


# ---------------------------------------------------------------- reforms


def test_reforms_table():
    rf = parks.reforms().set_index("fact")
    assert list(rf.index) == parks.REFORM_FACTS
    assert rf.loc["f000-059", "Figure"].startswith("at most 1 ")  # the qualifier is shown
    assert rf.loc["f000-057", "Figure"].startswith("about 4000 mu")
    assert f"≈{v('f000-061') / 15:,.0f} ha" in rf.loc["f000-061", "Figure"]
