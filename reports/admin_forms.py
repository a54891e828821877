from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Recurrence, Weekday

from .models import REASON_MAX_LENGTH, Kind, Outcome, Report
from .outcomes import DISMISS

# The outcome a report most likely needs, chosen to start with so the usual case is one click.
LIKELY_OUTCOME = {
    Kind.CLOSED: Outcome.CLOSE,
    Kind.NOT_MEETING: Outcome.SUSPEND,
    Kind.TIME_CHANGED: Outcome.RESCHEDULE,
}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What to do"), widget=forms.RadioSelect,
        choices=[*Outcome.choices, (DISMISS, _("Dismiss the report: the meeting stays as it is"))],
    )
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int,
                                     required=False)
    recurrence = forms.ChoiceField(label=_("How often"), choices=Recurrence.choices,
                                   required=False)
    start_time = forms.TimeField(label=_("Start time"), required=False,
                                 widget=forms.TimeInput(format="%H:%M"),
                                 help_text=_("24-hour clock, e.g. 19:30"))
    end_time = forms.TimeField(label=_("End time"), required=False,
                               widget=forms.TimeInput(format="%H:%M"))
    reason = forms.CharField(
        label=_("Reason for dismissing"), required=False, max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the report, e.g. “checked with the group: still meets”."),
    )
    reply = forms.CharField(
        label=_("Reply to the reporter (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by email when you apply. Their address is then deleted."),
    )

    def __init__(self, *args, report: Report, replies: bool, **kwargs):
        meeting = report.meeting
        kwargs.setdefault("initial", {
            "outcome": LIKELY_OUTCOME.get(report.kind, Outcome.VERIFY),
            "weekday": meeting.weekday, "recurrence": meeting.recurrence,
            "start_time": meeting.start_time, "end_time": meeting.end_time,
        })
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not (replies and report.reporter_email):
            del self.fields["reply"]

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == DISMISS and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the report is dismissed: it is kept with it."))
        if outcome == Outcome.RESCHEDULE:
            for field in ("weekday", "recurrence", "start_time"):
                if cleaned.get(field) in (None, ""):
                    self.add_error(field, _("Give the new day and time."))
            if not self.errors and not self.schedule_changes():
                self.add_error("start_time", _(
                    "That is the day and time the meeting has already. To keep it, choose "
                    "“Checked it” instead."
                ))
        return cleaned

    def schedule_changes(self) -> dict:
        """The day and time fields that differ from the meeting's, for a reschedule."""
        if self.cleaned_data.get("outcome") != Outcome.RESCHEDULE:
            return {}
        return {
            field: self.cleaned_data[field]
            for field in ("weekday", "recurrence", "start_time", "end_time")
            if self.cleaned_data.get(field) != getattr(self.meeting, field)
        }
