from .geography import Place, PositionalQuality, Postcode, PostcodePrefix, PostcodeRelease
from .meetings import (
    Access,
    Feature,
    Format,
    Language,
    Meeting,
    MeetingQuerySet,
    Recurrence,
    Status,
    Weekday,
    meeting_slug,
)
from .venues import Venue

__all__ = [
    "Access",
    "Feature",
    "Format",
    "Language",
    "Meeting",
    "MeetingQuerySet",
    "Place",
    "PositionalQuality",
    "Postcode",
    "PostcodePrefix",
    "PostcodeRelease",
    "Recurrence",
    "Status",
    "Venue",
    "Weekday",
    "meeting_slug",
]
