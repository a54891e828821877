from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import tokens
from .models import DETAILS_MAX_LENGTH, Kind, Report


class ReportForm(forms.ModelForm):
    """What a visitor tells us about a meeting. Errors are worded for someone who may be
    anxious and on a phone: say what to do, never blame."""

    kind = forms.ChoiceField(
        label=_("What is wrong?"), choices=Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong with this listing."),
                        "invalid_choice": _("Please choose one of the options listed.")},
    )
    details = forms.CharField(
        label=_("What should it say? (optional)"), required=False,
        max_length=DETAILS_MAX_LENGTH, strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 40}),
        help_text=_("For example the new day and time, or the new address. Please do not "
                    "include anyone's name."),
        error_messages={"max_length": _(
            "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        )},
    )
    reporter_email = forms.EmailField(
        label=_("Your email, if you would like a reply (optional)"), required=False,
        max_length=254,
        help_text=_("We use it only to reply about this listing, and delete it once we "
                    "have dealt with your report."),
        error_messages={"invalid": _(
            "This does not look like an email address. Please check it, or leave it empty."
        )},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The honeypot: hidden from people by the stylesheet, filled in by form-filling bots.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off",
                                                            "tabindex": "-1"}))
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Report
        fields = ["kind", "details", "reporter_email"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        self.instance.language = get_language()
        self.token_problem = ""

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token") or ""
        try:
            tokens.check_token(token, self.meeting.pk)
        except tokens.TokenExpired:
            self.token_problem = "expired"
            raise forms.ValidationError(_(
                "This form was open for a long time, so for safety we could not accept it. "
                "Your answers are still here: please press Send again."
            )) from None
        except tokens.TokenInvalid:
            self.token_problem = "invalid"
            raise forms.ValidationError(_(
                "We could not check this form, so it was not sent. Your answers are still "
                "here: please press Send again."
            )) from None
        return token

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.OTHER and not cleaned.get("details"):
            self.add_error("details", _("Please tell us in a few words what is wrong."))
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())
