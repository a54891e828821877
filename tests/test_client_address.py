"""recovery_finder/client_address.py: who is asking, as our own proxies saw it, kept only
as a keyed hash."""

import pytest
from django.test import RequestFactory

from recovery_finder.client_address import client_address, client_key


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_connection_is_the_client_whatever_the_header_says(
        settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_load_balancer_the_client_is_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The visitor wrote "1.2.3.4" themselves; the balancer appended what it saw.
    request = request_from("10.0.0.2", "1.2.3.4, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.3", "1.2.3.4, 203.0.113.7, 10.0.0.2")
    assert client_address(request) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", " , ", "203.0.113.7"])
def test_a_request_that_skipped_a_proxy_counts_as_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.3", forwarded)) == "10.0.0.3"


def test_the_key_is_stable_per_purpose_and_does_not_contain_the_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    one, again = request_from("203.0.113.7"), request_from("203.0.113.7")
    other = request_from("203.0.113.8")
    assert client_key(one, "signin") == client_key(again, "signin")
    assert client_key(one, "signin") != client_key(other, "signin")
    assert client_key(one, "signin") != client_key(one, "report-a-change")
    assert "203.0.113.7" not in client_key(one, "signin")


def test_the_key_changes_with_the_secret_key(settings):
    request = request_from("203.0.113.7")
    before = client_key(request, "signin")
    settings.SECRET_KEY = "another-secret-entirely"
    assert client_key(request, "signin") != before
