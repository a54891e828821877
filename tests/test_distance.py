"""Meeting.objects.near(): radius, distance and order computed by the database, checked
against geopy's ellipsoidal geodesic for real postcodes across Great Britain."""

import itertools

import pytest
from geopy.distance import geodesic

from meetings.models import Meeting, Postcode
from tests.factories import make_fellowship, make_meeting, make_venue

pytestmark = pytest.mark.django_db

# Cornwall, Cardiff, London, Ipswich, Manchester, Leeds, Newcastle, Edinburgh, Aberdeen,
# Orkney, Shetland: the corners and the middle of the country.
ORIGINS = ["TR26 1AA", "CF10 1BH", "SW1A 1AA", "IP1 1AA", "M1 1AE", "LS6 1AA", "NE1 1AD",
           "EH1 1BB", "AB10 1AB", "KW15 1AA", "ZE1 0AA"]
RADII = [1, 5, 10, 25, 100]


@pytest.fixture
def origins(gb_postcodes) -> dict[str, tuple[float, float]]:
    found = {}
    for code in ORIGINS:
        postcode = Postcode.objects.filter(postcode__gte=code).order_by("postcode").first()
        found[code] = (postcode.latitude, postcode.longitude)
    return found


@pytest.fixture
def fellowship(db):
    return make_fellowship()


def meeting_at(point: tuple[float, float], fellowship, name: str = "") -> Meeting:
    venue = make_venue(latitude=point[0], longitude=point[1])
    return make_meeting(venue=venue, fellowship=fellowship, name=name or "Meeting")


def test_distances_agree_with_the_geodesic_across_great_britain(gb_postcodes, fellowship):
    # 120 postcodes spread through eleven areas, from Land's End to Lerwick.
    postcodes = list(Postcode.objects.order_by("postcode").values_list("latitude", "longitude"))
    places = postcodes[:: len(postcodes) // 120]
    for point in places:
        meeting_at(point, fellowship)

    compared = 0
    for origin in places[::10]:
        for meeting in Meeting.objects.near(*origin, 1000).select_related("venue"):
            expected = geodesic(origin, (meeting.venue.latitude, meeting.venue.longitude)).miles
            if expected > 0.05:
                assert meeting.distance_miles == pytest.approx(expected, rel=0.005)
                compared += 1
    assert compared > 1400


@pytest.mark.parametrize("origin", ["TR26 1AA", "SW1A 1AA", "LS6 1AA", "KW15 1AA", "ZE1 0AA"])
def test_the_radius_edge_in_every_direction(origins, fellowship, origin):
    """Just inside (99%) and just outside (101%) each radius, on eight compass bearings:
    the bounding box must not clip the circle's rim, north, south, east or west."""
    centre = origins[origin]
    inside, outside = set(), set()
    for miles, bearing in itertools.product(RADII, range(0, 360, 45)):
        for factor, bucket in [(0.99, inside), (1.01, outside)]:
            point = geodesic(miles=miles * factor).destination(centre, bearing)
            meeting = meeting_at((point.latitude, point.longitude), fellowship)
            bucket.add((miles, meeting.pk))

    for radius in RADII:
        found = set(Meeting.objects.near(*centre, radius).values_list("pk", flat=True))
        assert {pk for miles, pk in inside if miles <= radius} <= found
        assert not {pk for miles, pk in outside if miles >= radius} & found
        assert len(found) == sum(1 for miles, _pk in inside if miles <= radius) + sum(
            1 for miles, _pk in outside if miles < radius
        )


def test_nearest_first_with_the_distance_on_each_meeting(origins, fellowship):
    leeds = origins["LS6 1AA"]
    for miles in [7, 0.5, 3, 12, 1.2]:
        point = geodesic(miles=miles).destination(leeds, 120)
        meeting_at((point.latitude, point.longitude), fellowship, name=f"{miles} miles")

    found = list(Meeting.objects.near(*leeds, 10))

    assert [m.name for m in found] == ["0.5 miles", "1.2 miles", "3 miles", "7 miles"]
    assert [round(m.distance_miles, 1) for m in found] == [0.5, 1.2, 3.0, 7.0]


def test_online_meetings_and_venues_without_coordinates_are_never_near(origins, fellowship):
    leeds = origins["LS6 1AA"]
    make_meeting(fellowship=fellowship, format="online")
    make_meeting(fellowship=fellowship, venue=make_venue(latitude=None, longitude=None))
    assert not Meeting.objects.near(*leeds, 25).exists()


def test_one_query_that_pages_in_the_database(origins, fellowship, django_assert_num_queries):
    leeds = origins["LS6 1AA"]
    for miles in range(1, 31):
        point = geodesic(miles=miles / 3).destination(leeds, miles * 12)
        meeting_at((point.latitude, point.longitude), fellowship)

    with django_assert_num_queries(1) as captured:
        second_page = list(Meeting.objects.near(*leeds, 10).select_related("venue")[20:25])
    sql = captured.captured_queries[0]["sql"].upper()
    assert "LIMIT 5" in sql and "OFFSET 20" in sql and "ORDER BY" in sql
    assert len(second_page) == 5
    assert second_page[0].distance_miles <= second_page[-1].distance_miles


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_results_write_distances_as_floatformat_does(language):
    """The search writes each row's distance with its own small formatter (meetings.search
    .in_tenths, for speed): the same text as Django's floatformat:1, halves included."""
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from meetings.search import _shared_words, in_tenths

    distances = [0.0, 0.04, 0.05, 0.15, 0.25, 1.25, 1.35, 2.45, 9.95, 9.96, 10.0,
                 12.3456, 99.95, 199.99, 200.0, 2 / 3, 1e-9, 750.05]
    with translation.override(language):
        mark = _shared_words(translation.get_language())["decimal mark"]
        for distance in distances:
            assert in_tenths(distance, mark) == floatformat(distance, 1), distance
