"""Meetings as plain rows for the whole-directory feeds, a chunk at a time.

A feed of every meeting (20,000 and more) cannot afford a model instance per meeting:
making them, and the per-meeting lookups that go with them (a reverse() for each URL,
a translation for each "Every Tuesday", the next occurrence worked out again for each
of the thousands of meetings that share a day and time), cost seconds. So the feeds
read `Meeting.objects.feed_rows()`: one query of plain dicts, with the venue, the group's
name and the feature and language keys in the same row. `FeedRows` turns what is shared
by many rows (fellowships, features, languages, schedules, next occurrences, URLs) into
values once per build. The renderings built from these rows are checked byte for byte
against the files the model-based feeds wrote (tests/test_feed_output.py).
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse

from groups.models import Fellowship

from . import schedule
from .catalogue import Catalogue
from .feed_http import in_chunks
from .models import Meeting, MeetingQuerySet, Weekday
from .models.choices import AT_A_VENUE, JOINABLE_ONLINE, Recurrence
from .models.venues import VENUE_FEATURES

# Venue columns in a row, and the public ?feature= slug each venue flag answers to.
VENUE_FLAGS = {field_name: slug for slug, (field_name, _label) in VENUE_FEATURES.items()}


@dataclass
class Fellow:
    """What the feeds show of a fellowship, read once per build."""

    slug: str
    name: str
    short_name: str
    philosophy: str
    website: str
    family_audience: str

    @classmethod
    def of(cls, fellowship: Fellowship) -> "Fellow":
        return cls(fellowship.slug, fellowship.name, fellowship.short_name,
                   fellowship.philosophy, fellowship.website, fellowship.family_audience)


class KeysInOrder:
    """Comma-separated keys ("3,12") as what they show, in the catalogue's order, as the
    model-based lists were (a key the catalogue does not hold yet is left out); worked
    out once per combination, which many meetings share."""

    def __init__(self, catalogue_order: list[tuple[str, str]]):
        self.places = {key: (n, shown) for n, (key, shown) in enumerate(catalogue_order)}
        self.seen: dict[str, tuple[str, ...]] = {}

    def __call__(self, keys: str | None) -> tuple[str, ...]:
        if not keys:
            return ()
        if keys not in self.seen:
            places = sorted(self.places[key] for key in set(keys.split(",")) if key in self.places)
            self.seen[keys] = tuple(shown for _n, shown in places)
        return self.seen[keys]


@dataclass
class FeedRows:
    """One build's shared lookups: hand each row to `rows` and read the derived values."""

    lists: Catalogue
    now: datetime.datetime
    url_start: str = ""
    url_end: str = ""
    _fellows: dict = field(default_factory=dict)
    _occurrences: dict = field(default_factory=dict)
    _schedules: dict = field(default_factory=dict)
    _clocks: dict = field(default_factory=dict)

    def __post_init__(self):
        self.features = KeysInOrder([(str(f.pk), f.slug) for f in self.lists.features])
        self.languages = KeysInOrder([(lang.pk, lang.pk) for lang in self.lists.languages])

    @classmethod
    def for_request(cls, request: HttpRequest, lists: Catalogue,
                    now: datetime.datetime) -> "FeedRows":
        # One reverse() per build: slugs need no quoting, so only the slug differs.
        start, end = request.build_absolute_uri(
            reverse("meeting-detail", args=["-"])).rsplit("-", 1)
        return cls(lists, now, start, end)

    def rows(self, meetings: MeetingQuerySet, *extra: str) -> Iterator[list[dict]]:
        """The meetings' rows, CHUNK at a time, each with `features` and `languages` (in
        the catalogue's order, as the model-based lists were) and `fellow`."""
        for chunk in in_chunks(meetings.feed_rows(*extra)):
            for row in chunk:
                row["features"] = self.features(row["feature_keys"])
                row["languages"] = self.languages(row["language_keys"])
                row["fellow"] = self.fellow(row["fellowship_id"])
            yield chunk

    def fellow(self, pk: int) -> Fellow:
        if pk not in self._fellows:
            # From the catalogue; one newer than the lists this process holds is read
            # from the database, once per build.
            fellowship = (self.lists.fellowships_by_id.get(pk)
                          or Fellowship.objects.get(pk=pk))
            self._fellows[pk] = Fellow.of(fellowship)
        return self._fellows[pk]

    def url(self, row: dict) -> str:
        return f"{self.url_start}{row['slug']}{self.url_end}"

    def occurrence(self, row: dict) -> schedule.Occurrence:
        """The next occurrence, as Meeting.next_occurrence gives it: once per schedule."""
        key = (row["weekday"], row["recurrence"], row["start_time"], row["end_time"],
               row["timezone"])
        if key not in self._occurrences:
            self._occurrences[key] = schedule.next_occurrence(
                row["weekday"], row["recurrence"], row["start_time"], self.now,
                row["end_time"], schedule.zone_named(row["timezone"]),
            )
        return self._occurrences[key]

    def clock(self, time: datetime.time | None) -> str:
        """"19:30" ("" for no time): once per time of day."""
        if time not in self._clocks:
            self._clocks[time] = time.strftime("%H:%M") if time else ""
        return self._clocks[time]

    def schedule_text(self, row: dict) -> str:
        """"Every Tuesday", as Meeting.schedule_display says it: once per schedule."""
        key = (row["weekday"], row["recurrence"])
        if key not in self._schedules:
            self._schedules[key] = str(
                Meeting(weekday=row["weekday"], recurrence=row["recurrence"]).schedule_display()
            )
        return self._schedules[key]


DAY_NAMES = {day.value: day.name.lower() for day in Weekday}


def is_in_person(row: dict) -> bool:
    return row["format"] in AT_A_VENUE


def is_online(row: dict) -> bool:
    return row["format"] in JOINABLE_ONLINE


def at_venue(row: dict) -> bool:
    """Attended at a venue that it has (the model's `venue_id and is_in_person`)."""
    return row["venue_id"] is not None and row["format"] in AT_A_VENUE


def venue_address(row: dict) -> str:
    parts = [row["venue__address_line1"], row["venue__address_line2"], row["venue__town"],
             row["venue__postcode"]]
    return ", ".join(part for part in parts if part)


def feature_slugs(row: dict) -> list[str]:
    """As Meeting.feature_slugs: the access, the features, then the venue's facts."""
    slugs = [row["access"]] if row["access"] else []
    slugs += row["features"]
    if at_venue(row):
        slugs += [slug for name, slug in VENUE_FLAGS.items() if row[f"venue__{name}"]]
    return slugs


def updated(row: dict) -> str:
    """When the meeting was last changed, in UTC: "2026-03-28 12:00:00"."""
    return row["updated_text"][:19]


def is_weekly(row: dict) -> bool:
    return row["recurrence"] == Recurrence.WEEKLY
