"""The published site: internal links and images resolve, search works, every request is local,
figures are reproducible, and a changed data file re-executes the notebooks that read it."""
from __future__ import annotations

import csv
import hashlib
import shutil
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from test_browser import only_local, visit


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "img", "link", "script"):
                self.refs.append((tag, a[key]))


def test_no_broken_internal_link_or_missing_image(built_book):
    pages = [p for p in built_book.rglob("*.html") if "_static" not in p.parts]
    parsed = {}
    for p in pages:
        h = Links()
        h.feed(p.read_text(encoding="utf-8"))
        parsed[p.resolve()] = h
    broken = []
    for page, h in parsed.items():
        for tag, ref in h.refs:
            u = urlparse(ref)
            if u.scheme in ("http", "https", "mailto", "data", "javascript") or ref.startswith("#") and not ref[1:]:
                continue
            target = (page.parent / unquote(u.path)).resolve() if u.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(built_book.resolve())}: {tag} {ref}")
            elif u.fragment and target.suffix == ".html" and target in parsed and u.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(built_book.resolve())}: anchor {ref}")
    assert broken == [], "\n".join(broken[:30])


def test_no_third_party_urls_in_assets(built_book):
    """Scripts, styles and images are served by the book itself (the canonical link and the
    links to the other edition, which name published addresses from html.baseurl, load nothing)."""
    offenders = []
    for p in built_book.rglob("*.html"):
        text = re.sub(r'<link rel="(?:canonical|alternate)"[^>]*>', "", p.read_text(encoding="utf-8"))
        for tag, ref in re.findall(r'<(script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', text):
            offenders.append(f"{p.name}: {ref}")
    assert offenders == []


def test_every_page_requests_only_local_assets(browser, site_url, built_book):
    pages = sorted(str(p.relative_to(built_book)) for p in built_book.rglob("*.html")
                   if "_static" not in p.parts and p.name not in ("genindex.html",))
    assert len(pages) >= 8
    for path in pages:
        ctx, page, requests, errors = visit(browser, f"{site_url}/{path}", "all_" + path.replace("/", "_").removesuffix(".html"))
        assert only_local(requests, site_url) == [], f"{path} requested {only_local(requests, site_url)}"
        assert errors == [], f"{path}: JavaScript errors {errors}"
        ctx.close()


def test_search_finds_a_term(browser, site_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"{site_url}/search.html?q=Qingcheng", wait_until="networkidle")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hits = page.locator("#search-results ul.search li")
    assert hits.count() >= 2
    assert "Qingcheng" in page.inner_text("#search-results")
    page.screenshot(path=str(ROOT / "_build" / "screenshots" / "search.png"))
    # typing into the search box of a page leads to the same results page
    page.goto(f"{site_url}/book/intro.html", wait_until="networkidle")
    page.keyboard.press("Control+k")
    box = page.locator("input[name='q']:visible").first
    box.fill("Dongguan")
    box.press("Enter")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    assert "Dongguan" in page.inner_text("#search-results")
    ctx.close()


# ------------------------------------------------------------------ reproducibility and data-following cache

def image_digests(html_dir: Path) -> dict[str, str]:
    """Digests of the figures the pages show (Sphinx leaves stale files in _images on rebuilds)."""
    shown = {Path(unquote(src)).name for page in html_dir.rglob("*.html")
             for src in re.findall(r'<img[^>]+src="([^"]*_images/[^"]+\.png)"', page.read_text(encoding="utf-8"))}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (html_dir / "_images").glob("*.png")
            if p.name in shown}


def test_two_clean_builds_make_identical_figures(second_build, built_book):
    a = image_digests(built_book)
    b = image_digests(second_build / "_build" / "html")
    assert len(a) >= 10, "expected the chapters' figures"
    assert a == b


def test_changed_csv_reexecutes_the_notebook_that_reads_it(second_build, data_edited_build):
    """The copy of the clean build, its events.csv one row shorter (and one fact of facts.csv
    changed, for test_figures.py), built again."""
    before = (second_build / "_build" / "html" / "book" / "sources.html").read_text(encoding="utf-8")
    assert "dated events" in before
    # the last event row was removed from the copy's events.csv: sources.md reads events and glues the count
    n_before = data_edited_build["events_before"]
    assert re.search(rf">{n_before}<.*?dated events", before, re.S)
    proc = data_edited_build["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:]
    after = (data_edited_build["book"] / "_build" / "html" / "book" / "sources.html").read_text(encoding="utf-8")
    assert re.search(rf">{n_before - 1}<.*?dated events", after, re.S), "the sources page still shows the old count"
    assert not re.search(rf">{n_before}<[^<]*(</span>)?</strong> dated events", after)
    # the page was executed again, naming why (loading any table validates, so reads, every
    # table; of the two changed files the record names the first it read, in path order)
    assert "executing book/sources: data/events.csv changed" in proc.stdout


@pytest.mark.parametrize("page", ["book/sources.html", "book/data-dictionary.html"])
def test_data_pages_link_every_table_for_download(built_book, page):
    import json

    html = (built_book / page).read_text(encoding="utf-8")
    pkg = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        href = re.search(rf'href="([^"]*_downloads/[^"]*/{re.escape(res["path"])})"', html)
        assert href, f"{page} has no download link for {res['path']}"
        assert (built_book / Path(page).parent / href.group(1)).resolve().is_file()
