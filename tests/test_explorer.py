"""The facts explorer (book/facts.md): an anchor for every fact, filters that work in a browser,
a phone layout without sideways scrolling, and provenance links that land on their fact."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from parkecon import explorer

ROOT = Path(__file__).resolve().parent.parent
PAGE = "book/facts.html"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
LAPTOP = {"viewport": {"width": 1280, "height": 900}}


def facts_rows() -> list[dict]:
    with (ROOT / "data" / "facts.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row_texts(html: str) -> dict[str, str]:
    """{fact id: the row's visible text} of the explorer's table, read with BeautifulSoup."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select("table.facts-explorer tbody tr")
    return {r["id"]: r.get_text(" ", strip=True) for r in rows}


# ------------------------------------------------------------------ the table (no build)

def test_table_has_one_anchored_row_per_fact_with_its_fields():
    import parkecon as pe

    html = explorer.table_html(pe.facts(), pe.load("sources"))
    rows = facts_rows()
    ids = re.findall(r'<tr id="([^"]+)"', html)
    assert ids == [r["fact_id"] for r in rows]
    for r in rows[:40]:
        row = re.search(rf'<tr id="{r["fact_id"]}".*?</tr>', html).group(0)
        assert f'<span class="fact-uses" data-fact="{r["fact_id"]}"></span>' in row
        assert f'<span class="fx-quote" lang="zh-Hans">{r["quote"].replace(chr(34), "&quot;")}</span>' in row
        assert r["value_text"] in row and r["unit_reported"] in row and r["locator"] in row
        assert f'data-source="{r["source_id"]}"' in row and f'data-status="{r["status"]}"' in row
        if r["quote_en"]:
            assert "fx-gloss" in row


def test_explorer_link_is_relative_to_the_page_that_shows_it(tmp_path, monkeypatch):
    monkeypatch.delenv("PARKECON_ROOT", raising=False)
    assert explorer.explorer_href("f000-030", start=ROOT / "notebooks") == "../book/facts.html#f000-030"
    assert explorer.explorer_href("f000-030", start=ROOT / "book") == "facts.html#f000-030"
    # the workshop kit has no book/ folder: the link goes to the published page
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("PARKECON_ROOT", str(tmp_path))
    assert explorer.explorer_href("f000-030").startswith("https://") and explorer.explorer_href("f000-030").endswith(
        "/book/facts.html#f000-030")


def test_period_labels_say_what_the_data_know():
    import pandas as pd

    base = {"period_basis": "given", "base_period": pd.NA}
    year = {**base, "period_start": pd.Timestamp("2021-01-01"), "period_end": pd.Timestamp("2021-12-31")}
    assert explorer.period_label(year) == "2021"
    assert explorer.period_label({**year, "period_end": pd.Timestamp("2025-12-31")}) == "2021–2025"
    assert explorer.period_label({**year, "base_period": 2020}) == "2021, compared with 2020"
    assert explorer.period_label({**year, "period_basis": "unknown"}) == "no date given (document of 2021)"
    day = {**base, "period_start": pd.Timestamp("2022-07-21"), "period_end": pd.Timestamp("2022-07-21")}
    assert explorer.period_label(day) == "at 2022-07-21"


def latin(text: str) -> list[str]:
    """The Latin words of a text, ids, codes and the {placeholders} of the script's texts aside."""
    text = re.sub(r"\{\w+\}|[A-Za-z0-9_-]+\.csv|\b[sxf]\d{3}(-\d{3})?\b", " ", text)
    return re.findall(r"[A-Za-z]+", text)


def test_the_chinese_explorer_writes_chinese_and_the_english_one_is_unchanged(monkeypatch):
    import json

    import parkecon as pe
    from bs4 import BeautifulSoup

    facts, sources = pe.facts(), pe.load("sources")
    codes = list(dict.fromkeys(facts["status"]))

    monkeypatch.setenv("PARKECON_LANG", "en")
    en = BeautifulSoup(explorer.table_html(facts, sources), "html.parser")
    monkeypatch.setenv("PARKECON_LANG", "zh")
    zh_html = explorer.table_html(facts, sources)
    zh = BeautifulSoup(zh_html, "html.parser")

    heads = [th.get_text() for th in zh.select("thead th")]
    assert len(heads) == 7 and all(h and not latin(h) for h in heads), heads
    caption = zh.caption.get_text()
    assert caption == f"facts.csv中的{len(facts)}条数据"
    texts = json.loads(zh.select_one(".fx-explorer")["data-texts"])
    assert set(texts["statuses"]) == set(codes)  # the values of the filter stay the data's codes
    words = [v for k, v in texts.items() if k != "statuses"] + list(texts["statuses"].values())
    assert len(words) == 11 + len(codes) and all(w and not latin(w) for w in words), words
    assert "{n}" in texts["countAll"] and {"{n}", "{shown}"} <= set(re.findall(r"\{\w+\}", texts["countSome"]))
    labels = json.loads(zh.select_one(".fx-explorer")["data-sources"])
    assert labels and all(not latin(v.split("：", 1)[1]) for v in labels.values()), labels
    periods = {explorer.period_label(r) for _, r in facts.iterrows()}
    assert all(not latin(p) for p in periods), sorted(p for p in periods if latin(p))
    assert {"2021年", "未注明日期（2021年的文件）", "2021年，与2020年相比", "截至2022年7月21日"} <= periods
    for tr_zh, tr_en in zip(zh.select("tbody tr"), en.select("tbody tr")):
        status, period = tr_zh.select("td")[2].get_text(" ", strip=True).split(" ", 1)
        assert status == explorer.STATUS_ZH[tr_zh["data-status"]] and not latin(period)
        qual = tr_zh.select_one(".fx-qual")
        assert qual is None or not latin(qual.get_text())
        assert "位置：" in tr_zh.select("td")[3].get_text() and "section" not in tr_zh.select("td")[3].get_text()
        # the Chinese names first, then the English; ids and quotes as in the data
        assert tr_zh.select_one(".fx-entity").contents[0]["class"] == ["fx-zh"]
        assert tr_zh.select_one(".fx-quote").get_text() == tr_en.select_one(".fx-quote").get_text()
        assert tr_zh.select_one(".fx-key").get_text() == tr_en.select_one(".fx-key").get_text()

    # English: what the page wrote before the Chinese edition, for a sample of rows
    rows = {r["fact_id"]: r for r in facts_rows()}
    short = dict(zip(sources["source_id"], sources["short_en"]))
    assert [th.get_text() for th in en.select("thead th")] == [
        "Fact", "What (entity, indicator)", "As printed", "Status and period", "Source", "Quote", "Used on"]
    assert en.caption.decode_contents() == f"The {len(facts)} facts of <code>facts.csv</code>"
    for tr_en in en.select("tbody tr")[::25]:
        r = rows[tr_en["id"]]
        cells = tr_en.select("td")
        assert cells[0].select_one(".fx-entity").contents[0]["class"] == ["fx-en"]
        assert cells[2].get_text(" ", strip=True).startswith(r["status"] + " ")
        assert cells[3].get_text() == f"{r['source_id']} {short[r['source_id']]}, section {r['locator']}"
        if r["note"]:
            assert tr_en.select_one(".fx-note").get_text() == f"Note: {r['note']}"
    assert json.loads(en.select_one(".fx-explorer")["data-texts"]) == {
        "filter": "Filter the facts", "search": "Search", "placeholder": "English or Chinese words, or an id",
        "source": "Source", "status": "Status", "allSources": "All sources", "allStatuses": "All statuses",
        "showAll": "Show all", "none": "No fact matches. Try fewer words or choose all sources and statuses.",
        "countAll": "Showing all {n} facts.", "countSome": "Showing {shown} of {n} facts.",
        "statuses": {c: c for c in codes}}


def test_the_script_takes_every_text_it_shows_from_the_page():
    import parkecon as pe

    script = (ROOT / "book" / "_static" / "facts-explorer.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    strings = re.findall(r'"([^"\\]*)"', code)  # the script's string literals
    texts = explorer.interface_texts(["actual"])
    for key, text in texts.items():
        if key != "statuses":
            assert not [s for s in strings if text.split(" {")[0] in s], f"{text!r} is written in the script"
            assert f"t.{key}" in code, f"the script does not use the page's text {key!r}"
    assert "t.statuses" in code
    assert not [s for s in strings if re.search(r"[A-Z][a-z]+ [a-z]+", s)], strings


# ------------------------------------------------------------------ the built page

@pytest.mark.build
def test_page_has_an_anchor_for_every_fact_and_stays_light(built_book):
    html = (built_book / PAGE).read_text(encoding="utf-8")
    texts = row_texts(html)
    assert list(texts) == [r["fact_id"] for r in facts_rows()]
    assert html.count('class="fact-uses"') == len(texts)
    # the page and what it loads of its own (the explorer's script and styles) under the budget
    assets = re.findall(r'(?:src|href)="(\.\./_static/facts-explorer\.(?:js|css))', html)
    assert len(set(assets)) == 2, assets
    weight = len(html.encode()) + sum((built_book / "book" / a).stat().st_size for a in set(assets))
    assert weight < 1.5 * 2**20, f"{weight} bytes"
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert toc.index("book/sources") < toc.index("book/facts") < toc.index("book/data-dictionary")


@pytest.mark.build
def test_provenance_links_land_on_their_fact(built_book):
    """Every fact id in a "Sources of this figure" table links to its entry in the explorer."""
    anchors = set(row_texts((built_book / PAGE).read_text(encoding="utf-8")))
    n_links, pages = 0, set()
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="provenance-table">.*?</table>', html, re.S):
            for href, fid in re.findall(r'<a class="fact-link" href="([^"]+)"[^>]*><code>([^<]+)</code></a>', table):
                target, _, fragment = href.partition("#")
                # each edition links to its own explorer (the Chinese pages to zh/book/facts.html)
                explorer = built_book / ("zh" if page.relative_to(built_book).parts[0] == "zh" else "") / PAGE
                assert (page.parent / target).resolve() == explorer.resolve(), f"{page.name}: {href}"
                assert fragment == fid and fid in anchors, f"{page.name}: {href}"
                n_links += 1
                pages.add(page.relative_to(built_book).as_posix())
            # no fact id in a provenance table without its link
            assert len(re.findall(r"<td><code>f\d{3}-\d{3}</code></td>", table)) == 0, page.name
    assert n_links > 100 and any(p.startswith("notebooks/") for p in pages), (n_links, sorted(pages))


# ------------------------------------------------------------------ in a browser

def open_explorer(browser, site_url, query: str = "", javascript: bool = True, **context):
    ctx = browser.new_context(java_script_enabled=javascript, **(context or LAPTOP))
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: requests.append(f"error: {e}"))
    page.goto(f"{site_url}/{PAGE}{query}", wait_until="load")
    if javascript:
        page.wait_for_selector("#fx-q", timeout=60_000)
    return ctx, page, requests


def shown_ids(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('table.facts-explorer tbody tr')]"
                         ".filter(r => r.offsetParent !== null).map(r => r.id)")


@pytest.mark.browser
def test_search_and_filters_keep_exactly_the_matching_facts(browser, site_url, built_book):
    texts = row_texts((built_book / PAGE).read_text(encoding="utf-8"))
    rows = {r["fact_id"]: r for r in facts_rows()}
    ctx, page, requests = open_explorer(browser, site_url)
    assert len(shown_ids(page)) == len(rows)
    assert page.locator("#fx-count").inner_text() == f"Showing all {len(rows)} facts."

    page.fill("#fx-q", "韶钢")
    want = [i for i, t in texts.items() if "韶钢" in t]
    assert 0 < len(want) < len(rows) and shown_ids(page) == want
    assert page.locator("#fx-count").inner_text() == f"Showing {len(want)} of {len(rows)} facts."

    page.fill("#fx-q", "plant AREA")  # every word, any case
    want = [i for i, t in texts.items() if "plant" in t.lower() and "area" in t.lower()]
    assert want and shown_ids(page) == want

    page.fill("#fx-q", "")
    page.select_option("#fx-status", "target")
    assert shown_ids(page) == [i for i, r in rows.items() if r["status"] == "target"]
    page.select_option("#fx-source", "s004")
    assert shown_ids(page) == [i for i, r in rows.items() if r["status"] == "target" and r["source_id"] == "s004"]

    page.fill("#fx-q", "no such words anywhere")
    assert shown_ids(page) == [] and page.locator(".fx-none").is_visible()
    page.click("button.fx-clear")
    assert len(shown_ids(page)) == len(rows)
    # nothing was fetched from anywhere but the site itself
    host = urlparse(site_url).netloc
    assert [u for u in requests if u.startswith("error:")] == [], "JavaScript errors on the page"
    assert {urlparse(u).netloc for u in requests if not u.startswith(("data:", "error:"))} == {host}
    ctx.close()


@pytest.mark.browser
def test_filters_work_from_the_keyboard(browser, site_url):
    ctx, page, _ = open_explorer(browser, site_url)
    page.focus("#fx-q")
    page.keyboard.type("f003-")
    assert shown_ids(page) and all(i.startswith("f003-") for i in shown_ids(page))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "fx-source"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "fx-status"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "fx-clear"
    page.keyboard.press("Enter")
    assert len(shown_ids(page)) == len(facts_rows()) and page.input_value("#fx-q") == ""
    # every control has a visible label
    for control in ("fx-q", "fx-source", "fx-status"):
        assert page.locator(f"label[for='{control}']").is_visible()
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("context", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_link_to_a_fact_shows_it_even_when_a_filter_would_hide_it(browser, site_url, context):
    ctx, page, _ = open_explorer(browser, site_url, "?q=zzzz#f002-010", **context)
    page.wait_for_timeout(300)
    box = page.locator("#f002-010").bounding_box()
    assert page.locator("#f002-010").is_visible() and page.input_value("#fx-q") == ""
    assert 0 <= box["y"] < context["viewport"]["height"] / 2, box
    ctx.close()


@pytest.mark.browser
def test_phone_shows_one_card_per_fact_without_sideways_scrolling(browser, site_url):
    ctx, page, _ = open_explorer(browser, site_url, **PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator("table.facts-explorer tbody tr").first
    assert page.evaluate("el => getComputedStyle(el).display", first.element_handle()) == "block"
    assert first.bounding_box()["width"] <= 390
    labels = page.evaluate("[...document.querySelectorAll('table.facts-explorer tbody tr:first-child td')]"
                           ".map(td => getComputedStyle(td, '::before').content)")
    assert '"Quote"' in labels and '"As printed"' in labels
    ctx.close()


@pytest.mark.browser
def test_without_javascript_the_whole_table_shows(browser, site_url):
    ctx, page, _ = open_explorer(browser, site_url, javascript=False)
    assert page.locator(".fx-controls").count() == 0
    rows = page.locator("table.facts-explorer tbody tr")
    assert rows.count() == len(facts_rows())
    assert rows.last.is_visible() and rows.first.is_visible()
    ctx.close()
