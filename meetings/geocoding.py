"""Venue coordinates: from the postcode table, or (only when a deployer switches it on)
a geopy street geocoder. Called explicitly by the admin form and the importers rather
than from Venue.save(), so nothing moves a venue behind a reader's back."""

import functools
import logging

from django.conf import settings

from .postcodes import normalise_postcode

logger = logging.getLogger(__name__)


def fill_coordinates(venue, *, street_geocoder: bool = True) -> bool:
    """Set the venue's latitude and longitude from its postcode; does not save.

    Returns whether the venue's postcode (or, failing that, its street address, when
    settings.STREET_GEOCODER is on) was found. Coordinates staff set by hand are kept;
    the answer still says whether the postcode is known, so the admin can warn about a
    mistyped one. An unknown postcode leaves existing coordinates as they are.
    """
    from .models import Postcode

    postcode = normalise_postcode(venue.postcode or "")
    found = None
    if postcode:
        found = Postcode.objects.filter(pk=postcode).values_list("latitude", "longitude").first()
    if found is None and street_geocoder and not venue.coordinates_set_by_hand:
        found = geocode_street(venue.address)
    if found is None:
        return False
    if not venue.coordinates_set_by_hand:
        venue.latitude, venue.longitude = found
    return True


def geocode_street(address: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a full street address, or None. Off unless
    settings.STREET_GEOCODER names a geopy geocoder (e.g. "nominatim"): it goes online."""
    geocoder = _street_geocoder(settings.STREET_GEOCODER, settings.STREET_GEOCODER_USER_AGENT)
    if geocoder is None or not address.strip():
        return None
    from geopy.exc import GeopyError

    try:
        found = geocoder.geocode(f"{address}, United Kingdom")
    except GeopyError:
        logger.warning("Street geocoder %s failed", settings.STREET_GEOCODER, exc_info=True)
        return None
    return (found.latitude, found.longitude) if found else None


@functools.cache
def _street_geocoder(name: str, user_agent: str):
    if not name:
        return None
    from geopy.geocoders import get_geocoder_for_service

    # Nominatim's usage policy asks for an identifying user agent and one request a second;
    # staff saving venues one at a time stay well inside that.
    return get_geocoder_for_service(name)(user_agent=user_agent, timeout=5)
