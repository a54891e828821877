"""The staff import page: upload, read the dry-run report, confirm."""

import json
import os
import re
import stat
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Meeting
from tests.factories import sign_in

DATA = Path(__file__).parent / "data"
URL = "/admin/import-meetings/"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path) -> Path:
    """Each test keeps its uploads in a folder of its own."""
    folder = tmp_path / "imports"
    settings.STORAGES = {**settings.STORAGES, "imports": {
        **settings.STORAGES["imports"],
        "OPTIONS": {**settings.STORAGES["imports"]["OPTIONS"], "location": folder}}}
    return folder


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_superuser("staff", "staff@example.org", "a-long-passphrase")
    sign_in(client, user)
    return client


def upload(name: str = "meeting-guide-small.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def options(**extra) -> dict:
    return {"format": "meeting-guide", "fellowship": "aa", "source_name": "leeds-intergroup",
            "timezone": ""} | extra


def test_only_staff_may_import(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_page_shows_the_upload_form(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert b"Check this file (dry run)" in response.content


def test_uploading_shows_the_dry_run_report_and_writes_nothing(staff_client, fellowships):
    response = staff_client.post(URL, options(file=upload()))
    assert response.status_code == 200
    assert "5 meetings new" in response.content.decode()
    assert b"Confirm and import" in response.content
    assert not Meeting.objects.exists()


def test_confirming_imports_the_previewed_file(staff_client, fellowships):
    preview = staff_client.post(URL, options(file=upload())).content.decode()
    token = token_in(preview)
    response = staff_client.post(URL, options(token=token, confirm="1"))
    assert response.status_code == 302
    assert Meeting.objects.filter(source="leeds-intergroup").count() == 5


def test_a_file_with_bad_rows_cannot_be_confirmed(staff_client, fellowships):
    response = staff_client.post(URL, options(file=upload("meeting-guide-bad.json")))
    content = response.content.decode()
    assert "item 2 (Bad Day): day = &#x27;7&#x27;" in content
    assert "Confirm and import" not in content


def test_a_file_that_is_not_a_feed_is_refused_clearly(staff_client, fellowships):
    bad = SimpleUploadedFile("notes.json", b"hello")
    response = staff_client.post(URL, options(file=bad))
    assert "Not a Meeting Guide JSON feed" in response.content.decode()


def token_in(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def feed_file(items: list, name: str = "feed.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(items).encode())


LEEDS = {"name": "Headingley Step", "slug": "headingley-step", "day": 1, "time": "19:30",
         "formatted_address": "1 St Michael's Road, Leeds LS6 3BG, UK", "approximate": "no"}
PARIS = {"name": "Paris Serenity", "slug": "paris", "day": 1, "time": "19:30",
         "formatted_address": "8 Rue Roquépine, 75008 Paris, France", "approximate": "no",
         "latitude": 48.8738, "longitude": 2.3176}


def test_required_fields_are_marked(staff_client):
    page = staff_client.get(URL).content.decode()
    for label in ["File", "Format", "Source name"]:
        assert re.search(rf'class="required">{label} <span class="required-mark">\(required\)',
                         page)
    for label in ["Fellowship", "Time zone", "Include in-person meetings outside the UK"]:
        assert re.search(rf'<label for="[^"]+">{label}</label>', page)
    assert re.search(r'<input type="file" name="file" required', page)


def test_the_page_speaks_of_its_own_fields_not_command_line_options(staff_client, fellowships):
    no_fellowship = staff_client.post(URL, options(file=upload(), fellowship="")).content.decode()
    assert "choose their fellowship in the Fellowship field" in no_fellowship
    bad = staff_client.post(URL, options(file=upload("meeting-guide-bad.json"))).content.decode()
    assert "Nothing was written: fix the errors, or tick “Import the rows that were " \
        "understood” and check again." in bad
    abroad = staff_client.post(URL, options(file=feed_file([PARIS, LEEDS]))).content.decode()
    assert "1 in-person or hybrid meetings outside the UK were left out: tick “Include " \
        "in-person meetings outside the UK” to import them." in abroad
    no_zone = staff_client.post(URL, options(
        file=feed_file([PARIS | {"latitude": None, "longitude": None}]),
        include_outside_uk="on")).content.decode()
    assert "choose the time zone of the file&#x27;s times in the Time zone field" in no_zone
    for page in [no_fellowship, bad, abroad, no_zone]:
        # Attribute values are left out: the kept file's signed name is URL-safe base64,
        # which may hold "--" followed by a letter.
        words = re.sub(r'value="[^"]*"', "", page.split('id="content-main"')[1])
        assert not re.search(r"--[a-z]", words)


def test_meetings_outside_the_uk_are_imported_when_the_box_is_ticked(staff_client, fellowships):
    preview = staff_client.post(URL, options(file=feed_file([PARIS, LEEDS]),
                                             include_outside_uk="on")).content.decode()
    assert "1 meetings are at venues outside the UK" in preview
    staff_client.post(URL, options(token=token_in(preview), confirm="1",
                                   include_outside_uk="on"))
    assert Meeting.objects.get(source_id="paris").timezone == "Europe/Paris"


def test_a_time_zone_that_is_not_one_is_refused_by_the_form(staff_client, fellowships):
    page = staff_client.post(URL, options(file=upload(), timezone="America")).content.decode()
    assert "Select a valid choice. America is not one of the available choices." in page
    assert "What this import would do" not in page


def test_the_checked_file_is_kept_for_the_confirm_step(staff_client, fellowships, uploads):
    preview = staff_client.post(URL, options(file=upload())).content.decode()
    assert "Kept from your check: meeting-guide-small.json" in preview
    assert not re.search(r'<input type="file" name="file" required', preview)
    # Kept privately, under a name the page does not show: the token is signed.
    [kept] = uploads.iterdir()
    assert kept.name not in preview
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700
    # Checking again with other choices reads the same kept file.
    again = staff_client.post(URL, options(token=token_in(preview), preview="1",
                                           overwrite_edits="on")).content.decode()
    assert "5 meetings new" in again
    response = staff_client.post(URL, options(token=token_in(again), confirm="1",
                                              overwrite_edits="on"))
    assert response.status_code == 302
    assert Meeting.objects.filter(source="leeds-intergroup").count() == 5
    assert list(uploads.iterdir()) == []  # deleted once the import ended


def test_a_confirm_with_other_choices_than_the_check_checks_again(staff_client, fellowships):
    preview = staff_client.post(URL, options(file=upload())).content.decode()
    page = staff_client.post(URL, options(token=token_in(preview), confirm="1",
                                          source_name="another-name"), follow=True)
    assert "The file or the choices changed since the check" in page.content.decode()
    assert "What this import would do" in page.content.decode()
    assert not Meeting.objects.exists()


def test_a_token_tampered_with_or_of_another_user_keeps_nothing(staff_client, client,
                                                                 fellowships):
    preview = staff_client.post(URL, options(file=upload())).content.decode()
    token = token_in(preview)
    forged = staff_client.post(URL, options(token=token[:-2] + "xx", confirm="1"))
    assert "The file you checked is no longer kept" in forged.content.decode()
    other = User.objects.create_superuser("other", "other@example.org", "another-passphrase")
    sign_in(client, other)
    response = client.post(URL, options(token=token, confirm="1"))
    assert "The file you checked is no longer kept" in response.content.decode()
    assert not Meeting.objects.exists()


def test_uploaded_files_are_deleted_when_the_import_ends_either_way(staff_client, fellowships,
                                                                   uploads):
    # A file that cannot be read at all is deleted at once.
    staff_client.post(URL, options(file=SimpleUploadedFile("notes.json", b"hello")))
    assert list(uploads.iterdir()) == []
    # A confirmed import that writes nothing (its rows have errors) deletes it too.
    preview = staff_client.post(URL, options(file=upload("meeting-guide-bad.json")))
    response = staff_client.post(URL, options(token=token_in(preview.content.decode()),
                                              confirm="1"))
    assert "Nothing was written" in response.content.decode()
    assert list(uploads.iterdir()) == []
    assert not Meeting.objects.exists()


def test_uploads_left_by_checks_nobody_confirmed_are_deleted_after_an_hour(staff_client,
                                                                          fellowships, uploads):
    staff_client.post(URL, options(file=upload()))
    [kept] = uploads.iterdir()
    two_hours_ago = time.time() - 7200
    os.utime(kept, (two_hours_ago, two_hours_ago))
    staff_client.get(URL)
    assert list(uploads.iterdir()) == []


def test_a_file_over_the_size_limit_is_refused_and_not_kept(staff_client, uploads, settings):
    settings.IMPORT_MAX_BYTES = 100
    page = staff_client.post(URL, options(file=upload())).content.decode()
    assert "The file is larger than 100" in page
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_long_report_lines_are_a_list_the_page_wraps(staff_client, fellowships):
    long_name = "Serenity " * 30
    page = staff_client.post(URL, options(file=feed_file([LEEDS | {"time": long_name}])))
    content = page.content.decode()
    assert '<ul class="import-report">' in content and "<pre" not in content
    assert re.search(r'<li class="detail">item 1 \(Headingley Step\): time = ', content)
    assert re.search(r'href="/static/css/admin-import\.[0-9a-f]+\.css"', content)
    css = (Path(__file__).parents[1] / "static/css/admin-import.css").read_text()
    assert "overflow-wrap: anywhere" in css and "white-space: pre-wrap" in css
