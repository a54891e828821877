"""Calendar files: one recurring event per meeting, right in UK local time all year."""

import datetime
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from meetings.calendar import next_start
from meetings.models import Format, Recurrence, Status, Weekday
from tests.factories import make_meeting, make_venue

LONDON = ZoneInfo("Europe/London")


def only_event(response):
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def occurrences(event, count: int) -> list[datetime.datetime]:
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    return list(itertools.islice(rule, count))


def test_next_start_is_today_until_the_meeting_ends(db):
    meeting = make_meeting(weekday=Weekday.MONDAY, start_time=datetime.time(19, 30))
    before = datetime.datetime(2026, 3, 23, 19, 0, tzinfo=LONDON)
    after = datetime.datetime(2026, 3, 23, 20, 31, tzinfo=LONDON)
    assert next_start(meeting, before) == datetime.datetime(2026, 3, 23, 19, 30, tzinfo=LONDON)
    assert next_start(meeting, after) == datetime.datetime(2026, 3, 30, 19, 30, tzinfo=LONDON)


def test_meeting_ics_is_a_calendar_with_a_london_timezone(client, db):
    meeting = make_meeting()
    response = client.get(f"/meetings/{meeting.slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal, event = only_event(response)
    timezones = cal.walk("VTIMEZONE")
    assert [tz["TZID"] for tz in timezones] == ["Europe/London"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_weekly_meeting_repeats_every_week_on_its_day(client, db):
    meeting = make_meeting(weekday=Weekday.WEDNESDAY)
    _cal, event = only_event(client.get(f"/meetings/{meeting.slug}.ics"))
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=WE"
    assert event.decoded("dtstart").weekday() == Weekday.WEDNESDAY


@pytest.mark.parametrize(
    ("recurrence", "byday"),
    [(Recurrence.FIRST, b"1TU"), (Recurrence.THIRD, b"3TU"), (Recurrence.LAST, b"-1TU")],
)
def test_monthly_meetings_repeat_on_the_nth_weekday(client, db, recurrence, byday):
    meeting = make_meeting(weekday=Weekday.TUESDAY, recurrence=recurrence)
    _cal, event = only_event(client.get(f"/meetings/{meeting.slug}.ics"))
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=" + byday


def test_last_tuesday_events_fall_on_the_last_tuesdays(db):
    meeting = make_meeting(weekday=Weekday.TUESDAY, recurrence=Recurrence.LAST)
    from meetings.calendar import meeting_event

    now = datetime.datetime(2026, 1, 1, tzinfo=LONDON)
    event = meeting_event(meeting, "https://example.org/m/", "example.org", now)
    dates = [when.date() for when in occurrences(event, 4)]
    assert dates == [
        datetime.date(2026, 1, 27),
        datetime.date(2026, 2, 24),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 28),
    ]


def test_events_keep_local_time_across_the_spring_clock_change(db):
    # Clocks go forward on Sunday 29 March 2026: 19:30 is 19:30 GMT before, 18:30 UTC after.
    meeting = make_meeting(weekday=Weekday.MONDAY, start_time=datetime.time(19, 30))
    from meetings.calendar import meeting_event

    now = datetime.datetime(2026, 3, 20, tzinfo=LONDON)
    cal = Calendar()
    cal.add_component(meeting_event(meeting, "https://example.org/m/", "example.org", now))
    cal.add_missing_timezones()
    event = Calendar.from_ical(cal.to_ical()).walk("VEVENT")[0]
    first, second = occurrences(event, 2)
    assert (first.date(), second.date()) == (datetime.date(2026, 3, 23), datetime.date(2026, 3, 30))
    assert first.astimezone(datetime.UTC).time() == datetime.time(19, 30)
    assert second.astimezone(datetime.UTC).time() == datetime.time(18, 30)
    assert (first.hour, first.minute) == (second.hour, second.minute) == (19, 30)


def test_event_ends_at_the_end_time_or_lasts_an_hour(client, db):
    timed = make_meeting(start_time=datetime.time(19), end_time=datetime.time(20, 30))
    untimed = make_meeting(start_time=datetime.time(19), end_time=None)
    _cal, event = only_event(client.get(f"/meetings/{timed.slug}.ics"))
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=90)
    _cal, event = only_event(client.get(f"/meetings/{untimed.slug}.ics"))
    assert event.decoded("duration") == datetime.timedelta(hours=1)


def test_in_person_event_is_located_at_the_venue_and_links_back(client, db):
    venue = make_venue(name="Quaker Meeting House", address_line1="188 Woodhouse Lane",
                       town="Leeds", postcode="LS2 9DX")
    meeting = make_meeting(venue=venue)
    _cal, event = only_event(client.get(f"/meetings/{meeting.slug}.ics"))
    assert str(event["LOCATION"]) == (
        "Quaker Meeting House, 188 Woodhouse Lane, Leeds, LS2 9DX"
    )
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.slug}/"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"


def test_online_event_is_located_at_its_joining_link(client, db):
    meeting = make_meeting(format=Format.ONLINE, online_url="https://zoom.example/j/1")
    _cal, event = only_event(client.get(f"/meetings/{meeting.slug}.ics"))
    assert str(event["LOCATION"]) == "https://zoom.example/j/1"
    assert "https://zoom.example/j/1" in str(event["DESCRIPTION"])


def test_uid_is_stable_between_downloads(client, db):
    meeting = make_meeting()
    first = only_event(client.get(f"/meetings/{meeting.slug}.ics"))[1]["UID"]
    second = only_event(client.get(f"/meetings/{meeting.slug}.ics"))[1]["UID"]
    assert first == second


def test_suspended_meeting_is_tentative_and_says_so(client, db):
    meeting = make_meeting(status=Status.SUSPENDED)
    _cal, event = only_event(client.get(f"/meetings/{meeting.slug}.ics"))
    assert event["STATUS"] == "TENTATIVE"
    assert "temporarily suspended" in str(event["SUMMARY"])


def test_closed_meeting_has_no_calendar(client, db):
    meeting = make_meeting(status=Status.CLOSED)
    assert client.get(f"/meetings/{meeting.slug}.ics").status_code == 404


def test_meeting_in_another_time_zone_carries_that_zone(client, db):
    meeting = make_meeting(format=Format.ONLINE, timezone="America/New_York")
    cal, event = only_event(client.get(f"/meetings/{meeting.slug}.ics"))
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert "America/New_York" in [tz["TZID"] for tz in cal.walk("VTIMEZONE")]


def test_calendar_allows_cross_origin_get_and_short_public_caching(client, db):
    meeting = make_meeting()
    response = client.get(f"/meetings/{meeting.slug}.ics")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    again = client.get(f"/meetings/{meeting.slug}.ics", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_events_keep_local_time_across_the_autumn_clock_change(db):
    # Clocks go back on Sunday 25 October 2026: 10:00 BST is 09:00 UTC, then 10:00 UTC.
    meeting = make_meeting(weekday=Weekday.SUNDAY, start_time=datetime.time(10, 0),
                           end_time=datetime.time(11, 0))
    from meetings.calendar import meeting_event

    now = datetime.datetime(2026, 10, 12, tzinfo=LONDON)
    cal = Calendar()
    cal.add_component(meeting_event(meeting, "https://example.org/m/", "example.org", now))
    cal.add_missing_timezones()
    event = Calendar.from_ical(cal.to_ical()).walk("VEVENT")[0]
    dates_and_utc = [(when.date(), when.astimezone(datetime.UTC).hour)
                     for when in occurrences(event, 3)]
    assert dates_and_utc == [
        (datetime.date(2026, 10, 18), 9),
        (datetime.date(2026, 10, 25), 10),
        (datetime.date(2026, 11, 1), 10),
    ]


# RFC 5545 section 3.3.6 dur-value, e.g. P1D, PT1H, PT1H30M, P1W.
DUR_TIME = r"T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)"
DUR_VALUE = re.compile(rf"[+-]?P(?:\d+D(?:{DUR_TIME})?|{DUR_TIME}|\d+W)")
UTC_DATE_TIME = re.compile(r"\d{8}T\d{6}Z")


def content_lines(ics: bytes) -> list[tuple[str, str, str]]:
    """(name, parameters, value) of each unfolded content line, read from the raw text."""
    unfolded = re.sub(r"\r\n[ \t]", "", ics.decode())
    lines = []
    for line in unfolded.split("\r\n"):
        if line:
            head, value = line.split(":", 1)
            name, _, params = head.partition(";")
            lines.append((name, params, value))
    return lines


def assert_durations_and_stamps_are_rfc_5545(ics: bytes) -> None:
    lines = content_lines(ics)
    durations = [(name, value) for name, params, value in lines
                 if name in {"DURATION", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"}
                 or "VALUE=DURATION" in params]
    assert ("REFRESH-INTERVAL", "P1D") in durations
    assert ("X-PUBLISHED-TTL", "P1D") in durations
    for name, value in durations:
        assert DUR_VALUE.fullmatch(value), f"{name}:{value} is not an RFC 5545 duration"
    stamps = [(name, value) for name, _params, value in lines
              if name in {"DTSTAMP", "LAST-MODIFIED"}]
    assert stamps
    for name, value in stamps:
        assert UTC_DATE_TIME.fullmatch(value), f"{name}:{value} is not a UTC date-time"


def test_meeting_ics_asks_for_a_daily_refresh_in_rfc_5545_durations(client, db):
    meeting = make_meeting(start_time=datetime.time(19), end_time=None)
    response = client.get(f"/meetings/{meeting.slug}.ics")
    assert response.status_code == 200
    assert_durations_and_stamps_are_rfc_5545(response.content)
    assert ("DURATION", "PT1H") in [(n, v) for n, _p, v in content_lines(response.content)]


def test_search_ics_asks_for_a_daily_refresh_in_rfc_5545_durations(client, db):
    make_meeting(start_time=datetime.time(19), end_time=None)
    make_meeting(start_time=datetime.time(19), end_time=datetime.time(20, 30))
    response = client.get("/meetings.ics")
    assert response.status_code == 200
    body = response.getvalue()
    assert len(Calendar.from_ical(body).walk("VEVENT")) == 2
    assert_durations_and_stamps_are_rfc_5545(body)
