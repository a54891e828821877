"""A meeting's own page: everything someone needs to get through the door."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from groups.models import Group
from meetings.models import Format, Status
from meetings.schedule import LONDON
from tests.factories import make_meeting, make_venue


@pytest.fixture
def meeting(fellowships, monkeypatch):
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2024, 12, 10, 12, 0, tzinfo=LONDON)
    )
    group = Group.objects.create(fellowship=fellowships["aa"], name="Headingley Group",
                                 email="headingley@example.org", phone="0113 000 0000")
    venue = make_venue(name="Quaker Meeting House", address_line1="188 Woodhouse Lane",
                       town="Leeds", postcode="LS2 9DX", latitude=53.8069, longitude=-1.5536,
                       step_free=True, hearing_loop=True,
                       directions="Side door on Clarendon Road; the room is on the left.")
    return make_meeting(name="Tuesday Night Group", fellowship=fellowships["aa"], group=group,
                        weekday=1, venue=venue, format=Format.HYBRID,
                        online_url="https://example.org/join/42", online_notes="Passcode 1935",
                        features=["newcomers"], notes="Tea from 7pm.",
                        last_verified=datetime.date(2024, 11, 20))


def test_shows_when_where_and_how_to_join(client, meeting):
    html = client.get(meeting.get_absolute_url()).content.decode()
    for text in ["Tuesday Night Group", "Alcoholics Anonymous", "Tonight 7:30pm",
                 "Every Tuesday, 7:30pm to 8:30pm", "Quaker Meeting House",
                 "188 Woodhouse Lane", "LS2 9DX", "Side door on Clarendon Road",
                 "Step-free access for wheelchair users", "Hearing loop",
                 "Accessible toilet: not confirmed", "https://example.org/join/42",
                 "Passcode 1935", "Newcomers welcome", "Tea from 7pm.",
                 "Last checked 20 November 2024", "You don't have to speak"]:
        assert text in html, text


def test_links_to_the_map_the_calendar_file_and_the_helplines(client, meeting):
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "https://www.openstreetmap.org/?mlat=53.8069&amp;mlon=-1.5536" in html
    assert "https://www.openstreetmap.org/directions?to=53.8069%2C-1.5536" in html
    # Times are written one way, as in the results, in the page's description too.
    assert "Alcoholics Anonymous: Every Tuesday, 7:30pm, Leeds." in html
    assert "p.m." not in html
    assert f'href="/meetings/{meeting.slug}.ics"' in html
    assert 'href="mailto:headingley@example.org"' in html
    assert 'href="tel:01130000000"' in html
    assert 'href="tel:08009177650"' in html  # AA's national helpline


def test_has_schema_org_event_data(client, meeting):
    html = client.get(meeting.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Tuesday Night Group"
    assert data["startDate"] == "2024-12-10T19:30:00+00:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"][0]["address"]["postalCode"] == "LS2 9DX"


def test_json_ld_cannot_break_out_of_its_script(client, meeting):
    meeting.name = "</script><script>alert(1)</script>"
    meeting.save()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_a_suspended_meeting_says_so_and_gives_no_next_date(client, meeting):
    meeting.status = Status.SUSPENDED
    meeting.save()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "temporarily suspended" in html
    assert "Not meeting for now" in html and "Tonight 7:30pm" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(block.group(1))["eventStatus"] == "https://schema.org/EventPostponed"


def test_a_closed_meeting_of_a_family_fellowship_does_not_turn_families_away(
    client, fellowships
):
    meeting = make_meeting(fellowship=fellowships["al-anon"], access="closed")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Closed: for members, the people this fellowship is for" in html
    assert "help with the problem themselves" not in html


def test_before_you_go_fits_how_the_meeting_is_held(client, meeting, fellowships):
    assert "show you where to sit" in client.get(meeting.get_absolute_url()).content.decode()
    online = make_meeting(fellowship=fellowships["na"], format=Format.ONLINE,
                          online_url="https://example.org/j")
    html = client.get(online.get_absolute_url()).content.decode()
    assert "Join a few minutes early" in html and "show you where to sit" not in html


def test_a_closed_meeting_is_not_found(client, meeting):
    meeting.status = Status.CLOSED
    meeting.save()
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_an_online_meeting_has_no_address(client, fellowships):
    meeting = make_meeting(fellowship=fellowships["na"], format=Format.ONLINE,
                           online_phone="0300 111 2222")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Joining online" in html and "0300 111 2222" in html
    assert "<address>" not in html


def test_queries_are_few(client, meeting, django_assert_num_queries):
    client.get(meeting.get_absolute_url())  # reads the shared lists (meetings.catalogue)
    # The meeting, its features, its languages, and the towns for its venue's small map.
    with django_assert_num_queries(4):
        client.get(meeting.get_absolute_url())


def test_venue_without_coordinates_has_no_map_link(client, fellowships):
    venue = make_venue(latitude=None, longitude=None)
    meeting = make_meeting(fellowship=fellowships["aa"], venue=venue)
    assert b"openstreetmap" not in client.get(meeting.get_absolute_url()).content
