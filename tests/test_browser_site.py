"""The reading surface in a real browser: navigation on a phone and a projector, accessibility
(axe-core), Chinese search and figure sharpness. Headless Chromium driven by Playwright."""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
LAPTOP = {"viewport": {"width": 1280, "height": 900}}


def open_page(browser, url: str, mode: str = "light", **context):
    """A page in its own context, with the reader's colour mode stored as the theme stores it."""
    ctx = browser.new_context(**(context or LAPTOP))
    ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = ctx.new_page()
    page.goto(url, wait_until="networkidle")
    return ctx, page


def visible(locator):
    """The visible elements of a locator (themes may draw hidden copies of a button)."""
    return [locator.nth(i) for i in range(locator.count()) if locator.nth(i).is_visible()]


def sidebar_shown(page) -> bool:
    """The primary sidebar (the book's contents) is on screen, not slid out of view."""
    box = page.locator(".bd-sidebar-primary").bounding_box()
    return bool(box) and box["x"] >= 0 and box["width"] > 100 and page.locator(".bd-sidebar-primary").is_visible()


# ------------------------------------------------------------------ 1. navigation

def test_phone_menu_button_opens_the_contents(browser, site_url):
    ctx, page = open_page(browser, f"{site_url}/notebooks/clusters.html", **PHONE)
    assert not sidebar_shown(page), "the contents cover the page before any tap"
    buttons = visible(page.locator("button.primary-toggle, label.primary-toggle"))
    assert len(buttons) == 1, f"expected one visible menu button, found {len(buttons)}"
    buttons[0].tap()
    page.wait_for_timeout(500)
    assert sidebar_shown(page), "tapping the menu button did not show the contents"
    links = page.locator(".bd-sidebar-primary nav a.reference")
    assert links.count() >= 10
    assert "The park economy" in page.locator(".bd-sidebar-primary").inner_text()
    # a tap on a chapter in the contents goes there
    link = page.locator(".bd-sidebar-primary nav a.reference", has_text="The park economy").first
    with page.expect_navigation():
        link.tap()
    assert page.url.endswith("notebooks/park-economy.html")
    ctx.close()


def test_laptop_menu_button_hides_and_shows_the_sidebar(browser, site_url):
    ctx, page = open_page(browser, f"{site_url}/notebooks/clusters.html")
    assert sidebar_shown(page)
    article = page.locator("main").bounding_box()["width"]
    buttons = visible(page.locator("button.primary-toggle, label.primary-toggle"))
    assert len(buttons) == 1
    buttons[0].click()
    page.wait_for_timeout(500)
    assert not sidebar_shown(page), "the menu button did not hide the sidebar"
    assert page.locator("main").bounding_box()["width"] > article, "the text did not take the freed width"
    buttons[0].click()
    page.wait_for_timeout(500)
    assert sidebar_shown(page)
    ctx.close()


@pytest.mark.parametrize("start,twin,label", [("notebooks/clusters.html", "zh/notebooks/clusters.html", "中文"),
                                              ("zh/notebooks/clusters.html", "notebooks/clusters.html", "English")])
@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_language_switch_by_keyboard_leads_to_the_twin_page(browser, site_url, start, twin, label, device):
    """The switch is visible in the header on a phone and a laptop, reached with Tab, named by
    its text in its own language, and Enter opens the same page in the other edition."""
    ctx, page = open_page(browser, f"{site_url}/{start}", **(PHONE if device == "phone" else LAPTOP))
    switch = visible(page.locator("a.parkecon-lang-switch"))
    assert len(switch) == 1, f"{len(switch)} visible language switches"
    assert switch[0].inner_text().strip() == label
    assert switch[0].get_attribute("lang") == switch[0].get_attribute("hreflang")
    for _ in range(60):  # Tab until the switch has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('parkecon-lang-switch')"):
            break
    else:
        pytest.fail("the language switch cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/" + twin), page.url
    ctx.close()


def test_chinese_search_box_tells_readers_to_separate_words(browser, site_url):
    ctx, page = open_page(browser, f"{site_url}/zh/search.html")
    hint = page.locator("input[name='q']").first.get_attribute("placeholder")
    assert "空格" in hint, hint
    ctx.close()


def test_top_bar_has_no_second_search_box(browser, site_url):
    ctx, page = open_page(browser, f"{site_url}/notebooks/clusters.html")
    fields = visible(page.locator("input[name='q'], .search-button-field"))
    assert len(fields) <= 1, f"{len(fields)} search boxes on the page"
    ctx.close()


# ------------------------------------------------------------------ 6. accessibility

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), from the npm package


def site_pages(built_book: Path) -> list[str]:
    return sorted(str(p.relative_to(built_book)) for p in built_book.rglob("*.html")
                  if "_static" not in p.parts and p.name != "genindex.html")


# The theme marks scrollable code and output blocks focusable (tabindex) on load and again 300 ms
# after the page's content or size changes; axe waits until that has run (a loaded machine
# otherwise checks a page whose marks are still pending and reports them missing).
AXE_RUN = """new Promise(r => setTimeout(r, 400)).then(() => axe.run(document, {resultTypes: ['violations']})).then(r => r.violations
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + ': ' +
                    (n.any.concat(n.all, n.none).map(c => c.message).join('; ')))})))"""


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("() => " + AXE_RUN)


def axe_each_page(browser, site_url: str, pages: list[str], mode: str) -> list[tuple[str, str, list[dict]]]:
    """(path, theme shown, violations) of every page in `mode`. One context per renderer process
    used, not one per page: the context injects axe into each page it loads (as add_script_tag
    does after loading), and as many pages are checked at a time as the machine has cores, up to
    two (each context has its own renderer process)."""
    import os

    slots = []
    out = []
    try:
        for _ in range(max(1, min(2, os.cpu_count() or 1, len(pages)))):
            ctx = browser.new_context(**LAPTOP)
            ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
            ctx.add_init_script(path=str(AXE))
            slots.append((ctx, ctx.new_page()))
        todo = list(pages)
        while todo:
            batch = [(page, todo.pop(0)) for _, page in slots[:len(todo)]]
            for page, path in batch:
                page.goto(f"{site_url}/{path}", wait_until="networkidle")
                page.evaluate("() => { window.__axe = " + AXE_RUN + "; }")  # started, not awaited
            for page, path in batch:
                out.append((path, page.evaluate("document.documentElement.dataset.theme"),
                            page.evaluate("() => window.__axe")))
    finally:
        for ctx, _ in slots:
            ctx.close()
    return out


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_critical_or_serious_violation_on_any_page(browser, site_url, built_book, mode):
    pages = sorted(site_pages(built_book), key=lambda p: -(built_book / p).stat().st_size)
    assert len(pages) >= 15
    found, checked = [], []
    for path, theme, violations in axe_each_page(browser, site_url, pages, mode):
        assert theme == mode, f"{path} shows the {theme} theme"
        checked.append(path)
        for v in violations:
            if v["impact"] in ("critical", "serious"):
                found.append(f"{path} [{v['impact']}] {v['id']}: " + " | ".join(v["nodes"][:3]))
    assert sorted(checked) == sorted(pages)
    assert found == [], f"{len(found)} violations ({mode}):\n" + "\n".join(found)


def test_axe_reports_a_planted_violation(browser, site_url):
    """The check can fail: a link whose text is as pale as the page is reported as serious."""
    ctx, page = open_page(browser, f"{site_url}/book/intro.html")
    page.evaluate("""() => { const a = document.createElement('a'); a.href = '#'; a.textContent = 'pale link';
                             a.style.color = '#eeeeee'; document.querySelector('main p').appendChild(a); }""")
    assert any(v["id"] == "color-contrast" and v["impact"] == "serious" for v in axe_violations(page))
    ctx.close()


@pytest.mark.parametrize("path", ["book/sources.html", "notebooks/clusters.html", "book/glossary.html"])
def test_chinese_text_is_marked_as_chinese(browser, site_url, path):
    """Every Chinese character of the article sits inside an element whose language is Chinese,
    so that a screen reader reads it with a Chinese voice."""
    ctx, page = open_page(browser, f"{site_url}/{path}")
    result = page.evaluate(r"""() => {
        const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
        let zh = 0; const bad = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!/[\u4e00-\u9fff]/.test(n.data) || n.parentElement.closest('script,style')) continue;
            zh++;
            const lang = n.parentElement.closest('[lang]').getAttribute('lang');
            if (!lang.startsWith('zh')) bad.push(n.data.trim().slice(0, 40));
        }
        return {zh, bad};
    }""")
    assert result["zh"] > 5, "expected Chinese text on this page"
    assert result["bad"] == [], f"Chinese text without lang=zh: {result['bad'][:10]}"
    ctx.close()


# ------------------------------------------------------------------ 7. search

def article_text(html_file: Path) -> str:
    text = html_file.read_text(encoding="utf-8")
    m = re.search(r'<article class="bd-article"[^>]*>(.*)</article>', text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else ""


def search(page, site_url: str, term: str) -> tuple[set[str], str]:
    """The pages the site's search finds for a term, and the text of its results."""
    page.goto(f"{site_url}/search.html?q={quote(term)}", wait_until="networkidle")
    # results are listed one by one; the summary says "Search finished" (or "did not match") at the end
    page.wait_for_function("() => /Search finished|did not match|搜索完成|没有任何/.test("
                           "(document.querySelector('#search-results p.search-summary') || {}).textContent || '')",
                           timeout=20000)
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.href)")
    return {urlparse(h).path.lstrip("/") for h in hrefs}, page.inner_text("#search-results")


def pages_containing(built_book: Path, term: str, edition: str = "en") -> set[str]:
    """Pages of one edition whose article holds the term: as a whole word for a Latin term (not
    'key' inside 'fromkeys'), anywhere for a Chinese one (Chinese has no spaces between words).
    Each edition has its own search index (the Chinese one under zh/)."""
    pages = [p for p in site_pages(built_book) if not p.endswith("search.html")
             and (p.startswith("zh/") if edition == "zh" else not p.startswith("zh/"))]
    if term.isascii():
        pattern = re.compile(rf"\b{re.escape(term)}\b", re.I)
        return {p for p in pages if pattern.search(article_text(built_book / p))}
    return {p for p in pages if term in article_text(built_book / p)}


# Chinese names from data/entities.csv and data/indicators.csv (a short name such as 韶钢 is the
# part before the brackets of 韶钢（宝武集团广东韶关钢铁有限公司）), and English words
CHINESE_SAMPLE = ["韶钢", "华韶数据谷", "清城区", "武江区", "韶关市", "莞韶园", "先进材料产业集群", "工业增加值", "营业收入"]
# (money, key, always: words whose stems differ between the Snowball and Porter stemmers)
ENGLISH_SAMPLE = ["Qingcheng", "Dongguan", "biomedicine", "hydrogen", "cabinets", "Wujiang", "money", "key", "always"]


@pytest.mark.parametrize("term", CHINESE_SAMPLE + ENGLISH_SAMPLE)
def test_search_finds_every_page_that_contains_the_term(browser, site_url, built_book, term):
    expected = pages_containing(built_book, term)
    assert expected, f"no page contains {term}: choose another sample"
    ctx, page = open_page(browser, site_url + "/index.html")
    found, _ = search(page, site_url, term)
    assert expected <= found, f"{term}: not found on {sorted(expected - found)} (found {sorted(found)})"
    ctx.close()


@pytest.mark.parametrize("term", CHINESE_SAMPLE)
def test_chinese_edition_search_finds_every_page_that_contains_the_term(browser, site_url, built_book, term):
    expected = pages_containing(built_book, term, "zh")
    assert expected, f"no Chinese page contains {term}: choose another sample"
    ctx, page = open_page(browser, site_url + "/zh/index.html")
    found, _ = search(page, site_url + "/zh", term)
    assert expected <= found, f"{term}: not found on {sorted(expected - found)} (found {sorted(found)})"
    ctx.close()


def test_chinese_names_are_words_of_the_search_dictionary(built_book):
    """The user dictionary is written in the build folder from the data's Chinese names."""
    from parkecon.machinery.site import SEARCH_DICT

    words = {line.split()[0] for line in (built_book.parent / SEARCH_DICT).read_text(encoding="utf-8").splitlines()}
    assert {"韶钢", "华韶数据谷"} <= words
    assert not list((built_book.parent.parent / "data").glob("*dict*")), "the dictionary must not be written into data/"


def test_search_snippets_show_prose(browser, site_url):
    ctx, page = open_page(browser, site_url + "/index.html")
    _, text = search(page, site_url, "华韶数据谷")
    assert "Huashao Data Valley" in text
    assert not re.search(r"f\d{3}-\d{3}", text), "a snippet runs table cells (fact ids) together"
    assert "Suggest edit" not in text and "Contents" not in text, "a snippet shows the page's buttons or contents list"
    ctx.close()


# ------------------------------------------------------------------ 9. print

def test_printing_a_chapter_hides_code_toggles_and_navigation(browser, site_url):
    ctx, page = open_page(browser, f"{site_url}/notebooks/park-economy.html")
    toggles = page.locator("details.hide.above-input summary")
    assert toggles.count() >= 3 and toggles.first.is_visible()
    page.emulate_media(media="print")
    assert not any(toggles.nth(i).is_visible() for i in range(toggles.count())), "a 'Show code cell source' bar prints"
    assert not page.locator(".bd-sidebar-primary").is_visible()
    assert page.locator("main figure img").first.is_visible(), "figures must print"
    pdf = page.pdf()
    assert len(pdf) > 10000
    ctx.close()


# ------------------------------------------------------------------ 2. figures

def chapter_pages(built_book: Path) -> list[str]:
    return sorted(str(p.relative_to(built_book)) for p in (built_book / "notebooks").glob("*.html"))


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_every_figure_is_sharp_at_twice_its_displayed_size(browser, site_url, built_book, width):
    """Each figure's PNG has at least twice the pixels it is shown with (device pixel ratio 2
    stays sharp), and fits the screen."""
    checked = 0
    for path in chapter_pages(built_book):
        ctx, page = open_page(browser, f"{site_url}/{path}", viewport={"width": width, "height": 900})
        sizes = page.eval_on_selector_all("article figure img", """els => els.map(e => ({
            src: e.getAttribute('src'), natural: e.naturalWidth, shown: e.getBoundingClientRect().width,
            right: e.getBoundingClientRect().right}))""")
        assert sizes, f"{path}: no figures"
        for s in sizes:
            assert s["natural"] >= 1.98 * s["shown"], f"{path} {s['src']}: {s['natural']} px shown at {s['shown']:.0f}"
            assert s["right"] <= width + 1, f"{path} {s['src']} runs off a {width}-px screen"
            checked += 1
        ctx.close()
    assert checked >= 15


def test_figure_files_are_small_and_open_full_size(browser, site_url, built_book):
    for path in chapter_pages(built_book):
        ctx, page = open_page(browser, f"{site_url}/{path}")
        figures = page.locator("article figure")
        for i in range(figures.count()):
            img = figures.nth(i).locator("img")
            src = img.get_attribute("src")
            file = (built_book / path).parent / src
            assert file.stat().st_size <= 250 * 1024, f"{file.name}: {file.stat().st_size // 1024} KB"
            link = figures.nth(i).locator("a:has(img)")
            assert link.count() == 1 and link.get_attribute("href") == src, f"{path}: figure {i} does not open full size"
        ctx.close()
    # a click opens the image itself
    ctx, page = open_page(browser, f"{site_url}/notebooks/clusters.html")
    with page.expect_navigation():
        page.locator("article figure a:has(img)").first.click()
    assert page.url.endswith(".png")
    ctx.close()


def test_memoised_search_split_is_sphinx_split(built_book):
    """The book's Chinese search language memoises jieba's cut block by block; on every text
    of every page of both editions it returns what Sphinx's own split returns."""
    import pickle

    from sphinx.search.zh import SearchChinese

    from parkecon.machinery.site import SEARCH_DICT, chinese_search_language

    options = {"dict": str(built_book.parent / SEARCH_DICT)}
    ours, stock = chinese_search_language()(options), SearchChinese(options)
    texts = set()
    for doctrees in (built_book.parent / ".doctrees", built_book.parent / "zh" / ".doctrees"):
        for path in doctrees.rglob("*.doctree"):
            from docutils import nodes

            texts |= {t.astext() for t in pickle.loads(path.read_bytes()).findall(nodes.Text)}
    assert len(texts) > 5000 and any(re.search("[\u4e00-\u9fff]", t) for t in texts)
    differ = [t for t in texts if ours.split(t) != stock.split(t)]
    assert not differ, differ[:5]
    assert ours.split("韶关市华韶数据谷 data-centre 3.5% co2") == stock.split("韶关市华韶数据谷 data-centre 3.5% co2")
