import datetime
import math
from collections.abc import Callable

from django.db import models
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import AUDIENCE_FIELDS, Fellowship, Group
from staff.scopes import MeetingScope

from .. import schedule
from ..stale import STALE_MONTHS, VERY_STALE_MONTHS, months_before
from ..validators import validate_no_credentials, validate_time_zone
from .venues import VENUE_FEATURES, Venue

# Radius of curvature of the Earth at British latitudes (GRS80 ellipsoid around 54°N,
# between the meridional and prime-vertical radii): keeps great-circle distances
# within about 0.2% of the geodesic anywhere in Great Britain.
EARTH_RADIUS_MILES = 3966.5
MILES_PER_DEGREE_LATITUDE = 69.0


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so the week sorts Monday first.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FIRST = "first", _("First of the month")
    SECOND = "second", _("Second of the month")
    THIRD = "third", _("Third of the month")
    FOURTH = "fourth", _("Fourth of the month")
    LAST = "last", _("Last of the month")


class Format(models.TextChoices):
    # The stored values are the public URL values (?format=in-person).
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


# The formats held at a venue: only these meetings are at their venue's place and access.
AT_A_VENUE = [Format.IN_PERSON, Format.HYBRID]


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Temporarily suspended")
    CLOSED = "closed", _("Closed")


class Access(models.TextChoices):
    UNSPECIFIED = "", _("Not stated")
    OPEN = "open", _("Open: anyone is welcome, including friends and family")
    # "Members" rather than "people with the problem": in Al-Anon or Nar-Anon the members
    # are the families, so a closed meeting there is for them.
    CLOSED = "closed", _("Closed: for members, the people this fellowship is for")


class Feature(models.Model):
    """A kind of meeting a visitor may look for: women only, newcomers, BSL, speaker..."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    highlight = models.BooleanField(
        _("show in result lists"), default=True,
        help_text=_("Key features are shown as labels on each search result."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("feature")
        verbose_name_plural = _("features")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(_("ISO 639-1 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name


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


class MilesFrom(Func):
    """Miles from a fixed point to the row's coordinates along the Earth's surface, by
    the haversine formula. One template, so a search compiles two columns rather than
    the thirty-odd expressions that Django's Sin, Cos and Power made of it."""

    output_field = FloatField()

    def __init__(self, latitude: float, longitude: float, latitude_field: str,
                 longitude_field: str):
        super().__init__(F(latitude_field), F(longitude_field))
        self.origin = (latitude, longitude)

    def as_sql(self, compiler, connection, **extra_context):
        (lat, lat_params), (lon, lon_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        latitude, longitude = self.origin
        sql = (
            f"({2 * EARTH_RADIUS_MILES} * ASIN(SQRT("
            f"POWER(SIN((RADIANS({lat}) - %s) / 2), 2)"
            f" + %s * COS(RADIANS({lat})) * POWER(SIN((RADIANS({lon}) - %s) / 2), 2))))"
        )
        params = (
            *lat_params, math.radians(latitude), math.cos(math.radians(latitude)),
            *lat_params, *lon_params, math.radians(longitude),
        )
        return sql, params


class DaysAway(Func):
    """Days from today (UK time) to each meeting's next occurrence: 0 for one later
    today or in progress, otherwise the days to the next date it meets on.

    The days are worked out in Python for each (recurrence, weekday) pair, as
    meetings.schedule counts them, and written as a CASE on the recurrence, then the
    weekday, so a weekly meeting costs the database a few comparisons. Built as one
    template: as 42 Django When objects it was compiled anew, piece by piece, on every
    search.
    """

    output_field = IntegerField()

    def __init__(self, now: datetime.datetime):
        super().__init__(F("recurrence"), F("weekday"), F("start_time"), F("end_time"))
        self.now = now

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        if any(params for _sql, params in compiled):
            raise ValueError("DaysAway expects plain columns")
        recurrence, weekday, start, end = (sql for sql, _params in compiled)
        local = self.now.astimezone(schedule.LONDON)
        today, now_time = local.date(), local.time()
        hour_ago = local - datetime.timedelta(hours=1)
        # Not over yet: starts later, has not ended, runs past midnight, or (with no end
        # time, so taken to last an hour) started less than an hour ago today.
        not_over = (
            f"({start} >= %s OR {end} > %s OR {end} < {start}"
            f" OR ({end} IS NULL AND {start} > %s))"
        )
        adapt = connection.ops.adapt_timefield_value
        not_over_params = [
            adapt(now_time), adapt(now_time),
            adapt(hour_ago.time() if hour_ago.date() == today else datetime.time(0)),
        ]
        tomorrow = today + datetime.timedelta(days=1)
        sql, params = [f"CASE {recurrence}"], []
        for value in Recurrence.values:
            sql.append(f"WHEN %s THEN CASE {weekday}")
            params.append(value)
            for day in Weekday.values:
                away = schedule.days_until(day, value, today)
                if away == 0:
                    later = 1 + schedule.days_until(day, value, tomorrow)
                    sql.append(f"WHEN {day:d} THEN CASE WHEN {not_over} THEN 0 ELSE {later:d} END")
                    params += not_over_params
                else:
                    sql.append(f"WHEN {day:d} THEN {away:d}")
            sql.append("ELSE 99 END")
        sql.append("ELSE 99 END")
        return "(" + " ".join(sql) + ")", params


class Keys(Aggregate):
    """The group's values as text joined by commas (STRING_AGG, or GROUP_CONCAT on
    SQLite); for ids and language codes, which hold no commas."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _keys_of(through, column: str) -> Subquery:
    """One meeting's rows of an M2M through table, as `Keys` of `column`."""
    return Subquery(
        through.objects.filter(meeting_id=OuterRef("pk"))
        .values("meeting_id").annotate(keys=Keys(column)).values("keys")
    )


# Long fields a list of results never shows (a meeting's own page and the admin do).
NOT_LISTED = [
    "notes", "imported_values", "source", "source_id", "created", "updated",
    "venue__directions", "venue__source", "venue__source_id", "venue__created",
    "venue__updated", "group__notes", "group__source", "group__source_id",
]


class MeetingQuerySet(MeetingScope, models.QuerySet):
    def active(self) -> "MeetingQuerySet":
        return self.filter(status=Status.ACTIVE)

    def listed(self) -> "MeetingQuerySet":
        """What visitors see: active and temporarily suspended (shown with a notice)."""
        return self.exclude(status=Status.CLOSED)

    def with_related(self) -> "MeetingQuerySet":
        return self.select_related("fellowship", "group", "venue").prefetch_related(
            "features", "languages"
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
                feature_keys=_keys_of(Meeting.features.through, "feature_id"),
                language_keys=_keys_of(Meeting.languages.through, "language_id"),
            )
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
        held_in = Meeting.languages.through.objects.filter(
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


def meeting_slug(name: str, town: str, weekday: int, is_taken: Callable[[str], bool]) -> str:
    """"Hope", "Leeds", Friday -> "hope-leeds-friday", or "hope-leeds-friday-2" if taken.

    One rule for every way a meeting is made (admin, import, demo); bulk writers pass a
    set's __contains__ so they need no query per meeting.
    """
    base = slugify(f"{name} {town} {Weekday(weekday).label}")[:200] or "meeting"
    slug, n = base, 2
    while is_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


class Meeting(models.Model):
    DEMO_SOURCE = "demo"

    fellowship = models.ForeignKey(
        Fellowship, on_delete=models.PROTECT, related_name="meetings",
        verbose_name=_("fellowship"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings",
        verbose_name=_("group"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    recurrence = models.CharField(
        _("how often"), max_length=10, choices=Recurrence, default=Recurrence.WEEKLY,
        help_text=_("Most meetings are weekly; some meet on, say, the first Tuesday of the month."),
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/London",
                                validators=[validate_time_zone])
    format = models.CharField(
        _("how to attend"), max_length=10, choices=Format, default=Format.IN_PERSON
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name=_("venue"),
    )
    online_url = models.URLField(_("online joining link"), max_length=500, blank=True,
                                 validators=[validate_no_credentials])
    # Room for a dial string with a meeting id and passcode ("+1929...,,92160376909#,,,,#8227...").
    online_phone = models.CharField(_("dial-in phone"), max_length=60, blank=True)
    online_notes = models.TextField(
        _("online joining notes"), blank=True, help_text=_("Meeting ID, passcode, how to join.")
    )
    access = models.CharField(
        _("open or closed"), max_length=6, choices=Access, default=Access.UNSPECIFIED, blank=True
    )
    features = models.ManyToManyField(
        Feature, blank=True, related_name="meetings", verbose_name=_("features")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="meetings", verbose_name=_("languages")
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    last_verified = models.DateField(_("last checked"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("source id"), max_length=200, blank=True)
    imported_values = models.JSONField(
        _("values as last imported"), default=dict, blank=True, editable=False,
        help_text=_("What the source said at the last import, so that a re-import keeps the "
                    "fields staff have edited since."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()
    # Who changed what (meetings.history); the import snapshot and the timestamp are
    # not listing changes.
    history = HistoricalRecords(excluded_fields=["updated", "imported_values"],
                                m2m_fields=["features", "languages"])

    class Meta:
        ordering = ["weekday", "start_time", "name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # Serves day/time filters and the "soonest" order.
            models.Index(fields=["status", "weekday", "start_time"], name="meeting_day_time_idx"),
            models.Index(fields=["format", "status"], name="meeting_format_idx"),
            models.Index(fields=["source", "source_id"], name="meeting_source_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(format=Format.ONLINE) | Q(venue__isnull=False),
                name="meeting_venue_required_unless_online",
                violation_error_message=_(
                    "An in-person or hybrid meeting needs a venue. Choose one, or set the "
                    "meeting to online."
                ),
            ),
            models.CheckConstraint(
                condition=Q(format=Format.IN_PERSON) | ~Q(online_url="") | ~Q(online_phone=""),
                name="meeting_online_details_required_unless_in_person",
                violation_error_message=_(
                    "An online or hybrid meeting needs a joining link or a dial-in phone number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(format__in=Format.values), name="meeting_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(recurrence__in=Recurrence.values), name="meeting_recurrence_valid"
            ),
            models.CheckConstraint(
                condition=Q(access__in=Access.values), name="meeting_access_valid"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="meeting_weekday_valid"
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="meeting_unique_source_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A stable, readable URL from the first save; never changed afterwards, because
        # partners and visitors bookmark meeting pages.
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.slug])

    def unique_slug(self) -> str:
        town = self.venue.town if self.venue_id else "online"
        others = Meeting.objects.exclude(pk=self.pk)
        return meeting_slug(
            self.name, town, self.weekday, lambda slug: others.filter(slug=slug).exists()
        )

    @property
    def unchecked_for_over_a_year(self) -> bool:
        """Not checked in the last year (or never, and listed over a year ago): its page
        asks visitors to confirm with the fellowship before travelling."""
        year_ago = months_before(timezone.localdate(), VERY_STALE_MONTHS)
        if self.last_verified:
            return self.last_verified < year_ago
        return self.created is not None and timezone.localdate(self.created) < year_ago

    @property
    def is_in_person(self) -> bool:
        return self.format in AT_A_VENUE

    @property
    def is_online(self) -> bool:
        return self.format in (Format.ONLINE, Format.HYBRID)

    def next_occurrence(self, now: datetime.datetime) -> schedule.Occurrence:
        """The first occurrence not yet ended at `now`, in the meeting's own time zone."""
        return schedule.next_occurrence(
            self.weekday, self.recurrence, self.start_time, now, self.end_time,
            schedule.zone_named(self.timezone),
        )

    def feature_slugs(self) -> list[str]:
        """Public ?feature= values that hold for this meeting, in a stable order."""
        slugs = [self.access] if self.access else []
        slugs += [feature.slug for feature in self.features.all()]
        if self.venue_id and self.is_in_person:
            slugs += self.venue.feature_slugs()
        return slugs

    def schedule_display(self) -> str:
        day = Weekday(self.weekday).label
        if self.recurrence == Recurrence.WEEKLY:
            return _("Every %(day)s") % {"day": day}
        ordinal = {
            Recurrence.FIRST: _("First"),
            Recurrence.SECOND: _("Second"),
            Recurrence.THIRD: _("Third"),
            Recurrence.FOURTH: _("Fourth"),
            Recurrence.LAST: _("Last"),
        }[self.recurrence]
        return _("%(ordinal)s %(day)s of the month") % {"ordinal": ordinal, "day": day}
