"""Venue coordinates from the postcode table (meetings.geocoding), and the optional
street geocoder, which is off unless a deployer switches it on."""

import pytest

from meetings.geocoding import fill_coordinates, geocode_street
from meetings.models import Postcode, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postcodes(gb_postcodes):
    """Real Code-Point Open postcodes (LS among them)."""


def test_a_known_postcode_fills_the_coordinates():
    venue = Venue(name="Hall", town="Leeds", postcode="LS6 1AA")
    assert fill_coordinates(venue) is True
    stored = Postcode.objects.get(pk="LS6 1AA")
    assert (venue.latitude, venue.longitude) == (stored.latitude, stored.longitude)
    assert venue.pk is None  # filled, not saved: the caller saves


def test_the_postcode_may_be_typed_loosely():
    venue = Venue(name="Hall", town="Leeds", postcode="ls61aa")
    assert fill_coordinates(venue)
    assert venue.latitude == pytest.approx(53.818, abs=0.01)


def test_coordinates_set_by_hand_are_kept_but_the_postcode_is_still_checked():
    venue = Venue(name="Hall", town="Leeds", postcode="LS6 1AA", latitude=53.9, longitude=-1.6,
                  coordinates_set_by_hand=True)
    assert fill_coordinates(venue) is True
    assert (venue.latitude, venue.longitude) == (53.9, -1.6)
    venue.postcode = "ZZ99 9ZZ"
    assert fill_coordinates(venue) is False


def test_an_unknown_postcode_says_so_and_moves_nothing():
    venue = Venue(name="Hall", town="Leeds", postcode="ZZ99 9ZZ", latitude=53.8, longitude=-1.5)
    assert fill_coordinates(venue) is False
    assert (venue.latitude, venue.longitude) == (53.8, -1.5)
    assert fill_coordinates(Venue(name="Hall", town="Leeds", postcode="")) is False


def test_the_street_geocoder_is_off_by_default(settings):
    assert settings.STREET_GEOCODER == ""
    assert geocode_street("1 High Street, Leeds, LS6 1AA") is None
