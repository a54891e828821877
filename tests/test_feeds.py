"""/meetings.csv and /meetings.ics: the search's other renderings, same parameters."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from groups.models import Group
from meetings.feeds import _NUMBER, CSV_COLUMNS, FORMULA_STARTS, flatten
from meetings.models import Format, Recurrence, Weekday
from tests.factories import make_meeting, make_venue

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def meetings(fellowships):
    leeds = make_venue(name="Quaker Meeting House", town="Leeds", postcode="LS2 9DX",
                       latitude=53.8049, longitude=-1.5517)
    york = make_venue(name="Friargate", town="York", postcode="YO1 9RL",
                      latitude=53.9567, longitude=-1.0832)
    return {
        "leeds_aa": make_meeting(fellowship=fellowships["aa"], name="Leeds Tuesday",
                                 venue=leeds, weekday=Weekday.TUESDAY, features=["women"]),
        "leeds_smart": make_meeting(fellowship=fellowships["smart-recovery"],
                                    name="=SUM(A1) Leeds SMART", venue=leeds,
                                    weekday=Weekday.THURSDAY, recurrence=Recurrence.LAST),
        "york_aa": make_meeting(fellowship=fellowships["aa"], name="York Ystafell Gymraeg",
                                venue=york, weekday=Weekday.TUESDAY, languages=["cy"]),
        "online_na": make_meeting(fellowship=fellowships["na"], name="Online Zoom Łódź",
                                  format=Format.ONLINE, weekday=Weekday.SUNDAY),
    }


def near_leeds(meetings: dict, place) -> None:
    """Put the Leeds venue where the search will place "LS6 1AA" (York stays 20 miles off)."""
    location = place("LS6 1AA")
    venue = meetings["leeds_aa"].venue
    venue.latitude, venue.longitude = location.latitude, location.longitude
    venue.save()


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def ics_events(response) -> list:
    assert response.status_code == 200
    return Calendar.from_ical(response.getvalue()).walk("VEVENT")


def json_names(client, query: str) -> list[str]:
    return [r["name"] for r in client.get(f"/meetings.json?{query}").json()["results"]]


# CSV ----------------------------------------------------------------------------------

def test_csv_is_utf8_with_a_byte_order_mark_for_excel(client, meetings):
    response = client.get("/meetings.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.getvalue()
    assert body.startswith("\ufeff".encode())
    assert 'filename="meetings.csv"' in response["Content-Disposition"]
    assert "Online Zoom Łódź" in body.decode("utf-8-sig")


def test_csv_has_one_row_per_meeting_with_the_stable_columns(client, meetings):
    response = client.get("/meetings.csv")
    reader = csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    assert header == CSV_COLUMNS
    assert len(rows) == 4 and all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_csv_columns_cover_every_field_of_the_json(client, meetings, place):
    near_leeds(meetings, place)
    for result in client.get("/meetings.json?near=LS6%201AA").json()["results"] + \
            client.get("/meetings.json?format=online").json()["results"]:
        # An absent object ("online": null) is its columns left empty.
        fields = {key for key in flatten(result)
                  if not any(column.startswith(f"{key}_") for column in CSV_COLUMNS)}
        assert fields <= set(CSV_COLUMNS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fellowship=aa", {"Leeds Tuesday", "York Ystafell Gymraeg"}),
        ("day=tuesday", {"Leeds Tuesday", "York Ystafell Gymraeg"}),
        ("format=online", {"Online Zoom Łódź"}),
        ("feature=women", {"Leeds Tuesday"}),
        ("language=cy", {"York Ystafell Gymraeg"}),
        ("philosophy=secular", {"'=SUM(A1) Leeds SMART"}),
    ],
)
def test_csv_filters_like_the_search(client, meetings, query, expected):
    assert {row["name"] for row in csv_rows(client.get(f"/meetings.csv?{query}"))} == expected


def test_csv_matches_the_json_for_the_same_query(client, meetings):
    query = "fellowship=aa&fellowship=na&sort=name"
    assert [row["name"] for row in csv_rows(client.get(f"/meetings.csv?{query}"))] == \
        json_names(client, query)


def test_csv_flattens_venue_fellowship_and_lists(client, meetings):
    row = next(r for r in csv_rows(client.get("/meetings.csv")) if r["name"] == "Leeds Tuesday")
    assert (row["fellowship_slug"], row["venue_town"], row["venue_postcode"]) == (
        "aa", "Leeds", "LS2 9DX")
    assert row["features"] == "women"
    assert row["day"] == "tuesday" and row["start_time"] == "19:30"
    online = next(r for r in csv_rows(client.get("/meetings.csv"))
                  if r["name"] == "Online Zoom Łódź")
    assert online["venue_name"] == "" and online["online_url"] == "https://example.org/join/123"


def test_csv_distance_when_near_a_place(client, meetings, place):
    near_leeds(meetings, place)
    rows = csv_rows(client.get("/meetings.csv?near=LS6%201AA&within=5"))
    assert [row["name"] for row in rows][:1] in (["Leeds Tuesday"], ["'=SUM(A1) Leeds SMART"])
    assert float(rows[0]["distance_miles"]) < 1
    assert "York Ystafell Gymraeg" not in {row["name"] for row in rows}


def test_csv_cells_never_start_a_formula(client, meetings):
    names = {row["name"] for row in csv_rows(client.get("/meetings.csv"))}
    assert "'=SUM(A1) Leeds SMART" in names


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_csv_neutralises_every_formula_start_including_full_width_signs(
    client, fellowships, start
):
    make_meeting(fellowship=fellowships["aa"], name=f"{start}HYPERLINK(\"http://x\")",
                 notes="n", online_notes=f"{start}1+1", format=Format.ONLINE)
    row = csv_rows(client.get("/meetings.csv"))[0]
    assert row["name"] == f"'{start}HYPERLINK(\"http://x\")"
    assert row["online_notes"] == f"'{start}1+1"


def test_no_csv_cell_starts_a_formula_whatever_field_it_comes_from(client, fellowships):
    # Every field staff or an import can fill, filled with a formula (saved without the
    # forms' validation, as a bulk import or a database edit could).
    formula = "=A1*2"  # short enough for every field (a short name holds 20)
    aa = fellowships["aa"]
    aa.name = aa.short_name = formula
    aa.save()
    venue = make_venue(name=formula, address_line1=formula, address_line2=formula,
                       town=formula, postcode=formula)
    group = Group.objects.create(fellowship=aa, name=formula)
    for meeting_format in (Format.IN_PERSON, Format.HYBRID):
        make_meeting(fellowship=aa, group=group, venue=venue, name=formula, notes=formula,
                     format=meeting_format, online_url=formula, online_phone=formula,
                     online_notes=formula, timezone="Europe/London")
    rows = csv_rows(client.get("/meetings.csv"))
    assert len(rows) == 2
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS) or _NUMBER.match(cell), (column, cell)
        assert row["name"] == row["venue_name"] == row["group"] == "'" + formula


def test_csv_keeps_negative_numbers_as_numbers(client, meetings):
    rows = csv_rows(client.get("/meetings.csv"))
    assert {row["venue_longitude"] for row in rows} >= {"-1.5517", "-1.0832"}


def test_csv_quotes_every_cell(client, meetings):
    text = client.get("/meetings.csv").getvalue().decode("utf-8-sig")
    for line in text.split("\r\n")[:-1]:
        cells = next(csv.reader([line]))
        assert line == ",".join(f'"{cell}"' for cell in cells), line


def test_csv_ignores_pages_and_lists_every_match(client, fellowships):
    for n in range(25):
        make_meeting(fellowship=fellowships["aa"], name=f"Many {n}")
    assert len(csv_rows(client.get("/meetings.csv?fellowship=aa&page=2"))) == 25


def test_csv_reports_parameters_it_did_not_understand(client, meetings):
    response = client.get("/meetings.csv?day=someday&fellowship=aa")
    assert "day" in response["X-Search-Errors"]
    assert len(csv_rows(response)) == 2  # the valid filter still applies


# Calendar -----------------------------------------------------------------------------

def test_search_calendar_has_one_recurring_event_per_meeting(client, meetings):
    response = client.get("/meetings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = ics_events(response)
    assert len(events) == 4
    assert len({str(event["UID"]) for event in events}) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fellowship=aa", {"Leeds Tuesday (AA)", "York Ystafell Gymraeg (AA)"}),
        ("format=online", {"Online Zoom Łódź (NA)"}),
    ],
)
def test_search_calendar_filters_like_the_search(client, meetings, query, expected):
    summaries = {str(e["SUMMARY"]) for e in ics_events(client.get(f"/meetings.ics?{query}"))}
    assert summaries == expected


def test_search_calendar_near_a_place(client, meetings, place):
    near_leeds(meetings, place)
    events = ics_events(client.get("/meetings.ics?near=LS6%201AA&within=3"))
    assert {str(e["SUMMARY"]) for e in events} == {"Leeds Tuesday (AA)",
                                                    "=SUM(A1) Leeds SMART (SMART)"}


def test_search_calendar_monthly_rule_and_london_zone(client, meetings):
    events = ics_events(client.get("/meetings.ics?philosophy=secular"))
    (event,) = events
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=-1TH"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    start = event.decoded("dtstart")
    assert start.weekday() == Weekday.THURSDAY
    assert (start + datetime.timedelta(days=7)).month != start.month  # the last Thursday


def test_search_calendar_links_back_and_locates(client, meetings):
    event = next(e for e in ics_events(client.get("/meetings.ics"))
                 if str(e["SUMMARY"]).startswith("Leeds Tuesday"))
    assert str(event["URL"]).endswith(f"/meetings/{meetings['leeds_aa'].slug}/")
    assert "Quaker Meeting House" in str(event["LOCATION"])


# HTTP manners shared by every rendering -----------------------------------------------

@pytest.mark.parametrize("path", ["/meetings.csv", "/meetings.ics", "/api/meeting-guide.json"])
def test_feeds_allow_cross_origin_get(client, meetings, path):
    assert client.get(path)["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/meetings.csv?fellowship=aa", "/meetings.ics",
                                  "/api/meeting-guide.json", "/embed/meetings/", "/partners/"])
def test_public_responses_cache_briefly_and_answer_304(client, meetings, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_meeting_changes_the_etag(client, meetings):
    first = client.get("/meetings.csv")["ETag"]
    meetings["leeds_aa"].name = "Leeds Tuesday Renamed"
    meetings["leeds_aa"].save()
    assert client.get("/meetings.csv", HTTP_IF_NONE_MATCH=first).status_code == 200
