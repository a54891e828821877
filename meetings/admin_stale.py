"""The admin meeting list's filter for stale listings (meetings.stale says what stale is)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stale import STALE_MONTHS, VERY_STALE_MONTHS, months_before


class NotCheckedFilter(admin.SimpleListFilter):
    """The admin meeting list's "Not checked for" filter."""

    title = _("not checked for")
    parameter_name = "unchecked"

    def lookups(self, request, model_admin):
        return [
            ("6m", _("over 6 months (or never)")),
            ("12m", _("over 12 months (or never)")),
            ("never", _("never checked")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "6m":
            return queryset.stale(months_before(today, STALE_MONTHS))
        if self.value() == "12m":
            return queryset.stale(months_before(today, VERY_STALE_MONTHS))
        if self.value() == "never":
            return queryset.never_checked()
        return queryset
