"""The search page with the town names visitors really type: short names, Welsh names,
a town with its district, and misspellings (meetings.geo.resolve_location)."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/meetings/"


@pytest.fixture(autouse=True)
def postcodes(gb_postcodes):
    """Real Code-Point Open postcodes for GEO_POSTCODE_AREAS, and every place."""


def test_newcastle_searches_near_newcastle_upon_tyne_and_offers_the_others(client):
    response = client.get(URL + "?near=Newcastle")
    assert response.status_code == 200
    assert response.context["search"].location.label == "Newcastle upon Tyne, England"
    html = response.content.decode()
    assert "Did you mean another place with that name?" in html
    assert "near=Newcastle+under+Lyme%2C+Staffordshire" in html
    assert "Newcastle, Newry, Mourne and Down" in html


def test_a_welsh_name_searches_near_the_town(client):
    response = client.get(URL + "?near=Caerdydd")
    assert response.context["search"].location.label == "Cardiff, Wales"


def test_a_town_with_its_district_searches_near_the_district(client):
    response = client.get(URL + "?near=Leeds+LS6")
    assert not response.context["search"].errors
    assert response.context["search"].location.label == "LS6"


def test_a_misspelt_town_is_explained_with_a_suggestion(client):
    response = client.get(URL + "?near=Leds")
    assert response.status_code == 200
    assert "near" in response.context["search"].errors
    assert "Did you mean Leeds" in response.content.decode()


def test_the_beginning_of_a_town_name_offers_the_towns_it_begins(client):
    response = client.get(URL + "?near=hebden")
    assert "near" in response.context["search"].errors
    html = response.content.decode()
    assert "Did you mean Hebden Bridge?" in html
    assert 'href="?near=Hebden+Bridge"' in html


def test_the_towns_offered_are_the_largest_first(client):
    # Places whose names begin "leed" (Leeds, the largest) before any others.
    suggestions = client.get(URL + "?near=Leed").context["search"].place_suggestions
    assert suggestions[0] == "Leeds"
    response = client.get(URL + "?near=Manch")
    assert response.context["search"].place_suggestions[0] == "Manchester"


def test_the_json_error_offers_the_same_towns_as_links(client):
    response = client.get("/meetings.json?near=hebden&format=online&page=2")
    assert response.status_code == 400
    data = response.json()
    assert "near" in data["errors"]
    assert data["suggestions"] == {"near": [{
        "name": "Hebden Bridge",
        "url": "http://testserver/meetings.json?near=Hebden+Bridge&format=online",
    }]}
    assert client.get(data["suggestions"]["near"][0]["url"]).status_code == 200
