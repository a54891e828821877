"""Partner-facing URLs: feeds in other formats, the embed and the link builder."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting-guide-feed"),
]
