"""/partners/ in a real browser: the search form's own fields, copy buttons that copy,
plain text to select without JavaScript, and a page that works at 320px."""

import pytest

from tests.browser.conftest import PHONE, WCAG_22_AA, save_screenshot

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
QUERY = "/partners/?fellowship=aa&near=LS6+1AA&within=5"


def test_the_partner_page_at_320px_is_accessible_and_copies_the_embed_code(
    site, chromium, axe
):
    context = chromium.new_context(viewport=NARROW, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site["url"])
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(site["url"] + QUERY)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert errors == []
    # Styled like the search form: a radius to choose, not a tiny box to type in;
    # checkboxes in the search form's labelled choices.
    assert page.locator("select[name=within]").is_visible()
    assert page.locator("label.choice input[name=fellowship][value=aa]").is_checked()
    assert page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    ) <= 0
    page.get_by_role("button", name="Copy the embed code").click()
    page.get_by_role("status").get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('<iframe src="' + site["url"] + "/embed/meetings/?fellowship=aa")
    page.get_by_role("button", name="Copy the search page link").click()
    page.wait_for_function(
        "async () => (await navigator.clipboard.readText()).includes('/meetings/?')"
    )
    context.close()


def test_without_javascript_the_links_and_code_are_there_to_select(site, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site["url"] + QUERY)
    # No button that would do nothing; the embed code is selectable text.
    assert page.locator("button[data-copy]:visible").count() == 0
    snippet = page.locator("#embed-snippet")
    assert "/embed/meetings/?fellowship=aa" in snippet.input_value()
    snippet.select_text()
    save_screenshot(page, "partners-nojs-phone")
    context.close()
