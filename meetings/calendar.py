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
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration, vRecur
from icalendar.parser import escape_char, foldline

from . import feed_rows, schedule
from .feed_rows import FeedRows, venue_address
from .models import Format, Meeting, Recurrence, Status
from .models.choices import JOINABLE_ONLINE

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # index = our Weekday value
PRODID = "-//Recovery Finder//Meetings//EN"
REFRESH = datetime.timedelta(days=1)


def next_start(meeting: Meeting, now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the next (or current) occurrence, aware in the meeting's time zone."""
    return meeting.next_occurrence(now or timezone.now()).start


def rrule(weekday: int, recurrence: str) -> vRecur:
    day = ICAL_DAYS[weekday]
    if recurrence == Recurrence.WEEKLY:
        return vRecur({"FREQ": "WEEKLY", "BYDAY": day})
    return vRecur({"FREQ": "MONTHLY", "BYDAY": f"{schedule.NTH[recurrence]}{day}"})


def add_times(event: Event, start: datetime.datetime, end_time: datetime.time | None) -> None:
    event.add("dtstart", start)
    if end_time:
        end = datetime.datetime.combine(start.date(), end_time, tzinfo=start.tzinfo)
        if end <= start:  # runs past midnight
            end += datetime.timedelta(days=1)
        event.add("dtend", end)
    else:
        event.add("duration", schedule.DEFAULT_LENGTH)


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
    add_times(event, start, meeting.end_time)
    event.add("rrule", rrule(meeting.weekday, meeting.recurrence))
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


def calendar_chunks(request: HttpRequest, meetings: QuerySet, name: str,
                    rows: FeedRows) -> Iterator[str]:
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
    events = EventWriter(rows, uid_domain(request))
    for chunk in rows.rows(meetings):
        yield "".join(events.text(row) for row in chunk)
    yield end


class EventWriter:
    """A meeting's VEVENT, from its row (meetings.feed_rows), as `meeting_event` and the
    icalendar library write it, for calendars of thousands of meetings.

    Writing 20,000 events through icalendar's objects took seconds. Here only what
    differs per meeting is written per meeting: its text properties, escaped and folded
    by icalendar's own public `escape_char` and `foldline`, in the order icalendar puts
    them. What many meetings share (start, end and repeat rule, which depend only on the
    schedule) is written by icalendar itself, once per schedule. tests/test_feed_output.py
    holds the result byte for byte to what icalendar wrote for every event.
    """

    def __init__(self, rows: FeedRows, domain: str):
        self.rows, self.domain = rows, domain
        self.times: dict = {}
        self.rules: dict = {}
        self.locations: dict = {}
        self.suspended = _("%(name)s (temporarily suspended)")
        self.suspended_line = str(_("This meeting is temporarily suspended."))
        self.join_online = _("Join online: %(url)s")
        self.join_by_phone = _("Join by phone: %(phone)s")
        self.details = _("Details and changes: %(url)s")

    def text(self, row: dict) -> str:
        rows = self.rows
        url = rows.url(row)
        fellow = row["fellow"]
        suspended = row["status"] == Status.SUSPENDED
        summary = f"{row['name']} ({fellow.short_name})"
        if suspended:
            summary = self.suspended % {"name": summary}
        # "2026-03-28 12:00:00" -> "20260328T120000Z"
        stamp = feed_rows.updated(row).replace("-", "").replace(":", "").replace(" ", "T") + "Z"
        lines = [
            "BEGIN:VEVENT\r\n",
            _text_line("SUMMARY", summary),
            self._times(row),
            f"DTSTAMP:{stamp}\r\n",
            _text_line("UID", f"meeting-{row['id']}@{self.domain}"),
            self._rule(row),
            _text_line("DESCRIPTION", self._description(row, url, suspended)),
            f"LAST-MODIFIED:{stamp}\r\n",
        ]
        lines.append(self._location(row))
        lines.append("STATUS:TENTATIVE\r\n" if suspended else "STATUS:CONFIRMED\r\n")
        lines.append(foldline(f"URL:{url}") + "\r\n")  # a URI: not escaped as text is
        lines.append("END:VEVENT\r\n")
        return "".join(lines)

    def _description(self, row: dict, url: str, suspended: bool) -> str:
        parts = [f"{row['fellow'].name}. {self.rows.schedule_text(row)}."]
        if suspended:
            parts.append(self.suspended_line)
        if row["format"] in JOINABLE_ONLINE:
            if row["online_url"]:
                parts.append(self.join_online % {"url": row["online_url"]})
            if row["online_phone"]:
                parts.append(self.join_by_phone % {"phone": row["online_phone"]})
            if row["online_notes"]:
                parts.append(row["online_notes"])
        if row["notes"]:
            parts.append(row["notes"])
        parts.append(self.details % {"url": url})
        return "\n\n".join(parts)

    def _location(self, row: dict) -> str:
        """LOCATION, once per venue: where many meetings meet, escaped and folded once."""
        if row["venue_id"] is not None and row["format"] != Format.ONLINE:
            key = row["venue_id"]
            if key not in self.locations:
                where = ", ".join(part for part in [row["venue__name"], venue_address(row)]
                                  if part)
                self.locations[key] = _text_line("LOCATION", where) if where else ""
            return self.locations[key]
        where = row["online_url"] or row["online_phone"]
        return _text_line("LOCATION", where) if where else ""

    def _times(self, row: dict) -> str:
        """DTSTART and DTEND (or DURATION), written by icalendar once per schedule."""
        start = self.rows.occurrence(row).start
        key = (start, row["end_time"])
        if key not in self.times:
            event = Event()
            add_times(event, start, row["end_time"])
            self.times[key] = _properties(event)
        return self.times[key]

    def _rule(self, row: dict) -> str:
        key = (row["weekday"], row["recurrence"])
        if key not in self.rules:
            event = Event()
            event.add("rrule", rrule(*key))
            self.rules[key] = _properties(event)
        return self.rules[key]


def _text_line(name: str, value: str) -> str:
    return foldline(f"{name}:{escape_char(value)}") + "\r\n"


def _properties(event: Event) -> str:
    """An event's content lines, without its BEGIN and END."""
    text = event.to_ical().decode()
    return text.removeprefix("BEGIN:VEVENT\r\n").removesuffix("END:VEVENT\r\n")
