from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("meetings.partner_urls")),
    path("", include("meetings.urls")),
    path("", include("groups.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
