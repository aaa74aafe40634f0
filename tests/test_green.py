"""The green chapter's computations, checked against facts.csv read independently with csv."""
from __future__ import annotations

import csv
import math
import re

import pandas as pd
import pytest

import parkecon as pe
from parkecon import green
from conftest import ROOT

DATA = ROOT / "data"


def read(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    """facts.csv as plain dicts keyed by fact_id."""
    return {r["fact_id"]: r for r in read("facts")}


@pytest.fixture(scope="module")
def F() -> pd.DataFrame:
    return pe.facts()


def v(raw, key: str) -> float:
    return float(raw[green.FACTS.get(key, key)]["value"])


def q(raw, key: str) -> str:
    return raw[green.FACTS.get(key, key)]["qualifier"]


def test_every_named_fact_exists(raw):
    missing = {k: fid for k, fid in green.FACTS.items() if fid not in raw}
    assert not missing, f"facts the green chapter reads are gone: {missing}"


def test_fact_checks_units(F):
    assert pe.fact(green.FACTS["sg_site"], F, unit="平方米")["fact_id"] == "f001-008"
    with pytest.raises(ValueError):
        pe.fact(green.FACTS["sg_site"], F, unit="亩")
    with pytest.raises(KeyError):
        pe.fact("f999-999", F)


def test_circular_share_is_all_provincial_parks(F, raw):
    c = green.circular_share(F)
    assert c["passed"] == v(raw, "circular_parks")
    assert c["provincial"] == v(raw, "provincial_parks")
    assert c["share_pct"] == pytest.approx(100 * v(raw, "circular_parks") / v(raw, "provincial_parks"))
    assert c["share_pct"] == pytest.approx(100.0)   # the finding: every provincial park passed


def test_cleaner_production_figures_keep_their_kind(raw):
    assert q(raw, "cleaner_audit_firms") == "more_than"          # "百余家" stays a lower bound
    assert raw[green.FACTS["cleaner_coverage_target"]]["status"] == "target"


def test_unit_conversions():
    assert green.MU_PER_KM2 == 1500
    assert green.to_km2(1500, "亩") == pytest.approx(1.0)
    assert green.to_km2(100, "公顷") == pytest.approx(1.0)
    assert green.to_km2(2e6, "平方米") == pytest.approx(2.0)
    assert green.to_gw(838.95 * 1e4, "千瓦") == pytest.approx(8.3895)
    with pytest.raises(ValueError):
        green.to_km2(1, "元")
    with pytest.raises(ValueError):
        green.to_gw(1, "平方米")


def test_shaogang_land_story(F, raw):
    s = green.shaogang_land(F)
    site = v(raw, "sg_site") / 1e6
    park = v(raw, "sg_park_land") / 1e6
    assert s["site_km2"] == pytest.approx(site)
    assert s["park_km2"] == pytest.approx(park)
    assert s["rest_km2"] == pytest.approx(site - park)
    assert s["park_share_pct"] == pytest.approx(100 * park / site)          # 37.5
    assert s["park_mu"] == pytest.approx(park * 1500)                       # 4 500 mu
    before, after = v(raw, "sg_per_t_before"), v(raw, "sg_per_t_after")
    assert s["per_t_cut_pct"] == pytest.approx(100 * (1 - after / before))  # 50
    # the land identified is less than what halving land per tonne would free on the whole site
    assert s["park_share_pct"] < s["halving_frees_share_pct"]
    # both areas are approximate in the source; the chapter prints them with "about"
    assert q(raw, "sg_site") == "about" and q(raw, "sg_park_land") == "about"


def test_shaogang_identified_land_exceeds_city_revitalised(F, raw):
    s = green.shaogang_land(F)
    assert s["park_mu"] > v(raw, "land_revitalised")   # the "identified vs revitalised" point


def test_implied_capacity():
    assert green.implied_capacity_t(8e6, 1.0) == pytest.approx(8e6)
    with pytest.raises(ValueError):
        green.implied_capacity_t(1.0, 0)


def test_zhongjin_per_mu_and_per_hectare(F, raw):
    z = green.zhongjin(F)
    area, out, tax = v(raw, "zj_area"), v(raw, "zj_output"), v(raw, "zj_taxes")
    assert z["output_per_mu"] == pytest.approx(out / area)
    assert z["output_per_ha"] == pytest.approx(out / area * 15)
    assert z["taxes_per_mu"] == pytest.approx(tax / area)
    assert z["taxes_per_ha"] == pytest.approx(tax / area * 15)
    assert z["tax_to_output_pct"] == pytest.approx(100 * tax / out)
    assert z["area_ha"] == pytest.approx(area / 15)
    assert raw[green.FACTS["zj_area"]]["status"] == "plan"     # a planned area, as the chapter says


def test_per_area_rejects_empty_area():
    with pytest.raises(ValueError):
        green.per_area(1.0, 0)


@pytest.mark.parametrize("start, end, expected", [
    ("exactly", "exactly", "exactly"),
    ("about", "exactly", "exactly"),
    ("more_than", "exactly", "at_most"),
    ("exactly", "more_than", "at_least"),
    ("exactly", "at_least", "at_least"),
    ("more_than", "more_than", "undetermined"),
    ("less_than", "exactly", "at_least"),
    ("exactly", "at_most", "at_most"),
    ("more_than", "less_than", "undetermined"),
])
def test_bound_of_growth(start, end, expected):
    assert green.bound_of_growth(start, end) == expected


def test_shaogang_path_growth(F, raw):
    path = green.shaogang_path(F)
    assert [p.qualifier for p in path] == [q(raw, "sg_2022"), q(raw, "sg_2025"), q(raw, "sg_2030")]
    steps = green.path_growth(path)
    a, b, c = v(raw, "sg_2022"), v(raw, "sg_2025"), v(raw, "sg_2030")
    assert list(steps["years"]) == [3.0, 5.0]
    assert steps.loc[0, "growth_pct"] == pytest.approx(((b / a) ** (1 / 3) - 1) * 100)   # ≈20.5
    assert steps.loc[1, "growth_pct"] == pytest.approx(((c / b) ** (1 / 5) - 1) * 100)   # ≈7.4
    # lower-bound targets stay bounds: the first rate is at most, the second at least
    assert list(steps["bound"]) == ["at_most", "at_least"]


def test_hec_target_has_no_baseline_and_the_slogan_reading(F, raw):
    hec = raw[green.FACTS["hec_output"]]
    assert hec["qualifier"] == "at_least" and hec["status"] == "target"
    # no actual output of the HEC park in the data
    assert not [r for r in raw.values() if r["entity_id"] == "park_dongyangguang_ruyuan"
                and r["indicator_id"] == "industrial_output" and r["status"] == "actual"]
    base = green.slogan_baseline(float(hec["value"]), v(raw, "hec_copies"))
    assert base == pytest.approx(float(hec["value"]) / (v(raw, "hec_copies") + 1))
    g = green.required_growth(base, float(hec["value"]), v(raw, "hec_years"))
    assert g == pytest.approx((5 ** (1 / 5) - 1) * 100)   # ×5 in five years, about 38% a year
    with pytest.raises(ValueError):
        green.slogan_baseline(1.0, -1)


def test_growth_curve_falls_with_the_baseline():
    c = green.growth_curve(50e9, 5, [10e9, 20e9, 40e9])
    assert list(c["growth_pct"]) == sorted(c["growth_pct"], reverse=True)
    assert c["growth_pct"].iloc[0] == pytest.approx((5 ** 0.2 - 1) * 100)


def test_land_scale(F, raw):
    ls = green.land_scale(F)
    assert list(ls["km2"]) == sorted(ls["km2"], reverse=True)
    assert (ls["mu"] - ls["km2"] * 1500).abs().max() < 1e-6
    by = ls.set_index("key")
    assert by.loc["forest_area", "km2"] == pytest.approx(v(raw, "forest_area") / 100)
    assert by.loc["afforestation", "km2"] == pytest.approx(v(raw, "afforestation") / 1500)
    for key in by.index:   # qualifiers and statuses are carried, never dropped
        assert by.loc[key, "qualifier"] == q(raw, key)
        assert by.loc[key, "status"] == raw[green.FACTS[key]]["status"]


def test_energy_table(F, raw):
    e = green.energy_table(F).set_index("key")
    assert e.loc["pv_potential", "gw"] == pytest.approx(v(raw, "pv_potential") / 1e6)
    assert e.loc["wind_pipeline", "gw"] == pytest.approx(v(raw, "wind_pipeline") / 1e6)
    assert e.loc["longtang_pv", "gw"] == pytest.approx(0.1)
    # none of the capacities is an installed (actual) figure
    assert set(e["status"]) <= {"estimate", "plan", "target"}


def test_eco_derived(F, raw):
    d = green.eco_derived(F)
    assert d["stock_per_ha"] == pytest.approx(v(raw, "timber_stock") / v(raw, "forest_area"))
    assert d["restoration_per_project"] == pytest.approx(v(raw, "restoration_invest") / v(raw, "restoration_projects"))
    assert d["redline_km2"] == pytest.approx(v(raw, "redline") / 1e6)
    assert d["steel_eliminated_mt"] == pytest.approx(v(raw, "steel_eliminated") / 1e6)


def test_green_measures_by_place(raw):
    measures, entities = pe.load("measures"), pe.load("entities")
    parent = {r["entity_id"]: r["parent_id"] for r in read("entities")}

    def inside(eid, root):
        seen = set()
        while eid and eid not in seen:
            if eid == root:
                return True
            seen.add(eid)
            eid = parent.get(eid)
        return False

    for place, source in [("qingcheng", "s003"), ("wujiang", "s004")]:
        expected = {r["measure_id"] for r in read("measures")
                    if r["category"] == "green" and inside(r["entity_id"], place)}
        got = green.green_measures(measures, entities, place)
        assert set(got["measure_id"]) == expected and expected
        assert set(got["source_id"]) == {source}


def test_descendants_handles_the_root_only():
    ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "parent_id": [None, "a", "b"]})
    assert green.descendants(ents, "a") == {"a", "b", "c"}
    assert green.descendants(ents, "c") == {"c"}


def test_gaps_no_measured_outcomes(F):
    ind, meas = pe.load("indicators"), pe.load("measures")
    gp = green.gaps(F, ind, meas).set_index("topic")
    # the documents give no emissions, energy-use or pollution figures at all
    for topic in ["Greenhouse-gas or CO2 emissions", "Energy consumption or energy intensity",
                  "Pollutant loads (COD, ammonia nitrogen, NOx, SO2, VOCs)"]:
        assert gp.loc[topic, "indicators"] == 0 and gp.loc[topic, "actual_figures"] == 0
    assert (gp["actual_figures"] == 0).all()
    # independent count of measures naming pollutant loads
    pat = re.compile(green.GAP_TOPICS["Pollutant loads (COD, ammonia nitrogen, NOx, SO2, VOCs)"][1], re.I)
    n = sum(1 for r in read("measures") if pat.search(r["quote"] + " " + r["summary_en"]))
    assert gp.loc["Pollutant loads (COD, ammonia nitrogen, NOx, SO2, VOCs)", "measures_mentioning"] == n > 0
    # the renewable row counts the potential, the pipeline and the planned project, none actual
    assert gp.loc["Renewable capacity in operation", "other_figures"] == 3


def test_period_label(F):
    def label(key):
        return green.period_label(pe.fact(green.FACTS[key], F))

    assert label("cleaner_coverage_target") == "by 2025"
    assert label("redline") == "2016-2020"
    assert label("green_factories") == "May 2022"
    assert label("air_good_days") == "2020"


def test_years_between():
    assert green.years_between(pd.Timestamp("2022-12-31"), pd.Timestamp("2025-12-31")) == 3.0
    assert math.isclose(green.years_between(pd.Timestamp("2021-12-31"), pd.Timestamp("2025-12-31")), 4.0)
