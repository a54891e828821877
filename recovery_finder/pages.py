"""Pages of plain words: the guides and the privacy notice. Templates hold the text."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from meetings.http_cache import read_only

GUIDES = {
    "what-is-mutual-aid": _("What mutual aid is, and how it differs from treatment"),
    "approaches": _("The different approaches, side by side"),
    "first-meeting": _("Going to your first meeting"),
    "families-and-friends": _("Support for families and friends"),
}


def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "guides/index.html", {"guides": GUIDES.items()})


def guide(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in GUIDES:
        raise Http404
    context = {"title": GUIDES[slug], "guides": GUIDES.items(), "slug": slug}
    return render(request, f"guides/{slug}.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {})


urlpatterns = [
    path("guides/", read_only(guide_list), name="guide-list"),
    path("guides/<slug:slug>/", read_only(guide), name="guide"),
    path("privacy/", read_only(privacy), name="privacy"),
]
