"""Small helpers that build real rows for tests: sensible defaults, override anything."""

import datetime
import itertools

from groups.models import Fellowship, Philosophy
from meetings.models import Feature, Format, Language, Meeting, Venue

_counter = itertools.count(1)


def make_fellowship(**fields) -> Fellowship:
    n = next(_counter)
    defaults = {
        "name": f"Test Fellowship {n}",
        "slug": f"test-fellowship-{n}",
        "short_name": f"TF{n}",
        "philosophy": Philosophy.TWELVE_STEP,
    }
    return Fellowship.objects.create(**(defaults | fields))


def make_venue(**fields) -> Venue:
    n = next(_counter)
    defaults = {
        "name": f"Community Hall {n}",
        "address_line1": f"{n} High Street",
        "town": "Leeds",
        "postcode": "LS6 1AA",
        "latitude": 53.8175,
        "longitude": -1.5768,
    }
    return Venue.objects.create(**(defaults | fields))


def make_meeting(*, features: list[str] = (), languages: list[str] = (), **fields) -> Meeting:
    n = next(_counter)
    defaults = {
        "name": f"Test Meeting {n}",
        "weekday": 0,
        "start_time": datetime.time(19, 30),
        "end_time": datetime.time(20, 30),
        "format": Format.IN_PERSON,
    }
    values = defaults | fields
    if "fellowship" not in values:
        values["fellowship"] = make_fellowship()
    if values["format"] != Format.ONLINE and "venue" not in values:
        values["venue"] = make_venue()
    if values["format"] != Format.IN_PERSON and not (
        values.get("online_url") or values.get("online_phone")
    ):
        values["online_url"] = "https://example.org/join/123"
    meeting = Meeting.objects.create(**values)
    if features:
        meeting.features.set(Feature.objects.filter(slug__in=features))
    if languages:
        meeting.languages.set(Language.objects.filter(code__in=languages))
    return meeting
