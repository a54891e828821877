"""Read the 12 Step Meeting List's CSV layout (its import template) into records.

Each row is turned into a Meeting Guide item and read by the same code as a JSON feed,
so both formats obey the same rules.
"""

import csv
import io

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .meeting_guide import FeedError, ItemReader
from .records import ImportedMeeting

DAY_NAMES = {name: number for number, name in enumerate(
    ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"])}
COLUMNS = {
    "time": "time", "end time": "end_time", "name": "name", "location": "location",
    "address": "formatted_address", "region": "region", "sub region": "sub_region",
    "notes": "notes", "location notes": "location_notes", "timezone": "timezone",
    "group": "group", "group notes": "group_notes", "conference url": "conference_url",
    "conference url notes": "conference_url_notes", "conference phone": "conference_phone",
    "conference phone notes": "conference_phone_notes", "slug": "slug",
}
REQUIRED = {"time", "day", "name"}


def _day(value: str):
    names = [part.strip().lower() for part in value.split(",") if part.strip()]
    if not names:
        return None
    days = [DAY_NAMES.get(name, name) for name in names]
    return days if len(days) > 1 else days[0]


def read_csv(data: bytes, reader: ItemReader) -> list[ImportedMeeting]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Excel on Windows saves "CSV" in this
        except UnicodeDecodeError:
            raise FeedError(_("Not a 12 Step Meeting List CSV: the file is neither UTF-8 nor "
                              "Windows text.")) from None
    rows = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(rows, reader)
    except csv.Error as error:  # a field of over 128 KB, a quote left open at the end
        raise FeedError(_("Not a readable CSV file (after line %(line)d: %(error)s).") % {
            "line": rows.line_num, "error": error}) from None


def _read_rows(rows: csv.DictReader, reader: ItemReader) -> list[ImportedMeeting]:
    headers = {(name or "").strip().lower() for name in rows.fieldnames or []}
    missing = REQUIRED - headers
    if missing:
        raise FeedError(
            _("Not a 12 Step Meeting List CSV: missing column(s) %(columns)s") % {
                "columns": ", ".join(sorted(name.title() for name in missing))}
        )
    records = []
    for row in rows:
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()
               if isinstance(value, str)}
        if not any(row.values()):
            continue
        item = {ours: row[theirs] for theirs, ours in COLUMNS.items() if row.get(theirs)}
        item["day"] = _day(row.get("day", ""))
        item["types"] = [part for part in row.get("types", "").split(",") if part.strip()]
        item["approximate"] = "no"
        if not item.get("slug") and item.get("name"):
            item["slug"] = slugify(
                f"{item['name']} {row.get('day', '')} {row.get('time', '')}")[:190]
        records += reader.read(item, f"line {rows.line_num}")
    return records
