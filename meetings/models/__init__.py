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
)
from .venues import Venue

__all__ = [
    "Access",
    "Feature",
    "Format",
    "Language",
    "Meeting",
    "MeetingQuerySet",
    "Recurrence",
    "Status",
    "Venue",
    "Weekday",
]
