"""Partner-facing URLs: feeds in other formats, the embed and the link builder."""

from django.urls import path

from . import embed, feeds

urlpatterns = [
    path("meetings.csv", feeds.meetings_csv, name="search-csv"),
    path("meetings.ics", feeds.meetings_ics, name="search-ics"),
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting-guide-feed"),
    path("embed/meetings/", embed.embed_meetings, name="embed-meetings"),
    path("partners/", embed.partners, name="partners"),
]
