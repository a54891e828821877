"""Coordinates for UK postcodes, from the postcode table (loaded by load_postcodes)."""

import importlib

from django.apps import apps
from django.core.exceptions import FieldError


def coordinates_for_postcodes(postcodes: set[str]) -> dict[str, tuple[float, float]]:
    """{postcode: (latitude, longitude)} for the postcodes the table knows."""
    if not postcodes:
        return {}
    found = _from_table(sorted(postcodes))
    return found if found is not None else _from_geo_function(sorted(postcodes))


def _from_table(postcodes: list[str]) -> dict | None:
    # One query per 500 postcodes, however many venues need them.
    try:
        model = apps.get_model("meetings", "Postcode")
    except LookupError:
        return None
    names = {field.name for field in model._meta.fields}
    key = "postcode" if "postcode" in names else model._meta.pk.name
    found = {}
    try:
        for start in range(0, len(postcodes), 500):
            rows = model.objects.filter(**{f"{key}__in": postcodes[start:start + 500]})
            for code, lat, lon in rows.values_list(key, "latitude", "longitude"):
                found[code] = (lat, lon)
    except FieldError:
        return None
    return found


def _from_geo_function(postcodes: list[str]) -> dict:
    """The geography module's one-venue helper, if that is what this build has."""
    from meetings.models import Venue

    for module_name in ("meetings.geo", "meetings.geocoding"):
        try:
            fill = getattr(importlib.import_module(module_name), "fill_coordinates", None)
        except ImportError:
            continue
        if fill is None:
            continue
        found = {}
        for postcode in postcodes:
            venue = Venue(postcode=postcode, town="")
            if fill(venue) and venue.has_coordinates:
                found[postcode] = (venue.latitude, venue.longitude)
        return found
    return {}
