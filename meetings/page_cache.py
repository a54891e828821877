"""Whole pages kept for visitors: the search page, /meetings.json and the embed are built
once per query and minute and then served from Django's cache, the `pages` alias (Redis
shared by every host with CACHE_URL, local memory otherwise).

A kept page is found under what it depends on, and nothing else:
- the normalised query (meetings.filters.normalised_query, with the page number): unknown
  parameters (`utm_source`), the order of the parameters and of repeated values do not
  matter. The view is given the query less its unknown parameters as request.GET, so a
  kept page carries nothing its key does not name (another visitor's `utm_source` in its
  links, say); a visitor who asks the same in another order gets links with the
  parameters in the first asker's order, which mean the same;
- the data version (data_version.current()): any change to listings, fellowships or
  features, by staff, an import or a bulk action, gives every page a new key at once;
  and the version of the fellowship, feature and language lists this process holds
  (meetings.catalogue), so that a page built from lists read just before they changed
  is not kept past the moment this process reads them again;
- the active language, the scheme and host (the JSON's and embed's absolute links), and
  whether the answer is gzipped (a kept page is kept compressed, so a hit costs no gzip);
- the minute: the pages say "now" and "Tonight" and put the soonest meeting first.

Only for visitors: a request with a session, CSRF or messages cookie (staff, a visitor
just back from a form) is answered by the view alone, and an answer that sets a cookie,
varies on cookies or says no-store is never kept. (The session and CSRF middleware add
their cookies after the view, out of sight here: tests/test_page_cache.py checks that these
views set none, so a view that starts to use the session or a CSRF token fails there.)
5xx answers are never kept; a 4xx (a JSON query with a mistake) depends on the query
alone, so it is. HTTP caching (Cache-Control, ETag, 304 to a conditional request) is
applied outside, on every answer kept or not (meetings.http_cache).

The key is a hash, so a searched postcode is named neither in the cache server's keys
nor in any log line about them.
"""

import functools
import hashlib
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import has_vary_header

import data_version

from . import catalogue
from .filters import PAGE_PARAMETERS, known_only, normalised_query
from .http_cache import compressed

logger = logging.getLogger(__name__)

# What the page's wording depends on in time: "now", "Tonight", "in 20 minutes".
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
        normalised_query(request.GET, PAGE_PARAMETERS).urlencode(),
        data_version.current(),
        str(catalogue.current().version),
        translation.get_language() or "",
        request.scheme,
        request.get_host(),
        "gzip" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else "",
        str(int(timezone.now().timestamp()) // MINUTE),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def worth_keeping(response: HttpResponse) -> bool:
    return (
        response.status_code < 500
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
    """Serve the view's answers from the shared page cache, gzipped when the client
    accepts it (see the module's doc for what the key holds)."""
    build = compressed(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not for_anyone(request):
            return build(request, *args, **kwargs)
        request.GET = known_only(request.GET, PAGE_PARAMETERS)
        key = page_key(request)
        response = cache_call("get", key)
        if response is None:
            response = build(request, *args, **kwargs)
            if worth_keeping(response):
                # The key changes with the minute: a page is never served after it.
                cache_call("set", key, response, MINUTE)
        return response

    return wrapper
