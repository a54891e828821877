"""The staff import page: upload, read the dry-run report, confirm."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Meeting

DATA = Path(__file__).parent / "data"
URL = "/admin/import-meetings/"


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_superuser("staff", "staff@example.org", "a-long-passphrase")
    client.force_login(user)
    return client


def upload(name: str = "meeting-guide-small.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def options(**extra) -> dict:
    return {"format": "meeting-guide", "fellowship": "aa", "source_name": "leeds-intergroup",
            "timezone": "Europe/London"} | extra


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
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)
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
