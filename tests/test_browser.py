"""The built site as a reader sees it, in headless Chromium (Debian's, driven by Playwright)."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "_build" / "screenshots"


def analysis_pages() -> list[str]:
    from parkecon.machinery.toc import docnames

    return [d for d in docnames(ROOT) if d.startswith("notebooks/")]


def visit(browser, url: str, shot: str):
    """Load a page; return (page, requests made, JavaScript errors)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=False)
    return ctx, page, requests, errors


def only_local(requests: list[str], base: str) -> list[str]:
    host = urlparse(base).netloc
    return [u for u in requests if not u.startswith("data:") and urlparse(u).netloc != host]


def test_index_renders_locally(browser, site_url):
    ctx, page, requests, errors = visit(browser, site_url + "/index.html", "index")
    assert "northern Guangdong" in page.title()
    body = page.inner_text("main")
    assert "How the book is built" in body and "Shaoguan" in body
    assert errors == [], f"JavaScript errors: {errors}"
    assert only_local(requests, site_url) == [], f"requests to other hosts: {only_local(requests, site_url)}"
    ctx.close()


def test_chinese_index_renders_locally(browser, site_url):
    ctx, page, requests, errors = visit(browser, site_url + "/zh/index.html", "zh_index")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert re.search(r"[\u4e00-\u9fff]", page.title()), f"title not in Chinese: {page.title()}"
    assert len(re.findall(r"[\u4e00-\u9fff]", page.inner_text("main"))) > 200
    assert errors == [], f"JavaScript errors: {errors}"
    assert only_local(requests, site_url) == [], f"requests to other hosts: {only_local(requests, site_url)}"
    ctx.close()


@pytest.mark.parametrize("page_path", (analysis_pages() or ["book/sources"])
                         + ["zh/" + p for p in (analysis_pages() or ["book/sources"])])
def test_notebook_page_renders_locally(browser, site_url, page_path):
    ctx, page, requests, errors = visit(browser, f"{site_url}/{page_path}.html", page_path.replace("/", "_"))
    assert page.locator("article h1").first.inner_text().strip()
    assert len(page.inner_text("main")) > 1500
    if page_path.startswith("notebooks/"):
        imgs = page.locator("main img")
        assert imgs.count() >= 1, "a chapter without figures"
        for i in range(imgs.count()):
            img = imgs.nth(i)
            assert img.evaluate("e => e.complete && e.naturalWidth > 0"), f"image {i} did not load"
            assert img.get_attribute("alt"), f"image {i} has no alt text"
    assert errors == [], f"JavaScript errors: {errors}"
    assert only_local(requests, site_url) == [], f"requests to other hosts: {only_local(requests, site_url)}"
    ctx.close()
