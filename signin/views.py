"""The second step of a staff sign-in, under /admin/two-step/ and in the admin's own look."""

import functools
from base64 import b32encode

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from recovery_finder.qr import qr_path

from . import devices
from .forms import AppCodeForm, CodeForm
from .middleware import send_to


def next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return reverse("admin:index")


def page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    return render(request, template, {
        **admin.site.each_context(request), "title": title, "next": next_page(request), **context,
    })


def after_second_step(view):
    """Staff only, and those with a second step must have given it in this session."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if devices.has_second_step(request.user) and not request.user.is_verified():
            return send_to("signin:code", request)
        return view(request, *args, **kwargs)

    return never_cache(staff_member_required(wrapper))


@never_cache
@staff_member_required
def code(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not devices.has_second_step(user):
        if devices.is_required(user) and not user.is_verified():
            return send_to("signin:set-up", request)
        return HttpResponseRedirect(next_page(request))
    form = CodeForm(request.POST or None)
    waiting = False
    if form.is_valid():
        device = devices.verify(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == devices.BACKUP_NAME:
                left = devices.backup_codes_left(user)
                messages.warning(request, f"You used a backup code: {left} left. "
                                          "Make new ones from 'Two-step sign-in' when you can.")
            return HttpResponseRedirect(next_page(request))
        waiting = devices.waiting_after_wrong_codes(user)
        form.add_error("code", "That code didn't work. Wait for a new code in the app and try "
                               "it, or use one of your backup codes."
                       if not waiting else
                       "Too many codes that didn't work. Wait a minute, then try the newest "
                       "code from your app.")
    return page(request, "signin/code.html", "Your sign-in code", form=form)


@after_second_step
def set_up(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = devices.pending_app(user)
    form = AppCodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(devices.normalise(form.cleaned_data["code"])):
            codes = devices.confirm_app(device)
            otp_login(request, device)
            return page(request, "signin/backup_codes.html", "Your backup codes", codes=codes,
                        just_set_up=True)
        form.add_error("code", "That code didn't match. Check the app shows 'Recovery Finder' "
                               "and type the 6 digits it shows now.")
    size, path = qr_path(device.config_url)
    key = b32encode(device.bin_key).decode()
    return page(
        request, "signin/set_up.html", "Set up two-step sign-in", form=form,
        qr_size=size, qr_path=path, key=" ".join(key[i:i + 4] for i in range(0, len(key), 4)),
        replacing=devices.has_second_step(user), required=devices.is_required(user),
    )


@after_second_step
def backup_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not devices.has_second_step(user):
        return HttpResponseRedirect(reverse("signin:set-up"))
    if request.method == "POST":
        codes = devices.new_backup_codes(user)
        return page(request, "signin/backup_codes.html", "Your backup codes", codes=codes)
    return page(request, "signin/backup_codes.html", "Your backup codes",
                left=devices.backup_codes_left(user))


@after_second_step
def turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    required = devices.is_required(user)
    if request.method == "POST" and not required:
        devices.remove_all(user)
        messages.success(request, "Two-step sign-in is off: your password alone signs you in.")
        return HttpResponseRedirect(reverse("admin:index"))
    return page(request, "signin/turn_off.html", "Turn off two-step sign-in", required=required,
                has_second_step=devices.has_second_step(user))
