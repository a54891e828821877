"""Postcode parsing and distances: plain functions, no database."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The UK postcode shapes: outward code (area letters, district digit, optional
# letter or digit), then inward code (digit, two letters from a restricted set).
_FULL = re.compile(
    r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<sector>[0-9])$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def normalise_postcode(text: str) -> str | None:
    """'ls61aa' or ' LS6  1AA ' -> 'LS6 1AA'; None if it is not a full postcode."""
    match = _FULL.match(_squash(text))
    if not match:
        return None
    return f"{match['outward']} {match['inward']}"


def normalise_postcode_or_error(text: str) -> str:
    postcode = normalise_postcode(text)
    if postcode is None:
        raise ValidationError(
            _("“%(value)s” is not a UK postcode. It should look like LS6 1AA."),
            code="invalid_postcode",
            params={"value": text},
        )
    return postcode


def normalise_district(text: str) -> str | None:
    squashed = _squash(text)
    return squashed if _DISTRICT.match(squashed) else None


def normalise_sector(text: str) -> str | None:
    """'LS6 1' -> 'LS6 1'. Only with a space, since 'LS61' is also a district shape."""
    parts = (text or "").upper().split()
    if len(parts) == 2 and _DISTRICT.match(parts[0]) and re.fullmatch(r"[0-9]", parts[1]):
        return f"{parts[0]} {parts[1]}"
    return None
