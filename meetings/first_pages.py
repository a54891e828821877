"""The first pages of a search without a place, kept for a minute.

`/meetings/` without a place orders every listed meeting (20,000 or 50,000) by when it
next meets, and counts them, to show twenty: 25 ms of SQL at 20,000 meetings and 40 at
50,000, on every request (issue 14). What it finds changes only when listings change
(the data version) or as time passes; and its order only at a whole minute, as meetings
start and end on whole minutes. So the order of the first KEPT_PAGES pages (each
meeting's id with its ordering values, such as `days_away`) and the number found are
kept in the cache, shared by every host with CACHE_URL, under the data version, the
minute and the search's understood parameters; the page's meetings themselves are then
read by id as on any page (meetings.search).

A staff edit changes the data version, so it shows on the next request.
"""

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache

import data_version

from .schedule import UTC

KEPT_PAGES = 5
LIFETIME = 120  # seconds: a key names its minute, so this only bounds what lingers

logger = logging.getLogger(__name__)

Rows = list[tuple]


def kept(search, read: Callable[[], tuple[Rows, int]]) -> tuple[Rows, int]:
    """The first pages' rows and the number found for this search, kept or `read()`
    now (and then kept). Read every time if the cache cannot be reached."""
    key = cache_key(search)
    try:
        found = cache.get(key)
    except Exception:  # the cache server is down (redis.ConnectionError...): pages still work
        logger.warning("Cache unavailable: ordering every meeting for this search",
                       exc_info=True)
        return read()
    if found is None:
        found = read()
        try:
            cache.set(key, found, LIFETIME)
        except Exception:
            logger.warning("Cache unavailable: the first pages are not kept", exc_info=True)
    return found


def cache_key(search) -> str:
    """The data version, the minute, and what the search applied: its valid parameters
    as understood (so spelling, order and unknown or invalid parameters, which change
    nothing, share one key) and the order it took."""
    applied = sorted(
        (name, sorted(value) if isinstance(value, list) else value)
        for name, value in search.understood.items()
        if value not in (None, "", []) and name != "page"
    )
    minute = search.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    digest = hashlib.sha256(repr((applied, search.sort)).encode()).hexdigest()[:32]
    return f"first-pages:{data_version.current()}:{minute}:{digest}"
