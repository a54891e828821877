"""Coordinates for UK postcodes, from the postcode table (loaded by load_postcodes)."""

from django.apps import apps


def coordinates_for_postcodes(postcodes: set[str]) -> dict[str, tuple[float, float]]:
    """{postcode: (latitude, longitude)} for those the table knows; one query per 500."""
    if not postcodes:
        return {}
    try:
        model = apps.get_model("meetings", "Postcode")
    except LookupError:
        return {}  # no postcode table in this build: venues keep the feed's coordinates only
    field = "postcode" if any(f.name == "postcode" for f in model._meta.fields) else "pk"
    wanted = sorted(postcodes)
    found = {}
    for start in range(0, len(wanted), 500):
        rows = model.objects.filter(**{f"{field}__in": wanted[start:start + 500]})
        for code, latitude, longitude in rows.values_list(field, "latitude", "longitude"):
            found[code] = (latitude, longitude)
    return found
