from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from staff.admin_base import ListingAdmin

from .models import Fellowship, Group


@admin.register(Fellowship)
class FellowshipAdmin(ListingAdmin):
    list_display = [
        "name", "short_name", "philosophy", "helpline", "helpline_checked", "confirmed",
        "website", "meeting_count",
    ]
    list_filter = ["philosophy", "for_family_and_friends", "for_young_people"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "philosophy", "description",
                           "description_cy"]}),
        (_("Who it is for"), {
            "fields": ["for_myself", "for_family_and_friends", "for_young_people", "addresses"]
        }),
        (_("Contact"), {"fields": ["website", "email"]}),
        (_("Helpline"), {
            "fields": ["helpline", "helpline_hours", "helpline_source", "helpline_checked"],
            "description": _(
                "Where and when the number and hours were read. A number read anywhere but "
                "the fellowship's own website is unconfirmed (docs/sources.md lists them)."
            ),
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meetings"))

    @admin.display(description=_("helpline on own site"), boolean=True)
    def confirmed(self, fellowship: Fellowship) -> bool | None:
        # No helpline at all shows as unknown rather than as a failed check.
        return fellowship.helpline_confirmed if fellowship.helpline else None

    @admin.display(description=_("meetings"), ordering="meeting_total")
    def meeting_count(self, fellowship: Fellowship) -> int:
        return fellowship.meeting_total


@admin.register(Group)
class GroupAdmin(ListingAdmin):
    list_display = ["name", "fellowship", "email", "phone", "website"]
    list_filter = ["fellowship"]
    list_select_related = ["fellowship"]
    search_fields = ["name", "email", "fellowship__name", "fellowship__short_name"]
    autocomplete_fields = ["fellowship"]
    readonly_fields = ["source", "source_id"]
