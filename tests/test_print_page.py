"""The printable list /meetings/print/: every match of any search, grouped by day, with
addresses, to hand to someone on paper (issue 13)."""

import datetime
import re
from html import unescape

import pytest

from meetings import printout
from meetings.models import Format, Recurrence, Status
from recovery_finder.qr import qr_path
from tests.factories import make_meeting, make_venue

URL = "/meetings/print/"
t = datetime.time


def miles_north(location, miles: float) -> dict:
    return {"latitude": location.latitude + miles / 69.23, "longitude": location.longitude}


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def listed(response) -> list[tuple[str, list[str]]]:
    return [(day, [m.name for m in meetings])
            for day, meetings in response.context["listing"].days]


@pytest.fixture
def leeds(place):
    return place("LS6 1AA")


def test_every_match_grouped_by_day_and_ordered_by_time_monthly_apart(client, leeds):
    near = miles_north(leeds, 1)
    make_meeting(name="Tuesday late", weekday=1, start_time=t(20, 0), venue=make_venue(**near))
    make_meeting(name="Tuesday early", weekday=1, start_time=t(7, 0), venue=make_venue(**near))
    make_meeting(name="Monday noon", weekday=0, start_time=t(12, 0), venue=make_venue(**near))
    make_meeting(name="First Sunday", weekday=6, recurrence=Recurrence.FIRST,
                 venue=make_venue(**near))
    make_meeting(name="Far away", venue=make_venue(**miles_north(leeds, 30)))
    for n in range(25):  # more than one page of the search
        make_meeting(name=f"Friday {n:02d}", weekday=4, start_time=t(18, n),
                     venue=make_venue(**near))

    response = client.get(URL, {"near": "LS6 1AA", "within": "5"})

    assert response.status_code == 200
    days = listed(response)
    assert [day for day, _ in days] == ["Monday", "Tuesday", "Friday", "Once a month"]
    assert days[1][1] == ["Tuesday early", "Tuesday late"]
    assert days[2][1] == [f"Friday {n:02d}" for n in range(25)]
    assert days[3][1] == ["First Sunday"]
    page = text(response)
    assert "29 meetings within 5 miles of LS6 1AA" in page
    assert "First Sunday of the month" in page
    assert "Far away" not in page


def test_each_meeting_has_its_fellowship_times_full_address_and_features(
    client, leeds, fellowships
):
    venue = make_venue(name="Quaker Meeting House", address_line1="188 Woodhouse Lane",
                       address_line2="Back entrance", town="Leeds", postcode="LS2 9DX",
                       step_free=True, **miles_north(leeds, 1))
    make_meeting(name="Headingley Tuesday", fellowship=fellowships["aa"], weekday=1,
                 start_time=t(19, 30), end_time=t(21, 0), venue=venue,
                 features=["newcomers"], access="open")

    page = text(client.get(URL, {"near": "LS6 1AA"}))

    assert "7:30pm to 9pm Headingley Tuesday" in page
    assert "Alcoholics Anonymous" in page
    assert ("Quaker Meeting House, 188 Woodhouse Lane, Back entrance, Leeds LS2 9DX"
            in page)
    assert "Open meeting · Newcomers welcome" in page or "Open meeting" in page
    assert "Step-free" in page


def test_an_online_meeting_says_how_to_join(client, db):
    make_meeting(name="Lunchtime online", format=Format.ONLINE,
                 online_url="https://example.org/join/42", online_phone="0113 496 0000",
                 online_notes="Meeting ID 123 456")

    page = text(client.get(URL, {"format": "online"}))

    assert ("Join online: https://example.org/join/42 · by phone 0113 496 0000 · "
            "Meeting ID 123 456") in page
    assert "1 meeting anywhere in the UK · only: Online." in page


def test_a_suspended_meeting_says_so(client, db):
    make_meeting(name="Resting", status=Status.SUSPENDED)
    assert "Temporarily suspended: not meeting for now." in text(
        client.get(URL, {"q": "Resting"}))


def test_past_the_limit_the_nearest_are_kept_and_the_page_says_how_to_narrow(
    client, leeds, monkeypatch
):
    monkeypatch.setattr(printout, "LIMIT", 3)
    for miles in [4, 1, 3, 2, 5]:
        make_meeting(name=f"{miles} miles", venue=make_venue(**miles_north(leeds, miles)))

    response = client.get(URL, {"near": "LS6 1AA"})

    assert listed(response) == [("Monday", ["1 miles", "2 miles", "3 miles"])]
    assert "This list shows the first 3 of 5 meetings. To list them all, narrow the search" \
        in text(response)


def test_the_foot_gives_the_search_in_words_the_date_and_the_live_address(
    client, leeds, fellowships
):
    make_meeting(fellowship=fellowships["aa"], venue=make_venue(**miles_north(leeds, 1)))

    response = client.get(URL + "?near=LS6+1AA&within=5&fellowship=aa&day=monday&page=3")
    page = text(response)

    assert ("This list: within 5 miles of LS6 1AA · only: Monday, Alcoholics Anonymous."
            in page)
    assert re.search(r"Printed \d{1,2} \w+ 20\d\d\.", page)
    live = "http://testserver/meetings/?near=LS6+1AA&within=5&fellowship=aa&day=monday"
    assert f'href="{live.replace("&", "&amp;")}"' in response.content.decode()
    assert live in page
    # The QR code is drawn in the page (no image to fetch) and the crisis numbers are there.
    assert re.search(r'<svg class="printout__qr"[^>]*role="img"', response.content.decode())
    assert re.search(r'<path fill="#000" d="M\d+ \d+h\d+v1h-\d+z', response.content.decode())
    assert "116 123" in page and "999" in page


def test_the_qr_code_holds_the_address_it_is_given():
    size, path = qr_path("http://testserver/meetings/?near=LS6+1AA")
    # A version 3 code (29 modules) plus the quiet zone of four on each side.
    assert size == 29 + 8
    assert path.startswith("M4 4h7v1h-7z")  # the top-left finder pattern's first row


def test_it_lists_exactly_what_the_search_finds(client, leeds, fellowships):
    for n, miles in enumerate([0.5, 2, 7, 12]):
        make_meeting(name=f"AA {n}", fellowship=fellowships["aa"],
                     venue=make_venue(step_free=bool(n % 2), **miles_north(leeds, miles)))
        make_meeting(name=f"NA {n}", fellowship=fellowships["na"],
                     venue=make_venue(**miles_north(leeds, miles)))
    query = "near=LS6+1AA&within=10&fellowship=aa&feature=wheelchair"

    found = client.get("/meetings.json?" + query).json()["results"]
    printed = client.get(f"{URL}?{query}").context["listing"].days

    assert sorted(r["name"] for r in found) == sorted(
        m.name for _day, meetings in printed for m in meetings) == ["AA 1"]


def test_with_nothing_asked_it_asks_which_place_kindly(client, db):
    make_meeting(name="Somewhere")
    response = client.get(URL)
    page = text(response)
    assert response.status_code == 200
    assert response.context["listing"] is None
    assert "Which place is the list for?" in page
    assert "Somewhere" not in page


def test_a_place_we_cannot_find_is_explained_and_asked_again(client, leeds):
    response = client.get(URL, {"near": "Nowhereville Xyz"})
    assert response.status_code == 200
    assert response.context["listing"] is None
    assert "Some of your search could not be used" in text(response)
    assert 'name="near"' in response.content.decode()


def test_a_search_without_a_place_lists_the_whole_country_and_says_so(client, db):
    make_meeting(name="Anywhere meeting", weekday=3)
    page = text(client.get(URL, {"day": "thursday"}))
    assert "Anywhere meeting" in page
    assert "1 meeting anywhere in the UK · only: Thursday." in page


def test_a_search_that_finds_nothing_offers_a_way_on(client, leeds):
    page = text(client.get(URL, {"near": "LS6 1AA", "within": "1"}))
    assert "No meetings match this search." in page
    assert "List the meetings you can join online instead" in page


def test_the_results_link_to_their_printable_list(client, leeds):
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    content = client.get("/meetings/?near=LS6+1AA&within=5&page=1").content.decode()
    assert '<a href="/meetings/print/?near=LS6+1AA&amp;within=5">Print this list</a>' in content


def test_queries_do_not_grow_with_the_number_of_meetings(
    client, django_assert_num_queries, leeds
):
    def add(count: int):
        for _n in range(count):
            make_meeting(venue=make_venue(step_free=True, **miles_north(leeds, 1)),
                         features=["women"], languages=["en"])

    add(2)
    client.get(URL)  # reads the choice lists, which later searches share (meetings.catalogue)
    # The postcode, then every match with its group, venue, features and languages.
    with django_assert_num_queries(2):
        client.get(URL + "?near=LS6+1AA&feature=women")
    add(40)
    client.get(URL)
    with django_assert_num_queries(2):
        response = client.get(URL + "?near=LS6+1AA&feature=women")
    assert response.context["listing"].shown == 42


def test_only_get_and_head(client, db):
    assert client.post(URL).status_code == 405
