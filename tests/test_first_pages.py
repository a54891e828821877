"""A search without a place (`/meetings/`, a fellowship's whole list) keeps the order of its
first pages and the number found until one of those meetings ends (or midnight, or an
hour), under the data version, rather than ordering and counting every listed meeting on
every request (meetings.first_pages)."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Meeting
from meetings.schedule import LONDON
from tests.factories import make_fellowship, make_meeting

URL = "/meetings/"


pytestmark = pytest.mark.usefixtures("pages_built_afresh")


@pytest.fixture
def clock(db, monkeypatch):
    """clock(2024, 12, 10, 20, 29): the time the site believes it is, in UK time."""

    def set_clock(*args):
        moment = datetime.datetime(*args, tzinfo=LONDON)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_clock


@pytest.fixture
def fellowship(db):
    return make_fellowship(slug="aa-test", name="AA test")


def names(response) -> list[str]:
    return [meeting.name for meeting in response.context["meetings"]]


def test_the_second_request_orders_and_counts_nothing(
    client, clock, fellowship, django_assert_num_queries
):
    clock(2024, 12, 10, 12, 0)
    for hour in (21, 19, 20):
        make_meeting(name=f"{hour}:00", fellowship=fellowship, weekday=1,
                     start_time=datetime.time(hour, 0), end_time=None)
    first = client.get(URL)
    with django_assert_num_queries(2):  # the data version, the page's meetings by id
        again = client.get(URL)
    assert names(again) == names(first) == ["19:00", "20:00", "21:00"]
    assert "3 meetings" in again.content.decode()


def test_the_order_is_kept_past_the_minute_until_a_meeting_ends(
    client, clock, fellowship, django_assert_num_queries
):
    # Tuesday, the minute before the evening meeting ends: it is in progress, so first.
    clock(2024, 12, 10, 20, 20)
    make_meeting(name="Tuesday evening", fellowship=fellowship, weekday=1,
                 start_time=datetime.time(19, 30), end_time=datetime.time(20, 30))
    make_meeting(name="Wednesday morning", fellowship=fellowship, weekday=2,
                 start_time=datetime.time(9, 0), end_time=datetime.time(10, 0))
    assert names(client.get(URL)) == ["Tuesday evening", "Wednesday morning"]
    clock(2024, 12, 10, 20, 29, 59)
    with django_assert_num_queries(2):  # the data version, the page's meetings by id
        assert names(client.get(URL)) == ["Tuesday evening", "Wednesday morning"]

    clock(2024, 12, 10, 20, 30)  # it has ended: next Tuesday's is a week away
    with django_assert_num_queries(4):  # version, order, count, meetings
        response = client.get(URL)
    assert names(response) == ["Wednesday morning", "Tuesday evening"]


def test_a_staff_edit_shows_at_once(client, clock, fellowship):
    clock(2024, 12, 10, 12, 0)
    make_meeting(name="Tonight", fellowship=fellowship, weekday=1,
                 start_time=datetime.time(19, 0))
    assert names(client.get(URL)) == ["Tonight"]

    make_meeting(name="This afternoon", fellowship=fellowship, weekday=1,
                 start_time=datetime.time(14, 0))
    assert names(client.get(URL)) == ["This afternoon", "Tonight"]

    tonight = Meeting.objects.get(name="Tonight")
    tonight.status = "closed"
    tonight.save()
    response = client.get(URL)
    assert names(response) == ["This afternoon"]
    assert "1 meeting" in response.content.decode()


def test_filters_are_kept_apart_and_spelling_does_not_matter(
    client, clock, fellowship, django_assert_num_queries
):
    clock(2024, 12, 10, 12, 0)
    make_meeting(name="AA", fellowship=fellowship, weekday=1, start_time=datetime.time(19, 0))
    make_meeting(name="Other", weekday=1, start_time=datetime.time(18, 0))
    assert names(client.get(URL)) == ["Other", "AA"]
    assert names(client.get(URL + "?fellowship=aa-test&utm_source=partner")) == ["AA"]
    with django_assert_num_queries(2):
        # The same search: parameters in another order, an unknown one, an invalid one.
        response = client.get(URL + "?ref=x&fellowship=aa-test&day=someday&page=1")
    assert names(response) == ["AA"]
    assert names(client.get(URL + "?sort=name")) == ["AA", "Other"]


def test_pages_beyond_the_kept_ones_are_ordered_as_before(client, clock, fellowship):
    clock(2024, 12, 10, 12, 0)
    for n in range(105):
        make_meeting(name=f"Meeting {n:03d}", fellowship=fellowship, weekday=n % 7,
                     start_time=datetime.time(7 + n % 14, 0))
    expected = list(
        Meeting.objects.listed().soonest_first(timezone.now()).values_list("name", flat=True)
    )
    shown = []
    for page in range(1, 7):  # five kept, the sixth ordered as every page was
        response = client.get(URL + f"?page={page}")
        assert response.context["page"].paginator.count == 105
        shown += names(response)
    assert shown == expected
