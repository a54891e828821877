"""The admin of the listing models: limited to what the account may edit (staff.scopes),
and one history record per save, naming where the change came from (staff.history)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from simple_history.template_utils import HistoricalRecordContextHelper

from . import history
from .scopes import Scope

SCOPED_FOREIGN_KEYS = {"fellowship", "group", "venue"}


def scope_of(request) -> Scope:
    """The account's scope, read once per request."""
    if not hasattr(request, "staff_scope"):
        request.staff_scope = Scope.of(request.user)
    return request.staff_scope


def scoped_foreign_key(request, db_field, kwargs: dict) -> dict:
    """A fellowship, group or venue can only be chosen among those the account edits."""
    if db_field.name in SCOPED_FOREIGN_KEYS and "queryset" not in kwargs:
        related = db_field.remote_field.model
        kwargs["queryset"] = related._default_manager.editable_by(scope_of(request))
    return kwargs


class ReadableChanges(HistoricalRecordContextHelper):
    """Each change in the words of the edit form: "Status: Active → Temporarily
    suspended", "Day: Monday → Tuesday", "Step-free: no → yes", "Features: (none) →
    Women only, Newcomers welcome"."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            value = super().prepare_delta_change_value(change, value)
            return ", ".join(str(item) for item in value) or _("(none)")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if value is None or value == "":
            return _("(empty)")
        return value


class ListingAdmin(SimpleHistoryAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(scope_of(request))

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record,
                               max_displayed_delta_change_chars=300)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version = to_historic(obj) if obj is not None else None
        columns = history.M2M_COLUMNS.get(self.model._meta.label_lower)
        if version is None or not columns:
            return form
        # The restore page's form: the version's features and languages, not today's
        # (simple-history rebuilds the row's fields only).
        initial = {name: [getattr(row, column) for row in getattr(version, name).all()]
                   for name, column in columns.items()}

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return VersionForm

    def in_scope(self, request, obj) -> bool:
        scope = scope_of(request)
        if obj is None or scope.everything:
            return True
        return self.model._default_manager.editable_by(scope).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not scope_of(request).is_empty

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **scoped_foreign_key(request, db_field, kwargs))

    def changelist_view(self, request, extra_context=None):
        if scope_of(request).is_empty:
            self.message_user(request, _(
                "Your account does not look after any fellowship yet, so no listings are "
                "shown. Ask an administrator to add you as a volunteer for yours."),
                messages.WARNING)
        return super().changelist_view(request, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's restore page saves on POST after checking only the view
        # permission: restoring is a change.
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # One record per save, written once the form's M2M values (a meeting's features
        # and languages) are saved too: simple-history's signals would write one for
        # the row and one more for each M2M field.
        version = to_historic(obj)
        obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
            form.save_m2m()
        finally:
            del obj.skip_history_when_saving
        reason = history.restored(version.history_date) if version else history.admin_form()
        history.record([obj], reason=reason, user=request.user, created=not change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:  # rows of an inline, such as a venue's meetings
            inline_form.instance._change_reason = history.admin_form()
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        obj._change_reason = history.deleted()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one, so each record gives its reason
            self.delete_model(request, obj)


class ScopedInline(admin.TabularInline):
    """Rows of another model on a listing's page: only those the account edits."""

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(scope_of(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **scoped_foreign_key(request, db_field, kwargs))
