"""Who is asking, for rate limits and sign-in lockouts, without keeping their address.

Behind a load balancer every request comes from the balancer's address; the client is in
X-Forwarded-For, which anyone can also write. Only the entries our own proxies appended
are trusted: with TRUSTED_PROXY_COUNT = N, the client is the Nth entry from the right.
The address itself is never stored or logged: callers keep `client_key()`, a keyed hash.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_address(request: HttpRequest) -> str:
    """The client's address as our trusted proxies saw it ("" if the server was not told)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [
        entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    ]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come the way we expect, so the
        # only address nobody could have written is the connection's own.
        return remote
    return forwarded[-proxies]


def client_key(request: HttpRequest, purpose: str) -> str:
    """A stable pseudonym for the client, different for each purpose and each SECRET_KEY:
    enough to count one client's attempts, useless for finding out who they are."""
    return salted_hmac(
        f"recovery_finder.client_address.{purpose}", client_address(request)
    ).hexdigest()


def for_signin(request: HttpRequest) -> str:
    """What django-axes counts failed sign-ins by (AXES_CLIENT_IP_CALLABLE)."""
    return client_key(request, "signin")
