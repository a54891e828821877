from django.urls import path

from . import calendar_views, views
from .feed_http import machine_readable
from .http_cache import read_only

# Public pages answer GET and HEAD only (405 otherwise, never the page); the JSON and
# calendar also answer OPTIONS for other sites' scripts, and their errors in JSON.
urlpatterns = [
    path("", read_only(views.home), name="home"),
    path("meetings/", read_only(views.search), name="search"),
    path("meetings.json", machine_readable(views.search_json), name="search-json"),
    path("meetings/<slug:slug>.ics", machine_readable(calendar_views.meeting_ics),
         name="meeting-ics"),
    path("meetings/<slug:slug>/", read_only(views.meeting_detail), name="meeting-detail"),
]
