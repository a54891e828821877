"""Read a Meeting Guide JSON feed (as the 12 Step Meeting List writes it) into records."""

import datetime
import json
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from meetings import meeting_guide as mg
from meetings.models import Format, Recurrence, Status

from .addresses import split_address
from .records import ImportedMeeting, ImportedVenue
from .report import ImportReport

ATTENDANCE_OPTIONS = {"in_person", "online", "hybrid", "inactive"}
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?\s*$")
_DIAL_STRING = re.compile(r"^\+?[\d,*#]{6,40}$")
_validate_url = URLValidator(schemes=["http", "https"])


class FeedError(Exception):
    """The source as a whole cannot be read (not JSON, not a list...)."""


def load(data: bytes) -> list:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"Not a Meeting Guide JSON feed: {error}") from None
    if isinstance(items, dict) and isinstance(items.get("meetings"), list):
        items = items["meetings"]  # some servers wrap the list
    if not isinstance(items, list):
        raise FeedError("Not a Meeting Guide JSON feed: expected a list of meetings.")
    return items


def parse_time(value) -> datetime.time | None:
    match = _TIME.match(str(value or ""))
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2]), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def parse_days(value) -> list[int] | None:
    """Meeting Guide days (0 = Sunday): a number, a numeric string or a list of them."""
    values = value if isinstance(value, list) else [value]
    days = []
    for one in values:
        if isinstance(one, bool):
            return None
        if isinstance(one, str) and one.strip().isdigit():
            one = int(one.strip())
        if not isinstance(one, int) or not 0 <= one <= 6:
            return None
        if one not in days:
            days.append(one)
    return days or None


def clean_phone(value: str) -> str:
    return value.strip()[:40]


class ItemReader:
    """Turns one feed item into records (one per day), reporting what it cannot use."""

    def __init__(self, report: ImportReport, default_timezone: str, known_languages: set[str]):
        self.report = report
        self.default_timezone = default_timezone
        self.known_languages = known_languages

    def read(self, item: dict, where: str) -> list[ImportedMeeting]:
        report = self.report
        report.read += 1
        if not isinstance(item, dict):
            report.error(where, "(item)", type(item).__name__, _("not a meeting object"))
            return []
        text = {key: mg.plain_text(value) for key, value in item.items()
                if isinstance(value, str | int | float) and not isinstance(value, bool)}
        name = text.get("name", "")
        where = f"{where} ({name[:40]})" if name else where
        source_id = text.get("slug") or text.get("id") or ""
        ok = True
        if not name:
            report.error(where, "name", item.get("name"), _("a meeting needs a name"))
            ok = False
        if not source_id:
            report.error(where, "slug", item.get("slug"), _("a meeting needs a slug or id"))
            ok = False
        days = parse_days(item.get("day"))
        if days is None:
            report.error(where, "day", item.get("day"), _("expected 0 (Sunday) to 6 (Saturday)"))
            ok = False
        start = parse_time(item.get("time"))
        if start is None:
            report.error(where, "time", item.get("time"), _("expected a time such as 19:30"))
            ok = False
        end = parse_time(item.get("end_time")) if item.get("end_time") else None
        if item.get("end_time") and end is None:
            report.error(where, "end_time", item.get("end_time"),
                         _("expected a time such as 20:30"))
            ok = False
        zone = text.get("timezone") or self.default_timezone
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            report.error(where, "timezone", zone, _("not a time zone name such as Europe/London"))
            ok = False
        raw_types = item.get("types") or []
        if isinstance(raw_types, str):
            raw_types = [code for code in raw_types.split(",")]
        types = mg.ReadTypes([mg.code_for_name(str(code)) for code in raw_types],
                             self.known_languages)
        for code in types.unknown:
            report.unknown_types[code] += 1

        url = text.get("conference_url", "")
        if url:
            try:
                _validate_url(url)
            except ValidationError:
                report.error(where, "conference_url", url, _("not a web address (https://...)"))
                ok = False
        phone = clean_phone(text.get("conference_phone", ""))
        if not phone and _DIAL_STRING.match(text.get("conference_phone_notes", "")):
            # Our own feed puts dial strings the format's pattern rejects ("+1301...,,12#")
            # in the notes; nothing but a dial string there is the phone number.
            phone = clean_phone(text.pop("conference_phone_notes"))
        online = types.online or bool(url or phone)
        address = split_address(
            text.get("formatted_address") or self._address_from_parts(text),
            text.get("location", ""),
        )
        exact = (
            text.get("approximate", "").lower() != "yes"
            and address is not None and bool(address.line1 or address.postcode)
        )
        option = text.get("attendance_option", "")
        if option not in ATTENDANCE_OPTIONS:
            option = self._derive_attendance(types, online, exact)
        status = Status.SUSPENDED if option == "inactive" else Status.ACTIVE
        if option == "inactive":
            option = self._derive_attendance(types, online, exact, closed=False)
        meeting_format = {
            "in_person": Format.IN_PERSON, "online": Format.ONLINE, "hybrid": Format.HYBRID,
        }[option]
        if meeting_format != Format.ONLINE and not exact:
            if status == Status.SUSPENDED and not online:
                report.skip(where, "formatted_address", text.get("formatted_address"),
                            _("temporarily closed, with no exact address and no joining link"))
                report.failed_source_ids.add(source_id)
                return []
            report.error(where, "formatted_address", text.get("formatted_address"),
                         _("an in-person or hybrid meeting needs an exact address"))
            ok = False
        if meeting_format != Format.IN_PERSON and not (url or phone):
            report.error(where, "conference_url", url,
                         _("an online or hybrid meeting needs a joining link or phone number"))
            ok = False
        venue = None
        if ok and meeting_format != Format.ONLINE:
            venue = self._venue(text, item, address, types, where)
            ok = venue is not None
        if not ok:
            report.failed_source_ids.add(source_id)
            return []

        recurrence = text.get("recurrence", Recurrence.WEEKLY)  # our own feed's extra field
        if recurrence not in Recurrence.values:
            recurrence = Recurrence.WEEKLY
        notes = text.get("notes", "")
        if recurrence != Recurrence.WEEKLY:
            notes = _without_first_paragraph(notes)
        records = []
        for day in days:
            records.append(ImportedMeeting(
                item=where,
                source_id=(source_id if len(days) == 1 else f"{source_id}/{day}")[:200],
                name=name[:200],
                weekday=mg.day_from_meeting_guide(day),
                start_time=start,
                end_time=end,
                timezone=zone,
                format=meeting_format,
                status=status,
                venue=venue,
                online_url=url[:500] if meeting_format != Format.IN_PERSON else "",
                online_phone=phone if meeting_format != Format.IN_PERSON else "",
                online_notes="\n\n".join(
                    text[key] for key in ("conference_url_notes", "conference_phone_notes")
                    if text.get(key)
                ) if meeting_format != Format.IN_PERSON else "",
                access=types.access,
                features=types.features,
                languages=types.languages,
                notes=notes,
                recurrence=recurrence,
                group=text.get("group", "")[:160],
                group_notes=text.get("group_notes", ""),
                fellowship=text.get("fellowship", ""),
            ))
        return records

    @staticmethod
    def _address_from_parts(text: dict) -> str:
        state_zip = " ".join(p for p in [text.get("state", ""), text.get("postal_code", "")] if p)
        parts = [text.get("address", ""), text.get("city", ""), state_zip, text.get("country", "")]
        return ", ".join(p for p in parts if p)

    @staticmethod
    def _derive_attendance(types, online: bool, exact: bool, closed: bool = True) -> str:
        # The 12 Step Meeting List's rules (see docs/importing.md).
        if closed and types.temporarily_closed and not online:
            return "inactive"
        if online:
            return "hybrid" if exact and not types.temporarily_closed else "online"
        return "in_person"

    def _venue(self, text, item, address, types, where) -> ImportedVenue | None:
        latitude, longitude = _coordinate(item.get("latitude")), _coordinate(item.get("longitude"))
        if latitude is None or longitude is None or not (-90 <= latitude <= 90) or (
            not -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
            latitude = longitude = None
        town = address.town or text.get("region", "")
        if not town:
            self.report.error(where, "formatted_address", text.get("formatted_address"),
                              _("cannot find the town in this address"))
            return None
        if not address.in_uk:
            self.report.outside_uk += 1
        return ImportedVenue(
            name=(text.get("location") or address.line1 or town)[:160],
            address_line1=address.line1,
            address_line2=address.line2,
            town=town[:100],
            postcode=address.postcode,
            latitude=latitude,
            longitude=longitude,
            directions=text.get("location_notes", ""),
            flags=set(types.venue_flags),
        )


def _coordinate(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _without_first_paragraph(notes: str) -> str:
    """Our own feed puts "First Tuesday of the month" first in the notes of monthly meetings."""
    first, _sep, rest = notes.partition("\n\n")
    return rest if first.endswith("of the month") else notes


def read_feed(data: bytes, report: ImportReport, default_timezone: str,
              known_languages: set[str]) -> list[ImportedMeeting]:
    reader = ItemReader(report, default_timezone, known_languages)
    records = []
    for number, item in enumerate(load(data), start=1):
        records += reader.read(item, f"item {number}")
    return records
