"""A staff page in the admin: upload a feed, read the dry-run report, then confirm.

The upload is kept in a private folder under var/ between the two steps, named by a
random token, so the confirmed import is exactly the file that was previewed.
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship

from .importers import FeedError, run_import

UPLOADS = Path(settings.BASE_DIR) / "var" / "imports"
MAX_UPLOAD = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("A Meeting Guide JSON feed or a 12 Step Meeting List CSV."))
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("meeting-guide", _("Meeting Guide JSON")), ("csv", _("12 Step Meeting List CSV"))])
    fellowship = forms.ModelChoiceField(
        label=_("Fellowship"), queryset=Fellowship.objects.all(), to_field_name="slug",
        required=False,
        help_text=_("For meetings the file does not assign to a fellowship."),
    )
    source_name = forms.CharField(
        label=_("Source name"), max_length=100,
        help_text=_("Use the same name every time you import this feed: meetings are matched "
                    "by it, and those no longer in the feed are marked closed."),
    )
    timezone = forms.CharField(label=_("Time zone of the times"), initial="Europe/London",
                               max_length=64)
    allow_partial = forms.BooleanField(
        label=_("Import the rows that were understood even if some were not"), required=False)
    overwrite_edits = forms.BooleanField(
        label=_("Overwrite staff edits"), required=False,
        help_text=_("Where staff edited a field that the source has changed since the last "
                    "import, take the source's value. Otherwise the staff edit is kept and "
                    "listed in the report."))
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        token = data.get("token", "")
        if token and not (token.isalnum() and (UPLOADS / token).exists()):
            raise forms.ValidationError(_("That upload has expired: choose the file again."))
        if not upload and not token:
            raise forms.ValidationError(_("Choose a file to import."))
        return data


def _keep(upload) -> str:
    UPLOADS.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    with open(UPLOADS / token, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


@staff_member_required
@permission_required(["meetings.add_meeting", "meetings.change_meeting"], raise_exception=True)
def import_meetings(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = _keep(data["file"]) if data.get("file") else data["token"]
        confirm = "confirm" in request.POST and not data.get("file")
        try:
            report = run_import(
                (UPLOADS / token).read_bytes(), fmt=data["format"],
                source=data["source_name"], fellowship=data["fellowship"],
                dry_run=not confirm, allow_partial=data["allow_partial"],
                timezone=data["timezone"], overwrite_edits=data["overwrite_edits"],
            )
        except FeedError as error:
            form.add_error(None, str(error))
        else:
            if confirm and report.written:
                (UPLOADS / token).unlink(missing_ok=True)
                messages.success(request, _("Imported: %(summary)s") % {
                    "summary": report.lines()[1]})
                return redirect("admin:meetings_meeting_changelist")
            form = ImportForm(initial={**{k: v for k, v in data.items() if k != "file"},
                                       "fellowship": data["fellowship"], "token": token})
    context = {
        **admin.site.each_context(request),
        "title": _("Import meetings"),
        "form": form,
        "report": report,
        "report_lines": report.lines(limit=200) if report else [],
    }
    return render(request, "admin/import_meetings.html", context)
