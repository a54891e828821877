"""HTTP for the whole-directory feeds (/meetings.csv, /meetings.ics,
/api/meeting-guide.json): cheap at any size.

- The ETag comes from the data version (data_version.current(): one small query) and
  the normalised query, so a client that has the feed is answered 304 before any work.
- A rendering is kept gzipped in Django's cache (shared by every host when CACHE_URL
  names Redis) under the same key: until a listing changes, each feed is built once.
  One request at a time builds it (a lock taken with cache.add, across every host):
  the others are given the last rendering built, or, if there is none, wait for this one.
- Feed requests take turns on each host (meetings/feed_turns.py), so that clients
  fetching them in a loop leave the machine to the pages.
- A feed that must be built is streamed, read from the database in chunks, so a
  worker's memory stays flat whatever the number of meetings; it is gzipped on the way
  out when the client accepts it (public data: no secret for BREACH to find).

The normalised query keeps only the search's own parameters, each repeatable one with
its values sorted and each single one with the value the search reads (the last), so
`?utm_source=x` or `format=online&format=in-person` reuse what was built for the plain
URL. The rendering is built from the normalised query, so it cannot differ from what
was kept under its key.
"""

import functools
import hashlib
import io
import logging
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import orjson
from django.core.cache import cache, caches
from django.db import DatabaseError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition

import data_version

from . import feed_turns
from .filters import normalised_query
from .http_cache import PUBLIC_MAX_AGE, names_a_place

logger = logging.getLogger(__name__)

# Rows read from the database at a time: a few megabytes of objects, whatever the size.
CHUNK = 1000
# Renderings outlive no version (the key changes with it); this only bounds how long a
# dead one stays in the cache.
KEEP_SECONDS = 24 * 60 * 60
GZIP_LEVEL = 6
# While one request builds a rendering, others are given the last one built, this long.
BUILD_SECONDS = 300
STALE_MAX_AGE = 30
# When none was built before (a cold cache, a new query), others wait this long for the
# one being built, looking every WAIT_STEP seconds, rather than build it alongside: a
# waiting thread costs no CPU, a second build costs a second of it. Past that (a build
# on a very busy machine), they build it themselves.
BUILD_WAIT = 15
WAIT_STEP = 0.1
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")

@dataclass
class Rendering:
    """What a feed's renderer returns: headers known before the body, and the body."""

    chunks: Iterable[str | bytes]  # text, or UTF-8 already
    headers: dict[str, str] = field(default_factory=dict)


Renderer = Callable[[HttpRequest, QueryDict], Rendering]


@dataclass(frozen=True)
class Feed:
    name: str
    content_type: str
    filename: str
    disposition: str = "attachment"
    # How long, in seconds, a rendering for this query stays true as time passes (None:
    # for ever). Part of the key: what says "next" or filters by "today" or "now" is
    # kept for five minutes (the public max-age), so it is never staler than that.
    lasts: Callable[[QueryDict], int | None] = lambda query: PUBLIC_MAX_AGE


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def feed_keys(feed: Feed, request: HttpRequest, query: QueryDict) -> tuple[str, str]:
    """The rendering's key (what it shows, as of now), and the key of the feed itself
    whatever the version (under which the last complete rendering is named)."""
    feed_parts = [feed.name, query.urlencode(), translation.get_language(), request.scheme,
                  request.get_host()]
    parts = [*feed_parts, data_version.current()]
    lasts = feed.lasts(query)
    if lasts:
        parts.append(str(int(timezone.now().timestamp()) // lasts))
    return _digest(parts), _digest(feed_parts)


def kept_cache(operation: str, *args):
    """cache.get/add/set/delete, or None when the cache cannot be reached: the feeds are
    then built for each request, as before there was a cache, rather than fail."""
    try:
        return getattr(cache, operation)(*args)
    except Exception:  # the cache server is down or unreachable (redis.ConnectionError...)
        logger.warning("Cache unavailable: building the feed without it", exc_info=True)
        return None


def kept_rendering(key: str) -> tuple[dict, bytes] | None:
    """A rendering from this process's copies, or from the shared cache (then copied)."""
    kept = caches["feeds"].get(key)
    if kept is None:
        kept = kept_cache("get", key)
        if kept is not None:
            caches["feeds"].set(key, kept, KEEP_SECONDS)
    return kept


def pause(seconds: float) -> None:
    time.sleep(seconds)


def wait_for_build(key: str) -> tuple[dict, bytes] | None:
    """The rendering another request is building, once it is kept; None if that build
    ends without keeping it (its client went away) or takes longer than BUILD_WAIT."""
    deadline = time.monotonic() + BUILD_WAIT
    while time.monotonic() < deadline:
        pause(WAIT_STEP)
        kept = kept_rendering(key)
        if kept is not None:
            return kept
        if not kept_cache("get", f"{key}:building"):
            return None
    return None


def accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _sep, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return not re.fullmatch(r"\s*q\s*=\s*0(\.0*)?\s*", params)
    return False


def machine_error(message: str, status: int, **extra) -> JsonResponse:
    """An error as machine-readable endpoints give it: JSON, never the HTML page."""
    response = JsonResponse({"error": message, **extra}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, no_store=True)
    return response


def machine_readable(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For JSON, CSV and calendar endpoints: GET and HEAD (OPTIONS for a cross-origin
    script), every error a JSON body, and 503 while the database cannot be reached."""

    @csrf_exempt  # refuses every unsafe method itself, with 405 rather than 403
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = "If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
            return response
        if request.method not in ("GET", "HEAD"):
            response = machine_error(_("This address only answers GET and HEAD requests."), 405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return machine_error(_("There is nothing at this address."), 404)
        except DatabaseError:
            logger.exception("Database unavailable for %s", request.path)
            response = machine_error(
                _("The meeting list is unavailable for a moment. Please try again shortly."),
                503,
            )
            response["Retry-After"] = "30"
            return response

    return wrapper


def feed_view(feed: Feed) -> Callable[[Renderer], Callable[..., HttpResponseBase]]:
    """Turn a renderer into a view answering as the module's doc says."""

    def decorator(render: Renderer):
        def etag(request: HttpRequest) -> str:
            query = normalised_query(request.GET)
            request.feed_query = query
            request.feed_key, request.feed_place = feed_keys(feed, request, query)
            # Weak: the same rendering, gzipped or not.
            return f'W/"{request.feed_key}"'

        @functools.wraps(render)
        def view(request: HttpRequest) -> HttpResponseBase:
            key = f"feed:{request.feed_key}"
            latest = f"feed-latest:{request.feed_place}"
            kept, stale = kept_rendering(key), None
            if kept is None and request.method != "HEAD" and kept_cache(
                "get", f"{key}:building"
            ):
                # Another request is building this rendering (just after a change, many
                # clients ask at once): answer with the last one built, under its own
                # ETag and briefly, rather than build it again alongside; if none was
                # built before, wait for this one.
                stale = kept_cache("get", latest)
                kept = kept_rendering(f"feed:{stale}") if stale else None
                if kept is None:
                    with feed_turns.aside():
                        stale, kept = None, wait_for_build(key)
            gzip = accepts_gzip(request)
            if kept is not None and request.method == "HEAD":
                # No body, but the length a GET would have where it is known (gzipped).
                headers, body = kept
                response = HttpResponse() if gzip else StreamingHttpResponse(())
                if gzip:
                    response["Content-Length"] = len(body)
                    response["Content-Encoding"] = "gzip"
            elif kept is not None:
                headers, body = kept
                if gzip:
                    response = HttpResponse(body)
                    response["Content-Encoding"] = "gzip"
                else:
                    response = StreamingHttpResponse(_gunzip(body))
            elif request.method == "HEAD":
                # Nothing is built for a HEAD: the headers need no body, and the length
                # is not known until one is built.
                headers, response = {}, StreamingHttpResponse(())
            else:
                rendering = render(request, request.feed_query)
                headers = rendering.headers
                response = StreamingHttpResponse(_stream(
                    rendering.chunks, key, headers, gzip, translation.get_language(),
                    (latest, request.feed_key),
                ))
                if gzip:
                    response["Content-Encoding"] = "gzip"
            response = _with_feed_headers(response, request, feed, headers)
            if stale and kept is not None:
                response["ETag"] = f'W/"{stale}"'
                patch_cache_control(response, max_age=STALE_MAX_AGE)
            return response

        conditional = condition(etag_func=etag)(view)

        @machine_readable
        @functools.wraps(render)
        def answer(request: HttpRequest) -> HttpResponseBase:
            try:
                with feed_turns.turn():
                    response = conditional(request)
            except feed_turns.NoTurn:
                response = machine_error(
                    _("The meeting list is busy. Please try again in a few seconds."), 503
                )
                response["Retry-After"] = str(feed_turns.RETRY_AFTER)
                return response
            if response.status_code == 304:
                _cache_for(response, request)
                response["Access-Control-Allow-Origin"] = "*"
                patch_vary_headers(response, ["Accept-Encoding"])
            return response

        return answer

    return decorator


def _cache_for(response: HttpResponseBase, request: HttpRequest) -> None:
    # As every public page (meetings.http_cache): a URL that may say where a visitor is
    # is kept by the visitor's own browser only.
    if names_a_place(request):
        patch_cache_control(response, private=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)


def _with_feed_headers(response: HttpResponseBase, request: HttpRequest, feed: Feed,
                       headers: dict) -> HttpResponseBase:
    response["Content-Type"] = feed.content_type
    response["Content-Disposition"] = f'{feed.disposition}; filename="{feed.filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    _cache_for(response, request)
    patch_vary_headers(response, ["Accept-Encoding"])
    for name, value in headers.items():
        response[name] = value
    return response


def _stream(chunks: Iterable[str | bytes], key: str, headers: dict, gzip: bool,
            language: str, latest: tuple[str, str]) -> Iterator[bytes]:
    """The body as it is rendered, raw or gzipped, keeping the gzipped copy for the cache
    once complete (a client that goes away midway leaves nothing behind)."""
    # The lock is taken once the body is being made, not when the view answers: a
    # response whose body is never read (its client gone before the first byte) never
    # runs this, and so leaves no lock behind for others to wait on.
    lock = f"{key}:building"
    building = kept_cache("add", lock, 1, BUILD_SECONDS)
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip framing
    kept = io.BytesIO()
    # zlib lets go of the interpreter lock: each chunk is gzipped on a thread of its own
    # while the next is rendered, on the other core.
    packer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-gzip")
    packing = None
    try:
        with translation.override(language):  # the server reads the body after the view
            for text in chunks:
                raw = text if isinstance(text, bytes) else text.encode()
                if packing is not None:
                    packed = packing.result()
                    kept.write(packed)
                    if gzip and packed:
                        yield packed
                packing = packer.submit(compressor.compress, raw)
                if not gzip and raw:
                    yield raw
        tail = (packing.result() if packing is not None else b"") + compressor.flush()
        kept.write(tail)
        if gzip:
            yield tail
        kept_cache("set", key, (headers, kept.getvalue()), KEEP_SECONDS)
        kept_cache("set", *latest, KEEP_SECONDS)
    finally:
        packer.shutdown(cancel_futures=True)
        if building:  # not another's, taken between our view and our first chunk
            kept_cache("delete", lock)


def _gunzip(body: bytes, piece: int = 256 * 1024) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(31)
    for start in range(0, len(body), piece):
        data = body[start:start + piece]
        while data:
            out = decompressor.decompress(data, piece)
            if out:
                yield out
            data = decompressor.unconsumed_tail
    tail = decompressor.flush()
    if tail:
        yield tail


def in_chunks(queryset, size: int | None = None) -> Iterator[list]:
    """A queryset's rows, `size` (CHUNK) at a time; prefetches are made per chunk."""
    size = size or CHUNK
    batch = []
    for row in queryset.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def json_array(items: Iterable[list]) -> Iterator[bytes]:
    """A JSON array (UTF-8, compact) from lists of items, one list at a time."""
    yield b"["
    first = True
    for batch in items:
        if batch:
            text = orjson.dumps(batch)[1:-1]
            yield text if first else b"," + text
            first = False
    yield b"]"
