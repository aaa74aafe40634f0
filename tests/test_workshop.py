"""The workshop kit: learner notebooks without solutions that run, a schedule that adds up, a set-up check."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from parkecon import learner

SOL_BLOCK = re.compile(r"```\{solution-start\}.*?```\{solution-end\}", re.S)
CODE_IN = re.compile(r"```\{code-cell\}[^\n]*\n(?:---\n.*?\n---\n|(?::[^\n]*\n)*)(.*?)```", re.S)


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("learner")
    zpath = learner.build(ROOT, out)
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(zpath) as z:
        z.extractall(dest)
    return dest / "parkecon-workshop"


def test_every_chapter_has_a_learner_notebook(kit):
    chapters = learner.chapters(ROOT)
    assert len(chapters) >= 5
    assert sorted(p.name for p in (kit / "notebooks").glob("*.ipynb")) == sorted(c.stem + ".ipynb" for c in chapters)
    for c in chapters:
        assert len(learner.exercises(c.read_text(encoding="utf-8"))) >= 3, f"{c.name} has fewer than 3 exercises"


def test_no_solution_survives(kit):
    for md in learner.chapters(ROOT):
        text = md.read_text(encoding="utf-8")
        blocks = SOL_BLOCK.findall(text)
        assert blocks, f"{md.name} has no solutions to remove"
        outside = SOL_BLOCK.sub("", text)
        nb = nbformat.read(kit / "notebooks" / (md.stem + ".ipynb"), as_version=4)
        everything = "\n".join(c.source for c in nb.cells)
        assert "solution-start" not in everything and "solution-end" not in everything
        for block in blocks:
            for code in CODE_IN.findall(block):
                lines = [l for l in code.strip().splitlines() if len(l.strip()) > 25]
                for line in lines:
                    if line.strip() in outside:
                        continue  # the same line also stands outside any solution (e.g. a starter line)
                    assert line.strip() not in everything, f"solution line survives in {md.stem}: {line.strip()}"
        # the exercises themselves are still there
        assert everything.count("exercise-start") == len(learner.exercises(text))


@pytest.mark.kernel
def test_learner_notebooks_execute_in_a_fresh_kernel(kit):
    from nbclient import NotebookClient

    env_root = os.environ.pop("PARKECON_ROOT", None)
    try:
        for path in sorted((kit / "notebooks").glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
            assert errors == [], f"{path.name}: {errors[:1]}"
    finally:
        if env_root:
            os.environ["PARKECON_ROOT"] = env_root


def test_kit_contents(kit):
    for name in ["requirements.txt", "pyproject.toml", "check_setup.py", "README.txt", "MANIFEST.sha256",
                 "data/datapackage.json", "data/facts.csv", "parkecon/__init__.py"]:
        assert (kit / name).is_file(), name


def test_zip_is_deterministic(tmp_path):
    a = learner.build(ROOT, tmp_path / "a").read_bytes()
    b = learner.build(ROOT, tmp_path / "b").read_bytes()
    assert a == b


def independent_schedule_total() -> int:
    """Day 1 from the pages' own words, read here without the workshop module's helpers."""
    total = int(re.search(r"Workshop time: (\d+) min", (ROOT / "book/workshop-setup.md").read_text(encoding="utf-8")).group(1))
    total += int(re.search(r"Closing, with feedback \((\d+) min\)", (ROOT / "book/workshop.md").read_text(encoding="utf-8")).group(1))
    n = 0
    for md in learner.chapters(ROOT):
        text = md.read_text(encoding="utf-8")
        if not re.search(r"\*\*In the workshop\*\* \(day 1\)", text):
            continue
        total += int(re.search(r"walk-through \((\d+) min\)", text).group(1))
        total += int(re.search(r"debrief \((\d+) min\)", text).group(1))
        total += sum(int(m) for m in re.findall(r"^```\{exercise-start\}.*\((\d+) min\)\s*$", text, re.M))  # not extensions
        n += 1
    from parkecon.workshop import BREAKS
    return total + sum(m for k, (_, m) in BREAKS["after_chapter"].items() if k <= n)


def test_every_exercise_block_has_slack():
    """Each taught episode's exercise block is longer than its core exercises: time to pair up and a debrief."""
    from parkecon import workshop

    for day in workshop.days(ROOT):
        sched, _ = workshop.schedule(ROOT, day)
        for c in map(workshop.chapter_minutes, learner.chapters(ROOT)):
            if c["day"] != day:
                continue
            block = sched.loc[sched["block"] == f"{c['title']}: exercises ({c['exercises']}) and debrief", "minutes"]
            assert len(block) == 1, f"{c['page']}: no exercise block on day {day}"
            assert block.iloc[0] - c["exercise_minutes"] >= 10, f"{c['page']}: the exercise block has no time for a debrief"
        assert sched["kind"].iloc[-1] == "closing", "the day ends with a closing, not an exercise block"
        assert sched["kind"].iloc[0] == "set-up"


def test_every_chapter_is_planned_for_a_day():
    from parkecon import workshop

    for c in map(workshop.chapter_minutes, learner.chapters(ROOT)):
        assert c["day"] in (1, 2) and c["walkthrough"] >= 30 and c["debrief"] >= 10, c["page"]
        kinds = [e["extension"] for e in c["exercise_list"]]
        assert kinds == sorted(kinds), f"{c['page']}: an extension comes before a core exercise"
        assert not all(kinds), f"{c['page']}: no core exercise"


def test_schedule_total_equals_stated_minutes(built_book):
    html = (built_book / "book" / "workshop.html").read_text(encoding="utf-8")
    shown = re.search(r"<b>total</b></td><td[^>]*><b>(\d+)</b>", html)
    assert shown, "the workshop page shows no schedule total"
    assert int(shown.group(1)) == independent_schedule_total()
    day1 = html[html.index("<table class='schedule'>"):][:html[html.index("<table class='schedule'>"):].index("</table>")]
    rows = re.findall(r"<tr style='background:[^']+'><td[^>]*>[^<]+</td><td>[^<]+</td><td[^>]*>(\d+)</td></tr>", day1)
    assert sum(map(int, rows)) == int(shown.group(1))
    assert 300 <= int(shown.group(1)) <= 420, "a one-day workshop of about six hours"
    assert "Closing" in html and "debrief" in html


def test_workshop_page_links_the_kit(built_book):
    html = (built_book / "book" / "workshop.html").read_text(encoding="utf-8")
    href = re.search(r'href="([^"]*parkecon-workshop\.zip)"', html)
    assert href, "no link to the learner kit"
    target = (built_book / "book" / href.group(1)).resolve()
    assert target.is_file() and zipfile.is_zipfile(target)


# ------------------------------------------------------------------ set-up check

def run_check(folder: Path, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, str(folder / "check_setup.py")], cwd=folder, capture_output=True, text=True, env=env)


def test_setup_check_passes_here():
    proc = run_check(ROOT, {"PARKECON_SECRET_TOKEN": "s3cr3t-value-123"})
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.strip().splitlines()
    assert all(l.startswith(("PASS", "FAIL")) for l in lines[:-2])
    assert "s3cr3t-value-123" not in proc.stdout + proc.stderr
    assert lines[-1].startswith("Summary:") and " 0 failed" in lines[-1]


def test_setup_check_fails_on_a_broken_environment(kit, tmp_path):
    broken = tmp_path / "kit"
    shutil.copytree(kit, broken)
    req = (broken / "requirements.txt").read_text(encoding="utf-8")
    req = re.sub(r"^pandas==\S+", "pandas==0.0.1", req, flags=re.M)
    (broken / "requirements.txt").write_text(req, encoding="utf-8")
    (broken / "data" / "events.csv").unlink()
    facts = broken / "data" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace("1358.75", "1358.76", 1), encoding="utf-8")
    proc = run_check(broken, {"PARKECON_SECRET_TOKEN": "s3cr3t-value-123"})
    assert proc.returncode == 1
    out = proc.stdout
    assert re.search(r"^FAIL  pandas==0\.0\.1", out, re.M)
    assert re.search(r"^FAIL  data files present .*events\.csv", out, re.M)
    assert re.search(r"^FAIL  data files match their checksums .*facts\.csv", out, re.M)
    assert re.search(r"^PASS  Python 3\.11", out, re.M)
    assert "s3cr3t-value-123" not in out + proc.stderr
    assert "failed -- show this to a helper" in out.strip().splitlines()[-1]


def test_setup_check_honours_platform_markers(kit, tmp_path):
    """A pin for another operating system is not required here; one for this system is."""
    folder = tmp_path / "kit"
    shutil.copytree(kit, folder)
    req = folder / "requirements.txt"
    req.write_text(req.read_text(encoding="utf-8")
                   + 'otheros-only-pkg==1.0 ; sys_platform == "no-such-platform"\n'
                   + f'thisos-only-pkg==2.0 ; os_name == "{os.name}"\n', encoding="utf-8")
    proc = run_check(folder)
    assert proc.returncode == 1
    assert "thisos-only-pkg missing (want 2.0)" in proc.stdout
    assert "otheros-only-pkg" not in proc.stdout


def test_instructor_notes_name_every_exercise_as_the_chapters_do():
    """The notes' table names each exercise with the chapter's own title and minutes (audit-3 once differed)."""
    notes = (ROOT / "book/instructor-notes.md").read_text(encoding="utf-8")
    rows = {m[0]: (m[1].strip(), m[2].strip()) for m in re.findall(r"^\| `(ex-[\w-]+)`, ([^|]+)\| ([^|]+)\|", notes, re.M)}
    for md in learner.chapters(ROOT):
        for e in learner.exercises(md.read_text(encoding="utf-8")):
            assert e["label"] in rows, f"the instructor notes do not list {e['label']}"
            title, minutes = rows[e["label"]]
            assert title.lower() == e["title"].lower(), f"{e['label']}: notes say {title!r}, the chapter {e['title']!r}"
            assert minutes == f"{e['minutes']}" + (", extension" if e["extension"] else ""), e["label"]


def test_kit_extras_hold_every_solution_the_glossary_and_the_data_model():
    """The offline files for the kit: one solutions page per chapter with every solution's code,
    the glossary, the cheat sheet, the organiser's page and every table of the data model."""
    import json

    files = learner.extras(ROOT)
    for md in learner.chapters(ROOT):
        text = md.read_text(encoding="utf-8")
        page = files[f"solutions/{md.stem}.md"]
        for e in learner.exercises(text):
            assert f"({e['label']}, " in page, f"{e['label']} missing from the solutions page"
        for block in SOL_BLOCK.findall(text):
            for code in CODE_IN.findall(block):
                for l in code.strip().splitlines():
                    assert l in page, f"{md.stem}: solution line missing: {l}"
        assert "{glue:" not in page and "{numref}" not in page and "{code-cell}" not in page
    assert files["docs/glossary.md"] == (ROOT / "book/glossary.md").read_text(encoding="utf-8")
    assert "Code of conduct" in files["docs/for-the-organiser.md"]
    pkg = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        for f in res["schema"]["fields"]:
            assert f"| `{f['name']}` |" in files["docs/data-model.md"]
