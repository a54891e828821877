"""The staff import page in a real browser: a long report line wraps, and the checked file
is confirmed without choosing it again."""

import json

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import app_code

pytestmark = pytest.mark.browser

LONG_NAME = "A meeting name far longer than any line of the page " * 6


@pytest.fixture
def staff(live_server, transactional_db, browser_page, tmp_path, settings):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    settings.STORAGES = {**settings.STORAGES, "imports": {
        **settings.STORAGES["imports"],
        "OPTIONS": {**settings.STORAGES["imports"]["OPTIONS"], "location": tmp_path / "up"}}}
    call_command("loaddata", "fellowships", verbosity=0)
    user = User.objects.create_superuser("staff", "staff@example.org", "a-long-passphrase-1")
    app = TOTPDevice.objects.create(user=user, name="Authenticator app")
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/import-meetings/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "a-long-passphrase-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/two-step/code/**")
    page.fill("#id_code", app_code(app))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/import-meetings/")
    return page


def test_a_long_report_line_wraps_and_the_checked_file_is_confirmed(staff, tmp_path):
    from meetings.models import Meeting

    page = staff
    page.set_viewport_size({"width": 800, "height": 900})
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([
        {"name": "Headingley Step", "slug": "headingley", "day": 1, "time": "19:30",
         "formatted_address": "1 St Michael's Road, Leeds LS6 3BG, UK", "approximate": "no",
         "notes": f"Write to {'x' * 150}@example.com"},
        {"name": LONG_NAME, "slug": "long", "day": 1, "time": "7pm-ish",
         "formatted_address": "2 St Michael's Road, Leeds LS6 3BG, UK", "approximate": "no"},
    ]))
    page.set_input_files("#id_file", str(feed))
    page.select_option("#id_fellowship", "aa")
    page.fill("#id_source_name", "leeds")
    page.check("#id_allow_partial")
    page.click("input[name=preview]")
    report = page.locator(".import-report")
    assert "time = '7pm-ish'" in report.inner_text()
    assert report.evaluate("list => list.scrollWidth - list.clientWidth") <= 0
    assert page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth") <= 0
    assert "Kept from your check: feed.json" in page.content()
    page.click("input[name=confirm]")
    page.wait_for_url("**/admin/meetings/meeting/")
    assert list(Meeting.objects.values_list("source_id", flat=True)) == ["headingley"]
    assert list((tmp_path / "up").iterdir()) == []
