"""manage.py import_meetings: Meeting Guide JSON and 12 Step Meeting List CSV in."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.importers import run_import
from meetings.models import Format, Meeting, Status, Venue, Weekday
from tests.factories import make_fellowship, make_venue

DATA = Path(__file__).parent / "data"
REAL = DATA / "meeting-guide"  # real feeds, with their sources and licences


def import_file(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_meetings", str(path), *args, stdout=out)
    return out.getvalue()


def small_feed(fellowships, **options):
    data = (DATA / "meeting-guide-small.json").read_bytes()
    return run_import(data, fmt="meeting-guide", source="small", fellowship=fellowships["aa"],
                      **options)


def write_feed(tmp_path: Path, items: list) -> Path:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(items))
    return path


# The real feeds ------------------------------------------------------------------------

# Counted by hand from each feed: its items, and how many are online (no venue).
REAL_FEEDS = [
    # file, fellowship, items, online, in person or hybrid
    ("sussex-county-delaware-aa.json", "aa", 123, 28, 95),
    ("massachusetts-al-anon.json", "al-anon", 360, 113, 247),
]


@pytest.mark.parametrize(("filename", "fellowship", "items", "online", "in_person"), REAL_FEEDS)
def test_real_us_feeds_import_only_their_online_meetings(fellowships, filename, fellowship,
                                                         items, online, in_person):
    report = run_import((REAL / filename).read_bytes(), fmt="meeting-guide", source=filename,
                        fellowship=fellowships[fellowship])
    assert report.errors == [] and report.skipped == []
    assert (report.read, len(report.created), report.outside_uk_left_out) == (
        items, online, in_person)
    assert f"{in_person} in-person or hybrid meetings outside the UK were left out: use " \
        "--include-outside-uk to import them." in report.as_text()
    assert not Meeting.objects.filter(source=filename).exclude(format=Format.ONLINE).exists()
    assert not Venue.objects.exists()
    # No time zone in the feed: each meeting's coordinates give it, never the UK's.
    assert set(Meeting.objects.filter(source=filename).values_list("timezone", flat=True)) == {
        "America/New_York"}


@pytest.mark.parametrize(("filename", "fellowship", "items", "online", "in_person"), REAL_FEEDS)
def test_real_us_feeds_import_every_meeting_when_asked(fellowships, filename, fellowship,
                                                       items, online, in_person):
    report = run_import((REAL / filename).read_bytes(), fmt="meeting-guide", source=filename,
                        fellowship=fellowships[fellowship], include_outside_uk=True)
    assert report.errors == [] and report.skipped == []
    assert (len(report.created), report.outside_uk, report.outside_uk_left_out) == (
        items, in_person, 0)
    assert Meeting.objects.filter(source=filename).count() == items
    assert set(Meeting.objects.filter(source=filename).values_list("timezone", flat=True)) == {
        "America/New_York"}
    # US venues: their state and zip code stay in the address; the UK postcode stays blank.
    venue = Venue.objects.get(address_line1="18 Olive Ave") if "sussex" in filename else None
    if venue:
        assert (venue.town, venue.address_line2, venue.postcode) == (
            "Rehoboth Beach", "DE 19971, USA", "")
        assert venue.latitude == pytest.approx(38.7186782)


def test_a_long_dial_string_is_kept_whole(fellowships):
    run_import((REAL / "massachusetts-al-anon.json").read_bytes(), fmt="meeting-guide",
               source="al-anon", fellowship=fellowships["al-anon"])
    meeting = Meeting.objects.get(name="41420 AFG Only Spoken Here Thurs Morning")
    assert meeting.online_phone == "+19292056099,,92160376909#,,,,,#82271690#"


def eda_feed(**options):
    eda = make_fellowship(slug="eda", name="Eating Disorders Anonymous")
    return run_import((REAL / "eating-disorders-anonymous.json").read_bytes(),
                      fmt="meeting-guide", source="eda", fellowship=eda, **options)


def test_real_eating_disorders_feed_keeps_its_uk_and_online_meetings(fellowships):
    report = eda_feed()
    assert report.errors == [] and report.skipped == []
    assert (report.read, len(report.created), report.outside_uk_left_out) == (185, 102, 83)
    assert Meeting.objects.exclude(format=Format.ONLINE).count() == 2  # the two in the UK
    soho = Meeting.objects.get(name="Soho EDA - 7pm London Time - In-Person")
    assert (soho.venue.postcode, soho.venue.town, soho.format, soho.timezone) == (
        "WC2H 0EW", "London", Format.IN_PERSON, "Europe/London")
    assert soho.start_time == datetime.time(19, 0)
    leigh = Meeting.objects.get(name__startswith="Leigh on Sea")
    assert (leigh.format, leigh.venue.postcode) == (Format.HYBRID, "SS9 2AJ")
    # Online meetings placed abroad take their coordinates' zone, and the report says so.
    # (This one's name says "12pm Eastern": a feed that keeps every time in its website's
    # zone needs --timezone, which the next test gives.)
    worthy = Meeting.objects.get(name="We Are Worthy - 12pm Eastern - Online")
    assert (worthy.format, worthy.timezone) == (Format.ONLINE, "Africa/Johannesburg")
    assert report.zones_from_coordinates["Africa/Johannesburg"] == 1
    assert "Time zones taken from the coordinates of meetings outside the UK (no time zone " \
        "was given): Africa/Johannesburg (1), America/Chicago" in report.as_text()


def test_real_eating_disorders_feed_imports_all_but_one_unplaceable_closed_meeting(fellowships):
    report = eda_feed(include_outside_uk=True, timezone="America/New_York")
    assert report.errors == []
    assert [(p.item.split(" (")[0], p.reason) for p in report.skipped] == [
        ("item 111", "temporarily closed, with no exact address and no joining link")
    ]
    assert len(report.created) == 184
    leigh = Meeting.objects.get(name__startswith="Leigh on Sea")
    # The feed's times are in the zone the import was told (the plugin's own, Eastern)...
    assert leigh.timezone == "America/New_York"
    # ...and where that is not the zone of the place, the report says so.
    assert ("item 37 (Leigh on Sea, Essex, UK - 2pm Eastern - ): timezone = "
            "'America/New_York': its times are read as America/New_York time, but it meets in "
            "Europe/London: check that its times are right") in [str(w) for w in report.warnings]


def test_csv_in_the_tsml_template_layout_imports(fellowships):
    output = import_file(DATA / "tsml-layout.csv", "--format", "csv", "--fellowship", "aa")
    # Twelve rows, one of them on two days, one of them in California (left out).
    assert "12 meetings new" in output
    assert "1 in-person or hybrid meetings outside the UK were left out" in output
    assert "Errors" not in output
    step_study = Meeting.objects.get(source_id="headingley-step-study")
    assert (step_study.weekday, step_study.start_time, step_study.end_time) == (
        Weekday.MONDAY, datetime.time(19, 30), datetime.time(20, 30))
    assert step_study.timezone == "Europe/London"
    assert step_study.access == "open"
    assert step_study.venue.step_free
    assert (step_study.venue.postcode, step_study.venue.town) == ("LS6 3AW", "Leeds")
    hybrid = Meeting.objects.get(source_id="hybrid-big-book")
    assert (hybrid.format, hybrid.online_url) == (Format.HYBRID, "https://zoom.us/j/5550100")
    online = Meeting.objects.get(source_id="early-risers-online")
    assert (online.format, online.online_phone) == (Format.ONLINE, "0113 496 0000")
    assert Meeting.objects.filter(name="Young People's Group").count() == 2


@pytest.mark.parametrize(
    ("path", "args"),
    [
        (REAL / "sussex-county-delaware-aa.json", ["--fellowship", "aa"]),
        (REAL / "massachusetts-al-anon.json", ["--fellowship", "al-anon"]),
        (REAL / "eating-disorders-anonymous.json", ["--fellowship", "na"]),
        (DATA / "tsml-layout.csv", ["--format", "csv", "--fellowship", "aa"]),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else None,
)
def test_second_import_of_a_feed_changes_nothing(fellowships, path, args):
    import_file(path, *args)
    before = list(Meeting.objects.values_list("pk", "updated").order_by("pk"))
    output = import_file(path, *args)
    assert " 0 meetings new, 0 changed" in output
    assert "0 closed" in output
    assert "Venues: 0 new, 0 changed. Groups: 0 new." in output
    assert list(Meeting.objects.values_list("pk", "updated").order_by("pk")) == before


# What the format says, in our terms ----------------------------------------------------

def test_meeting_guide_days_start_on_sunday(fellowships):
    small_feed(fellowships)
    assert Meeting.objects.get(source_id="headingley-monday-step").weekday == Weekday.MONDAY
    assert Meeting.objects.get(source_id="leeds-online-women").weekday == Weekday.WEDNESDAY


def test_a_list_of_days_becomes_one_meeting_per_day(fellowships):
    small_feed(fellowships)
    days = Meeting.objects.filter(name="City Centre Hybrid").values_list("weekday", flat=True)
    assert sorted(days) == [Weekday.SATURDAY, Weekday.SUNDAY]


def test_types_become_features_venue_facts_access_and_languages(fellowships):
    report = small_feed(fellowships)
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    assert meeting.access == "open"
    assert set(meeting.features.values_list("slug", flat=True)) == {"step-study", "newcomers",
                                                                     "bsl"}
    assert set(meeting.languages.values_list("code", flat=True)) == {"en", "pl"}
    assert (meeting.venue.step_free, meeting.venue.hearing_loop) == (True, True)
    assert report.unknown_types == {"ZZZ": 1}


def test_attendance_follows_the_tsml_rules(fellowships):
    small_feed(fellowships)
    online = Meeting.objects.get(source_id="leeds-online-women")
    assert (online.format, online.venue, online.online_url) == (
        Format.ONLINE, None, "https://zoom.example/j/123")
    assert online.online_notes == "Passcode: serenity"
    hybrid = Meeting.objects.filter(name="City Centre Hybrid").first()
    assert hybrid.format == Format.HYBRID and hybrid.venue.postcode == "LS2 9DX"
    closed = Meeting.objects.get(source_id="closed-for-repairs")
    assert (closed.format, closed.status) == (Format.IN_PERSON, Status.SUSPENDED)


def test_explicit_inactive_attendance_option_is_suspended(fellowships, tmp_path):
    item = {"name": "Paused", "slug": "paused", "day": 2, "time": "19:00",
            "attendance_option": "inactive", "formatted_address": "9 Low Road, Leeds LS6 1AA",
            "approximate": "no"}
    import_file(write_feed(tmp_path, [item]), "--fellowship", "aa")
    assert Meeting.objects.get(source_id="paused").status == Status.SUSPENDED


def test_html_is_stripped_from_every_text_field(fellowships):
    small_feed(fellowships)
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    assert meeting.name == "Headingley Monday Step Group"
    assert meeting.notes == "Tea & biscuits\nfrom 7pm"
    assert meeting.venue.directions == "Side door, first floor."


def test_meetings_at_one_address_share_a_venue(fellowships):
    small_feed(fellowships)
    first = Meeting.objects.get(source_id="headingley-monday-step").venue
    second = Meeting.objects.get(source_id="closed-for-repairs").venue
    assert first == second
    assert (first.name, first.address_line1, first.postcode) == (
        "St Michael's Church Hall", "1 St Michael's Road", "LS6 3BG")


def test_an_existing_venue_is_matched_by_address_and_postcode_and_not_edited(fellowships):
    venue = make_venue(name="St Michael's (staff name)", address_line1="1 St Michael's Road",
                       postcode="LS6 3BG", step_free=False)
    report = small_feed(fellowships)
    assert Meeting.objects.get(source_id="headingley-monday-step").venue == venue
    venue.refresh_from_db()
    assert (venue.name, venue.step_free) == ("St Michael's (staff name)", False)
    assert report.venues_created == 1  # only the Quaker Meeting House


def test_coordinates_come_from_the_feed_when_present(fellowships):
    small_feed(fellowships)
    venue = Meeting.objects.get(source_id="headingley-monday-step").venue
    assert (venue.latitude, venue.longitude) == (53.8199, -1.5784)


def test_coordinates_come_from_the_postcode_table_otherwise(fellowships, gb_postcodes):
    report = run_import((DATA / "tsml-small.csv").read_bytes(), fmt="csv", source="small-csv",
                        fellowship=fellowships["aa"])
    venue = Venue.objects.get(postcode="LS7 4NB")
    # Code-Point Open's position for LS7 4NB, Chapel Allerton.
    assert (venue.latitude, venue.longitude) == pytest.approx((53.8287, -1.5369), abs=1e-4)
    assert report.warnings == []


def test_unknown_postcodes_are_reported(fellowships, gb_postcodes):
    data = (DATA / "tsml-small.csv").read_bytes().replace(b"LS7 4NB", b"LS7 9ZZ")
    report = run_import(data, fmt="csv", source="small-csv", fellowship=fellowships["aa"])
    assert [(w.field, w.value) for w in report.warnings] == [("postcode", "LS7 9ZZ")]
    assert Venue.objects.get(postcode="LS7 9ZZ").latitude is None


def test_tsml_csv_reads_type_names_and_twelve_hour_times(fellowships):
    run_import((DATA / "tsml-small.csv").read_bytes(), fmt="csv", source="small-csv",
               fellowship=fellowships["aa"])
    meeting = Meeting.objects.get(source_id="chapel-allerton-big-book")
    assert (meeting.weekday, meeting.start_time, meeting.end_time) == (
        Weekday.TUESDAY, datetime.time(19, 30), datetime.time(20, 30))
    assert set(meeting.features.values_list("slug", flat=True)) == {"newcomers"}
    assert meeting.venue.step_free and meeting.access == "open"
    online = Meeting.objects.get(source_id="early-risers-online")
    assert (online.format, online.start_time) == (Format.ONLINE, datetime.time(8, 0))


# Idempotent, and honest about change ---------------------------------------------------

def test_a_changed_feed_updates_only_what_changed(fellowships, tmp_path):
    items = json.loads((DATA / "meeting-guide-small.json").read_text())
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    untouched = Meeting.objects.get(source_id="leeds-online-women").updated
    items[0]["time"] = "20:00"
    items[0]["types"].remove("BSL")
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert "0 meetings new, 1 changed" in output
    assert "Changed: Headingley Monday Step Group (headingley-monday-step): start_time, features"\
        in output
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    assert meeting.start_time == datetime.time(20, 0)
    assert "bsl" not in meeting.features.values_list("slug", flat=True)
    assert Meeting.objects.get(source_id="leeds-online-women").updated == untouched


def test_meetings_that_vanish_from_the_feed_are_closed_not_deleted(fellowships, tmp_path):
    items = json.loads((DATA / "meeting-guide-small.json").read_text())
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    output = import_file(write_feed(tmp_path, items[1:]), "--fellowship", "aa")
    assert "1 closed" in output
    assert Meeting.objects.get(source_id="headingley-monday-step").status == Status.CLOSED
    # ...and come back when they reappear.
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert Meeting.objects.get(source_id="headingley-monday-step").status == Status.ACTIVE


def test_other_sources_are_never_closed(fellowships, tmp_path):
    small_feed(fellowships)
    import_file(write_feed(tmp_path, []), "--fellowship", "aa", "--source-name", "other")
    assert not Meeting.objects.filter(status=Status.CLOSED).exists()


# All or nothing ------------------------------------------------------------------------

def test_rows_that_cannot_be_understood_stop_the_whole_import(fellowships):
    with pytest.raises(CommandError, match="2 rows could not be understood"):
        import_file(DATA / "meeting-guide-bad.json", "--fellowship", "aa")
    assert not Meeting.objects.exists()
    assert not Venue.objects.exists()


def test_the_report_names_item_field_and_value_of_each_bad_row(fellowships):
    report = run_import((DATA / "meeting-guide-bad.json").read_bytes(), fmt="meeting-guide",
                        source="bad", fellowship=fellowships["aa"])
    assert [str(p) for p in report.errors] == [
        "item 2 (Bad Day): day = '7': expected 0 (Sunday) to 6 (Saturday)",
        "item 3 (Bad Time): time = '7pm-ish': expected a time such as 19:30",
    ]
    assert not report.written


def test_allow_partial_imports_the_rows_that_were_understood(fellowships):
    output = import_file(DATA / "meeting-guide-bad.json", "--fellowship", "aa", "--allow-partial")
    assert "Errors (2):" in output
    assert list(Meeting.objects.values_list("name", flat=True)) == ["Good One"]


def test_dry_run_reports_without_writing(fellowships):
    output = import_file(DATA / "meeting-guide-small.json", "--fellowship", "aa", "--dry-run")
    assert "5 meetings new" in output
    assert "Dry run: nothing was written." in output
    assert not Meeting.objects.exists() and not Venue.objects.exists()


def test_a_fellowship_is_required_when_the_feed_does_not_name_one(fellowships):
    with pytest.raises(CommandError, match="--fellowship SLUG"):
        import_file(DATA / "meeting-guide-small.json")
    with pytest.raises(CommandError, match="No fellowship 'nope'"):
        import_file(DATA / "meeting-guide-small.json", "--fellowship", "nope")


def test_a_file_that_is_not_a_feed_fails_clearly(fellowships, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(CommandError, match="Not a Meeting Guide JSON feed"):
        import_file(path, "--fellowship", "aa")
    with pytest.raises(CommandError, match="missing column"):
        import_file(path, "--format", "csv", "--fellowship", "aa")


def test_import_queries_do_not_grow_with_the_feed(fellowships, tmp_path,
                                                  django_assert_max_num_queries):
    items = [
        {"name": f"Meeting {n}", "slug": f"meeting-{n}", "day": n % 7, "time": "19:00",
         "types": ["O", "D", "EN"], "formatted_address": f"{n} High Street, Leeds LS1 1AA, UK",
         "approximate": "no", "latitude": 53.8, "longitude": -1.55, "group": f"Group {n % 5}"}
        for n in range(300)
    ]
    data = json.dumps(items).encode()
    # 40, and ten more for the history records of venues, groups and meetings, and of the
    # meetings' features and languages (read back and written in bulk), one to bump the
    # data version, and the planner's statistics of the five tables written (one ANALYZE
    # on PostgreSQL, one per table on SQLite).
    with django_assert_max_num_queries(55):
        run_import(data, fmt="meeting-guide", source="many", fellowship=fellowships["aa"])
    assert Meeting.objects.filter(source="many").count() == 300


# Staff edits are kept ------------------------------------------------------------------

def staff_edit(source_id: str, **fields) -> Meeting:
    meeting = Meeting.objects.get(source_id=source_id)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


def feed_items() -> list:
    return json.loads((DATA / "meeting-guide-small.json").read_text())


def test_a_staff_edit_survives_a_reimport_of_the_same_feed(fellowships, tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    staff_edit("headingley-monday-step", notes="Staff: use the back door")
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert " 0 meetings new, 0 changed" in output
    assert "Kept staff edits" not in output
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    assert meeting.notes == "Staff: use the back door"
    assert meeting.imported_values["notes"] == "Tea & biscuits\nfrom 7pm"
    assert meeting.imported_values["start_time"] == "19:30:00"


def test_the_feed_changing_another_field_updates_it_and_keeps_the_staff_edit(fellowships,
                                                                             tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    staff_edit("headingley-monday-step", notes="Staff: use the back door")
    items[0]["time"] = "20:00"
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert "0 meetings new, 1 changed" in output
    assert "Changed: Headingley Monday Step Group (headingley-monday-step): start_time\n" \
        in output
    assert "Kept staff edits" not in output
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    assert (meeting.start_time, meeting.notes) == (datetime.time(20, 0),
                                                   "Staff: use the back door")


def test_the_feed_changing_the_edited_field_is_reported_and_the_staff_value_kept(fellowships,
                                                                                tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    staff_edit("headingley-monday-step", start_time=datetime.time(19, 45))
    items[0]["time"] = "20:00"
    report = run_import(json.dumps(items).encode(), fmt="meeting-guide", source="feed.json",
                        fellowship=fellowships["aa"])
    assert [(c.meeting, c.field, c.staff_value, c.feed_value, c.overwritten)
            for c in report.conflicts] == [
        ("Headingley Monday Step Group (headingley-monday-step)", "start_time", "19:45:00",
         "20:00:00", False)]
    assert (len(report.updated), report.changes) == (0, 0)
    text = report.as_text()
    assert "Kept staff edits (1):" in text
    assert ("Headingley Monday Step Group (headingley-monday-step): start_time: "
            "staff '19:45:00', source '20:00:00'") in text
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    assert meeting.start_time == datetime.time(19, 45)
    assert meeting.imported_values["start_time"] == "20:00:00"
    # Reported once: the next import of the same feed says nothing more about it.
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert " 0 meetings new, 0 changed" in output and "Kept staff edits" not in output
    assert Meeting.objects.get(source_id="headingley-monday-step").start_time == \
        datetime.time(19, 45)


def test_overwrite_edits_takes_the_feed_value(fellowships, tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    staff_edit("headingley-monday-step", start_time=datetime.time(19, 45),
               notes="Staff: use the back door")
    items[0]["time"] = "20:00"
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa", "--overwrite-edits")
    assert "0 meetings new, 1 changed" in output
    assert "Overwrote staff edits (1):" in output and "Kept staff edits" not in output
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    # Only the field the feed changed: the other staff edit stays.
    assert (meeting.start_time, meeting.notes) == (datetime.time(20, 0),
                                                   "Staff: use the back door")


def test_features_edited_by_staff_are_kept(fellowships, tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    meeting = Meeting.objects.get(source_id="headingley-monday-step")
    meeting.features.remove(meeting.features.get(slug="bsl"))
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert " 0 meetings new, 0 changed" in output
    assert "bsl" not in meeting.features.values_list("slug", flat=True)
    # The feed drops "newcomers" as well: staff removed BSL, so the features are theirs.
    items[0]["types"].remove("BE")
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert "Kept staff edits (1):" in output
    assert "features: staff 'newcomers, step-study'" in output
    assert set(meeting.features.values_list("slug", flat=True)) == {"newcomers", "step-study"}
    # ...until staff choose the feed's.
    items[0]["types"].remove("ST")
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa", "--overwrite-edits")
    assert "Overwrote staff edits (1):" in output
    assert set(meeting.features.values_list("slug", flat=True)) == {"bsl"}


def test_meetings_imported_before_snapshots_are_updated_as_before(fellowships, tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    Meeting.objects.update(imported_values={})
    items[0]["time"] = "20:00"
    output = import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert "0 meetings new, 1 changed" in output and "Kept staff edits" not in output
    assert Meeting.objects.get(source_id="headingley-monday-step").start_time == \
        datetime.time(20, 0)
    assert all(m.imported_values for m in Meeting.objects.filter(source="feed.json"))


def test_a_staff_suspension_is_kept_and_a_vanished_meeting_still_reopens(fellowships, tmp_path):
    items = feed_items()
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    staff_edit("leeds-online-women", status=Status.SUSPENDED)
    import_file(write_feed(tmp_path, items[1:]), "--fellowship", "aa")
    assert Meeting.objects.get(source_id="headingley-monday-step").status == Status.CLOSED
    import_file(write_feed(tmp_path, items), "--fellowship", "aa")
    assert Meeting.objects.get(source_id="headingley-monday-step").status == Status.ACTIVE
    assert Meeting.objects.get(source_id="leeds-online-women").status == Status.SUSPENDED


def test_the_admin_dry_run_lists_kept_staff_edits(fellowships, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    items = feed_items()
    run_import(json.dumps(items).encode(), fmt="meeting-guide", source="leeds",
               fellowship=fellowships["aa"])
    staff_edit("headingley-monday-step", notes="Staff: use the back door")
    items[0]["notes"] = "Tea, coffee"
    page = admin_client.post("/admin/import-meetings/", {
        "file": SimpleUploadedFile("feed.json", json.dumps(items).encode()),
        "format": "meeting-guide", "fellowship": "aa", "source_name": "leeds",
        "timezone": "Europe/London",
    }).content.decode()
    assert "Kept staff edits (1):" in page
    assert "notes: staff &#x27;Staff: use the back door&#x27;, source &#x27;Tea, coffee&#x27;" \
        in page
    assert Meeting.objects.get(source_id="headingley-monday-step").imported_values["notes"] == \
        "Tea & biscuits\nfrom 7pm"  # a dry run
