"""Machine-readable renderings of meetings for partners: CSV, calendar, Meeting Guide JSON."""

import csv
import datetime
import io
import json
import re
from collections.abc import Callable, Iterator

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from . import catalogue
from . import meeting_guide as mg
from .calendar import ICS_CONTENT_TYPE, calendar_chunks
from .catalogue import Catalogue
from .feed_http import Feed, Rendering, feed_view, in_chunks, json_array
from .http_cache import PUBLIC_MAX_AGE
from .importers.addresses import join_address
from .models import Format, Meeting, MeetingQuerySet, Recurrence, Status
from .search import attach_lists, attach_times, run_search
from .serializers import meeting_as_dict

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


def _feed_slug(meeting: Meeting) -> str:
    # The format's slug is at most 64 characters; ours may be longer.
    if len(meeting.slug) <= 64:
        return meeting.slug
    suffix = f"-{meeting.pk}"
    return meeting.slug[: 64 - len(suffix)].rstrip("-") + suffix


def meeting_guide_item(meeting: Meeting, request: HttpRequest, url: str | None = None) -> dict:
    venue = meeting.venue
    in_person = meeting.is_in_person and venue is not None
    features = [feature.slug for feature in meeting.feature_list]
    flags = [flag for flag in mg.VENUE_CODES if in_person and getattr(venue, flag)]
    languages = [language.code for language in meeting.language_list]
    types = mg.type_codes(features, flags, meeting.access, languages)
    suspended = meeting.status == Status.SUSPENDED
    if meeting.is_online:
        types.append(mg.ONLINE)
    elif suspended:
        types.append(mg.TEMPORARILY_CLOSED)
    notes = meeting.notes
    if meeting.recurrence != Recurrence.WEEKLY:
        # The format is weekly only: say so where every reader of the feed will see it.
        notes = "\n\n".join(p for p in [str(meeting.schedule_display()), notes] if p)
    item = {
        "name": meeting.name,
        "slug": _feed_slug(meeting),
        "day": mg.day_to_meeting_guide(meeting.weekday),
        "time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "timezone": meeting.timezone,
        "types": types,
        "attendance_option": "inactive" if suspended else ATTENDANCE[meeting.format],
        "notes": notes,
        "url": url or request.build_absolute_uri(meeting.get_absolute_url()),
        "updated": meeting.updated.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "group": meeting.group.name if meeting.group else "",
        "entity": meeting.fellowship.name,
        "entity_url": meeting.fellowship.website,
        "fellowship": meeting.fellowship.slug,
    }
    if meeting.recurrence != Recurrence.WEEKLY:
        item["recurrence"] = meeting.recurrence
    if in_person:
        item |= {
            "location": venue.name,
            "formatted_address": join_address(
                venue.address_line1, venue.address_line2, venue.town, venue.postcode
            ),
            "approximate": "no",
            "region": venue.town,
            "location_notes": venue.directions,
        }
    elif venue is not None:
        item |= {"formatted_address": f"{venue.town}, UK", "approximate": "yes",
                 "region": venue.town}
    elif meeting.timezone == "Europe/London":
        item |= {"formatted_address": "United Kingdom", "approximate": "yes"}
    if venue is not None and venue.has_coordinates:
        item |= {"latitude": venue.latitude, "longitude": venue.longitude}
    if meeting.is_online:
        phone = _phone(meeting.online_phone)
        item |= {
            "conference_url": meeting.online_url,
            "conference_url_notes": meeting.online_notes,
            "conference_phone": phone,
            "conference_phone_notes": "" if phone or not meeting.online_phone
            else meeting.online_phone,
        }
    return {key: value for key, value in item.items() if value not in ("", None, [])}


def meeting_urls(request: HttpRequest) -> Callable[[Meeting], str]:
    """Each meeting's absolute URL, from one reverse() per feed rather than one per
    meeting (slugs need no quoting, so only the slug differs)."""
    start, end = request.build_absolute_uri(reverse("meeting-detail", args=["-"])).rsplit("-", 1)
    return lambda meeting: f"{start}{meeting.slug}{end}"


@feed_view(Feed("meeting-guide", "application/json", "meeting-guide.json", "inline",
                lasts=lambda query: PUBLIC_MAX_AGE if query else None))
def meeting_guide_feed(request: HttpRequest, query: QueryDict) -> Rendering:
    """Every listed meeting in the Meeting Guide JSON format (see docs/partners.md).

    The search's parameters narrow it (?fellowship=aa for one fellowship's own site).
    """
    if query:
        search = run_search(query)
        meetings, lists = search.meetings, search.filterset.catalogue
    else:
        meetings, lists = Meeting.objects.listed().order_by("pk"), catalogue.current()
    url = meeting_urls(request)
    return Rendering(json_array(
        [meeting_guide_item(meeting, request, url(meeting)) for meeting in chunk]
        for chunk in listed_chunks(meetings, lists)
    ))


def listed_chunks(meetings: MeetingQuerySet, lists: Catalogue) -> Iterator[list[Meeting]]:
    """The meetings a chunk at a time, with everything a feed shows: read as the search
    reads its results (`for_listing`: features and languages as keys in the same query,
    fellowships from the catalogue) but with every field, as feeds show notes and dates.
    Half the time that prefetch_related took."""
    for chunk in in_chunks(meetings.for_listing().defer(None)):
        attach_lists(chunk, lists)
        yield chunk


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
    for chunk in listed_chunks(search.meetings, search.filterset.catalogue):
        for meeting in attach_times(chunk, search.now):
            row = flatten(meeting_as_dict(meeting, request, search.now))
            writer.writerow([_spreadsheet_safe(row.get(column, "")) for column in CSV_COLUMNS])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


@feed_view(Feed("ics", ICS_CONTENT_TYPE, "meetings.ics", "inline",
                lasts=lambda query: PUBLIC_MAX_AGE if query else DAY))
def meetings_ics(request: HttpRequest, query: QueryDict) -> Rendering:
    search = run_search(query)
    return Rendering(
        calendar_chunks(request, search.meetings, str(_("Recovery meetings")),
                        lambda meetings: listed_chunks(meetings, search.filterset.catalogue)),
        _search_errors(search),
    )


def _search_errors(search) -> dict[str, str]:
    # The renderings are lenient like the page: valid parameters apply. What was not
    # understood is said in a header, since a file has no place for a message.
    if search.errors:
        return {"X-Search-Errors": json.dumps(search.errors, ensure_ascii=True)}
    return {}
