from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from meetings import admin_import
from meetings.http_cache import read_only

from . import views

# Machine-readable data and staff pages: one address each, in English. Partners' scripts
# read field values that must not change with a visitor's language.
urlpatterns = [
    path("", include("meetings.feed_urls")),
    path("healthz", read_only(views.healthz), name="healthz"),
    path("admin/two-step/", include("signin.urls")),
    path("admin/import-meetings/", admin_import.import_meetings, name="admin-import-meetings"),
    # The link `manage.py add_volunteer` prints, to set a password (Django's own views
    # and the admin's templates). No reset-by-email form: that needs an email server.
    path("admin/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("admin/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("admin/", admin.site.urls),
]

# What a visitor reads: in English at the addresses partners already link to (no
# prefix), and in Welsh under /cy/. The language is the URL's alone
# (recovery_finder.middleware.URLLanguageMiddleware).
urlpatterns += i18n_patterns(
    path("", include("meetings.partner_urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("groups.urls")),
    path("", include("recovery_finder.pages")),
    prefix_default_language=False,
)
