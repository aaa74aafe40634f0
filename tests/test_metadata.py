"""Names, dates and descriptions in the data say what the documents say, and no more."""
from __future__ import annotations

import csv
import json
import re

from conftest import ROOT

DATA = ROOT / "data"


def table(name: str) -> dict[str, dict]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r[next(iter(r))]: r for r in rows}


FACTS = table("facts")


def test_undated_figures_say_their_date_is_unknown():
    undated = ["f001-009", "f001-038", "f001-039", "f001-040", "f001-041"] + [f"f001-{n:03d}" for n in range(44, 61)]
    for fid in undated:
        assert FACTS[fid]["period_basis"] == "unknown", fid
    # no invented year is left behind in a note
    assert not [f for f, r in FACTS.items() if "placeholder" in r["note"]]


def test_derived_dates_follow_the_text():
    # 用3至5年左右时间 from the launch in June 2021: three years end mid-2024, five mid-2026
    assert FACTS["f001-027"]["period_end"] == "2024-06-30" and FACTS["f001-027"]["period_basis"] == "derived"
    assert FACTS["f001-028"]["period_end"] == "2026-06-30" and FACTS["f001-028"]["period_basis"] == "derived"


def test_tiers_sit_under_their_own_355n_industries():
    ent = table("entities")
    for fid, entity in [("f001-046", "sg_355n_biomed_health"), ("f001-051", "sg_355n_equipment")]:
        assert FACTS[fid]["entity_id"] == entity and ent[entity]["parent_id"] == "sg_355n"
    assert ent["sg_355n_biomed_health"]["name_zh"] == "生物医药和大健康"


def test_names_and_source_records():
    ent, ind, src = table("entities"), table("indicators"), table("sources")
    assert ent["firm_zhengwei"]["name_en"] == "Amer International Group"
    assert "postdoc" not in ind["academician_workstations_new"]["name_en"].lower()
    assert "(doctoral)" in ind["academician_workstations_new"]["name_en"]
    assert "2027" not in src["s003"]["covers"]
    # 超亿元 is "more than", not "or more"
    f075 = FACTS["f000-075"]
    assert "超亿元" in f075["quote"] and "more than" in ind[f075["indicator_id"]]["name_en"]


def test_readme_lists_the_schema_families():
    schema = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in schema["resources"] if r["name"] == "indicators" for f in r["schema"]["fields"]}
    families = fields["family"]["constraints"]["enum"]
    line = next(line for line in (DATA / "README.md").read_text(encoding="utf-8").splitlines() if "`family` ∈" in line)
    listed = re.search(r"`family` ∈ `([^`]+)`", line).group(1).split(", ")
    assert listed == families
