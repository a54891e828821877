from django.contrib import admin

from .models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["user", "fellowship_names", "areas"]
    list_filter = ["fellowships"]
    search_fields = ["user__username", "user__email", "areas"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["fellowships"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related(
            "fellowships")

    @admin.display(description="fellowships")
    def fellowship_names(self, volunteer: Volunteer) -> str:
        return ", ".join(f.short_name for f in volunteer.fellowships.all())
