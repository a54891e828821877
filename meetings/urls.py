from django.urls import path

from . import views, views_map, views_print
from .http_cache import read_only
from .page_cache import kept_for_visitors

# Public pages answer GET and HEAD only (405 otherwise, never the page). Each is served
# in English and under /cy/ in Welsh (recovery_finder/urls.py); the feeds are in
# meetings/feed_urls.py. The search is kept whole for visitors for a minute
# (meetings/page_cache.py), per language as per address.
urlpatterns = [
    path("", read_only(views.home), name="home"),
    path("meetings/", read_only(kept_for_visitors(views.search)), name="search"),
    # Before meetings/<slug>/, which would otherwise take "print" and "map" for slugs (a
    # meeting's slug always ends in its weekday, so neither can be one).
    path("meetings/print/", read_only(views_print.print_list), name="search-print"),
    path("meetings/map/", read_only(views_map.search_map), name="search-map"),
    path("meetings/<slug:slug>/", read_only(views.meeting_detail), name="meeting-detail"),
]
