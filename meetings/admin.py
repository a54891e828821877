from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff import history
from staff.admin_base import ListingAdmin, ScopedInline

from . import catalogue
from .admin_stale import NotCheckedFilter
from .geo import normalise_postcode
from .geocoding import fill_coordinates
from .models import Feature, Language, Meeting, Status, Venue


class MeetingInline(ScopedInline):
    model = Meeting
    fields = ["name", "fellowship", "weekday", "start_time", "format", "status"]
    show_change_link = True
    extra = 0
    autocomplete_fields = ["fellowship"]


@admin.register(Venue)
class VenueAdmin(ListingAdmin):
    list_display = ["name", "town", "postcode", "step_free", "hearing_loop", "has_coordinates"]
    list_filter = ["step_free", "hearing_loop", "accessible_toilet", "parking", "town"]
    search_fields = ["name", "town", "postcode", "address_line1"]
    readonly_fields = ["map_link", "source", "source_id", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "address_line1", "address_line2", "town", "postcode"]}),
        (_("Location"), {
            "fields": ["latitude", "longitude", "coordinates_set_by_hand", "map_link"],
            "description": _(
                "Filled from the postcode when you save. Tick “coordinates set by hand” to keep "
                "coordinates you typed."
            ),
        }),
        (_("Access"), {
            "fields": ["step_free", "hearing_loop", "accessible_toilet", "parking", "directions"]
        }),
        (_("Provenance"), {"fields": ["source", "source_id", "created", "updated"],
                           "classes": ["collapse"]}),
    ]
    inlines = [MeetingInline]

    def save_model(self, request, venue, form, change):
        # Coordinates follow the postcode (unless set by hand); an unknown postcode is
        # saved as typed, with a warning, so nothing staff entered is lost.
        if venue.postcode and not fill_coordinates(venue):
            self.message_user(request, _(
                "We have no record of the postcode %(postcode)s, so the map position was not "
                "updated. Check it for typing mistakes, or set the coordinates by hand."
            ) % {"postcode": venue.postcode}, messages.WARNING)
        super().save_model(request, venue, form, change)

    @admin.display(boolean=True, description=_("coordinates"))
    def has_coordinates(self, venue: Venue) -> bool:
        return venue.has_coordinates

    @admin.display(description=_("map"))
    def map_link(self, venue: Venue) -> str:
        if not venue.has_coordinates:
            return _("No coordinates yet.")
        return format_html(
            '{}, {} — <a href="{}" target="_blank" rel="noopener">{}</a>',
            round(venue.latitude, 5), round(venue.longitude, 5), venue.openstreetmap_url(),
            _("see the spot on OpenStreetMap"),
        )


@admin.register(Meeting)
class MeetingAdmin(ListingAdmin):
    list_display = [
        "name", "fellowship", "weekday", "start_time", "format", "town", "postcode", "status",
        "last_verified",
    ]
    list_filter = ["status", "format", "fellowship", "weekday", "recurrence", "features",
                   NotCheckedFilter, "last_verified"]
    list_select_related = ["fellowship", "venue"]
    search_fields = ["name", "venue__town", "venue__postcode", "venue__name",
                     "fellowship__name", "fellowship__short_name", "group__name"]
    autocomplete_fields = ["fellowship", "group", "venue"]
    filter_horizontal = ["features", "languages"]
    readonly_fields = ["source", "source_id", "created", "updated"]
    date_hierarchy = None
    actions = ["mark_verified_today", "suspend", "reactivate"]
    change_list_template = "admin/meetings/meeting/change_list.html"
    fieldsets = [
        (None, {"fields": ["fellowship", "group", "name", "slug", "status"]}),
        (_("When"), {
            "fields": ["weekday", "recurrence", "start_time", "end_time", "timezone"]
        }),
        (_("Where"), {
            "fields": ["format", "venue", "online_url", "online_phone", "online_notes"]
        }),
        (_("What kind of meeting"), {"fields": ["access", "features", "languages", "notes"]}),
        (_("Checks and provenance"), {
            "fields": ["last_verified", "source", "source_id", "created", "updated"]
        }),
    ]

    # Deleting the last sample listing takes the demo notice off every page.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue.forget()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue.forget()

    def get_search_results(self, request, queryset, search_term):
        # One box finds a meeting by its name, town, postcode or fellowship. A postcode
        # typed without its space ("ls61aa") still matches the stored "LS6 1AA".
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        postcode = normalise_postcode(search_term)
        if postcode:
            queryset |= self.model.objects.filter(venue__postcode=postcode)
        return queryset, may_have_duplicates

    @admin.display(description=_("town"), ordering="venue__town")
    def town(self, meeting: Meeting) -> str:
        return meeting.venue.town if meeting.venue else _("Online")

    @admin.display(description=_("postcode"), ordering="venue__postcode")
    def postcode(self, meeting: Meeting) -> str:
        return meeting.venue.postcode if meeting.venue else ""

    # Each action saves with a history record per meeting, the action named as its reason.
    @admin.action(description=_("Mark selected meetings as verified today"))
    def mark_verified_today(self, request, queryset):
        count = self.change_each(request, queryset, "mark_verified_today",
                                 last_verified=timezone.localdate())
        self.message_user(request, ngettext(
            "%(count)d meeting marked as verified today.",
            "%(count)d meetings marked as verified today.", count) % {"count": count},
            messages.SUCCESS)

    @admin.action(description=_("Suspend selected meetings (temporarily not running)"))
    def suspend(self, request, queryset):
        count = self.change_each(request, queryset.exclude(status=Status.CLOSED), "suspend",
                                 status=Status.SUSPENDED)
        self.message_user(request, ngettext(
            "%(count)d meeting suspended.", "%(count)d meetings suspended.", count)
            % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reactivate selected meetings"))
    def reactivate(self, request, queryset):
        count = self.change_each(request, queryset, "reactivate", status=Status.ACTIVE)
        self.message_user(request, ngettext(
            "%(count)d meeting reactivated.", "%(count)d meetings reactivated.", count)
            % {"count": count}, messages.SUCCESS)

    def change_each(self, request, queryset, action: str, **values) -> int:
        meetings = list(queryset)
        now = timezone.now()
        for meeting in meetings:
            for field, value in values.items():
                setattr(meeting, field, value)
            meeting.updated = now
        label = getattr(self, action).short_description
        return history.bulk_update(meetings, [*values, "updated"], user=request.user,
                                   reason=history.bulk_action(label))


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "slug", "position", "highlight"]
    list_editable = ["position", "highlight"]
    search_fields = ["name", "name_cy", "slug"]

    def get_readonly_fields(self, request, obj=None):
        # Slugs are public URL values (?feature=...): fixed once created.
        return ["slug"] if obj else []


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "code"]
    search_fields = ["name", "name_cy", "code"]
