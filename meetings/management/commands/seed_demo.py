from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from meetings import catalogue
from meetings.demo import generator
from meetings.demo.places import TOWNS
from meetings.models import Meeting, Postcode
from meetings.planner import LISTING_MODELS, refresh_statistics


class Command(BaseCommand):
    help = "Create deterministic demo meetings at real postcodes (marked as sample listings)."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=300)
        parser.add_argument("--venues", type=int, default=120)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--replace", action="store_true",
                            help="Delete earlier demo listings first.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if any meeting exists (used by `make run`).")

    def handle(self, *args, meetings, venues, seed, replace, if_empty, **options):
        if if_empty and Meeting.objects.exists():
            self.stdout.write("Meetings already present: demo data not added.")
            return
        if meetings < 1 or venues < 1:
            raise CommandError("--meetings and --venues must be at least 1.")
        # Adds any fellowship the database lacks (matched by slug), so every one shipped
        # has sample meetings; leaves the others as staff left them.
        call_command("load_fellowships", verbosity=0)
        districts = [d for _town, ds, _w, _n in TOWNS for d in ds]
        rows = (Postcode.objects.filter(outward__in=districts).order_by("postcode")
                .values_list("postcode", "outward", "latitude", "longitude"))
        if replace:
            generator.delete_demo()
        try:
            summary = generator.generate(rows, meetings=meetings, venues=venues, seed=seed)
        except ValueError as error:
            raise CommandError(f"{error} (run `manage.py load_postcodes` first)") from None
        refresh_statistics(LISTING_MODELS)
        catalogue.forget()  # pages now say this is sample data
        self.stdout.write(self.style.SUCCESS(
            f"Created {summary.meetings} demo meetings at {summary.venues} venues in "
            f"{len(summary.towns)} towns, with {summary.groups} groups (seed {seed})."
        ))
