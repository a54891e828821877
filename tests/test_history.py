"""History of every change (issue 12, part 3): who or what changed a listing, when, and
each field's old and new value, from admin forms, bulk actions, imports and commands;
staff read it on the admin history page and can restore an earlier version."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from groups.models import Fellowship
from meetings.importers import run_import
from meetings.models import Feature, Meeting, Status, Venue
from staff import history
from tests.factories import make_fellowship, make_meeting, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, curator):
    sign_in(client, curator)
    return client


def form_data(meeting: Meeting, **changes) -> dict:
    """The meeting's admin form as staff would post it, with some fields changed."""
    data = {
        "fellowship": meeting.fellowship_id, "group": meeting.group_id or "",
        "name": meeting.name, "slug": meeting.slug, "status": meeting.status,
        "weekday": meeting.weekday, "recurrence": meeting.recurrence,
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "timezone": meeting.timezone, "format": meeting.format, "venue": meeting.venue_id or "",
        "online_url": meeting.online_url, "online_phone": meeting.online_phone,
        "online_notes": meeting.online_notes, "access": meeting.access,
        "features": [f.pk for f in meeting.features.all()],
        "languages": [lang.pk for lang in meeting.languages.all()],
        "notes": meeting.notes, "last_verified": "",
    }
    return data | changes


def changes(record) -> dict:
    """{field: (old, new)} of a history record against the one before it."""
    delta = record.diff_against(record.prev_record)
    return {change.field: (change.old, change.new) for change in delta.changes}


def test_an_admin_edit_is_one_record_naming_the_user_the_form_and_each_change(
        staff_client, curator):
    meeting = make_meeting(name="Calder Valley Serenity", features=["newcomers"])
    before = meeting.history.count()
    response = staff_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        form_data(meeting, status="suspended", start_time="20:00",
                  features=[Feature.objects.get(slug="women").pk]))
    assert response.status_code == 302
    record = meeting.history.latest()
    assert meeting.history.count() == before + 1
    assert record.history_user == curator
    assert record.history_change_reason == "Admin form"
    assert record.history_type == "~"
    found = changes(record)
    assert found["status"] == ("active", "suspended")
    assert found["start_time"] == (datetime.time(19, 30), datetime.time(20, 0))
    women = Feature.objects.get(slug="women").pk
    newcomers = Feature.objects.get(slug="newcomers").pk
    assert [row["feature"] for row in found["features"][0]] == [newcomers]
    assert [row["feature"] for row in found["features"][1]] == [women]


def test_the_history_page_shows_each_change_in_the_forms_words(staff_client):
    meeting = make_meeting(features=["newcomers"])
    staff_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                      form_data(meeting, status="suspended", weekday=1,
                                features=[Feature.objects.get(slug="women").pk]))
    page = staff_client.get(reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Status:</strong> Active → Temporarily suspended" in text
    assert "<strong>Day:</strong> Monday → Tuesday" in text
    assert "<strong>Features:</strong> Newcomers welcome → Women only" in text
    assert "Admin form" in text and "curator" in text


def test_a_new_meeting_from_the_admin_is_one_created_record_with_its_features(staff_client):
    fellowship = make_fellowship()
    response = staff_client.post(reverse("admin:meetings_meeting_add"), {
        "fellowship": fellowship.pk, "name": "Lunchtime Online", "status": "active",
        "weekday": 2, "recurrence": "weekly", "start_time": "12:00",
        "timezone": "Europe/London", "format": "online",
        "online_url": "https://example.org/join/1", "access": "",
        "features": [Feature.objects.get(slug="women").pk], "languages": ["en", "pl"],
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get(name="Lunchtime Online")
    [record] = meeting.history.all()
    assert record.history_type == "+"
    assert [row.feature.slug for row in record.features.all()] == ["women"]
    assert sorted(row.language_id for row in record.languages.all()) == ["en", "pl"]


def test_a_bulk_action_records_each_meeting_with_the_action_and_the_user(staff_client,
                                                                        curator):
    chosen = [make_meeting(), make_meeting()]
    other = make_meeting()
    staff_client.post(reverse("admin:meetings_meeting_changelist"), {
        "action": "suspend", "_selected_action": [m.pk for m in chosen]})
    for meeting in chosen:
        record = meeting.history.latest()
        assert record.history_change_reason == (
            "Admin bulk action “Suspend selected meetings (temporarily not running)”")
        assert record.history_user == curator
        assert changes(record) == {"status": ("active", "suspended")}
    assert other.history.count() == 1


def test_mark_verified_today_is_recorded_too(staff_client):
    meeting = make_meeting()
    staff_client.post(reverse("admin:meetings_meeting_changelist"), {
        "action": "mark_verified_today", "_selected_action": [meeting.pk]})
    record = meeting.history.latest()
    assert record.history_change_reason.startswith("Admin bulk action “Mark selected")
    assert list(changes(record)) == ["last_verified"]


FEED = [
    {"name": "Hope", "slug": "hope", "day": 1, "time": "19:30", "types": ["O", "W"],
     "location": "Quaker Meeting House", "formatted_address": "Woodhouse Lane, Leeds LS2 3AA, UK",
     "group": "Hope Group"},
    {"name": "Serenity", "slug": "serenity", "day": 3, "time": "12:00", "types": ["C"],
     "conference_url": "https://example.org/j/1"},
]


def test_an_import_records_new_and_changed_listings_naming_its_source(fellowships):
    aa = fellowships["aa"]
    run_import(json.dumps(FEED).encode(), fmt="meeting-guide", source="leedsaa.org",
               fellowship=aa)
    hope = Meeting.objects.get(source_id="hope")
    [created] = hope.history.all()
    assert created.history_type == "+"
    assert created.history_change_reason == "Import “leedsaa.org”"
    assert created.history_user is None
    assert [row.feature.slug for row in created.features.all()] == ["women"]
    assert created.access == "open"
    venue_record = hope.venue.history.get()
    assert venue_record.history_change_reason == "Import “leedsaa.org”"
    assert hope.group.history.get().history_type == "+"

    # Unchanged: nothing to record. Then a new time and one meeting gone.
    run_import(json.dumps(FEED).encode(), fmt="meeting-guide", source="leedsaa.org",
               fellowship=aa)
    assert hope.history.count() == 1
    changed = [FEED[0] | {"time": "20:00"}]
    run_import(json.dumps(changed).encode(), fmt="meeting-guide", source="leedsaa.org",
               fellowship=aa)
    record = hope.history.latest()
    assert record.history_change_reason == "Import “leedsaa.org”"
    assert changes(record) == {"start_time": (datetime.time(19, 30), datetime.time(20, 0))}
    closed = Meeting.objects.get(source_id="serenity").history.latest()
    assert changes(closed) == {"status": ("active", "closed")}


def test_the_import_command_names_the_file(fellowships, tmp_path):
    path = tmp_path / "sussex.json"
    path.write_text(json.dumps(FEED))
    call_command("import_meetings", str(path), "--fellowship", "aa", stdout=StringIO())
    record = Meeting.objects.get(source_id="hope").history.get()
    assert record.history_change_reason == "Import “sussex.json”"


def test_a_dry_run_records_nothing(fellowships):
    run_import(json.dumps(FEED).encode(), fmt="meeting-guide", source="leedsaa.org",
               fellowship=fellowships["aa"], dry_run=True)
    assert not Meeting.history.exists() and not Venue.history.exists()


def test_load_fellowships_records_what_it_wrote(db):
    call_command("load_fellowships", stdout=StringIO())
    aa = Fellowship.objects.get(slug="aa")
    assert aa.history.get().history_change_reason == "Management command “load_fellowships”"
    aa.helpline = "0000"
    aa.save()
    call_command("load_fellowships", "--update", "aa", stdout=StringIO())  # the shipped one
    record = aa.history.latest()
    assert record.history_type == "~"
    assert changes(record)["helpline"][0] == "0000"


def test_staff_restore_an_earlier_version_with_its_features(staff_client, curator):
    meeting = make_meeting(name="Hope", features=["newcomers"])
    first = meeting.history.latest()
    staff_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                      form_data(meeting, name="Hope (moved)", status="suspended",
                                features=[Feature.objects.get(slug="women").pk]))
    url = reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, first.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["name"] == "Hope"
    assert form.initial["features"] == [Feature.objects.get(slug="newcomers").pk]

    version = first.instance
    data = form_data(version, features=[Feature.objects.get(slug="newcomers").pk])
    assert staff_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.name, meeting.status) == ("Hope", Status.ACTIVE)
    assert [f.slug for f in meeting.features.all()] == ["newcomers"]
    record = meeting.history.latest()
    assert record.history_change_reason == history.restored(first.history_date)
    assert record.history_user == curator


def test_deleting_in_the_admin_is_recorded(staff_client, curator):
    meeting = make_meeting()
    staff_client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]),
                      {"post": "yes"})
    record = Meeting.history.filter(id=meeting.pk).latest()
    assert record.history_type == "-"
    assert record.history_change_reason == "Deleted in the admin"
    assert record.history_user == curator
