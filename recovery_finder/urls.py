from django.contrib import admin
from django.urls import include, path

from meetings import admin_import

from . import views

urlpatterns = [
    path("", include("meetings.partner_urls")),
    path("", include("meetings.printmap_urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("groups.urls")),
    path("", include("recovery_finder.pages")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/import-meetings/", admin_import.import_meetings, name="admin-import-meetings"),
    path("admin/", admin.site.urls),
]
