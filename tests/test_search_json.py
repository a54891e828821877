"""/meetings.json: the same search as the page, as data a partner can build on."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Format
from meetings.schedule import LONDON
from tests.factories import make_meeting, make_venue

URL = "/meetings.json"


def miles_north(location, miles: float) -> dict:
    return {"latitude": location.latitude + miles / 69.23, "longitude": location.longitude}


@pytest.fixture
def tuesday_noon(db, monkeypatch):
    moment = datetime.datetime(2024, 12, 10, 12, 0, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_a_result_has_every_documented_field(client, fellowships, place, tuesday_noon):
    leeds = place("LS6 1AA")
    venue = make_venue(name="Quaker Meeting House", town="Leeds", postcode="LS6 1AA",
                       step_free=True, **miles_north(leeds, 1))
    meeting = make_meeting(name="Tuesday Hybrid", fellowship=fellowships["aa"], weekday=1,
                           venue=venue, format=Format.HYBRID, online_url="https://example.org/j",
                           features=["newcomers"], languages=["en", "cy"], access="open",
                           last_verified=datetime.date(2024, 11, 1))
    data = client.get(URL, {"near": "LS6 1AA"}).json()
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None
    assert data["query"]["near"]["label"] == leeds.label
    assert data["query"]["near"]["latitude"] == pytest.approx(leeds.latitude)
    # A number of miles, the same type whether given or the default.
    assert data["query"]["within"] == 10 and isinstance(data["query"]["within"], float)
    given = client.get(URL, {"near": "LS6 1AA", "within": "10"}).json()["query"]["within"]
    assert given == 10 and isinstance(given, float)
    assert set(data) == {"count", "next", "previous", "query", "results"}
    assert set(data["query"]["near"]) == {"query", "label", "latitude", "longitude",
                                          "approximate"}
    result = data["results"][0]
    assert set(result) == {
        "id", "url", "name", "fellowship", "group", "format", "status", "day", "recurrence",
        "start_time", "end_time", "timezone", "next_start", "venue", "online", "features",
        "languages", "distance_miles", "last_verified",
    }
    assert set(result["venue"]) == {
        "name", "address", "town", "postcode", "latitude", "longitude"}
    assert result["venue"]["latitude"] == pytest.approx(venue.latitude)
    assert result["venue"]["address"] == venue.address
    assert result["id"] == meeting.pk
    assert result["url"] == f"http://testserver/meetings/{meeting.slug}/"
    assert result["fellowship"] == {
        "slug": "aa", "name": "Alcoholics Anonymous", "philosophy": "twelve-step",
        "family_audience": None,
    }
    assert result["format"] == "hybrid"
    assert result["day"] == "tuesday"
    assert result["start_time"] == "19:30" and result["end_time"] == "20:30"
    assert result["timezone"] == "Europe/London"
    assert result["next_start"] == "2024-12-10T19:30:00+00:00"
    assert result["venue"]["name"] == "Quaker Meeting House"
    assert result["venue"]["postcode"] == "LS6 1AA"
    assert result["online"] == {"url": "https://example.org/j", "phone": "", "notes": ""}
    assert set(result["features"]) == {"open", "newcomers", "wheelchair"}
    assert sorted(result["languages"]) == ["cy", "en"]
    assert result["distance_miles"] == pytest.approx(1.0, abs=0.05)
    assert result["last_verified"] == "2024-11-01"


def test_next_start_carries_the_summer_offset(client, db, monkeypatch):
    moment = datetime.datetime(2024, 7, 9, 12, 0, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    make_meeting(weekday=1)
    assert client.get(URL).json()["results"][0]["next_start"] == "2024-07-09T19:30:00+01:00"


def test_a_meeting_kept_in_another_time_zone_starts_at_its_own_clock_time(client, db,
                                                                          monkeypatch):
    # 19:30 in New York on Tuesday 10 December 2024 is 00:30 on Wednesday in the UK.
    moment = datetime.datetime(2024, 12, 10, 12, 0, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    meeting = make_meeting(name="Brooklyn", weekday=1, format=Format.ONLINE,
                           timezone="America/New_York")
    result = client.get(URL).json()["results"][0]
    assert result["timezone"] == "America/New_York"
    assert result["next_start"] == "2024-12-10T19:30:00-05:00"
    assert b"Tomorrow 12:30am" in client.get("/meetings/").content  # in UK time
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "7:30pm to 8:30pm" in page and "(America/New_York time)" in page
    assert "DTSTART;TZID=America/New_York:20241210T193000" in client.get(
        f"/meetings/{meeting.slug}.ics").content.decode()


def test_online_meetings_have_no_venue_and_in_person_no_online(client, db):
    make_meeting(name="Online", format=Format.ONLINE, online_phone="0300 000 0000")
    make_meeting(name="In person")
    results = {r["name"]: r for r in client.get(URL + "?sort=name").json()["results"]}
    assert results["Online"]["venue"] is None
    assert results["Online"]["online"]["phone"] == "0300 000 0000"
    assert results["In person"]["online"] is None
    assert results["In person"]["distance_miles"] is None


def test_every_coded_value_feeds_back_into_a_search(client, fellowships, tuesday_noon):
    make_meeting(fellowship=fellowships["smart-recovery"], weekday=3, format=Format.HYBRID,
                 venue=make_venue(hearing_loop=True), features=["women", "bsl"],
                 languages=["pl"], access="closed")
    make_meeting(fellowship=fellowships["aa"], weekday=0)
    result = next(r for r in client.get(URL).json()["results"]
                  if r["fellowship"]["slug"] == "smart-recovery")
    params = [
        ("fellowship", result["fellowship"]["slug"]),
        ("philosophy", result["fellowship"]["philosophy"]),
        ("format", result["format"]),
        ("day", result["day"]),
        *[("feature", slug) for slug in result["features"]],
        *[("language", code) for code in result["languages"]],
    ]
    for name, value in params:
        response = client.get(URL, {name: value})
        assert response.status_code == 200, (name, value, response.json())
        assert result["id"] in [r["id"] for r in response.json()["results"]], (name, value)


def test_same_results_and_order_as_the_page(client, db):
    for n in range(5):
        make_meeting(name=f"M{n}", weekday=n)
    page = client.get("/meetings/?day=monday&day=wednesday&day=friday")
    data = client.get(URL + "?day=monday&day=wednesday&day=friday").json()
    assert [r["id"] for r in data["results"]] == [m.pk for m in page.context["meetings"]]


def test_next_and_previous_are_absolute_links_keeping_the_query(client, db):
    for n in range(45):
        make_meeting(name=f"M{n:02d}")
    data = client.get(URL + "?sort=name&page=2").json()
    assert data["count"] == 45
    assert data["next"] == "http://testserver/meetings.json?sort=name&page=3"
    assert data["previous"] == "http://testserver/meetings.json?sort=name&page=1"
    assert [r["name"] for r in data["results"]][0] == "M20"


def test_next_and_previous_keep_a_place_and_repeated_values(client, place):
    leeds = place("LS6 1AA")
    for n in range(25):
        make_meeting(name=f"M{n:02d}", weekday=n % 2,
                     venue=make_venue(**miles_north(leeds, 1 + n / 10)))
    data = client.get(URL + "?near=LS6+1AA&day=monday&day=tuesday&within=5").json()
    assert data["count"] == 25
    assert data["next"] == ("http://testserver/meetings.json?near=LS6+1AA&day=monday"
                            "&day=tuesday&within=5&page=2")
    second = client.get(data["next"].removeprefix("http://testserver")).json()
    assert [r["name"] for r in second["results"]] == [f"M{n:02d}" for n in range(20, 25)]
    assert second["previous"].endswith("within=5&page=1") and second["next"] is None


def test_without_near_the_query_has_null_place_and_radius(client, db):
    query = client.get(URL + "?day=monday&q=hall").json()["query"]
    assert query["near"] is None and query["within"] is None
    assert query["day"] == ["monday"] and query["q"] == "hall"
    assert query["sort"] == "soonest"


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("within=abc", "within"),
        ("within=-1", "within"),
        ("within=500", "within"),
        ("day=funday", "day"),
        ("fellowship=nonexistent", "fellowship"),
        ("page=x", "page"),
        ("page=999", "page"),
        ("page=100000000000000000000", "page"),
        ("page=%D9%A2", "page"),
        ("within=1_0", "within"),
        ("format=telepathy", "format"),
        ("time=noonish", "time"),
        ("when=later", "when"),
        ("feature=unicorns", "feature"),
        ("language=xx", "language"),
        ("for=everyone", "for"),
        ("philosophy=stoic", "philosophy"),
        ("near=ZZ99+9ZZ", "near"),
        ("sort=random", "sort"),
    ],
)
def test_an_invalid_parameter_is_a_400_naming_it(client, place, query, param):
    place("LS6 1AA")
    make_meeting()
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert param in response.json()["errors"]


def test_empty_values_are_no_filter_rather_than_a_mistake(client, db):
    make_meeting()
    empty = "&".join(f"{name}=" for name in [
        "q", "fellowship", "philosophy", "for", "format", "day", "time", "when", "feature",
        "language", "sort", "near", "within", "page",
    ])
    response = client.get(f"{URL}?{empty}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_there_is_only_one_page_says_so_in_the_singular(client, db):
    make_meeting()
    response = client.get(URL + "?page=2")
    assert response.json()["errors"]["page"] == "There is only 1 page."


def test_unknown_parameters_are_ignored(client, db):
    make_meeting()
    assert client.get(URL + "?utm_source=x").json()["count"] == 1


def test_other_sites_may_fetch_it(client, db):
    assert client.get(URL)["Access-Control-Allow-Origin"] == "*"


def test_queries_do_not_grow_with_results(client, tuesday_noon, django_assert_num_queries,
                                         settings):
    settings.PAGE_CACHE = False  # the work of building it (a kept one: test_page_cache.py)
    for _n in range(3):
        make_meeting(features=["women"], languages=["en"])
    client.get(URL)  # reads the choice lists, which later searches share (meetings.catalogue)
    # With no place, and so no radius: the data version, under which the order and count
    # of the first pages are kept for the minute (meetings.first_pages), then the page's
    # meetings by id with their group, venue, features and languages.
    with django_assert_num_queries(2):
        client.get(URL)
    for _n in range(17):
        make_meeting(features=["women"], languages=["en"])
    client.get(URL)  # each new meeting came with a new fellowship: read the lists again
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 20


def test_a_family_fellowship_says_whose_addiction_it_is_for(client, fellowships):
    make_meeting(name="Al-Anon", fellowship=fellowships["al-anon"])
    make_meeting(name="Gam-Anon", fellowship=fellowships["gam-anon"])
    results = client.get(URL, {"for": "family-and-friends", "sort": "name"}).json()["results"]
    assert [r["fellowship"]["family_audience"] for r in results] == [
        "For families and friends affected by someone’s drinking",
        "For families and friends affected by someone’s gambling",
    ]


def test_a_new_postcode_is_searched_near_its_sector_and_marked_approximate(
    client, fellowships, place
):
    sector = place("LS6 1")
    make_meeting(name="Near", venue=make_venue(**miles_north(sector, 1)))
    data = client.get(URL, {"near": "LS6 1ZZ"}).json()
    assert [r["name"] for r in data["results"]] == ["Near"]
    assert data["query"]["near"]["label"] == "LS6 1"
    assert data["query"]["near"]["approximate"] is True
    assert client.get(URL, {"near": "LS6 1AA"}).json()["query"]["near"]["approximate"] is False
    unknown = client.get(URL, {"near": "LS77 1AA"})
    assert unknown.status_code == 400 and "LS77 1AA" in unknown.json()["errors"]["near"]
