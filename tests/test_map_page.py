"""The map of any search, /meetings/map/, and the small map on a meeting's page: drawn
by our server as SVG from our own data (issue 13)."""

import re
from html import unescape

import pytest

from meetings.mapping import Frame, frame_around, scale_bar, town_labels
from meetings.models import Format, Place
from tests.factories import make_meeting, make_venue

URL = "/meetings/map/"


def miles_north(location, miles: float) -> dict:
    return {"latitude": location.latitude + miles / 69.0, "longitude": location.longitude}


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def markers(response) -> list[tuple[str, str, float, float]]:
    """(href, accessible name, x, y) of each marker on the map."""
    return [
        (unescape(href), unescape(label), float(x), float(y))
        for href, label, x, y in re.findall(
            r'<a class="map__marker" href="([^"]*)" aria-label="([^"]*)">'
            r'<g transform="translate\(([-\d.]+) ([-\d.]+)\)">',
            response.content.decode(),
        )
    ]


@pytest.fixture
def leeds(place):
    return place("LS6 1AA")


# --- the projection, on its own ---------------------------------------------------------

def test_a_point_a_mile_east_and_north_lands_where_the_scale_says():
    frame = Frame(latitude=54.0, longitude=-1.5, miles_per_unit=0.01, width=600, height=400)
    # A mile north is 1/69 of a degree of latitude; a mile east, at 54°N, more longitude.
    x, y = frame.point(54.0 + 1 / 69.0, -1.5)
    assert (x, y) == (300, 200 - 100)
    east = 1 / (69.0 * 0.587785)  # cos(54°)
    x, y = frame.point(54.0, -1.5 + east)
    assert (round(x), y) == (400, 200)


def test_the_frame_fits_every_point_with_room_to_spare():
    points = [(53.80, -1.60), (53.85, -1.50), (53.82, -1.55)]
    frame = frame_around(points, 640, 480, padding=30)
    for lat, lon in points:
        assert frame.contains(*frame.point(lat, lon), margin=29)


def test_one_point_gets_a_frame_of_at_least_the_minimum_size():
    frame = frame_around([(53.8, -1.55)], 480, 300, min_half_miles=1.5, padding=30)
    assert frame.point(53.8, -1.55) == (240, 150)
    assert frame.miles_per_unit == pytest.approx(1.5 / (150 - 30))


def test_the_scale_bar_is_a_round_distance_at_most_a_third_of_the_width():
    frame = Frame(53.8, -1.55, miles_per_unit=0.02, width=640, height=480)  # a third is 3.84 miles
    length, label = scale_bar(frame)
    assert (length, label) == (100.0, "2 miles")
    small = Frame(53.8, -1.55, miles_per_unit=0.004, width=640, height=480)
    assert scale_bar(small) == (125.0, "0.5 miles")
    assert scale_bar(Frame(53.8, -1.55, 0.008, 640, 480)) == (125.0, "1 mile")


def test_town_names_that_would_overlap_or_leave_the_map_are_left_out():
    frame = Frame(53.8, -1.55, miles_per_unit=0.02, width=640, height=480)
    places = [
        ("Leeds", 53.8, -1.55),  # on top of a marker
        ("Headingley", 53.82, -1.58),
        ("Headingley Hill", 53.8201, -1.5801),  # on top of Headingley
        ("Far Away", 55.0, -1.55),  # off the map
        ("Adel", 53.85, -1.60),
    ]
    labels = town_labels(frame, places, taken=[(320, 240)])
    assert [label.name for label in labels] == ["Headingley", "Adel"]


# --- the page ---------------------------------------------------------------------------

def test_each_venue_is_a_marker_that_is_a_link_with_an_accessible_name(client, leeds):
    hall = make_venue(name="Quaker Meeting House", **miles_north(leeds, 1))
    church = make_venue(name="St Chad's", **miles_north(leeds, 2))
    make_meeting(name="Tuesday Night", weekday=1, venue=hall)
    make_meeting(name="Sunday Morning", weekday=6, venue=church)
    make_meeting(name="Wednesday Step", weekday=2, venue=church)
    make_meeting(name="Online only", format=Format.ONLINE)

    response = client.get(URL, {"near": "LS6 1AA", "within": "5"})

    assert response.status_code == 200
    found = markers(response)
    hall_meeting = response.context["stops"][0].meetings[0]
    assert [(href, label) for href, label, _x, _y in found] == [
        (hall_meeting.get_absolute_url(),
         "1: Tuesday Night, Every Tuesday, at Quaker Meeting House"),
        (f"#venue-{church.pk}", "2: St Chad's, 2 meetings, listed below"),
    ]
    # North is up: the venue two miles north is higher on the map (smaller y).
    assert found[1][3] < found[0][3]
    page = text(response)
    assert "3 meetings at venues within 5 miles of LS6 1AA" in page
    # The plain list, for those who cannot use the map.
    assert re.search(r"2 St Chad's .* Sunday Morning ?: Every Sunday, 7:30pm to 8:30pm", page)
    assert f'id="venue-{church.pk}"' in response.content.decode()
    assert "Online only" not in page
    assert "Meetings held only online are not on the map." in page


def test_the_searched_place_its_radius_a_scale_bar_and_town_names_are_drawn(client, leeds):
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    content = client.get(URL, {"near": "LS6 1AA", "within": "2"}).content.decode()

    assert re.search(r'<g class="map__place" [^>]*>.*<text[^>]*>LS6 1AA</text>', content)
    assert '<circle class="map__radius"' in content
    assert re.search(r'<g class="map__scale".*<text y="-8">[\d.]+ miles?</text>', content)
    towns = re.findall(r'<text y="-6" text-anchor="middle">([^<]+)</text>', content)
    nearby = set(Place.objects.filter(latitude__range=(leeds.latitude - 0.1,
                                                       leeds.latitude + 0.1),
                                      longitude__range=(leeds.longitude - 0.2,
                                                        leeds.longitude + 0.2))
                 .values_list("name", flat=True))
    assert towns and set(towns) <= nearby


def test_no_request_leaves_the_site(client, leeds):
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    content = client.get(URL, {"near": "LS6 1AA"}).content.decode()
    # Absolute addresses only of the page itself in each language (hreflang alternates,
    # which browsers do not fetch).
    absolute = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', content)
    assert all(url.startswith("http://testserver/") for url in absolute), absolute
    assert "<script" not in content


def test_with_nothing_asked_it_asks_where_kindly(client, db):
    make_meeting(name="Somewhere")
    response = client.get(URL)
    assert response.status_code == 200
    assert "Where should the map be of?" in text(response)
    assert "map__svg" not in response.content.decode()


def test_a_place_we_cannot_find_is_explained_and_asked_again(client, leeds):
    response = client.get(URL, {"near": "Nowhereville Xyz"})
    assert response.status_code == 200
    assert "Some of your search could not be used" in text(response)
    assert 'name="near"' in response.content.decode()


def test_a_search_without_a_place_maps_its_venues(client, leeds, fellowships):
    make_meeting(name="Leeds AA", fellowship=fellowships["aa"],
                 venue=make_venue(**miles_north(leeds, 0)))
    make_meeting(name="Further AA", fellowship=fellowships["aa"],
                 venue=make_venue(**miles_north(leeds, 20)))
    response = client.get(URL, {"fellowship": "aa"})
    assert len(markers(response)) == 2
    assert "2 meetings at venues anywhere in the UK · only: Alcoholics Anonymous." \
        in text(response)


def test_a_search_that_finds_nothing_still_shows_the_place_and_offers_a_way_on(
    client, leeds
):
    response = client.get(URL, {"near": "LS6 1AA", "within": "1"})
    page = text(response)
    assert markers(response) == []
    assert '<g class="map__place"' in response.content.decode()
    assert "No meetings held at a venue match this search." in page


def test_the_results_link_to_their_map(client, leeds):
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    content = client.get("/meetings/?near=LS6+1AA&within=5").content.decode()
    assert '<a href="/meetings/map/?near=LS6+1AA&amp;within=5">Map</a>' in content


def test_queries_do_not_grow_with_the_number_of_venues(
    client, django_assert_num_queries, leeds
):
    def add(count: int):
        for n in range(count):
            make_meeting(venue=make_venue(**miles_north(leeds, 0.1 * n)), features=["women"])

    add(2)
    client.get(URL)
    # The postcode, every match with its venue, then the town names.
    with django_assert_num_queries(3):
        client.get(URL + "?near=LS6+1AA&feature=women")
    add(30)
    client.get(URL)
    with django_assert_num_queries(3):
        response = client.get(URL + "?near=LS6+1AA&feature=women")
    assert len(markers(response)) == 32


def test_the_meeting_page_shows_its_venue_on_a_small_map(client, leeds):
    meeting = make_meeting(venue=make_venue(name="Quaker Meeting House",
                                            **miles_north(leeds, 1)))
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert re.search(
        r'<svg class="map__svg" [^>]*role="img" aria-labelledby="map-title"[^>]*>'
        r'<title id="map-title">Map: Quaker Meeting House among the nearest towns</title>',
        content,
    )
    assert content.count('<g class="map__marker"') == 1


def test_an_online_meeting_page_has_no_map(client, db):
    meeting = make_meeting(format=Format.ONLINE)
    assert "map__svg" not in client.get(meeting.get_absolute_url()).content.decode()


# --- a street map, only where the operator set MAP_TILES_URL and the visitor asks ------

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


def test_without_tiles_configured_no_street_map_is_offered(client, leeds):
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    response = client.get(URL, {"near": "LS6 1AA", "street": "1"})
    assert "street map" not in text(response).lower()
    assert "leaflet" not in response.content.decode()
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]


def test_with_tiles_configured_our_own_map_stays_the_default(client, leeds, settings):
    settings.MAP_TILES_URL = TILES
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    response = client.get(URL, {"near": "LS6 1AA"})
    content = response.content.decode()
    assert '<a href="?near=LS6+1AA&amp;street=1">Show a street map instead</a>' in content
    assert "its pictures come from tiles.example.org" in text(response)
    assert "leaflet" not in content and "tiles.example.org/{z}" not in content
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]


def test_a_street_map_asked_for_loads_leaflet_from_our_static_files_only(
    client, leeds, settings
):
    settings.MAP_TILES_URL = TILES
    make_meeting(venue=make_venue(**miles_north(leeds, 1)))
    response = client.get(URL, {"near": "LS6 1AA", "street": "1"})
    content = response.content.decode()
    assert re.search(r'<script src="/static/vendor/leaflet/leaflet\.[0-9a-f]+\.js">', content)
    assert re.search(r'<link rel="stylesheet" href="/static/vendor/leaflet/leaflet\.[0-9a-f]+'
                     r'\.css">', content)
    assert '"tiles": "https://tiles.example.org/{z}/{x}/{y}.png"' in content
    assert "img-src 'self' data: https://tiles.example.org;" in \
        response["Content-Security-Policy"]
    assert "which learns your internet address and which area you are looking at" \
        in text(response)
