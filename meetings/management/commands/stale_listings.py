import csv

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from groups.models import Fellowship
from meetings.models import Meeting
from meetings.stale import months_before

COLUMNS = ["fellowship", "meeting", "day", "time", "where", "postcode", "status",
           "last_checked", "admin_url", "page_url"]


class Command(BaseCommand):
    help = ("List the listed meetings not checked for a number of months (or never), "
            "the oldest first: the list an intergroup secretary works through.")

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=6,
                            help="Not checked for over this many months (default 6).")
        parser.add_argument("--fellowship", action="append", default=[], metavar="SLUG",
                            help="Only this fellowship's meetings (may be repeated).")
        parser.add_argument("--csv", action="store_true", dest="as_csv",
                            help="Write CSV (for a spreadsheet) instead of a plain list.")
        parser.add_argument("--base-url", default="", metavar="URL",
                            help="Put this in front of the links, e.g. https://example.org")

    def handle(self, *args, months, fellowship, as_csv, base_url, **options):
        if months < 1:
            raise CommandError("--months must be 1 or more.")
        slugs = sorted(set(fellowship))
        known = set(Fellowship.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if unknown := [slug for slug in slugs if slug not in known]:
            raise CommandError(
                f"No fellowship with the slug {', '.join(unknown)}. The slugs are: "
                + ", ".join(Fellowship.objects.values_list("slug", flat=True))
            )
        since = months_before(timezone.localdate(), months)
        meetings = Meeting.objects.listed().stale(since).select_related("fellowship", "venue")
        if slugs:
            meetings = meetings.of_fellowships(slugs)
        meetings = meetings.order_by(F("last_verified").asc(nulls_first=True),
                                     "fellowship__name", "name", "pk")
        rows = (self.row(meeting, base_url.rstrip("/")) for meeting in
                meetings.iterator(chunk_size=2000))
        count = never = 0
        if as_csv:
            writer = csv.writer(Unended(self.stdout))
            writer.writerow(COLUMNS)
        for row in rows:
            count += 1
            never += row["last_checked"] == ""
            if as_csv:
                writer.writerow([row[column] for column in COLUMNS])
            else:
                self.stdout.write(
                    f"{row['last_checked'] or 'never':<10}  {row['fellowship']}: "
                    f"{row['meeting']}, {row['day']} {row['time']}, {row['where']}  "
                    f"{row['admin_url']}"
                )
        summary = (f"{count} listed meeting{'s' if count != 1 else ''} not checked since "
                   f"{since:%-d %B %Y} ({never} never checked).")
        # With --csv the summary goes to stderr, so stdout is the file and nothing else.
        (self.stderr if as_csv else self.stdout).write(summary)

    @staticmethod
    def row(meeting: Meeting, base_url: str) -> dict:
        venue = meeting.venue if meeting.venue_id and meeting.is_in_person else None
        return {
            "fellowship": meeting.fellowship.name,
            "meeting": meeting.name,
            "day": meeting.schedule_display(),
            "time": meeting.start_time.strftime("%H:%M"),
            "where": f"{venue.name}, {venue.town}" if venue else "Online",
            "postcode": venue.postcode if venue else "",
            "status": meeting.get_status_display(),
            "last_checked": meeting.last_verified.isoformat() if meeting.last_verified else "",
            "admin_url": base_url + reverse("admin:meetings_meeting_change", args=[meeting.pk]),
            "page_url": base_url + meeting.get_absolute_url(),
        }


class Unended:
    """The command's output for the csv module, which ends its rows itself (the
    command's write would add a second line ending)."""

    def __init__(self, output):
        self.output = output

    def write(self, text: str) -> None:
        self.output.write(text, ending="")
