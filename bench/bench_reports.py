"""Staff pages at scale: the report queue, a review page and the admin home (with its
stale-listing counts) over 20,000 meetings and 2,000 reports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_finder_bench \\
        .venv/bin/python bench/bench_reports.py

Uses its own database (the one DATABASE_URL names, emptied first; a temporary SQLite file
if none is given), never the development one. Server render times, in-process, DEBUG off.
Figures go in docs/benchmarks.md ("Staff pages").
"""

import datetime
import os
import random
import statistics
import time

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)
from bench_search import MEETINGS, build
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting
from reports.models import Kind, Report

REPORTS = int(os.environ.get("BENCH_REPORTS", "2000"))


def add_reports_and_checks(count: int, seed: int = 12) -> None:
    rng = random.Random(seed)
    ids = list(Meeting.objects.values_list("pk", flat=True))
    now, today = timezone.now(), timezone.localdate()
    Report.objects.bulk_create([
        Report(meeting_id=rng.choice(ids), kind=rng.choice(Kind.values),
               details="Now meets on Thursdays at 7pm", created=now - datetime.timedelta(
                   minutes=rng.randint(0, 60 * 24 * 90)))
        for _ in range(count)
    ], batch_size=2000)
    # Check dates spread over three years, a fifth never checked.
    for start in range(0, len(ids), 2000):
        batch = ids[start:start + 2000]
        for pk in batch:
            if rng.random() > 0.2:
                Meeting.objects.filter(pk=pk).update(
                    last_verified=today - datetime.timedelta(days=rng.randint(0, 1100)))


def times_of(client: Client, url: str, runs: int = 30) -> tuple[float, float, int]:
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), len(response.content)


if __name__ == "__main__":
    if "postgres" in os.environ["DATABASE_URL"]:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from importlib import import_module

    from django.apps import apps

    import_module("meetings.migrations.0002_features_and_languages").add(apps, None)
    call_command("loaddata", "fellowships", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print("Machine:", _django.machine_reference())
    build(MEETINGS)
    add_reports_and_checks(REPORTS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{Meeting.objects.count()} meetings, {Report.objects.count()} reports "
          f"on {connection.vendor}")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.create_superuser("bench", "b@example.org", "x"))
    report = Report.objects.order_by("-created").first()
    for label, url in [
        ("report queue", "/admin/reports/report/"),
        ("queue, new only", "/admin/reports/report/?status__exact=new"),
        ("review page", f"/admin/reports/report/{report.pk}/change/"),
        ("admin home (stale counts)", "/admin/"),
        ("meetings not checked for 6 months", "/admin/meetings/meeting/?unchecked=6m"),
    ]:
        median, worst, size = times_of(client, url)
        print(f"{label}: median {median:.1f} ms, slowest {worst:.1f} ms, {size / 1024:.0f} KB")
