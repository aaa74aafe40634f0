"""The reading surface in a real browser: navigation on a phone and a projector, accessibility
(axe-core), Chinese search and figure sharpness. Headless Chromium driven by Playwright."""
from __future__ import annotations

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


def test_top_bar_has_no_second_search_box(browser, site_url):
    ctx, page = open_page(browser, f"{site_url}/notebooks/clusters.html")
    fields = visible(page.locator("input[name='q'], .search-button-field"))
    assert len(fields) <= 1, f"{len(fields)} search boxes on the page"
    ctx.close()
