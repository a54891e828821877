"""A volunteer in a real browser: follows the link add_volunteer printed, sets a password,
signs in, suspends one of their meetings, and reads its history; another fellowship's
meeting is not in their list."""

import re
from io import StringIO

import pytest

from tests.browser.conftest import SCREENSHOTS, WCAG_22_AA

pytestmark = pytest.mark.browser
PASSWORD = "tea-and-biscuits-at-seven"


def test_a_volunteer_sets_a_password_suspends_a_meeting_and_reads_its_history(
        live_server, transactional_db, browser_page, axe, settings):
    from django.core.management import call_command

    from meetings.models import Feature, Meeting, Status
    from tests.factories import make_fellowship, make_meeting

    # Other transactional tests may have emptied the features the migration made.
    for slug, name in [("newcomers", "Newcomers welcome"), ("women", "Women only")]:
        Feature.objects.get_or_create(slug=slug, defaults={"name": name})
    aa = make_fellowship(name="Alcoholics Anonymous", short_name="AA", slug="aa")
    na = make_fellowship(name="Narcotics Anonymous", short_name="NA", slug="na")
    meeting = make_meeting(name="Headingley Serenity", fellowship=aa, features=["newcomers"])
    make_meeting(name="Clean and Serene", fellowship=na)
    settings.SITE_URL = live_server.url
    out = StringIO()
    call_command("add_volunteer", "jo", "--fellowship", "aa", stdout=out)
    link = re.search(r"(http\S+/admin/reset/\S+)", out.getvalue()).group(1)

    page = browser_page
    page.goto(link)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reset/done/")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/meetings/meeting/")
    page.fill("#id_username", "jo")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/meetings/meeting/")
    assert "Headingley Serenity" in page.content()
    assert "Clean and Serene" not in page.content()

    page.check(f"input[name=_selected_action][value='{meeting.pk}']")
    page.select_option("select[name=action]", "suspend")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert Meeting.objects.get(pk=meeting.pk).status == Status.SUSPENDED

    # Then an edit in the form: the Women only feature instead of Newcomers welcome.
    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    women = Feature.objects.get(slug="women").pk
    newcomers = Feature.objects.get(slug="newcomers").pk
    # The admin's two-box chooser: Newcomers back to the left, Women only to the right.
    page.select_option("#id_features_to", [str(newcomers)])
    page.click("#id_features_remove")
    page.select_option("#id_features_from", [str(women)])
    page.click("#id_features_add")
    page.fill("#id_notes", "Moved to the upstairs room.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/meetings/meeting/")
    assert list(Meeting.objects.get(pk=meeting.pk).features.values_list("pk", flat=True)) == [
        women]

    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/history/")
    table = page.locator("#change-history").inner_text()
    assert "Features: Newcomers welcome → Women only" in table
    assert "Status: Active → Temporarily suspended" in table
    assert "Admin bulk action “Suspend selected meetings (temporarily not running)”" in table
    assert "jo" in table
    page.set_viewport_size({"width": 1280, "height": 700})
    page.screenshot(path=str(SCREENSHOTS / "admin-history-desktop.png"), full_page=True)
    results = axe.run(page, context={"include": [["#change-history"]]},
                      options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
