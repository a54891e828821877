import datetime
import smtplib

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Meeting
from staff.admin_base import scope_of

from . import outcomes
from .admin_forms import OutcomeForm
from .models import Report, ReportStatus


class AgeFilter(admin.SimpleListFilter):
    title = gettext_lazy("received")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("today", gettext_lazy("in the last day")),
            ("week", gettext_lazy("in the last 7 days")),
            ("over-week", gettext_lazy("over 7 days ago")),
            ("over-month", gettext_lazy("over 30 days ago")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        days = datetime.timedelta(days=1)
        if self.value() == "today":
            return queryset.received_since(now - days)
        if self.value() == "week":
            return queryset.received_since(now - 7 * days)
        if self.value() == "over-week":
            return queryset.received_before(now - 7 * days)
        if self.value() == "over-month":
            return queryset.received_before(now - 30 * days)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The review queue. Two methods decide what a staff member may see and do:
    `get_queryset` (which reports are listed and can be opened) and `can_review` (who may
    apply an outcome); narrowing to a volunteer's fellowships belongs there and only there.
    """

    list_display = ["number", "created", "meeting_name", "fellowship", "kind", "status",
                    "summary"]
    list_display_links = ["number", "meeting_name"]
    list_filter = ["status", AgeFilter, "meeting__fellowship", "kind"]
    search_fields = ["meeting__name", "meeting__slug", "details"]
    ordering = ["-created", "-pk"]
    list_per_page = 50
    review_template = "admin/reports/report/review.html"

    def get_queryset(self, request: HttpRequest):
        # A volunteer reviews the reports of their own listings only (staff.scopes).
        editable = Meeting.objects.editable_by(scope_of(request))
        return super().get_queryset(request).for_queue().filter(meeting__in=editable)

    def can_review(self, request: HttpRequest, report: Report) -> bool:
        return self.has_change_permission(request, report)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from visitors' form

    @admin.display(description=gettext_lazy("report"), ordering="pk")
    def number(self, report: Report) -> str:
        return f"#{report.pk}"

    @admin.display(description=gettext_lazy("meeting"), ordering="meeting__name")
    def meeting_name(self, report: Report) -> str:
        return report.meeting.name

    @admin.display(description=gettext_lazy("fellowship"),
                   ordering="meeting__fellowship__short_name")
    def fellowship(self, report: Report) -> str:
        return report.meeting.fellowship.short_name

    @admin.display(description=gettext_lazy("what it should be"))
    def summary(self, report: Report) -> str:
        return Truncator(report.details).chars(80)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Reports from visitors, newest first"),
                         **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # The report's change page is its review page: the meeting beside the report, and
    # the outcomes to apply in one step.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.review_view(request, object_id)

    def review_view(self, request: HttpRequest, object_id: str):
        report = self.get_object(request, unquote(object_id))
        if report is None:
            raise Http404(_("No such report (it may have been deleted)."))
        if not self.can_review(request, report):
            raise PermissionDenied
        replies = settings.REPORT_REPLIES
        form = OutcomeForm(request.POST or None, report=report, replies=replies)
        if request.method == "POST" and report.is_open and form.is_valid():
            outcome = form.cleaned_data["outcome"]
            try:
                outcomes.apply(
                    report, outcome, request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    reply=form.cleaned_data.get("reply", ""),
                    **form.schedule_changes(),
                )
            except outcomes.AlreadyClosed:
                self.message_user(request, _("Someone else closed this report a moment "
                                             "ago; nothing was changed."), messages.WARNING)
                return redirect(request.path)
            except (smtplib.SMTPException, OSError):
                form.add_error("reply", _(
                    "The reply could not be sent, so nothing was changed and the report is "
                    "still open. Try again, or apply without a reply."))
            else:
                report.refresh_from_db()
                self.log_change(request, report, report.get_outcome_display()
                                or _("Dismissed: %(reason)s") % {"reason": report.dismiss_reason})
                self.message_user(request, _("Report #%(number)s closed: %(outcome)s.") % {
                    "number": report.pk,
                    "outcome": report.get_outcome_display() or _("dismissed"),
                }, messages.SUCCESS)
                queue = reverse("admin:reports_report_changelist")
                return redirect(f"{queue}?status__exact={ReportStatus.NEW}")
        meeting = report.meeting
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review report #%(number)s") % {"number": report.pk},
            "report": report,
            "meeting": meeting,
            "venue": meeting.venue if meeting.venue_id and meeting.is_in_person else None,
            "form": form,
            "schedule_fields": [form[name] for name in outcomes.SCHEDULE_FIELDS],
            "replies_off": bool(report.reporter_email) and not replies,
            "other_open": self.get_queryset(request).open().filter(meeting=meeting)
                              .exclude(pk=report.pk).count(),
        }
        return TemplateResponse(request, self.review_template, context)
