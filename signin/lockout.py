"""How django-axes speaks when it stops a sign-in (AXES_LOCKOUT_CALLABLE and
AXES_CLIENT_STR_CALLABLE in settings)."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "minutes": minutes,
        "failure_limit": settings.SIGNIN_FAILURE_LIMIT,
    }
    response = render(request, "signin/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def describe_client(username, ip_address, user_agent, path_info, request) -> str:
    """Axes' log lines name the account only: never the address, nor its pseudonym."""
    return f"{{username: {username!r}}}"
