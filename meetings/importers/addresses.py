"""Split a one-line address ("formatted_address") into our venue fields.

UK addresses end with a postcode (then perhaps "UK"); elsewhere, whatever follows the
town (a US state and zip code, a country) is kept in address line 2, and the postcode
field stays blank, since it holds UK postcodes only.
"""

import re
from dataclasses import dataclass

from meetings.postcodes import normalise_postcode

UK_NAMES = {"uk", "united kingdom", "gb", "great britain", "england", "scotland", "wales",
            "northern ireland"}
_UK_POSTCODE_AT_END = re.compile(r"(?:^|\s)([A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2})$")
_US_STATE_ZIP = re.compile(r"^[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?$")


@dataclass
class Address:
    line1: str
    line2: str
    town: str
    postcode: str
    in_uk: bool


def split_address(text: str, location: str = "") -> Address | None:
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    # "St Mary's Hall, 1 High St, ...": the venue's name is not an address line. A name
    # that is itself a street address ("7511 Gourmet Alley") stays.
    if (location and len(parts) > 1 and parts[0].casefold() == location.strip().casefold()
            and not parts[0][:1].isdigit()):
        parts = parts[1:]
    if not parts:
        return None
    country_is_uk = parts[-1].casefold() in UK_NAMES
    if country_is_uk:
        parts = parts[:-1]
    match = _UK_POSTCODE_AT_END.search(parts[-1]) if parts else None
    if match and normalise_postcode(match.group(1)):
        postcode = normalise_postcode(match.group(1))
        town = parts[-1][: match.start()].strip()
        parts = parts[:-1]
        if not town and parts:
            town = parts.pop()
        return Address(*_lines(parts), town, postcode, True)
    if country_is_uk:
        town = parts.pop() if parts else ""
        return Address(*_lines(parts), town, "", True)
    # Abroad: the tail after the town goes to line 2, in order.
    tail = []
    if len(parts) >= 2:
        tail.append(parts.pop())  # country, or a state and zip
        if parts and _US_STATE_ZIP.match(parts[-1]) and len(parts) >= 2:
            tail.insert(0, parts.pop())
    town = parts.pop() if parts else ""
    line1, line2 = _lines(parts)
    return Address(line1, ", ".join(p for p in [line2, *tail] if p), town, "", False)


def _lines(parts: list[str]) -> tuple[str, str]:
    if not parts:
        return "", ""
    return parts[0], ", ".join(parts[1:])  # the reader reports lines too long to keep


def join_address(line1: str, line2: str, town: str, postcode: str) -> str:
    """The inverse of split_address, as the feed out writes it."""
    if postcode:
        return ", ".join(p for p in [line1, line2, f"{town} {postcode}".strip(), "UK"] if p)
    # Abroad, line 2 holds what follows the town.
    return ", ".join(p for p in [line1, town, line2] if p)
