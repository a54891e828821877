"""Write imported records in bulk: match by (source, source id), change only what changed.

Staff edits are kept: each meeting remembers what the source said at the last import
(`imported_values`), and a field is only updated when the source has changed it since and
staff have not. See docs/importing.md, "Staff edits are kept".

Everything is read up front (existing meetings of this source, their features and
languages, venues, groups, slugs) so the work is a handful of queries whatever the size
of the feed: bulk_create for new rows, bulk_update for changed ones. Each new or changed
listing gets a history record naming the import's source (staff.history), written in
bulk once its features and languages are in place.
"""

import datetime
from enum import Enum

from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Fellowship, Group
from meetings.models import Feature, Language, Meeting, Status, Venue, meeting_slug
from staff import history
from staff.scopes import EVERYTHING, Scope

from .postcodes import coordinates_for_postcodes
from .records import ImportedMeeting, ImportedVenue
from .report import Conflict, ImportReport

BATCH = 1000
MEETING_FIELDS = [
    "fellowship_id", "group_id", "name", "weekday", "recurrence", "start_time", "end_time",
    "timezone", "format", "venue_id", "online_url", "online_phone", "online_notes", "access",
    "notes", "status",
]
VENUE_FIELDS = ["name", "address_line1", "address_line2", "town", "postcode", "directions"]
VENUE_FLAGS = ["step_free", "hearing_loop", "accessible_toilet", "parking"]


def venue_key(venue: Venue) -> tuple[str, ...]:
    return ImportedVenue(
        venue.name, venue.address_line1, venue.address_line2, venue.town, venue.postcode,
        None, None,
    ).key()


class Writer:
    def __init__(self, report: ImportReport, source: str, default_fellowship: Fellowship | None,
                 overwrite_edits: bool = False, scope: Scope = EVERYTHING):
        self.report = report
        # A volunteer's import writes only their own listings (staff.scopes).
        self.scope = scope
        self.source = source
        self.default_fellowship = default_fellowship
        self.overwrite_edits = overwrite_edits
        self.now = timezone.now()
        self.reason = history.imported(source)

    def write(self, records: list[ImportedMeeting], failed_ids: set[str]) -> None:
        records = self._resolve_fellowships(self._unique(records))
        venue_ids = self._venues(records)
        group_ids = self._groups(records)
        self._meetings(records, venue_ids, group_ids, failed_ids)

    def _unique(self, records: list[ImportedMeeting]) -> list[ImportedMeeting]:
        seen, kept = {}, []
        for record in records:
            if record.source_id in seen:
                self.report.error(record.item, "slug", record.source_id,
                                  _("the same slug as %(item)s") % {"item": seen[record.source_id]})
                continue
            seen[record.source_id] = record.item
            kept.append(record)
        return kept

    def _resolve_fellowships(self, records: list[ImportedMeeting]) -> list[ImportedMeeting]:
        by_slug = {f.slug: f for f in Fellowship.objects.all()}
        kept = []
        for record in records:
            fellowship = by_slug.get(record.fellowship) or self.default_fellowship
            if fellowship is None:
                self.report.error(record.item, "fellowship", record.fellowship,
                                  _("unknown fellowship, and none chosen for the import"))
                self.report.failed_source_ids.add(record.source_id.split("/")[0])
                continue
            postcode = record.venue.postcode if record.venue else ""
            if not self.scope.covers(fellowship.pk, postcode):
                self.report.error(record.item, "fellowship", record.fellowship or fellowship.slug,
                                  _("not one of the fellowships and postcode areas your "
                                    "account looks after"))
                self.report.failed_source_ids.add(record.source_id.split("/")[0])
                continue
            record.fellowship_id = fellowship.pk
            kept.append(record)
        return kept

    # Venues -------------------------------------------------------------------------
    def _venues(self, records: list[ImportedMeeting]) -> dict[tuple, int]:
        wanted: dict[tuple, ImportedVenue] = {}
        for record in records:
            if record.venue is None:
                continue
            key = record.venue.key()
            if key in wanted:
                # A venue's features are facts about the building: any meeting may state them.
                wanted[key].flags |= record.venue.flags
                if wanted[key].latitude is None:
                    wanted[key].latitude = record.venue.latitude
                    wanted[key].longitude = record.venue.longitude
            else:
                wanted[key] = record.venue
        existing: dict[tuple, Venue] = {}
        for venue in Venue.objects.order_by("-pk"):
            existing[venue_key(venue)] = venue  # lowest pk wins
        editable = None if self.scope.everything else set(
            Venue.objects.editable_by(self.scope).values_list("pk", flat=True))
        self._geocode([v for k, v in wanted.items() if k not in existing or (
            existing[k].source == self.source)])

        new, changed, changed_fields = [], [], set()
        for key, imported in wanted.items():
            venue = existing.get(key)
            values = {field: getattr(imported, field) for field in VENUE_FIELDS}
            values |= {flag: flag in imported.flags for flag in VENUE_FLAGS}
            if venue is None:
                venue = Venue(**values, latitude=imported.latitude, longitude=imported.longitude,
                              source=self.source, source_id="|".join(key)[:200])
                new.append(venue)
                existing[key] = venue
                continue
            if venue.source != self.source or (editable is not None and venue.pk not in editable):
                continue  # a venue staff made, or not the volunteer's: used, not edited
            if not venue.coordinates_set_by_hand and imported.latitude is not None:
                values |= {"latitude": imported.latitude, "longitude": imported.longitude}
            diff = [field for field, value in values.items() if getattr(venue, field) != value]
            if diff:
                for field in diff:
                    setattr(venue, field, values[field])
                venue.updated = self.now
                changed.append(venue)
                changed_fields |= set(diff)
        Venue.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            Venue.objects.bulk_update(changed, [*sorted(changed_fields), "updated"],
                                      batch_size=BATCH)
        history.record(new, reason=self.reason, created=True, date=self.now)
        history.record(changed, reason=self.reason, date=self.now)
        self.report.venues_created += len(new)
        self.report.venues_updated += len(changed)
        return {key: venue.pk for key, venue in existing.items()}

    def _geocode(self, venues: list[ImportedVenue]) -> None:
        """Coordinates from the feed when present, otherwise from the postcode table."""
        missing = [v for v in venues if v.latitude is None and v.postcode]
        found = coordinates_for_postcodes({v.postcode for v in missing})
        for venue in missing:
            if venue.postcode in found:
                venue.latitude, venue.longitude = found[venue.postcode]
            else:
                self.report.warn(venue.name, "postcode", venue.postcode,
                                 _("not in the postcode table: the venue has no map position"))

    # Groups -------------------------------------------------------------------------
    def _groups(self, records: list[ImportedMeeting]) -> dict[tuple, int]:
        wanted = {(r.fellowship_id, r.group): r.group_notes for r in records if r.group}
        fellowship_ids = {key[0] for key in wanted}
        existing = {
            (g.fellowship_id, g.name): g.pk
            for g in Group.objects.filter(fellowship_id__in=fellowship_ids)
        }
        new = [
            Group(fellowship_id=fid, name=name, notes=notes, source=self.source,
                  source_id=name[:200])
            for (fid, name), notes in wanted.items() if (fid, name) not in existing
        ]
        Group.objects.bulk_create(new, batch_size=BATCH)
        history.record(new, reason=self.reason, created=True, date=self.now)
        self.report.groups_created += len(new)
        existing |= {(g.fellowship_id, g.name): g.pk for g in new}
        return existing

    # Meetings -----------------------------------------------------------------------
    def _meetings(self, records, venue_ids, group_ids, failed_ids) -> None:
        report = self.report
        existing = {m.source_id: m for m in Meeting.objects.filter(source=self.source)}
        theirs = None if self.scope.everything else set(
            Meeting.objects.filter(source=self.source).editable_by(self.scope)
            .values_list("pk", flat=True))
        features = _links(Meeting.features.through, "feature_id", existing)
        languages = _links(Meeting.languages.through, "language_id", existing)
        feature_ids = dict(Feature.objects.values_list("slug", "pk"))
        known_languages = set(Language.objects.values_list("code", flat=True))
        taken = set(Meeting.objects.values_list("slug", flat=True))

        feature_slugs = {pk: slug for slug, pk in feature_ids.items()}

        def shown(field: str, value) -> str:
            if field == "features":
                value = [feature_slugs.get(pk, pk) for pk in value]
            return _shown(value)

        new, changed, changed_fields = [], [], set()
        edited: set[int] = set()  # id() of the meetings whose listing changed, not only snapshot
        new_links: list[tuple[Meeting, set, set]] = []
        relink: list[tuple[Meeting, set | None, set | None]] = []
        for record in records:
            values = {
                "fellowship_id": record.fellowship_id,
                "group_id": group_ids.get((record.fellowship_id, record.group)),
                "venue_id": venue_ids[record.venue.key()] if record.venue else None,
            } | {field: getattr(record, field) for field in MEETING_FIELDS[2:] if
                 field != "venue_id"}
            wanted_features = {feature_ids[slug] for slug in record.features if slug in feature_ids}
            wanted_languages = record.languages & known_languages
            feed = {field: _plain(value) for field, value in values.items()}
            feed["features"] = sorted(wanted_features)
            feed["languages"] = sorted(wanted_languages)
            meeting = existing.get(record.source_id)
            if meeting is None:
                meeting = Meeting(**values, source=self.source, source_id=record.source_id,
                                  imported_values=feed)
                meeting.slug = _slug(record, taken)
                new.append(meeting)
                new_links.append((meeting, wanted_features, wanted_languages))
                report.created.append(f"{record.name} ({record.source_id})")
                continue
            label = f"{record.name} ({record.source_id})"
            if theirs is not None and meeting.pk not in theirs:
                report.error(record.item, "slug", record.source_id,
                             _("the same slug as a listing your account does not look after"))
                continue
            current = {field: _plain(getattr(meeting, field)) for field in values}
            current["features"] = sorted(features.get(meeting.pk, ()))
            current["languages"] = sorted(languages.get(meeting.pk, ()))
            # Three-way merge, field by field: the source now, the source at the last
            # import (before snapshots existed: what we hold), and what we hold.
            snapshot = meeting.imported_values or current
            take = []
            for field, value in feed.items():
                before = snapshot.get(field, current[field])
                if value == before or value == current[field]:
                    continue  # the source has not changed it, or already agrees with us
                if current[field] != before:  # staff edited it since the last import
                    report.conflicts.append(Conflict(
                        label, field, shown(field, current[field]), shown(field, value),
                        overwritten=self.overwrite_edits))
                    if not self.overwrite_edits:
                        continue
                take.append(field)
            diff = [field for field in take if field in values]
            new_features = wanted_features if "features" in take else None
            new_languages = wanted_languages if "languages" in take else None
            if new_features is not None or new_languages is not None:
                relink.append((meeting, new_features, new_languages))
            for field in diff:
                setattr(meeting, field, values[field])
            if diff:
                edited.add(id(meeting))
            if diff or meeting.imported_values != feed:
                # A new snapshot alone (the source changed a field staff had edited, or the
                # first import since snapshots began) is written, but is not a change.
                meeting.imported_values = feed
                changed.append(meeting)
                changed_fields |= {*diff, "imported_values"}
            labels = diff + (["features"] if new_features is not None else []) + (
                ["languages"] if new_languages is not None else [])
            if labels:
                report.updated.append((label, labels))
            else:
                report.unchanged += 1

        seen = {record.source_id for record in records}
        for source_id, meeting in existing.items():
            if source_id in seen or meeting.status == Status.CLOSED:
                continue
            if theirs is not None and meeting.pk not in theirs:
                continue  # another fellowship's listing: not the volunteer's to close
            if source_id.split("/")[0] in failed_ids:
                continue  # present in the feed, but unreadable this time: leave it alone
            meeting.status = Status.CLOSED
            if meeting.imported_values:
                # The import closed it, not staff: reopen it when it comes back.
                meeting.imported_values = {**meeting.imported_values, "status": Status.CLOSED.value}
                changed_fields.add("imported_values")
            changed.append(meeting)
            edited.add(id(meeting))
            changed_fields.add("status")
            report.closed.append(f"{meeting.name} ({source_id})")

        Meeting.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            for meeting in changed:
                if id(meeting) in edited:
                    meeting.updated = self.now
            Meeting.objects.bulk_update(changed, [*sorted(changed_fields), "updated"],
                                        batch_size=BATCH)
        if relink:
            Meeting.objects.filter(pk__in=[m.pk for m, _f, _l in relink]).update(updated=Now())
        self._link(new_links, relink)
        # A new snapshot alone is not a change to the listing, so has no history record.
        listed = {id(m): m for m in changed if id(m) in edited}
        listed |= {id(m): m for m, _f, _l in relink}
        history.record(new, reason=self.reason, created=True, date=self.now)
        history.record(list(listed.values()), reason=self.reason, date=self.now)

    def _link(self, new_links, relink) -> None:
        feature_through = Meeting.features.through
        language_through = Meeting.languages.through
        drop_features = [m.pk for m, f, _l in relink if f is not None]
        drop_languages = [m.pk for m, _f, lang in relink if lang is not None]
        for start in range(0, len(drop_features), BATCH):
            feature_through.objects.filter(
                meeting_id__in=drop_features[start:start + BATCH]).delete()
        for start in range(0, len(drop_languages), BATCH):
            language_through.objects.filter(
                meeting_id__in=drop_languages[start:start + BATCH]).delete()
        rows = [(m, f, lang) for m, f, lang in new_links] + list(relink)
        feature_through.objects.bulk_create(
            [feature_through(meeting_id=m.pk, feature_id=fid)
             for m, fids, _l in rows if fids for fid in fids],
            batch_size=BATCH,
        )
        language_through.objects.bulk_create(
            [language_through(meeting_id=m.pk, language_id=code)
             for m, _f, codes in rows if codes for code in codes],
            batch_size=BATCH,
        )


def _links(through, column: str, existing: dict[str, Meeting]) -> dict[int, set]:
    ids = {m.pk for m in existing.values()}
    links: dict[int, set] = {}
    if not ids:
        return links
    source = next(iter(existing.values())).source
    for meeting_id, value in through.objects.filter(meeting__source=source).values_list(
        "meeting_id", column
    ):
        links.setdefault(meeting_id, set()).add(value)
    return links


def _plain(value):
    """A field's value as it is kept in the JSON snapshot (and compared with it)."""
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, Enum):
        return value.value
    return value


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


def _slug(record: ImportedMeeting, taken: set[str]) -> str:
    town = record.venue.town if record.venue else "online"
    slug = meeting_slug(record.name, town, record.weekday, taken.__contains__)
    taken.add(slug)
    return slug
