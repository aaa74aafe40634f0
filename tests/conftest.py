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
                   "browser": "browser"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by mark
def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, mark in MARK_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))
