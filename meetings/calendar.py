"""iCalendar (.ics) renderings of meetings: one recurring event per meeting.

Each event starts at the meeting's next occurrence, in the meeting's own time zone
(Europe/London for almost all of ours) with a VTIMEZONE, and repeats by an RRULE that
calendar programs expand themselves: so a 19:30 meeting stays at 19:30 local time on
both sides of a clock change.
"""

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration, vRecur

from . import schedule
from .models import Format, Meeting, Recurrence, Status

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # index = our Weekday value
PRODID = "-//Recovery Finder//Meetings//EN"
REFRESH = datetime.timedelta(days=1)


def next_start(meeting: Meeting, now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the next (or current) occurrence, aware in the meeting's time zone."""
    return meeting.next_occurrence(now or timezone.now()).start


def rrule(meeting: Meeting) -> vRecur:
    day = ICAL_DAYS[meeting.weekday]
    if meeting.recurrence == Recurrence.WEEKLY:
        return vRecur({"FREQ": "WEEKLY", "BYDAY": day})
    return vRecur({"FREQ": "MONTHLY", "BYDAY": f"{schedule.NTH[meeting.recurrence]}{day}"})


def location(meeting: Meeting) -> str:
    if meeting.venue_id and meeting.format != Format.ONLINE:
        return ", ".join(part for part in [meeting.venue.name, meeting.venue.address] if part)
    return meeting.online_url or meeting.online_phone


def description(meeting: Meeting, url: str) -> str:
    lines = [f"{meeting.fellowship.name}. {meeting.schedule_display()}."]
    if meeting.status == Status.SUSPENDED:
        lines.append(_("This meeting is temporarily suspended."))
    if meeting.is_online:
        if meeting.online_url:
            lines.append(_("Join online: %(url)s") % {"url": meeting.online_url})
        if meeting.online_phone:
            lines.append(_("Join by phone: %(phone)s") % {"phone": meeting.online_phone})
        if meeting.online_notes:
            lines.append(meeting.online_notes)
    if meeting.notes:
        lines.append(meeting.notes)
    lines.append(_("Details and changes: %(url)s") % {"url": url})
    return "\n\n".join(lines)


def meeting_event(
    meeting: Meeting, url: str, uid_domain: str, now: datetime.datetime | None = None
) -> Event:
    start = next_start(meeting, now)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{uid_domain}")
    summary = f"{meeting.name} ({meeting.fellowship.short_name})"
    if meeting.status == Status.SUSPENDED:
        summary = _("%(name)s (temporarily suspended)") % {"name": summary}
    event.add("summary", summary)
    event.add("dtstart", start)
    if meeting.end_time:
        end = datetime.datetime.combine(start.date(), meeting.end_time, tzinfo=start.tzinfo)
        if end <= start:  # runs past midnight
            end += datetime.timedelta(days=1)
        event.add("dtend", end)
    else:
        event.add("duration", schedule.DEFAULT_LENGTH)
    event.add("rrule", rrule(meeting))
    where = location(meeting)
    if where:
        event.add("location", where)
    event.add("url", url)
    event.add("description", description(meeting, url))
    event.add("status", "TENTATIVE" if meeting.status == Status.SUSPENDED else "CONFIRMED")
    stamp = meeting.updated or timezone.now()
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("last-modified", stamp.astimezone(datetime.UTC))
    return event


def calendar_head(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    # Subscribed calendars: ask for a refresh about daily. icalendar has no type for
    # REFRESH-INTERVAL (RFC 7986) and would write a bare timedelta as its str ("1 day,
    # 0:00:00"), so wrap it to get an RFC 5545 duration ("P1D"); X-PUBLISHED-TTL alike.
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def meetings_calendar(
    meetings: Iterable[Meeting],
    absolute_url: Callable[[Meeting], str],
    uid_domain: str,
    name: str,
    now: datetime.datetime | None = None,
) -> Calendar:
    cal = calendar_head(name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, absolute_url(meeting), uid_domain, now))
    # A VTIMEZONE for every TZID used (built from the zoneinfo database).
    cal.add_missing_timezones()
    return cal


ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid_domain(request: HttpRequest) -> str:
    # UIDs are per meeting and per site, so a calendar that subscribes to two searches
    # holding the same meeting shows it once.
    return request.get_host().split(":")[0] or "recovery-finder"


def calendar_response(request: HttpRequest, meetings, name: str, filename: str) -> HttpResponse:
    cal = meetings_calendar(
        meetings,
        lambda meeting: request.build_absolute_uri(meeting.get_absolute_url()),
        uid_domain(request),
        name,
    )
    response = HttpResponse(cal.to_ical(), content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_chunks(
    request: HttpRequest, meetings: QuerySet, name: str,
    in_chunks: Callable[[QuerySet], Iterable[list[Meeting]]],
) -> Iterator[str]:
    """The same calendar as `meetings_calendar`, written a chunk of meetings at a time so
    that a calendar of every meeting never sits in memory whole. The time zones come
    first, from the zone names the meetings use (one small query)."""
    cal = calendar_head(name)
    zones = {schedule.zone_named(zone).key
             for zone in meetings.order_by().values_list("timezone", flat=True).distinct()}
    for zone in sorted(zones):
        with contextlib.suppress(ValueError):  # a zone icalendar cannot describe
            cal.add_component(Timezone.from_tzid(zone))
    head = cal.to_ical().decode()
    end = "END:VCALENDAR\r\n"
    yield head.removesuffix(end)
    domain, now = uid_domain(request), timezone.now()
    start, url_end = request.build_absolute_uri(
        reverse("meeting-detail", args=["-"])).rsplit("-", 1)
    for chunk in in_chunks(meetings):
        yield "".join(
            meeting_event(meeting, f"{start}{meeting.slug}{url_end}", domain, now)
            .to_ical().decode()
            for meeting in chunk
        )
    yield end
