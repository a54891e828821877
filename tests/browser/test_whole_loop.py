"""The whole loop of issue 12 in one real browser: a visitor reports a meeting closed, a
volunteer of its fellowship signs in and applies the report, the meeting is closed and its
history names the report and the volunteer; a volunteer of another fellowship sees none of
it. Each person has their own browser context (their own cookies)."""

import re
from io import StringIO

import pytest

from tests.browser.conftest import DESKTOP, WCAG_22_AA, save_screenshot

pytestmark = pytest.mark.browser


def accessible(page, axe, **context) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}},
                      **context)
    assert results.violations_count == 0, results.generate_report()


def new_volunteer(username: str, fellowship: str, password: str, chromium, url: str):
    """An account made by the real `add_volunteer` command; the volunteer follows the
    link it printed to set a password, then signs in through the admin's sign-in form.
    Returns their page, signed in, on the review queue."""
    from django.core.management import call_command

    out = StringIO()
    call_command("add_volunteer", username, "--fellowship", fellowship, stdout=out)
    link = re.search(r"(http\S+/admin/reset/\S+)", out.getvalue()).group(1)
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB",
                                   timezone_id="Europe/London")
    page = context.new_page()
    page.goto(link)
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reset/done/")
    page.goto(f"{url}/admin/login/?next=/admin/reports/report/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reports/report/")
    return page


def test_a_report_goes_from_a_visitor_to_the_right_volunteer_and_no_one_else(
        site, chromium, axe, settings):
    from django.core.cache import caches

    from meetings.models import Meeting, Status
    from reports.models import Kind, Outcome, Report, ReportStatus

    caches["signin"].clear()  # no failed sign-ins left over from other tests
    url, meeting = site["url"], site["meeting"]  # an AA meeting
    settings.SITE_URL = url

    # 1. A visitor, without JavaScript, reports the meeting closed for good.
    visitor = chromium.new_context(java_script_enabled=False, viewport=DESKTOP,
                                   locale="en-GB")
    page = visitor.new_page()
    page.goto(url + meeting.get_absolute_url())
    page.get_by_role("link", name="Something wrong? Tell us").click()
    page.wait_for_url("**/report/")
    page.get_by_label("It has closed for good").check()
    page.get_by_label("What should it say? (optional)").fill(
        "The church hall says the group stopped meeting in May.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/report/thanks/")
    assert page.get_by_role("heading", name="Thank you for telling us").is_visible()
    assert visitor.cookies() == []
    report = Report.objects.get()
    assert (report.meeting, report.kind, report.status) == (meeting, Kind.CLOSED,
                                                             ReportStatus.NEW)

    # 2. A volunteer of AA signs in, finds it in the queue and closes the meeting.
    jo = new_volunteer("jo", "aa", "tea-and-biscuits-at-seven", chromium, url)
    queue = jo.locator("#result_list")
    assert queue.get_by_role("link", name=f"#{report.pk}").is_visible()
    assert meeting.name in queue.inner_text()
    assert "The church hall says the group stopped meeting in May." in queue.inner_text()
    accessible(jo, axe)
    save_screenshot(jo, "staff-report-queue")
    queue.get_by_role("link", name=f"#{report.pk}").click()
    jo.wait_for_url(f"**/admin/reports/report/{report.pk}/change/")
    assert jo.get_by_label("Closed the meeting").is_checked()  # closed for good → close
    jo.get_by_role("button", name="Apply").click()
    jo.wait_for_url("**/admin/reports/report/?status__exact=new")
    assert jo.get_by_text(f"Report #{report.pk} closed: Closed the meeting").is_visible()

    # 3. The meeting is closed: gone from the visitor's page, closed in the admin, and its
    # history names the report and the volunteer.
    report.refresh_from_db()
    assert (report.status, report.outcome, report.closed_by.username) == (
        ReportStatus.ACCEPTED, Outcome.CLOSE, "jo")
    assert Meeting.objects.get(pk=meeting.pk).status == Status.CLOSED
    # The visitor's browser may keep the page for PUBLIC_MAX_AGE (meetings/http_cache.py);
    # reloading asks the site again, which no longer lists the meeting.
    page.goto(url + meeting.get_absolute_url())
    response = page.reload()
    assert response.status == 404
    assert "the meeting may have closed" in page.locator("main").inner_text()
    assert visitor.cookies() == []
    visitor.close()

    change = f"{url}/admin/meetings/meeting/{meeting.pk}/change/"
    jo.goto(change)
    assert jo.locator("#id_status option:checked").inner_text() == "Closed"
    jo.goto(change.replace("/change/", "/history/"))
    newest = jo.locator("#change-history tbody tr").first
    cells = [cell.inner_text() for cell in newest.locator("td").all()]
    assert cells[1:4] == ["Changed", "jo", f"Report #{report.pk}"], cells
    assert "Status: Active → Closed" in cells[4]
    accessible(jo, axe, context={"include": [["#change-history"]]})
    save_screenshot(jo, "admin-history-desktop")
    jo.context.close()

    # 4. A volunteer of NA sees none of it.
    sam = new_volunteer("sam", "na", "a-pot-of-tea-for-two", chromium, url)
    assert sam.locator("#result_list").count() == 0
    assert "0 reports" in sam.locator("#changelist").inner_text()
    response = sam.goto(f"{url}/admin/reports/report/{report.pk}/change/")
    assert response.status == 404
    # The admin answers an edit page it cannot find by going home, saying so.
    sam.goto(change)
    assert sam.url == f"{url}/admin/"
    assert "doesn’t exist" in sam.locator(".messagelist").inner_text()
    response = sam.goto(change.replace("/change/", "/history/"))
    assert response.status == 403
    sam.context.close()
