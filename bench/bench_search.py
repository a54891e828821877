"""Search page speed: a 10-mile postcode search over 20,000 meetings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_finder_bench \\
        .venv/bin/python bench/bench_search.py

Uses its own database (the one DATABASE_URL names, emptied first; a temporary SQLite file
if none is given), never the development one. Measures, with DEBUG off as in production:

- server render time of /meetings/?near=LS6+1AA (median and 95th percentile, in-process),
  with the page cache off (PAGE_CACHE, whatever the environment says), so that each
  request builds the page, as the earlier figures in docs/benchmarks.md did; then, apart,
  the time of a kept page (the cache on, as in production);
- the page's HTML size, raw and gzipped;
- in headless Chromium (Debian's, by path), everything the page loads and the time from
  navigation to the first paint, which shows the results (they are in the HTML), with the
  page cache off too, so the browser waits for a page built for it.

Figures go in docs/benchmarks.md ("Search page"). Exits non-zero if a target is missed.
"""

import gzip
import os
import random
import statistics
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import Client, override_settings

from groups.models import Fellowship
from meetings import geo
from meetings.models import Feature, Format, Meeting, Venue
from meetings.search import run_search

MEETINGS = int(os.environ.get("BENCH_MEETINGS", "20000"))
URL = "/meetings/?near=LS6+1AA&within=10"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# (town, latitude, longitude, weight): meetings cluster where people live.
TOWNS = [
    ("London", 51.507, -0.128, 30), ("Birmingham", 52.486, -1.890, 8),
    ("Manchester", 53.480, -2.243, 8), ("Leeds", 53.800, -1.549, 6),
    ("Glasgow", 55.864, -4.252, 6), ("Liverpool", 53.408, -2.991, 5),
    ("Bristol", 51.455, -2.588, 5), ("Sheffield", 53.381, -1.470, 5),
    ("Edinburgh", 55.953, -3.188, 5), ("Cardiff", 51.481, -3.179, 4),
    ("Newcastle", 54.978, -1.617, 4), ("Nottingham", 52.954, -1.158, 4),
    ("Leicester", 52.637, -1.139, 3), ("Brighton", 50.822, -0.137, 3),
    ("Bradford", 53.796, -1.759, 3), ("Hull", 53.745, -0.336, 3), ("York", 53.960, -1.087, 2),
    ("Norwich", 52.630, 1.297, 2), ("Plymouth", 50.376, -4.143, 2),
    ("Swansea", 51.621, -3.944, 2), ("Aberdeen", 57.150, -2.094, 2),
    ("Exeter", 50.718, -3.534, 2), ("Inverness", 57.478, -4.225, 1),
]


def build(count: int, seed: int = 4) -> None:
    rng = random.Random(seed)
    fellowships = list(Fellowship.objects.all())
    features = list(Feature.objects.all())
    names, weights = [t[:3] for t in TOWNS], [t[3] for t in TOWNS]
    venues = []
    for n in range(count * 2 // 5):
        town, lat, lon = rng.choices(names, weights)[0]
        venues.append(Venue(
            name=f"Community Hall {n}", address_line1=f"{n % 300 + 1} High Street", town=town,
            latitude=lat + rng.gauss(0, 0.12), longitude=lon + rng.gauss(0, 0.18),
            step_free=rng.random() < 0.6, hearing_loop=rng.random() < 0.2,
        ))
    venues = Venue.objects.bulk_create(venues, batch_size=2000)
    meetings = []
    for n in range(count):
        fmt = rng.choices([Format.IN_PERSON, Format.ONLINE, Format.HYBRID], [70, 15, 15])[0]
        venue = None if fmt == Format.ONLINE else rng.choice(venues)
        town = venue.town if venue else "online"
        meetings.append(Meeting(
            name=f"{town} {['Serenity', 'Hope', 'Fresh Start', 'Step by Step'][n % 4]} {n}",
            slug=f"bench-meeting-{n}", fellowship=rng.choice(fellowships), venue=venue,
            weekday=rng.randint(0, 6),
            start_time=f"{rng.randint(7, 21):02d}:{rng.choice(['00', '30'])}",
            end_time="22:30", format=fmt, access=rng.choice(["", "open", "closed"]),
            online_url="" if fmt == Format.IN_PERSON else f"https://meet.example/{n}",
            source="bench", source_id=str(n),
        ))
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    through = Meeting.features.through
    through.objects.bulk_create(
        [through(meeting_id=m.pk, feature_id=f.pk)
         for m in meetings for f in rng.sample(features, 2)],
        batch_size=5000,
    )


def install_resolver() -> str:
    if hasattr(geo, "resolve_location"):
        call_command("load_postcodes", areas="LS", verbosity=0)
        return "meetings.geo.resolve_location over Code-Point Open (LS area loaded)"
    from tests.fake_geo import LocationError, resolve_location

    geo.resolve_location, geo.LocationError = resolve_location, LocationError
    return "stand-in resolver (meetings.geo.resolve_location not yet available)"


def server_times(client: Client, runs: int = 60) -> list[float]:
    for _ in range(5):
        client.get(URL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(URL)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


PAINTED = "() => performance.getEntriesByName('first-contentful-paint').length > 0"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def browser_figures(runs: int = 10) -> dict:
    from django.core.wsgi import get_wsgi_application
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    figures_js = """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const resources = performance.getEntriesByType('resource');
        const first = document.querySelector('.result').getBoundingClientRect();
        return {
            fcp: paint ? paint.startTime : null,
            response: nav.responseEnd,
            bytes: nav.encodedBodySize + resources.reduce((sum, r) => sum + r.encodedBodySize, 0),
            requests: 1 + resources.length,
            resultInView: first.top < window.innerHeight,
        };
    }"""
    cold, warm, transfers, requests = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        # Cold: a new browser profile each time, so the stylesheet is fetched too.
        for run in range(runs + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base + URL, wait_until="load")
            page.wait_for_function(PAINTED)
            figures = page.evaluate(figures_js)
            assert figures["resultInView"], "the first result is below the fold"
            if run:  # the first load warms the server and the static file cache
                cold.append(figures["fcp"])
                transfers.append(figures["bytes"])
                requests.append(figures["requests"])
            context.close()
        # Warm: one tab doing search after search, the stylesheet already cached.
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for run in range(runs + 1):
            page.goto(base + URL + f"&run={run}", wait_until="load")
            page.wait_for_function(PAINTED)
            if run:
                warm.append(page.evaluate(figures_js)["fcp"])
        context.close()
        browser.close()
    server.shutdown()
    return {"fcp": statistics.median(cold), "warm_fcp": statistics.median(warm),
            "bytes": max(transfers), "requests": max(requests)}


if __name__ == "__main__":
    if "postgres" in os.environ["DATABASE_URL"]:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # puts back the features the flush removed
    from importlib import import_module

    from django.apps import apps

    import_module("meetings.migrations.0002_features_and_languages").add(apps, None)
    call_command("loaddata", "fellowships", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print("Machine:", _django.machine_reference())
    started = time.perf_counter()
    build(MEETINGS)
    print(f"Built {Meeting.objects.count()} meetings at {Venue.objects.count()} venues "
          f"in {time.perf_counter() - started:.1f} s on {connection.vendor}")
    print("Places:", install_resolver())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load

    client = Client(HTTP_HOST="localhost")
    found_count = run_search(QueryDict(URL.split("?", 1)[1])).meetings.count()
    # A kept page: the first request builds it, the rest (within the minute its key
    # names, bar one rebuild if a minute turns) are served from the cache.
    with override_settings(PAGE_CACHE=True):
        kept = statistics.median(server_times(client))
    # Everything else measures the page built for each request.
    no_cache = override_settings(PAGE_CACHE=False)
    no_cache.enable()
    html = client.get(URL).content
    times = server_times(client)
    median, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
    zipped = len(gzip.compress(html, 6))
    print(f"{URL}: {found_count} meetings within 10 miles")
    print(f"server render (page cache off): median {median:.1f} ms, "
          f"95th percentile {p95:.1f} ms; a kept page: median {kept:.1f} ms")
    print(f"HTML: {len(html) / 1024:.1f} KB, gzipped {zipped / 1024:.1f} KB")
    browser = browser_figures()
    print(f"browser: everything loaded {browser['bytes'] / 1024:.1f} KB in "
          f"{browser['requests']} requests; first paint with results {browser['fcp']:.0f} ms "
          f"in a fresh profile, {browser['warm_fcp']:.0f} ms in a tab already open")
    failures = [
        name for name, ok in [
            ("median render < 25 ms", median < 25),
            ("HTML < 60 KB", len(html) < 60 * 1024),
            ("gzipped HTML < 12 KB", zipped < 12 * 1024),
            ("page total < 100 KB", browser["bytes"] < 100 * 1024),
            ("results on screen < 150 ms", browser["warm_fcp"] < 150),
        ] if not ok
    ]
    print("All targets met." if not failures else f"MISSED: {', '.join(failures)}")
    sys.exit(1 if failures else 0)
