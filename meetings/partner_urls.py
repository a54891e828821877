"""Partner-facing pages: the embed and the link builder (the feeds they point to are in
meetings/feed_urls.py)."""

from django.urls import path

from . import embed
from .http_cache import read_only

urlpatterns = [
    path("embed/meetings/", read_only(embed.embed_meetings), name="embed-meetings"),
    path("partners/", read_only(embed.partners), name="partners"),
]
