"""HTTP manners every public response shares: a short public cache lifetime, conditional
GET (an ETag answered with 304), gzip, and, for feeds, cross-origin GET.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

# Long enough to absorb a burst of partner traffic; short enough that a staff edit shows
# within minutes.
PUBLIC_MAX_AGE = 300

View = Callable[..., HttpResponse]


# Query parameters that may say where a visitor is (a postcode, a town, a street name in
# the free text): shared caches (a workplace proxy, a CDN) must not keep such URLs.
PLACE_PARAMETERS = ("near", "q")


def names_a_place(request: HttpRequest) -> bool:
    return any(value.strip() for name in PLACE_PARAMETERS for value in request.GET.getlist(name))


def cache_publicly(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Cache-Control and ETag on a successful GET, and 304 when the client has it already.
    A search that names a place is cached by the visitor's own browser only."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if not response.has_header("Cache-Control"):
        if names_a_place(request):
            patch_cache_control(response, private=True, max_age=PUBLIC_MAX_AGE)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=None, response=response
    )


class PublicCacheMiddleware:
    """Every public page a visitor fetches: short public caching, ETag and 304.

    Only for anonymous GETs of pages that neither set nor vary on cookies (the admin,
    forms with a CSRF token and anything with a session are left alone), and only where
    the view did not choose its own Cache-Control. Listed above the session, CSRF and
    message middleware so it sees the cookies they add.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.has_header("Cache-Control")
            or response.cookies
            or "cookie" in response.get("Vary", "").lower()
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path.startswith(settings.STATIC_URL)
        ):
            return response
        return cache_publicly(response, request)


def public_page(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cache_publicly(view(request, *args, **kwargs), request)

    return wrapper


def public_feed(view: View) -> View:
    """A public page that any other site's script may also fetch (read-only data)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = cache_publicly(view(request, *args, **kwargs), request)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


class PublicGZipMiddleware(GZipMiddleware):
    """gzip for public pages only. BREACH guesses a secret in a page from the sizes of its
    compressed answers: public pages hold none (no CSRF token, no session, nothing about
    the visitor but what their own URL says), so they are compressed, while the admin
    and every page with a CSRF token or a form's signed token (the report form, staff
    sign-in, the import page) are not. Without a secret to hide, Django's random padding
    only makes the same page's bytes, and so its ETag, differ from one build to the next.
    """

    max_random_bytes = 0


compressed = decorator_from_middleware(PublicGZipMiddleware)


def read_only(view: View) -> View:
    """A public page: GET and HEAD, and 405 for any other method (never the page);
    gzipped when the client accepts it (see PublicGZipMiddleware). Exempt from the CSRF
    check only so that a POST is told 405 rather than 403: a view that refuses every
    unsafe method has nothing to forge."""
    return csrf_exempt(require_safe(compressed(view)))
