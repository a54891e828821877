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
    assert "Did you mean Leeds?" in response.content.decode()
