"""Read a Meeting Guide JSON feed (as the 12 Step Meeting List writes it) into records."""

import json
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from meetings import meeting_guide as mg
from meetings.models import Format, Recurrence, Status, Venue
from meetings.validators import time_zone_names, validate_no_credentials

from .addresses import Address, split_address
from .places import ABROAD, UK, UK_ZONE, Places, same_clock
from .privacy import personal_contacts
from .records import ImportedMeeting, ImportedVenue
from .report import ImportReport
from .values import Problems, coordinate, parse_days, parse_time, parse_types, read_text

ATTENDANCE_OPTIONS = {"in_person", "online", "hybrid", "inactive"}
_DIAL_STRING = re.compile(r"^\+?[\d,*#]{6,59}$", re.ASCII)  # fits online_phone
_validate_url = URLValidator(schemes=["http", "https"])
# Free text a visitor reads, checked for someone's own email address or mobile number.
NOTES_FIELDS = ["notes", "location_notes", "group_notes", "conference_url_notes",
                "conference_phone_notes"]


class FeedError(Exception):
    """The source as a whole cannot be read (not JSON, not a list...)."""


def load(data: bytes) -> list:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError(_("Not a Meeting Guide JSON feed: the file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise FeedError(_("Not a Meeting Guide JSON feed: %(error)s") % {"error": error}) from None
    except (ValueError, RecursionError):  # a number of thousands of digits; lists in lists
        raise FeedError(_("Not a Meeting Guide JSON feed: it holds a number too long or "
                          "lists nested too deep to read.")) from None
    if isinstance(items, dict) and isinstance(items.get("meetings"), list):
        items = items["meetings"]  # some servers wrap the list
    if not isinstance(items, list):
        raise FeedError(_("Not a Meeting Guide JSON feed: expected a list of meetings."))
    return items


def clean_phone(value: str) -> str:
    return value.strip()


class ItemReader:
    """Turns one feed item into records (one per day), reporting what it cannot use.

    `time_zone` is the zone of the feed's times where an item gives none (None: not
    known, so each meeting's place decides). In-person and hybrid meetings outside the
    UK are left out unless `include_outside_uk`.
    """

    def __init__(self, report: ImportReport, known_languages: set[str], *,
                 time_zone: str | None = None, include_outside_uk: bool = False):
        self.report = report
        self.time_zone = time_zone
        self.known_languages = known_languages
        self.include_outside_uk = include_outside_uk
        self.places = Places()

    def read(self, item: dict, where: str) -> list[ImportedMeeting]:
        report = self.report
        report.read += 1
        if not isinstance(item, dict):
            report.error(where, "(item)", type(item).__name__, _("not a meeting object"))
            return []
        problems = Problems()
        text = read_text(item, problems)
        name = text.get("name", "")
        where = f"{where} ({name[:40]})" if name else where
        source_id = text.get("slug") or text.get("id") or ""
        records = self._records(item, text, source_id, where, problems)
        if records is None:  # left out, or skipped: already counted
            return []
        for field, value, reason in problems.warnings:
            report.warn(where, field, value, reason)
        for field, value, reason in problems.errors:
            report.error(where, field, value, reason)
        if problems.errors:
            report.failed_source_ids.add(source_id)
            return []
        return records

    def _records(self, item, text, source_id, where, problems) -> list[ImportedMeeting] | None:
        """The item's records, or [] with its problems noted, or None when it is left out
        or skipped (and reported as such)."""
        report = self.report
        if "name" not in text and not problems.about("name"):
            problems.error("name", item.get("name"), _("a meeting needs a name"))
        if not source_id and not (problems.about("slug") or problems.about("id")):
            problems.error("slug", item.get("slug"), _("a meeting needs a slug or id"))
        days = parse_days(item.get("day"))
        if days is None:
            problems.error("day", item.get("day"), _("expected 0 (Sunday) to 6 (Saturday)"))
        start = parse_time(text.get("time"))
        if start is None and not problems.about("time"):
            problems.error("time", item.get("time"), _("expected a time such as 19:30"))
        end = parse_time(text["end_time"]) if text.get("end_time") else None
        if text.get("end_time") and end is None:
            problems.error("end_time", item.get("end_time"), _("expected a time such as 20:30"))
        codes = parse_types(item.get("types"))
        if codes is None:
            problems.error("types", item.get("types"), _("expected a list of type codes"))
            codes = []
        types = mg.ReadTypes(codes, self.known_languages)
        for code in types.unknown:
            report.unknown_types[code] += 1

        url = text.get("conference_url", "")
        if url:
            try:
                _validate_url(url)
                validate_no_credentials(url)
            except ValidationError as error:
                reason = (error.messages[0] if error.code == "credentials"
                          else _("not a web address (https://...)"))
                problems.error("conference_url", url, reason)
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
        point = self._point(item, problems)
        place = self.places.where(address, point)
        if meeting_format != Format.ONLINE and place == ABROAD and not self.include_outside_uk:
            report.outside_uk_left_out += 1
            report.failed_source_ids.add(source_id)  # in the source: never closed as missing
            return None
        if meeting_format != Format.ONLINE and not exact:
            if status == Status.SUSPENDED and not online:
                report.skip(where, "formatted_address", text.get("formatted_address"),
                            _("temporarily closed, with no exact address and no joining link"))
                report.failed_source_ids.add(source_id)
                return None
            problems.error("formatted_address", text.get("formatted_address"),
                           _("an in-person or hybrid meeting needs an exact address"))
        if meeting_format != Format.IN_PERSON and not (url or phone):
            problems.error("conference_url", url,
                           _("an online or hybrid meeting needs a joining link or phone number"))
        zone, zone_of_place = self._zone(text, place, point, meeting_format, problems)
        venue = None
        if meeting_format != Format.ONLINE and exact:
            venue = self._venue(text, address, point, types, problems)
        for field in NOTES_FIELDS:
            for contact in personal_contacts(text.get(field, "")):
                problems.warn(field, contact, _(
                    "looks like someone's own email address or phone number: check that "
                    "they agreed to have it published"))
        if problems.errors:
            return []
        if zone_of_place:
            report.zones_from_coordinates[zone] += 1
        if venue is not None and place == ABROAD:
            report.outside_uk += 1
        return self._make(text, where, source_id, days, start, end, zone, meeting_format,
                          status, venue, url, phone, types)

    def _make(self, text, where, source_id, days, start, end, zone, meeting_format, status,
              venue, url, phone, types) -> list[ImportedMeeting]:
        recurrence = text.get("recurrence", Recurrence.WEEKLY)  # our own feed's extra field
        if recurrence not in Recurrence.values:
            recurrence = Recurrence.WEEKLY
        notes = text.get("notes", "")
        if recurrence != Recurrence.WEEKLY:
            notes = _without_first_paragraph(notes)
        online = meeting_format != Format.IN_PERSON
        return [
            ImportedMeeting(
                item=where,
                source_id=source_id if len(days) == 1 else f"{source_id}/{day}",
                name=text["name"],
                weekday=mg.day_from_meeting_guide(day),
                start_time=start,
                end_time=end,
                timezone=zone,
                format=meeting_format,
                status=status,
                venue=venue,
                online_url=url if online else "",
                online_phone=phone if online else "",
                online_notes="\n\n".join(
                    text[key] for key in ("conference_url_notes", "conference_phone_notes")
                    if text.get(key)
                ) if online else "",
                access=types.access,
                features=types.features,
                languages=types.languages,
                notes=notes,
                recurrence=recurrence,
                group=text.get("group", ""),
                group_notes=text.get("group_notes", ""),
                fellowship=text.get("fellowship", ""),
            )
            for day in days
        ]

    def _point(self, item, problems) -> tuple[float, float] | None:
        latitude, bad_latitude = coordinate(item.get("latitude"), -90, 90)
        longitude, bad_longitude = coordinate(item.get("longitude"), -180, 180)
        if bad_latitude or bad_longitude:
            problems.warn("latitude, longitude", f"{item.get('latitude')!r}, "
                          f"{item.get('longitude')!r}", _("not a position on the map: ignored"))
        if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
            return None
        return latitude, longitude

    def _zone(self, text, place, point, meeting_format, problems) -> tuple[str | None, bool]:
        """The zone of the meeting's times (and whether its coordinates gave it): its own,
        the feed's, the UK's for a place in the UK (or nowhere in particular), or else the
        zone of its coordinates. Never the UK's for a place abroad just because nobody
        said otherwise."""
        own = text.get("timezone", "")
        if own and own not in time_zone_names():
            problems.error("timezone", own, _("not a time zone name such as Europe/London"))
            return None, False
        zone = own or self.time_zone
        if zone is None and place != ABROAD:
            return UK_ZONE, False
        place_zone = self.places.zone_at(*point) if point else (UK_ZONE if place == UK else None)
        if zone is None:
            if place_zone is None:
                problems.error("timezone", "", _(
                    "outside the UK, and no time zone is given for its times, nor coordinates "
                    "on land to find one: %(hint)s") % {
                        "hint": self.report.wording.give_time_zone})
            return place_zone, True
        if meeting_format != Format.ONLINE and place_zone and not same_clock(zone, place_zone):
            # A meeting keeps the time of its place; a feed may give all its times in the
            # zone of its website, or not.
            problems.warn("timezone", zone, _(
                "its times are read as %(zone)s time, but it meets in %(place)s: check "
                "that its times are right") % {"zone": zone, "place": place_zone})
        return zone, False

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

    @staticmethod
    def _venue(text, address: Address, point, types, problems: Problems) -> ImportedVenue | None:
        town = address.town or text.get("region", "")
        if not town:
            problems.error("formatted_address", text.get("formatted_address"),
                           _("cannot find the town in this address"))
            return None
        venue = ImportedVenue(
            name=text.get("location") or address.line1 or town,
            address_line1=address.line1,
            address_line2=address.line2,
            town=town,
            postcode=address.postcode,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            directions=text.get("location_notes", ""),
            flags=set(types.venue_flags),
        )
        for field in ["name", "address_line1", "address_line2", "town"]:
            value, limit = getattr(venue, field), Venue._meta.get_field(field).max_length
            if len(value) > limit:
                problems.error("formatted_address", value, _(
                    "the venue's %(part)s would be longer than %(limit)d characters") % {
                        "part": field.replace("_", " "), "limit": limit})
                return None
        return venue


def _without_first_paragraph(notes: str) -> str:
    """Our own feed puts "First Tuesday of the month" first in the notes of monthly meetings."""
    first, _sep, rest = notes.partition("\n\n")
    return rest if first.endswith("of the month") else notes


def read_feed(data: bytes, reader: ItemReader) -> list[ImportedMeeting]:
    records = []
    for number, item in enumerate(load(data), start=1):
        records += reader.read(item, f"item {number}")
    return records
