"""A per-client limit on reports, kept only as a short-lived hashed key in the cache.

No address is stored or logged: the cache key is an HMAC of the client's address under
the site's secret key, so the key cannot be turned back into an address, and it expires
with its window (an hour).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 60 * 60


def client_address(request: HttpRequest) -> str:
    """The visitor's address as the nearest trusted proxy saw it.

    With TRUSTED_PROXY_COUNT proxies in front (say 1, a load balancer), each appends
    the address it received the request from to X-Forwarded-For, so the client is the
    count-th entry from the right; entries further left are whatever the client sent,
    and could be forged. With no proxy, REMOTE_ADDR is the client.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "")
                 .split(",") if part.strip()]
    if count and forwarded:
        return forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request: HttpRequest) -> str:
    digest = salted_hmac("reports.throttle", client_address(request)).hexdigest()
    return f"reports:client:{digest}"


def allow_report(request: HttpRequest) -> bool:
    """Count one report from this client; False once it has sent its hour's share."""
    key = client_key(request)
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 (the cache server is down: redis.ConnectionError...)
        # A visitor's report matters more than the limit; the honeypot and the length
        # limit still apply, and staff can dismiss a burst of spam from the queue.
        return True
    return count <= settings.REPORTS_PER_HOUR
