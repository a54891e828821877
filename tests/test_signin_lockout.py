"""Staff sign-in: repeated failures pause signing in to one account from one client for a
while, with a kind page; nothing about the client is kept but a count under a hash."""

import datetime
import logging

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-passphrase-1"


@pytest.fixture(autouse=True)
def no_earlier_failures(settings):
    # A fast hasher: these tests check dozens of passwords, not how they are hashed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches["signin"].clear()
    yield
    caches["signin"].clear()


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", password=PASSWORD, is_staff=True)


def sign_in(client, username="curator", password=PASSWORD, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address)


def fail(client, times: int, **kwargs) -> list[int]:
    return [sign_in(client, password="not-the-password", **kwargs).status_code
            for _ in range(times)]


def test_a_wrong_password_is_refused_as_usual_below_the_limit(client, curator):
    assert fail(client, 4) == [200] * 4
    assert sign_in(client).status_code == 302


def test_the_fifth_failure_pauses_signing_in_with_a_kind_page(client, curator):
    statuses = fail(client, 5)
    assert statuses == [200, 200, 200, 200, 429]
    page = sign_in(client)  # even the right password, now
    assert page.status_code == 429
    assert page["Retry-After"] == "900"
    text = page.content.decode()
    assert "Signing in is paused" in text
    assert "paused for 15 minutes" in text
    assert "didn't match 5 times in a row" in text
    assert "Nothing is wrong with your account" in text
    assert "Account locked" not in text  # not django-axes' own message
    assert "_auth_user_id" not in client.session


def test_the_pause_is_for_that_account_from_that_client_only(client, curator,
                                                             django_user_model):
    django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    fail(client, 5)
    assert sign_in(client, address="198.51.100.20").status_code == 302
    client.logout()
    assert sign_in(client, username="editor").status_code == 302


def test_signing_in_works_again_once_the_pause_is_over(client, curator):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
                             tick=False) as clock:
        fail(client, 5)
        clock.shift(datetime.timedelta(minutes=14))
        assert sign_in(client).status_code == 429
        clock.shift(datetime.timedelta(minutes=2))
        assert sign_in(client).status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(client, curator):
    fail(client, 4)
    assert sign_in(client).status_code == 302
    client.logout()
    assert fail(client, 4) == [200] * 4


def test_behind_a_load_balancer_each_visitor_is_counted_apart(client, curator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(LOGIN, {"username": "curator", "password": "wrong"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    other_visitor = client.post(LOGIN, {"username": "curator", "password": PASSWORD},
                                REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other_visitor.status_code == 302


def test_no_address_is_stored_or_logged(client, curator, caplog):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    with caplog.at_level(logging.INFO):
        fail(client, 5)
        client.logout()
        sign_in(client, address="198.51.100.20")
    assert "203.0.113.7" not in caplog.text and "198.51.100.20" not in caplog.text
    assert "Locking out {username: 'curator'}" in caplog.text
    assert AccessAttempt.objects.count() == AccessLog.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0


def test_the_limit_and_the_pause_come_from_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == settings.SIGNIN_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(
        minutes=settings.SIGNIN_LOCKOUT_MINUTES) == datetime.timedelta(minutes=15)


def test_the_admin_still_refuses_visitors_who_are_not_signed_in(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and LOGIN in response["Location"]
