"""What every importer produces: plain records in our terms, before any database work."""

import datetime
from dataclasses import dataclass, field


@dataclass
class ImportedVenue:
    name: str
    address_line1: str
    address_line2: str
    town: str
    postcode: str  # a normalised UK postcode, or blank (addresses abroad keep theirs in line 2)
    latitude: float | None
    longitude: float | None
    directions: str = ""
    flags: set[str] = field(default_factory=set)  # step_free, hearing_loop, ...

    def key(self) -> tuple[str, ...]:
        """Venues are matched by address and postcode (town and line 2 when there is none)."""
        fold = str.casefold
        if self.postcode:
            return (fold(self.address_line1), self.postcode)
        return (fold(self.address_line1), fold(self.town), fold(self.address_line2))


@dataclass
class ImportedMeeting:
    item: str  # "item 12" or "line 5": where the reader finds it in the source
    source_id: str
    name: str
    weekday: int
    start_time: datetime.time
    end_time: datetime.time | None
    timezone: str
    format: str
    status: str
    venue: ImportedVenue | None
    online_url: str = ""
    online_phone: str = ""
    online_notes: str = ""
    access: str = ""
    features: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    notes: str = ""
    recurrence: str = "weekly"
    group: str = ""
    group_notes: str = ""
    fellowship: str = ""  # slug, when the source names it
    fellowship_id: int | None = None  # resolved by the writer
