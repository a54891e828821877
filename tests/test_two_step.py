"""Staff sign-in's second step: set up an authenticator app, give its code before any
admin page, backup codes that work once, and superusers required to in production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse, set_script_prefix
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from signin import devices
from signin.middleware import admin_path
from tests.factories import app_code, make_meeting, sign_in

pytestmark = pytest.mark.django_db

CODE, SET_UP = "/admin/two-step/code/", "/admin/two-step/set-up/"


@pytest.fixture
def volunteer(django_user_model):
    return django_user_model.objects.create_user("volunteer", is_staff=True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_user("chief", is_staff=True, is_superuser=True)


def set_up_app(client) -> tuple[TOTPDevice, list[str]]:
    """What a staff member does on the set-up page: scan, then type the app's code."""
    page = client.get(SET_UP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    done = client.post(SET_UP, {"code": app_code(device)})
    assert done.status_code == 200
    return device, done.context["codes"]


def test_the_set_up_page_draws_a_qr_code_and_shows_the_key(client, volunteer):
    client.force_login(volunteer)
    page = client.get(SET_UP)
    html = page.content.decode()
    assert '<svg class="qr"' in html and 'role="img"' in html
    assert '<path d="M' in html
    device = TOTPDevice.objects.get(user=volunteer, confirmed=False)
    assert "issuer=Recovery%20Finder" in device.config_url
    assert page.context["key"].replace(" ", "") in device.config_url
    assert "<img" not in html.split('id="content-main"')[1]  # no image fetched for the code


def test_the_same_key_is_shown_until_it_is_confirmed(client, volunteer):
    client.force_login(volunteer)
    first = client.get(SET_UP).context["key"]
    assert client.get(SET_UP).context["key"] == first
    assert TOTPDevice.objects.filter(user=volunteer).count() == 1


def test_a_real_code_from_the_app_turns_the_second_step_on(client, volunteer):
    client.force_login(volunteer)
    device, codes = set_up_app(client)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert devices.backup_codes_left(volunteer) == 10
    assert client.get(reverse("admin:index")).status_code == 200  # this session gave it


def test_a_wrong_code_does_not_turn_it_on(client, volunteer):
    client.force_login(volunteer)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=volunteer)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    page = client.post(SET_UP, {"code": wrong})
    assert "That code didn&#x27;t match" in page.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_once_set_up_every_admin_page_asks_for_the_code_first(client, volunteer):
    client.force_login(volunteer)
    device, _ = set_up_app(client)
    client.logout()
    client.force_login(volunteer)
    for url in ["/admin/", "/admin/meetings/meeting/", "/admin/import-meetings/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{CODE}?next={url.replace('/', '%2F')}"
    answer = client.post(CODE, {"code": app_code(device), "next": "/admin/meetings/meeting/"})
    assert answer["Location"] == "/admin/meetings/meeting/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("first_prefix", ["", "/finder"])
def test_the_code_is_asked_for_behind_a_script_prefix_too(client, volunteer, first_prefix):
    # The middleware works out the admin's address once per process, in whichever
    # prefix the first request came: both orders must still guard the admin.
    client.force_login(volunteer)
    set_up_app(client)
    client.logout()
    client.force_login(volunteer)
    admin_path.cache_clear()
    try:
        for prefix in dict.fromkeys([first_prefix, "", "/finder"]):
            set_script_prefix(prefix or "/")  # as Django's WSGI handler does; its test client not
            response = client.get("/admin/meetings/meeting/", SCRIPT_NAME=prefix)
            assert response.status_code == 302
            assert response["Location"] == (
                f"{prefix}{CODE}?next={prefix.replace('/', '%2F')}%2Fadmin%2Fmeetings%2Fmeeting%2F")
            assert client.get("/privacy/", SCRIPT_NAME=prefix).status_code == 200
    finally:
        set_script_prefix("/")


def test_a_wrong_code_on_the_code_page_is_explained(client, volunteer):
    client.force_login(volunteer)
    set_up_app(client)
    client.logout()
    client.force_login(volunteer)
    page = client.post(CODE, {"code": "000000x"})
    assert page.status_code == 200
    assert "That code didn&#x27;t work" in page.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, volunteer, django_user_model):
    client.force_login(volunteer)
    _, codes = set_up_app(client)
    client.logout()
    client.force_login(volunteer)
    typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]  # as read off paper
    assert client.post(CODE, {"code": typed})["Location"] == "/admin/"
    assert devices.backup_codes_left(volunteer) == 9
    client.logout()
    client.force_login(volunteer)
    assert client.post(CODE, {"code": codes[0]}).status_code == 200  # refused
    assert client.get("/admin/").status_code == 302


def test_new_backup_codes_replace_the_old_ones(client, volunteer):
    client.force_login(volunteer)
    _, old = set_up_app(client)
    new = client.post(reverse("signin:backup-codes")).context["codes"]
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.filter(device__user=volunteer)
               .values_list("token", flat=True)) == set(new)


def test_the_next_page_never_leaves_the_site(client, volunteer):
    client.force_login(volunteer)
    device, _ = set_up_app(client)
    client.logout()
    client.force_login(volunteer)
    answer = client.post(CODE, {"code": app_code(device), "next": "https://example.com/"})
    assert answer["Location"] == "/admin/"


def test_volunteers_may_sign_in_in_one_step_and_turn_the_second_off(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/admin/").status_code == 200
    set_up_app(client)
    response = client.post(reverse("signin:turn-off"))
    assert response["Location"] == "/admin/"
    assert not devices.has_second_step(volunteer)
    assert StaticToken.objects.count() == 0


def test_a_superuser_without_a_second_step_is_sent_to_set_it_up(client, superuser):
    assert django_settings.OTP_REQUIRED_FOR_SUPERUSERS  # tests run as production does
    client.force_login(superuser)
    response = client.get("/admin/meetings/meeting/")
    assert response["Location"] == f"{SET_UP}?next=%2Fadmin%2Fmeetings%2Fmeeting%2F"
    assert "Administrator accounts sign in in two steps" in client.get(SET_UP).content.decode()
    set_up_app(client)
    assert client.get("/admin/meetings/meeting/").status_code == 200


def test_a_superuser_cannot_turn_it_off_when_required(client, superuser):
    sign_in(client, superuser)
    page = client.post(reverse("signin:turn-off"))
    assert page.status_code == 200
    assert "cannot be turned off here" in page.content.decode()
    assert devices.has_second_step(superuser)


def test_without_the_requirement_a_superuser_signs_in_in_one_step(client, superuser,
                                                                   settings):
    settings.OTP_REQUIRED_FOR_SUPERUSERS = False
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def settings_in(**env) -> dict:
    """Read the settings a fresh process computes from this environment."""
    program = ("import django, json; django.setup(); from django.conf import settings as s; "
               "print(json.dumps([s.OTP_REQUIRED_FOR_SUPERUSERS, s.AXES_FAILURE_LIMIT, "
               "s.AXES_COOLOFF_TIME.total_seconds()]))")
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"DEBUG", "OTP_REQUIRED_FOR_SUPERUSERS"}}
    environment |= {"DJANGO_SETTINGS_MODULE": "recovery_finder.settings",
                    "SECRET_KEY": "tests-only-not-secret", **env}
    output = subprocess.run([sys.executable, "-c", program], env=environment, check=True,
                            capture_output=True, text=True, cwd=django_settings.BASE_DIR)
    required, limit, seconds = __import__("json").loads(output.stdout)
    return {"required": required, "limit": limit, "seconds": seconds}


def test_production_requires_it_of_superusers_and_development_does_not():
    assert settings_in()["required"] is True
    assert settings_in(DEBUG="1")["required"] is False  # make run's admin stays one step
    assert settings_in(OTP_REQUIRED_FOR_SUPERUSERS="off")["required"] is False


def test_the_lockout_is_set_from_the_environment():
    assert settings_in(SIGNIN_FAILURE_LIMIT="3", SIGNIN_LOCKOUT_MINUTES="60") == {
        "required": True, "limit": 3, "seconds": 3600.0}
    with pytest.raises(subprocess.CalledProcessError):
        settings_in(SIGNIN_FAILURE_LIMIT="0")


@pytest.mark.parametrize("url", ["/", "/meetings/?day=monday", "/fellowships/", "/privacy/"])
def test_public_pages_are_left_alone_even_for_staff_midway(client, volunteer, fellowships,
                                                           url):
    client.force_login(volunteer)
    set_up_app(client)
    client.logout()
    client.force_login(volunteer)  # signed in, second step not given
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/meetings/?day=monday", "/fellowships/"])
def test_visitors_still_get_no_cookie_and_a_public_cache(client, fellowships, url):
    response = client.get(url)
    assert response.cookies == {} and "Set-Cookie" not in response
    assert "public" in response["Cache-Control"]


def test_a_meeting_page_still_sets_no_cookie(client, fellowships):
    meeting = make_meeting(fellowship=fellowships["aa"])
    assert client.get(meeting.get_absolute_url()).cookies == {}


def test_no_admin_page_shows_anyone_elses_app_key_or_empty_axes_tables(client, superuser):
    sign_in(client, superuser)
    index = client.get("/admin/").content.decode()
    assert "TOTP devices" not in index and "Static devices" not in index
    assert "Access attempts" not in index
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
