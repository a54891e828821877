"""UK postcodes and place names as text: plain functions, no database.

Both the models (a venue's postcode validator) and meetings.geo (resolving what a visitor
typed) use them, so they live apart from both.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The UK postcode shapes: outward code (area letters, district digit, optional
# letter or digit), then inward code (digit, two letters from a restricted set).
_FULL = re.compile(
    r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<sector>[0-9])$")
# A full postcode inside other text (upper-cased), not glued to letters or digits.
_WITHIN = re.compile(
    r"(?<![A-Z0-9])[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Z0-9])"
)


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


def postcodes_within(text: str) -> list[str]:
    """The distinct full postcodes inside longer text, normalised, in order of appearance:
    "12 Hyde Park Road, Leeds, ls6 1aa" -> ["LS6 1AA"]; "ls61aa leeds" -> ["LS6 1AA"].

    A postcode is written as it would be typed alone (outward and inward code with or
    without spaces between them) and stands apart from the words around it; each one
    found is checked with `normalise_postcode`. Only spaces may separate the two halves,
    so "Unit B2, 4th Floor" is not the postcode B2 4TH.
    """
    found: list[str] = []
    for match in _WITHIN.finditer((text or "").upper()):
        postcode = normalise_postcode(match[0])
        if postcode and postcode not in found:
            found.append(postcode)
    return found


def postcode_outward(postcode: str) -> str:
    """'LS6 1AA' -> 'LS6' (for a normalised postcode)."""
    return postcode.split(" ", 1)[0]


def place_key(text: str) -> str:
    """What a typed town name is matched on: 'Saint Ives' and ' st. ives ' -> 'st ives'."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = re.sub(r"['’.]", "", text.lower()).replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join("st" if word == "saint" else word for word in words)


# A district (or sector: a district, a space and one digit) standing apart from the words
# around it, in any case. Full postcodes are looked for before this one.
_PREFIX_WITHIN = re.compile(
    r"(?<![A-Z0-9])(?P<district>[A-Z]{1,2}[0-9][A-Z0-9]?)(?: (?P<sector>[0-9]))?(?![A-Z0-9])",
    re.IGNORECASE | re.ASCII,
)


def prefixes_within(text: str) -> tuple[list[str], str]:
    """The distinct districts and sectors inside longer text, and what is left of the text
    without them: "Leeds LS6" -> (["LS6"], "Leeds"); "LS6 1, Leeds" -> (["LS6 1"], "Leeds")."""
    text = " ".join((text or "").split())
    found: list[str] = []
    for match in _PREFIX_WITHIN.finditer(text):
        prefix = " ".join(filter(None, [match["district"], match["sector"]])).upper()
        if prefix not in found:
            found.append(prefix)
    rest = " ".join(_PREFIX_WITHIN.sub(" ", text).split())
    return found, re.sub(r"\s*,[\s,]*", ", ", rest).strip(" ,;-")
