import functools
from urllib.parse import urlencode

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import get_script_prefix, reverse

from . import devices

OPEN_BEFORE_THE_SECOND_STEP = {"admin:login", "admin:logout"}


@functools.cache
def admin_path() -> str:
    """The admin's address within the site ("/admin/"), worked out once per process rather
    than reversed for every request: it is outside i18n_patterns, so the same in every
    language. Compared with request.path_info, which leaves out the script prefix."""
    return "/" + reverse("admin:index")[len(get_script_prefix()):]


@receiver(setting_changed)
def forget_admin_path(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests that swap the URLs
        admin_path.cache_clear()


class SecondStepMiddleware:
    """Before any admin page: a staff member with a second step must give a code, and one
    who is required to have one (a superuser in production) must set it up first.

    Public pages are left alone (nothing here reads the session outside /admin/), and so
    are the admin's sign-in and sign-out and our own pages, which check for themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(admin_path()):
            return None
        match = request.resolver_match
        if match.namespace == "signin" or match.view_name in OPEN_BEFORE_THE_SECOND_STEP:
            return None
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified():
            if devices.has_second_step(user):
                return send_to("signin:code", request)
            if devices.is_required(user):
                return send_to("signin:set-up", request)
        return None


def send_to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(name)}?{query}")
