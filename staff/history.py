"""Who changed what, when and why (issue 12, part 3), with django-simple-history.

Every Fellowship, Group, Venue and Meeting has a `history` (one table per model, one
row per version). A plain save() writes its record through simple-history's signals,
naming the signed-in user (HistoryRequestMiddleware). Bulk writes, which send no
signals, call `record()` here, and every record gives its source as a change reason,
in the words below.

A meeting's record also holds its features and languages as they were
(`m2m_fields`). simple-history's bulk_history_create writes the main rows only, so
`record()` writes those rows too, read in one query per batch.
"""

import datetime
from collections.abc import Sequence

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

BATCH = 1000
# The tracked M2M fields of each model, and the column naming the other side.
M2M_COLUMNS = {"meetings.meeting": {"features": "feature_id", "languages": "language_id"}}


# Change reasons: where a change came from. Shown on the admin history page.
def admin_form() -> str:
    return _("Admin form")


def bulk_action(label: str) -> str:
    return _("Admin bulk action “%(label)s”") % {"label": label}


def imported(source: str) -> str:
    return _("Import “%(source)s”") % {"source": source}


def command(name: str) -> str:
    return _("Management command “%(name)s”") % {"name": name}


def restored(version_date: datetime.datetime) -> str:
    local = timezone.localtime(version_date)
    return _("Restored the version of %(date)s") % {"date": date_format(local, "j M Y, H:i")}


def deleted() -> str:
    return _("Deleted in the admin")


def record(objs: Sequence[models.Model], *, reason: str, user=None, created: bool = False,
           date: datetime.datetime | None = None) -> list:
    """One history record for each object as it now is in the database (after a bulk
    write), all with one date, user and reason."""
    if not objs:
        return []
    model = type(objs[0])
    records = model.history.bulk_history_create(
        objs, batch_size=BATCH, update=not created, default_user=user,
        default_change_reason=reason, default_date=date or timezone.now())
    columns = M2M_COLUMNS.get(model._meta.label_lower, {})
    for name, column in columns.items():
        _record_links(model, name, column, records)
    return records


def bulk_update(objs: Sequence[models.Model], fields: list[str], *, reason: str,
                user=None) -> int:
    """bulk_update with a history record for each object: what simple-history's
    bulk_update_with_history does, plus the meetings' features and languages."""
    if not objs:
        return 0
    with transaction.atomic():
        count = type(objs[0]).objects.bulk_update(objs, fields, batch_size=BATCH)
        record(objs, reason=reason, user=user)
    return count


def _record_links(model, name: str, column: str, records: list) -> None:
    through = getattr(model, name).through
    # The historical M2M model: the historical model's `features` manager's model.
    links = getattr(model.history.model, name).model
    owner = model._meta.model_name + "_id"
    rows = []
    for start in range(0, len(records), BATCH):
        batch = records[start:start + BATCH]
        # Each record keeps its object's primary key under the same name (`id`).
        history_ids = {getattr(r, model._meta.pk.attname): r.history_id for r in batch}
        for pk, owner_id, other_id in through.objects.filter(
                **{f"{owner}__in": list(history_ids)}).values_list("pk", owner, column):
            rows.append(links(**{"id": pk, owner: owner_id, column: other_id,
                                 "history_id": history_ids[owner_id]}))
    links.objects.bulk_create(rows, batch_size=BATCH)
