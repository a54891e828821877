"""The printable list and the map in a real browser (issue 13): accessible, usable with
the keyboard and at 320px, no request to another host, and the list prints on A4 without
the site's navigation."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, WCAG_22_AA, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "print": "/meetings/print/?near=LS6+1AA&within=5",
    "print-ask": "/meetings/print/",
    "print-empty": "/meetings/print/?near=LS6+1AA&within=1&fellowship=smart-recovery",
    "map": "/meetings/map/?near=LS6+1AA&within=5",
    "map-ask": "/meetings/map/",
    "map-no-place": "/meetings/map/?fellowship=aa",
    "map-empty": "/meetings/map/?near=LS6+1AA&within=0.2",
}


def own_requests_only(site, page) -> None:
    """Every request the page made (documents, styles, images, anything) went to us."""
    assert page.requested_urls
    assert all(url.startswith(site["url"] + "/") for url in page.requested_urls), \
        page.requested_urls


@pytest.mark.parametrize("name", list(PAGES))
def test_accessible_and_nothing_fetched_from_another_host(site, browser_page, axe, name):
    page = browser_page
    page.goto(site["url"] + PAGES[name])
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == []  # includes any Content-Security-Policy refusal
    own_requests_only(site, page)


@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_scrolls_sideways_at_320px(site, browser_page, name):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site["url"] + PAGES[name])
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_meeting_page_map_fetches_nothing_from_another_host(site, browser_page, axe):
    page = browser_page
    page.goto(site["url"] + site["meeting"].get_absolute_url())
    assert page.locator("figure.venue-map svg").count() == 1
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    own_requests_only(site, page)


def test_from_the_results_to_the_map_and_a_marker_with_the_keyboard(site, browser_page):
    page = browser_page
    page.goto(site["url"] + "/meetings/?near=LS6+1AA&within=5")
    page.get_by_role("link", name="Map", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/map/?near=LS6+1AA&within=5")
    # Tab on to the first marker: its accessible name says where it leads.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('class')") == "map__marker":
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("1: ")
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('circle')).stroke")
    assert outline == "rgb(255, 191, 71)"  # the focus colour ring is drawn
    # The nearest venue holds one meeting: Enter opens its page.
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href == site["meeting"].get_absolute_url()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href)
    assert page.get_by_role("heading", level=1).inner_text() == site["meeting"].name


def test_the_map_works_without_javascript(site, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site["url"] + "/meetings/map/")
    page.get_by_label("Postcode or town").fill("LS6 1AA")
    page.get_by_role("button", name="Show the map").click()
    page.wait_for_url("**near=LS6+1AA**")
    assert page.locator("a.map__marker").count() >= 1
    assert page.locator(".map-list > li").count() == page.locator("a.map__marker").count()
    context.close()


def test_the_list_prints_on_a4_without_navigation_and_with_the_crisis_numbers(
    site, browser_page
):
    page = browser_page
    page.goto(site["url"] + PAGES["print"])
    page.emulate_media(media="print")

    def style(selector: str, prop: str) -> str:
        return page.evaluate(
            f"getComputedStyle(document.querySelector('{selector}')).{prop}")

    assert style(".site-header", "display") == "none"
    assert style(".printout__tools", "display") == "none"
    assert style(".crisis", "display") == "block"
    assert style(".printout__meeting", "breakInside") == "avoid"
    assert style("body", "color") == "rgb(0, 0, 0)"
    assert style(".printout__name a", "color") == "rgb(0, 0, 0)"
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    save_screenshot(page, "print-as-printed")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(
        b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1


@pytest.mark.parametrize("name", ["print", "map"])
def test_screenshots_desktop_and_phone(site, browser_page, name):
    page = browser_page
    page.goto(site["url"] + PAGES[name])
    save_screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    save_screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_screenshot_of_the_meeting_page_with_its_map(site, browser_page):
    page = browser_page
    page.goto(site["url"] + site["meeting"].get_absolute_url())
    save_screenshot(page, "meeting-desktop")
