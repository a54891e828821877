"""The empty state's "nearest matching meetings further away": found by growing the radius
through the wider choices (25, 50, 100, 200 miles after 10) and stopping at the first that
holds three, with exactly the meetings one 200-mile search would give (issue 14)."""

import pytest
from django.http import QueryDict

from meetings.models import Meeting
from meetings.search import run_search
from tests.factories import make_fellowship, make_meeting, make_venue

URL = "/meetings/"


pytestmark = pytest.mark.usefixtures("pages_built_afresh")


@pytest.fixture
def leeds(place):
    return place("LS6 1AA")


@pytest.fixture
def at_miles(leeds):
    """at_miles(12, 30) -> a meeting due north of LS6 1AA at each of those distances."""
    fellowship = make_fellowship()

    def make(*distances: float) -> None:
        for miles in distances:
            venue = make_venue(latitude=leeds.latitude + miles / 69.23,
                               longitude=leeds.longitude)
            make_meeting(name=f"{miles:g} miles", fellowship=fellowship, venue=venue)

    return make


def nearest_beyond(query: str) -> list[str]:
    return [meeting.name for meeting in run_search(QueryDict(query)).nearest_beyond()]


def one_search_to_200_miles(leeds) -> list[str]:
    """What the empty state showed before: the nearest three within 200 miles at once."""
    return list(Meeting.objects.listed().near(leeds.latitude, leeds.longitude, 200)
                .values_list("name", flat=True)[:3])


@pytest.mark.parametrize("distances", [
    (12, 13, 14, 30),  # three in the first step
    (12, 30, 31, 80),  # one in the first step, the others in the second
    (12, 150, 199),  # one near, two at the far end
    (60, 61, 62, 63),  # none until 100 miles
    (12,),  # fewer than three in all
    (12, 30, 250),  # one out of reach altogether
])
def test_the_same_meetings_as_one_search_to_200_miles(leeds, at_miles, distances):
    at_miles(*distances)
    found = nearest_beyond("near=LS6+1AA&within=10")
    assert found == one_search_to_200_miles(leeds)
    assert found == [f"{miles:g} miles" for miles in sorted(distances) if miles <= 200][:3]


def test_three_within_25_miles_take_one_query(at_miles, django_assert_num_queries):
    at_miles(12, 13, 14, 150)
    search = run_search(QueryDict("near=LS6+1AA&within=10"))
    with django_assert_num_queries(1):
        found = search.nearest_beyond()
    assert [m.name for m in found] == ["12 miles", "13 miles", "14 miles"]


def test_fewer_than_three_search_out_to_200_miles_one_step_at_a_time(
    at_miles, django_assert_num_queries
):
    at_miles(12, 150)
    search = run_search(QueryDict("near=LS6+1AA&within=10"))
    with django_assert_num_queries(4) as captured:  # 25, 50, 100 and 200 miles
        found = search.nearest_beyond()
    assert [m.name for m in found] == ["12 miles", "150 miles"]
    assert all("LIMIT 3" in query["sql"] for query in captured.captured_queries)


def test_a_radius_of_200_miles_looks_no_further(at_miles, django_assert_num_queries):
    at_miles(250)
    search = run_search(QueryDict("near=LS6+1AA&within=200"))
    with django_assert_num_queries(1):
        assert search.nearest_beyond() == []


def test_the_empty_page_offers_the_radius_that_reaches_the_nearest(client, at_miles):
    at_miles(30, 31, 32)
    html = client.get(URL + "?near=LS6+1AA&within=10").content.decode()
    assert "We found no meetings within 10 miles of" in html
    assert "Search within 50 miles instead" in html
    assert html.index("30 miles") < html.index("31 miles") < html.index("32 miles")


def test_the_nearest_beyond_keep_the_searchs_filters(client, leeds, at_miles):
    at_miles(12, 13, 14)
    other = make_fellowship(slug="other-fellowship")
    make_meeting(name="Other at 40 miles", fellowship=other, venue=make_venue(
        latitude=leeds.latitude + 40 / 69.23, longitude=leeds.longitude))
    assert nearest_beyond("near=LS6+1AA&within=10&fellowship=other-fellowship") == [
        "Other at 40 miles"
    ]
