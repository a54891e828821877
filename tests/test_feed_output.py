"""The whole-directory feeds, byte for byte: /api/meeting-guide.json, /meetings.csv and
/meetings.ics of a varied set of meetings at a fixed moment are exactly the files kept in
tests/data/feeds/.

Those files were written by the feeds as they were before they were rewritten for speed
(model instances, the icalendar library for every event), so any change to what a
partner receives shows here. The Meeting Guide files were written again, compact (no
space after "," and ":"), when orjson came to write that feed: the same values, in the
same order. The calendars were written again when their events came in the order the
meetings were added rather than by next start: the same events, byte for byte. After a
deliberate change to a feed, write them again with

    RF_WRITE_FEED_FILES=1 .venv/bin/pytest tests/test_feed_output.py

and read the diff before committing it.
"""

import csv
import datetime
import io
import json
import os
from pathlib import Path

import pytest
import time_machine
from icalendar import Calendar

from groups.models import Group
from meetings.feeds import CSV_COLUMNS, _spreadsheet_safe, flatten
from meetings.models import Format, Recurrence, Status, Weekday
from tests.factories import make_meeting, make_venue

FILES = Path(__file__).parent / "data" / "feeds"
# A Saturday just before the spring clock change, so the next starts fall on both sides.
NOW = datetime.datetime(2026, 3, 28, 12, 0, tzinfo=datetime.UTC)
WELSH = "Cyfarfod Cymraeg ŵŷâêîôû — croeso i bawb; dewch â ffrind, os gwelwch yn dda"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def varied(frozen, fellowships):
    aa, na = fellowships["aa"], fellowships["na"]
    hall = make_venue(name="Quaker Meeting House", address_line1="188 Woodhouse Lane",
                      address_line2="Room 2, first floor", town="Leeds", postcode="LS2 9DX",
                      step_free=True, hearing_loop=True, directions="Ring the bell; then wait",
                      latitude=53.8101, longitude=-1.5553)
    no_map = make_venue(name="St Mary's", address_line1="1 Church Lane", town="Otley",
                        postcode="LS21 3AA", latitude=None, longitude=None)
    group = Group.objects.create(fellowship=aa, name="Headingley Group")
    make_meeting(pk=9101, fellowship=aa, group=group, name="Headingley Big Book",
                 venue=hall, weekday=Weekday.MONDAY, access="open",
                 features=["newcomers", "bsl", "step-study"], languages=["en", "cy"],
                 last_verified=datetime.date(2026, 1, 5))
    make_meeting(pk=9102, fellowship=na, name="Online Women", format=Format.ONLINE,
                 online_url="https://zoom.example/j/1?pwd=a,b;c", online_phone="0113 496 0000",
                 online_notes="Passcode 1234\nMeeting ID: 987, then #", weekday=Weekday.SUNDAY,
                 access="closed", features=["women"], start_time=datetime.time(7, 0),
                 end_time=None)
    make_meeting(pk=9103, fellowship=aa, name="First Tuesday Speaker", venue=hall,
                 format=Format.HYBRID, online_url="https://meet.example/x",
                 online_phone="+44 (0)20 7946 0000 ext 12", weekday=Weekday.TUESDAY,
                 recurrence=Recurrence.FIRST, features=["speaker"],
                 notes="Bring a friend, a pen; and a \\ backslash.\r\nSecond line.")
    make_meeting(pk=9104, fellowship=fellowships["smart-recovery"], name="Paused Group",
                 venue=no_map, status=Status.SUSPENDED, weekday=Weekday.SATURDAY,
                 start_time=datetime.time(23, 30), end_time=datetime.time(0, 30))
    make_meeting(pk=9105, fellowship=fellowships["al-anon"], name=WELSH, venue=hall,
                 weekday=Weekday.SUNDAY, recurrence=Recurrence.LAST, notes=WELSH * 3,
                 languages=["cy"], start_time=datetime.time(1, 30), end_time=None)
    make_meeting(pk=9106, fellowship=aa, name="=HYPERLINK(\"x\") " + "long name " * 12,
                 format=Format.ONLINE, online_phone="0044 113 496 0001,,123#",
                 weekday=Weekday.WEDNESDAY, timezone="America/New_York",
                 start_time=datetime.time(20, 0), end_time=datetime.time(21, 0))
    make_meeting(pk=9107, fellowship=na, name="Closed for good", venue=hall,
                 status=Status.CLOSED)
    make_meeting(pk=9108, fellowship=na, name="Plain", venue=hall, weekday=Weekday.FRIDAY,
                 format=Format.HYBRID, online_url="", online_phone="0113 496 0002")


PATHS = {
    "meeting-guide.json": "/api/meeting-guide.json",
    "meeting-guide-na.json": "/api/meeting-guide.json?fellowship=na",
    "meetings.csv": "/meetings.csv",
    "meetings-online.csv": "/meetings.csv?format=online",
    "meetings.ics": "/meetings.ics",
    "meetings-online.ics": "/meetings.ics?format=online",
}


def body(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return response.getvalue()


@pytest.mark.parametrize("name", PATHS)
def test_feed_is_byte_for_byte_what_partners_received(client, varied, name):
    got = body(client, PATHS[name])
    kept = FILES / name
    if os.environ.get("RF_WRITE_FEED_FILES"):
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(got)
    assert got == kept.read_bytes()


def test_calendar_reads_back_with_the_icalendar_library(client, varied):
    events = Calendar.from_ical(body(client, "/meetings.ics")).walk("VEVENT")
    by_uid = {str(event["uid"]).split("@")[0]: event for event in events}
    assert sorted(by_uid) == [f"meeting-{pk}" for pk in
                              (9101, 9102, 9103, 9104, 9105, 9106, 9108)]
    welsh = by_uid["meeting-9105"]
    assert str(welsh["summary"]) == f"{WELSH} (Al-Anon)"
    assert WELSH * 3 in str(welsh["description"])
    speaker = str(by_uid["meeting-9103"]["description"])
    assert "Bring a friend, a pen; and a \\ backslash.\nSecond line." in speaker
    assert by_uid["meeting-9106"]["dtstart"].dt.tzinfo.key == "America/New_York"


def test_calendar_lines_are_folded_at_75_octets(client, varied):
    for line in body(client, "/meetings.ics").split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folds never split a character


@pytest.mark.parametrize("query", ["", "?format=online", "?fellowship=aa&sort=name"])
def test_the_csv_is_the_json_of_the_same_search_flattened(client, varied, query):
    # The CSV is written from rows, not from /meetings.json's objects: they must agree.
    results = client.get(f"/meetings.json{query}").json()["results"]
    text = body(client, f"/meetings.csv{query}").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows == [
        {column: _spreadsheet_safe(flatten(result).get(column, "")) for column in CSV_COLUMNS}
        for result in results
    ]


@pytest.mark.parametrize("path", ["/api/meeting-guide.json", "/meetings.csv", "/meetings.ics"])
def test_a_fellowship_newer_than_the_lists_this_process_holds_is_read_for_the_feed(
    client, fellowships, path
):
    from groups.models import Fellowship, Philosophy

    client.get(path).getvalue()  # the fellowship lists are read and kept
    # Written without signals (as a bulk load does): this process's lists lack it.
    [new] = Fellowship.objects.bulk_create([Fellowship(
        name="Newly Listed Fellowship", slug="newly-listed", short_name="NLF",
        philosophy=Philosophy.TWELVE_STEP)])
    make_meeting(fellowship=new, name="First of its kind")
    assert b"Newly Listed Fellowship" in body(client, path)


def test_the_feeds_say_when_a_meeting_changed_in_utc_to_the_second(client, fellowships):
    # An edit in summer time, with a fraction of a second, as every save leaves it: the
    # database's own text for the time (meetings.feed_rows.updated) on either database.
    changed = datetime.datetime(2026, 7, 1, 18, 30, 15, 987654, tzinfo=datetime.UTC)
    with time_machine.travel(changed, tick=False):
        make_meeting(pk=9201, fellowship=fellowships["aa"], name="Summer Evening")
    guide = json.loads(b"".join(client.get("/api/meeting-guide.json").streaming_content))
    assert [item["updated"] for item in guide] == ["2026-07-01 18:30:15"]
    calendar = b"".join(client.get("/meetings.ics").streaming_content).decode()
    assert "DTSTAMP:20260701T183015Z\r\n" in calendar
    assert "LAST-MODIFIED:20260701T183015Z\r\n" in calendar
