import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from groups.models import Fellowship
from staff import history

FIXTURE = "fellowships.json"


def fixture_rows() -> dict[str, dict]:
    """The fixture's fellowships by slug, as field values (its primary keys are ignored:
    a database staff have added to may already use them)."""
    for folder in settings.FIXTURE_DIRS:
        path = folder / FIXTURE
        if path.exists():
            break
    else:
        raise CommandError(f"No {FIXTURE} in {', '.join(map(str, settings.FIXTURE_DIRS))}.")
    rows = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        fields = dict(entry["fields"])
        if fields.get("helpline_checked"):
            fields["helpline_checked"] = datetime.date.fromisoformat(fields["helpline_checked"])
        rows[fields["slug"]] = fields
    return rows


class Command(BaseCommand):
    help = (
        "Add the real UK fellowships in fixtures/fellowships.json that the database lacks "
        "(matched by slug). Fellowships already present are left as staff made them unless "
        "named with --update."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing at all if any fellowship exists.",
        )
        parser.add_argument(
            "--update", nargs="*", metavar="SLUG",
            help="Also overwrite these fellowships (all of them if no slug is given) with "
                 "the fixture's values, replacing what staff changed.",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Say what would be added and changed, and write nothing.",
        )

    def handle(self, *args, if_empty, update, dry_run, **options):
        if if_empty and Fellowship.objects.exists():
            self.stdout.write("Fellowships already present: left as they are.")
            return
        rows = fixture_rows()
        to_update = set(rows) if update == [] else set(update or [])
        unknown = sorted(to_update - set(rows))
        if unknown:
            raise CommandError(
                f"Not in {FIXTURE}: {', '.join(unknown)}. Its slugs: {', '.join(sorted(rows))}."
            )
        existing = {f.slug: f for f in Fellowship.objects.filter(slug__in=rows)}
        added, changed, skipped = [], [], []
        with transaction.atomic():
            for slug, fields in rows.items():
                fellowship = existing.get(slug)
                if fellowship is None:
                    clash = Fellowship.objects.filter(name=fields["name"]).first()
                    if clash:
                        skipped.append(f"{slug} (“{clash.name}” is already here as {clash.slug})")
                        continue
                    fellowship = Fellowship(**fields)
                    added.append(slug)
                elif slug in to_update:
                    differ = [k for k, v in fields.items() if getattr(fellowship, k) != v]
                    if not differ:
                        continue
                    for key in differ:
                        setattr(fellowship, key, fields[key])
                    changed.append(f"{slug} ({', '.join(differ)})")
                else:
                    continue
                try:
                    fellowship.full_clean()
                except ValidationError as error:
                    raise CommandError(f"{slug} in {FIXTURE}: {error.messages}") from None
                if not dry_run:
                    fellowship._change_reason = history.command("load_fellowships")
                    fellowship.save()
            if dry_run:
                transaction.set_rollback(True)
        if options["verbosity"] or dry_run or skipped:
            self.report(added, changed, skipped, dry_run)

    def report(self, added, changed, skipped, dry_run):
        prefix = "Would add" if dry_run else "Added"
        listed = f": {', '.join(added)}." if added else "."
        self.stdout.write(f"{prefix} {len(added)} fellowships{listed}")
        if changed:
            verb = "Would update" if dry_run else "Updated"
            self.stdout.write(f"{verb} {len(changed)}: {'; '.join(changed)}.")
        if skipped:
            self.stdout.write(f"Left out {len(skipped)}: {'; '.join(skipped)}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
