"""The visitor's journey in Welsh, in a real browser: from the English home page to the
Welsh one, a search with a place and filters, an empty search, a meeting, a guide, the
crisis box and a missing page. Accessible (axe, WCAG 2.2 AA), nothing wider than a 320px
phone, and screenshots of each page in docs/screenshots/cy-*.png."""

import pytest
from django.utils import translation

from tests.browser.conftest import WCAG_22_AA, recording_page, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/cy/",
    "results": "/cy/meetings/?near=LS6+1AA&within=5&format=in-person&feature=newcomers",
    "empty-results": "/cy/meetings/?near=LS6+1AA&within=1&fellowship=smart-recovery"
                     "&time=afternoon",
    "meeting": None,  # the site fixture's meeting, under /cy/
    "guide": "/cy/guides/first-meeting/",
    "fellowship": "/cy/fellowships/aa/",
    "not-found": "/cy/no-such-page/",
}
PHONE_320 = {"width": 320, "height": 640}


def welsh(message: str) -> str:
    with translation.override("cy"):
        text = translation.gettext(message)
    assert text != message, f"no Welsh for {message!r}"
    return text


def url_of(site, name: str) -> str:
    return site["url"] + (PAGES[name] or "/cy" + site["meeting"].get_absolute_url())


@pytest.fixture
def welsh_browser(chromium):
    """A browser whose owner prefers Welsh (Accept-Language: cy): that alone changes nothing."""
    with recording_page(chromium, "cy") as page:
        yield page


@pytest.mark.parametrize("name", list(PAGES))
def test_welsh_pages_have_no_accessibility_violations(site, welsh_browser, axe, name):
    page = welsh_browser
    response = page.goto(url_of(site, name))
    assert response.status == (404 if name == "not-found" else 200)
    assert page.get_attribute("html", "lang") == "cy"
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    # The browser reports a 404 page's own status as an error; nothing else may fail.
    assert [e for e in page.console_errors if not (name == "not-found" and "404" in e)] == []
    assert all(u.startswith(site["url"]) for u in page.requested_urls), page.requested_urls


@pytest.mark.parametrize("name", list(PAGES))
def test_welsh_pages_fit_a_320px_phone(site, welsh_browser, name):
    page = welsh_browser
    page.set_viewport_size(PHONE_320)
    page.goto(url_of(site, name))
    # Welsh words run longer than English ones: none may push the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    save_screenshot(page, f"cy-{name}-320")


def test_the_welsh_journey(site, welsh_browser):
    page = welsh_browser
    # A browser preferring Welsh still gets the English page at the English address...
    page.goto(site["url"] + "/")
    assert page.get_attribute("html", "lang") == "en-GB"
    assert page.locator("h1").inner_text() == "Find a recovery meeting"
    # ...and one link away, the Welsh one.
    page.get_by_role("link", name="Cymraeg").click()
    assert page.url == site["url"] + "/cy/"
    assert page.get_attribute("html", "lang") == "cy"
    assert page.locator("h1").inner_text() == welsh("Find a recovery meeting")

    # A search with a place and a filter stays in Welsh.
    page.get_by_label(welsh("Postcode or town")).first.fill("LS6 1AA")
    page.get_by_label(welsh("In person")).first.check()
    page.locator("form.search-form--home button[type=submit]").first.click()
    assert page.url.startswith(site["url"] + "/cy/meetings/?")
    assert "near=LS6+1AA" in page.url and "format=in-person" in page.url
    assert page.locator("h1").inner_text() == welsh("Find meetings")
    assert page.get_by_role("link", name="Headingley Tuesday Night").count() == 1

    # The meeting's page, in Welsh, links back to itself in English.
    page.get_by_role("link", name="Headingley Tuesday Night").click()
    assert page.url == site["url"] + "/cy" + site["meeting"].get_absolute_url()
    assert page.get_attribute("html", "lang") == "cy"
    english = page.get_by_role("link", name="English")
    assert english.get_attribute("href") == site["meeting"].get_absolute_url()

    # The crisis box is one tap away, in Welsh, with the numbers.
    page.get_by_role("link", name=welsh("Help now")).click()
    crisis = page.locator("#crisis")
    assert crisis.get_by_role("heading").inner_text() == welsh("Need help right now?")
    assert crisis.locator('a[href="tel:116123"]').count() == 1
    assert crisis.locator('a[href="tel:999"]').count() == 1

    # A missing page answers in Welsh, with a way on that stays in Welsh.
    page.goto(site["url"] + "/cy/meetings/no-such-meeting-monday/")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.locator("h1").inner_text() == welsh("We can't find that page")
    assert page.locator("main form").get_attribute("action") == "/cy/meetings/"
