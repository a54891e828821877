"""Machine-readable renderings of meetings for partners: CSV, calendar, Meeting Guide JSON.

Also the HTTP manners every public response shares: a short public cache lifetime,
conditional GET (ETag answered with 304), and, for feeds, cross-origin GET.
"""

import datetime
import functools
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from . import meeting_guide as mg
from .importers.addresses import join_address
from .models import Format, Meeting, Recurrence, Status

# Long enough to absorb a burst of partner traffic; short enough that a staff edit shows
# within minutes.
PUBLIC_MAX_AGE = 300

View = Callable[..., HttpResponse]
ATTENDANCE = {Format.IN_PERSON: "in_person", Format.ONLINE: "online", Format.HYBRID: "hybrid"}
PHONE = re.compile(r"^[+]?\d{1,15}(?:[,*#]\d+)*$")


def cache_publicly(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Cache-Control and ETag on a successful GET, and 304 when the client has it already."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=None, response=response
    )


def public_page(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cache_publicly(view(request, *args, **kwargs), request)

    return wrapper


def public_feed(view: View) -> View:
    """A public page that any other site's script may also fetch (read-only data)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = cache_publicly(view(request, *args, **kwargs), request)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


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


def meeting_guide_item(meeting: Meeting, request: HttpRequest) -> dict:
    venue = meeting.venue
    in_person = meeting.is_in_person and venue is not None
    features = [feature.slug for feature in meeting.features.all()]
    flags = [flag for flag in mg.VENUE_CODES if in_person and getattr(venue, flag)]
    languages = [language.code for language in meeting.languages.all()]
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
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
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


@public_feed
def meeting_guide_feed(request: HttpRequest) -> HttpResponse:
    """Every listed meeting in the Meeting Guide JSON format (see docs/partners.md)."""
    meetings = Meeting.objects.listed().with_related().order_by("pk")
    items = [meeting_guide_item(meeting, request) for meeting in meetings]
    return JsonResponse(items, safe=False, json_dumps_params={"ensure_ascii": False})
