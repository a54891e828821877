from django.conf import settings

from meetings import catalogue


def site(request) -> dict:
    return {
        # Is this sample data? Kept with the lists every search reads (meetings.catalogue).
        "demo_data": catalogue.current().demo_data,
        "codepoint_year": settings.CODEPOINT_RELEASE_YEAR,
    }
