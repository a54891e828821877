from .choices import Access, Format, Recurrence, Status, Weekday
from .geography import Place, PositionalQuality, Postcode, PostcodePrefix, PostcodeRelease
from .meetings import Feature, Language, Meeting, meeting_slug
from .querysets import MeetingQuerySet
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
