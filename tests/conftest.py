"""Shared fixtures: the repository, the built book, a local web server."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STRICT = ["-W", "-n", "--keep-going"]


def jb_build(book: Path, extra_env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Build a book folder the way `make book` does; return the finished process."""
    env = {**os.environ, **(extra_env or {})}
    return subprocess.run([str(BIN / "jupyter-book"), "build", str(book), *STRICT],
                          cwd=book, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The real book, both editions built strictly as `make book` builds them (reusing the
    execution caches); returns _build/html (the Chinese edition is _build/html/zh).

    PARKECON_LOCALE, if set, names another folder of catalogues (editions.py)."""
    proc = subprocess.run([sys.executable, "-m", "parkecon", "build"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800, env={**os.environ, "PARKECON_ROOT": str(ROOT)})
    if proc.returncode != 0:
        pytest.fail("strict build of the book (both editions) failed:\n" + proc.stdout[-6000:] + proc.stderr[-4000:])
    return ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def kit_zip(built_book) -> Path:
    """The English workshop kit's zip as the build wrote it from its executed chapters
    (_build/learner/, the file the workshop page links)."""
    from parkecon.machinery import learner

    zpath = ROOT / "_build" / "learner" / learner.ZIP_NAME
    assert zpath.is_file(), "the build wrote no workshop kit"
    return zpath


def copy_book(dst: Path, with_data: bool = True) -> Path:
    """A copy of the repository's book sources (no _build, no .venv) in dst."""
    ignore = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache", "learner", "staging")
    for name in ["_config.yml", "_toc.yml", "references.bib", "requirements.txt", "requirements-kit.txt",
                 "pyproject.toml", "check_setup.py", "CITATION.cff"]:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dst / name)
    for folder in ["book", "notebooks"] + (["data"] if with_data else []):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, dst / folder, ignore=ignore)
    return dst


@pytest.fixture(scope="session")
def second_build(tmp_path_factory, built_book) -> Path:
    """A clean build of a copy of the book (no _build, no cache)."""
    book = copy_book(tmp_path_factory.mktemp("clean"))
    proc = jb_build(book, {"PARKECON_ROOT": str(book)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return book


def _drop_last_row(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


@pytest.fixture(scope="session")
def data_edited_build(second_build, tmp_path_factory) -> dict:
    """The clean build's copy (moved, with its _build and execution cache) after two data edits,
    built again: the last row of events.csv removed (the sources page counts the events) and one
    actual s004 fact that no page names made an estimate (the audit figure's alt text counts
    them). One rebuild serves the tests of both: {"book", "proc", "events_before", "fact_id"}."""
    import csv

    book = tmp_path_factory.mktemp("data-edited") / "book"
    shutil.copytree(second_build, book, symlinks=True)
    events = book / "data" / "events.csv"
    n_events = len(events.read_text(encoding="utf-8").splitlines()) - 1
    _drop_last_row(events)
    used = "".join(p.read_text(encoding="utf-8") for p in list((ROOT / "notebooks").glob("*.md"))
                   + list((ROOT / "parkecon").glob("*.py")) + list((ROOT / "book").glob("*.md")))
    path = book / "data" / "facts.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    victim = next(r for r in rows if r["source_id"] == "s004" and r["status"] == "actual" and r["fact_id"] not in used)
    victim["status"] = "estimate"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    proc = jb_build(book, {"PARKECON_ROOT": str(book)})
    return {"book": book, "proc": proc, "events_before": n_events, "fact_id": victim["fact_id"]}


# Debian's Chromium by default; PARKECON_CHROMIUM names another Chromium-based browser
# (the GitHub workflow points it at the runner's preinstalled Chrome).
CHROMIUM = os.environ.get("PARKECON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (no downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no browser at {CHROMIUM}: install Debian's chromium (.ci/run does) or set PARKECON_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def site_url(built_book):
    handler = functools.partial(_Quiet, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# Fixtures that build the book or drive a browser mark every test that uses them, so that
# `pytest -m "not build and not browser"` (make test-fast) selects exactly the quick tests.
MARK_BY_FIXTURE = {"built_book": "build", "site_url": "build", "second_build": "build", "kit_zip": "build",
                   "data_edited_build": "build",
                   "browser": "browser"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by mark
def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, mark in MARK_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))
