"""A per-client limit on reports, kept only as a short-lived hashed key in the cache.

No address is stored or logged: the cache key is the client's keyed hash from
recovery_finder.client_address (shared with staff sign-in's lockout, which also finds the
client behind TRUSTED_PROXY_COUNT proxies), so the key cannot be turned back into an
address, and it expires with its window (an hour).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from recovery_finder import client_address

WINDOW_SECONDS = 60 * 60


def client_key(request: HttpRequest) -> str:
    return f"reports:client:{client_address.client_key(request, 'report-a-change')}"


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
