"""Every pasted number answers "where does this come from?" (issue 17): traced values, the
derivation stored with each pasted value, the entries and cards on the built pages, coverage."""
from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

import parkecon as pe
from parkecon import trace
from parkecon.machinery import toc

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_MIN = 0.95


# ------------------------------------------------------------------ traced values (no build)

def test_a_value_read_from_the_data_carries_its_fact_id_through_arithmetic():
    va, g = pe.value("f000-030"), pe.value("f000-031")
    prev = pe.calc.implied_previous(va, g)
    assert isinstance(prev, trace.Num) and prev.facts == ("f000-030", "f000-031")
    assert float(prev) == pytest.approx(float(va) / (1 + float(g) / 100))
    assert trace.describe(prev.expr) == "[f000-030] ÷ (1 + [f000-031] ÷ 100)"
    # a conversion of units does not change what the number is computed from
    assert pe.bn(va).expr == ("fact", "f000-030")
    # unary minus, reflected operators and powers keep the trace
    assert trace.inputs((2 - va).expr)[0] == ["f000-030"]
    assert trace.describe((-(va - prev)).expr) == "−([f000-030] − [f000-030] ÷ (1 + [f000-031] ÷ 100))"


def test_describe_puts_brackets_only_where_the_order_of_operations_needs_them():
    a, b, c = (("fact", x) for x in ("a", "b", "c"))
    assert trace.describe(("-", a, ("-", b, c))) == "[a] − ([b] − [c])"
    assert trace.describe(("-", ("-", a, b), c)) == "[a] − [b] − [c]"
    assert trace.describe(("/", ("*", a, b), c)) == "[a] × [b] ÷ [c]"
    assert trace.describe(("*", ("+", a, b), c)) == "([a] + [b]) × [c]"


def test_a_value_that_lost_its_trace_is_found_again_by_value_and_in_other_units():
    import numpy as np

    va = pe.value("f000-030")                      # 21.789e9 yuan
    plain = np.float64(float(va))                  # through pandas: a numpy float
    assert trace.lookup(plain).facts == ("f000-030",)
    assert trace.lookup(float(va) / 1e9).facts == ("f000-030",)      # billions
    assert trace.lookup(float(va) / 1e8).facts == ("f000-030",)      # 亿
    assert trace.lookup(123456.789) is None


def test_small_whole_numbers_are_never_matched_outside_their_cell():
    """A count of rows that happens to equal a fact's value must not be given that fact."""
    n = pe.value("f000-028")                        # the number of provincial parks (a small count)
    assert float(n).is_integer() and abs(float(n)) < trace.SMALL
    assert trace.lookup(float(n)) is None           # outside a kernel there is no cell to match
    assert trace.lookup(float(n), cell=None) is None


def test_glue_stores_the_derivation_in_the_pasted_output(monkeypatch):
    shown = []
    monkeypatch.setattr("parkecon.notebook._paste", lambda name, value, display, d=None: shown.append((name, value, d)))
    va, g = pe.value("f000-030"), pe.value("f000-031")
    out = pe.glue("x_bn", pe.bn(pe.calc.implied_previous(va, g)))
    name, value, d = shown[0]
    assert name == "x_bn" and value == pytest.approx(float(va) / 1.16 / 1e9)
    assert d["facts"] == ["f000-030", "f000-031"]
    assert "÷ (1 +" in d["expr"] and "2021" in d["expr"]
    # the Chinese twin in 亿 carries the same derivation
    assert shown[1][0] == "x_bn__yi" and shown[1][1] == pytest.approx(value * 10) and shown[1][2] == d
    # a later computation builds on the pasted value by name
    later = pe.glue("y", out * 2)
    assert shown[-1][2]["keys"] == ["x_bn"]
    assert isinstance(later, trace.Num)
    # an explicit description and a count
    pe.glue("n_rows", 7, counts="rows of data/events.csv")
    assert shown[-1][2] == {"counts": "rows of data/events.csv"}
    pe.glue("plain", 3)
    assert shown[-1][2] is None


def test_words_and_bounds_keep_the_number_they_were_made_from():
    v = pe.value("f000-030")
    w = pe.calc.words(pe.bn(v), "more_than", "{:.0f}")
    assert str(w) == "more than 21" and w.of.facts == ("f000-030",)
    r = pe.calc.bound_round(pe.bn(v), "at_most", 1)
    assert r == 21.8 and r.facts == ("f000-030",)


# ------------------------------------------------------------------ the built pages

def _chapters() -> list[str]:
    return [d for d in toc.docnames(ROOT) if d.startswith("notebooks/")]


def _facts() -> dict[str, dict]:
    with (ROOT / "data" / "facts.csv").open(encoding="utf-8", newline="") as fh:
        return {r["fact_id"]: r for r in csv.DictReader(fh)}


@pytest.mark.build
def test_every_pasted_number_with_a_derivation_links_to_an_entry_on_its_page(built_book):
    facts = _facts()
    checked = 0
    for doc in _chapters():
        page = (built_book / f"{doc}.html").read_text(encoding="utf-8")
        targets = re.findall(r'<a class="[^"]*pe-num[^"]*" href="#pe-drv-([\w]+)"', page)
        assert targets, f"{doc}: no number links to a derivation"
        for key in set(targets):
            m = re.search(rf'<div class="pe-drv" id="pe-drv-{key}" data-facts="([^"]*)".*?</div>', page, re.S)
            assert m, f"{doc}: number {key} links to a missing entry"
            entry, ids = m.group(0), m.group(1).split()
            assert ids or "Counts:" in entry or "Computed as:" in entry or "Builds on:" in entry, (doc, key)
            for fid in ids:
                # the page's row of the fact shows its verbatim quote from the data
                row = re.search(rf'<tr id="pe-fact-{fid}">(.*?)</tr>', page, re.S)
                assert row, (doc, key, fid)
                assert facts[fid]["quote"] in html.unescape(re.sub(r"<[^>]+>", "", row.group(1))), (doc, key, fid)
                checked += 1
    assert checked > 200


@pytest.mark.build
@pytest.mark.parametrize("edition,label", [("", "Builds on:"), ("zh/", "依据的数值:")])
def test_the_values_an_entry_builds_on_are_shown_in_both_editions(built_book, edition, label):
    """Each value an entry builds on is printed (the Chinese edition once showed "va_2020_bn = "
    with nothing after it) and, where that number is pasted on the page, in 亿 or 万 in Chinese, links to its entry."""
    seen = 0
    for doc in _chapters():
        page = (built_book / f"{edition}{doc}.html").read_text(encoding="utf-8")
        anchors = set(re.findall(r'id="pe-drv-([\w]+)"', page))
        for line in re.findall(rf'<span class="pe-label">{label}</span> (.*?)</p>', page):
            for item in line.split("; "):
                m = re.fullmatch(r'(?:<a href="#pe-drv-(\w+)">)?<code>(\w+)</code> = ([^<]*)(?:</a>)?', item)
                assert m, (edition, doc, item)
                target, key, value = m.groups()
                assert re.fullmatch(r"-?[\d.]+(e-?\d+)?", value.strip()), (edition, doc, key, value)
                assert target is None or target in anchors, (edition, doc, key, target)
                if edition and f"{key}__yi" in anchors:
                    assert target == f"{key}__yi", (doc, key)
                seen += 1
    assert seen > 20


@pytest.mark.build
def test_fact_links_in_entries_lead_to_the_explorer_when_it_exists(built_book):
    explorer = built_book / "book" / "facts.html"
    page = (built_book / "notebooks" / "park-economy.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]*facts\.html)#(f\d{3}-\d{3})"><code>', page)
    if not explorer.exists():
        assert not links
        pytest.skip("no facts explorer page in this book")
    assert links
    anchors = set(re.findall(r'id="(f\d{3}-\d{3})"', explorer.read_text(encoding="utf-8")))
    for href, fid in links:
        assert (built_book / "notebooks" / href).resolve() == explorer.resolve()
        assert fid in anchors


@pytest.mark.build
def test_coverage_of_derivations_in_every_chapter(built_book):
    report = json.loads((built_book.parent / ".parkecon" / "coverage-en.json").read_text(encoding="utf-8"))
    low = {}
    for doc in _chapters():
        r = report[doc]
        assert r["numbers"] > 0 and r["with_derivation"] + len(r["without"]) == r["numbers"]
        if r["share"] < CHAPTER_MIN:
            low[doc] = (f"{r['share']:.0%}", sorted(set(r["without"])))
    assert not low, f"chapters below {CHAPTER_MIN:.0%} of pasted numbers with a derivation: {low}"


@pytest.mark.build
def test_the_coverage_report_counts_what_the_page_shows(built_book):
    report = json.loads((built_book.parent / ".parkecon" / "coverage-en.json").read_text(encoding="utf-8"))
    page = (built_book / "notebooks" / "park-economy.html").read_text(encoding="utf-8")
    linked = len(re.findall(r'class="[^"]*pe-num[^"]*"', page))
    assert linked == report["notebooks/park-economy"]["with_derivation"]


# ------------------------------------------------------------------ in a browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_number_opens_its_card_by_click_tap_and_keyboard(browser, site_url, size):
    ctx = browser.new_context(**(PHONE if size == "phone" else LAPTOP))
    page = ctx.new_page()
    try:
        page.goto(f"{site_url}/notebooks/park-economy.html", wait_until="networkidle")
        num = page.locator("a.pe-num").first
        num.scroll_into_view_if_needed()
        assert num.get_attribute("aria-expanded") == "false"
        if size == "phone":
            num.tap()
        else:
            num.click()
        card = page.locator(".pe-card")
        assert card.count() == 1 and card.is_visible()
        assert card.get_attribute("role") == "dialog"
        key = num.get_attribute("href").split("pe-drv-")[1]
        entry = page.locator(f"#pe-drv-{key}")
        assert entry.locator(".pe-drv-head").inner_text() in card.inner_text()
        for fid in (entry.get_attribute("data-facts") or "").split():
            quote = page.locator(f"#pe-fact-{fid} [lang]").first.inner_text()
            assert quote in card.inner_text(), f"the card of {key} lacks the quote of {fid}"
        box, vw = card.bounding_box(), page.viewport_size["width"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= vw + 1, "the card runs off the screen"
        assert num.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.className") == "pe-card-close"
        page.keyboard.press("Escape")
        assert page.locator(".pe-card").count() == 0
        assert page.evaluate("document.activeElement.classList.contains('pe-num')")
        # keyboard: Enter on the focused number opens the card again
        page.keyboard.press("Enter")
        assert page.locator(".pe-card").count() == 1
        page.locator(".pe-card-close").click()
        assert page.locator(".pe-card").count() == 0
    finally:
        ctx.close()


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_a_card_has_a_readable_heading_and_nothing_covers_it_on_a_phone(browser, site_url, edition):
    """The card is headed "Where this number comes from" (Chinese: 这个数字从何而来), not by the
    glue key, which stays smaller secondary text; the theme's back-to-top button, fixed on the
    screen once the reader has scrolled, does not cover the card opened at the bottom of a phone."""
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    try:
        page.goto(f"{site_url}/{edition}notebooks/park-economy.html", wait_until="networkidle")
        expected = page.locator("#pe-card-text").get_attribute("data-title")
        assert expected and not re.search(r"_|\d", expected)
        num = page.locator("a.pe-num").nth(5)
        num.scroll_into_view_if_needed()
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(300)  # the theme shows its back-to-top button after a scroll up or down
        num.scroll_into_view_if_needed()
        num.tap()
        card = page.locator(".pe-card")
        assert card.locator(".pe-card-title").inner_text() == expected
        assert page.evaluate("document.querySelector('.pe-card').getAttribute('aria-labelledby')") == "pe-card-title"
        size = lambda sel: float(page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('.pe-card {sel}')).fontSize)"))
        assert size(".pe-drv-key") < size(".pe-drv-value"), "the glue key is as prominent as the number"
        box = card.bounding_box()
        covering = page.evaluate("""(b) => [...document.querySelectorAll('body *')].filter(el => {
            const s = getComputedStyle(el);
            if (s.position !== 'fixed' || s.display === 'none' || s.visibility === 'hidden' || el.closest('.pe-card')) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.left < b.x + b.width && r.right > b.x && r.top < b.y + b.height && r.bottom > b.y
                && Number(s.zIndex || 0) >= Number(getComputedStyle(document.querySelector('.pe-card')).zIndex);
        }).map(el => el.id || el.className)""", box)
        assert not covering, f"fixed elements over the open card: {covering}"
        assert not page.locator("#pst-back-to-top").is_visible()
        page.locator(".pe-card-close").click()
    finally:
        ctx.close()


def test_without_javascript_a_number_leads_to_its_entry(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, **LAPTOP)
    page = ctx.new_page()
    try:
        page.goto(f"{site_url}/notebooks/park-economy.html")
        num = page.locator("a.pe-num").first
        key = num.get_attribute("href").split("pe-drv-")[1]
        num.click()
        assert page.url.endswith(f"#pe-drv-{key}")
        assert page.locator(f"#pe-drv-{key}").is_visible()
    finally:
        ctx.close()


# ------------------------------------------------------------------ build code that changed

def test_a_change_to_the_build_code_makes_the_next_build_read_every_page(tmp_path, monkeypatch):
    """Sphinx re-reads a page only when its source changed; the cards (and every other hook of
    the package) are written by code it does not watch. A changed digest discards the saved
    environment, as an unfinished build does."""
    import shutil
    from types import SimpleNamespace

    from parkecon.machinery import sphinxext

    package = tmp_path / "parkecon"
    shutil.copytree(ROOT / "parkecon", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = sphinxext.build_code_digest(package)
    assert sphinxext.build_code_digest(package) == before
    (package / "machinery" / "cards.py").write_text((package / "machinery" / "cards.py").read_text() + "\n# x\n")
    assert sphinxext.build_code_digest(package) != before

    out, doctrees = tmp_path / "_build" / "html", tmp_path / "_build" / ".doctrees"
    doctrees.mkdir(parents=True)
    app = SimpleNamespace(outdir=str(out), doctreedir=str(doctrees))
    pickle = doctrees / "environment.pickle"

    def run(digest):
        monkeypatch.setattr(sphinxext, "build_code_digest", lambda package=None: digest)
        pickle.write_bytes(b"saved")
        sphinxext._config_inited(app, None)
        app._warncount = 0
        sphinxext._build_finished(app, None)
        return pickle.exists()

    assert not run("a")        # no digest beside a saved environment: an older build, read all
    assert run("a")            # same code: the saved environment is used
    assert not run("b")        # changed code: every page again
    assert run("b")
