"""What the Meeting model refuses, so that the admin's forms refuse it too."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Format, Meeting
from tests.factories import make_fellowship, make_meeting, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    sign_in(client, django_user_model.objects.create_user(
        "curator", is_staff=True, is_superuser=True))
    return client


def online_meeting_form(fellowship, **fields) -> dict:
    return {
        "fellowship": fellowship.pk, "name": "Lunchtime Online", "status": "active",
        "weekday": 2, "recurrence": "weekly", "start_time": "12:30",
        "timezone": "Europe/London", "format": "online", "access": "",
        "online_url": "https://zoom.example/j/123",
    } | fields


@pytest.mark.parametrize("link", ["https://user:secret@zoom.example/j/1",
                                  "https://user@zoom.example/j/1",
                                  "https://:secret@zoom.example/j/1"])
def test_a_joining_link_with_a_user_name_or_password_is_refused(link):
    meeting = make_meeting(format=Format.ONLINE)
    meeting.online_url = link
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "Take the user name or password out of this link" in str(refused.value)


def test_a_joining_link_with_a_passcode_in_its_query_is_fine():
    meeting = make_meeting(format=Format.ONLINE,
                           online_url="https://zoom.example/j/123?pwd=abc@def")
    meeting.full_clean()


def test_the_admin_refuses_a_link_with_credentials(staff_client):
    aa = make_fellowship(slug="aa")
    response = staff_client.post(reverse("admin:meetings_meeting_add"), online_meeting_form(
        aa, online_url="https://user:secret@zoom.example/j/1"))
    assert response.status_code == 200
    assert "Take the user name or password out of this link" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("zone", ["America", "x" * 60, "Europe/Londn"])
def test_the_admin_refuses_a_time_zone_that_is_not_one(staff_client, zone):
    aa = make_fellowship(slug="aa")
    response = staff_client.post(reverse("admin:meetings_meeting_add"),
                                 online_meeting_form(aa, timezone=zone))
    assert response.status_code == 200
    assert "is not a time zone name such as Europe/London" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_stored_zone_that_is_not_one_does_not_break_the_pages(client):
    # Saved before the model checked it: the meeting reads as UK time, not a 500.
    meeting = make_meeting(name="Old Listing")
    Meeting.objects.filter(pk=meeting.pk).update(timezone="America")
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert "Old Listing" in client.get("/meetings/").content.decode()
