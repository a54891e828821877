"""A per-client limit on reports, kept only as a short-lived hashed key in the cache.

No address is stored or logged: the cache key is an HMAC of the client's address under
the site's secret key, so the key cannot be turned back into an address, and it expires
with its window (an hour).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# Where the client is found (the connection, or behind TRUSTED_PROXY_COUNT proxies): shared
# with staff sign-in's lockout.
from recovery_finder.client_address import client_address

WINDOW_SECONDS = 60 * 60


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
