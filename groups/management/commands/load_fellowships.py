from django.core.management import call_command
from django.core.management.base import BaseCommand

from groups.models import Fellowship


class Command(BaseCommand):
    help = "Load the real UK fellowships from fixtures/fellowships.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing if any fellowship exists, so staff edits are never overwritten.",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and Fellowship.objects.exists():
            self.stdout.write("Fellowships already present: left as they are.")
            return
        call_command("loaddata", "fellowships", verbosity=0)
        self.stdout.write(f"Loaded {Fellowship.objects.count()} fellowships.")
