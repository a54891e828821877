"""A staff page in the admin: upload a feed, read the dry-run report, then confirm.

The upload is kept between the two steps in a private storage (settings.STORAGES
"imports": files 0600 in a 0700 folder), under a random name that only a signed token
in the page refers to, so the confirmed import is exactly the file that was checked,
with the options it was checked with. The file is deleted when the import ends,
written or not, and any left behind by a check nobody confirmed is deleted after an hour.
"""

import datetime
import hashlib
import json
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core import signing
from django.core.files.storage import storages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship
from staff.admin_base import scope_of

from .importers import FeedError, Wording, run_import
from .validators import time_zone_names

KEPT_FOR = datetime.timedelta(hours=1)
SALT = "meetings.admin_import.upload"

# The page's own words for what the command calls options.
PAGE_WORDING = Wording(
    choose_fellowship=_("choose their fellowship in the Fellowship field"),
    give_time_zone=_("choose the time zone of the file's times in the Time zone field"),
    allow_partial=_("tick “Import the rows that were understood” and check again"),
    include_outside_uk=_("tick “Include in-person meetings outside the UK” to import them"),
)
OPTIONS = ["format", "fellowship", "source_name", "timezone", "include_outside_uk",
           "allow_partial", "overwrite_edits"]


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Not stated"))] + [
        (name, name) for name in sorted(time_zone_names())]


class ImportForm(forms.Form):
    required_css_class = "required"

    file = forms.FileField(label=_("File"),
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
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, required=False,
        help_text=_("The time zone of the file's times, for meetings that do not give their "
                    "own. Leave it “Not stated” unless the file keeps every time in one zone: "
                    "meetings in the UK then keep UK time, and meetings abroad the time zone "
                    "of their place."))
    include_outside_uk = forms.BooleanField(
        label=_("Include in-person meetings outside the UK"), required=False,
        help_text=_("Online meetings are always imported; in-person and hybrid meetings "
                    "abroad only when this is ticked."))
    allow_partial = forms.BooleanField(
        label=_("Import the rows that were understood even if some were not"), required=False)
    overwrite_edits = forms.BooleanField(
        label=_("Overwrite staff edits"), required=False,
        help_text=_("Where staff edited a field that the source has changed since the last "
                    "import, take the source's value. Otherwise the staff edit is kept and "
                    "listed in the report."))
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if scope is not None and not scope.everything:
            # A volunteer imports into their own fellowships only.
            self.fields["fellowship"].queryset = Fellowship.objects.editable_by(scope)
            self.fields["fellowship"].required = True
            self.fields["fellowship"].help_text = _(
                "Meetings the file assigns to another fellowship are refused.")
        self.kept = self._kept(self.data.get("token", "")) if self.is_bound else None
        if self.kept or self.initial.get("token"):
            self.fields["file"].required = False  # the checked file is kept: no new one needed

    def _kept(self, token: str) -> dict | None:
        """The upload a token refers to, if it is this user's, recent, and still there."""
        try:
            kept = signing.loads(token, salt=SALT, max_age=KEPT_FOR)
        except signing.BadSignature:  # includes an expired token
            return None
        if kept.get("user") != getattr(self.user, "pk", None) or not uploads().exists(
                kept.get("file", "")):
            return None
        return kept

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s, more than any feed needs.")
                % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)})
        return upload

    def clean(self):
        data = super().clean()
        if self.data.get("token") and not self.kept and not data.get("file"):
            raise forms.ValidationError(_("The file you checked is no longer kept (files are "
                                          "kept for an hour): choose it again."))
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {name: data[name].slug if name == "fellowship" and data[name] else data[name]
                for name in OPTIONS}


def uploads():
    return storages["imports"]


def keep(upload, user) -> dict:
    """Store the upload privately; what the token will carry."""
    storage = uploads()
    try:
        folder = Path(storage.path(""))
    except NotImplementedError:  # a storage with no local folder keeps its own access rules
        pass
    else:
        # Private whatever the umask or an earlier version made it: the storage sets the
        # mode only of folders it creates itself.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    name = storage.save(secrets.token_hex(16), upload)
    return {"file": name, "name": upload.name[:200], "size": upload.size, "user": user.pk}


def forget(kept: dict | None) -> None:
    if kept:
        uploads().delete(kept["file"])


def forget_stale() -> None:
    """Files of checks nobody confirmed, and of imports interrupted on the way."""
    storage = uploads()
    if not storage.exists(""):
        return
    limit = timezone.now() - KEPT_FOR
    for name in storage.listdir("")[1]:
        try:
            if storage.get_modified_time(name) < limit:
                storage.delete(name)
        except FileNotFoundError:  # another request deleted it first
            pass


def fingerprint(options: dict) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:16]


@staff_member_required
@permission_required(["meetings.add_meeting", "meetings.change_meeting"], raise_exception=True)
def import_meetings(request: HttpRequest) -> HttpResponse:
    forget_stale()
    scope = scope_of(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user,
                      scope=scope)
    report, kept = None, None
    if request.method == "POST" and form.is_valid():
        options = form.options()
        upload = form.cleaned_data.get("file")
        kept = keep(upload, request.user) if upload else form.kept
        confirm = ("confirm" in request.POST and not upload
                   and kept.get("options") == fingerprint(options))
        if "confirm" in request.POST and not confirm:
            messages.warning(request, _("The file or the choices changed since the check, so "
                                        "here is a new check: confirm it if it is right."))
        try:
            with uploads().open(kept["file"]) as stored:
                data = stored.read()
            report = run_import(
                data, fmt=options["format"], source=options["source_name"],
                fellowship=form.cleaned_data["fellowship"], dry_run=not confirm,
                allow_partial=options["allow_partial"], timezone=options["timezone"] or None,
                overwrite_edits=options["overwrite_edits"],
                include_outside_uk=options["include_outside_uk"], wording=PAGE_WORDING,
                scope=scope,
            )
        except FeedError as error:
            form.add_error(None, str(error))
            forget(kept)  # a file that cannot be read cannot be confirmed either
            kept = None
        else:
            if confirm:
                forget(kept)  # the import has ended, written or not
                if report.written:
                    messages.success(request, _("Imported: %(summary)s") % {
                        "summary": report.lines()[1]})
                    return redirect("admin:meetings_meeting_changelist")
                kept = None
            else:
                kept["options"] = fingerprint(options)
                token = signing.dumps(kept, salt=SALT)
                form = ImportForm(initial={**options, "token": token}, user=request.user,
                                  scope=scope)
    elif form.is_bound:
        kept = form.kept
    context = {
        **admin.site.each_context(request),
        "title": _("Import meetings"),
        "form": form,
        "kept": kept,
        "report": report,
        "report_lines": report.lines(limit=200) if report else [],
    }
    return render(request, "admin/import_meetings.html", context)
