"""Bring meetings in from other tools: Meeting Guide JSON and the 12 Step Meeting List CSV.

    report = run_import(data, fmt="meeting-guide", source="sussexaa.org", fellowship=aa)

One transaction: on a dry run, or when a row could not be understood (unless partial
imports are allowed), everything is rolled back and only the report remains.
"""

import http.client
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

import data_version
from groups.models import Fellowship
from meetings import catalogue
from meetings.models import Language
from meetings.planner import LISTING_MODELS, refresh_statistics
from meetings.validators import time_zone_names
from staff.scopes import EVERYTHING, Scope

from .meeting_guide import FeedError, ItemReader, read_feed
from .places import check_coordinates_against_postcodes
from .report import COMMAND_WORDING, ImportReport, Problem, Wording
from .tsml_csv import read_csv
from .upsert import Writer

FORMATS = {"meeting-guide": read_feed, "csv": read_csv}

__all__ = ["COMMAND_WORDING", "FORMATS", "FeedError", "ImportReport", "Problem", "Wording",
           "read_source", "run_import", "too_large"]


def too_large() -> FeedError:
    return FeedError(_("The file is larger than %(limit)s, more than any feed needs.") % {
        "limit": filesizeformat(settings.IMPORT_MAX_BYTES)})


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "recovery-finder"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                data = response.read(settings.IMPORT_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise FeedError(f"Cannot fetch {source}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            reason = getattr(error.reason, "strerror", None) or error.reason
            raise FeedError(f"Cannot fetch {source}: {reason}") from None
        except (OSError, http.client.HTTPException) as error:  # timed out, cut off mid-read
            raise FeedError(f"Cannot fetch {source}: {error or type(error).__name__}") from None
        if len(data) > settings.IMPORT_MAX_BYTES:
            raise too_large()
        return data
    try:
        if Path(source).stat().st_size > settings.IMPORT_MAX_BYTES:
            raise too_large()
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
    timezone: str | None = None,
    overwrite_edits: bool = False,
    include_outside_uk: bool = False,
    wording: Wording = COMMAND_WORDING,
    scope: Scope = EVERYTHING,
) -> ImportReport:
    """`timezone`: the zone of the source's times where a meeting gives none; None when
    the source does not say, so that each meeting's place decides (docs/importing.md).
    `scope`: the listings a volunteer may write (staff.scopes); others are refused."""
    if timezone is not None and timezone not in time_zone_names():
        raise FeedError(_("“%(zone)s” is not a time zone name such as Europe/London or "
                          "America/New_York.") % {"zone": timezone[:80]})
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise too_large()
    report = ImportReport(source=source, format=fmt, dry_run=dry_run, allow_partial=allow_partial,
                          wording=wording)
    known_languages = set(Language.objects.values_list("code", flat=True))
    reader = ItemReader(report, known_languages, time_zone=timezone,
                        include_outside_uk=include_outside_uk)
    records = FORMATS[fmt](data, reader)
    if fellowship is None:
        known = set(Fellowship.objects.values_list("slug", flat=True))
        unnamed = sum(1 for record in records if record.fellowship not in known)
        if unnamed:
            raise FeedError(_(
                "%(n)d meetings in this source do not name a fellowship we know: "
                "%(hint)s.") % {"n": unnamed, "hint": wording.choose_fellowship})
    check_coordinates_against_postcodes(records, report)
    with transaction.atomic():
        Writer(report, source, fellowship, overwrite_edits, scope).write(
            records, report.failed_source_ids)
        if dry_run or report.blocked:
            transaction.set_rollback(True)
        else:
            report.written = True
            data_version.bump()  # bulk writes send no signal
    if report.written:
        refresh_statistics(LISTING_MODELS)
        catalogue.forget()  # a source may bring or drop the demo listings
    return report
