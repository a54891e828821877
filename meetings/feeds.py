"""Machine-readable renderings of meetings for partners: CSV, calendar, Meeting Guide JSON.

Also the HTTP manners every public response shares: a short public cache lifetime,
conditional GET (ETag answered with 304), and, for feeds, cross-origin GET.
"""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

# Long enough to absorb a burst of partner traffic; short enough that a staff edit shows
# within minutes.
PUBLIC_MAX_AGE = 300

View = Callable[..., HttpResponse]


def cache_publicly(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Cache-Control and ETag on a successful GET, and 304 when the client has it already."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=None, response=response
    )


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
