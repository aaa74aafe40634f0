"""Every exercise's answer key: the statements its solution prose makes hold in the solution's
own output. Each chapter is the one the suite's build executed in a fresh kernel (its English
execution cache, matched to the chapter's current code, as the page shows it); each solution's
prose and printed output are read from that executed notebook, and one test per exercise checks
the prose's claims against that output (names, directions, counts), so that prose and output
cannot disagree again.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache

import pytest

from conftest import ROOT
from parkecon.machinery.learner import chapters, executed, exercises

pytestmark = pytest.mark.kernel

FENCE = re.compile(r"```\{solution-(start|end)\}[^\n]*\n(?::[^\n]*\n)*```", re.M)


@pytest.fixture(scope="module", autouse=True)
def _executed(built_book):
    """The build executes every chapter (or finds its current execution in the cache) first."""
    return built_book


@lru_cache(maxsize=None)
def run(stem: str) -> dict[str, tuple[str, str]]:
    """label -> (solution prose, solution output) of one executed chapter."""
    nb = executed(ROOT / "notebooks" / f"{stem}.md", ROOT / "_build" / ".jupyter_cache")
    assert nb is not None, f"the execution cache holds no execution of the current {stem}.md"
    prose: dict[str, str] = {}
    output: dict[str, str] = {}
    cur = None
    for c in nb.cells:
        if c.cell_type == "markdown":
            pos = 0
            for m in FENCE.finditer(c.source):
                if cur:
                    prose[cur] += c.source[pos:m.start()]
                cur = re.search(r"solution-start\}\s*(\S+)", m.group(0)).group(1) if m.group(1) == "start" else None
                if cur:
                    prose[cur], output[cur] = "", ""
                pos = m.end()
            if cur:
                prose[cur] += c.source[pos:]
        elif cur:
            for o in c.get("outputs", []):
                assert o.output_type != "error", f"{cur}: the solution raises {o.get('ename')}"
                if o.output_type == "stream":
                    output[cur] += o.text
                elif "data" in o:
                    output[cur] += o["data"].get("text/plain", "") + "\n"
    return {k: (" ".join(prose[k].split()), output[k]) for k in prose}


def key(label: str) -> tuple[str, str]:
    stem = {"park": "park-economy", "audit": "plans-audit", "data": "data-with-pandas"}.get(
        label.split("-")[1], label.split("-")[1])
    return run(stem)[label]


def line(out: str, prefix: str) -> str:
    """The rest of the output line that starts with `prefix`."""
    m = re.search(rf"^\s*{re.escape(prefix)}\s*(.*)$", out, re.M)
    assert m, f"no output line starting {prefix!r}"
    return m.group(1)


def listed(out: str, prefix: str) -> list:
    return ast.literal_eval(line(out, prefix))


def num(text: str) -> float:
    return float(re.search(r"-?\d+(?:\.\d+)?", text).group())


def test_every_exercise_has_an_answer_key_test():
    labels = {e["label"] for md in chapters(ROOT) for e in exercises(md.read_text(encoding="utf-8"))}
    tested = {n.removeprefix("test_ex_").replace("_", "-") for n in globals() if n.startswith("test_ex_")}
    assert {l.removeprefix("ex-") for l in labels} == tested


# ------------------------------------------------------------------ the opening episode

def test_ex_data_1():
    prose, out = key("ex-data-1")
    assert num(line(out, "rows:")) > 0 and num(line(out, "parks without a parent:")) >= 0
    assert "parent_id" in prose and "containing place" in prose


def test_ex_data_2():
    prose, out = key("ex-data-2")
    # "Targets and plans come mostly from the plans and news reports, achieved values mostly
    # from the bureau reply" (caption) and the answer lines
    most_targets = line(out, "most targets:")
    assert most_targets in {"s001", "s002", "s003", "s004"}, "most targets come from a plan or news report"
    assert "cross-table" in prose


def test_ex_data_3():
    prose, out = key("ex-data-3")
    lower, exact = listed(out, "lower bounds:"), listed(out, "exact:")
    assert len(lower) >= 2, "the prose speaks of (at least) two clusters printed as 'more than'"
    assert exact, "and of exact values to rank against"
    assert "lower bound" in prose


def test_ex_data_4():
    prose, out = key("ex-data-4")
    counts = {r: int(n) for r, n in re.findall(r"^(lead|priority|hosts|planned)\s+(\d+)$", out, re.M)}
    assert counts["planned"] + counts["priority"] > counts["hosts"] + counts["lead"], prose


# ------------------------------------------------------------------ park economy

def test_ex_park_1():
    prose, out = key("ex-park-1")
    avg = {k: float(v) for k, v in re.findall(r"^(all|large|others)\s+([\d.]+)", out, re.M)}
    assert avg["large"] > avg["all"] > avg["others"]
    assert float(line(out, "large / others:")) == pytest.approx(avg["large"] / avg["others"], rel=0.01)
    assert "difference between the total and the large ones" in prose


def test_ex_park_2():
    prose, out = key("ex-park-2")
    gaps = ast.literal_eval(line(out, "gap (parts - total), 亿元:"))
    assert "parts exceed the total in both years" in prose
    assert all(g > 0 for g in gaps.values()) and len(gaps) == 2


def test_ex_park_3():
    prose, out = key("ex-park-3")
    rows = [(int(c), float(p)) for c, p in re.findall(r"city grows\s+(\d+)% a year -> parks must grow ([\d.]+)%", out)]
    assert [c for c, _ in rows] == [0, 4, 8, 12]
    assert all(p > c for c, p in rows), "the parks must outgrow the city to raise their share"
    assert "same set of parks" in prose


def test_ex_park_4():
    prose, out = key("ex-park-4")
    moved = re.findall(r"^moves: (\w+) \((.*)\): (.+) -> (.+)$", out, re.M)
    assert len(moved) == 4 and prose.startswith("Four places move")
    gain = {m[0]: m[3] for m in moved if m[2] == "county not stated"}
    lose = {m[0] for m in moved if m[3] == "county not stated"}
    assert gain == {"park_huanan_equipment": "wujiang", "park_baowu_shaoguan": "qujiang"}
    assert lose == {"platform_wengyuan_xinfeng_south", "platform_wushen_components_belt"}
    for word in ["Huanan", "Baowu", "Wujiang", "Qujiang", "Wengyuan–Xinfeng", "expressway", "two or three counties"]:
        assert word in prose
    spans = [len(m[2].split(", ")) for m in moved if m[0] in lose]
    assert sorted(spans) == [2, 3], "'two or three counties'"


# ------------------------------------------------------------------ clusters

def test_ex_clusters_1():
    prose, out = key("ex-clusters-1")
    assert "lower bound" in prose and "less than" in prose
    assert "Advanced materials" in out


def test_ex_clusters_2():
    prose, out = key("ex-clusters-2")
    e, p, pub = (float(x) for x in re.findall(r"([\d.]+) 亿元", out)[:3])
    assert "nearly the same base, higher than the 2020 level" in prose
    assert abs(e - p) / pub < 0.02 and e > pub and p > pub


def test_ex_clusters_3():
    prose, out = key("ex-clusters-3")
    assert set(re.findall(r"either way", out)) == {"either way"} and "bounds in neither direction" in prose
    assert "upper bound" in prose and int(re.search(r"i\.e\. in (\d{4})", out).group(1)) > 2021


def test_ex_clusters_4():
    prose, out = key("ex-clusters-4")
    roles = {r: int(n) for r, n in re.findall(r"^(lead|priority|hosts|planned)\s+(\d+)$", out, re.M)}
    assert roles["hosts"] + roles["lead"] < roles["priority"] + roles["planned"], "'much rarer than priorities and plans'"
    table = out.split("all blocks", 1)[1]
    ranked = [m.group(1).strip() for m in re.finditer(r"^([A-Z][^\d\n]*?)\s{2,}\d", table, re.M)]
    totals = [int(m.group(1)) for m in re.finditer(r"(\d+)\s*$", table.split("changes:")[0], re.M)][:len(ranked)]
    order = ["Materials and metals", "Equipment and autos"]
    assert ranked[:2] == order and totals[0] > totals[1] > totals[2]
    assert set(ranked[2:4]) == {"Agriculture and food", "Biomedicine and health"} and "Tourism and culture" == ranked[4]
    changed = re.findall(r"^changes: (.+) \| (.+) \| (\d+) -> (\d+)$", out, re.M)
    assert changed and {c[1] for c in changed} == {"Shaoguan city and its parks"}, "only the Shaoguan block changes"
    assert {c[0].strip() for c in changed} == {"Health and wellness", "Tourism and culture"}
    tour = next(c for c in changed if c[0].strip() == "Tourism and culture")
    assert int(tour[3]) == int(tour[2]) - 1, "Tourism and culture loses one place (Shixing)"


# ------------------------------------------------------------------ transfer

def test_ex_transfer_1():
    prose, out = key("ex-transfer-1")
    shaoguan_only = listed(out, "only in Shaoguan's documents:")
    named = set(re.findall(r"`(\w+)`", prose.split("appear on both sides")[0].split("City integration")[0]))
    assert named == set(shaoguan_only)
    both = set(re.findall(r"`(\w+)`", prose.split("City integration", 1)[1].split("appear on both sides")[0])) | {"city_integration"}
    forms = set(re.findall(r"^(\w+)\s+\d+\s+\d+\s+(?:True|False)$", out, re.M))
    assert both == forms - set(shaoguan_only)
    assert listed(out, "only in Qingcheng's plan:") == [] and "No form appears only in Qingcheng" in prose


def test_ex_transfer_2():
    prose, out = key("ex-transfer-2")
    a = num(line(out, "(a) city-wide large projects: at most"))
    b = num(line(out, "(b) parks, projects of 100 million yuan or more:"))
    assert "upper bound" in prose and "somewhat less than that bound" in prose and b < a
    share = num(line(out, "(c) the largest park projects: at least"))
    assert 0 < share < 100, "a share of the signed value, not ten times it"
    src = (ROOT / "notebooks/transfer.md").read_text(encoding="utf-8")
    assert "10e9" not in src.split("ex-transfer-2", 1)[1].split("ex-transfer-3", 1)[0]


def test_ex_transfer_3():
    prose, out = key("ex-transfer-3")
    r1 = num(line(out, "park fixed-asset investment / park signings:"))
    r2 = line(out, "landed completed / city signings:")
    assert r1 < 50 and num(r2) < 50 and "ratios are small" in prose
    assert r2.startswith("more than") and "qualifier: more_than" in r2 and '"more than"' in prose


def test_ex_transfer_4():
    prose, out = key("ex-transfer-4")
    gains = [(m.group(1).strip(), float(m.group(2))) for m in re.finditer(r"^([A-Z][^\n]*?)\s+(-?[\d.]+)$", out, re.M)]
    assert gains[0][0] == "Energy" and gains[1][0] == "Equipment and autos" and gains[1][1] > dict(gains)["Materials and metals"]
    assert "gains most in energy, then in equipment and autos" in prose
    assert line(out, "overlap unchanged:") == "True" and "does not change" in prose


# ------------------------------------------------------------------ green

def test_ex_green_1():
    prose, out = key("ex-green-1")
    counts = {s: int(n) for s, n in re.findall(r"^(actual|target|plan|estimate)\s+(\d+)$", out, re.M)}
    assert counts["actual"] > 2 * (sum(counts.values()) - counts["actual"]), "'a small minority'"
    assert "small minority" in prose


def test_ex_green_2():
    prose, out = key("ex-green-2")
    sg = num(line(out, "Shaoguan Steel 2025 target:"))
    zj = num(line(out, "Zhongjin Lingnan 2020 actual:"))
    assert float(line(out, "ratio:")) == pytest.approx(sg / zj, rel=0.02)
    for helper in ["green.to_km2", "green.km2_to_mu", "green.per_area"]:
        assert helper in prose
    src = (ROOT / "notebooks/green.md").read_text(encoding="utf-8").split("ex-green-2", 1)[1].split("ex-green-3", 1)[0]
    assert '"平方米"' not in src, "the unit comes from the data, not typed in Chinese"


def test_ex_green_3():
    prose, out = key("ex-green-3")
    assert num(line(out, "starting output:")) > 0 and "more growth" in prose and "minimum growth" in prose
    from parkecon import value
    assert num(line(out, "check:")) == pytest.approx(value("f000-035"), abs=0.05)


def test_ex_green_4():
    prose, out = key("ex-green-4")
    assert num(line(out, "whole site at the earlier intensity:")) > 0
    assert num(line(out, "remaining land at the mid-2021 intensity:")) > 0
    assert "neither the works' capacity nor its output" in prose


# ------------------------------------------------------------------ plans against numbers

def test_ex_audit_1():
    prose, out = key("ex-audit-1")
    bad = re.findall(r"^\s+[SX]\d+\s", out, re.M)
    s000 = int(re.search(r"^s000\s+(\d+)$", out, re.M).group(1))
    assert s000 == len(bad) and "in every one of these problems" in prose
    counts = [int(n) for n in re.findall(r"^s00\d\s+(\d+)$", out, re.M)]
    assert s000 == max(counts)


def test_ex_audit_2():
    prose, out = key("ex-audit-2")
    s1, s7 = (float(x) for x in re.findall(r"S[17] gap ([\d.]+)", out))
    tol1, tol7 = (float(x) for x in re.findall(r"allows ([\d.]+)", out))
    assert "S1 is small but real; S7 is far beyond any rounding" in prose
    assert tol1 < s1 < 1 and s7 > 100 * tol7


def test_ex_audit_3():
    prose, out = key("ex-audit-3")
    ratios = [float(r.split()[-1]) for r in re.findall(r"^\s+\d\s+[\d.]+\s+[\d.]+$", out, re.M)]
    parks = float(re.search(r"parks' ratio \(([\d.]+)%\)", out).group(1))
    assert ratios and min(ratios) > parks, "no rate in the table reaches the parks' ratio"
    assert "No plausible growth rate reconciles" in prose and "output would have to fall" in out


def test_ex_audit_4():
    prose, out = key("ex-audit-4")
    verdicts = re.findall(r"(consistent|does not add up)\s*$", out, re.M)
    assert verdicts == ["consistent", "consistent"] and "Both hold" in prose
