"""The audit chapter's computations, recomputed independently from the CSVs.

Each discrepancy is recomputed here with the csv module and plain arithmetic and compared
with `parkecon.audit.discrepancies()`; its size and verdict are also pinned, so that a data
change that fixes a discrepancy (or creates one) fails a test and gets a look.
"""
from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT
from parkecon import audit

DATA = ROOT / "data"


def read(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


FACTS = {r["fact_id"]: r for r in read("facts")}
CLUSTERS = read("cluster_system")
EVENTS = read("events")
SOURCES = {r["source_id"]: r for r in read("sources")}


def val(fid: str) -> float:
    """Value in base units."""
    return float(FACTS[fid]["value"])


def yi(fid: str) -> float:
    """Value in 亿元, with a check that the fact is money."""
    assert FACTS[fid]["unit"] == "元", fid
    return val(fid) / 1e8


@pytest.fixture(scope="module")
def disc():
    return audit.discrepancies().set_index("check_id")


# ------------------------------------------------------------------ the discrepancies, one by one

def independent_gaps() -> dict[str, float]:
    """Each check's gap (value_a - value_b), computed without the module."""
    g = {}
    g["S1"] = yi("f000-038") + yi("f000-040") - yi("f000-036")
    prev = yi("f000-038") / (1 + val("f000-039") / 100) + yi("f000-040") / (1 + val("f000-041") / 100)
    g["S2"] = ((yi("f000-038") + yi("f000-040")) / prev - 1) * 100 - val("f000-037")
    g["S3"] = yi("f004-003") + yi("f004-010") - yi("f004-001")
    prev = yi("f004-003") / (1 + val("f004-004") / 100) ** 5 + yi("f004-010") / (1 + val("f004-011") / 100) ** 5
    g["S4"] = (((yi("f004-003") + yi("f004-010")) / prev) ** 0.2 - 1) * 100 - val("f004-002")
    g["S5"] = val("f004-008") - ((1 + val("f004-009") / 100) ** 5 - 1) * 100
    g["S6"] = val("f004-021") + val("f004-022") - val("f004-020")
    g["S7"] = sum(yi(x) for x in ["f000-008", "f000-010", "f000-012", "f000-017", "f000-021"]) - yi("f000-003")
    g["S8"] = sum(yi(x) for x in ["f000-005", "f000-006", "f000-007", "f000-015", "f000-020"]) - yi("f000-001")
    g["S9"] = val("f000-014") + val("f000-019") - s9_implied_contribution()
    g["S10"] = (yi("f000-043") - yi("f000-046")) / (val("f000-042") - val("f000-044")) - 1
    g["C1"] = yi("f000-043") - yi("f000-074")
    g["C2"] = val("f000-044") - val("f000-075")
    g["C3"] = yi("f000-033") - yi("f000-001")
    g["X1"] = val("f001-042") - val("f000-032")
    g["X2"] = yi("f000-030") / (1 + val("f000-031") / 100) / yi("f002-011") * 100 - val("f001-042")
    g["X3"] = yi("f000-030") / (val("f000-032") / 100) - yi("f002-011")
    g["X4"] = (val("f002-038") + val("f000-054") - val("f000-062")) / 1e4
    layers = {r["group"] for r in CLUSTERS if r["system"] == "355N" and r["group"].startswith("tier_")}
    g["X5"] = 2 - len(layers)
    a = {r["sector_id"] for r in CLUSTERS if r["system"] == "3+3" and r["source_id"] == "s000"}
    b = {r["sector_id"] for r in CLUSTERS if r["system"] in ("hightech_6", "3+3") and r["source_id"] == "s002"}
    g["X6"] = len(a & b) - len(a)
    g["X7"] = val("f002-019") - val("f002-031")
    g["X8"] = val("f001-001") - val("f002-001")
    g["X9"] = val("f001-005") - val("f000-056")
    ev = {r["event_id"]: r for r in EVENTS}
    g["X10"] = (int(ev["e001-010"]["date"][:4]) - int(ev["e002-002"]["date"][:4]) + 1) - val("f001-003")
    g["X11"] = (val("f000-024") - sum(val(x) for x in ["f000-081", "f000-083", "f000-085"])) / 1e4
    g["P1"] = ((val("f004-035") / val("f004-006")) ** 0.2 - (val("f004-006") / val("f004-005")) ** 0.2) * 100
    g["P2"] = yi("f004-032") / (1 + val("f004-033") / 100) ** 5 - yi("f004-003")
    return g


def increase(va: str, growth: str) -> float:
    """Value added gained in the year, in 亿元, from a level and its growth rate."""
    return yi(va) - yi(va) / (1 + val(growth) / 100)


def s9_implied_contribution() -> float:
    """Points of city growth the whole "3+3" increase makes on the city base that the stated
    contributions imply (pillar clusters f000-014, electronics f000-019), as chapter 2 computes it."""
    base_pillars = sum(increase(va, g) for va, g in [("f000-008", "f000-009"), ("f000-010", "f000-011"),
                                                     ("f000-012", "f000-013")]) / (val("f000-014") / 100)
    base_electronics = increase("f000-017", "f000-018") / (val("f000-019") / 100)
    return increase("f000-003", "f000-004") / ((base_pillars + base_electronics) / 2) * 100


#: The size of each gap as the data stand (rounded), and the verdict. A data change that
#: moves one of these is a finding of the chapter changing: update the chapter's text too.
PINNED = {
    "S1": (0.26, "small gap"), "S2": (0.03, "consistent"), "S3": (0.02, "small gap"),
    "S4": (-0.11, "small gap"), "S5": (0.08, "consistent"), "S6": (0.0, "consistent"),
    "S7": (22.07, "does not add up"), "S8": (-158.64, "consistent"), "S9": (2.54, "does not add up"),
    "S10": (-0.67, "consistent"),
    "C1": (-426.65, "different scopes"), "C2": (-36.0, "different scopes"), "C3": (-188.26, "different scopes"),
    "X1": (-17.1, "sources disagree"), "X2": (18.53, "sources disagree"), "X3": (60.69, "consistent"),
    "X4": (-32.04, "cannot be checked"), "X5": (-1.0, "names differ"), "X6": (-1.0, "names differ"),
    "X7": (1.0, "cannot be checked"), "X8": (0.0, "consistent"), "X9": (0.0, "consistent"),
    "X10": (0.0, "consistent"), "X11": (82.65, "not comparable"),
    "P1": (2.41, "internal tension"), "P2": (76.44, "cannot be checked"),
}


def test_every_check_is_recomputed_and_pinned(disc):
    ids = set(disc.index)
    expected = set(PINNED) | {"N1", "N2", "N3"}
    assert ids == expected, f"checks added or removed: {sorted(ids ^ expected)}"


@pytest.mark.parametrize("cid", sorted(PINNED))
def test_gap_matches_independent_recomputation(disc, cid):
    gaps = independent_gaps()
    got = float(disc.loc[cid, "gap"])
    assert got == pytest.approx(gaps[cid], abs=1e-9), cid
    size, verdict = PINNED[cid]
    assert round(got, 2) == pytest.approx(size, abs=0.005), f"{cid}: gap is now {got:.4f}, was {size}"
    assert disc.loc[cid, "verdict"] == verdict, f"{cid}: verdict is now {disc.loc[cid, 'verdict']}, was {verdict}"


def test_sum_gaps_beyond_rounding_are_flagged(disc):
    # Parts printed with two decimals: three rounded numbers can be off by 0.015 at most.
    for cid in ["S1", "S3"]:
        assert disc.loc[cid, "tolerance"] == pytest.approx(0.015)
        assert abs(disc.loc[cid, "gap"]) > disc.loc[cid, "tolerance"]
    # the parks' investment growth rates, unlike the levels, agree
    assert abs(disc.loc["S2", "gap"]) < disc.loc["S2", "tolerance"]


def test_cluster_overlap_is_large(disc):
    # five of six clusters exceed the six-cluster total by more than 7 %
    assert disc.loc["S7", "gap_pct"] == pytest.approx(
        independent_gaps()["S7"] / yi("f000-003") * 100)
    assert disc.loc["S7", "gap_pct"] > 7


def test_lower_bounds_stay_bounds(disc):
    # S8 sums figures printed as "over": the comparison must say "at least"
    assert {FACTS[x]["qualifier"] for x in ["f000-005", "f000-006", "f000-007"]} == {"more_than"}
    assert disc.loc["S8", "compared"].startswith("at least")
    # X1 compares a "less than" figure: the text gives the distance as a minimum
    assert FACTS["f001-042"]["qualifier"] == "less_than"
    assert disc.loc["X1", "compared"].startswith("<")
    assert "At least" in disc.loc["X1", "verdict_text"]


def test_name_variants_are_printed_in_quotes(disc):
    quotes = [(r["sector_id"], r["quote"]) for r in CLUSTERS] + [(r["entity_id"], r["quote"]) for r in FACTS.values()]
    for i, (sector, names) in enumerate(audit.NAME_VARIANTS.items(), start=1):
        found = []
        for n in names:
            longer = [x for x in names if n in x and x != n]
            if any(n in re.sub("|".join(map(re.escape, longer)) or "^$", "", q) for s, q in quotes if s == sector):
                found.append(n)
        assert disc.loc[f"N{i}", "value_a"] == len(found) > 1, (sector, found)


def test_facts_of_every_check_exist(disc):
    cs_ids = {r["row_id"] for r in CLUSTERS}
    ev_ids = {r["event_id"] for r in EVENTS}
    m_ids = {r["measure_id"] for r in read("measures")}
    for cid, ids in disc["facts"].items():
        assert ids, cid
        for i in ids:
            assert i in FACTS or i in cs_ids or i in ev_ids or i in m_ids, (cid, i)


#: Notes in which curators flag a disagreement or a sum that does not close. Each must be
#: covered by a check, or listed here with the reason it is not one.
FLAG = re.compile(r"exceed|differs? from|disagree|sum of parts|more than the parks|does not add|different scope|"
                  r"not comparable|even though|\d+(\.\d+)? \+ \d+(\.\d+)? =")
NOT_A_CHECK: dict[str, str] = {}


def test_flagged_notes_are_covered(disc):
    covered = {i for ids in disc["facts"] for i in ids}
    flagged = {fid for fid, r in FACTS.items() if FLAG.search(r["note"] or "")}
    missing = sorted(flagged - covered - set(NOT_A_CHECK))
    assert not missing, f"notes flag a discrepancy no check covers: {missing}"


# ------------------------------------------------------------------ targets

@pytest.fixture(scope="module")
def tg():
    return audit.targets().set_index("fact_id")


def test_every_target_and_plan_is_listed(tg):
    expected = {fid for fid, r in FACTS.items() if r["status"] in ("target", "plan")}
    assert set(tg.index) == expected
    assert len(tg) == len(expected) == 90


def test_required_growth_recomputed(tg):
    # mapped baselines: (target / baseline) ** (1 / years) - 1
    for t, b in [("f001-046", "f000-020"), ("f001-047", "f000-015"), ("f001-051", "f000-006")]:
        # s001 gives the tiers no year: the data say "unknown", the book reads 2025
        assert FACTS[t]["period_basis"] == "unknown" and tg.loc[t, "target_year"] == 2025
        years = 2025 - int(FACTS[b]["period_end"][:4])
        assert tg.loc[t, "base_fact"] == b and FACTS[b]["status"] == "actual"
        assert tg.loc[t, "rate"] == pytest.approx(((val(t) / val(b)) ** (1 / years) - 1) * 100)
    assert tg.loc["f001-046", "rate"] > 180  # the biomedicine target needs almost a tripling each year
    # Wujiang firms: same entity and indicator, baseline 2020
    assert tg.loc["f004-035", "basis"] == "baseline"
    assert tg.loc["f004-035", "rate"] == pytest.approx(((val("f004-035") / val("f004-006")) ** 0.2 - 1) * 100)
    # the parks' share: an annual gain in points, from the target's own baseline (<40 %, s001)
    assert tg.loc["f001-043", "rate_unit"] == "pp/yr"
    assert tg.loc["f001-043", "rate"] == pytest.approx((70 - 40) / 4)
    assert tg.loc["f001-043", "rate_latest"] == pytest.approx((70 - 57.1) / 4)
    # doubling in five years, and a cumulative 25 % read per year
    assert tg.loc["f004-042", "rate"] == pytest.approx((2 ** 0.2 - 1) * 100)
    assert tg.loc["f004-039", "rate"] == pytest.approx((1.25 ** 0.2 - 1) * 100)
    # Shaogang: steps between its own targets
    assert tg.loc["f001-015", "rate"] == pytest.approx(((700 / 400) ** (1 / 3) - 1) * 100)


def test_bounds_carry_into_required_rates(tg):
    # target "over 1000" (up), baseline of the biomedicine cluster alone, narrower than the industry (down)
    assert tg.loc["f001-046", "rate_sign"] == "?" and tg.loc["f001-046", "direction"] == "either way"
    assert tg.loc["f001-051", "rate_sign"] == "?"   # both target and baseline are "over"
    assert tg.loc["f001-043", "rate_sign"] == ">"   # at least 70 from less than 40
    assert tg.loc["f001-015", "rate_sign"] == "<"   # from "over 400" to exactly 700
    assert tg.loc["f004-036", "rate_sign"] == "≈"   # "about 10 %"


def test_targets_without_baseline_have_no_rate(tg):
    none = tg[tg["basis"] == "none"]
    assert none["rate"].isna().all()
    assert none["base_fact"].isna().all()
    # the ordinal "third batch" is not a quantity to grow
    assert tg.loc["f001-005", "basis"] == "none"


# ------------------------------------------------------------------ Wujiang

def test_wujiang_implied_output():
    w = audit.wujiang()
    implied = yi("f004-032") / 1.05 ** 5
    assert val("f004-033") == 5.0 and FACTS["f004-033"]["qualifier"] == "about"
    assert w["implied_output_2020"] == pytest.approx(implied)
    assert 159 < implied < 160
    lo, hi = w["implied_output_2020_range"]
    assert lo == pytest.approx(yi("f004-032") / 1.055 ** 5) and hi == pytest.approx(yi("f004-032") / 1.045 ** 5)
    assert w["va_output_ratio"] == pytest.approx(yi("f004-003") / implied * 100)
    assert w["rates_past"]["firms"] == pytest.approx(((64 / 51) ** 0.2 - 1) * 100)
    assert w["firms"]["2025_at_past_pace"] < w["firms"]["2025_target"]


# ------------------------------------------------------------------ sources and events

def test_source_profile_counts():
    p = audit.source_profile().set_index("source_id")
    assert p["facts"].sum() == len(FACTS)
    for sid, r in p.iterrows():
        mine = [f for f in FACTS.values() if f["source_id"] == sid]
        assert r["facts"] == len(mine)
        assert bool(r["official"]) == (SOURCES[sid]["official"] == "true")
        assert r["lower bound"] == sum(f["qualifier"] in ("more_than", "at_least") for f in mine)
        assert r["approximate"] == sum(f["qualifier"] in ("about", "nearly") for f in mine)
        assert r[["actual", "estimate", "plan", "target"]].sum() == len(mine)
        assert r["first_year"] == min(int(f["period_start"][:4]) for f in mine)


def test_events_read_as_intervals():
    ev = audit.events()
    assert len(ev) == len(EVENTS)
    assert ev["start"].is_monotonic_increasing
    assert (ev["start"] <= ev["end"]).all()
    y = ev[ev["date_precision"] == "year"]
    assert ((y["start"].dt.strftime("%m-%d") == "01-01") & (y["end"].dt.strftime("%m-%d") == "12-31")).all()
    assert set(ev.loc[ev["prospective"], "event_id"]) == {"e001-015", "e001-017", "e004-001"}
    c = audit.event_counts()
    assert c.loc["all", "all"] == len(EVENTS)


@pytest.mark.parametrize("args, shown", [
    ((90, "家", "exactly", "Above-designated-size industrial enterprises"), "90 firms"),
    ((1, "家", "exactly", "Fortune Global 500 firms"), "1 firm"),
    ((2, "家", "at_least", "New-type R&D institutions"), "≥2"),  # 家 counts institutions here, not firms
    ((1, "年", "exactly", "Waiting period"), "1 year"),
    ((100, "亿元", "more_than", "Total output value"), ">10 bn yuan"),
])
def test_display_value_words(args, shown):
    assert audit.display_value(*args) == shown


# ------------------------------------------------------------------ the registry of checks

from parkecon import audit_checks  # noqa: E402


def test_every_check_is_declared_in_full():
    assert list(audit_checks.CHECKS) == list(audit.discrepancies()["check_id"])
    for cid, c in audit_checks.CHECKS.items():
        assert c.id == cid and c.kind in audit_checks.KINDS and c.topic and c.compares, cid
        assert c.rule.text and c.tolerance, cid
        assert set(c.overlaps) <= set(audit_checks.CHECKS) - {cid}, cid


def test_checks_read_only_what_they_declare(disc):
    """Every id a check's function reads is in its declaration (and so in the chapter's provenance)."""
    for cid, r in disc.iterrows():
        assert set(r["read"]) <= set(audit_checks.CHECKS[cid].reads), (cid, set(r["read"]) - set(audit_checks.CHECKS[cid].reads))
        assert set(r["read"]) <= set(r["facts"]), cid


def test_verdicts_follow_the_declared_rule(disc):
    for cid, r in disc.iterrows():
        c = audit_checks.CHECKS[cid]
        assert r["verdict_rule"] == c.rule.text
        assert r["verdict"] in audit.VERDICTS
    # a gap within the declared tolerance passes; beyond it under 1 % is a small gap (S1), over it does not add up (S7)
    assert abs(disc.loc["S6", "gap"]) <= disc.loc["S6", "tolerance"] and disc.loc["S6", "verdict"] == "consistent"
    assert disc.loc["S1", "gap_pct"] < audit.SMALL_GAP_PCT and disc.loc["S1", "verdict"] == "small gap"
    assert disc.loc["S7", "gap_pct"] > audit.SMALL_GAP_PCT and disc.loc["S7", "verdict"] == "does not add up"


def test_a_new_check_is_one_function(tmp_path):
    """Registering one function adds a row to the table and, if it flags a problem, to the tally."""
    try:
        @audit_checks.check("T1", "sum", "A test check", compares="two facts that cannot both hold",
                            reads=("f000-036", "f000-038"), tolerance="none", rule=audit_checks.HOLDS)
        def _t1(r):
            return audit_checks.Result("a vs b", r.yi("f000-036"), r.yi("f000-038"), "亿元", "Made up.", holds=False)

        table = audit.discrepancies().set_index("check_id")
        assert table.loc["T1", "verdict"] == "does not add up"
        assert table.loc["T1", "facts"] == ("f000-036", "f000-038")
        assert "T1" in set(audit.problems()["problem"])
    finally:
        audit_checks.CHECKS.pop("T1", None)
    assert "T1" not in set(audit.discrepancies()["check_id"])


def test_tally_counts_overlapping_checks_once(disc):
    """S7 and S9 are one overlap of the clusters, X1 and X2 one disagreement over the parks' share."""
    p = audit.problems().set_index("problem")
    assert set(p.loc["S7", "checks"]) == {"S7", "S9"}
    assert set(p.loc["X1", "checks"]) == {"X1", "X2"}
    flagged = disc[disc["verdict"].isin(audit_checks.PROBLEM_VERDICTS)]
    assert sorted(c for cs in p["checks"] for c in cs) == sorted(flagged.index)
    assert len(p) == len(flagged) - 2
    assert disc.loc["S9", "same_problem_as"] == ("S7",) and disc.loc["X2", "same_problem_as"] == ("X1",)


def test_s9_uses_the_base_chapter_2_uses(disc):
    """The audit and the clusters chapter compute the "3+3" contribution on the same implied base, not s002's 2020 level."""
    import parkecon as pe
    from parkecon import clusters

    t = clusters.totals(pe.facts())
    assert disc.loc["S9", "value_b"] == pytest.approx(t["contribution_3p3_implied"])
    assert disc.loc["S9", "value_a"] == pytest.approx(t["contribution_sum"])
    assert "f002-011" not in disc.loc["S9", "facts"]
    assert f"{t['base_mean'] * 10:.1f} 亿元 base" in disc.loc["S9", "compared"]


def test_verdicts_name_what_the_documents_record(disc):
    """X1: the boundary events s001 records; X4: cumulative and undated; P2: scope and industry mix."""
    measures = {r["measure_id"]: r for r in read("measures")}
    x1 = disc.loc["X1", "verdict_text"]
    assert measures["m001-009"]["quote"] in x1 and "厂区变园区" in x1 and "Shaogang" in x1
    assert "not reconcilable" in disc.loc["X1", "verdict_rule"]
    assert "同口径" in disc.loc["X2", "verdict_text"] and "cannot exclude a change of boundary" in disc.loc["X2", "verdict_text"]
    assert disc.loc["X4", "verdict"] == "cannot be checked"
    assert FACTS["f000-062"]["qualifier"] == "nearly" and "no date" in disc.loc["X4", "verdict_text"]
    assert f"{val('f000-053'):.0f} standard-factory projects were under construction" in disc.loc["X4", "verdict_text"]
    p2 = disc.loc["P2", "verdict_text"]
    assert "烟草、电力" in p2 and "all industry" in p2 and "above-size output" in p2


def test_chapter_table_and_tally_read_the_registry(built_book):
    """The audit page shows every declared check, marks the overlaps and counts problems, not checks."""
    import html as _html

    page = (built_book / "notebooks" / "plans-audit.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", "", page)))
    for cid, c in audit_checks.CHECKS.items():
        assert f"<b>{cid}</b>" in page, cid
        for other in c.overlaps:
            assert f"{cid} repeats {other}" in text, (cid, other)
    n_problems, n_checks = len(audit.problems()), len(audit_checks.CHECKS)
    flagged = int(audit.discrepancies()["problem"].notna().sum())
    assert f"Of {n_checks} checks" in text
    assert f"{flagged} flag a problem" in text and f"these are {n_problems} distinct problems" in text


# ------------------------------------------------------------------ derivations of the chapter's numbers

def test_computed_values_name_only_the_facts_they_are_computed_from():
    """A constant in the arithmetic (÷ 10^8, 1 + g / 100, ** (1 / 5)) is not taken for a fact that
    happens to have the same value: f000-006 (100 亿元) is not the 亿 of a conversion."""
    import parkecon as pe

    assert pe.value("f000-006") == 100 * 1e8
    w = audit.wujiang()
    assert w["levels"]["secondary_va"].facts == ("f004-001",)
    assert set(w["rates_target"]["firms"].facts) == {"f004-035", "f004-006"}
    assert set(w["implied_output_2020"].facts) == {"f004-032", "f004-033"}
    tier = audit.targets().set_index("fact_id").loc["f001-046", "required"]
    assert set(tier.rate.facts) == {"f001-046", "f000-020"}
    assert tier.statement().of.facts == tier.rate.facts
    assert set(tier.multiple.facts) == {"f001-046", "f000-020"}


def test_a_number_pasted_with_how_or_counts_is_not_matched_by_value():
    """0.45 equals Wujiang's R&D intensity target, but a number described as a parameter does not read it."""
    import parkecon as pe
    from parkecon import notebook

    assert pe.value("f004-037") == 0.45
    assert notebook._derivation(0.45, "a parameter of the book", None, None) == {"how": "a parameter of the book"}
    assert notebook._derivation(0.45, None, None, None)["facts"] == ["f004-037"]
