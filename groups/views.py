from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from meetings.models import Status

from .models import PHILOSOPHY_EXPLANATIONS, Fellowship, Philosophy

LISTED = ~Q(meetings__status=Status.CLOSED)


def fellowship_list(request: HttpRequest) -> HttpResponse:
    fellowships = Fellowship.objects.annotate(meeting_count=Count("meetings", filter=LISTED))
    approaches = [
        (value, label, PHILOSOPHY_EXPLANATIONS[value]) for value, label in Philosophy.choices
    ]
    context = {"fellowships": fellowships, "approaches": approaches}
    return render(request, "groups/fellowship_list.html", context)


def fellowship_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fellowship = get_object_or_404(
        Fellowship.objects.annotate(meeting_count=Count("meetings", filter=LISTED)), slug=slug
    )
    return render(request, "groups/fellowship_detail.html", {"fellowship": fellowship})
