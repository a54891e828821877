"""What staff do with a report, in one place: the admin's review page calls `apply`, and
so can anything else (a test, a future bulk action)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.models import Status

from .models import Outcome, Report, ReportStatus

DISMISS = "dismiss"  # not an Outcome: a dismissed report leaves the meeting as it was

# The meeting fields a reschedule may change.
SCHEDULE_FIELDS = ("weekday", "recurrence", "start_time", "end_time")


class AlreadyClosed(Exception):
    """Someone else closed the report first (two staff on the same queue)."""


@transaction.atomic
def apply(report: Report, outcome: str, user, *, reason: str = "", reply: str = "",
          **changes) -> Report:
    """Close `report` with `outcome` (an Outcome value, or DISMISS with a `reason`).

    Any outcome but DISMISS changes the meeting as it says (RESCHEDULE with `changes`
    among SCHEDULE_FIELDS), marks it checked today and the report accepted. The
    reporter's email is deleted either way; `reply`, if given, is sent to it first, in
    the same transaction, so a reply that cannot be sent leaves everything as it was.
    """
    # Locked, so two staff applying the same report at once cannot both change the meeting.
    report = Report.objects.select_for_update().select_related("meeting").get(pk=report.pk)
    if not report.is_open:
        raise AlreadyClosed
    meeting = report.meeting
    if outcome == DISMISS:
        if not reason.strip():
            raise ValidationError(_("Say why the report is dismissed."))
        report.status, report.dismiss_reason = ReportStatus.DISMISSED, reason.strip()
    else:
        outcome = Outcome(outcome)
        if outcome == Outcome.CLOSE:
            meeting.status = Status.CLOSED
        elif outcome == Outcome.SUSPEND:
            meeting.status = Status.SUSPENDED
        elif outcome == Outcome.RESCHEDULE:
            unknown = set(changes) - set(SCHEDULE_FIELDS)
            if unknown or not changes:
                raise ValueError(f"a reschedule changes only {SCHEDULE_FIELDS}, not {unknown}")
            for field, value in changes.items():
                setattr(meeting, field, value)
        meeting.last_verified = timezone.localdate()
        # The meeting's history (staff.history) names the report and who applied it.
        meeting._change_reason = report.change_reason
        meeting._history_user = user
        meeting.save()
        report.status, report.outcome = ReportStatus.ACCEPTED, outcome
    if reply.strip() and report.reporter_email:
        send_reply(report, reply.strip())
        report.reply_sent = True
    report.reporter_email = ""
    report.closed, report.closed_by = timezone.now(), user
    report.save()
    return report


def send_reply(report: Report, text: str) -> None:
    """Email staff's reply to the reporter. Raises (SMTPException, OSError...) if it
    cannot be sent, so the caller's transaction is undone."""
    with translation.override(report.language):
        subject = _("About your report on %(meeting)s") % {"meeting": report.meeting.name}
    send_mail(
        subject=subject,
        message=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[report.reporter_email],
    )

