from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .calendar import calendar_response
from .http_cache import public_feed
from .models import Meeting


@public_feed
def meeting_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One meeting, to add to a calendar: the meeting page links here."""
    meeting = get_object_or_404(Meeting.objects.listed().with_related(), slug=slug)
    return calendar_response(request, [meeting], meeting.name, f"{meeting.slug}.ics")
