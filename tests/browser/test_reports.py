"""Reporting a wrong listing in a real browser, on a 320px phone without JavaScript, and
staff applying it from the review queue."""

import pytest

from tests.browser.conftest import DESKTOP, WCAG_22_AA, save_screenshot
from tests.factories import app_code

pytestmark = pytest.mark.browser

NARROWEST = {"width": 320, "height": 640}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def accessible(page, axe) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_a_visitor_reports_a_closed_meeting_on_a_phone_without_javascript(site, chromium, axe):
    from reports.models import Kind, Report

    context = chromium.new_context(java_script_enabled=False, viewport=NARROWEST,
                                   locale="en-GB")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site["url"] + site["meeting"].get_absolute_url())
    page.get_by_role("link", name="Something wrong? Tell us").click()
    page.wait_for_url("**/report/")
    assert no_sideways_scroll(page)

    # Sent with nothing chosen: a kind message, still accessible, still fits.
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Please choose what is wrong with this listing.").is_visible()
    assert no_sideways_scroll(page)

    page.get_by_label("It has closed for good").check()
    page.get_by_label("What should it say? (optional)").fill("The hall says it stopped in May.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/report/thanks/")
    assert page.get_by_role("heading", name="Thank you for telling us").is_visible()
    assert no_sideways_scroll(page)

    report = Report.objects.get()
    assert (report.meeting, report.kind) == (site["meeting"], Kind.CLOSED)
    assert report.details == "The hall says it stopped in May."
    assert context.cookies() == []
    assert all(url.startswith(site["url"]) for url in requested), requested
    context.close()


def test_the_report_form_and_its_errors_are_accessible(site, browser_page, axe):
    page = browser_page
    page.goto(site["url"] + site["meeting"].get_absolute_url() + "report/")
    accessible(page, axe)
    page.get_by_label("Something else").check()
    page.get_by_label("Your email, if you would like a reply (optional)").fill("nope")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Please tell us in a few words what is wrong.").is_visible()
    accessible(page, axe)
    assert page.console_errors == []


def test_staff_apply_a_report_from_the_queue(site, browser_page):
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meetings.models import Status
    from reports.models import Kind, Report

    meeting = site["meeting"]
    Report.objects.create(meeting=meeting, kind=Kind.CLOSED,
                          details="The hall says it stopped in May.")
    Report.objects.create(meeting=meeting, kind=Kind.TIME_CHANGED,
                          details="Now on Wednesdays at 8pm")
    user = User.objects.create_superuser("staff", "staff@example.org", "a-long-passphrase-1")
    app = TOTPDevice.objects.create(user=user, name="Authenticator app")
    page = browser_page
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site['url']}/admin/login/?next=/admin/reports/report/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "a-long-passphrase-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/two-step/code/**")
    page.fill("#id_code", app_code(app))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reports/report/")
    save_screenshot(page, "staff-report-queue")

    page.get_by_role("link", name=meeting.name).last.click()
    assert page.get_by_text("The hall says it stopped in May.").is_visible()
    assert page.get_by_label("Closed the meeting").is_checked()
    save_screenshot(page, "staff-report-review")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/admin/reports/report/?status__exact=new")
    assert page.get_by_text("closed: Closed the meeting").is_visible()

    meeting.refresh_from_db()
    assert meeting.status == Status.CLOSED
    response = page.goto(site["url"] + meeting.get_absolute_url())
    assert response.status == 404  # gone from the site
