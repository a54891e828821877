"""Whatever is sent, nothing escapes: property tests with Hypothesis.

The search's public parameters (on the page, the JSON, the embed, the CSV and the
calendar) answer any query string without a server error, and the importers answer any
file with a report or a clear refusal: never an exception, and nothing written from an
import they refused. Derandomized (the same examples on every run) and with no example
database, so CI is deterministic; a few hundred examples keep it to seconds.
"""

import csv
import io
import json
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups.models import Group
from meetings.importers import FeedError, run_import
from meetings.models import Format, Meeting, Venue
from tests.factories import make_meeting, make_venue

# Examples share the test's database set-up (read-only for the search; each import rolls
# itself back), so the function-scoped fixtures are fine.
PROPERTIES = settings(
    derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

# Any character, including NUL, controls, other scripts' digits and lone surrogates.
ANY_CHARACTER = st.characters(codec=None, categories=None)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=40)
URL_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)

# The public parameters (docs/partners.md), values a partner or a fuzzer might send.
PARAMETERS = ["near", "within", "fellowship", "philosophy", "for", "format", "day", "time",
              "when", "feature", "language", "q", "sort", "page"]
LIKELY_VALUES = st.sampled_from([
    "LS6 1AA", "Leeds", "leeds", "M1", "ZZ99 9ZZ", "10", "2.5", "0", "-1", "1e400", "nan",
    "inf", "1_0", "9" * 5000, "\u0662", "１", "aa", "secular", "family", "online",
    "in-person", "hybrid", "monday", "today", "now", "morning", "evening", "women",
    "wheelchair", "en", "pl", "distance", "soonest", "name", "", " ", "%", "\x00",
])
# Numbers of every size: a page or a radius of thousands of digits, negative, fractional.
NUMBERS = st.one_of(st.integers().map(str), st.floats().map(str),
                    st.integers(4300, 6000).map(lambda digits: "1" + "0" * digits))
VALUE = st.one_of(LIKELY_VALUES, URL_TEXT, NUMBERS)
QUERY = st.builds(
    lambda known, extra: urlencode([(k, v) for k, values in known.items() for v in values]
                                   + extra),
    st.fixed_dictionaries({}, optional={
        name: st.lists(VALUE, min_size=1, max_size=2) for name in PARAMETERS}),
    st.lists(st.tuples(URL_TEXT, VALUE), max_size=2),
)
RAW_QUERY = st.binary(max_size=60).map(lambda raw: quote(raw, safe="=&+"))
ENDPOINTS = ["/meetings/", "/meetings.json", "/embed/meetings/", "/meetings.csv",
             "/meetings.ics"]


@pytest.fixture
def listings(fellowships, place):
    place("LS6 1AA")  # the postcodes of Leeds and Manchester are loaded
    leeds = make_venue(town="Leeds", postcode="LS6 1AA", latitude=53.8179, longitude=-1.5745)
    for n, fellowship in enumerate(["aa", "na", "smart-recovery"]):
        make_meeting(name=f"Meeting {n}", fellowship=fellowships[fellowship], venue=leeds,
                     weekday=n, features=["women"], languages=["en"])
    make_meeting(name="Online", fellowship=fellowships["aa"], format=Format.ONLINE)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@settings(PROPERTIES, max_examples=80)
@given(query=st.one_of(QUERY, RAW_QUERY))
def test_no_query_string_is_a_server_error(client, listings, endpoint, query):
    # The test client raises whatever a view raises, so an escaped exception fails here.
    response = client.get(f"{endpoint}?{query}")
    assert response.status_code < 500


# Importers ------------------------------------------------------------------------------

JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
# Values near what each field should hold, so examples reach past the first check.
NEAR_VALID = {
    "name": st.sampled_from(["Hope Group", "Serenity", "Step by Step"]),
    "slug": st.sampled_from(["hope", "serenity", "step"]),
    "day": st.one_of(st.integers(-1, 8), st.lists(st.integers(0, 6), max_size=3),
                     st.sampled_from(["1", "１", "²"])),
    "time": st.sampled_from(["19:30", "7:30 PM", "24:00", "19:30:99", "１９:３０", "07:00"]),
    "end_time": st.sampled_from(["20:30", "8:30 pm", "", "99:99"]),
    "timezone": st.sampled_from(["Europe/London", "America/New_York", "America", "UTC",
                                 "x" * 300]),
    "formatted_address": st.sampled_from([
        "1 High Street, Leeds LS6 1AA, UK", "Leeds, UK", "18 Olive Ave, Rehoboth Beach, "
        "DE 19971, USA", "8 Rue Roquépine, 75008 Paris, France", ""]),
    "approximate": st.sampled_from(["yes", "no"]),
    "latitude": st.one_of(st.floats(-100, 100), st.sampled_from([53.8, 38.7, "53.8"])),
    "longitude": st.one_of(st.floats(-200, 200), st.sampled_from([-1.55, -75.1, "-1.5"])),
    "types": st.lists(st.sampled_from(["O", "C", "ONL", "TC", "W", "X", "EN", "POL", "ZZZ"]),
                      max_size=4),
    "conference_url": st.sampled_from(["https://zoom.example/j/1", "not a url",
                                       "https://user:pass@zoom.example/j/1"]),
    "conference_phone": st.sampled_from(["+441134960000", "0" * 70]),
    "attendance_option": st.sampled_from(["in_person", "online", "hybrid", "inactive", "x"]),
    "notes": st.sampled_from(["Ring Jo on 07912 345678", "jo@example.com", "Tea"]),
    "location": st.sampled_from(["Church Hall", "Hall " * 40]),
    "group": st.sampled_from(["Hope Group", ""]),
}
FEED_ITEM = st.fixed_dictionaries({}, optional={
    field: st.one_of(near, JSON_VALUE) for field, near in NEAR_VALID.items()})
FEED = st.one_of(
    st.lists(FEED_ITEM, max_size=4).map(lambda items: json.dumps(items).encode()),
    JSON_VALUE.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
)
CSV_COLUMNS = ["Time", "End Time", "Day", "Name", "Location", "Address", "Types", "Notes",
               "Timezone", "Group", "Conference URL", "Conference Phone", "Slug"]
CSV_ROWS = st.lists(st.fixed_dictionaries({}, optional={
    column: st.one_of(ANY_TEXT, st.sampled_from(["7:30 PM", "Monday", "Tuesday,Friday",
                                                 "1 High Street, Leeds LS6 1AA, UK", "Open"]))
    for column in CSV_COLUMNS}), max_size=4)


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")  # broken UTF-8 too


def listings_count() -> tuple[int, int, int]:
    return Meeting.objects.count(), Venue.objects.count(), Group.objects.count()


def import_and_check(data: bytes, fmt: str, fellowship) -> None:
    # Each example starts from the same empty listings: roll back whatever it wrote.
    with transaction.atomic():
        try:
            report = run_import(data, fmt=fmt, source="fuzz", fellowship=fellowship,
                                include_outside_uk=True)
        except FeedError:
            report = None  # refused whole, with a message
        if report is None or not report.written:
            assert listings_count() == (0, 0, 0)
        else:
            assert report.errors == []
            assert Meeting.objects.count() == len(report.created)
        transaction.set_rollback(True)


@settings(PROPERTIES, max_examples=250)
@given(data=FEED)
def test_any_meeting_guide_file_is_reported_not_raised(fellowships, data):
    import_and_check(data, "meeting-guide", fellowships["aa"])


@settings(PROPERTIES, max_examples=120)
@given(data=st.one_of(CSV_ROWS.map(as_csv), st.binary(max_size=200)))
def test_any_csv_file_is_reported_not_raised(fellowships, data):
    import_and_check(data, "csv", fellowships["aa"])
