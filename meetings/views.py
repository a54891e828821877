from django.shortcuts import get_object_or_404, render

from .models import Meeting


def home(request):
    return render(request, "home.html", {})


def meeting_detail(request, slug: str):
    meeting = get_object_or_404(Meeting.objects.listed().with_related(), slug=slug)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
