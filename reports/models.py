import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting

# Long enough for "now meets on Thursdays at 7pm in the back room, the side door on ...",
# short enough that nobody pastes a document into it.
DETAILS_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500


class Kind(models.TextChoices):
    CLOSED = "closed", _("It has closed for good")
    NOT_MEETING = "not-meeting", _("It is not meeting for now")
    TIME_CHANGED = "time-changed", _("The time or day has changed")
    MOVED = "moved", _("It has moved to another place")
    ONLINE_BROKEN = "online-broken", _("The online link or phone number does not work")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class Outcome(models.TextChoices):
    """What staff did to the meeting when they accepted a report."""

    CLOSE = "close", _("Closed the meeting")
    SUSPEND = "suspend", _("Suspended the meeting (not meeting for now)")
    RESCHEDULE = "reschedule", _("Changed its day or time")
    VERIFY = "verify", _("Checked it: the listing is right or now corrected")


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        return self.filter(status=ReportStatus.NEW)

    def closed(self) -> "ReportQuerySet":
        return self.exclude(status=ReportStatus.NEW)

    def received_before(self, moment: datetime.datetime) -> "ReportQuerySet":
        return self.filter(created__lt=moment)

    def received_since(self, moment: datetime.datetime) -> "ReportQuerySet":
        return self.filter(created__gte=moment)

    def for_queue(self) -> "ReportQuerySet":
        """What a row of the admin's queue shows, in the same query as the reports."""
        return self.select_related("meeting__fellowship", "meeting__venue", "closed_by")


class Report(models.Model):
    """A visitor's word that a listing is wrong. The reporter is anonymous; an email
    address, if given, is kept only until the report is closed (see the privacy page)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("meeting")
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind)
    details = models.TextField(_("what it should be"), max_length=DETAILS_MAX_LENGTH,
                               blank=True)
    reporter_email = models.EmailField(
        _("reporter's email"), blank=True,
        help_text=_("Only for a reply; deleted when the report is closed."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus,
                              default=ReportStatus.NEW)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissing"), max_length=REASON_MAX_LENGTH,
                                      blank=True)
    reply_sent = models.BooleanField(_("reply sent"), default=False)
    # The language of the page it was sent from: staff reply in it, and the email's
    # subject is written in it.
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    created = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    closed = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("closed by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            # The queue: newest first, all of them or those of one status.
            models.Index(fields=["-created"], name="report_newest_idx"),
            models.Index(fields=["status", "-created"], name="report_status_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="report_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="report_outcome_valid",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("details"), DETAILS_MAX_LENGTH),
                name="report_details_length",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.OTHER) | ~Q(details=""),
                name="report_other_needs_details",
            ),
            # The promise on the privacy page, kept by the database: a closed report
            # holds no email address.
            models.CheckConstraint(
                condition=Q(status=ReportStatus.NEW) | Q(reporter_email=""),
                name="report_email_only_while_open",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ReportStatus.NEW, outcome="", dismiss_reason="",
                      closed__isnull=True)
                    | (Q(status=ReportStatus.ACCEPTED, closed__isnull=False, dismiss_reason="")
                       & ~Q(outcome=""))
                    | (Q(status=ReportStatus.DISMISSED, closed__isnull=False, outcome="")
                       & ~Q(dismiss_reason=""))
                ),
                name="report_status_consistent",
            ),
        ]

    def __str__(self) -> str:
        return _("Report #%(number)s: %(meeting)s") % {"number": self.pk, "meeting": self.meeting}

    def get_absolute_url(self) -> str:
        # Reports have no public page: the review page in the admin is their home.
        return reverse("admin:reports_report_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.NEW

    @property
    def change_reason(self) -> str:
        """How a change made from this report is named in the meeting's history."""
        return _("Report #%(number)s") % {"number": self.pk}
