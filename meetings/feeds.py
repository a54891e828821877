"""Machine-readable renderings of meetings for partners: CSV, calendar, Meeting Guide JSON."""

import csv
import io
import json
import re
from collections.abc import Iterator

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from . import catalogue, feed_rows, schedule
from . import meeting_guide as mg
from .calendar import ICS_CONTENT_TYPE, calendar_chunks
from .feed_http import Feed, Rendering, feed_view, json_array
from .feed_rows import FeedRows
from .http_cache import PUBLIC_MAX_AGE
from .importers.addresses import join_address
from .models import Format, Meeting, Status
from .search import run_search

DAY = 24 * 60 * 60  # seconds

ATTENDANCE = {Format.IN_PERSON: "in_person", Format.ONLINE: "online", Format.HYBRID: "hybrid"}
PHONE = re.compile(r"^[+]?\d{1,15}(?:[,*#]\d+)*$")


# The Meeting Guide feed ------------------------------------------------------------------

def _phone(number: str) -> str:
    """'0113 245 1234' -> '+441132451234': the format wants digits with an optional '+'."""
    digits = re.sub(r"[^\d+,*#]", "", number)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+44" + digits[1:]
    return digits if PHONE.match(digits) else ""


def _feed_slug(row: dict) -> str:
    # The format's slug is at most 64 characters; ours may be longer.
    if len(row["slug"]) <= 64:
        return row["slug"]
    suffix = f"-{row['id']}"
    return row["slug"][: 64 - len(suffix)].rstrip("-") + suffix


EMPTY = ("", None, [])
# The venue flags the format has codes for, and their columns in a feed row.
VENUE_COLUMNS = [(flag, f"venue__{flag}") for flag in mg.VENUE_CODES]


class MeetingGuideItems:
    """The Meeting Guide feed's items from feed rows (meetings.feed_rows), one build at a
    time. What thousands of meetings share is made once per build: a venue's part of the
    item, a set of type codes, a fellowship's part, the clock times."""

    def __init__(self, rows: FeedRows):
        self.rows = rows
        self._types: dict[tuple, list[str]] = {}
        self._places: dict[tuple, dict] = {}
        self._entities: dict[int, dict] = {}

    def __call__(self, row: dict) -> dict:
        """One meeting of the feed (see docs/partners.md)."""
        rows = self.rows
        in_person = feed_rows.at_venue(row)
        suspended = row["status"] == Status.SUSPENDED
        online = feed_rows.is_online(row)
        weekly = feed_rows.is_weekly(row)
        notes = row["notes"]
        if not weekly:
            # The format is weekly only: say so where every reader of the feed will see it.
            notes = "\n\n".join(p for p in [rows.schedule_text(row), notes] if p)
        item = {
            "name": row["name"],
            "slug": _feed_slug(row),
            "day": mg.day_to_meeting_guide(row["weekday"]),
            "time": rows.clock(row["start_time"]),
            "end_time": rows.clock(row["end_time"]),
            "timezone": row["timezone"],
            "types": self.types(row, in_person, online, suspended),
            "attendance_option": "inactive" if suspended else ATTENDANCE[row["format"]],
            "notes": notes,
            "url": rows.url(row),
            "updated": feed_rows.updated(row),
            "group": row["group__name"] or "",
            **self.entity(row),
        }
        if not weekly:
            item["recurrence"] = row["recurrence"]
        item |= self.place(row, in_person)
        if online:
            phone = _phone(row["online_phone"])
            item |= {
                "conference_url": row["online_url"],
                "conference_url_notes": row["online_notes"],
                "conference_phone": phone,
                "conference_phone_notes": "" if phone or not row["online_phone"]
                else row["online_phone"],
            }
        return {key: value for key, value in item.items() if value not in EMPTY}

    def types(self, row: dict, in_person: bool, online: bool, suspended: bool) -> list[str]:
        flags = tuple(flag for flag, column in VENUE_COLUMNS if row[column]) if in_person else ()
        key = (row["feature_keys"], row["language_keys"], row["access"], online, suspended,
               flags)
        if key not in self._types:
            types = mg.type_codes(row["features"], flags, row["access"], row["languages"])
            if online:
                types.append(mg.ONLINE)
            elif suspended:
                types.append(mg.TEMPORARILY_CLOSED)
            self._types[key] = types
        return self._types[key]

    def entity(self, row: dict) -> dict:
        pk = row["fellowship_id"]
        if pk not in self._entities:
            fellow = row["fellow"]
            self._entities[pk] = {"entity": fellow.name, "entity_url": fellow.website,
                                  "fellowship": fellow.slug}
        return self._entities[pk]

    def place(self, row: dict, in_person: bool) -> dict:
        """Where the meeting is: the venue's part of the item, once per venue."""
        key = (row["venue_id"], in_person, row["timezone"])
        if key not in self._places:
            self._places[key] = place_of(row, in_person)
        return self._places[key]


def place_of(row: dict, in_person: bool) -> dict:
    has_venue = row["venue_id"] is not None
    town = row["venue__town"]
    place = {}
    if in_person:
        place = {
            "location": row["venue__name"],
            "formatted_address": join_address(
                row["venue__address_line1"], row["venue__address_line2"], town,
                row["venue__postcode"],
            ),
            "approximate": "no",
            "region": town,
            "location_notes": row["venue__directions"],
        }
    elif has_venue:
        place = {"formatted_address": f"{town}, UK", "approximate": "yes", "region": town}
    elif row["timezone"] == "Europe/London":
        place = {"formatted_address": "United Kingdom", "approximate": "yes"}
    latitude, longitude = row["venue__latitude"], row["venue__longitude"]
    if has_venue and latitude is not None and longitude is not None:
        place |= {"latitude": latitude, "longitude": longitude}
    return place


@feed_view(Feed("meeting-guide", "application/json", "meeting-guide.json", "inline",
                lasts=lambda query: PUBLIC_MAX_AGE if query else None))
def meeting_guide_feed(request: HttpRequest, query: QueryDict) -> Rendering:
    """Every listed meeting in the Meeting Guide JSON format (see docs/partners.md).

    The search's parameters narrow it (?fellowship=aa for one fellowship's own site).
    """
    if query:
        search = run_search(query)
        meetings, lists, now = search.meetings, search.filterset.catalogue, search.now
    else:
        meetings = Meeting.objects.listed().order_by("pk")
        lists, now = catalogue.current(), timezone.now()
    rows = FeedRows.for_request(request, lists, now)
    item = MeetingGuideItems(rows)
    return Rendering(json_array([item(row) for row in chunk] for chunk in rows.rows(meetings)))


# Search renderings: the same parameters and results as /meetings.json -------------------

# The CSV is /meetings.json's result objects flattened ("venue": {"town"} -> venue_town).
# A fixed list, so the columns stay put for partners' spreadsheets even when a page of
# results has no venue at all; a test checks it covers every field of the JSON.
CSV_COLUMNS = [
    "id", "url", "name", "fellowship_slug", "fellowship_name", "fellowship_philosophy",
    "group", "format", "status", "day", "recurrence", "start_time", "end_time", "timezone",
    "next_start", "venue_name", "venue_address", "venue_town", "venue_postcode",
    "venue_latitude", "venue_longitude", "online_url", "online_phone", "online_notes",
    "features", "languages", "distance_miles", "last_verified",
    # Added later: at the end, so the earlier columns keep their places.
    "fellowship_family_audience",
]


def flatten(data: dict, prefix: str = "") -> dict:
    """{"venue": {"town": "Leeds"}} -> {"venue_town": "Leeds"}; lists joined with "; "."""
    flat = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= flatten(value, f"{name}_")
        elif isinstance(value, list | tuple):
            flat[name] = "; ".join(
                str(v.get("slug") or v.get("code") or v.get("name")) if isinstance(v, dict)
                else str(v) for v in value
            )
        elif value is None:
            flat[name] = ""
        else:
            flat[name] = value
    return flat


# Excel and LibreOffice run a cell starting with = + - @ (or a tab or carriage return
# before one) as a formula, and some read the full-width forms as the same signs: a
# meeting name from an import must never do that on a partner's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _spreadsheet_safe(value) -> str:
    """The cell as text that no spreadsheet runs: a leading quote before a formula-like
    start (a plain number such as -1.57 stays a number)."""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")

@feed_view(Feed("csv", "text/csv; charset=utf-8", "meetings.csv"))
def meetings_csv(request: HttpRequest, query: QueryDict) -> Rendering:
    search = run_search(query)
    return Rendering(_csv_chunks(request, search), _search_errors(search))


def _csv_chunks(request: HttpRequest, search) -> Iterator[str]:
    # A byte-order mark so Excel reads UTF-8 (names in Welsh, Polish...); LibreOffice and
    # Python's csv module (with utf-8-sig) read it too.
    out = io.StringIO()
    out.write("\ufeff")
    # Every cell quoted, so a spreadsheet reads each as one value, whatever is in it.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    rows = FeedRows.for_request(request, search.filterset.catalogue, search.now)
    cells = CsvCells(rows)
    near = search.location is not None and not search.distance_ignored
    for chunk in rows.rows(search.meetings, *(["distance_miles"] if near else [])):
        writer.writerows(cells(row) for row in chunk)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


class CsvCells:
    """A meeting's CSV row: /meetings.json's object for it (meetings.serializers), flattened
    as `flatten` does, in CSV_COLUMNS order (tests/test_feed_output.py holds them equal).

    Every cell that can hold typed or imported text goes through _spreadsheet_safe (a
    test fills every such field with a formula). What many meetings share (a venue's
    six cells, a fellowship's, the next start of a schedule) is made once per build."""

    def __init__(self, rows: FeedRows):
        self.rows = rows
        self._venues: dict[int, list] = {}
        self._fellows: dict[int, list] = {}
        self._starts: dict[schedule.Occurrence, str] = {}
        self._features: dict[tuple, tuple[str, str]] = {}
        self._audiences: dict[int, str] = {}
        self._zones: dict[str, str] = {}

    def __call__(self, row: dict) -> list:
        rows = self.rows
        distance, verified = row.get("distance_miles"), row["last_verified"]
        cells = [
            row["id"], rows.url(row), _spreadsheet_safe(row["name"]), *self.fellowship(row),
            _spreadsheet_safe(row["group__name"] or ""), row["format"], row["status"],
            feed_rows.DAY_NAMES[row["weekday"]], row["recurrence"],
            rows.clock(row["start_time"]), rows.clock(row["end_time"]),
            self.zone(row), self.next_start(row),
            *self.venue(row),
        ]
        if feed_rows.is_online(row):
            cells += [_spreadsheet_safe(row["online_url"]),
                      _spreadsheet_safe(row["online_phone"]),
                      _spreadsheet_safe(row["online_notes"])]
        else:
            cells += ["", "", ""]
        cells += [
            *self.features_and_languages(row),
            round(distance, 2) if distance is not None else "",
            verified.isoformat() if verified else "",
            self.audience(row),
        ]
        return cells

    def features_and_languages(self, row: dict) -> tuple[str, str]:
        # The venue's facts are among the features of a meeting at the venue.
        key = (row["access"], row["feature_keys"], row["language_keys"],
               row["venue_id"] if feed_rows.at_venue(row) else None)
        if key not in self._features:
            self._features[key] = (
                _spreadsheet_safe("; ".join(feed_rows.feature_slugs(row))),
                _spreadsheet_safe("; ".join(row["languages"])),
            )
        return self._features[key]

    def audience(self, row: dict) -> str:
        pk = row["fellowship_id"]
        if pk not in self._audiences:
            self._audiences[pk] = _spreadsheet_safe(row["fellow"].family_audience)
        return self._audiences[pk]

    def fellowship(self, row: dict) -> list:
        pk = row["fellowship_id"]
        if pk not in self._fellows:
            fellow = row["fellow"]
            self._fellows[pk] = [_spreadsheet_safe(fellow.slug), _spreadsheet_safe(fellow.name),
                                 _spreadsheet_safe(fellow.philosophy)]
        return self._fellows[pk]

    def venue(self, row: dict) -> list:
        if not feed_rows.at_venue(row):
            return ["", "", "", "", "", ""]
        pk = row["venue_id"]
        if pk not in self._venues:
            latitude, longitude = row["venue__latitude"], row["venue__longitude"]
            self._venues[pk] = [
                _spreadsheet_safe(row["venue__name"]),
                _spreadsheet_safe(feed_rows.venue_address(row)),
                _spreadsheet_safe(row["venue__town"]),
                _spreadsheet_safe(row["venue__postcode"]),
                "" if latitude is None else _spreadsheet_safe(latitude),
                "" if longitude is None else _spreadsheet_safe(longitude),
            ]
        return self._venues[pk]

    def zone(self, row: dict) -> str:
        zone = row["timezone"]
        if zone not in self._zones:
            self._zones[zone] = _spreadsheet_safe(zone)
        return self._zones[zone]

    def next_start(self, row: dict) -> str:
        occurrence = self.rows.occurrence(row)
        if occurrence not in self._starts:
            self._starts[occurrence] = occurrence.start.isoformat()
        return self._starts[occurrence]


@feed_view(Feed("ics", ICS_CONTENT_TYPE, "meetings.ics", "inline",
                lasts=lambda query: PUBLIC_MAX_AGE if query else DAY))
def meetings_ics(request: HttpRequest, query: QueryDict) -> Rendering:
    search = run_search(query)
    # The search's meetings in the order they were added: calendar programs put events
    # in time order themselves, and sorting 20,000 by their next start cost the database
    # more than a tenth of a second.
    return Rendering(
        calendar_chunks(request, search.meetings.order_by("pk"), str(_("Recovery meetings")),
                        FeedRows.for_request(request, search.filterset.catalogue, search.now)),
        _search_errors(search),
    )


def _search_errors(search) -> dict[str, str]:
    # The renderings are lenient like the page: valid parameters apply. What was not
    # understood is said in a header, since a file has no place for a message.
    if search.errors:
        return {"X-Search-Errors": json.dumps(search.errors, ensure_ascii=True)}
    return {}
