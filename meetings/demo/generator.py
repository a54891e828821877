"""A deterministic generator of plausible demo listings at real postcodes.

The same seed gives the same listings, so screenshots, tests and benchmarks are
repeatable. Every row it makes carries source="demo", which is what turns on the
"these are sample listings" banner.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

import data_version
from groups.models import Fellowship, Group
from meetings.models import (
    Access,
    Feature,
    Format,
    Language,
    Meeting,
    Recurrence,
    Status,
    Venue,
    meeting_slug,
)

from .places import DIRECTIONS, MEETING_NAMES, SECULAR_AA_NAMES, STREETS, TOWNS, VENUE_NAMES

DEMO = Meeting.DEMO_SOURCE

# Relative weight of each fellowship in the demo: AA is by far the largest in the UK.
FELLOWSHIP_WEIGHTS = defaultdict(lambda: 1, {
    "aa": 30, "na": 12, "smart-recovery": 8, "al-anon": 6, "cocaine-anonymous": 5,
    "gamblers-anonymous": 4, "alateen": 1,
})
START_TIMES = [
    (7, 0), (7, 30), (10, 0), (10, 30), (12, 0), (12, 30), (13, 0), (14, 0), (18, 0),
    (18, 30), (19, 0), (19, 30), (19, 30), (20, 0), (20, 0), (21, 0),
]
# Features that only a twelve-step meeting can have.
TWELVE_STEP_ONLY = {"step-study", "tradition-study", "atheist-agnostic"}
FORMAT_WEIGHTS = [(Format.IN_PERSON, 65), (Format.ONLINE, 20), (Format.HYBRID, 15)]
SECOND_LANGUAGES = {"Wales": ["cy"], "Scotland": ["gd"], "England": ["pl", "pt", "ro", "es"]}


@dataclass
class DemoPostcode:
    postcode: str
    latitude: float
    longitude: float


@dataclass
class Summary:
    venues: int = 0
    meetings: int = 0
    groups: int = 0
    towns: list[str] = field(default_factory=list)


def demo_postcodes(postcode_rows) -> dict[str, list[DemoPostcode]]:
    """Group real postcodes (postcode, outward, lat, lon) by the towns that use their district."""
    town_of_district = {d: town for town, districts, _w, _n in TOWNS for d in districts}
    by_town: dict[str, list[DemoPostcode]] = defaultdict(list)
    for postcode, outward, latitude, longitude in postcode_rows:
        town = town_of_district.get(outward)
        if town:
            by_town[town].append(DemoPostcode(postcode, latitude, longitude))
    return by_town


def delete_demo() -> None:
    Meeting.objects.filter(source=DEMO).delete()
    Venue.objects.filter(source=DEMO, meetings__isnull=True).delete()
    Group.objects.filter(source=DEMO, meetings__isnull=True).delete()


@transaction.atomic
def generate(postcode_rows, *, meetings: int, venues: int, seed: int) -> Summary:
    rng = random.Random(seed)
    fellowships = list(Fellowship.objects.order_by("pk"))
    features = list(Feature.objects.order_by("position", "slug"))
    languages = {language.code: language for language in Language.objects.all()}
    by_town = demo_postcodes(postcode_rows)
    towns = [(town, weight, nation) for town, _d, weight, nation in TOWNS if by_town.get(town)]
    if not fellowships or not towns:
        raise ValueError("Load the fellowships and the postcodes before seeding demo data.")
    today = timezone.localdate()

    venue_rows = []
    for n in range(venues):
        town, _weight, nation = rng.choices(towns, weights=[w for _t, w, _n in towns])[0]
        spot = rng.choice(by_town[town])
        venue_rows.append(Venue(
            name=rng.choice(VENUE_NAMES),
            address_line1=f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
            town=town, postcode=spot.postcode, latitude=spot.latitude, longitude=spot.longitude,
            step_free=rng.random() < 0.6, hearing_loop=rng.random() < 0.2,
            accessible_toilet=rng.random() < 0.45, parking=rng.random() < 0.5,
            directions=rng.choice(DIRECTIONS), source=DEMO, source_id=f"venue-{seed}-{n}",
        ))
    created_venues = Venue.objects.bulk_create(venue_rows, batch_size=1000)
    nation_of = {town: nation for town, _w, nation in towns}

    fellowship_weights = [FELLOWSHIP_WEIGHTS[f.slug] for f in fellowships]
    groups: dict[tuple[int, str], Group] = {}
    meeting_rows, feature_links, language_codes = [], [], []
    used_slugs: set[str] = set(Meeting.objects.values_list("slug", flat=True))
    for n in range(meetings):
        # The first rows walk through every fellowship and format, so all are represented.
        if n < len(fellowships):
            fellowship = fellowships[n]
        else:
            fellowship = rng.choices(fellowships, weights=fellowship_weights)[0]
        if n < 3:
            format_ = FORMAT_WEIGHTS[n][0]
        else:
            format_ = rng.choices(*zip(*FORMAT_WEIGHTS, strict=True))[0]
        venue = rng.choice(created_venues) if format_ != Format.ONLINE else None
        town = venue.town if venue else "Online"
        hour, minute = rng.choice(START_TIMES)
        start = datetime.time(hour, minute)
        end = (datetime.datetime.combine(today, start)
               + datetime.timedelta(minutes=rng.choice([60, 60, 90, 120]))).time()
        name = rng.choice(MEETING_NAMES[fellowship.philosophy]).format(town=town)
        # Secular AA groups are AA meetings with the atheist-agnostic feature.
        secular_aa = fellowship.slug == "aa" and rng.random() < 0.08
        if secular_aa:
            name = rng.choice(SECULAR_AA_NAMES)
        weekday = rng.randrange(7)
        slug = meeting_slug(name, town, weekday, used_slugs.__contains__)
        used_slugs.add(slug)

        group = None
        if fellowship.philosophy == "twelve-step" and rng.random() < 0.4:
            key = (fellowship.pk, f"{name} Group, {town}")
            if key not in groups:
                number = 100 + len(groups) % 900
                groups[key] = Group(
                    fellowship=fellowship, name=key[1], source=DEMO,
                    email=f"{slugify(key[1])[:40]}@example.org",
                    phone=f"07700 900{number:03d}" if rng.random() < 0.5 else "",
                )
            group = groups[key]

        meeting_features = [f for f in features if rng.random() < 0.12]
        if n < len(features):
            meeting_features.append(features[n])
        if secular_aa:
            meeting_features += [f for f in features if f.slug == "atheist-agnostic"]
        if fellowship.philosophy != "twelve-step":
            # Steps, traditions and a secular twelve-step group mean nothing elsewhere.
            meeting_features = [f for f in meeting_features if f.slug not in TWELVE_STEP_ONLY]
        if fellowship.slug == "women-for-sobriety":
            meeting_features += [f for f in features if f.slug == "women"]
        if fellowship.slug == "alateen":
            meeting_features += [f for f in features if f.slug == "young-people"]
        slugs = {f.slug for f in meeting_features}
        if {"women", "men"} <= slugs:
            meeting_features = [f for f in meeting_features if f.slug != "men"]

        codes = ["en"]
        nation = nation_of.get(town)
        if rng.random() < 0.06:
            codes.append(rng.choice(SECOND_LANGUAGES.get(nation, ["pl", "es"])))
        meeting_rows.append(Meeting(
            fellowship=fellowship, group=group, name=name, slug=slug, weekday=weekday,
            recurrence=(Recurrence.WEEKLY if rng.random() < 0.93
                        else rng.choice(Recurrence.values[1:])),
            start_time=start, end_time=end, format=format_, venue=venue,
            online_url=f"https://meet.example.org/demo/{seed}-{n}" if format_ != Format.IN_PERSON
            else "",
            online_notes="Meeting ID 000 000 0000 (demo), no passcode."
            if format_ != Format.IN_PERSON else "",
            access=rng.choice([Access.OPEN, Access.OPEN, Access.CLOSED, Access.UNSPECIFIED]),
            notes=rng.choice(["", "", "Tea and coffee from 15 minutes before.",
                              "Newcomers are welcome to arrive early and have a chat.",
                              "Please use the side entrance after 6pm."]),
            status=rng.choices([Status.ACTIVE, Status.SUSPENDED], weights=[96, 4])[0],
            last_verified=(today - datetime.timedelta(days=rng.randint(0, 400))
                           if rng.random() < 0.9 else None),
            source=DEMO, source_id=f"meeting-{seed}-{n}",
        ))
        feature_links.append({f.pk for f in meeting_features})
        language_codes.append(codes)

    Group.objects.bulk_create(groups.values(), batch_size=1000)
    for meeting in meeting_rows:
        if meeting.group is not None:
            meeting.group_id = meeting.group.pk
    created = Meeting.objects.bulk_create(meeting_rows, batch_size=1000)

    Through = Meeting.features.through
    Through.objects.bulk_create(
        [Through(meeting_id=m.pk, feature_id=f)
         for m, fs in zip(created, feature_links, strict=True) for f in sorted(fs)],
        batch_size=5000,
    )
    LanguageThrough = Meeting.languages.through
    LanguageThrough.objects.bulk_create(
        [LanguageThrough(meeting_id=m.pk, language_id=languages[c].pk)
         for m, codes in zip(created, language_codes, strict=True) for c in codes
         if c in languages],
        batch_size=5000,
    )
    data_version.bump()  # bulk writes send no signal
    return Summary(venues=len(created_venues), meetings=len(created), groups=len(groups),
                   towns=sorted({v.town for v in created_venues}))

