"""The one search behind every way of asking: the HTML page, /meetings.json, and the
partners' CSV, calendar and embed views all call `run_search` with the query string.

It validates (leniently: what is valid applies), resolves the place, applies the
radius and the order, and leaves pagination to the caller.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.core.signals import setting_changed
from django.db.models import Count, Window
from django.dispatch import receiver
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from . import first_pages
from .catalogue import Catalogue
from .filters import DEFAULT_MILES, MeetingFilter
from .models import Format, Meeting, MeetingQuerySet
from .models.venues import VENUE_FEATURES
from .schedule import (
    LONDON,
    UTC,
    next_midnight,
    next_occurrence,
    when_in_words,
    wording_changes_at,
)
from .wording import miles_text

PER_PAGE = 20
MAX_PAGE = 100_000  # two million results: far more than are listed
# Radii offered when nothing was found, in miles.
WIDER = [1, 2, 5, 10, 25, 50, 100, 200]
# The longest a page is taken to read the same, even if nothing on it would change sooner.
LONGEST_UNCHANGED = datetime.timedelta(hours=1)


def next_minute(now: datetime.datetime) -> datetime.datetime:
    return now.astimezone(UTC).replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)


@dataclass
class Search:
    filterset: MeetingFilter
    now: datetime.datetime
    location: object | None  # meetings.geo.Location
    within: float | None
    sort: str
    meetings: MeetingQuerySet  # ordered, `distance_miles` when near; no related rows
    errors: dict[str, str] = field(default_factory=dict)
    # Only online meetings were asked for: a place does not narrow those down.
    distance_ignored: bool = False
    # Online and another format near a place: the meetings within the radius, then
    # online ones from anywhere (`distance_miles` None).
    online_anywhere: bool = False
    params: QueryDict = field(default_factory=QueryDict)
    # The earliest moment something this search has shown so far can read differently
    # (`unchanged_until`); None until something is shown.
    changes_at: datetime.datetime | None = None

    def change_at(self, moment: datetime.datetime) -> None:
        self.changes_at = moment if self.changes_at is None else min(self.changes_at, moment)

    def shown(self, meetings: list[Meeting]) -> list[Meeting]:
        """Note when the wording of these meetings, given their times by `attach_times`,
        next changes."""
        for meeting in meetings:
            self.change_at(wording_changes_at(meeting.occurrence, self.now))
        return meetings

    def time_limit(self) -> datetime.datetime:
        """The latest moment anything found by this search can stay the same: the next
        minute for a search for what is happening now (any meeting starting changes what
        it finds), otherwise the next midnight (`day=today`, "Tomorrow", the days each
        meeting is away), within LONGEST_UNCHANGED."""
        if self.asked_for_now:
            return next_minute(self.now)
        return min(self.now.astimezone(UTC) + LONGEST_UNCHANGED, next_midnight(self.now))

    def unchanged_until(self) -> datetime.datetime:
        """Until when a page showing what this search has shown so far reads the same
        (with the same data): the first start or end of a meeting shown (its "Now", or
        its next occurrence), the order of the meetings before the page changing (a
        later page of meetings in order of time), or `time_limit`."""
        limit = self.time_limit()
        return limit if self.changes_at is None else min(limit, self.changes_at)

    @property
    def understood(self) -> dict:
        return self.filterset.form.cleaned_data if self.filterset.is_bound else {}

    @property
    def for_families(self) -> bool:
        """The search asked for meetings for family and friends."""
        return "family-and-friends" in (self.understood.get("for") or [])

    @property
    def within_text(self) -> str:
        if self.within is None:
            return ""
        return miles_text(self.within)

    @property
    def place_not_found(self) -> bool:
        return "near" in self.errors

    @property
    def place_suggestions(self) -> tuple[str, ...]:
        return self.filterset.form.place_suggestions

    @property
    def within_radius(self) -> bool:
        """A place was given and limits the results by distance."""
        return self.location is not None and not self.distance_ignored

    @property
    def sort_asked(self) -> str:
        """The order the query string asks for ("" when none, or one not understood)."""
        return self.understood.get("sort") or ""

    @property
    def default_sort(self) -> str:
        """The order the results take when none is asked for."""
        return "distance" if self.within_radius else "soonest"

    def wider_radius(self, nearest_beyond: list[Meeting]) -> float | None:
        """The smallest radius on offer that reaches the nearest matching meeting beyond
        this one: a link to a wider search that still finds nothing would be a dead end."""
        if not self.within_radius or not nearest_beyond:
            return None
        reach = nearest_beyond[0].distance_miles
        return next((miles for miles in WIDER if miles > self.within and miles >= reach), None)

    def nearest_beyond(self, limit: int = 3) -> list[Meeting]:
        """For the empty state: the closest matching meetings outside the radius, up to
        WIDER[-1] miles.

        The radius grows through WIDER and stops at the first that holds `limit`
        meetings: those are the nearest of all (any other is further than the radius),
        and a small box is cheap where a 200-mile one reads a large share of the
        country's meetings, which is what an empty search far from a town used to cost."""
        if not self.within_radius:
            return []
        matching = self.filterset.qs
        latitude, longitude = self.location.latitude, self.location.longitude
        radii = [miles for miles in WIDER if miles > self.within] or WIDER[-1:]
        for miles in radii:
            found = list(matching.near(latitude, longitude, miles).for_listing()[:limit])
            if len(found) == limit:
                break
        attach_lists(found, self.filterset.catalogue)
        return self.shown(attach_times(found, self.now, families=self.for_families))

    @property
    def asked_for_now(self) -> bool:
        return self.understood.get("when") == "now" and "when" not in self.errors

    def next_matching(self) -> Meeting | None:
        """For the empty state of a search for what is happening now: the next meeting
        that matches everything else (within the same radius), with its time in words."""
        if not self.asked_for_now or self.place_not_found:
            return None
        params = self.params.copy()
        params.pop("when", None)
        params.pop("page", None)
        params["sort"] = "soonest"
        later = run_search(params, self.now)
        found = list(
            later.meetings.for_listing().order_by("days_away", "start_time", "name", "pk")[:1]
        )
        attach_lists(found, self.filterset.catalogue)
        found = self.shown(attach_times(found, self.now, families=self.for_families))
        return found[0] if found else None

    def online_elsewhere(self) -> int:
        """For the empty state: matching online meetings, which need no travel."""
        if self.distance_ignored or self.online_anywhere:
            return 0
        return self.filterset.qs.filter(format__in=[Format.ONLINE, Format.HYBRID]).count()


def run_search(params: QueryDict, now: datetime.datetime | None = None) -> Search:
    now = now or timezone.now()
    base = Meeting.objects.listed()
    filterset = MeetingFilter(params, queryset=base, now=now)
    form = filterset.form
    errors = {name: " ".join(messages) for name, messages in form.errors.items()}
    data = form.cleaned_data
    location = filterset.location
    within = float(data.get("within") or DEFAULT_MILES) if location else None
    formats = set(data.get("format") or [])
    distance_ignored = location is not None and formats == {Format.ONLINE}
    # Online and another format near a place: any of them, so the radius limits only
    # what is attended in person and online meetings come from anywhere.
    online_anywhere = location is not None and Format.ONLINE in formats and not distance_ignored

    meetings = filterset.qs
    sort = data.get("sort") or ""
    if online_anywhere:
        meetings = meetings.near_or_online(location.latitude, location.longitude, within, now)
        sort = sort or "distance"
        if sort == "soonest":
            meetings = meetings.order_by("online_part", "days_away", "start_time", "name", "pk")
        elif sort == "name":
            meetings = meetings.order_by("online_part", "name", "pk")
    elif location and not distance_ignored:
        meetings = meetings.near(location.latitude, location.longitude, within)
        sort = sort or "distance"
    elif sort == "distance" or not sort:
        sort = "soonest"
    if online_anywhere:
        pass  # ordered above, each part on its own
    elif sort == "soonest":
        meetings = meetings.soonest_first(now)
    elif sort == "name":
        meetings = meetings.order_by("name", "pk")
    if "near" in errors:
        # Listing the whole country instead of the place that was asked about would mislead.
        meetings = meetings.none()
    return Search(
        filterset=filterset,
        now=now,
        location=location,
        within=within,
        sort=sort,
        meetings=meetings,
        errors=errors,
        distance_ignored=distance_ignored,
        online_anywhere=online_anywhere,
        params=params,
    )


def attach_times(
    meetings: list[Meeting], now: datetime.datetime, *, families: bool = False
) -> list[Meeting]:
    """Give each meeting its `occurrence`, `when_text` ("Tonight 7:30pm"), `labels`,
    `schedule_text` ("Every Tuesday"), `format_text` ("In person"), `family_text`
    (whose addiction a family fellowship is for; else "") and, for a search near a
    place, `distance_text` ("1.4 miles"; else "").

    A fellowship only for families says whose addiction it is for on every meeting; one
    also for the people themselves (SMART Recovery) only when the search was for
    families (`families`), since most of its meetings are not.

    Wording shared by many rows (the schedule, the format, the access and venue labels)
    is translated once per language and process, not once per row.
    """
    words = _shared_words(get_language())
    miles, mark = words["miles"], words["decimal mark"]
    families_words: dict = {}
    for meeting in meetings:
        distance = getattr(meeting, "distance_miles", None)
        meeting.distance_text = (
            miles % {"miles": in_tenths(distance, mark)} if distance is not None else ""
        )
        meeting.labels = feature_labels(meeting, words)
        # In the meeting's own zone (a feed may give another), put into words in UK time.
        meeting.occurrence = meeting.next_occurrence(now)
        meeting.when_text = when_in_words(meeting.occurrence, now)
        schedule = ("schedule", meeting.weekday, meeting.recurrence)
        if schedule not in words:
            words[schedule] = meeting.schedule_display()
        meeting.schedule_text = words[schedule]
        format_key = ("format", meeting.format)
        if format_key not in words:
            words[format_key] = str(meeting.get_format_display())
        meeting.format_text = words[format_key]
        # From the fellowship's own data, which staff may change: per call, not kept.
        if meeting.fellowship_id not in families_words:
            fellowship = meeting.fellowship
            families_words[meeting.fellowship_id] = fellowship.family_audience if (
                families or not fellowship.for_myself
            ) else ""
        meeting.family_text = families_words[meeting.fellowship_id]
    return meetings


@receiver(setting_changed)
def _forget_words(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "FORMAT_MODULE_PATH"}:
        _shared_words.cache_clear()


@functools.cache
def _shared_words(language: str | None) -> dict:
    """The wording result rows share, translated once per language and process (each
    translation walks Django's chain of catalogues, some thirty a page when each page
    translated its own): `attach_times` adds schedules, formats and labels as rows
    ask for them, at most some fifty values."""
    return {"miles": _("%(miles)s miles"), "decimal mark": get_format("DECIMAL_SEPARATOR")}


TENTH = Decimal("0.1")


def in_tenths(distance: float, mark: str) -> str:
    """The distance as floatformat(distance, 1) writes it under 1,000 (its rounding, the
    language's decimal `mark`, no thousands), without the general filter's look-ups of
    the language's formats on every row."""
    return str(Decimal(repr(distance)).quantize(TENTH, ROUND_HALF_UP)).replace(".", mark)


def page_of(search: Search, number: str | None, *, strict: bool) -> tuple[Page, str]:
    """A page of results with times attached, and a note when the page asked for was off
    the end. With `strict` (the JSON API), a bad page number raises ValueError instead.

    The total comes with the page's rows (COUNT(*) OVER ()), in one query rather than
    two: the database has to find every match to order them anyway.
    """
    note = ""
    text = (number or "1").strip()
    digits = text.lstrip("0") if text.isascii() and text.isdigit() else ""
    if digits:
        # int() refuses thousands of digits (a 500): a number that long is past the end.
        wanted = int(digits) if len(digits) <= 12 else MAX_PAGE + 1
    elif strict:
        raise ValueError(_("Page must be a whole number, like 2."))
    else:
        wanted = 1
    # A page beyond any there could be is past the end without asking the database,
    # whose offsets are 64-bit.
    rows, total = _rows_and_total(search, wanted) if wanted <= MAX_PAGE else ([], None)
    paginator = Paginator(search.meetings, PER_PAGE)
    if total is None:  # past the end, or nothing found at all
        total = search.meetings.count() if wanted > 1 else 0
        paginator.count = total  # fills the cached property
        if wanted > paginator.num_pages:
            pages = {"count": paginator.num_pages}
            if strict:
                raise ValueError(ngettext(
                    "There is only %(count)s page.", "There are only %(count)s pages.",
                    paginator.num_pages,
                ) % pages)
            note = ngettext(
                "There is only %(count)s page of results, so here it is.",
                "There are only %(count)s pages of results, so here is the last one.",
                paginator.num_pages,
            ) % pages
            wanted = paginator.num_pages
            rows, _total = _rows_and_total(search, wanted)
    paginator.count = total
    rows = search.shown(attach_times(rows, search.now, families=search.for_families))
    return Page(rows, wanted, paginator), note


def _rows_and_total(
    search: Search, number: int
) -> tuple[list[Meeting], int | None]:
    """One page of meetings, with everything a list of results shows, and the number
    found.

    Finding and ordering the matches reads only narrow rows (the id and the ordering
    annotations, such as `distance_miles`): sorting the wide rows of every match took
    longer, many times longer for a search that matches most meetings. Within a radius
    the count comes with them (COUNT(*) OVER ()), as the matches are few; otherwise it is
    a query of its own, since the window made the database hold every listed meeting
    (20,000 of them: twice the time of counting them apart); without a place, the order of
    the first pages and that count are kept while they hold (meetings.first_pages). The
    page's meetings are then read by id with their group, venue, features and languages
    (`for_listing`); fellowships, features and languages are the objects the search read
    for its filter choices (meetings.catalogue).
    """
    meetings = search.meetings.select_related(None).prefetch_related(None)
    start = (number - 1) * PER_PAGE
    annotations = list(meetings.query.annotation_select)
    counted_with_rows = search.within_radius and not search.online_anywhere
    order_until = None
    if counted_with_rows:
        found = list(
            meetings.annotate(total_found=Window(Count("pk")))
            .values_list("pk", *annotations, "total_found")[start:start + PER_PAGE]
        )
        total = found[0][-1] if found else None
    elif not search.within_radius and number <= first_pages.KEPT_PAGES \
            and "near" not in search.errors:
        # No place: the order of every match, kept while it holds (meetings.first_pages).
        kept, total, until = first_pages.kept(
            search, lambda: _first_pages(search, meetings, annotations)
        )
        found = kept[start:start + PER_PAGE]
        order_until = until
    else:
        found = list(meetings.values_list("pk", *annotations)[start:start + PER_PAGE])
        total = meetings.order_by().count() if found else None
    if number > 1 and (search.sort == "soonest" or search.online_anywhere):
        # A later page in order of time also changes as any meeting on the pages before
        # it ends: when `first_pages` kept their order it knows when; else, the minute.
        search.change_at(order_until or next_minute(search.now))
    if not found:
        return [], None
    by_id = _listing().in_bulk([row[0] for row in found])
    rows = []
    for pk, *values in found:
        meeting = by_id.get(pk)
        if meeting is None:  # gone since the order was kept, by a write that bumped nothing
            continue
        for name, value in zip(annotations, values[:len(annotations)], strict=True):
            setattr(meeting, name, value)
        rows.append(meeting)
    attach_lists(rows, search.filterset.catalogue)
    return rows, total


SCHEDULE = ("weekday", "recurrence", "start_time", "end_time")


def _first_pages(
    search: Search, meetings: MeetingQuerySet, annotations: list[str]
) -> tuple[list[tuple], int, datetime.datetime]:
    """For meetings.first_pages: the first pages' rows (the id and the ordering values),
    the number found, and until when both hold. Their order (by `days_away`, counted in
    UK time) changes as one of them ends or at midnight; one beyond them moves up only
    then; the number changes only at `time_limit`."""
    width = 1 + len(annotations)
    rows = list(meetings.values_list("pk", *annotations, *SCHEDULE)
                [:first_pages.KEPT_PAGES * PER_PAGE])
    until = search.time_limit()
    for row in rows if search.sort == "soonest" else ():
        weekday, recurrence, start_time, end_time = row[width:]
        occurrence = next_occurrence(weekday, recurrence, start_time, search.now, end_time,
                                     LONDON)
        until = min(until, wording_changes_at(occurrence, search.now))
    return [row[:width] for row in rows], meetings.order_by().count(), until


@functools.cache
def _listing() -> MeetingQuerySet:
    """Meetings as lists show them, built once per process: every page then only adds
    its ids (querysets are copied, never changed, when one is filtered). Unordered: the
    page puts them in the order the search found them."""
    return Meeting.objects.for_listing().order_by()


def attach_lists(meetings: list[Meeting], catalogue: Catalogue) -> None:
    """Give meetings read `for_listing()` their fellowship, and the `feature_list` and
    `language_list` that `with_related()` prefetches (the same objects in the same order)
    from their `feature_keys` and `language_keys`.
    """
    fellowships = catalogue.fellowships_by_id
    features = [(str(feature.pk), feature) for feature in catalogue.features]
    languages = [(language.pk, language) for language in catalogue.languages]
    for meeting in meetings:
        # A fellowship newer than the lists this process holds (changed elsewhere, not
        # yet seen here) is left to load itself: one query, for that meeting only.
        if meeting.fellowship_id in fellowships:
            meeting.fellowship = fellowships[meeting.fellowship_id]
        has_features = set(meeting.feature_keys.split(",")) if meeting.feature_keys else ()
        has_languages = set(meeting.language_keys.split(",")) if meeting.language_keys else ()
        meeting.feature_list = [f for key, f in features if key in has_features]
        meeting.language_list = [lang for key, lang in languages if key in has_languages]


ACCESS_LABELS = {"open": gettext_lazy("Open meeting"), "closed": gettext_lazy("Closed meeting")}


def feature_labels(meeting: Meeting, words: dict | None = None) -> list[str]:
    """The key features shown on a result, as words (uses only prefetched rows).

    `words` remembers the translated access and venue labels across one page's rows."""
    words = {} if words is None else words

    def text(key, label) -> str:
        if key not in words:
            words[key] = str(label)
        return words[key]

    labels = [text(("access", meeting.access), ACCESS_LABELS[meeting.access])] \
        if meeting.access else []
    # In Welsh where staff gave it, else in English and marked so (a Wording's lang).
    labels += [feature.shown_name for feature in meeting.feature_list if feature.highlight]
    if meeting.venue_id and meeting.is_in_person:
        labels += [
            text(("venue", slug), VENUE_FEATURES[slug][1])
            for slug in meeting.venue.feature_slugs()
        ]
    return labels
