from django.conf import settings

from meetings.models import Meeting


def site(request) -> dict:
    # One cheap indexed query per page; it answers "is this sample data?".
    return {
        "demo_data": Meeting.objects.filter(source=Meeting.DEMO_SOURCE).exists(),
        "codepoint_year": settings.CODEPOINT_RELEASE_YEAR,
    }
