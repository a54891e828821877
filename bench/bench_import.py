"""Import speed: a 20,000-meeting Meeting Guide feed, first time and again unchanged.

    .venv/bin/python bench/bench_import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_import.py

Uses its own database (a temporary SQLite file, or the one DATABASE_URL names, which it
empties first), never the development one. Runs with DEBUG off as in production
(bench/_django.py). Figures go in docs/benchmarks.md.
"""

import json
import os
import random
import sys
import time

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)
from django.core.management import call_command
from django.db import connection

from meetings.importers import run_import
from meetings.models import Meeting, Venue

MEETINGS = int(os.environ.get("BENCH_MEETINGS", "20000"))
TYPES = ["O", "C", "BE", "W", "M", "D", "SP", "ST", "LIT", "MED", "X", "XB", "EN", "POL", "B"]
TOWNS = ["Leeds", "York", "Hull", "Bradford", "Sheffield", "Wakefield", "Harrogate", "Halifax"]


def synthetic_feed(count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    venues = [
        (f"{n} {rng.choice(['High St', 'Church Rd', 'Mill Lane', 'Station Rd'])}",
         rng.choice(TOWNS), f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}AB",
         53.0 + rng.random(), -2.0 + rng.random())
        for n in range(count // 2)
    ]
    items = []
    for n in range(count):
        street, town, postcode, lat, lon = rng.choice(venues)
        online = rng.random() < 0.3
        item = {
            "name": f"Meeting {n}", "slug": f"meeting-{n}", "day": rng.randint(0, 6),
            "time": f"{rng.randint(6, 21):02d}:{rng.choice(['00', '30'])}",
            "end_time": "22:00", "types": rng.sample(TYPES, 4) + (["ONL"] if online else []),
            "location": f"Hall {n % 500}", "formatted_address": f"{street}, {town} {postcode}, UK",
            "approximate": "no", "latitude": lat, "longitude": lon,
            "notes": "Tea from 7pm", "group": f"Group {n % 3000}",
        }
        if online:
            item["conference_url"] = f"https://zoom.example/j/{n}"
        items.append(item)
    return items


def timed(label: str, data: bytes) -> float:
    start = time.perf_counter()
    report = run_import(data, fmt="meeting-guide", source="bench", fellowship=aa)
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.1f} s  ({len(report.created)} new, {len(report.updated)} "
          f"changed, {report.unchanged} unchanged, {len(report.closed)} closed, "
          f"{len(report.errors)} errors)")
    return seconds


if __name__ == "__main__":
    call_command("flush", interactive=False, verbosity=0) if "postgres" in os.environ[
        "DATABASE_URL"] else None
    call_command("migrate", verbosity=0)
    call_command("loaddata", "fellowships", verbosity=0)
    from groups.models import Fellowship

    aa = Fellowship.objects.get(slug="aa")
    items = synthetic_feed(MEETINGS)
    data = json.dumps(items).encode()
    print(f"Database: {connection.vendor}; feed: {MEETINGS} meetings, "
          f"{len(data) / 1e6:.1f} MB")
    first = timed("First import", data)
    again = timed("Re-import, unchanged", data)
    for item in items[::20]:
        item["time"] = "06:15"
    changed = timed("Re-import, 5% changed", json.dumps(items).encode())
    print(f"Rows: {Meeting.objects.count()} meetings, {Venue.objects.count()} venues")
    ok = first < 60 and again < 20
    print("Targets (first < 60 s, unchanged < 20 s):", "met" if ok else "NOT MET")
    sys.exit(0 if ok else 1)
