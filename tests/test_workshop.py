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
from parkecon.machinery import learner

SOL_BLOCK = re.compile(r"```\{solution-start\}.*?```\{solution-end\}", re.S)
CODE_IN = re.compile(r"```\{code-cell\}[^\n]*\n(?:---\n.*?\n---\n|(?::[^\n]*\n)*)(.*?)```", re.S)


@pytest.fixture(scope="module")
def kit(tmp_path_factory, kit_zip) -> Path:
    """The kit as an attendee unzips it: the zip the build made from its executed chapters."""
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(kit_zip) as z:
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
        # the exercises themselves are still there, as headed sections
        assert len(re.findall(r"^### Exercise \d+\.\d+: ", everything, re.M)) == len(learner.exercises(text))


@pytest.mark.kernel
def test_learner_notebooks_execute_in_a_fresh_kernel_and_helper_cells_print_nothing(kit):
    from concurrent.futures import ThreadPoolExecutor

    from nbclient import NotebookClient

    env = {k: v for k, v in os.environ.items() if k != "PARKECON_ROOT"}  # the kit finds its own data

    def run(path: Path):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
        return nb

    paths = sorted((kit / "notebooks").glob("*.ipynb"))
    assert paths
    # one kernel per notebook, as many side by side as the machine has cores
    with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as pool:
        executed = list(pool.map(run, paths))
    for path, nb in zip(paths, executed):
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], f"{path.name}: {errors[:1]}"
        stray = [(c.source.strip().splitlines()[-1], o.get("data", {}).get("text/plain", o.get("text")))
                 for c in nb.cells if "remove-cell" in c.metadata.get("tags", [])
                 for o in c.get("outputs", []) if o.output_type in ("execute_result", "stream")]
        assert stray == [], f"{path.name}: helper cells print {stray[:3]}"


def test_kit_contents(kit):
    for name in ["requirements.txt", "pyproject.toml", "check_setup.py", "README.txt", "MANIFEST.sha256",
                 "data/datapackage.json", "data/facts.csv", "parkecon/__init__.py"]:
        assert (kit / name).is_file(), name


def test_zip_is_deterministic(tmp_path, kit_zip):
    """Made again from the same inputs, in another folder and another process, the kit has the
    same bytes as the one the build wrote."""
    again = learner.build(ROOT, tmp_path / "again")
    assert again is not None and again != kit_zip
    assert again.read_bytes() == kit_zip.read_bytes()


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


def test_the_chinese_schedule_names_each_chapter_as_its_chinese_page_does(monkeypatch):
    """In the Chinese edition every block of the schedule is Chinese, and a chapter's blocks carry
    the title its own Chinese page shows (its catalogue's translation of its heading)."""
    from parkecon import workshop
    from parkecon.machinery.editions import locale_dirs
    from parkecon.machinery.kitlang import messages

    monkeypatch.setenv("PARKECON_LANG", "zh")
    for day in workshop.days(ROOT):
        sched, _ = workshop.schedule(ROOT, day)
        english = [b for b in sched["block"] if re.search(r"[A-Za-z]{3,}", b.replace("pandas", ""))]
        assert not english, f"day {day}: blocks in English: {english}"
        for c in map(workshop.chapter_minutes, learner.chapters(ROOT)):
            if c["day"] != day:
                continue
            zh = messages(locale_dirs(ROOT), f"notebooks/{c['page']}")[c["title"]]
            assert workshop.title(ROOT, c) == zh
            assert sum(b.startswith(zh + "：") for b in sched["block"]) == 2, f"{c['page']}: {zh!r} not in the schedule"
    monkeypatch.setenv("PARKECON_LANG", "en")
    c = workshop.chapter_minutes(learner.chapters(ROOT)[0])
    assert workshop.title(ROOT, c) == c["title"]


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
    fails = [l for l in out.splitlines() if l.startswith("FAIL")]
    assert len(fails) >= 3 and all("  -> fix: " in l for l in fails), fails
    assert all(("-m pip install --no-deps -r requirements.txt" in l) for l in fails if "pandas" in l)
    assert "unzip the workshop kit again" in next(l for l in fails if "data files present" in l)
    assert "bash" not in out and "make " not in out, "the kit's fixes need neither bash nor make"
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


def test_kit_docs_hold_the_glossary_cheat_sheet_organiser_page_and_data_model():
    """The offline pages for the kit: the glossary, the cheat sheet, the organiser's page and
    every field of every table of the data model."""
    import json

    from parkecon.machinery import kitdocs

    files = kitdocs.docs(ROOT)
    assert files["docs/glossary.md"] == (ROOT / "book/glossary.md").read_text(encoding="utf-8")
    assert "Code of conduct" in files["docs/for-the-organiser.md"]
    assert "pe.facts()" in files["docs/cheat-sheet.md"]
    pkg = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        assert f"## {res['path']}" in files["docs/data-model.md"]
        for f in res["schema"]["fields"]:
            assert f"| `{f['name']}` |" in files["docs/data-model.md"]


# ------------------------------------------------------------------ notebooks that read like the book

MYST_LEFTOVERS = ["{glue", "{numref", "{doc", "{exercise", "{solution", ":label:", "```{"]


def pasted(html: str) -> list[str]:
    """The text of every pasted value on a page (a Chinese value is wrapped in a lang span, a value
    with a derivation in a link to it)."""
    inner = r'(?:[^<]|<span lang="[^"]+">[^<]*</span>)*'
    return [re.sub(r"<[^>]+>", "", v)
            for v in re.findall(rf'<span class="pasted-text">((?:{inner}|<a [^>]*>{inner}</a>)*)</span>', html)]


def without_solutions(html: str) -> str:
    """The page without its solution blocks (sphinx-exercise's <div class="solution ...">, with
    every div nested in it): what the exercise-only notebooks keep."""
    out, pos = [], 0
    for m in re.finditer(r'<div class="solution[ "]', html):
        if m.start() < pos:
            continue
        out.append(html[pos:m.start()])
        depth, end = 0, len(html)
        for tag in re.finditer(r"<div\b|</div>", html[m.start():]):
            depth += 1 if tag.group(0) == "<div" else -1
            if depth == 0:
                end = m.start() + tag.end()
                break
        pos = end
    return "".join(out) + html[pos:]


@pytest.mark.parametrize("folder", ["notebooks", "full"])
def test_kit_markdown_is_plain_and_numbers_match_the_page(kit, built_book, folder):
    """Every glued number of a chapter page appears in the kit's notebook, formatted alike; no MyST is left."""
    from collections import Counter
    import html as htmllib

    for md in learner.chapters(ROOT):
        nb = nbformat.read(kit / folder / (md.stem + ".ipynb"), as_version=4)
        assert nb.metadata["language_info"]["name"] == "python"
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        left = [m for m in MYST_LEFTOVERS if m in text]
        assert left == [], f"{folder}/{md.stem}: {left}"
        shown = Counter(htmllib.unescape(v) for v in re.findall(r"<strong>([^<]*)</strong>", text))
        html = (built_book / "notebooks" / (md.stem + ".html")).read_text(encoding="utf-8")
        page = Counter(htmllib.unescape(v) for v in pasted(html))
        assert len(page) >= 5, f"{md.stem}: too few pasted numbers found on the page"  # the data episode pastes few
        if folder == "full":
            assert shown == page, f"{md.stem}: only on the page {page - shown}, only in the notebook {shown - page}"
        else:  # solutions are gone, everything else is there
            kept = Counter(htmllib.unescape(v) for v in pasted(without_solutions(html)))
            assert shown == kept, f"{md.stem}: only on the page {kept - shown}, only in the notebook {shown - kept}"
        assert "do **not** change when you edit the data" in text


def test_without_solutions_removes_exactly_the_solution_blocks(built_book):
    html = (built_book / "notebooks" / "data-with-pandas.html").read_text(encoding="utf-8")
    cut = without_solutions(html)
    assert html.count('<div class="solution') >= 4 and cut.count('<div class="solution') == 0
    assert cut.count("<div") == cut.count("</div>") and html.count("<div") - cut.count("<div") > 4
    assert len(pasted(cut)) < len(pasted(html))  # the caption of a solution's figure pastes numbers
    assert cut.count('<div class="exercise') == html.count('<div class="exercise')


def test_references_read_as_on_the_page(kit, built_book):
    """Figure and exercise numbers in the kit are those the book prints, and link to the published page."""
    labels = learner.label_index(ROOT)
    base = learner.site_url(ROOT)
    assert base == "https://parkecon.github.io/northern-guangdong-parks/"
    seen = 0
    for label, (shown, doc) in labels.items():
        html = (built_book / (doc + ".html")).read_text(encoding="utf-8")
        m = re.search(rf'id="{re.escape(label)}"', html)
        assert m, f"{label} not on {doc}"
        nxt = re.search(r'<span class="caption-number">([^<]+?)\s*</span>', html[m.start():])
        assert nxt and nxt.group(1).strip() == shown, f"{label}: book shows {nxt and nxt.group(1)}, kit {shown}"
        seen += 1
    assert seen >= 20
    nb = nbformat.read(kit / "notebooks" / "park-economy.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert f"[Fig. 2.1]({base}notebooks/park-economy.html#fig-park-headline)" in text  # chapter 2: the data episode is chapter 1
    assert f"[Sources]({base}book/sources.html)" in text


def test_each_exercise_has_minutes_and_a_cell_to_work_in(kit):
    for md in learner.chapters(ROOT):
        nb = nbformat.read(kit / "notebooks" / (md.stem + ".ipynb"), as_version=4)
        heads = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "### Exercise" in c.source]
        assert len(heads) == len(learner.exercises(md.read_text(encoding="utf-8")))
        for i in heads:
            assert re.search(r"### Exercise \d+\.\d+: .*\(\d+ min", nb.cells[i].source)
            assert nb.cells[i + 1].cell_type == "code", f"{md.stem}: no code cell after {nb.cells[i].source[:60]}"


def test_chapter_pages_offer_the_full_notebook(built_book, kit):
    for md in learner.chapters(ROOT):
        html = (built_book / "notebooks" / (md.stem + ".html")).read_text(encoding="utf-8")
        href = re.search(r'href="([^"]*_sources/notebooks/' + re.escape(md.stem) + r'\.ipynb)"', html)
        assert href, f"{md.stem}: no .ipynb in the download menu"
        target = (built_book / "notebooks" / href.group(1)).resolve()
        assert target.read_bytes() == (kit / "full" / (md.stem + ".ipynb")).read_bytes()
        nb = nbformat.read(target, as_version=4)
        assert any("#### Solution to Exercise" in c.source for c in nb.cells)


def test_kit_pins_are_a_light_subset_of_the_book_pins():
    def pins(name):
        return {m.group(1).lower().replace("_", "-"): m.group(2) for m in
                re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", (ROOT / name).read_text(encoding="utf-8"), re.M)}
    book, kit_ = pins("requirements.txt"), pins("requirements-kit.txt")
    assert {"jupyterlab", "pandas", "matplotlib", "seaborn", "ipykernel"} <= set(kit_)
    assert not {"sphinx", "jupyter-book", "playwright", "jupytext", "myst-nb"} & set(kit_)
    assert {k: v for k, v in kit_.items() if book.get(k) != v} == {}


def test_pip_check_passes_in_the_book_environment():
    proc = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
