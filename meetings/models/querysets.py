"""The meetings' QuerySet: every question the search, the pages and the feeds ask of them,
in the domain's words (`Meeting.objects.listed().near(lat, lon, 10)`)."""

import datetime
import math

from django.db import models
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast

from groups.models import AUDIENCE_FIELDS
from staff.scopes import MeetingScope

from .. import schedule
from ..stale import STALE_MONTHS, VERY_STALE_MONTHS, months_before
from .choices import AT_A_VENUE, JOINABLE_ONLINE, Access, Format, Status
from .expressions import MILES_PER_DEGREE_LATITUDE, DaysAway, MilesFrom, keys_of
from .venues import VENUE_FEATURES


def meets_on(day: datetime.date) -> Q:
    """The meetings that take place on this date (weekly, or that week of the month)."""
    return Q(weekday=day.weekday(), recurrence__in=schedule.recurrences_on(day))


def _wall_at_or_before(day: datetime.date, field: str, limit: datetime.datetime) -> Q:
    """The time `field` on `day` is at or before the naive wall-clock `limit`."""
    if day != limit.date():
        return Q() if day < limit.date() else Q(pk__in=[])
    return Q(**{f"{field}__lte": limit.time()})


def _wall_after(day: datetime.date, field: str, limit: datetime.datetime) -> Q:
    """The time `field` on `day` is after the naive wall-clock `limit`."""
    if day != limit.date():
        return Q() if day > limit.date() else Q(pk__in=[])
    return Q(**{f"{field}__gt": limit.time()})


# Long fields a list of results never shows (a meeting's own page and the admin do).
NOT_LISTED = [
    "notes", "imported_values", "source", "source_id", "created", "updated",
    "venue__directions", "venue__source", "venue__source_id", "venue__created",
    "venue__updated", "group__notes", "group__source", "group__source_id",
]

# What the whole-directory feeds show of each meeting (MeetingQuerySet.feed_rows).
FEED_FIELDS = [
    "id", "name", "slug", "fellowship_id", "group__name", "weekday", "recurrence",
    "start_time", "end_time", "timezone", "format", "status", "access", "notes",
    "online_url", "online_phone", "online_notes", "last_verified", "venue_id",
    "venue__name", "venue__address_line1", "venue__address_line2", "venue__town",
    "venue__postcode", "venue__latitude", "venue__longitude", "venue__directions",
    *[f"venue__{field}" for field, _label in VENUE_FEATURES.values()],
]


class MeetingQuerySet(MeetingScope, models.QuerySet):
    def active(self) -> "MeetingQuerySet":
        return self.filter(status=Status.ACTIVE)

    def listed(self) -> "MeetingQuerySet":
        """What visitors see: active and temporarily suspended (shown with a notice)."""
        return self.exclude(status=Status.CLOSED)

    def with_related(self) -> "MeetingQuerySet":
        """With the fellowship, group and venue, and the meeting's features and languages
        as the lists `feature_list` and `language_list` (as meetings.search gives the
        meetings it reads `for_listing`)."""
        return self.select_related("fellowship", "group", "venue").prefetch_related(
            models.Prefetch("features", to_attr="feature_list"),
            models.Prefetch("languages", to_attr="language_list"),
        )

    def for_listing(self) -> "MeetingQuerySet":
        """What a list of results shows, read in the same query as the meetings: the
        group and venue, and the meeting's feature ids and language codes as
        comma-separated `feature_keys` and `language_keys` (meetings.search turns them
        into objects). The fellowship is left to meetings.catalogue, which holds them all.
        """
        return (
            self.select_related(None).prefetch_related(None)
            .select_related("group", "venue")
            .defer(*NOT_LISTED)
            .annotate(
                feature_keys=keys_of(self.model.features.through, "feature_id"),
                language_keys=keys_of(self.model.languages.through, "language_id"),
            )
        )

    def feed_rows(self, *extra: str) -> models.QuerySet:
        """Plain rows (dicts) of everything the whole-directory feeds show, in one query:
        the venue, the group's name, and the feature ids and language codes as
        `feature_keys` and `language_keys` (meetings.feed_rows reads them). `extra` names
        annotations of this queryset to keep (`distance_miles` near a place).

        `updated_text` is `updated` as the database writes it, in UTC, starting
        "2026-03-28 12:00:00" on PostgreSQL and SQLite alike: every feed shows it as text,
        and reading 20,000 timestamps as datetimes took a tenth of a feed's build."""
        return (
            self.select_related(None).prefetch_related(None)
            .annotate(
                feature_keys=keys_of(self.model.features.through, "feature_id"),
                language_keys=keys_of(self.model.languages.through, "language_id"),
                updated_text=Cast("updated", models.CharField()),
            )
            .values(*FEED_FIELDS, "feature_keys", "language_keys", "updated_text", *extra)
        )

    def in_formats(self, formats: list[str]) -> "MeetingQuerySet":
        # A hybrid meeting can be attended both ways, so it answers both filters.
        wanted = set(formats)
        if Format.IN_PERSON in wanted or Format.ONLINE in wanted:
            wanted.add(Format.HYBRID)
        return self.filter(format__in=wanted)

    def on_weekdays(self, weekdays: list[int]) -> "MeetingQuerySet":
        return self.filter(weekday__in=weekdays)

    def starting_between(self, start: datetime.time, end: datetime.time) -> "MeetingQuerySet":
        """Start time in [start, end): end is exclusive."""
        return self.filter(start_time__gte=start, start_time__lt=end)

    def of_fellowships(self, slugs: list[str]) -> "MeetingQuerySet":
        return self.filter(fellowship__slug__in=slugs)

    def of_philosophies(self, philosophies: list[str]) -> "MeetingQuerySet":
        return self.filter(fellowship__philosophy__in=philosophies)

    def for_audience(self, audience: str) -> "MeetingQuerySet":
        return self.filter(**{f"fellowship__{AUDIENCE_FIELDS[audience]}": True})

    def with_features(self, slugs: list[str]) -> "MeetingQuerySet":
        """Every listed feature must hold (venue access, open/closed, or a meeting feature)."""
        qs = self
        for slug in slugs:
            if slug in VENUE_FEATURES:
                # An online meeting may keep its venue (closed for now); its access is
                # not the meeting's, as Meeting.feature_slugs says too.
                qs = qs.filter(
                    **{f"venue__{VENUE_FEATURES[slug][0]}": True},
                    format__in=AT_A_VENUE,
                )
            elif slug in Access.values and slug:
                qs = qs.filter(access=slug)
            else:
                qs = qs.filter(features__slug=slug)
        return qs

    def for_audiences(self, audiences: list[str]) -> "MeetingQuerySet":
        """Fellowships for any of these audiences (public ?for= values)."""
        q = Q(pk__in=[])
        for audience in audiences:
            q |= Q(**{f"fellowship__{AUDIENCE_FIELDS[audience]}": True})
        return self.filter(q)

    def starting_in(self, ranges: list[tuple[datetime.time, datetime.time | None]]):
        """Start time in any of these [start, end) ranges; an end of None means midnight."""
        q = Q(pk__in=[])
        for start, end in ranges:
            q |= Q(start_time__gte=start) & (Q(start_time__lt=end) if end else Q())
        return self.filter(q)

    def in_languages(self, codes: list[str]) -> "MeetingQuerySet":
        # A subquery rather than a join, so a meeting held in two of them appears once.
        held_in = self.model.languages.through.objects.filter(
            meeting=models.OuterRef("pk"), language__code__in=codes
        )
        return self.filter(models.Exists(held_in))

    # Time logic. Meetings keep wall-clock times; `schedule` turns a real instant into the
    # UK dates and times to compare them with, so these stay right across clock changes.

    def on_days(
        self, weekdays: list[int] = (), dates: list[datetime.date] = ()
    ) -> "MeetingQuerySet":
        """Any of these weekdays (every recurrence), or meeting on any of these dates."""
        q = Q(weekday__in=list(weekdays)) if weekdays else Q(pk__in=[])
        for day in dates:
            q |= meets_on(day)
        return self.filter(q)

    def on_dates(self, dates: list[datetime.date]) -> "MeetingQuerySet":
        return self.on_days(dates=dates)

    def happening_around(self, now: datetime.datetime) -> "MeetingQuerySet":
        """In progress at `now` or starting within the next hour, UK time: the meetings
        whose next occurrence, as their pages give it, starts by `now` plus an hour."""
        hour = datetime.timedelta(hours=1)
        earliest, latest = schedule.wall_clock_span(now)
        q = Q(pk__in=[])
        day = (earliest - datetime.timedelta(days=1)).date()
        while day <= (latest + hour).date():
            next_day = day + datetime.timedelta(days=1)
            q |= meets_on(day) & _wall_at_or_before(day, "start_time", latest + hour) & (
                (Q(end_time__gt=F("start_time")) & _wall_after(day, "end_time", earliest))
                # An end at or before the start is the next day's (it runs past midnight).
                | (Q(end_time__lte=F("start_time"))
                   & _wall_after(next_day, "end_time", earliest))
                | (Q(end_time__isnull=True)
                   & _wall_after(day, "start_time", earliest - schedule.DEFAULT_LENGTH))
            )
            day = next_day
        found = self.filter(q)
        if earliest == latest:
            return found  # no clock change near: wall-clock times compare exactly
        # Near a change the span above is an hour wide and finds a few meetings too many
        # (or, in the hour the clocks repeat, one that has already met): keep those whose
        # next occurrence really starts within the hour.
        rows = found.values_list("pk", "weekday", "recurrence", "start_time", "end_time")
        by = (now + hour).astimezone(schedule.UTC)
        return self.filter(pk__in=[
            pk for pk, weekday, recurrence, start, end in rows
            if schedule.next_occurrence(weekday, recurrence, start, now, end)
            .start.astimezone(schedule.UTC) <= by
        ])

    def soonest_first(self, now: datetime.datetime) -> "MeetingQuerySet":
        """Ordered by next occurrence (one in progress counts as today's), annotated
        `days_away`. Monthly meetings are placed by their real next date."""
        return self.annotate(days_away=DaysAway(now)).order_by(
            "days_away", "start_time", "name", "pk"
        )

    # Stale listings: `last_verified` is the day staff last confirmed a meeting.

    def not_checked_since(self, day: datetime.date) -> "MeetingQuerySet":
        """Checked at some time, but last before `day`."""
        return self.filter(last_verified__lt=day)

    def never_checked(self) -> "MeetingQuerySet":
        return self.filter(last_verified__isnull=True)

    def stale(self, day: datetime.date) -> "MeetingQuerySet":
        """Not checked since `day`, or never: what an intergroup secretary works through."""
        return self.filter(Q(last_verified__lt=day) | Q(last_verified__isnull=True))

    def stale_counts(self, today: datetime.date) -> "MeetingQuerySet":
        """Per fellowship with any listed meeting to check: `fellowship` (its id),
        `fellowship__name`, `fellowship__slug`, and the counts `over_6_months`,
        `over_12_months` (both counting the never checked) and `never`. One query."""
        six, twelve = (months_before(today, m) for m in (STALE_MONTHS, VERY_STALE_MONTHS))
        never = Q(last_verified__isnull=True)
        return (
            self.listed().stale(six).order_by()
            .values("fellowship", "fellowship__name", "fellowship__slug")
            .annotate(
                over_6_months=Count("pk"),
                over_12_months=Count("pk", filter=Q(last_verified__lt=twelve) | never),
                never=Count("pk", filter=never),
            )
            .order_by("fellowship__name")
        )

    def in_language(self, code: str) -> "MeetingQuerySet":
        return self.filter(languages__code=code)

    def search(self, text: str) -> "MeetingQuerySet":
        q = Q()
        for word in text.split():
            q &= (
                Q(name__icontains=word)
                | Q(group__name__icontains=word)
                | Q(venue__name__icontains=word)
                | Q(venue__town__icontains=word)
                | Q(fellowship__name__icontains=word)
                | Q(fellowship__short_name__iexact=word)
            )
        return self.filter(q)

    def near(self, latitude: float, longitude: float, within_miles: float) -> "MeetingQuerySet":
        """Meetings at venues within the radius, nearest first, annotated `distance_miles`.
        Online-only meetings are not at their venue (if they keep one), so are left out.

        An indexed bounding box on the venue's coordinates narrows the rows, then a
        haversine expression computed in the database gives the exact distance, so
        filtering, ordering and pagination all stay in SQL.
        """
        lat_delta = within_miles / MILES_PER_DEGREE_LATITUDE
        cos_lat = max(math.cos(math.radians(latitude)), 0.01)
        lon_delta = within_miles / (MILES_PER_DEGREE_LATITUDE * cos_lat)
        distance = MilesFrom(latitude, longitude, "venue__latitude", "venue__longitude")
        return (
            self.filter(
                venue__latitude__range=(latitude - lat_delta, latitude + lat_delta),
                venue__longitude__range=(longitude - lon_delta, longitude + lon_delta),
                format__in=AT_A_VENUE,
            )
            .annotate(distance_miles=distance)
            .filter(distance_miles__lte=within_miles)
            .order_by("distance_miles", "weekday", "start_time", "pk")
        )

    def near_or_online(
        self, latitude: float, longitude: float, within_miles: float, now: datetime.datetime
    ) -> "MeetingQuerySet":
        """Meetings at venues within the radius, nearest first, then the meetings that can
        be joined online from anywhere else, soonest first: what "in person or online near
        a place" means (distance limits only what is attended in person).

        Annotated `distance_miles` (None for the online part), `online_part` (0 nearby,
        1 online) and `days_away` (as `soonest_first`), so either part can be reordered
        by the other keys and stay apart.
        """
        lat_delta = within_miles / MILES_PER_DEGREE_LATITUDE
        cos_lat = max(math.cos(math.radians(latitude)), 0.01)
        lon_delta = within_miles / (MILES_PER_DEGREE_LATITUDE * cos_lat)
        in_box = Q(
            venue__latitude__range=(latitude - lat_delta, latitude + lat_delta),
            venue__longitude__range=(longitude - lon_delta, longitude + lon_delta),
            format__in=AT_A_VENUE,
        )
        distance = MilesFrom(latitude, longitude, "venue__latitude", "venue__longitude")
        return (
            self.annotate(reach_miles=Case(When(in_box, then=distance), output_field=FloatField()))
            .annotate(distance_miles=Case(
                When(reach_miles__lte=within_miles, then=F("reach_miles")),
                output_field=FloatField(),
            ))
            .filter(Q(distance_miles__isnull=False) | Q(format__in=JOINABLE_ONLINE))
            .annotate(
                online_part=Case(
                    When(distance_miles__isnull=True, then=Value(1)), default=Value(0),
                    output_field=IntegerField(),
                ),
                days_away=DaysAway(now),
            )
            .order_by("online_part", "distance_miles", "days_away", "start_time", "name", "pk")
        )
