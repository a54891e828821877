"""The printable list of a search (/meetings/print/): every match, up to a limit, grouped
by day and ordered by time, for someone to hand over on paper."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Meeting, Recurrence, Weekday
from .schedule import clock_time
from .search import Search, attach_lists, attach_times

# Enough for a town's whole week on a few sheets; past it the page says how to narrow.
LIMIT = 500
MONTH_ORDER = {value: n for n, value in enumerate(Recurrence.values)}


@dataclass
class Printout:
    days: list[tuple[str, list[Meeting]]]  # (heading, meetings), Monday first, monthly last
    total: int  # every match, even past the limit
    shown: int

    @property
    def over_limit(self) -> bool:
        return self.total > self.shown


def printout(search: Search, limit: int | None = None) -> Printout:
    """The first `limit` matches in the search's own order (so past the limit the nearest
    or soonest are the ones kept), then regrouped by day and time for reading."""
    limit = limit or LIMIT
    rows = list(search.meetings.for_listing()[: limit + 1])
    total = len(rows) if len(rows) <= limit else search.meetings.count()
    rows = rows[:limit]
    attach_lists(rows, search.filterset.catalogue)
    attach_times(rows, search.now)
    attach_clock_times(rows)
    return Printout(days=by_day(rows), total=total, shown=len(rows))


def attach_clock_times(meetings: list[Meeting]) -> None:
    """Give each meeting its `time_text`: "7:30pm to 9pm", or "7:30pm" with no end."""
    for meeting in meetings:
        start = clock_time(meeting.start_time)
        meeting.time_text = _("%(start)s to %(end)s") % {
            "start": start, "end": clock_time(meeting.end_time)
        } if meeting.end_time else start


def by_day(meetings: list[Meeting]) -> list[tuple[str, list[Meeting]]]:
    """Weekly meetings under their weekday, then monthly ones under a heading of their own
    ("First Tuesday" is not every Tuesday), each group ordered by start time."""
    weekly: dict[int, list[Meeting]] = {day: [] for day in Weekday.values}
    monthly: list[Meeting] = []
    for meeting in meetings:
        if meeting.recurrence == Recurrence.WEEKLY:
            weekly[meeting.weekday].append(meeting)
        else:
            monthly.append(meeting)
    days = [
        (str(Weekday(day).label), sorted(found, key=lambda m: (m.start_time, m.name, m.pk)))
        for day, found in weekly.items() if found
    ]
    if monthly:
        monthly.sort(key=lambda m: (m.weekday, MONTH_ORDER[m.recurrence], m.start_time, m.pk))
        days.append((_("Once a month"), monthly))
    return days
