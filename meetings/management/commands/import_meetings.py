from django.core.management.base import BaseCommand, CommandError

from groups.models import Fellowship
from meetings.importers import FORMATS, FeedError, read_source, run_import


class Command(BaseCommand):
    help = (
        "Import meetings from a Meeting Guide JSON feed or a 12 Step Meeting List CSV (a file "
        "or a URL). Meetings are matched by source and slug: a second import of the same feed "
        "changes nothing, and meetings missing from the feed are marked closed. Fields staff "
        "edited since the last import are kept (and reported) unless --overwrite-edits. "
        "In-person and hybrid meetings outside the UK are left out unless "
        "--include-outside-uk. One transaction: any row that cannot be understood stops the "
        "whole import."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a file path, or an http(s) URL")
        parser.add_argument("--format", choices=sorted(FORMATS), default="meeting-guide")
        parser.add_argument(
            "--fellowship", help="fellowship slug for meetings whose item does not name one"
        )
        parser.add_argument(
            "--source-name",
            help="what to record as the meetings' source (default: the file name or URL); "
            "keep it the same for every import of one feed",
        )
        parser.add_argument(
            "--timezone",
            help="time zone of the feed's times where a meeting gives none (default: "
            "Europe/London for meetings in the UK, the zone of their coordinates for "
            "meetings elsewhere)",
        )
        parser.add_argument(
            "--include-outside-uk", action="store_true",
            help="import in-person and hybrid meetings outside the UK too (online meetings "
            "are always imported)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
        parser.add_argument(
            "--allow-partial", action="store_true",
            help="import the rows that were understood even if others were not",
        )
        parser.add_argument(
            "--overwrite-edits", action="store_true",
            help="where staff edited a field that the source has changed since the last "
            "import, take the source's value (default: keep the staff edit and report it)",
        )

    def handle(self, *args, source, format, fellowship, source_name, timezone, dry_run,
               allow_partial, overwrite_edits, include_outside_uk, **options):
        chosen = None
        if fellowship:
            chosen = Fellowship.objects.filter(slug=fellowship).first()
            if chosen is None:
                slugs = ", ".join(Fellowship.objects.values_list("slug", flat=True))
                raise CommandError(f"No fellowship {fellowship!r}. Choose one of: {slugs}")
        try:
            data = read_source(source)
            report = run_import(
                data, fmt=format, source=source_name or default_source_name(source),
                fellowship=chosen, dry_run=dry_run, allow_partial=allow_partial,
                timezone=timezone, overwrite_edits=overwrite_edits,
                include_outside_uk=include_outside_uk,
            )
        except FeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(report.as_text())
        if report.blocked:
            raise CommandError(f"{len(report.errors)} rows could not be understood.")


def default_source_name(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return source[:100]
    return source.replace("\\", "/").rsplit("/", 1)[-1][:100]
