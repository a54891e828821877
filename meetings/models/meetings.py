import datetime
from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import Fellowship, Group
from recovery_finder.languages import Wording, in_page_language

from .. import schedule
from ..stale import VERY_STALE_MONTHS, months_before
from ..validators import validate_no_credentials, validate_time_zone
from .choices import AT_A_VENUE, Access, Format, Recurrence, Status, Weekday
from .querysets import MeetingQuerySet
from .venues import Venue


class Feature(models.Model):
    """A kind of meeting a visitor may look for: women only, newcomers, BSL, speaker..."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # On the Welsh pages (/cy/); left empty, they show the English, marked as English.
    name_cy = models.CharField(_("name in Welsh"), max_length=80, blank=True)
    description_cy = models.CharField(_("description in Welsh"), max_length=200, blank=True)
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

    @property
    def shown_name(self) -> Wording:
        return in_page_language(self.name, self.name_cy)

    @property
    def shown_description(self) -> Wording:
        return in_page_language(self.description, self.description_cy)


class Language(models.Model):
    code = models.CharField(_("ISO 639-1 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    name_cy = models.CharField(_("name in Welsh"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> Wording:
        return in_page_language(self.name, self.name_cy)


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
        # The features read with the meeting (`with_related`, meetings.search), if they were.
        features = self.feature_list if hasattr(self, "feature_list") else self.features.all()
        slugs += [feature.slug for feature in features]
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
