"""/api/meeting-guide.json: our meetings in the Meeting Guide JSON format, and back again."""

import copy
import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from meetings import meeting_guide as mg
from meetings.importers import run_import
from meetings.models import Format, Meeting, Recurrence, Status, Venue, Weekday
from tests.factories import make_meeting, make_venue

REAL = Path(__file__).parent / "data" / "meeting-guide"  # with their sources and licences
TYPE_SCHEMA_ID = (
    "https://raw.githubusercontent.com/code4recovery/spec/refs/heads/main/schema/"
    "meeting-type.schema.json"
)
# The published schema's address patterns accept only US addresses ("IL 62701, USA"):
# the plugin's own real feeds fail them too (see docs/partners.md). Every other rule holds.
US_ONLY_PATTERNS = ["formatted_address", "address", "city", "state", "postal_code"]


def allowed_codes() -> set[str]:
    listed = set(json.loads((REAL / "meeting-guide-types.json").read_text()))
    return listed | {mg.ONLINE} | set(mg.EXTRA_CODES) | {"CY", "GD", "GA", "RO", "LV", "UR",
                                                         "BN", "GU", "SO", "TA", "ZH", "CS"}


def feed_validator(strict_addresses: bool = False) -> Draft7Validator:
    meeting = json.loads((REAL / "meeting.schema.json").read_text())
    feed = json.loads((REAL / "feed.schema.json").read_text())
    if not strict_addresses:
        for name in US_ONLY_PATTERNS:
            meeting["properties"][name].pop("pattern", None)
    # meeting-type.schema.json is not among them: check codes against the
    # shared list of types, plus ONL (the plugin's) and our documented extra codes.
    types = {"$id": TYPE_SCHEMA_ID, "type": "array",
             "items": {"enum": sorted(allowed_codes())}}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema))
        for schema in (meeting, feed)
    ).with_resource(TYPE_SCHEMA_ID, Resource.from_contents(
        types | {"$schema": "http://json-schema.org/draft-07/schema#"}))
    return Draft7Validator(feed, registry=registry)


def get_feed(client) -> list[dict]:
    response = client.get("/api/meeting-guide.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.getvalue())


@pytest.fixture
def varied_meetings(fellowships):
    # At its postcode's position: an import moves a venue more than a mile from it there.
    leeds = make_venue(name="Quaker Meeting House", address_line1="188 Woodhouse Lane",
                       town="Leeds", postcode="LS2 9DX", step_free=True, hearing_loop=True,
                       directions="Ring the bell", latitude=53.8101, longitude=-1.5553)
    return [
        make_meeting(fellowship=fellowships["aa"], name="Headingley Big Book", venue=leeds,
                     weekday=Weekday.MONDAY, access="open",
                     features=["newcomers", "bsl", "step-study"], languages=["en", "cy"]),
        make_meeting(fellowship=fellowships["na"], name="Online Women", format=Format.ONLINE,
                     online_url="https://zoom.example/j/1", online_phone="0113 496 0000",
                     online_notes="Passcode 1234", weekday=Weekday.SUNDAY, access="closed",
                     features=["women"], start_time=datetime.time(7, 0), end_time=None),
        make_meeting(fellowship=fellowships["aa"], name="First Tuesday Speaker",
                     venue=leeds, format=Format.HYBRID, online_url="https://meet.example/x",
                     weekday=Weekday.TUESDAY, recurrence=Recurrence.FIRST,
                     features=["speaker"], notes="Bring a friend."),
        make_meeting(fellowship=fellowships["smart-recovery"], name="Paused Group",
                     venue=leeds, status=Status.SUSPENDED, weekday=Weekday.SATURDAY),
    ]


def by_name(feed: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in feed}


def test_feed_lists_listed_meetings_only(client, varied_meetings):
    make_meeting(name="Gone", status=Status.CLOSED)
    assert sorted(by_name(get_feed(client))) == [
        "First Tuesday Speaker", "Headingley Big Book", "Online Women", "Paused Group"]


def test_feed_takes_the_search_parameters(client, varied_meetings):
    response = client.get("/api/meeting-guide.json?fellowship=aa&format=in-person")
    assert sorted(item["name"] for item in json.loads(response.getvalue())) == [
        "First Tuesday Speaker", "Headingley Big Book"]


def test_feed_validates_against_the_meeting_guide_schemas(client, varied_meetings):
    errors = list(feed_validator().iter_errors(get_feed(client)))
    assert errors == []


def test_only_the_us_only_address_pattern_differs_from_the_published_schema(
    client, varied_meetings
):
    errors = list(feed_validator(strict_addresses=True).iter_errors(get_feed(client)))
    assert {(tuple(e.path)[-1], e.validator) for e in errors} == {
        ("formatted_address", "pattern")}


def test_days_are_numbered_from_sunday_and_times_are_24_hour(client, varied_meetings):
    feed = by_name(get_feed(client))
    assert (feed["Headingley Big Book"]["day"], feed["Online Women"]["day"]) == (1, 0)
    assert feed["Paused Group"]["day"] == 6
    assert feed["Online Women"]["time"] == "07:00"
    assert "end_time" not in feed["Online Women"]
    assert feed["Headingley Big Book"]["end_time"] == "20:30"


def test_types_are_mapped_from_features_with_documented_extras(client, varied_meetings):
    feed = by_name(get_feed(client))
    assert feed["Headingley Big Book"]["types"] == ["O", "BE", "BSL", "ST", "X", "HL", "EN",
                                                    "CY"]
    assert feed["Online Women"]["types"] == ["C", "W", "ONL"]


def test_attendance_option_follows_the_tsml_values(client, varied_meetings):
    feed = by_name(get_feed(client))
    assert feed["Headingley Big Book"]["attendance_option"] == "in_person"
    assert feed["Online Women"]["attendance_option"] == "online"
    assert feed["First Tuesday Speaker"]["attendance_option"] == "hybrid"
    assert feed["Paused Group"]["attendance_option"] == "inactive"
    assert "TC" in feed["Paused Group"]["types"]


def test_addresses_coordinates_and_joining_details(client, varied_meetings):
    feed = by_name(get_feed(client))
    venue = feed["Headingley Big Book"]
    assert venue["formatted_address"] == "188 Woodhouse Lane, Leeds LS2 9DX, UK"
    assert (venue["approximate"], venue["location"]) == ("no", "Quaker Meeting House")
    assert venue["location_notes"] == "Ring the bell"
    assert (venue["latitude"], venue["longitude"]) == (53.8101, -1.5553)
    online = feed["Online Women"]
    assert online["approximate"] == "yes"
    assert online["conference_url"] == "https://zoom.example/j/1"
    assert online["conference_phone"] == "+441134960000"
    assert online["conference_url_notes"] == "Passcode 1234"


def test_monthly_meetings_say_so_in_their_notes(client, varied_meetings):
    item = by_name(get_feed(client))["First Tuesday Speaker"]
    assert item["day"] == 2
    assert item["notes"] == "First Tuesday of the month\n\nBring a friend."
    assert item["recurrence"] == "first"


def test_feed_allows_cross_origin_get_and_conditional_get(client, varied_meetings):
    response = client.get("/api/meeting-guide.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=300" in response["Cache-Control"]
    again = client.get("/api/meeting-guide.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def meeting_facts(meeting: Meeting) -> tuple:
    venue = meeting.venue
    return (
        meeting.name, meeting.fellowship.slug, meeting.weekday, meeting.recurrence,
        meeting.start_time, meeting.end_time, meeting.timezone, meeting.format, meeting.status,
        meeting.access, meeting.notes, meeting.online_url, meeting.online_notes,
        sorted(meeting.features.values_list("slug", flat=True)),
        sorted(meeting.languages.values_list("code", flat=True)),
        meeting.group.name if meeting.group else "",
        venue and (venue.name, venue.address_line1, venue.address_line2, venue.town,
                   venue.postcode, venue.latitude, venue.longitude, venue.step_free,
                   venue.hearing_loop, venue.directions),
    )


def test_round_trip_our_feed_into_an_empty_database_reproduces_the_meetings(
    client, varied_meetings
):
    data = client.get("/api/meeting-guide.json").getvalue()
    before = sorted(meeting_facts(m) for m in Meeting.objects.all())
    Meeting.objects.all().delete()
    Venue.objects.all().delete()
    report = run_import(data, fmt="meeting-guide", source="ourselves")
    assert report.errors == [] and report.written
    after = sorted(meeting_facts(m) for m in Meeting.objects.all())
    assert after == before


def test_round_trip_of_an_imported_us_feed(client, fellowships):
    source = (REAL / "sussex-county-delaware-aa.json").read_bytes()
    run_import(source, fmt="meeting-guide", source="sussex", fellowship=fellowships["aa"],
               timezone="America/New_York", include_outside_uk=True)
    before = sorted(meeting_facts(m) for m in Meeting.objects.listed())
    data = client.get("/api/meeting-guide.json").getvalue()
    Meeting.objects.all().delete()
    Venue.objects.all().delete()
    report = run_import(data, fmt="meeting-guide", source="again", include_outside_uk=True)
    assert report.errors == []
    assert sorted(meeting_facts(m) for m in Meeting.objects.all()) == before


def test_feed_of_imported_us_meetings_validates(client, fellowships):
    source = (REAL / "massachusetts-al-anon.json").read_bytes()
    run_import(source, fmt="meeting-guide", source="ma", fellowship=fellowships["al-anon"],
               timezone="America/New_York", include_outside_uk=True)
    feed = get_feed(client)
    assert len(feed) == 360
    assert list(feed_validator().iter_errors(feed)) == []


def test_allowed_codes_do_not_clash(client):
    extras = set(mg.EXTRA_CODES)
    listed = set(json.loads((REAL / "meeting-guide-types.json").read_text()))
    assert not extras & listed
    assert copy.copy(mg.FEATURE_CODES["bsl"]) == "BSL"
