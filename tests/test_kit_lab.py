"""The workshop kit in a real JupyterLab: installed from its own pins, each notebook run through the interface.

Starts JupyterLab from the kit's environment on localhost (its own token, settings and
runtime folders), opens every kit notebook in headless Chromium, runs all cells with the
Run menu, and reads the rendered page as an attendee sees it. Screenshots go to
_build/screenshots/kit-*.png. The kit's environment is created once per version of
requirements-kit.txt in _build/kit-env (a fresh install takes a minute or two).
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from parkecon.machinery import learner

pytestmark = [pytest.mark.browser, pytest.mark.build]

SHOTS = ROOT / "_build" / "screenshots"
LEFTOVERS = ["{glue", "{numref", "{doc", "{exercise", "{solution", ":label:"]


def venv_bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def kit_environment(pins: Path) -> Path:
    """A virtual environment with exactly the kit's pins (cached by their digest), helper package excepted."""
    digest = hashlib.sha256(pins.read_bytes()).hexdigest()[:16]
    env = ROOT / "_build" / "kit-env" / digest
    if (env / ".installed").is_file():
        return env
    shutil.rmtree(env, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    reqs = env / "requirements-no-package.txt"
    reqs.write_text("".join(l + "\n" for l in pins.read_text(encoding="utf-8").splitlines() if not l.startswith("-e")),
                    encoding="utf-8")
    subprocess.run([str(venv_bin(env, "python")), "-m", "pip", "install", "--quiet", "--no-deps", "-r", str(reqs)], check=True)
    (env / ".installed").write_text(digest)
    return env


@pytest.fixture(scope="module")
def lab(kit_zip, tmp_path_factory):
    """(base URL, token, unzipped kit folder) of a JupyterLab running from the kit's environment,
    on the kit the build wrote."""
    folder = tmp_path_factory.mktemp("attendee")
    with zipfile.ZipFile(kit_zip) as z:
        z.extractall(folder)
    kit = folder / "parkecon-workshop"
    env = kit_environment(kit / "requirements.txt")
    py = venv_bin(env, "python")
    # the helper package from this kit, as README.txt's `-e .` line installs it
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(kit)], check=True)
    check = subprocess.run([str(py), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, "pip check in the kit's environment: " + check.stdout
    setup = subprocess.run([str(py), "check_setup.py"], cwd=kit, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stdout
    home = tmp_path_factory.mktemp("lab-home")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # render every cell (no windowing), so that the whole notebook can be read from the page
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = home / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env_vars = {k: v for k, v in os.environ.items() if not k.startswith(("PARKECON_", "JUPYTER"))}
    env_vars.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                    JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
                    JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen([str(venv_bin(env, "jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={kit}",
                             "--ServerApp.open_browser=False"]
                            + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []), cwd=kit, env=env_vars, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, (home / "lab.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start: " + (home / "lab.log").read_text()[-2000:])
        yield base, token, kit
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert proc.poll() is not None, "the JupyterLab server is still running"


@pytest.mark.parametrize("stem", [p.stem for p in learner.chapters(ROOT)])
def test_kit_notebook_runs_and_reads_like_the_book_in_jupyterlab(browser, lab, stem):
    base, token, kit = lab
    nb = nbformat.read(kit / "notebooks" / (stem + ".ipynb"), as_version=4)
    figures = sum(1 for c in nb.cells if c.cell_type == "markdown" and re.match(r"\*\*Fig\. \d+\.\d+\.\*\*", c.source))
    numbers = [html.unescape(n) for n in
               re.findall(r"<strong>([^<]*)</strong>", "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))]
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # `reset`: a fresh workspace, this notebook alone, as an attendee opening it from the file browser
        page.goto(f"{base}/lab/tree/notebooks/{stem}.ipynb?reset&token={token}", wait_until="domcontentloaded")
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        panel.locator(".jp-MarkdownCell").first.wait_for(timeout=60_000)
        panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        notebook = panel.locator(".jp-Notebook")
        prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt, .jp-CodeCell .jp-OutputPrompt")
        for _ in range(3):  # a click while the kernel is still connecting can be lost: try again
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
            started = time.time()
            while time.time() - started < 20 and not re.search(r"\[(\*|\d+)\]", " ".join(prompts.all_text_contents())):
                time.sleep(0.5)
            if re.search(r"\[(\*|\d+)\]", " ".join(prompts.all_text_contents())):
                break
        deadline, quiet, numbers_seen = time.time() + 180, 0, []
        while time.time() < deadline:  # until the kernel is idle and no cell waits, three polls in a row
            time.sleep(1)
            text = " ".join(prompts.all_text_contents())
            numbers_seen = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
            idle = panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count() > 0
            quiet = quiet + 1 if idle and "*" not in text and numbers_seen else 0
            if quiet >= 3:
                break
        # source-hidden cells show no input prompt, but execution counts run 1..n on a fresh kernel
        if max(numbers_seen, default=0) != code_cells:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"kit-{stem}-stuck.png"))
            stderr = notebook.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            pytest.fail(f"{stem}: {max(numbers_seen, default=0)} of {code_cells} cells ran; "
                        + (stderr.first.inner_text()[:800] if stderr.count() else "no error output"))
        page.wait_for_timeout(1000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        notebook.locator(".jp-MarkdownCell").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"kit-{stem}-top.png"))
        text = notebook.evaluate("e => e.innerText")
        left = [m for m in LEFTOVERS if m in text]
        assert left == [], f"{stem}: raw MyST on the page: {left}"
        assert "```" not in text
        rendered = notebook.locator(".jp-MarkdownCell .jp-RenderedMarkdown strong").all_text_contents()
        missing = [n for n in numbers if n not in rendered]
        assert len(numbers) >= 5 and missing == [], f"{stem}: glued numbers not rendered: {missing[:5]}"  # the data episode pastes few
        imgs = notebook.locator(".jp-OutputArea-output img")
        assert imgs.count() >= figures >= 1, f"{stem}: {imgs.count()} images for {figures} figures"
        for i in range(imgs.count()):
            assert imgs.nth(i).evaluate("e => e.complete && e.naturalWidth > 0"), f"{stem}: image {i} did not load"
        errs = notebook.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errs.count() == 0, f"{stem}: error output: {errs.first.inner_text()[:500]}"
        assert "Traceback" not in text
        first_fig = imgs.first
        first_fig.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"kit-{stem}-figure.png"))
        ex = notebook.locator(".jp-MarkdownCell h3", has_text="Exercise").first
        ex.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"kit-{stem}-exercise.png"))
        assert errors == [], f"JavaScript errors: {errors}"
    finally:
        ctx.close()
        shut_down_kernels(base, token)


def shut_down_kernels(base: str, token: str) -> None:
    """Stop the kernels the test started (the server itself is stopped by the fixture)."""
    req = urllib.request.Request(f"{base}/api/kernels?token={token}")
    for k in json.loads(urllib.request.urlopen(req, timeout=10).read()):
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels/{k['id']}?token={token}", method="DELETE"), timeout=20)
