"""What a visitor sees in a real browser: accessible pages, a keyboard-only search, a
320px-wide phone, no third-party requests, and screenshots for people to look at."""

import os

import pytest

from tests.browser.conftest import (
    DESKTOP,
    DOCS_SCREENSHOTS,
    PHONE,
    WCAG_22_AA,
    save_screenshot,
)

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "results": "/meetings/?near=LS6+1AA&within=5&format=in-person&feature=newcomers",
    # Nothing within a mile: the page offers a wider radius, the nearest match further
    # away and the matching online meeting.
    "empty-results": "/meetings/?near=LS6+1AA&within=1&fellowship=smart-recovery&time=afternoon",
    "meeting": None,  # the site fixture's meeting
    "fellowship": "/fellowships/aa/",
    "partners": "/partners/",
}


def url_of(site, name: str) -> str:
    path = PAGES[name] or site["meeting"].get_absolute_url()
    return site["url"] + path


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations_at_wcag_22_aa(site, browser_page, axe, name):
    page = browser_page
    page.goto(url_of(site, name))
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == []  # includes any Content-Security-Policy refusal
    assert all(u.startswith(site["url"]) for u in page.requested_urls), page.requested_urls


@pytest.mark.parametrize("name", list(PAGES))
def test_screenshots_desktop_and_phone(site, browser_page, name):
    page = browser_page
    page.goto(url_of(site, name))
    desktop = save_screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    phone = save_screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    # Written where asked (docs/screenshots only with SCREENSHOTS=docs), as PNGs.
    for path in (desktop, phone):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (path.parent == DOCS_SCREENSHOTS) == (os.environ.get("SCREENSHOTS") == "docs")


@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_scrolls_sideways_at_320px(site, browser_page, name):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url_of(site, name))
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_search_with_the_keyboard_alone(site, browser_page):
    page = browser_page
    page.goto(site["url"] + "/")
    # The first Tab reaches the skip link; following it lands in the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    # Tab on until the place box has focus, type, choose "In person" with the space bar.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "near":
            break
    assert page.evaluate("document.activeElement.name") == "near"
    page.keyboard.type("LS6 1AA")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "in-person":
            break
    assert page.evaluate("document.activeElement.value") == "in-person"
    page.keyboard.press("Space")
    # Focus is visible: the outline is drawn.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/meetings/?**")
    assert "near=LS6+1AA" in page.url and "format=in-person" in page.url
    assert page.locator(".result").count() >= 1
    assert "Headingley Tuesday Night" in page.content()


def test_the_filters_work_without_javascript(site, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site["url"] + "/meetings/?near=LS6+1AA")
    page.locator("summary").click()
    page.locator("input[name=feature][value=women]").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**feature=women**")
    assert page.locator(".result").count() >= 1
    context.close()


def test_a_visitor_gets_no_cookies_in_the_browser(site, browser_page):
    page = browser_page
    page.goto(url_of(site, "results"))
    page.goto(url_of(site, "meeting"))
    assert page.context.cookies() == []


def test_the_first_result_is_at_most_three_tabs_from_the_top(site, browser_page):
    """A keyboard user skips the form and the filters: the first link on the page leads to
    the results, and the next Tab is the first result's link."""
    page = browser_page
    page.goto(url_of(site, "results"))
    first = page.locator(".result a").first.get_attribute("href")
    tabs = 0
    while tabs < 3 and page.evaluate("document.activeElement.getAttribute('href')") != first:
        page.keyboard.press("Tab")
        tabs += 1
        if page.evaluate("document.activeElement.getAttribute('href')") == "#results":
            page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first


def test_tonight_is_one_search_from_the_home_page(site, browser_page):
    """Time of day sits beside Day on the home page: no second search under More filters."""
    page = browser_page
    page.goto(site["url"] + "/")
    legends = page.locator("form[role=search] legend").all_inner_texts()
    assert legends[legends.index("Day") + 1] == "Time of day"
    page.get_by_label("Postcode or town").fill("LS6 1AA")
    page.get_by_label("Evening (5pm on)").check()
    page.get_by_role("button", name="Find meetings").click()
    page.wait_for_url("**/meetings/?**")
    assert "time=evening" in page.url
    names = page.locator(".result__name").all_inner_texts()
    # Started at 6pm, 7pm, 7:30pm and 8pm; not the morning and midday ones.
    assert set(names) == {"Hyde Park SMART", "Kirkstall NA", "Woodhouse NA",
                          "Headingley Tuesday Night"}
