"""The first pages of a search without a place, kept while their order holds.

`/meetings/` without a place orders every listed meeting (20,000 or 50,000) by when it
next meets, and counts them, to show twenty: 25 ms of SQL at 20,000 meetings and 40 at
50,000, on every request (issue 14). What it finds changes only when listings change
(the data version) or as time passes: in order of time, when one of the meetings kept
ends or at midnight (meetings.search._first_pages works out when). So the order of the
first KEPT_PAGES pages (each meeting's id with its ordering values, such as `days_away`),
the number found and that moment are kept in the cache, shared by every host with
CACHE_URL, under the data version and the search's understood parameters, and not used
from that moment; the page's meetings themselves are then read by id as on any page
(meetings.search).

A staff edit changes the data version, so it shows on the next request.
"""

import datetime
import hashlib
import logging
import math
from collections.abc import Callable

from django.core.cache import cache

import data_version

KEPT_PAGES = 5

logger = logging.getLogger(__name__)

Rows = list[tuple]
Found = tuple[Rows, int, datetime.datetime]


def kept(search, read: Callable[[], Found]) -> Found:
    """The first pages' rows, the number found for this search and until when they
    hold, kept or `read()` now (and then kept until then). Read every time if the cache
    cannot be reached."""
    key = cache_key(search)
    try:
        found = cache.get(key)
    except Exception:  # the cache server is down (redis.ConnectionError...): pages still work
        logger.warning("Cache unavailable: ordering every meeting for this search",
                       exc_info=True)
        return read()
    if found is None or found[2] <= search.now:
        found = read()
        seconds = math.ceil((found[2] - search.now).total_seconds())
        try:
            if seconds > 0:
                cache.set(key, found, seconds)
        except Exception:
            logger.warning("Cache unavailable: the first pages are not kept", exc_info=True)
    return found


def cache_key(search) -> str:
    """The data version and what the search applied: its valid parameters as understood
    (so spelling, order and unknown or invalid parameters, which change nothing, share
    one key) and the order it took."""
    applied = sorted(
        (name, sorted(value) if isinstance(value, list) else value)
        for name, value in search.understood.items()
        if value not in (None, "", []) and name != "page"
    )
    digest = hashlib.sha256(repr((applied, search.sort)).encode()).hexdigest()[:32]
    return f"first-pages:{data_version.current()}:{digest}"
