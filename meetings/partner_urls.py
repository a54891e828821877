"""Partner-facing URLs: feeds in other formats, the embed and the link builder."""

from django.urls import path

from . import embed, feeds
from .http_cache import read_only

urlpatterns = [
    path("meetings.csv", feeds.meetings_csv, name="search-csv"),
    path("meetings.ics", feeds.meetings_ics, name="search-ics"),
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting-guide-feed"),
    # The feeds take GET, HEAD and OPTIONS, and answer errors in JSON (feed_http).
    path("embed/meetings/", read_only(embed.embed_meetings), name="embed-meetings"),
    path("partners/", read_only(embed.partners), name="partners"),
]
