from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import devices

OPEN_BEFORE_THE_SECOND_STEP = {"admin:login", "admin:logout"}


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
        if not request.path.startswith(reverse("admin:index")):
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
