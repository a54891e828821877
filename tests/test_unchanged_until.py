"""Until when a search's page reads the same (Search.unchanged_until): the first start or
end of a meeting it shows, the next midnight, the order of the pages before it, or the
next minute for a search for what is happening now; an hour at most (issue 14). The
pages are built afresh at the moment before and at the moment itself and compared."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from meetings.schedule import LONDON, UTC
from meetings.search import page_of, run_search
from tests.factories import make_fellowship, make_meeting, make_venue

URL = "/meetings/"
JSON = "/meetings.json"
SECOND = datetime.timedelta(seconds=1)


pytestmark = pytest.mark.usefixtures("pages_built_afresh")


@pytest.fixture
def clock(db, monkeypatch):
    """clock(moment): the time the site believes it is."""

    def set_clock(moment: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_clock


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def near_leeds(place):
    leeds = place("LS6 1AA")
    venue = make_venue(latitude=leeds.latitude, longitude=leeds.longitude)
    fellowship = make_fellowship()

    def make(**fields):
        return make_meeting(fellowship=fellowship, venue=venue, **fields)

    return make


def until(query: str, now: datetime.datetime) -> datetime.datetime:
    search = run_search(QueryDict(query), now)
    page_of(search, search.params.get("page"), strict=False)
    return search.unchanged_until()


def body(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def assert_same_until_then_changes(client, clock, url, now, moment):
    clock(now)
    first = body(client, url)
    clock(moment - SECOND)
    assert body(client, url) == first
    clock(moment)
    assert body(client, url) != first


def test_a_page_reads_the_same_until_its_first_meeting_starts(client, clock, near_leeds):
    near_leeds(name="Evening", weekday=1, start_time=datetime.time(12, 40),
               end_time=datetime.time(13, 40))  # Tuesday
    near_leeds(name="Later", weekday=1, start_time=datetime.time(12, 50),
               end_time=datetime.time(13, 50))
    now = london(2024, 12, 10, 12, 0)  # Tuesday
    query = "near=LS6+1AA&within=5"
    starts = london(2024, 12, 10, 12, 40)
    assert until(query, now) == starts
    assert_same_until_then_changes(client, clock, f"{URL}?{query}", now, starts)
    # Then until it ends ("Now (started 12:40pm)" until 1:40pm) or the other starts.
    assert until(query, starts) == london(2024, 12, 10, 12, 50)


@pytest.mark.parametrize("url", [URL, JSON])  # the JSON's next_start moves on
def test_a_page_reads_the_same_until_a_meeting_shown_ends(client, clock, near_leeds, url):
    near_leeds(name="Lunch", weekday=1, start_time=datetime.time(12, 0),
               end_time=datetime.time(12, 45))
    now = london(2024, 12, 10, 12, 15)
    ends = london(2024, 12, 10, 12, 45)
    assert until("near=LS6+1AA", now) == ends
    assert_same_until_then_changes(client, clock, url + "?near=LS6+1AA", now, ends)


def test_the_day_turning_changes_the_words(client, clock, near_leeds):
    near_leeds(name="Thursday", weekday=3, start_time=datetime.time(10, 0))
    now = london(2024, 12, 10, 23, 30)  # Tuesday night: "Thu 12 Dec" becomes "Tomorrow"
    midnight = london(2024, 12, 11, 0, 0)
    assert until("near=LS6+1AA", now) == midnight
    assert_same_until_then_changes(client, clock, URL + "?near=LS6+1AA", now, midnight)


def test_an_hour_at_most(near_leeds):
    near_leeds(name="Thursday", weekday=3, start_time=datetime.time(10, 0))
    now = london(2024, 12, 10, 12, 0, 30)
    assert until("near=LS6+1AA", now) == now.astimezone(UTC) + datetime.timedelta(hours=1)
    assert until("near=LS6+1AA&day=thursday&time=evening", now) == \
        now.astimezone(UTC) + datetime.timedelta(hours=1)  # found nothing


def test_what_is_happening_now_changes_each_minute(near_leeds):
    near_leeds(name="Thursday", weekday=3, start_time=datetime.time(10, 0))
    now = london(2024, 12, 10, 12, 0, 30)
    assert until("near=LS6+1AA&when=now", now) == london(2024, 12, 10, 12, 1)


def test_a_later_page_in_order_of_time_lasts_until_an_earlier_meeting_ends(client, clock, db):
    # 21 meetings on Tuesday, one a minute from 12:10, each 30 minutes long: page 2 shows
    # the last; at 12:40 the first ends, goes to next week, and that page changes.
    fellowship = make_fellowship()
    for minute in range(21):
        make_meeting(name=f"Meeting {minute:02d}", fellowship=fellowship, weekday=1,
                     start_time=datetime.time(12, 10 + minute),
                     end_time=datetime.time(12, 40 + minute) if minute < 20
                     else datetime.time(13, 0))
    now = london(2024, 12, 10, 12, 0)
    # Page 1 changes as its first meeting starts; page 2 also with the order before it.
    assert until("", now) == london(2024, 12, 10, 12, 10)
    page_2 = "page=2&sort=soonest"
    first_end = london(2024, 12, 10, 12, 40)
    at_the_starts = london(2024, 12, 10, 12, 35)  # all 21 have started: only ends remain
    assert until(page_2, at_the_starts) == first_end
    assert_same_until_then_changes(client, clock, URL + "?" + page_2, at_the_starts,
                                   first_end)
    # By name, the pages before do not move as meetings end.
    assert until("page=2&sort=name", at_the_starts) == london(2024, 12, 10, 13, 0)


def test_a_later_page_near_a_place_in_order_of_time_lasts_a_minute(near_leeds):
    for minute in range(21):
        near_leeds(weekday=1, start_time=datetime.time(10, minute))
    now = london(2024, 12, 10, 12, 0, 30)
    assert until("near=LS6+1AA&sort=soonest&page=2", now) == london(2024, 12, 10, 12, 1)
