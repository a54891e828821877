"""When meetings happen, in UK time: pure functions, no database.

Meetings are stored as wall-clock times ("19:30 every Tuesday") because that is what
groups publish and what stays true across the clock changes. Everything here turns
those into real instants for a given aware `now`, in Europe/London.

Comparisons are made in UTC on purpose: Python compares two datetimes that share a
tzinfo by their wall-clock fields, which is wrong around the October change.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
# Meetings with no stated end are taken to last an hour (the Meeting Guide convention).
DEFAULT_LENGTH = datetime.timedelta(hours=1)
# "Tonight" from this hour; before it, "Today".
EVENING_FROM = datetime.time(17, 0)

WEEKLY = "weekly"
NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


@functools.cache
def zone_named(name: str) -> ZoneInfo:
    """A meeting's time zone (Europe/London unless a feed said otherwise), read once."""
    try:
        return ZoneInfo(name) if name else LONDON
    # zoneinfo raises ZoneInfoNotFoundError (a KeyError), and OSError for a name that is
    # a folder of the database ("America") or too long to be a file name.
    except (ValueError, KeyError, OSError):
        return LONDON


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date | None:
    """The nth (1..4, or -1 for the last) given weekday (0 = Monday) of a month."""
    days = [
        week[weekday]
        for week in calendar.Calendar().monthdatescalendar(year, month)
        if week[weekday].month == month
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def recurrences_on(day: datetime.date) -> list[str]:
    """Which recurrences (Recurrence values) have a meeting on this date's weekday."""
    found = [WEEKLY]
    nth = (day.day - 1) // 7 + 1
    if nth <= 4:
        found.append(list(NTH)[nth - 1])
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        found.append("last")
    return found


def meets_on(weekday: int, recurrence: str, day: datetime.date) -> bool:
    return day.weekday() == weekday and recurrence in recurrences_on(day)


def local_instant(day: datetime.date, time: datetime.time, zone: ZoneInfo = LONDON):
    """The wall-clock time on that day as an aware datetime in `zone`.

    A time the clocks skip (01:30 on the March change) becomes the moment that
    follows the gap; a repeated one (01:30 in October) is the first of the two.
    """
    naive = datetime.datetime.combine(day, time)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _end_of(
    day: datetime.date, start_time: datetime.time, start: datetime.datetime,
    end_time: datetime.time | None,
) -> datetime.datetime:
    """When the occurrence that starts at `start` (`start_time` on `day`) ends."""
    if end_time is None:
        return start + DEFAULT_LENGTH
    if end_time <= start_time:  # runs past midnight
        return local_instant(day + datetime.timedelta(days=1), end_time, start.tzinfo)
    end = local_instant(day, end_time, start.tzinfo)
    if end.astimezone(UTC) <= start.astimezone(UTC):
        # Set in the hour the clocks skip, the start moved past the gap and now comes
        # after the end: it lasts as long as its times say instead.
        wall_length = (datetime.datetime.combine(day, end_time)
                       - datetime.datetime.combine(day, start_time))
        end = (start.astimezone(UTC) + wall_length).astimezone(start.tzinfo)
    return end


@dataclass(frozen=True)
class Occurrence:
    start: datetime.datetime  # aware, in the meeting's zone
    end: datetime.datetime

    def in_progress(self, now: datetime.datetime) -> bool:
        return self.start.astimezone(UTC) <= now.astimezone(UTC) < self.end.astimezone(UTC)


def next_occurrence(
    weekday: int,
    recurrence: str,
    start_time: datetime.time,
    now: datetime.datetime,
    end_time: datetime.time | None = None,
    zone: ZoneInfo = LONDON,
) -> Occurrence:
    """The first occurrence that has not yet ended at `now` (so one in progress counts)."""
    now_utc = now.astimezone(UTC)
    # Start from yesterday so a meeting that runs past midnight is still found.
    day = now.astimezone(zone).date() - datetime.timedelta(days=1)
    for _offset in range(7 * 6):  # a monthly meeting occurs within five weeks
        if meets_on(weekday, recurrence, day):
            start = local_instant(day, start_time, zone)
            end = _end_of(day, start_time, start, end_time)
            if end.astimezone(UTC) > now_utc:
                return Occurrence(start, end)
        day += datetime.timedelta(days=1)
    raise ValueError(f"No {recurrence} occurrence of weekday {weekday} found")  # unreachable


def days_until(weekday: int, recurrence: str, today: datetime.date) -> int:
    """Days from `today` to the first date on or after it when the meeting meets."""
    for offset in range(7 * 6):
        if meets_on(weekday, recurrence, today + datetime.timedelta(days=offset)):
            return offset
    raise ValueError(recurrence)


def wall_clock_span(
    now: datetime.datetime, zone: ZoneInfo = LONDON
) -> tuple[datetime.datetime, datetime.datetime]:
    """The wall-clock readings (naive) that `now` stands for when meetings' wall-clock
    times are compared with it: one, unless the clocks changed in the day before `now`
    or change in the hour after it, when times either side of the change are read an
    hour apart. (Changes are months apart, so the span's two ends show any there is.)"""
    utc = now.astimezone(UTC)
    offsets = [
        (utc + delta).astimezone(zone).utcoffset()
        for delta in (-datetime.timedelta(hours=25), datetime.timedelta(hours=1))
    ]
    naive = utc.replace(tzinfo=None)
    return naive + min(offsets), naive + max(offsets)


@receiver(setting_changed)
def _forget_words(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _words.cache_clear()


@functools.cache
def _words(language: str | None) -> dict:
    """The words times are written with, translated once per language rather than for
    every result on every page (each look-up walks Django's chain of catalogues)."""
    return {
        "midday": _("midday"),
        "midnight": _("midnight"),
        "am": pgettext("time of day", "am"),
        "pm": pgettext("time of day", "pm"),
        "now": _("Now (started %(time)s)"),
        "tonight": _("Tonight %(time)s"),
        "today": _("Today %(time)s"),
        "tomorrow": _("Tomorrow %(time)s"),
        "date": _("%(weekday)s %(day)s %(month)s %(time)s"),
        "weekdays": [
            pgettext("abbreviated weekday", "Mon"),
            pgettext("abbreviated weekday", "Tue"),
            pgettext("abbreviated weekday", "Wed"),
            pgettext("abbreviated weekday", "Thu"),
            pgettext("abbreviated weekday", "Fri"),
            pgettext("abbreviated weekday", "Sat"),
            pgettext("abbreviated weekday", "Sun"),
        ],
        "months": [
            pgettext("abbreviated month", "Jan"),
            pgettext("abbreviated month", "Feb"),
            pgettext("abbreviated month", "Mar"),
            pgettext("abbreviated month", "Apr"),
            pgettext("abbreviated month", "May"),
            pgettext("abbreviated month", "Jun"),
            pgettext("abbreviated month", "Jul"),
            pgettext("abbreviated month", "Aug"),
            pgettext("abbreviated month", "Sep"),
            pgettext("abbreviated month", "Oct"),
            pgettext("abbreviated month", "Nov"),
            pgettext("abbreviated month", "Dec"),
        ],
    }


def clock_time(time: datetime.time) -> str:
    """'7:30pm', '10am', 'midday', 'midnight': the way UK meeting lists write times."""
    words = _words(get_language())
    if time.hour == 12 and time.minute == 0:
        return words["midday"]
    if time.hour == 0 and time.minute == 0:
        return words["midnight"]
    hour = time.hour % 12 or 12
    suffix = words["am"] if time.hour < 12 else words["pm"]
    if time.minute:
        return f"{hour}:{time.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def when_in_words(occurrence: Occurrence, now: datetime.datetime, zone: ZoneInfo = LONDON) -> str:
    """'Tonight 7:30pm', 'Tomorrow 10am', 'Sat 14 Dec 11am', or 'Now (started 7pm)'."""
    words = _words(get_language())
    start = occurrence.start.astimezone(zone)
    at = clock_time(start.time())
    if occurrence.in_progress(now):
        return words["now"] % {"time": at}
    today = now.astimezone(zone).date()
    if start.date() == today:
        if start.time() >= EVENING_FROM:
            return words["tonight"] % {"time": at}
        return words["today"] % {"time": at}
    if start.date() == today + datetime.timedelta(days=1):
        return words["tomorrow"] % {"time": at}
    return words["date"] % {
        "weekday": words["weekdays"][start.weekday()],
        "day": start.day,
        "month": words["months"][start.month - 1],
        "time": at,
    }


def next_midnight(now: datetime.datetime, zone: ZoneInfo = LONDON) -> datetime.datetime:
    """The next start of a day in `zone` after `now`, when "Today" and "Tomorrow" move on."""
    tomorrow = now.astimezone(zone).date() + datetime.timedelta(days=1)
    return local_instant(tomorrow, datetime.time(0), zone).astimezone(UTC)


def wording_changes_at(
    occurrence: Occurrence, now: datetime.datetime, zone: ZoneInfo = LONDON
) -> datetime.datetime:
    """The first moment after `now` at which `when_in_words(occurrence, now)` or the
    occurrence itself (`next_start` in the JSON) can read differently: its start ("Now"),
    its end (the next occurrence's words), or the next midnight in `zone` ("Tonight",
    "Tomorrow" and dates are counted from today). "Tonight" or "Today" depends on the
    start alone, so no other time matters."""
    now_utc = now.astimezone(UTC)
    start, end = occurrence.start.astimezone(UTC), occurrence.end.astimezone(UTC)
    moment = start if now_utc < start else end
    return min(moment, next_midnight(now, zone))
