"""Meetings as plain data for /meetings.json (and, flattened, for the partners' CSV).

Every coded value is exactly a value of the matching URL parameter, so a partner can
feed anything they read here back into a search link.
"""

import datetime

from django.http import HttpRequest

from .models import Meeting, Weekday


def hh_mm(time: datetime.time | None) -> str | None:
    return time.strftime("%H:%M") if time else None


def meeting_as_dict(meeting: Meeting, request: HttpRequest, now: datetime.datetime) -> dict:
    occurrence = getattr(meeting, "occurrence", None) or meeting.next_occurrence(now)
    venue = meeting.venue if meeting.venue_id and meeting.is_in_person else None
    distance = getattr(meeting, "distance_miles", None)
    fellowship = meeting.fellowship
    return {
        "id": meeting.pk,
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
        "name": meeting.name,
        "fellowship": {
            "slug": fellowship.slug,
            "name": fellowship.name,
            "philosophy": fellowship.philosophy,
            # Whose addiction its family meetings are for, in words; null if it has none.
            "family_audience": fellowship.family_audience or None,
        },
        "group": meeting.group.name if meeting.group_id else None,
        "format": meeting.format,
        "status": meeting.status,
        "day": Weekday(meeting.weekday).name.lower(),
        "recurrence": meeting.recurrence,
        "start_time": hh_mm(meeting.start_time),
        "end_time": hh_mm(meeting.end_time),
        "timezone": meeting.timezone,
        "next_start": occurrence.start.isoformat(),
        "venue": {
            "name": venue.name,
            "address": venue.address,
            "town": venue.town,
            "postcode": venue.postcode,
            "latitude": venue.latitude,
            "longitude": venue.longitude,
        } if venue else None,
        "online": {
            "url": meeting.online_url,
            "phone": meeting.online_phone,
            "notes": meeting.online_notes,
        } if meeting.is_online else None,
        "features": meeting.feature_slugs(),
        "languages": [language.code for language in meeting.language_list],
        "distance_miles": round(distance, 2) if distance is not None else None,
        "last_verified": meeting.last_verified.isoformat() if meeting.last_verified else None,
    }
