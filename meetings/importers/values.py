"""One feed item's values, checked before anything is made of them.

A feed may hold anything JSON can: numbers where text belongs, lists, nulls, NUL
characters (which PostgreSQL cannot store), broken Unicode, values of any length. Each
field we read is checked here and reported with a reason, so nothing reaches the
database that it would refuse (and no visitor-facing value is cut short silently).
"""

import datetime
import math
import re

from django.utils.translation import gettext as _

from groups.models import Group
from meetings import meeting_guide as mg
from meetings.models import Meeting, Venue

# The Meeting Guide fields we read as text, with the longest value each may have.
FREE_TEXT = 5000  # notes of any kind: a long page of them
SHORT_TEXT = 1000  # anything else we read: no address, time or code is longer
TEXT_FIELDS = {
    "name": Meeting._meta.get_field("name").max_length,
    # A slug with several days becomes "slug/3": room for the day.
    "slug": Meeting._meta.get_field("source_id").max_length - 2,
    "id": Meeting._meta.get_field("source_id").max_length - 2,
    "group": Group._meta.get_field("name").max_length,
    "location": Venue._meta.get_field("name").max_length,
    "conference_url": Meeting._meta.get_field("online_url").max_length,
    "conference_phone": Meeting._meta.get_field("online_phone").max_length,
    "notes": FREE_TEXT,
    "location_notes": FREE_TEXT,
    "group_notes": FREE_TEXT,
    "conference_url_notes": FREE_TEXT,
    "conference_phone_notes": FREE_TEXT,
} | {name: SHORT_TEXT for name in [
    "time", "end_time", "timezone", "formatted_address", "address", "city", "state",
    "postal_code", "country", "region", "approximate", "attendance_option", "fellowship",
    "recurrence",
]}
# Fields that are often numbers in real feeds (TSML's ids, US zip codes).
NUMBERS_ALLOWED = {"slug", "id", "postal_code"}

# ASCII digits only: "１９:３０" or Arabic-Indic digits are not a feed's times.
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*$", re.ASCII)


class Problems:
    """What is wrong with one item, kept until we know whether the item is used at all
    (a meeting left out for being abroad needs no list of its faults)."""

    def __init__(self):
        self.errors: list[tuple[str, object, str]] = []
        self.warnings: list[tuple[str, object, str]] = []

    def error(self, field: str, value, reason: str) -> None:
        self.errors.append((field, value, reason))

    def warn(self, field: str, value, reason: str) -> None:
        self.warnings.append((field, value, reason))

    def about(self, field: str) -> bool:
        return any(name == field for name, _value, _reason in self.errors)


def read_text(item: dict, problems: Problems) -> dict[str, str]:
    """The item's text fields as plain text (HTML stripped), each checked; a field that
    fails is reported and left out."""
    text = {}
    for key, limit in TEXT_FIELDS.items():
        value = item.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float) or (
                not isinstance(value, str) and key not in NUMBERS_ALLOWED):
            problems.error(key, value, _("expected text, not %(kind)s") % {
                "kind": _kind(value)})
            continue
        if isinstance(value, float) and not math.isfinite(value):
            problems.error(key, value, _("expected text, not %(kind)s") % {"kind": _kind(value)})
            continue
        value = str(value)
        if "\x00" in value:
            problems.error(key, value, _("contains a NUL character, which cannot be stored"))
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            problems.error(key, value, _("is not valid text (a broken Unicode character)"))
            continue
        value = mg.plain_text(value)
        if len(value) > limit:
            problems.error(key, value, _("longer than %(limit)d characters") % {"limit": limit})
            continue
        if value:
            text[key] = value
    return text


def _kind(value) -> str:
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, list):
        return _("a list")
    return _("an object")


def parse_time(value) -> datetime.time | None:
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2]), (match[4] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or int(match[3] or 0) > 59:
        return None
    return datetime.time(hour, minute)


def parse_days(value) -> list[int] | None:
    """Meeting Guide days (0 = Sunday): a number, a numeric string or a list of them."""
    values = value if isinstance(value, list) else [value]
    days = []
    for one in values:
        if isinstance(one, bool):
            return None
        if isinstance(one, str) and one.strip().isascii() and one.strip().isdigit() and \
                len(one.strip()) < 3:
            one = int(one.strip())
        if not isinstance(one, int) or not 0 <= one <= 6:
            return None
        if one not in days:
            days.append(one)
    return days or None


def parse_types(value) -> list[str] | None:
    """Type codes: a list of text, or text separated by commas (TSML's CSV)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        return None
    if any("\x00" in code or len(code) > 100 for code in value):
        return None
    return [mg.code_for_name(code) for code in value]


def coordinate(value, low: float, high: float) -> tuple[float | None, bool]:
    """(the coordinate or None, whether the value was unusable)."""
    if value is None or value == "":
        return None, False
    if isinstance(value, bool) or not isinstance(value, int | float | str) or (
            isinstance(value, str) and not value.isascii()):
        return None, True
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None, True
    if not (math.isfinite(number) and low <= number <= high):
        return None, True
    return number, False
