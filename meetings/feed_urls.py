"""Machine-readable renderings of the search and of one meeting: the same at every
address, in English, whatever the visitor's language (recovery_finder/urls.py keeps them
out of the /cy/ pages)."""

from django.urls import path

from . import calendar_views, feeds, views
from .feed_http import machine_readable
from .page_cache import kept_for_visitors

# The JSON and calendars answer GET, HEAD and OPTIONS for other sites' scripts, and their
# errors in JSON (feed_http).
urlpatterns = [
    # Kept whole for visitors for a minute, like the search page (meetings/page_cache.py).
    path("meetings.json", machine_readable(kept_for_visitors(views.search_json)),
         name="search-json"),
    path("meetings.csv", feeds.meetings_csv, name="search-csv"),
    path("meetings.ics", feeds.meetings_ics, name="search-ics"),
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting-guide-feed"),
    path("meetings/<slug:slug>.ics", machine_readable(calendar_views.meeting_ics),
         name="meeting-ics"),
]
