"""An incremental build shows what a clean build of the same state shows.

Each test works on its own copy of a built book (the copy is a moved checkout: its
execution cache and Sphinx environment were made at another path). The copy carries its
own helper package, found first through PYTHONPATH, so edits to `parkecon/` in a copy are
what its kernels run.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BIN, ROOT, STRICT, copy_book

pytestmark = pytest.mark.build


def _env(root: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(root)}


def build(root: Path) -> str:
    proc = subprocess.run([str(BIN / "jupyter-book"), "build", str(root), *STRICT], cwd=root, env=_env(root),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"build of {root.name} failed:\n{proc.stdout[-5000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def interrupted_build(root: Path, after: str, sig: int) -> None:
    """Start a build, send `sig` as soon as a line of its output contains `after`, wait for it to end."""
    proc = subprocess.Popen([str(BIN / "jupyter-book"), "build", str(root), *STRICT], cwd=root, env=_env(root),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if after in line:
            os.killpg(proc.pid, sig)
            break
    proc.stdout.close()
    proc.wait(timeout=120)
    assert any(after in s for s in seen), f"the build never printed {after!r}:\n{''.join(seen[-40:])}"
    assert proc.returncode != 0, "the interrupted build reported success"


def copy_sources(dst: Path) -> Path:
    dst.mkdir(parents=True)
    copy_book(dst)
    shutil.copytree(ROOT / "parkecon", dst / "parkecon", ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def main_texts(html: Path) -> dict[str, str]:
    """Every page's main text, whitespace-normalised; the execution table (times, dates) left out."""
    out = {}
    for page in sorted(html.rglob("*.html")):
        rel = page.relative_to(html).as_posix()
        if rel.startswith(("_", "genindex", "search")):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup.body
        if main is None:  # the index.html redirect
            continue
        for table in main.find_all("table"):
            if "Run Time" in table.get_text():
                table.decompose()
        out[rel] = re.sub(r"\s+", " ", main.get_text(" ")).strip()
    return out


def first_difference(a: str, b: str, context: int = 8) -> str:
    import difflib

    wa, wb = a.split(" "), b.split(" ")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op != "equal":
            return " ".join(wa[max(0, i1 - context):i2 + 2]) + " || " + " ".join(wb[max(0, j1 - context):j2 + 2])
    return ""


def page_text(root: Path, page: str) -> str:
    return main_texts(root / "_build" / "html")[page]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A copy of the book built once. It starts from the repository's execution cache when
    there is one (as a checkout moved with its _build would): its records are checked like any
    others, so what changed since executes again and nothing stale is used."""
    root = copy_sources(tmp_path_factory.mktemp("incremental") / "base")
    cache = ROOT / "_build" / ".jupyter_cache"
    if cache.is_dir():
        shutil.copytree(cache, root / "_build" / ".jupyter_cache")
    build(root)
    return root


def moved(base: Path, dst: Path) -> Path:
    shutil.copytree(base, dst, symlinks=True)
    return dst


def _dated_events(root: Path) -> int:
    import csv

    with open(root / "data" / "events.csv", encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def _drop_last_event(root: Path) -> None:
    path = root / "data" / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def test_a_killed_build_leaves_no_stale_page(base, tmp_path, sig=signal.SIGTERM):
    """The reproduction: SIGTERM right after the notebooks were executed (the sequence test
    below also kills builds with SIGKILL, while executing and while writing, after a data edit
    in a moved checkout). Here one page's code changes, so that one notebook executes."""
    root = moved(base, tmp_path / "killed")
    before = _dated_events(root)
    edit(root / "book" / "timeline.md", 'pe.glue("n_events", len(ev)', 'pe.glue("n_events", len(ev) + 1000')
    interrupted_build(root, "[parkecon] executed", sig)
    build(root)
    text = page_text(root, "book/timeline.html")
    assert f"hold {before + 1000} events" in text, re.search(r"hold \d+ events", text)


def test_a_build_that_warned_is_not_followed_by_a_green_one(base, tmp_path):
    root = moved(base, tmp_path / "warned")
    edit(root / "book" / "glossary.md", "\n# ", "\nA link to {ref}`no-such-label-anywhere`.\n\n# ")
    proc = subprocess.run([str(BIN / "jupyter-book"), "build", str(root), *STRICT], cwd=root, env=_env(root),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0
    proc = subprocess.run([str(BIN / "jupyter-book"), "build", str(root), *STRICT], cwd=root, env=_env(root),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0 and "no-such-label-anywhere" in proc.stdout + proc.stderr


def test_a_changed_stylesheet_alone_reaches_the_site(base, tmp_path):
    """Sphinx copies static files only when it writes a page: a stylesheet edited with no page
    changed must still be in the next site."""
    root = moved(base, tmp_path / "static")
    build(root)  # the moved copy, up to date
    css = root / "book" / "_static" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* stylesheet-edit-marker */\n", encoding="utf-8")
    out = build(root)
    assert "static files changed" in out
    assert "stylesheet-edit-marker" in (root / "_build" / "html" / "_static" / "site.css").read_text(encoding="utf-8")
    out = build(root)  # and then nothing to do again
    assert "static files changed" not in out


def test_inputs_a_page_reads_outside_the_data_re_execute_it(base, tmp_path):
    root = moved(base, tmp_path / "inputs")
    total = int(re.search(r"totals (\d+) minutes", page_text(root, "book/workshop.html")).group(1))
    edit(root / "notebooks" / "park-economy.md", "walk-through (45 min)", "walk-through (60 min)")
    pin = re.search(r"^(pytest==)(\S+)$", (root / "requirements.txt").read_text(encoding="utf-8"), re.M)
    edit(root / "requirements.txt", pin.group(0), pin.group(1) + "99.0.0")
    geo = root / "data" / "geo" / "shaoguan_counties.geojson"
    old_fig = {p.name for p in (root / "_build" / "html" / "_images").glob("*.png")}
    geo.write_text(re.sub(r"(\d+\.\d{3})\d", r"\g<1>9", geo.read_text(encoding="utf-8"), count=200), encoding="utf-8")
    out = build(root)
    assert "pytest 99.0.0" in page_text(root, "book/reproducibility.html")
    assert "walk-through (60 min)" in page_text(root, "notebooks/park-economy.html")
    new_fig = {p.name for p in (root / "_build" / "html" / "_images").glob("*.png")}
    assert new_fig - old_fig, "the map was not redrawn from the changed boundaries"
    assert f"totals {total + 15} minutes" in page_text(root, "book/workshop.html")
    for page in ("book/workshop", "book/reproducibility", "notebooks/park-economy"):
        assert f"executing {page}" in out


SEQUENCE_EDITS = [
    # 1. a data value and a data row
    [("data/facts.csv", "217.89,217.89,亿元,100000000,21789000000", "227.89,227.89,亿元,100000000,22789000000"),
     ("data/facts.csv", "规上工业增加值217.89亿元", "规上工业增加值227.89亿元"),
     ("data/events.csv", None, None)],
    # 2. stated minutes, requirements, helper code
    [("notebooks/green.md", "walk-through (40 min)", "walk-through (55 min)"),
     ("requirements.txt", "\nzipp==", "\n# a comment line\nzipp=="),
     ("parkecon/workshop.py", "START = dt.time(9, 0)", "START = dt.time(8, 30)")],
    # 3. notebook code, then the order of the chapters in the toc (renumbers figures)
    [("book/timeline.md", "pe.setup()", "pe.setup()\nimport parkecon\nparkecon.load('events')")],
    [("_toc.yml", "      - file: notebooks/transfer\n      - file: notebooks/green\n",
      "      - file: notebooks/green\n      # - file: notebooks/old-name\n      - file: notebooks/transfer.md\n")],
]


def apply_edits(root: Path, step: list) -> None:
    for rel, old, new in step:
        if rel == "data/events.csv":
            _drop_last_event(root)
        else:
            edit(root / rel, old, new)


def source_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "_build" not in p.relative_to(root).parts and "__pycache__" not in p.parts}


def test_edits_and_interruptions_end_where_a_clean_build_does(base, tmp_path):
    root = moved(base, tmp_path / "sequence")
    # The clean build of the state the edits end in (the same sources with every edit, no
    # _build) runs beside the incremental sequence; its sources are compared with the
    # sequence's own at the end, so both are builds of one state.
    clean = tmp_path / "clean"
    shutil.copytree(base, clean, ignore=shutil.ignore_patterns("_build"))
    for step in SEQUENCE_EDITS:
        apply_edits(clean, step)
    log = open(tmp_path / "clean-build.log", "w+", encoding="utf-8")
    clean_build = subprocess.Popen([str(BIN / "jupyter-book"), "build", str(clean), *STRICT], cwd=clean,
                                   env=_env(clean), stdout=log, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)
    try:
        apply_edits(root, SEQUENCE_EDITS[0])
        interrupted_build(root, "[parkecon] executing", signal.SIGKILL)
        # killed while pages are written
        apply_edits(root, SEQUENCE_EDITS[1])
        interrupted_build(root, "writing output", signal.SIGTERM)
        apply_edits(root, SEQUENCE_EDITS[2])
        build(root)
        apply_edits(root, SEQUENCE_EDITS[3])
        build(root)
        incremental = main_texts(root / "_build" / "html")
        clean_build.wait(timeout=900)
    finally:
        if clean_build.poll() is None:
            os.killpg(clean_build.pid, signal.SIGKILL)
            clean_build.wait()
        log.seek(0)
        out = log.read()
        log.close()
    assert clean_build.returncode == 0, f"the clean build failed:\n{out[-5000:]}"
    assert source_files(clean) == source_files(root), "the clean copy is not of the state the sequence ends in"
    expected = main_texts(clean / "_build" / "html")
    assert sorted(incremental) == sorted(expected)
    stale = {page: first_difference(incremental[page], expected[page]) for page in expected
             if incremental[page] != expected[page]}
    assert not stale, f"pages that differ from a clean build (incremental || clean): {stale}"
    assert "227.89" in incremental["notebooks/park-economy.html"]
    assert "08:30" in incremental["book/workshop.html"]


def test_two_builds_of_one_folder_cannot_interleave(base, tmp_path):
    fcntl = pytest.importorskip("fcntl", reason="the lock test uses POSIX flock")
    root = moved(base, tmp_path / "locked")
    with open(root / "_build" / ".parkecon" / "build.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        proc = subprocess.run([str(BIN / "jupyter-book"), "build", str(root), *STRICT], cwd=root, env=_env(root),
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "another build of this book is running" in proc.stdout + proc.stderr
    assert not (root / "_build" / ".parkecon" / "build-in-progress").exists()
