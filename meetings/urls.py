from django.urls import path

from . import calendar_views, views, views_map, views_print
from .feed_http import machine_readable
from .http_cache import read_only
from .page_cache import kept_for_visitors

# Public pages answer GET and HEAD only (405 otherwise, never the page); the JSON and
# calendar also answer OPTIONS for other sites' scripts, and their errors in JSON. The
# search and its JSON are kept whole for visitors for a minute (meetings/page_cache.py).
urlpatterns = [
    path("", read_only(views.home), name="home"),
    path("meetings/", read_only(kept_for_visitors(views.search)), name="search"),
    path("meetings.json", machine_readable(kept_for_visitors(views.search_json)),
         name="search-json"),
    # Before meetings/<slug>/, which would otherwise take "print" and "map" for slugs (a
    # meeting's slug always ends in its weekday, so neither can be one).
    path("meetings/print/", read_only(views_print.print_list), name="search-print"),
    path("meetings/map/", read_only(views_map.search_map), name="search-map"),
    path("meetings/<slug:slug>.ics", machine_readable(calendar_views.meeting_ics),
         name="meeting-ics"),
    path("meetings/<slug:slug>/", read_only(views.meeting_detail), name="meeting-detail"),
]
