from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from groups.models import Fellowship
from staff import history


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
        existing = set(Fellowship.objects.values_list("pk", flat=True))
        with transaction.atomic():
            call_command("loaddata", "fellowships", verbosity=0)
            # loaddata saves raw, with no history: record what it wrote.
            loaded = list(Fellowship.objects.all())
            reason = history.command("load_fellowships")
            history.record([f for f in loaded if f.pk not in existing], reason=reason,
                           created=True)
            history.record([f for f in loaded if f.pk in existing], reason=reason)
        self.stdout.write(f"Loaded {Fellowship.objects.count()} fellowships.")
