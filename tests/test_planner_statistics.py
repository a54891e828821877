"""After a bulk write, `load_postcodes`, `seed_demo` and `import_meetings` gather the query
planner's statistics on the tables they filled (ANALYZE), so a new deployment's first
searches are planned from real numbers rather than waiting for autovacuum (issue 14).

On PostgreSQL the proof is the table's analyze count and its row estimate (pg_class
.reltuples, -1 until the table is first analyzed); on SQLite, the sqlite_stat1 rows, whose
first number is the table's row count."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from groups.models import Group
from meetings.models import Meeting, Place, Postcode, PostcodePrefix, Venue

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def analyzed(model) -> tuple[int, float]:
    """(how many times the table was analyzed, the row count the planner believes)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # statistics read afresh
            cursor.execute(
                "SELECT s.analyze_count, c.reltuples FROM pg_stat_user_tables s"
                " JOIN pg_class c ON c.oid = s.relid WHERE s.relname = %s", [table])
            return cursor.fetchone()
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():  # made by the first ANALYZE
            return 0, -1
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        rows = cursor.fetchall()
        return len(rows), float(rows[0][0].split()[0]) if rows else -1


def forget_statistics(models) -> dict:
    """What each table's statistics say now; on SQLite, drop them first, so that only
    an ANALYZE run after this can put them back."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.executemany("DELETE FROM sqlite_stat1 WHERE tbl = %s",
                                   [[model._meta.db_table] for model in models])
    return {model: analyzed(model) for model in models}


def assert_analyzed_since(before: dict) -> None:
    for model, (count_before, _rows) in before.items():
        count, believed = analyzed(model)
        actual = model.objects.count()
        assert count > count_before, f"{model._meta.db_table} was not analyzed"
        # ANALYZE samples large tables (30,000 rows on PostgreSQL): an estimate, but close.
        assert believed == pytest.approx(actual, rel=0.05), model._meta.db_table


def test_load_postcodes_analyzes_the_postcode_district_and_place_tables():
    before = forget_statistics([Postcode, PostcodePrefix, Place])
    call_command("load_postcodes", areas="ZE,KW", verbosity=0)
    assert Postcode.objects.filter(outward__startswith="ZE").exists()
    assert_analyzed_since(before)


def test_seed_demo_analyzes_the_listing_tables():
    call_command("load_postcodes", areas="LS", verbosity=0)
    tables = [Meeting, Venue, Group, Meeting.features.through, Meeting.languages.through]
    before = forget_statistics(tables)
    call_command("seed_demo", meetings=120, venues=40, seed=3, verbosity=0)
    assert Meeting.objects.count() == 120
    assert_analyzed_since(before)


def test_import_meetings_analyzes_the_listing_tables(fellowships):
    tables = [Meeting, Venue, Meeting.features.through]
    before = forget_statistics(tables)
    call_command("import_meetings", str(DATA / "meeting-guide-small.json"),
                 "--fellowship", "aa", stdout=StringIO())
    assert Meeting.objects.exists()
    assert_analyzed_since(before)


def test_a_dry_run_import_writes_nothing_and_analyzes_nothing(fellowships):
    before = forget_statistics([Meeting])
    call_command("import_meetings", str(DATA / "meeting-guide-small.json"),
                 "--fellowship", "aa", "--dry-run", stdout=StringIO())
    assert not Meeting.objects.exists()
    assert analyzed(Meeting)[0] == before[Meeting][0]
