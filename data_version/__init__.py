"""The data version: one value that changes whenever anything a visitor can see in a
listing changes, so that whatever was built from the listings (a feed, a cached page)
can be kept under it and known stale the moment it is not current.

    import data_version
    key = f"feed:{data_version.current()}:{query}"

`current()` reads it from the database (one indexed row, one small query), so every
gunicorn process and host agrees on it at once, whatever the cache: with a cache per
process (no CACHE_URL) a cached copy of the version could lag, the database cannot.

It is bumped inside the writing transaction, so the new version and the changed rows
become visible together (a reader never sees the new version with the old data):
- by signals (data_version/apps.py) when a meeting, venue, group, fellowship, feature or
  language is saved or deleted, or a meeting's features or languages change;
- explicitly by every bulk write, which sends no signal: the importer, seed_demo,
  load_postcodes and staff.history.bulk_update (the admin's bulk actions) call `bump()`;
- after every `migrate`, since a migration may rewrite listings.

Once a bump is committed, `changed` is sent: kept pages (meetings/page_cache.py) are told
through the shared cache, which a hit reads instead of this row.

The value is the bump count and a token drawn when the row was made, so a database
rebuilt from scratch never repeats a version a shared cache still holds.
"""

import functools

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal

__all__ = ["bump", "changed", "current"]

# Sent once a bump is committed, when every reader sees the new version (meetings.page_cache
# tells every host through the shared cache). Not sent for a rolled-back bump.
changed = Signal()


def current() -> str:
    """The version now, as a short string fit for cache keys and ETags."""
    from django.db import connection

    # Through the cursor: building this query with the ORM cost several times running it,
    # and a kept page's hit does little else (meetings/page_cache.py).
    with connection.cursor() as cursor:
        cursor.execute(*_read())
        row = cursor.fetchone()
    if row is None:  # a flushed database (tests that truncate tables)
        row = _create()
    return f"{row[0]}-{row[1]}"


@functools.cache
def _read() -> tuple[str, list[int]]:
    from .models import DataVersion

    # Names in standard SQL's double quotes (PostgreSQL and SQLite): "count" is a keyword.
    meta = DataVersion._meta
    columns = [meta.get_field(name).column for name in ("count", "token")]
    sql = 'SELECT "{}", "{}" FROM "{}" WHERE "{}" = %s'.format(*columns, meta.db_table,
                                                               meta.pk.column)
    return sql, [DataVersion.ROW]


def bump(**_signal_kwargs) -> None:
    """Mark the listings changed. Inside a transaction, the row stays locked until it
    ends, so concurrent writers take turns and no bump is lost."""
    from .models import DataVersion

    if not DataVersion.objects.filter(pk=DataVersion.ROW).update(count=F("count") + 1):
        _create()
    transaction.on_commit(_announce)


def _announce() -> None:
    changed.send(sender=None)


def _create() -> tuple[int, str]:
    from .models import DataVersion

    row, _created = DataVersion.objects.get_or_create(pk=DataVersion.ROW)
    return row.count, row.token
