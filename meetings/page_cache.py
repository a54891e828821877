"""Whole pages kept for visitors: the search page, /meetings.json and the embed are built
once per query and then served from Django's cache, the `pages` alias (Redis shared by
every host with CACHE_URL, local memory otherwise), until their wording would change.

A kept page is found under what it depends on, and nothing else:
- the normalised query (meetings.filters.normalised_query, with the page number): unknown
  parameters (`utm_source`), the order of the parameters and of repeated values do not
  matter. The view is given the query less its unknown parameters as request.GET, so a
  kept page carries nothing its key does not name (another visitor's `utm_source` in its
  links, say); a visitor who asks the same in another order gets links with the
  parameters in the first asker's order, which mean the same;
- the data version, checked rather than named: a page is kept with the version it was
  built under, read before building it, and served only while that is still current. With
  a shared cache (PAGE_CACHE_SHARED, Redis with CACHE_URL) the version is a random token
  kept there, read in the same get_many as the page, and replaced once each bump of
  data_version is committed (data_version.changed): no database query on a hit. With a
  cache per process, it is data_version.current(), one row read through the cursor. Any
  change to listings, fellowships, features or languages, by staff, an import or a bulk
  action, makes every kept page stale at once. It stands for the lists too
  (meetings.catalogue): forgetting them bumps it once more after the commit, so a page
  built in between from lists read before the change is kept under a version already gone;
- the path (so /cy/ pages are apart from English ones), the active language, the scheme
  and host (the JSON's and embed's absolute links), and whether the answer is gzipped (a
  kept page is kept compressed, so a hit costs no gzip).

Not the time: a page is kept with the moment its wording next changes, which the view
gives as `response.unchanged_until` (meetings.search.Search.unchanged_until: the first
start or end of a meeting it shows, the next midnight, the next minute for "happening
now", an hour at most), and is not served from that moment; without one, from the end of
its minute. With a cache per process, a minute at most (see `lasts_until`).

Where: PageCacheMiddleware, placed after LocaleMiddleware and before the session, CSRF,
authentication and messages middleware, serves a kept page without running them (a hit
is a URL match and one cache read, plus the data version's query with a cache per
process). The views it keeps are marked with @kept_for_visitors. It keeps the answer as
those middleware leave it.

Only for visitors: a request with a session, CSRF or messages cookie (staff, a visitor
just back from a form) is answered by the view alone, and an answer that sets a cookie
(the session's, CSRF's or messages' own included), varies on cookies or says no-store is
never kept. 5xx answers are never kept, nor a 304; a 4xx (a JSON query with a mistake)
depends on the query alone, so it is. HTTP caching (Cache-Control, ETag, 304 to a
conditional request) is applied above, on every answer kept or not (meetings.http_cache);
a kept page whose view set its own ETag (the embed) is given its 304 here.

The key is a hash, so a searched postcode is named neither in the cache server's keys
nor in any log line about them.
"""

import functools
import hashlib
import logging
import math
import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, has_vary_header

import data_version

from .filters import PAGE_PARAMETERS, known_only, normalised_lists
from .http_cache import compressed

logger = logging.getLogger(__name__)

# How long a page whose view says nothing of its wording's time is kept: to the minute's end.
MINUTE = 60
# GZipMiddleware's own test of Accept-Encoding, so the key says what it will decide.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")

View = Callable[..., HttpResponse]


def personal_cookies() -> tuple[str, ...]:
    # Cookies that mark staff or may change a page for one person (a message waiting).
    return (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CookieStorage.cookie_name)


def for_anyone(request: HttpRequest) -> bool:
    """A request whose answer is the same for every visitor asking the same thing."""
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in personal_cookies())
    )


def page_key(request: HttpRequest) -> str:
    parts = [
        request.path,
        # The lists, not a QueryDict: a key needs none, and a hit does little else.
        repr(normalised_lists(request.GET, PAGE_PARAMETERS)),
        translation.get_language() or "",
        request.scheme,
        request.get_host(),
        "gzip" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def lasts_until(response: HttpResponse, now: float) -> float:
    """The moment (a timestamp) from which a page built at `now` may read differently."""
    until = getattr(response, "unchanged_until", None)
    until = until.timestamp() if until else (now // MINUTE + 1) * MINUTE
    if not settings.PAGE_CACHE_SHARED:
        # Each process then holds its own lists (meetings.catalogue), seeing another's
        # change to them within a minute: a page built from them meanwhile lasts a
        # minute more at most.
        until = min(until, now + MINUTE)
    return until


def worth_keeping(response: HttpResponse) -> bool:
    return (
        response.status_code < 500
        and response.status_code != 304  # an answer to a conditional request only
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cache_call(operation: str, *args):
    """caches["pages"].get/set, or None when the cache cannot be reached: pages are then
    built for each request, as without a cache, rather than fail."""
    try:
        return getattr(caches["pages"], operation)(*args)
    except Exception as error:  # the cache server is down or unreachable
        # The kind of error only: its text is the server's business, and the key, though
        # a hash, is nothing a reader of the log needs.
        logger.warning("Page cache unavailable (%s): building the page without it",
                       type(error).__name__)
        return None


def kept_for_visitors(view: View) -> View:
    """Mark a view whose answers PageCacheMiddleware keeps for visitors, and gzip them
    when the client accepts it (see the module's doc for what the key holds)."""
    build = compressed(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return build(request, *args, **kwargs)

    wrapper.kept_for_visitors = True  # copied onto the decorators around it (functools.wraps)
    return wrapper


def kept_view(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "kept_for_visitors", False)


# The data version as kept pages know it when the cache is shared (PAGE_CACHE_SHARED): a
# random token, replaced once each bump is committed. Random, so replacements arriving out
# of order never bring back a value a page was kept under.
SHARED_VERSION = "data-version"


def announce(**_signal_kwargs) -> None:
    """data_version.changed: every page kept so far is out of date, on every host."""
    if settings.PAGE_CACHE_SHARED:
        cache_call("set", SHARED_VERSION, secrets.token_hex(8), None)


def shared_version() -> str | None:
    """The token now, drawn if there is none (first start, Redis emptied). None when the
    cache cannot be reached."""
    cache_call("add", SHARED_VERSION, secrets.token_hex(8), None)
    return cache_call("get", SHARED_VERSION)


class PageCacheMiddleware:
    """Kept pages served before the middleware below it runs: placed after
    LocaleMiddleware (the language is in the key) and before the session, CSRF,
    authentication and messages middleware, which a visitor's kept page needs none of.
    What it keeps is the answer as they leave it, so a cookie or `Vary: Cookie` they add
    is seen, and such an answer is not kept. The middleware above it (HTTP caching,
    Content-Security-Policy, Content-Language) still runs on every answer, kept or not.

    A page is kept with the data version it was built under, read before building it,
    and served only while that is still the version: with a shared cache, the token
    there (one read with the page's); otherwise the database's row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not for_anyone(request) or not kept_view(request):
            return self.get_response(request)
        key = page_key(request)
        now = timezone.now().timestamp()
        if settings.PAGE_CACHE_SHARED:
            found = cache_call("get_many", [key, SHARED_VERSION]) or {}
            version = found.get(SHARED_VERSION)
        else:
            # Each process has its own cache: the database is what they all share.
            try:
                version = data_version.current()
            except DatabaseError:  # down: the view gives its own answer (a 503)
                return self.get_response(request)
            found = {key: cache_call("get", key)}
        kept = found.get(key)
        if version is not None and kept is not None and kept[0] == version and now < kept[1]:
            response = kept[2]
            if response.has_header("ETag"):  # set by the view (the embed): the 304 is ours
                return get_conditional_response(request, etag=response["ETag"],
                                                response=response)
            return response
        if version is None and settings.PAGE_CACHE_SHARED:
            version = shared_version()
        # The view is given only what the key names (see the module's doc).
        request.GET = known_only(request.GET, PAGE_PARAMETERS)
        response = self.get_response(request)
        if version is not None and worth_keeping(response):
            until = lasts_until(response, now)
            # Kept with its moment, never served from it; the cache forgets it then too.
            if (seconds := math.ceil(until - now)) > 0:
                cache_call("set", key, (version, until, response), seconds)
        return response
