"""Imports never publish wrong data: time zones abroad, meetings outside the UK, feed
coordinates against postcodes, personal contacts in notes, and any value a feed may hold."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.importers import run_import
from meetings.models import Meeting, Status, Venue

DATA = Path(__file__).parent / "data"

LEEDS = {"formatted_address": "St Michael's Church Hall, 1 St Michael's Road, Leeds LS6 3BG, UK",
         "approximate": "no", "latitude": 53.8199, "longitude": -1.5784}
PARIS = {"formatted_address": "Temple Protestant, 8 Rue Roquépine, 75008 Paris, France",
         "approximate": "no", "latitude": 48.8738, "longitude": 2.3176}
ONLINE = {"formatted_address": "Leeds, UK", "approximate": "yes",
          "conference_url": "https://zoom.example/j/123"}


def meeting(slug: str = "tuesday", **fields) -> dict:
    return {"name": slug.replace("-", " ").title(), "slug": slug, "day": 2, "time": "19:30",
            **LEEDS, **fields}


def feed(items: list, fellowships, **options):
    return run_import(json.dumps(items).encode(), fmt="meeting-guide", source="feed",
                      fellowship=fellowships["aa"], **options)


def command(tmp_path: Path, items: list, *args: str) -> str:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(items))
    out = StringIO()
    call_command("import_meetings", str(path), "--fellowship", "aa", *args, stdout=out)
    return out.getvalue()


# Time zones ---------------------------------------------------------------------------

def test_a_meeting_abroad_with_no_time_zone_gets_the_zone_of_its_coordinates(fellowships):
    report = feed([meeting("paris", **PARIS)], fellowships, include_outside_uk=True)
    assert report.errors == []
    assert Meeting.objects.get(source_id="paris").timezone == "Europe/Paris"
    assert "no time zone was given): Europe/Paris (1)" in report.as_text()


def test_a_meeting_abroad_with_no_zone_and_no_coordinates_is_refused(fellowships):
    paris = meeting("paris", **PARIS) | {"latitude": None, "longitude": None}
    report = feed([paris], fellowships, include_outside_uk=True)
    assert [str(p) for p in report.errors] == [
        "item 1 (Paris): timezone = '': outside the UK, and no time zone is given for its "
        "times, nor coordinates on land to find one: give the time zone of the feed's times "
        "with --timezone ZONE"]
    assert not Meeting.objects.exists()


def test_coordinates_out_at_sea_give_no_zone(fellowships):
    mid_atlantic = meeting("ship", **PARIS) | {"latitude": 45.0, "longitude": -30.0}
    report = feed([mid_atlantic], fellowships, include_outside_uk=True)
    assert [p.field for p in report.errors] == ["timezone"]


def test_an_online_meeting_abroad_takes_its_coordinates_zone(fellowships):
    chicago = meeting("chicago", formatted_address="Chicago, IL, USA", approximate="yes",
                      latitude=41.88, longitude=-87.63,
                      conference_url="https://zoom.example/j/9")
    feed([chicago], fellowships)
    assert Meeting.objects.get(source_id="chicago").timezone == "America/Chicago"


def test_meetings_in_the_uk_or_nowhere_in_particular_keep_uk_time(fellowships):
    nowhere = meeting("anywhere", formatted_address="", approximate="yes", latitude=None,
                      longitude=None, conference_url="https://zoom.example/j/1")
    feed([meeting("leeds"), meeting("online", **ONLINE), nowhere], fellowships)
    assert set(Meeting.objects.values_list("timezone", flat=True)) == {"Europe/London"}


def test_a_meetings_own_time_zone_wins_over_the_imports(fellowships):
    own = meeting("paris", **PARIS, timezone="America/Chicago")
    report = feed([own, meeting("leeds")], fellowships, include_outside_uk=True,
                  timezone="Asia/Tokyo")
    assert dict(Meeting.objects.values_list("source_id", "timezone")) == {
        "paris": "America/Chicago", "leeds": "Asia/Tokyo"}
    # Neither keeps its place's clock: the report asks staff to check both.
    assert [(p.item, p.field, p.value) for p in report.warnings] == [
        ("item 1 (Paris)", "timezone", "America/Chicago"),
        ("item 2 (Leeds)", "timezone", "Asia/Tokyo"),
    ]


def test_a_zone_keeping_the_places_clock_is_not_questioned(fellowships):
    report = feed([meeting("leeds", timezone="Europe/Guernsey")], fellowships)
    assert report.warnings == [] and report.errors == []
    assert Meeting.objects.get().timezone == "Europe/Guernsey"


@pytest.mark.parametrize("zone", ["America", "x" * 300, "Europe/London\x00", "../etc/passwd",
                                  "localtime", "europe/london", ["Europe/London"], 0])
def test_a_zone_that_is_not_one_is_reported(fellowships, zone):
    report = feed([meeting("leeds", timezone=zone)], fellowships)
    assert [p.field for p in report.errors] == ["timezone"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("zone", ["America", "x" * 300, "Europe/London\x00"])
def test_the_command_refuses_a_timezone_that_is_not_one(fellowships, tmp_path, zone):
    with pytest.raises(CommandError, match="is not a time zone name such as Europe/London"):
        command(tmp_path, [meeting()], "--timezone", zone)


# Meetings outside the UK --------------------------------------------------------------

def test_in_person_meetings_abroad_are_left_out_and_counted(fellowships, tmp_path):
    online_abroad = meeting("chicago-online", formatted_address="Chicago, IL, USA",
                            approximate="yes", latitude=41.88, longitude=-87.63,
                            conference_url="https://zoom.example/j/9")
    hybrid_abroad = meeting("paris-hybrid", **PARIS, conference_url="https://zoom.example/j/8")
    items = [meeting("paris", **PARIS), hybrid_abroad, online_abroad, meeting("leeds")]
    output = command(tmp_path, items)
    assert "2 in-person or hybrid meetings outside the UK were left out: use " \
        "--include-outside-uk to import them." in output
    assert set(Meeting.objects.values_list("source_id", flat=True)) == {"chicago-online",
                                                                         "leeds"}
    output = command(tmp_path, items, "--include-outside-uk")
    assert "2 meetings are at venues outside the UK" in output
    assert Meeting.objects.count() == 4


def test_meetings_left_out_are_not_closed_as_missing(fellowships, tmp_path):
    items = [meeting("paris", **PARIS), meeting("leeds")]
    command(tmp_path, items, "--include-outside-uk")
    command(tmp_path, items)
    assert Meeting.objects.get(source_id="paris").status == Status.ACTIVE


def test_an_address_with_no_uk_postcode_is_placed_by_its_coordinates(fellowships):
    leeds_no_postcode = meeting("leeds",
                                formatted_address="1 St Michael's Road, Headingley, Leeds")
    report = feed([leeds_no_postcode], fellowships)
    assert report.outside_uk_left_out == 0
    assert Meeting.objects.get().timezone == "Europe/London"


# Coordinates against postcodes --------------------------------------------------------

def test_feed_coordinates_far_from_the_postcode_are_reported_and_the_postcode_used(
        fellowships, gb_postcodes):
    # LS6 3BG is in Headingley; this point is in Manchester.
    report = feed([meeting("leeds", latitude=53.4794, longitude=-2.2453)], fellowships)
    assert [(p.field, p.value) for p in report.warnings] == [
        ("latitude, longitude", "53.4794, -2.2453")]
    assert "miles from the postcode LS6 3BG: the postcode's position is used" in \
        report.warnings[0].reason
    venue = Venue.objects.get()
    assert (venue.latitude, venue.longitude) == pytest.approx((53.8190, -1.5798), abs=1e-4)


def test_feed_coordinates_near_the_postcode_are_kept(fellowships, gb_postcodes):
    report = feed([meeting("leeds")], fellowships)
    assert report.warnings == []
    assert (Venue.objects.get().latitude, Venue.objects.get().longitude) == (53.8199, -1.5784)


# Personal contacts in notes -----------------------------------------------------------

def test_personal_email_addresses_and_mobile_numbers_in_notes_are_warned_about(
        fellowships, tmp_path):
    items = [meeting(
        "leeds",
        notes="Ring Jo on 07912 345678 or write to jo.bloggs@example.com. Intergroup: "
              "info@leedsaa.example, 0113 496 0000.",
        location_notes="Key from sam.smith@example.net",
        group_notes="Secretary: +44 7912 345 679",
        conference_url="https://zoom.example/j/8573961512",
        conference_url_notes="Meeting ID 857 3961 5129, passcode 1234",
    )]
    output = command(tmp_path, items, "--dry-run")
    assert "Warnings (4):" in output
    for field, value in [("notes", "07912 345678"), ("notes", "jo.bloggs@example.com"),
                         ("location_notes", "sam.smith@example.net"),
                         ("group_notes", "+44 7912 345 679")]:
        assert f"item 1 (Leeds): {field} = '{value}': looks like someone's own email " \
            "address or phone number" in output
    assert "Dry run: nothing was written." in output
    # A warning does not stop the import.
    command(tmp_path, items)
    assert Meeting.objects.count() == 1


# Any value a feed may hold --------------------------------------------------------------

BAD_VALUES = [
    ("name", "Hope\x00Group", "contains a NUL character"),
    ("notes", "Tea\x00", "contains a NUL character"),
    ("name", "\ud800", "not valid text"),
    ("name", 12345, "expected text, not a number"),
    ("name", ["Hope"], "expected text, not a list"),
    ("notes", {"text": "Tea"}, "expected text, not an object"),
    ("location", True, "expected text, not true or false"),
    ("name", "x" * 201, "longer than 200 characters"),
    ("notes", "x" * 5001, "longer than 5000 characters"),
    ("conference_url", "https://zoom.example/" + "x" * 500, "longer than 500 characters"),
    ("conference_phone", "0" * 61, "longer than 60 characters"),
    ("location", "Hall " * 40, "longer than 160 characters"),
    ("time", "19:30:99", "expected a time such as 19:30"),
    ("time", "１９:３０", "expected a time such as 19:30"),
    ("time", "٧:٣٠", "expected a time such as 19:30"),
    ("time", None, "expected a time such as 19:30"),
    ("end_time", "25:00", "expected a time such as 20:30"),
    ("day", "１", "expected 0 (Sunday) to 6 (Saturday)"),
    ("day", "²", "expected 0 (Sunday) to 6 (Saturday)"),
    ("day", None, "expected 0 (Sunday) to 6 (Saturday)"),
    ("day", 10**30, "expected 0 (Sunday) to 6 (Saturday)"),
    ("types", 7, "expected a list of type codes"),
    ("types", [["O"]], "expected a list of type codes"),
    ("conference_url", "https://user:secret@zoom.example/j/1", "user name or password"),
]


@pytest.mark.parametrize(("field", "value", "reason"), BAD_VALUES,
                         ids=[f"{f}-{i}" for i, (f, _v, _r) in enumerate(BAD_VALUES)])
def test_a_bad_value_is_reported_and_nothing_is_written(fellowships, field, value, reason):
    report = feed([meeting("good"), meeting("bad", **{field: value})], fellowships)
    assert [(p.item.split(" ")[1], p.field) for p in report.errors] == [("2", field)]
    assert reason in report.errors[0].reason
    assert len(str(report.errors[0])) < 400  # a long value is shown cut short
    assert not report.written
    assert not Meeting.objects.exists() and not Venue.objects.exists()


def test_null_everywhere_is_reported_not_a_crash(fellowships):
    item = dict.fromkeys(["name", "slug", "day", "time", "end_time", "timezone", "types",
                          "formatted_address", "latitude", "longitude", "notes", "location",
                          "conference_url", "conference_phone", "group"])
    report = feed([item], fellowships)
    assert {p.field for p in report.errors} == {"name", "slug", "day", "time",
                                                "formatted_address"}
    assert not Meeting.objects.exists()


def test_an_unusable_coordinate_is_a_warning(fellowships):
    report = feed([meeting("leeds", latitude="north", longitude=float("inf"))], fellowships)
    assert [p.field for p in report.warnings] == ["latitude, longitude"]
    assert report.errors == []


@pytest.mark.parametrize("data", [
    b"[" + b"9" * 5000 + b"]",  # longer than Python turns into an int
    b"[" * 100_000,  # nested past the recursion limit
    b"\xff\xfe not utf-8",
    b'{"meetings": 3}',
])
def test_a_file_json_cannot_read_is_refused_whole(fellowships, tmp_path, data):
    path = tmp_path / "feed.json"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Not a Meeting Guide JSON feed"):
        call_command("import_meetings", str(path), "--fellowship", "aa", stdout=StringIO())


CSV_HEAD = "Time,Day,Name,Address,Notes\n"


@pytest.mark.parametrize(("text", "message"), [
    (CSV_HEAD.encode() + b"7:30 PM,Monday,A\x81\x8d,\"1 High St, Leeds LS6 3BG, UK\",\n",
     "neither UTF-8 nor Windows text"),
    ((CSV_HEAD + '7:30 PM,Monday,Hope,"1 High St, Leeds LS6 3BG, UK",' + "x" * 200_000)
     .encode(), "Not a readable CSV file (after line 1"),
])
def test_a_csv_file_that_cannot_be_read_is_refused_whole(fellowships, tmp_path, text, message):
    path = tmp_path / "meetings.csv"
    path.write_bytes(text)
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("import_meetings", str(path), "--format", "csv", "--fellowship", "aa",
                     stdout=StringIO())


def test_a_nul_in_a_csv_row_is_reported(fellowships):
    data = (CSV_HEAD + '7:30 PM,Monday,Hope\x00,"1 High St, Leeds LS6 3BG, UK",\n').encode()
    report = run_import(data, fmt="csv", source="csv", fellowship=fellowships["aa"])
    assert [(p.item, p.field) for p in report.errors] == [("line 2", "name")]


def test_a_file_over_the_size_limit_is_refused_unread(fellowships, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "feed.json"
    with path.open("wb") as out:
        out.truncate(1001)  # sparse: nothing to read, and the command must not try
    with pytest.raises(CommandError, match="The file is larger than 1000"):
        call_command("import_meetings", str(path), "--fellowship", "aa", stdout=StringIO())
