"""Bring meetings in from other tools: Meeting Guide JSON and the 12 Step Meeting List CSV.

    report = run_import(data, fmt="meeting-guide", source="sussexaa.org", fellowship=aa)

One transaction: on a dry run, or when a row could not be understood (unless partial
imports are allowed), everything is rolled back and only the report remains.
"""

import http.client
import urllib.error
import urllib.request
from pathlib import Path

from django.db import transaction

from groups.models import Fellowship
from meetings import catalogue
from meetings.models import Language
from meetings.planner import refresh_statistics

from .meeting_guide import FeedError, read_feed
from .report import ImportReport, Problem
from .tsml_csv import read_csv
from .upsert import Writer

FORMATS = {"meeting-guide": read_feed, "csv": read_csv}
MAX_DOWNLOAD = 50 * 1024 * 1024

__all__ = ["FORMATS", "FeedError", "ImportReport", "Problem", "read_source", "run_import"]


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "recovery-finder"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                data = response.read(MAX_DOWNLOAD + 1)
        except urllib.error.HTTPError as error:
            raise FeedError(f"Cannot fetch {source}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            reason = getattr(error.reason, "strerror", None) or error.reason
            raise FeedError(f"Cannot fetch {source}: {reason}") from None
        except (OSError, http.client.HTTPException) as error:  # timed out, cut off mid-read
            raise FeedError(f"Cannot fetch {source}: {error or type(error).__name__}") from None
        if len(data) > MAX_DOWNLOAD:
            raise FeedError("The source is larger than 50 MB.")
        return data
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise FeedError(f"Cannot read {source}: {error.strerror}") from None


def run_import(
    data: bytes,
    *,
    fmt: str,
    source: str,
    fellowship: Fellowship | None = None,
    dry_run: bool = False,
    allow_partial: bool = False,
    timezone: str = "Europe/London",
    overwrite_edits: bool = False,
) -> ImportReport:
    report = ImportReport(source=source, format=fmt, dry_run=dry_run, allow_partial=allow_partial)
    known_languages = set(Language.objects.values_list("code", flat=True))
    records = FORMATS[fmt](data, report, timezone, known_languages)
    if fellowship is None:
        known = set(Fellowship.objects.values_list("slug", flat=True))
        unnamed = sum(1 for record in records if record.fellowship not in known)
        if unnamed:
            raise FeedError(
                f"{unnamed} meetings in this source do not name a fellowship we know: "
                "say which fellowship they belong to (--fellowship SLUG)."
            )
    with transaction.atomic():
        Writer(report, source, fellowship, overwrite_edits).write(records, report.failed_source_ids)
        if dry_run or report.blocked:
            transaction.set_rollback(True)
        else:
            report.written = True
    if report.written:
        refresh_statistics()
        catalogue.forget()  # a source may bring or drop the demo listings
    return report
